"""Every write endpoint is idempotent on its client id and refuses a collector who is not on the
visit's team: for each operation kind, through both the single-operation and the sync endpoint."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import close_old_connections, connection
from rest_framework.test import APIClient

from doorstep.field.models import FieldOperation, Visit
from doorstep.field.services import OPERATION_KINDS
from tests.field.test_operations import DAY, client_for, counts, finish, guided, send, start_visit
from tests.field.world import SIGNATURE_PNG, at_door, field_world, local, op

pytestmark = pytest.mark.django_db


def _fresh(world) -> dict[str, Any]:
    return op("check_in", local(DAY, 10), stop=world.stops[0].pk, **at_door(0))


def _started(kind: str, **data: Any) -> Callable[[Any], dict[str, Any]]:
    def build(world) -> dict[str, Any]:
        stop = start_visit(world)
        return op(kind, local(DAY, 10, 20), stop=stop, **data)
    return build


def _guided(kind: str, **data: Any) -> Callable[[Any], dict[str, Any]]:
    def build(world) -> dict[str, Any]:
        stop = start_visit(world)
        guided(world, stop)
        return op(kind, local(DAY, 10, 20), stop=stop, **data)
    return build


def _entry(world) -> dict[str, Any]:
    stop = start_visit(world)
    send(world.collectors[0], op("id_shown", local(DAY, 10, 3), stop=stop, mandate_number="M-1"))
    return op("entry", local(DAY, 10, 4), stop=stop, entered=True, consent=True)


def _sign(world) -> dict[str, Any]:
    stop = start_visit(world)
    guided(world, stop)
    send(world.collectors[0], op("finances", local(DAY, 10, 6), stop=stop, monthly_income="8000",
                                 monthly_expenses="3000"))
    _, proposal = send(world.collectors[0], op("plan_propose", local(DAY, 10, 7), stop=stop, total="1200", count=4,
                                               interval="monthly", first_due_on="2026-12-10"))
    return op("plan_sign", local(DAY, 10, 9), plan_op=proposal["id"], signer_name="王", signature_png=SIGNATURE_PNG)


def _close(world) -> dict[str, Any]:
    stop = start_visit(world)
    guided(world, stop)
    finish(world, stop)
    return op("close", local(DAY, 10, 45), stop=stop, outcome="met")


def _finances(world) -> dict[str, Any]:
    return _guided("finances", monthly_income="8000", monthly_expenses="3000")(world)


def _plan(world) -> dict[str, Any]:
    stop = start_visit(world)
    guided(world, stop)
    send(world.collectors[0], op("finances", local(DAY, 10, 6), stop=stop, monthly_income="8000",
                                 monthly_expenses="3000"))
    return op("plan_propose", local(DAY, 10, 8), stop=stop, total="1200", count=4, interval="monthly",
              first_due_on="2026-12-10")


SETUPS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "check_in": _fresh,
    "check_out": _started("check_out", **at_door(0)),
    "id_shown": _started("id_shown", mandate_number="WT-7"),
    "entry": _entry,
    "met": _guided("met", party="guarantor"),
    "reason": _guided("reason", reason="illness", note="in hospital since May"),
    "finances": _finances,
    "tension": _started("tension", level=1, note="a little tense"),
    "asked_to_leave": _started("asked_to_leave"),
    "promise": _guided("promise", amount="300.00", due_on="2026-12-01"),
    "plan_propose": _plan,
    "plan_sign": _sign,
    "payment_request": _guided("payment_request", amount="250.00"),
    "cash_receipt": _guided("cash_receipt", amount="100.00", receipt_number="R-77"),
    "dispute": _started("dispute", reason="says the amount is wrong"),
    "complaint": _started("complaint", summary="too many calls last week"),
    "recording_add": _started("recording_add", reference="cam.mp4", sha256="e" * 64,
                              starts_at=local(DAY, 10).isoformat(), ends_at=local(DAY, 10, 30).isoformat()),
    "close": _close,
    "sos": _started("sos", lat=22.53, lon=114.04, accuracy_m=9.0),
    "position": lambda world: op("position", local(DAY, 10, 30), lat=22.53, lon=114.04, accuracy_m=9.0),
}


def test_every_kind_has_a_setup() -> None:
    assert set(SETUPS) == set(OPERATION_KINDS)


@pytest.mark.parametrize("kind", OPERATION_KINDS)
def test_a_retried_operation_is_applied_once(kind: str) -> None:
    world = field_world(DAY)
    operation = SETUPS[kind](world)
    lead = world.collectors[0]
    response, first = send(lead, operation)
    assert response.status_code == 201
    after = counts()
    for _ in range(2):
        response, again = send(lead, operation, expect="replayed")
        assert response.status_code == 200 and again["result"] == first["result"]
    synced = client_for(lead).post("/api/v1/field/sync/", {"operations": [operation, operation]}, format="json")
    assert [item["status"] for item in synced.json()["results"]] == ["replayed", "replayed"]
    assert counts() == after
    assert FieldOperation.objects.filter(client_id=operation["id"]).count() == 1


@pytest.mark.parametrize("kind", [kind for kind in OPERATION_KINDS if kind != "position"])
def test_a_collector_of_another_team_is_refused_and_nothing_changes(kind: str) -> None:
    world = field_world(DAY)
    operation = SETUPS[kind](world)
    before = counts()
    response, body = send(world.outsider, operation, expect="forbidden")
    assert response.status_code == 403 and "team" in body["message"]
    synced = client_for(world.outsider).post("/api/v1/field/sync/", {"operations": [operation]}, format="json")
    assert synced.json()["results"][0]["status"] == "forbidden"
    response, _ = send(world.supervisor, operation, expect="forbidden")
    assert counts() == before


def test_an_id_sent_again_with_other_content_is_a_conflict() -> None:
    world = field_world(DAY)
    operation = _fresh(world)
    send(world.collectors[0], operation)
    changed = dict(operation, data=dict(operation["data"], lat=22.6))
    response, body = send(world.collectors[0], changed, expect="conflict")
    assert response.status_code == 409 and body["code"] == "id_reused"
    response, body = send(world.collectors[1], operation, expect="conflict")  # another phone, same id


def test_bad_envelopes_are_refused_with_the_field_named() -> None:
    world = field_world(DAY)
    lead = world.collectors[0]
    for operation, words in [
        ({"id": "short", "kind": "sos", "at": local(DAY, 10).isoformat(), "data": {}}, "id must be"),
        ({"id": "x" * 20, "kind": "fly", "at": local(DAY, 10).isoformat(), "data": {}}, "unknown kind"),
        ({"id": "x" * 20, "kind": "sos", "at": "2026-11-24T10:00:00", "data": {}}, "time zone"),
        ({"id": "x" * 20, "kind": "sos", "at": local(DAY, 10).isoformat(), "data": []}, "data must be"),
        ({"id": "x" * 20, "kind": "sos", "at": local(DAY, 10).isoformat(), "data": {"lat": 95, "lon": 1}},
         "lat must be"),
    ]:
        _, body = send(lead, operation, expect="rejected")
        assert words in body["message"]
    assert FieldOperation.objects.count() == 0
    response = client_for(lead).post("/api/v1/field/sync/", {"operations": [{}] * 201}, format="json")
    assert response.status_code == 400


def test_a_sync_batch_applies_in_order_and_reports_each_result() -> None:
    world = field_world(DAY)
    stop = world.stops[0].pk
    lead, second = world.collectors
    send(second, op("check_in", local(DAY, 10), stop=stop, **at_door(0)))
    batch = [op("check_in", local(DAY, 10, 1), stop=stop, **at_door(0)),
             op("id_shown", local(DAY, 10, 2), stop=stop, mandate_number="M-9"),
             op("promise", local(DAY, 10, 3), stop=stop, amount="10", due_on="2026-11-30"),  # entry not yet
             op("entry", local(DAY, 10, 4), stop=stop, entered=False, consent=False)]
    results = client_for(lead).post("/api/v1/field/sync/", {"operations": batch}, format="json").json()["results"]
    assert [item["status"] for item in results] == ["applied", "applied", "rejected", "applied"]
    assert results[2]["rules"] == ["CN-VISIT-ENTRY"]
    assert Visit.objects.get().entry_recorded_at == local(DAY, 10, 4)


@pytest.mark.django_db(transaction=True)
def test_the_same_operation_sent_at_once_from_two_connections_is_applied_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    world = field_world(DAY)
    send(world.collectors[1], op("check_in", local(DAY, 10), stop=world.stops[0].pk, **at_door(0)))
    operation = op("check_in", local(DAY, 10, 1), stop=world.stops[0].pk, **at_door(0))
    statuses: list[str] = []
    barrier = threading.Barrier(2)

    def post() -> None:
        client = APIClient()
        client.force_authenticate(world.collectors[0])
        barrier.wait()
        statuses.append(client.post("/api/v1/field/operations/", operation, format="json").json()["status"])
        close_old_connections()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == ["applied", "replayed"]
    visit = Visit.objects.get()
    assert visit.checks.count() == 2 and visit.status == Visit.Status.IN_PROGRESS
