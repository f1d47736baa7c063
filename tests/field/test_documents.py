"""Repayment agreement PDFs: what they print, what they embed, what they refuse. No database."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import struct
import zlib
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from doorstep.field.documents import AgreementData, agreement_pdf

BEIJING = timezone(timedelta(hours=8))


def tiny_png(width: int = 12, height: int = 5) -> bytes:
    """A valid RGBA PNG built by hand, as a canvas signature would be (ink on a transparent ground)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(
        b"\x00" + b"".join(bytes((0, 0, 0, 255 if x == y * 2 else 0)) for x in range(width)) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def make_agreement(**changes: Any) -> AgreementData:
    signature = tiny_png()
    data = AgreementData(
        language="en",
        agreement_number="AG-2026-0042",
        lender_name="Example Consumer Finance Co.",
        borrower_name="Zhang *",
        borrower_reference="B-778",
        loan_references=("L-1001", "L-1002"),
        currency="CNY",
        total=Decimal("12345.60"),
        down_payment=Decimal("2000.00"),
        schedule=(
            (0, date(2026, 5, 1), Decimal("2000.00")),
            (1, date(2026, 6, 1), Decimal("5172.80")),
            (2, date(2026, 7, 1), Decimal("5172.80")),
        ),
        payment_channel="https://pay.lender.example/collect?reference=AG-2026-0042",
        collectors=("Li Si", "Wang Wu"),
        signed_at=datetime(2026, 5, 1, 10, 30, tzinfo=BEIJING),
        signer_name="Zhang San",
        signature_png=signature,
        signature_sha256=hashlib.sha256(signature).hexdigest(),
        generated_note="Generated demo data",
    )
    return dataclasses.replace(data, **changes)


def unsigned(**changes: Any) -> AgreementData:
    return make_agreement(signed_at=None, signature_png=None, signature_sha256="", **changes)


def page_text(pdf: bytes) -> str:
    """The Latin text of an uncompressed PDF's pages with all white space removed, so that a phrase
    wrapped over two lines is still found; CID (Chinese) strings come out as noise between the runs."""
    literals = re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", pdf, flags=re.DOTALL)
    escapes = re.compile(rb"\\([0-7]{1,3}|.)", flags=re.DOTALL)
    text = b"".join(
        escapes.sub(lambda m: bytes([int(m[1], 8)]) if m[1][:1].isdigit() else m[1], literal) for literal in literals
    )
    return re.sub(r"\s+", "", text.decode("latin-1"))


def printed(phrase: str) -> str:
    return re.sub(r"\s+", "", phrase)


def image_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Subtype\s*/Image", pdf))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_agreement_is_a_pdf_in_either_language(language: str) -> None:
    pdf = agreement_pdf(make_agreement(language=language))

    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_figures_and_references_are_printed(language: str) -> None:
    text = page_text(agreement_pdf(make_agreement(language=language), compress=False))

    # Latin runs stay in Helvetica even in Chinese, so they are plain strings in the page stream.
    for phrase in ("AG-2026-0042", "B-778", "L-1001", "CNY 12,345.60", "2,000.00", "5,172.80", "2026-06-01",
                   "https://pay.lender.example/collect?reference=AG-2026-0042", "Generated demo data",
                   hashlib.sha256(tiny_png()).hexdigest()):
        assert printed(phrase) in text, phrase


def test_english_agreement_prints_its_clauses() -> None:
    text = page_text(agreement_pdf(make_agreement(), compress=False))

    for phrase in ("Repayment agreement", "Down payment", "Zhang San", "Li Si", "2026-05-01 10:30+08:00",
                   "only through the lender's channel", "No cash is accepted unless an official numbered receipt",
                   "may ask the lender for a review of this debt, or dispute it, at any time",
                   "does not waive any of the borrower's rights"):
        assert printed(phrase) in text, phrase


def test_chinese_text_is_set_in_the_cid_font() -> None:
    pdf = agreement_pdf(make_agreement(language="zh-hans", borrower_name="张*"), compress=False)

    assert b"/STSong-Light" in pdf
    # UCS-2 big-endian code of 还 (U+8FD8), the first character of the title, as reportlab escapes it.
    assert b"(\\217\\330" in pdf


def test_english_agreement_sets_chinese_names_in_the_cid_font() -> None:
    pdf = agreement_pdf(make_agreement(borrower_name="张*"), compress=False)

    assert b"/STSong-Light" in pdf


def test_metadata_names_the_agreement_and_the_lender() -> None:
    pdf = agreement_pdf(make_agreement(), compress=False)

    assert b"/Title (Repayment agreement AG-2026-0042)" in pdf
    assert b"/Author (Example Consumer Finance Co.)" in pdf


def test_same_agreement_renders_to_the_same_bytes() -> None:
    assert agreement_pdf(make_agreement()) == agreement_pdf(make_agreement())


def test_signature_image_is_embedded_when_signed() -> None:
    assert image_count(agreement_pdf(make_agreement(), compress=False)) >= 1


def test_unsigned_agreement_has_no_image_and_a_blank_signature_line() -> None:
    pdf = agreement_pdf(unsigned(), compress=False)

    assert image_count(pdf) == 0
    assert printed("Signature: ______") in page_text(pdf)
    assert printed("Not yet signed") in page_text(pdf)


def test_footer_note_is_left_out_when_empty() -> None:
    assert "Generateddemodata" not in page_text(agreement_pdf(make_agreement(generated_note=""), compress=False))


def test_markup_in_names_is_printed_not_interpreted() -> None:
    pdf = agreement_pdf(make_agreement(lender_name="A<b>&B"), compress=False)

    assert "Lender:A<b>&B" in page_text(pdf)


def test_long_schedule_runs_onto_more_pages() -> None:
    schedule = ((0, date(2026, 5, 1), Decimal("100.00")),
                *((seq, date(2026, 5, 1) + timedelta(days=30 * seq), Decimal("100.00")) for seq in range(1, 60)))
    pdf = agreement_pdf(make_agreement(schedule=schedule, total=Decimal("6000.00"), down_payment=Decimal("100.00")),
                        compress=False)

    assert b"/Count 2" in pdf or b"/Count 3" in pdf
    assert "6,000.00" in page_text(pdf)


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        agreement_pdf(make_agreement(language="fr"))


def test_schedule_that_does_not_add_up_to_the_total_is_refused() -> None:
    with pytest.raises(ValueError, match=re.escape("adds up to 12345.60, not the total 12345.61")):
        agreement_pdf(make_agreement(total=Decimal("12345.61")))


def test_down_payment_other_than_row_zero_is_refused() -> None:
    with pytest.raises(ValueError, match="down payment"):
        agreement_pdf(make_agreement(down_payment=Decimal("0")))


@pytest.mark.parametrize("amount", [Decimal("5172.801"), Decimal("NaN"), Decimal("-1.00")])
def test_amounts_that_cannot_be_printed_exactly_are_refused(amount: Decimal) -> None:
    schedule = ((0, date(2026, 5, 1), Decimal("2000.00")), (1, date(2026, 6, 1), amount))
    with pytest.raises(ValueError):
        agreement_pdf(make_agreement(schedule=schedule, total=Decimal("2000.00") + amount))


def test_hash_that_is_not_the_signature_image_is_refused() -> None:
    with pytest.raises(ValueError, match="SHA-256"):
        agreement_pdf(make_agreement(signature_sha256="0" * 64))


def test_signature_without_a_signing_time_is_refused() -> None:
    with pytest.raises(ValueError, match="come together"):
        agreement_pdf(make_agreement(signed_at=None))


def test_signing_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        agreement_pdf(make_agreement(signed_at=datetime(2026, 5, 1, 10, 30)))


def test_signature_that_is_not_a_png_is_refused() -> None:
    junk = b"GIF89a not really"
    with pytest.raises(ValueError, match="PNG"):
        agreement_pdf(make_agreement(signature_png=junk, signature_sha256=hashlib.sha256(junk).hexdigest()))


def test_truncated_png_is_refused() -> None:
    broken = tiny_png()[:20]
    with pytest.raises(ValueError, match="readable"):
        agreement_pdf(make_agreement(signature_png=broken, signature_sha256=hashlib.sha256(broken).hexdigest()))
