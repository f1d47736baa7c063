"""Lesson markup: escaped by construction, placeholders show the enforced values."""

from __future__ import annotations

import pytest

from doorstep.training.core.markup import MarkupError, Resolver, check, plain, render, resolve

RESOLVER = Resolver(rule_titles={"CN-HOURS": ("No collection at night", "禁止夜间催收")},
                    params={"day_starts_at": 8 * 60, "day_ends_at": 22 * 60, "visit_min_team": 2,
                            "hours_consent": True})


def test_markup_becomes_headings_lists_paragraphs_and_bold() -> None:
    html = render("## Before the door\n\nKnock **twice**.\nWait.\n- show the id\n- say who you are", RESOLVER, "en")
    assert html == ("<h3>Before the door</h3>\n<p>Knock <strong>twice</strong>.<br>Wait.</p>\n"
                    "<ul><li>show the id</li><li>say who you are</li></ul>")


def test_markup_cannot_carry_html() -> None:
    html = render('<script>alert(1)</script> <a href="x">y</a> **<b>**', RESOLVER, "en")
    assert "<script>" not in html and "<a " not in html
    assert "&lt;script&gt;" in html and "<strong>&lt;b&gt;</strong>" in html


def test_placeholders_show_the_enforced_values_in_each_language() -> None:
    text = "[[rule:CN-HOURS]]: [[param:day_starts_at]]–[[param:day_ends_at]], [[param:visit_min_team]] people"
    assert resolve(text, RESOLVER, "en") == "No collection at night: 08:00–22:00, 2 people"
    assert resolve(text, RESOLVER, "zh").startswith("禁止夜间催收: 08:00–22:00")
    tightened = Resolver(RESOLVER.rule_titles, {**RESOLVER.params, "day_ends_at": 21 * 60})
    assert "08:00–21:00" in resolve(text, tightened, "en")


def test_offsets_make_distractors_that_stay_wrong() -> None:
    assert plain("[[param:day_ends_at|+60]] or [[param:visit_min_team|+1]] or [[param:day_starts_at|-30]]",
                 RESOLVER, "en") == "23:00 or 3 or 07:30"
    assert plain("[[param:hours_consent]]", RESOLVER, "zh") == "是"


def test_unknown_placeholders_are_reported_not_rendered() -> None:
    assert check("[[rule:CN-NOPE]] and [[param:nothing]] and [[param:visit_min_team]]", RESOLVER) == [
        "unknown rule CN-NOPE", "unknown rule parameter nothing"]
    with pytest.raises(MarkupError):
        render("[[param:nothing]]", RESOLVER, "en")
    with pytest.raises(MarkupError, match="takes no offset"):
        resolve("[[param:hours_consent|+1]]", RESOLVER, "en")
