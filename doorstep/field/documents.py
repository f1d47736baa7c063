"""Repayment agreements as printable PDF, in Simplified Chinese or English, with the on-screen signature.

Data in, bytes out: no database and no clock (the signing time comes in with the data), so the same
agreement always renders to the same bytes and its hash can be recorded next to it.
"""

from __future__ import annotations

import hashlib
import itertools
import string
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

# A CID font ships with every PDF reader (Adobe's Chinese font pack), so no font file is embedded
# or needed on the server. It has no bold face; Chinese headings are set larger instead.
_CJK_FONT = "STSong-Light"
_LATIN_FONT = "Helvetica"
_LATIN_BOLD_FONT = "Helvetica-Bold"
_MONO_FONT = "Courier"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SIGNATURE_WIDTH = 60 * mm
_SIGNATURE_MAX_HEIGHT = 30 * mm  # a tall scribble must not push the signature block onto its own page
_CENT = Decimal("0.01")

pdfmetrics.registerFont(UnicodeCIDFont(_CJK_FONT))


@dataclass(frozen=True)
class AgreementData:
    """What an agreement says; the caller decides how much of the borrower's name to show."""

    language: str  # "zh-hans" or "en"
    agreement_number: str
    lender_name: str
    borrower_name: str
    borrower_reference: str
    loan_references: tuple[str, ...]
    currency: str
    total: Decimal
    down_payment: Decimal
    schedule: tuple[tuple[int, date, Decimal], ...]  # (seq, due_on, amount); seq 0 is the down payment
    payment_channel: str
    collectors: tuple[str, ...]
    signed_at: datetime | None
    signer_name: str
    signature_png: bytes | None
    signature_sha256: str
    generated_note: str


@dataclass(frozen=True)
class _Labels:
    title: str
    number: str
    date: str
    unsigned_date: str
    parties: str
    lender: str
    borrower: str
    loans: str
    debt_heading: str
    debt: str
    debt_down_payment: str
    schedule_heading: str
    column_number: str
    column_due_on: str
    column_amount: str
    down_payment_row: str
    total_row: str
    terms_heading: str
    channel_clause: str
    rights_clause: str
    collectors: str
    list_separator: str
    nobody: str
    signature_heading: str
    signer: str
    signed_at: str
    signature_hash: str
    blank_signature: str
    blank_name: str
    blank_date: str
    page: str


_LABELS = {
    "en": _Labels(
        title="Repayment agreement",
        number="No. {number}",
        date="Date: {date}",
        unsigned_date="Not yet signed",
        parties="Parties",
        lender="Lender: {lender}",
        borrower="Borrower: {borrower} (reference {reference})",
        loans="Loans: {loans}",
        debt_heading="Debt acknowledged",
        debt="The borrower acknowledges owing the lender {total} under the loans listed above and agrees "
        "to repay it according to the schedule below.",
        debt_down_payment=" The down payment is {down_payment}.",
        schedule_heading="Schedule",
        column_number="No.",
        column_due_on="Due date",
        column_amount="Amount ({currency})",
        down_payment_row="Down payment",
        total_row="Total",
        terms_heading="Terms",
        channel_clause="Payments are made only through the lender's channel: {channel}. No cash is accepted "
        "unless an official numbered receipt of the lender is issued for it on the spot.",
        rights_clause="The borrower may ask the lender for a review of this debt, or dispute it, at any time. "
        "This agreement does not waive any of the borrower's rights.",
        collectors="Collectors present: {collectors}",
        list_separator=", ",
        nobody="none",
        signature_heading="Borrower's signature",
        signer="Signed by: {signer}",
        signed_at="Signed at: {signed_at}",
        signature_hash="SHA-256 of the signature: {sha256}",
        blank_signature="Signature: ______________________________",
        blank_name="Name: ______________________________",
        blank_date="Date: ______________________________",
        page="Page {page}",
    ),
    "zh-hans": _Labels(
        title="还款协议",
        number="编号：{number}",
        date="日期：{date}",
        unsigned_date="尚未签署",
        parties="协议双方",
        lender="出借人：{lender}",
        borrower="借款人：{borrower}（编号 {reference}）",
        loans="借款：{loans}",
        debt_heading="债务确认",
        debt="借款人确认就上述借款尚欠出借人 {total}，并同意按下列还款计划偿还。",
        debt_down_payment="其中首付款为 {down_payment}。",
        schedule_heading="还款计划",
        column_number="期次",
        column_due_on="到期日",
        column_amount="金额（{currency}）",
        down_payment_row="首付款",
        total_row="合计",
        terms_heading="条款",
        channel_clause="所有款项仅通过出借人的还款渠道支付：{channel}。未当场出具出借人正式编号收据的，"
        "不收取任何现金。",
        rights_clause="借款人可随时要求出借人复核本债务或对其提出异议。本协议不构成借款人对其任何权利的放弃。",
        collectors="在场催收人员：{collectors}",
        list_separator="、",
        nobody="无",
        signature_heading="借款人签名",
        signer="签署人：{signer}",
        signed_at="签署时间：{signed_at}",
        signature_hash="签名 SHA-256：{sha256}",
        blank_signature="签名：______________________________",
        blank_name="姓名：______________________________",
        blank_date="日期：______________________________",
        page="第 {page} 页",
    ),
}


