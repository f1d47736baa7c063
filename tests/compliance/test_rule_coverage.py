"""Every rule of ../shared/compliance-rules.md marked PLAN, PRE, REC or TXT is enforced here, and the
catalogue says where: the engine emits every PRE/PLAN id, the text filter maps every TXT id, and the
record checks or required fields cover every REC id."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from doorstep.compliance.core import engine, records
from doorstep.compliance.core.catalogue import RULES
from doorstep.compliance.core.packs import RULE_IDS

TABLE = Path(__file__).resolve().parents[2].parent / "shared" / "compliance-rules.md"
CODES = ("PLAN", "PRE", "REC", "TXT")
# REC rules met by required fields rather than a record check (see the model or importer named).
REC_BY_FIELD = {"CN-CONTACT-TRIGGER": "ContactObjection", "CN-CONTACT-SOURCE": "Contact.source",
                "US-DECEPT": "Requirement: say who you are"}


def table_rules() -> dict[str, set[str]]:
    if not TABLE.exists():
        pytest.skip(f"{TABLE} is not beside the repository")
    rules: dict[str, set[str]] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if re.match(r"\| [A-Z]{2}-[A-Z0-9-]+ \|", line):
            cells = [cell.strip() for cell in line.split("|")]
            rules[cells[1]] = set(re.findall(r"\b(PLAN|PRE|REC|TXT|UI|RET|AUD)\b", cells[5]))
    assert len(rules) >= 39
    return rules


def test_the_catalogue_knows_every_rule_of_the_table() -> None:
    assert set(table_rules()) <= set(RULES)
    assert set(RULES) >= RULE_IDS


def test_every_plan_pre_rec_txt_code_of_the_table_is_enforced() -> None:
    for rule_id, codes in table_rules().items():
        missing = (codes & set(CODES)) - RULES[rule_id].enforced
        assert not missing, f"{rule_id}: {sorted(missing)} not enforced"


def test_the_engine_emits_every_pre_and_plan_rule() -> None:
    source = inspect.getsource(engine)
    for rule in RULES.values():
        if rule.enforced & {"PRE", "PLAN"}:
            assert f'"{rule.id}"' in source, rule.id


def test_the_text_filter_maps_every_txt_rule() -> None:
    from doorstep.compliance.core.text import CATEGORY_RULES, THIRD_PARTY_RULES

    mapped = {rule for table in (CATEGORY_RULES, THIRD_PARTY_RULES) for by_country in table.values()
              for ids in by_country.values() for rule in ids}
    for rule in RULES.values():
        if "TXT" in rule.enforced:
            assert rule.id in mapped, rule.id


def test_every_rec_rule_has_a_record_check_or_a_required_field() -> None:
    record_source = inspect.getsource(records) + inspect.getsource(engine)
    for rule in RULES.values():
        if "REC" in rule.enforced:
            assert f'"{rule.id}"' in record_source or rule.id in REC_BY_FIELD, rule.id
