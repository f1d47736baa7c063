"""The supervisor's plan pages with the real solver: build and solve, read the routes and the cases
left out, lock / move / remove / add and re-optimise, publish, print a team's route sheet."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from doorstep.accounts.models import Role
from doorstep.compliance.models import BorrowerState
from doorstep.planning.models import Exclusion, Plan, Stop, TeamSchedule
from doorstep.portfolio.models import Case
from doorstep.web.maps import frame_for, mercator, tiles_for
from tests.factories import BorrowerFactory, CaseFactory, TeamFactory, TerritoryFactory, UserFactory

DAY = date(2026, 12, 2)
LANGUAGES = ["zh-hans", "en"]
# Borrowers around the centre (22.54, 114.05), a few hundred metres to two kilometres apart.
NEAR = [(22.545, 114.052), (22.538, 114.060), (22.550, 114.045), (22.533, 114.048), (22.541, 114.067),
        (22.529, 114.058), (22.552, 114.061), (22.546, 114.038)]
FAR = (22.80, 114.40)  # some 45 km away: a small debt there is not worth the trip


@pytest.fixture(autouse=True)
def _fast_solver(settings: Any) -> None:
    settings.DOORSTEP_PLAN_TIME_LIMIT_S = 1
    settings.DOORSTEP_MAP_TILE_URL = ""


def make_book() -> dict[str, Any]:
    """Two teams of two in one territory (TA trained for hardship), eight open cases nearby, one far away
    and worth little, one blocked by a rule."""
    territory = TerritoryFactory(code="440304", name="福田区", center_lat=22.54, center_lon=114.05)
    collectors = [UserFactory(role=Role.COLLECTOR, username=f"c{n}", first_name=f"Collector{n}") for n in range(4)]
    team_a = TeamFactory(code="TA", name="Alpha", territory=territory, members=collectors[:2])
    team_b = TeamFactory(code="TB", name="Bravo", territory=territory, members=collectors[2:])
    TeamSchedule.objects.create(team=team_a, shift_start_minute=480, shift_end_minute=1200, skills=["hardship"])
    TeamSchedule.objects.create(team=team_b, shift_start_minute=480, shift_end_minute=1200)
    cases = [CaseFactory(borrower=BorrowerFactory(external_id=f"N{n}", lat=lat, lon=lon, address=f"福田路{n}号"),
                         territory=territory, bucket="M1", collectible_amount=Decimal("3000.00"))
             for n, (lat, lon) in enumerate(NEAR)]
    far = CaseFactory(borrower=BorrowerFactory(external_id="FAR", lat=FAR[0], lon=FAR[1]), territory=territory,
                      bucket="M6+", collectible_amount=Decimal("20.00"))
    blocked = CaseFactory(borrower=BorrowerFactory(external_id="ILL", lat=22.54, lon=114.05), territory=territory,
                          is_collection_blocked=True, cap_flag="illegal")
    BorrowerState.objects.create(borrower=cases[7].borrower, state="hardship", reason="lost job",
                                 set_at=timezone.now())
    return {"territory": territory, "teams": {"TA": team_a, "TB": team_b}, "cases": cases, "far": far,
            "blocked": blocked, "supervisor": UserFactory(username="boss", role=Role.SUPERVISOR),
            "collectors": collectors}


@pytest.fixture
def book(db: Any) -> dict[str, Any]:
    return make_book()


@pytest.fixture
def client_as(django_capture_on_commit_callbacks: Callable[..., Any]) -> Callable[..., Client]:
    def make(user: Any, language: str = "en") -> Client:
        client = Client()
        client.force_login(user)
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return make


@pytest.fixture
def inline(django_capture_on_commit_callbacks: Callable[..., Any]) -> Callable[..., Any]:
    """Run what a request enqueues (the solve task) as the request's transaction commits."""
    def run(call: Callable[[], Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def build(client: Client, book: dict[str, Any], inline: Callable[..., Any]) -> Plan:
    response = inline(lambda: client.post("/plans/", {"day": DAY.isoformat(), "territory": book["territory"].pk}))
    assert response.status_code == 302, response.content[:2000]
    plan = Plan.objects.latest("pk")
    assert response["Location"] == f"/plans/{plan.pk}/"
    assert plan.status == Plan.Status.READY, plan.message
    return plan


def stops_by_case(plan: Plan) -> dict[int, Stop]:
    return {stop.case_id: stop for stop in Stop.objects.filter(route__plan=plan).select_related("route__team")}


def exclusion_reasons(plan: Plan) -> dict[int, str]:
    return dict(plan.exclusions.values_list("case_id", "reason"))


@pytest.fixture
def solved(book: dict[str, Any], client_as: Callable[..., Client], inline: Callable[..., Any]) -> Iterator[Plan]:
    yield build(client_as(book["supervisor"]), book, inline)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_plan_page_shows_routes_times_values_and_why_cases_were_left_out(
        book: dict[str, Any], solved: Plan, client_as: Callable[..., Client], language: str) -> None:
    stops = stops_by_case(solved)
    out = exclusion_reasons(solved)
    assert out[book["blocked"].pk] == Exclusion.Reason.BLOCKED
    assert out[book["far"].pk] == Exclusion.Reason.NOT_WORTH_TRAVEL
    assert set(stops) == {case.pk for case in book["cases"]}
    assert stops[book["cases"][7].pk].route.team.code == "TA"  # the hardship case needs the trained team

    page = client_as(book["supervisor"], language).get(f"/plans/{solved.pk}/")
    assert page.status_code == 200
    html = page.text
    assert f'<html lang="{language}">' in html
    assert '<svg class="plan-map"' in html and html.count('class="map-stop"') == len(stops)
    # The blocked case lies among the routes and is drawn; the far one would shrink the routes to a dot.
    assert html.count('class="map-left-out"') == 1 and 'class="hint map-outside"' in html
    assert "<image" not in html  # no tile server configured: nothing is fetched
    for stop in stops.values():
        local = timezone.localtime(stop.start_at, timezone=ZoneInfo(book["territory"].timezone))
        assert local.strftime("%H:%M") in html
        assert f'href="/borrowers/{stop.case.borrower.external_id}/"' in html
        assert str(stop.prize) in html
    assert "900.00" in html  # 3000 collectible at the interim M1 rate of 30 %
    assert "CN-ILLEGAL-DEBT" in html and f'name="add" value="{book["far"].pk}"' in html
    assert f'name="add" value="{book["blocked"].pk}"' not in html  # a blocked case can never be added
    if language == "en":
        assert "not worth the travel" in html and "blocked by a rule" in html and "Re-optimise" in html
        assert ">Plans<" in html
    else:
        assert "不值得" in html and "被规则禁止" in html and "重新优化" in html
        assert "not worth the travel" not in html and "Re-optimise" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_lock_move_remove_then_reoptimise_makes_a_new_version_around_the_locks(
        book: dict[str, Any], solved: Plan, client_as: Callable[..., Client], inline: Callable[..., Any],
        language: str) -> None:
    stops = stops_by_case(solved)
    on_team = {code: [case_id for case_id, stop in stops.items() if stop.route.team.code == code
                      and case_id != book["cases"][7].pk] for code in ("TA", "TB")}
    source = "TA" if len(on_team["TA"]) >= 2 else "TB"
    target = "TB" if source == "TA" else "TA"
    locked, moved = on_team[source][0], on_team[source][1]
    removed = next(case_id for case_id in stops if case_id not in (locked, moved, book["cases"][7].pk))
    client = client_as(book["supervisor"], language)
    response = inline(lambda: client.post(f"/plans/{solved.pk}/revise/", {
        "lock": [str(locked)], "remove": [str(removed)], f"move-{moved}": target, f"move-{locked}": ""}))
    assert response.status_code == 302
    revised = Plan.objects.latest("pk")
    assert response["Location"] == f"/plans/{revised.pk}/"
    assert (revised.version, revised.previous_id, revised.status) == (2, solved.pk, Plan.Status.READY)
    after = stops_by_case(revised)
    assert after[locked].route.team.code == source and after[locked].is_locked
    assert after[moved].route.team.code == target and after[moved].is_locked
    assert removed not in after and exclusion_reasons(revised)[removed] == Exclusion.Reason.REMOVED
    assert exclusion_reasons(revised)[book["blocked"].pk] == Exclusion.Reason.BLOCKED
    solved.refresh_from_db()
    assert solved.status == Plan.Status.READY  # the earlier version is kept as it was
    page = client.get(f"/plans/{revised.pk}/").text
    assert page.count('class="flag warn locked-flag"') == 2
    assert ("removed by the supervisor" if language == "en" else "主管移除") in page


def test_add_brings_back_a_case_the_planner_left_out(book: dict[str, Any], solved: Plan,
                                                     client_as: Callable[..., Client],
                                                     inline: Callable[..., Any]) -> None:
    far = book["far"].pk
    assert far not in stops_by_case(solved)
    response = inline(lambda: client_as(book["supervisor"]).post(f"/plans/{solved.pk}/revise/", {"add": [str(far)]}))
    assert response.status_code == 302
    revised = Plan.objects.latest("pk")
    assert revised.status == Plan.Status.READY, revised.message
    assert far in stops_by_case(revised) and far not in exclusion_reasons(revised)


@pytest.mark.parametrize("language", LANGUAGES)
def test_bad_changes_are_refused_with_a_reason_and_change_nothing(
        book: dict[str, Any], solved: Plan, client_as: Callable[..., Client], inline: Callable[..., Any],
        language: str) -> None:
    client = client_as(book["supervisor"], language)
    hardship = book["cases"][7].pk
    before = Plan.objects.count()
    unknown = inline(lambda: client.post(f"/plans/{solved.pk}/revise/", {"lock": ["999999"]}))
    assert unknown.status_code == 400
    assert ("Case 999999 is not on a route of this plan" if language == "en" else "案件 999999 不在本计划的路线上") in (
        unknown.text)
    junk = client.post(f"/plans/{solved.pk}/revise/", {"remove": ["abc"]})
    assert junk.status_code == 400 and "abc" in junk.text
    skills = inline(lambda: client.post(f"/plans/{solved.pk}/revise/", {f"move-{hardship}": "TB"}))
    assert skills.status_code == 400
    assert (f"Team TB cannot take case {hardship}: it lacks hardship" if language == "en"
            else f"小组 TB 不能接手案件 {hardship}：缺少 hardship") in skills.text
    blocked = inline(lambda: client.post(f"/plans/{solved.pk}/revise/", {"add": [str(book["blocked"].pk)]}))
    assert blocked.status_code == 400
    assert Plan.objects.count() == before


def test_publish_assigns_pool_cases_and_supersedes_the_previous_published_version(
        book: dict[str, Any], solved: Plan, client_as: Callable[..., Client], inline: Callable[..., Any]) -> None:
    client = client_as(book["supervisor"])
    assert client.post(f"/plans/{solved.pk}/publish/").status_code == 302
    solved.refresh_from_db()
    assert solved.status == Plan.Status.PUBLISHED and solved.published_by == book["supervisor"]
    for case_id, stop in stops_by_case(solved).items():
        assert Case.objects.get(pk=case_id).team_id == stop.route.team_id
    again = client.post(f"/plans/{solved.pk}/publish/")  # publishing twice changes nothing
    assert again.status_code == 302
    inline(lambda: client.post(f"/plans/{solved.pk}/revise/", {}))
    newer = Plan.objects.latest("pk")
    assert newer.status == Plan.Status.READY, newer.message
    assert client.post(f"/plans/{newer.pk}/publish/").status_code == 302
    solved.refresh_from_db()
    newer.refresh_from_db()
    assert (solved.status, newer.status) == (Plan.Status.SUPERSEDED, Plan.Status.PUBLISHED)
    refused = client.post(f"/plans/{solved.pk}/publish/")
    assert refused.status_code == 409 and "Only a plan ready for review can be published" in refused.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_team_prints_its_published_route_sheet(book: dict[str, Any], solved: Plan,
                                                 client_as: Callable[..., Client], language: str) -> None:
    client_as(book["supervisor"]).post(f"/plans/{solved.pk}/publish/")
    member = book["collectors"][0]  # of TA
    sheet = client_as(member, language).get(f"/plans/{solved.pk}/teams/TA/sheet/")
    assert sheet.status_code == 200
    html = sheet.text
    route = solved.routes.get(team__code="TA")
    assert "Collector0" in html and "Collector1" in html
    for stop in route.stops.select_related("case__borrower"):
        assert stop.case.borrower.external_id in html and stop.case.borrower.address in html
        assert str(stop.prize) in html
    assert "CN-VISIT-AV" in html and "CN-VISIT-2P" in html
    assert ("record audio or video" if language == "en" else "全程录音录像") in html
    assert "@media print" not in html and "window.print()" in html
    other_team = client_as(member, language).get(f"/plans/{solved.pk}/teams/TB/sheet/")
    assert other_team.status_code == 404
    assert client_as(member, language).get(f"/plans/{solved.pk}/").status_code == 403
    listing = client_as(member, language).get("/plans/")
    assert f"/plans/{solved.pk}/teams/TA/sheet/" in listing.text and "/teams/TB/" not in listing.text


def test_the_list_polls_while_solving_and_the_status_fragment_reloads_when_done(
        book: dict[str, Any], client_as: Callable[..., Client]) -> None:
    client = client_as(book["supervisor"])
    response = client.post("/plans/", {"day": DAY.isoformat(), "territory": book["territory"].pk})
    plan = Plan.objects.latest("pk")  # the solve waits for the commit, which this test never makes
    assert response.status_code == 302 and plan.status == Plan.Status.SOLVING
    listing = client.get("/plans/").text
    assert f'hx-get="/plans/{plan.pk}/status/"' in listing
    page = client.get(f"/plans/{plan.pk}/").text
    assert f'hx-get="/plans/{plan.pk}/status/"' in page and "hx-trigger=\"every 2s\"" in page
    polling = client.get(f"/plans/{plan.pk}/status/")
    assert polling.status_code == 200 and "HX-Refresh" not in polling
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.FAILED, message="InfeasibleScenario: test")
    done = client.get(f"/plans/{plan.pk}/status/")
    assert done["HX-Refresh"] == "true"
    assert "InfeasibleScenario: test" in client.get(f"/plans/{plan.pk}/").text


def test_building_without_a_valid_day_is_refused(book: dict[str, Any], client_as: Callable[..., Client]) -> None:
    response = client_as(book["supervisor"]).post("/plans/", {"day": "soon"})
    assert response.status_code == 400 and Plan.objects.count() == 0


# --- the map --------------------------------------------------------------------------------------

def test_mercator_and_tiles_agree_with_the_slippy_map_numbering() -> None:
    x, y = mercator(22.54, 114.05)
    zoom = 12
    assert (int(x * 2 ** zoom), int(y * 2 ** zoom)) == (3345, 1784)  # the tile holding Futian at z12
    frame = frame_for([(22.53, 114.04), (22.56, 114.07)], width=800)
    tiles = tiles_for(frame)
    assert len({tile.z for tile in tiles}) == 1
    size = tiles[0].size
    assert size >= 256 and size < 512
    left = min(tile.left for tile in tiles)
    top = min(tile.top for tile in tiles)
    right = max(tile.left + tile.size for tile in tiles)
    bottom = max(tile.top + tile.size for tile in tiles)
    assert left <= 0 and top <= 0 and right >= frame.width and bottom >= frame.height


def test_a_configured_tile_server_puts_tiles_under_the_routes(book: dict[str, Any], solved: Plan,
                                                             client_as: Callable[..., Client], settings: Any) -> None:
    settings.DOORSTEP_MAP_TILE_URL = "https://tile.example/{z}/{x}/{y}.png"
    html = client_as(book["supervisor"]).get(f"/plans/{solved.pk}/").text
    tiles = re.findall(r'<image href="https://tile\.example/(\d+)/(\d+)/(\d+)\.png"', html)
    assert tiles and len({zoom for zoom, _, _ in tiles}) == 1
    assert html.index("<image") < html.index('class="map-route"')  # tiles are drawn first, under the routes