def agreement_pdf(data: AgreementData, *, compress: bool = True) -> bytes:
    """Render the agreement as an A4 PDF; `compress=False` leaves the page text readable in the raw bytes."""
    _validate(data)
    labels = _LABELS[data.language]
    styles = _Styles.for_language(data.language)
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=25 * mm,
        title=f"{labels.title} {data.agreement_number}",
        author=data.lender_name,
        subject=labels.title,
        creator="Doorstep",
        lang="zh-Hans" if data.language == "zh-hans" else "en",
        displayDocTitle=1,
        # Invariant output: the same agreement gives the same bytes, so a stored hash can be checked later.
        invariant=1,
        pageCompression=1 if compress else 0,
    )

    def footer(canvas: Canvas, _document: Any) -> None:
        parts = [_rich(data.agreement_number, styles.latin),
                 _fill(labels.page, styles.latin, page=str(canvas.getPageNumber()))]
        if data.generated_note:
            parts.append(_rich(data.generated_note, styles.latin))
        paragraph = Paragraph(_rich(" · ", styles.latin).join(parts), styles.small)
        width = A4[0] - 40 * mm
        _, height = paragraph.wrapOn(canvas, width, 20 * mm)
        paragraph.drawOn(canvas, 20 * mm, 20 * mm - height)

    document.build(list(_story(data, labels, styles)), onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _validate(data: AgreementData) -> None:
    """Refuse anything the printed figures would not support: a signed paper outlives the bug that made it."""
    if data.language not in _LABELS:
        raise ValueError(f"unknown language {data.language!r}; expected one of {sorted(_LABELS)}")
    if not data.agreement_number.strip():
        raise ValueError("an agreement needs a number")
    if not data.schedule:
        raise ValueError("an agreement needs a schedule")
    for amount in (data.total, data.down_payment, *(amount for _, _, amount in data.schedule)):
        if not amount.is_finite() or amount != amount.quantize(_CENT):
            raise ValueError(f"amount {amount} is not a whole number of cents")
    if any(amount <= 0 for _, _, amount in data.schedule):
        raise ValueError("every scheduled amount must be positive")
    sequence_numbers = [seq for seq, _, _ in data.schedule]
    if len(set(sequence_numbers)) != len(sequence_numbers) or min(sequence_numbers) < 0:
        raise ValueError("schedule numbers must be unique and not negative")
    scheduled = sum((amount for _, _, amount in data.schedule), Decimal(0))
    if scheduled != data.total:
        raise ValueError(f"the schedule adds up to {scheduled}, not the total {data.total}")
    down_payment = sum((amount for seq, _, amount in data.schedule if seq == 0), Decimal(0))
    if down_payment != data.down_payment:
        raise ValueError(f"the down payment {data.down_payment} is not the schedule's row 0 ({down_payment})")
    if (data.signature_png is None) != (data.signed_at is None):
        raise ValueError("a signature and its signing time come together")
    if data.signed_at is not None and data.signed_at.utcoffset() is None:
        raise ValueError("the signing time needs a time zone")
    if data.signature_png is not None:
        if not data.signature_png.startswith(_PNG_SIGNATURE):
            raise ValueError("the signature must be a PNG image")
        # The printed hash is what a dispute relies on, so it must be the hash of the image printed.
        if hashlib.sha256(data.signature_png).hexdigest() != data.signature_sha256.lower():
            raise ValueError("signature_sha256 is not the SHA-256 of signature_png")


@dataclass(frozen=True)
class _Styles:
    latin: str
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    cell_amount: ParagraphStyle
    small: ParagraphStyle

    @classmethod
    def for_language(cls, language: str) -> _Styles:
        chinese = language == "zh-hans"
        base = ParagraphStyle(
            "body",
            fontName=_CJK_FONT if chinese else _LATIN_FONT,
            fontSize=10.5,
            leading=16,
            spaceAfter=4,
            # Chinese has no spaces to break at; CJK wrapping breaks between any two characters.
            wordWrap="CJK" if chinese else None,
        )
        title = ParagraphStyle("title", parent=base, fontSize=20, leading=26, spaceAfter=6)
        heading = ParagraphStyle("heading", parent=base, fontSize=13, leading=18, spaceBefore=10, spaceAfter=4)
        cell = ParagraphStyle("cell", parent=base, spaceAfter=0)
        return cls(
            latin=_LATIN_FONT,
            title=title,
            heading=heading,
            body=base,
            cell=cell,
            cell_amount=ParagraphStyle("cell_amount", parent=cell, alignment=TA_RIGHT),
            small=ParagraphStyle("small", parent=base, fontSize=8, leading=10, textColor=colors.grey, spaceAfter=0),
        )


def _story(data: AgreementData, labels: _Labels, styles: _Styles) -> Iterator[Flowable]:
    latin = styles.latin

    def paragraph(template: str, style: ParagraphStyle, *, font: str = latin, **values: str) -> Paragraph:
        return Paragraph(_fill(template, font, **values), style)

    def text(value: str, font: str = latin) -> str:
        return _rich(value, font)

    yield paragraph(labels.title, styles.title, font=_LATIN_BOLD_FONT)
    yield paragraph(labels.number, styles.body, number=text(data.agreement_number))
    document_date = labels.unsigned_date if data.signed_at is None else data.signed_at.date().isoformat()
    yield paragraph(labels.date, styles.body, date=text(document_date))

    yield paragraph(labels.parties, styles.heading, font=_LATIN_BOLD_FONT)
    yield paragraph(labels.lender, styles.body, lender=text(data.lender_name))
    yield paragraph(labels.borrower, styles.body, borrower=text(data.borrower_name),
                    reference=text(data.borrower_reference))
    loans = labels.list_separator.join(data.loan_references) or labels.nobody
    yield paragraph(labels.loans, styles.body, loans=text(loans))

    yield paragraph(labels.debt_heading, styles.heading, font=_LATIN_BOLD_FONT)
    debt = _fill(labels.debt, latin, total=text(_money(data.total, data.currency)))
    if data.down_payment:
        debt += _fill(labels.debt_down_payment, latin, down_payment=text(_money(data.down_payment, data.currency)))
    yield Paragraph(debt, styles.body)

    yield paragraph(labels.schedule_heading, styles.heading, font=_LATIN_BOLD_FONT)
    yield _schedule_table(data, labels, styles)

    yield paragraph(labels.terms_heading, styles.heading, font=_LATIN_BOLD_FONT)
    yield paragraph(labels.channel_clause, styles.body, channel=text(data.payment_channel))
    yield paragraph(labels.rights_clause, styles.body)
    collectors = labels.list_separator.join(data.collectors) or labels.nobody
    yield paragraph(labels.collectors, styles.body, collectors=text(collectors))

    # Kept together so the signature never lands on a page without the heading saying whose it is.
    block: list[Flowable] = [paragraph(labels.signature_heading, styles.heading, font=_LATIN_BOLD_FONT)]
    if data.signature_png is None or data.signed_at is None:
        block += [Spacer(1, 12 * mm), paragraph(labels.blank_signature, styles.body), Spacer(1, 4 * mm),
                  paragraph(labels.blank_name, styles.body), Spacer(1, 4 * mm),
                  paragraph(labels.blank_date, styles.body)]
    else:
        block += [
            _signature_image(data.signature_png),
            Spacer(1, 2 * mm),
            paragraph(labels.signer, styles.body, signer=text(data.signer_name)),
            paragraph(labels.signed_at, styles.body,
                      signed_at=text(data.signed_at.isoformat(sep=" ", timespec="minutes"))),
            paragraph(labels.signature_hash, styles.small, sha256=text(data.signature_sha256.lower(), _MONO_FONT)),
        ]
    yield KeepTogether(block)


def _schedule_table(data: AgreementData, labels: _Labels, styles: _Styles) -> Table:
    latin = styles.latin
    header = [
        Paragraph(_fill(labels.column_number, _LATIN_BOLD_FONT), styles.cell),
        Paragraph(_fill(labels.column_due_on, _LATIN_BOLD_FONT), styles.cell),
        Paragraph(_fill(labels.column_amount, _LATIN_BOLD_FONT, currency=_rich(data.currency, _LATIN_BOLD_FONT)),
                  styles.cell_amount),
    ]
    rows: list[list[Paragraph]] = [header]
    for seq, due_on, amount in sorted(data.schedule):
        number = labels.down_payment_row if seq == 0 else str(seq)
        rows.append([
            Paragraph(_rich(number, latin), styles.cell),
            Paragraph(_rich(due_on.isoformat(), latin), styles.cell),
            Paragraph(_rich(_amount(amount), latin), styles.cell_amount),
        ])
    rows.append([
        Paragraph(_rich(labels.total_row, _LATIN_BOLD_FONT), styles.cell),
        Paragraph("", styles.cell),
        Paragraph(_rich(_amount(data.total), _LATIN_BOLD_FONT), styles.cell_amount),
    ])
    table = Table(rows, colWidths=[40 * mm, 50 * mm, 50 * mm], hAlign="LEFT", repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def _signature_image(png: bytes) -> Image:
    try:
        width_px, height_px = ImageReader(BytesIO(png)).getSize()
    except OSError as error:  # Pillow's UnidentifiedImageError and truncated files are both OSErrors
        raise ValueError("the signature is not a readable PNG image") from error
    scale = min(_SIGNATURE_WIDTH / width_px, _SIGNATURE_MAX_HEIGHT / height_px)
    return Image(BytesIO(png), width=width_px * scale, height=height_px * scale, hAlign="LEFT")


def _amount(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _money(amount: Decimal, currency: str) -> str:
    return f"{currency} {_amount(amount)}"


def _is_latin(character: str) -> bool:
    # Helvetica and Courier are set in WinAnsi (cp1252): anything outside it goes to the CJK font.
    try:
        character.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _rich(text: str, latin: str) -> str:
    """Paragraph markup for plain text: each run set in the font that has its glyphs.

    Latin runs stay in a Latin font in Chinese documents too, which is how Chinese typesetting
    treats numbers and references, and keeps them legible in the PDF's raw text.
    """
    runs = []
    for is_latin, characters in itertools.groupby(text, key=_is_latin):
        font = latin if is_latin else _CJK_FONT
        runs.append(f'<font name="{font}">{escape("".join(characters))}</font>')
    return "".join(runs)


def _fill(template: str, latin: str, **values: str) -> str:
    """Mark up a label's own text and drop in values that are already markup (so they are not escaped twice)."""
    parts = []
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(_rich(literal, latin))
        if field is not None:
            parts.append(values[field])
    return "".join(parts)
