"""The collectors' field app in real Chromium: a full visit on two phones, the same visit recorded
offline and replayed, an SOS reaching the supervisor's board, and a close refused until the
recording is attached.

Each phone is its own browser context (its own cookies, IndexedDB and service worker) with a
position at the first borrower's door. The world's consent override of CN-HOURS lets the visit
start at whatever hour the tests run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from doorstep.compliance.models import ContactAttempt
from doorstep.field.models import CheckEvent, FieldOperation, Promise, Recording, RepaymentPlan, SafetyAlert, Visit
from tests.browser.conftest import log_in
from tests.field.world import SHANGHAI, FieldWorld, field_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AT_THE_DOOR = {"latitude": 22.53, "longitude": 114.04, "accuracy": 12}
LEDGER_MODELS = (Visit, CheckEvent, Promise, RepaymentPlan, Recording, FieldOperation, SafetyAlert)


# The operations this phone made, oldest first, exactly as it sent them (from its IndexedDB journal).
OPERATIONS_JS = """async () => {
  const user = JSON.parse(document.getElementById("field-config").textContent).user.id;
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open(`doorstep-field-${user}`);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const rows = await new Promise((resolve, reject) => {
    const request = db.transaction("journal").objectStore("journal").index("seq").getAll();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  db.close();
  return rows.map(({ id, kind, at, data, status }) => ({ id, kind, at, data, status }));
}"""


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in LEDGER_MODELS}


@pytest.fixture
def world(db: Any) -> FieldWorld:
    return field_world(datetime.now(SHANGHAI).date(), consent_all_day=True)


@pytest.fixture
def open_phone(browser: Any, live_server: Any) -> Iterator[Callable[[str], Any]]:
    """A logged-in phone (390 × 844, touch, zh-CN, location allowed) showing the field app."""
    contexts: list[Any] = []
    errors: list[str] = []

    def open_(username: str) -> Any:
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN",
            extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"}, geolocation=AT_THE_DOOR,
            permissions=["geolocation"], service_workers="allow")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda error: errors.append(f"{username}: {error}"))
        log_in(page, live_server.url, username)
        page.goto(f"{live_server.url}/field/")
        page.wait_for_selector('[data-test="stop"]')
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not errors, errors


def tap(page: Any, test: str) -> None:
    page.locator(f'[data-test="{test}"]').first.click()


def open_stop(page: Any, stop_id: int) -> None:
    if page.locator(f'[data-test="stop-screen"][data-stop="{stop_id}"]').count():
        return
    page.click(f'[data-test="stop"][data-stop="{stop_id}"] [data-test="stop-open"]')
    page.wait_for_selector(f'[data-test="stop-screen"][data-stop="{stop_id}"]')


def step(page: Any, name: str) -> Any:
    return page.locator(f'[data-test="step"][data-step="{name}"]')


def wait_step(page: Any, name: str, state: str = "current") -> None:
    page.wait_for_selector(f'[data-test="step"][data-step="{name}"][data-state="{state}"]')


def choose_step(page: Any, name: str) -> None:
    step(page, name).locator('[data-test="step-head"]').click()
    page.wait_for_selector(f'[data-test="step"][data-step="{name}"].selected')


def synced(page: Any, timeout: int = 20_000) -> None:
    page.wait_for_selector('[data-test="pending-count"][data-count="0"]', timeout=timeout)


def check_in(page: Any, stop_id: int) -> None:
    open_stop(page, stop_id)
    tap(page, "check-in")
    wait_step(page, "check_in", "done")
    synced(page)


def refresh_until_started(page: Any) -> None:
    tap(page, "refresh")
    page.wait_for_selector('[data-test="team-count"][data-started="yes"]')


def conversation(page: Any, *, mandate: str = "WT-2026-0001") -> None:
    """Steps 2–6: work id and mandate, entry, who was met, reason, finances."""
    wait_step(page, "id_shown")
    page.fill('[data-test="mandate"]', mandate)
    tap(page, "id-shown")
    wait_step(page, "entry")
    tap(page, "entry-outside")
    wait_step(page, "met")
    tap(page, "met-debtor")
    wait_step(page, "reason")
    tap(page, "reason-job_loss")
    page.fill('[data-test="reason-note"]', "factory closed in October")
    tap(page, "reason-save")
    wait_step(page, "finances")
    page.fill('[data-test="income"]', "8000")
    page.fill('[data-test="expenses"]', "3000")
    tap(page, "finances-save")
    wait_step(page, "outcomes")


def promise_and_plan(page: Any) -> None:
    """A promise and a plan below the approval threshold, signed on the canvas."""
    tap(page, "outcome-promise")
    page.fill('[data-test="promise-amount"]', "500")
    tap(page, "promise-send")
    page.wait_for_selector('[data-test="promise-item"]')
    tap(page, "outcome-plan")
    page.fill('[data-test="plan-total"]', "3000")
    page.fill('[data-test="plan-count"]', "6")
    page.select_option('[data-test="plan-interval"]', "monthly")
    rows = page.locator('[data-test="plan-row"]')
    rows.nth(5).wait_for()
    assert [rows.nth(index).get_attribute("data-amount") for index in range(rows.count())] == ["500.00"] * 6
    page.fill('[data-test="plan-total"]', "3000.05")  # the odd cents go to the first installments
    assert [rows.nth(index).get_attribute("data-amount") for index in range(rows.count())] == (
        ["500.01"] * 5 + ["500.00"])
    page.fill('[data-test="plan-total"]', "3000")
    tap(page, "plan-send")
    plan = page.locator('[data-test="plan"]')
    plan.locator('[data-test="signature"]').wait_for()
    sign(page)


def sign(page: Any) -> None:
    canvas = page.locator('[data-test="signature"]')
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] * 0.6)
    page.mouse.down()
    for index in range(1, 25):
        page.mouse.move(box["x"] + 20 + index * 12, box["y"] + box["height"] * (0.6 - 0.3 * ((index % 6) / 6)),
                        steps=2)
    page.mouse.up()
    page.fill('[data-test="signer-name"]', "王0号")
    tap(page, "sign")


def check_out(page: Any) -> None:
    choose_step(page, "check_out")
    tap(page, "check-out")
    wait_step(page, "check_out", "done")


def attach(page: Any, path: Path) -> None:
    choose_step(page, "recording")
    page.set_input_files('[data-test="recording-file"]', str(path))
    page.wait_for_selector('[data-test="recording-item"]')


def close_met(page: Any) -> None:
    choose_step(page, "close")
    tap(page, "close-met")


def recording_file(tmp_path: Path) -> tuple[Path, str]:
    content = b"body camera recording (generated for a test) " * 500
    path = tmp_path / "CAM1-0001.mp4"
    path.write_bytes(content)
    return path, hashlib.sha256(content).hexdigest()


def assert_visit_recorded(world: FieldWorld, digest: str) -> Visit:
    visit = Visit.objects.get(case=world.cases[0])
    assert (visit.status, visit.outcome, visit.mandate_number, visit.party_met, visit.arrears_reason) == (
        "closed", "met", "WT-2026-0001", "debtor", "job_loss")
    assert (str(visit.monthly_income), str(visit.monthly_expenses)) == ("8000.00", "3000.00")
    assert CheckEvent.objects.filter(visit=visit, kind="in").count() == 2
    assert CheckEvent.objects.filter(visit=visit, kind="out").count() == 2
    promise = Promise.objects.get(visit=visit)
    assert str(promise.amount) == "500.00"
    plan = RepaymentPlan.objects.get(visit=visit)
    assert plan.status == "signed" and plan.signer_name == "王0号"
    assert plan.signature_sha256 == hashlib.sha256(bytes(plan.signature_png)).hexdigest()
    assert [item["amount"] for item in plan.schedule] == ["500.00"] * 6
    recording = Recording.objects.get(visit=visit)
    assert recording.sha256 == digest and recording.reference == "CAM1-0001.mp4"
    first_in = CheckEvent.objects.filter(visit=visit, kind="in").order_by("device_at").first()
    assert first_in is not None and recording.starts_at == first_in.device_at  # the recording began at check-in
    last_out = CheckEvent.objects.filter(visit=visit, kind="out").order_by("-device_at").first()
    assert last_out is not None and recording.ends_at >= last_out.device_at
    attempt = visit.contact_attempt
    assert attempt is not None
    assert (attempt.status, attempt.outcome) == (ContactAttempt.Status.COMPLETED, "met")
    return visit


def test_a_full_visit_from_check_in_to_a_signed_agreement(world, open_phone, live_server, tmp_path) -> None:
    stop = world.stops[0].pk
    lead, partner = open_phone("fc1"), open_phone("fc2")
    first = lead.locator(f'[data-test="stop"][data-stop="{stop}"]')
    assert first.get_attribute("data-status") == "none"
    assert first.locator('[data-test="stop-flag"]').is_visible()  # the dog, before leaving
    assert first.locator('[data-test="nav-geo"]').get_attribute("href").startswith("geo:22.53")
    assert "uri.amap.com" in first.locator('[data-test="nav-amap"]').get_attribute("href")
    assert lead.get_attribute('[data-test="progress"]', "data-total") == "3"

    check_in(lead, stop)
    assert lead.locator('[data-test="safety-banner"]').is_visible()
    assert lead.locator('[data-test="recording-since"]').is_visible()
    assert lead.get_attribute('[data-test="team-count"]', "data-started") == "no"
    assert lead.locator('[data-test="requirements"] [data-rule="CN-VISIT-2P"]').count() == 1
    wait_step(lead, "id_shown", "waiting")
    assert Visit.objects.get().status == "checking_in"

    check_in(partner, stop)
    assert Visit.objects.get().status == "in_progress"
    refresh_until_started(lead)
    conversation(lead)

    tap(lead, "tension-2")
    lead.wait_for_selector('[data-test="prompts"][data-level="2"] li')
    synced(lead)
    assert lead.locator('[data-test="prompts"] li').count() == 3

    promise_and_plan(lead)
    lead.wait_for_selector('[data-test="plan"][data-status="signed"] [data-test="agreement-zh"]')
    synced(lead)
    tap(lead, "outcome-payment")
    lead.fill('[data-test="payment-amount"]', "500")
    tap(lead, "payment-send")
    qr = lead.locator('[data-test="payment-qr"]')
    qr.wait_for()
    assert qr.get_attribute("src").startswith("data:image/svg+xml")
    lead.wait_for_function("document.querySelector('[data-test=\"payment-qr\"]').naturalWidth > 0")
    assert lead.get_attribute('[data-test="payment-link"]', "href").startswith("https://")
    tap(lead, "outcome-cash")
    lead.fill('[data-test="cash-amount"]', "80")
    lead.fill('[data-test="cash-receipt"]', "R-2026-000123")
    tap(lead, "cash-send")
    lead.wait_for_selector('[data-test="cash-item"]')
    synced(lead)
    from doorstep.field.models import CashReceipt

    receipt = CashReceipt.objects.get()
    assert (receipt.receipt_number, str(receipt.amount)) == ("R-2026-000123", "80.00")
    assert receipt.deposit_confirmed_at is None  # open until a supervisor confirms the deposit
    tap(lead, "outcomes-done")
    wait_step(lead, "check_out")

    check_out(lead)
    synced(lead)
    partner.reload()
    partner.wait_for_selector(f'[data-test="stop-screen"][data-stop="{stop}"]')
    check_out(partner)
    synced(partner)
    path, digest = recording_file(tmp_path)
    attach(lead, path)
    synced(lead)
    close_met(lead)
    lead.wait_for_selector('[data-test="visit-status"][data-status="closed"]')
    synced(lead)

    visit = assert_visit_recorded(world, digest)
    plan = RepaymentPlan.objects.get(visit=visit)
    href = lead.get_attribute('[data-test="agreement-zh"]', "href")
    assert href == f"/api/v1/field/plans/{plan.pk}/agreement.pdf?lang=zh-hans"
    for language in ("zh-hans", "en"):
        response = lead.request.get(f"{live_server.url}/api/v1/field/plans/{plan.pk}/agreement.pdf?lang={language}")
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        assert response.body().startswith(b"%PDF")
    lead.click('[data-test="back"]')
    lead.wait_for_selector('[data-test="progress"][data-closed="1"]')
    assert lead.get_attribute(f'[data-test="stop"][data-stop="{stop}"]', "data-status") == "closed"
    assert not lead.locator('[data-test="attention"]').count()


def test_the_same_visit_recorded_offline_syncs_once_and_replays_change_nothing(
        world, open_phone, live_server, tmp_path) -> None:
    stop = world.stops[0].pk
    lead, partner = open_phone("fc1"), open_phone("fc2")
    lead.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    # Both collectors check in online: the visit starts on the server only once both have.
    check_in(lead, stop)
    check_in(partner, stop)
    refresh_until_started(lead)
    before = counts()

    lead.context.set_offline(True)
    lead.wait_for_selector('[data-test="online"][data-state="offline"]')
    conversation(lead)
    promise_and_plan(lead)
    lead.wait_for_selector('[data-test="plan"][data-status="signing"]')  # signed here, sent later
    tap(lead, "outcome-payment")
    assert lead.locator('[data-test="payment-offline"]').is_visible()  # the link comes from the gateway
    assert lead.locator('[data-test="payment-send"]').is_disabled()
    tap(lead, "outcomes-done")
    check_out(lead)
    check_out(partner)  # the partner's phone is online
    synced(partner)
    path, digest = recording_file(tmp_path)
    attach(lead, path)
    close_met(lead)
    lead.wait_for_selector('[data-test="closing"]')
    waiting = int(lead.get_attribute('[data-test="pending-count"]', "data-count") or "0")
    assert waiting == 11  # id, entry, met, reason, finances, promise, plan, sign, check-out, recording, close
    expected = {**before, "CheckEvent": before["CheckEvent"] + 1, "FieldOperation": before["FieldOperation"] + 1}
    assert counts() == expected  # only the partner's check-out reached the server
    assert Visit.objects.get().status == "in_progress"

    # Offline, a reload is answered by the service worker: the shell, the saved route, the queue.
    response = lead.reload()
    assert response is not None and response.from_service_worker
    lead.wait_for_selector(f'[data-test="stop-screen"][data-stop="{stop}"]')
    lead.wait_for_selector('[data-test="offline-banner"]')
    assert lead.get_attribute('[data-test="pending-count"]', "data-count") == str(waiting)
    lead.click('[data-test="back"]')
    lead.wait_for_selector(f'[data-test="stop"][data-stop="{stop}"]')
    assert lead.locator('[data-test="stop"]').count() == 3
    assert counts() == expected

    lead.context.set_offline(False)
    synced(lead, timeout=40_000)
    assert not lead.locator('[data-test="attention"]').count()
    visit = assert_visit_recorded(world, digest)
    assert visit.status == "closed"

    # Replays of everything the phone sent, twice, change nothing and are answered "replayed".
    operations = [{key: row[key] for key in ("id", "kind", "at", "data")} for row in lead.evaluate(OPERATIONS_JS)]
    assert len(operations) == 12 and {row["id"] for row in operations} <= set(
        FieldOperation.objects.values_list("client_id", flat=True))
    settled = counts()
    token = next(cookie["value"] for cookie in lead.context.cookies() if cookie["name"] == "csrftoken")
    for _ in range(2):
        reply = lead.request.post(f"{live_server.url}/api/v1/field/sync/", data=json.dumps({"operations": operations}),
                                  headers={"Content-Type": "application/json", "X-CSRFToken": token})
        assert reply.status == 200
        results = reply.json()["results"]
        assert [result["id"] for result in results] == [row["id"] for row in operations]
        assert {result["status"] for result in results} == {"replayed"}
    assert counts() == settled
    assert RepaymentPlan.objects.count() == Promise.objects.count() == Recording.objects.count() == 1


def test_an_sos_from_a_phone_appears_on_the_supervisors_board_without_a_reload(
        world, open_phone, desktop, live_server) -> None:
    log_in(desktop, live_server.url, "fboss")
    desktop.goto(f"{live_server.url}/field/board/")
    desktop.wait_for_selector('[data-test="board"]')
    desktop.evaluate("window.stillTheSamePage = true")
    assert not desktop.locator('[data-test="alert"][data-kind="sos"]').count()

    phone = open_phone("fc1")
    open_stop(phone, world.stops[0].pk)
    tap(phone, "sos")
    phone.wait_for_selector('[data-test="sos-status"][data-state="sent"]')
    synced(phone)
    alert = SafetyAlert.objects.get(kind="sos")
    assert alert.raised_by is not None and alert.raised_by.username == "fc1"
    assert (round(alert.lat, 2), round(alert.lon, 2)) == (22.53, 114.04) and alert.team == world.team

    desktop.wait_for_selector('[data-test="alert"][data-kind="sos"]', timeout=30_000)
    assert desktop.evaluate("window.stillTheSamePage") is True


def test_an_sos_raised_offline_offers_a_text_message_and_is_sent_when_the_network_returns(
        world, open_phone, settings) -> None:
    settings.DOORSTEP_FIELD_SOS_PHONE = "+8613800000000"
    phone = open_phone("fc2")
    phone.reload()  # the route now carries the duty phone
    phone.wait_for_selector('[data-test="stop"]')
    phone.context.set_offline(True)
    phone.wait_for_selector('[data-test="online"][data-state="offline"]')
    tap(phone, "sos")
    phone.wait_for_selector('[data-test="sos-status"][data-state="queued"]')
    sms = phone.get_attribute('[data-test="sos-sms"]', "href")
    assert sms is not None and sms.startswith("sms:+8613800000000?body=") and "22.53" in sms
    assert phone.get_attribute('[data-test="pending-count"]', "data-count") == "1"
    assert not SafetyAlert.objects.exists()
    phone.context.set_offline(False)
    synced(phone)
    assert SafetyAlert.objects.get().kind == "sos"


def test_a_visit_cannot_close_until_its_recording_is_attached(world, open_phone, tmp_path) -> None:
    stop = world.stops[0].pk
    lead, partner = open_phone("fc1"), open_phone("fc2")
    check_in(lead, stop)
    check_in(partner, stop)
    refresh_until_started(lead)
    conversation(lead)
    tap(lead, "outcomes-done")
    check_out(lead)
    check_out(partner)
    synced(partner)
    synced(lead)

    close_met(lead)
    refusal = lead.locator('[data-test="step"][data-step="close"] [data-test="step-refusal"]')
    refusal.wait_for()
    assert "CN-VISIT-AV" in [rule.get_attribute("data-rule") for rule in refusal.locator('[data-test="rule"]').all()]
    assert "recording" in refusal.inner_text()
    item = lead.locator('[data-test="attention-item"][data-kind="close"]')
    assert item.get_attribute("data-status") == "rejected" and "CN-VISIT-AV" in item.inner_text()
    assert lead.get_attribute('[data-test="visit-status"]', "data-status") == "in_progress"
    assert Visit.objects.get().status == "in_progress" and Visit.objects.get().closed_at is None

    refused_id = item.get_attribute("data-op")
    assert not FieldOperation.objects.filter(client_id=refused_id).exists()  # refusals are not recorded

    path, digest = recording_file(tmp_path)
    attach(lead, path)
    synced(lead)
    # A retry sends the very same operation again; with the recording attached it now applies.
    item.locator('[data-test="attention-retry"]').click()
    lead.wait_for_selector('[data-test="visit-status"][data-status="closed"]')
    synced(lead)
    assert not lead.locator('[data-test="attention"]').count()
    visit = Visit.objects.get()
    assert (visit.status, visit.outcome) == ("closed", "met")
    assert FieldOperation.objects.get(client_id=refused_id).kind == "close"
    assert Recording.objects.get(visit=visit).sha256 == digest


def test_steps_refused_by_the_server_wait_for_the_collector_across_a_restart(world, open_phone) -> None:
    stop = world.stops[0].pk
    lead, partner = open_phone("fc1"), open_phone("fc2")
    # Offline, the phone cannot know whether the partner has checked in: it lets the visit go on.
    lead.context.set_offline(True)
    lead.wait_for_selector('[data-test="online"][data-state="offline"]')
    open_stop(lead, stop)
    tap(lead, "check-in")
    wait_step(lead, "id_shown")
    lead.fill('[data-test="mandate"]', "WT-2026-0001")
    tap(lead, "id-shown")
    wait_step(lead, "entry")
    tap(lead, "entry-outside")
    wait_step(lead, "met")
    assert lead.get_attribute('[data-test="pending-count"]', "data-count") == "3"

    # Back online, the check-in applies but the visit has not started: the two steps are refused.
    lead.context.set_offline(False)
    synced(lead)
    items = lead.locator('[data-test="attention-item"]')
    items.nth(1).wait_for()
    assert [items.nth(index).get_attribute("data-kind") for index in range(2)] == ["id_shown", "entry"]
    shown = lead.locator('[data-test="attention-item"][data-kind="id_shown"]')
    assert shown.get_attribute("data-status") == "rejected"
    assert "CN-VISIT-2P" in [rule.get_attribute("data-rule") for rule in shown.locator('[data-test="rule"]').all()]
    assert lead.locator('[data-test="step"][data-step="id_shown"] [data-test="step-refusal"]').count() == 1
    refused_id = shown.get_attribute("data-op")
    assert FieldOperation.objects.count() == 1  # only the check-in: refusals change nothing

    lead.reload()  # a restart keeps them
    shown.wait_for()
    lead.locator('[data-test="attention-item"][data-kind="entry"] [data-test="attention-dismiss"]').click()
    lead.wait_for_selector('[data-test="attention-item"][data-kind="entry"]', state="detached")

    check_in(partner, stop)
    refresh_until_started(lead)
    shown.locator('[data-test="attention-retry"]').click()  # the same operation, the same id
    wait_step(lead, "id_shown", "done")
    synced(lead)
    lead.wait_for_selector('[data-test="attention"]', state="detached")
    wait_step(lead, "entry")  # the dismissed step is done again, by hand
    assert FieldOperation.objects.get(client_id=refused_id).kind == "id_shown"
    assert Visit.objects.get().mandate_number == "WT-2026-0001"


def test_a_plan_above_the_threshold_waits_for_the_supervisor_then_is_signed(world, open_phone) -> None:
    from doorstep.field.services import repayment_plan_decide

    stop = world.stops[0].pk
    lead, partner = open_phone("fc1"), open_phone("fc2")
    check_in(lead, stop)
    check_in(partner, stop)
    refresh_until_started(lead)
    conversation(lead)
    tap(lead, "outcome-plan")
    lead.fill('[data-test="plan-total"]', "6000")
    lead.fill('[data-test="plan-count"]', "12")
    lead.wait_for_selector('[data-test="plan-approval-hint"]')
    tap(lead, "plan-send")
    lead.wait_for_selector('[data-test="plan"][data-status="pending_approval"] [data-test="plan-waiting"]')
    assert not lead.locator('[data-test="plan"] [data-test="signature"]').count()
    plan = RepaymentPlan.objects.get()
    assert plan.status == "pending_approval"
    repayment_plan_decide(plan=plan, approve=True, by=world.supervisor, note="")
    # The phone polls the plan while it waits; no reload.
    lead.wait_for_selector('[data-test="plan"][data-status="approved"] [data-test="signature"]', timeout=30_000)
    sign(lead)
    lead.wait_for_selector('[data-test="plan"][data-status="signed"] [data-test="agreement-en"]')
    synced(lead)
    plan.refresh_from_db()
    assert plan.status == "signed" and len(plan.signature_sha256) == 64


def test_a_hostile_doorstep_ends_the_conversation_and_the_visit_closes_as_asked_to_leave(
        world, open_phone) -> None:
    stop = world.stops[0].pk
    lead, partner = open_phone("fc1"), open_phone("fc2")
    check_in(lead, stop)
    check_in(partner, stop)
    refresh_until_started(lead)
    wait_step(lead, "id_shown")
    lead.fill('[data-test="mandate"]', "WT-2026-0001")
    tap(lead, "id-shown")
    wait_step(lead, "entry")
    tap(lead, "tension-4")
    lead.wait_for_selector('[data-test="prompts"][data-level="4"] [data-test="leave-now"]')
    tap(lead, "asked-to-leave")
    wait_step(lead, "check_out")
    for name in ("entry", "met", "reason", "finances", "outcomes"):
        assert step(lead, name).get_attribute("data-state") == "skipped"
    assert not lead.locator('[data-test="asked-to-leave"]').count()
    assert lead.locator('[data-test="tension-0"]').is_visible()  # the scale stays until check-out
    synced(lead)
    assert SafetyAlert.objects.filter(kind="hostile").count() == 1

    check_out(lead)
    check_out(partner)
    synced(partner)
    choose_step(lead, "recording")
    # A body camera shows its own reference and SHA-256: typed in by hand.
    lead.fill('[data-test="recording-reference"]', "BODYCAM-7/0042")
    lead.fill('[data-test="recording-sha256"]', "AB" * 32)
    tap(lead, "recording-send")
    lead.wait_for_selector('[data-test="recording-item"]')
    choose_step(lead, "close")
    tap(lead, "close-visit")
    lead.wait_for_selector('[data-test="visit-status"][data-status="closed"]')
    synced(lead)
    visit = Visit.objects.get()
    assert (visit.status, visit.outcome) == ("closed", "asked_to_leave")
    assert Recording.objects.get(visit=visit).sha256 == "ab" * 32


def test_a_collector_sees_that_their_certificate_runs_out_soon(world: FieldWorld, open_phone: Any) -> None:
    from datetime import timedelta

    from doorstep.training.models import Certificate

    expires = world.day + timedelta(days=10)
    Certificate.objects.filter(user=world.collectors[0]).update(expires_on=expires)
    page = open_phone(world.collectors[0].username)
    banner = page.locator('[data-test="certificate-banner"]')
    banner.wait_for()
    assert expires.isoformat() in banner.inner_text()
    assert banner.locator("a").get_attribute("href") == "/training/"
    other = open_phone(world.collectors[1].username)
    assert other.locator('[data-test="certificate-banner"]').count() == 0
