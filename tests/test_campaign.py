"""The Windows 10 campaign: the client's record, the schedule against the provider's capacity (expected months
derived by hand from the rule in impactlib/analysis/campaign.py), the provider settings, the command, the
purchasing workbook and the page in English and French."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DEMO, DEMO_CLIENTS
from impactlib.analysis import campaign
from impactlib.analysis.assess import assess
from impactlib.errors import InvalidInput
from impactlib.io.folder import load_client
from impactlib.io.provider import load_provider
from impactlib.model.provider import Provider

ROOT = Path(__file__).resolve().parent.parent
A, B, C, D = "2027-01", "2027-02", "2027-03", "2027-04"


# --- the schedule ------------------------------------------------------------------------------------

@pytest.mark.parametrize("needs, months, capacity, expected", [
    # x takes January (10 h left); y (20 h) does not fit in those 10 h: February; z (10 h) fits January's 10 h
    ([("x", 30), ("y", 20), ("z", 10)], [A, B, C], 40, {"x": (A,), "y": (B,), "z": (A,)}),
    # x needs 100 h > 40: January 40, February 40, March 20; y (30 h) fits no month before April (March has 20 left)
    ([("x", 100), ("y", 30)], [A, B, C, D], 40, {"x": (A, B, C), "y": (D,)}),
    # x: January 40 + February 30; y (20 h) fits nowhere (0 and 10 h left): not placed; z (10 h) still fits February
    ([("x", 70), ("y", 20), ("z", 10)], [A, B], 40, {"x": (A, B), "y": (), "z": (B,)}),
    # y needs 60 h but only 10 + 40 are left: it books nothing, so z (40 h) gets the whole of February
    ([("x", 30), ("y", 60), ("z", 40)], [A, B], 40, {"x": (A,), "y": (), "z": (B,)}),
    # exactly the capacity: x fills January, y has no month
    ([("x", 40), ("y", 40)], [A], 40, {"x": (A,), "y": ()}),
    # no hours at all still get the first month (the client is on the plan)
    ([("x", 0), ("y", 40)], [A, B], 40, {"x": (A,), "y": (A,)}),
])
def test_schedule_places_clients_in_the_hand_derived_months(needs, months, capacity, expected):
    placed = campaign.schedule(needs, months, capacity)
    assert {c: tuple(m for m, _ in got) for c, got in placed.items()} == expected
    booked: dict[str, float] = {}
    for client, got in placed.items():
        assert sum(h for _, h in got) == pytest.approx(dict(needs)[client] if got else 0)
        for m, h in got:
            booked[m] = booked.get(m, 0.0) + h
    assert all(h <= capacity + 1e-9 for h in booked.values())


def test_working_months_skip_the_months_off_and_stop_at_the_deadline():
    months = campaign.working_months(dt.date(2027, 6, 15), dt.date(2027, 10, 12), (1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12))
    assert months == ["2027-06", "2027-07", "2027-09", "2027-10"]


def _record(due: str, groups: list[dict], hours_by_month=None, currency="EUR") -> dict:
    full = [{"asset_id": "PC", "model": "M", "quantity": 1, "verdict": "ready", "option": "upgrade", "failed": "",
             "technician_hours": 1.0, "one_off": 0.0, "lead_days": 0, **g} for g in groups]
    return {"currency": currency, "groups": full, "purchases": [], "technician_hours": hours_by_month or {},
            "esu": [{"year": 2, "start": "2026-10-14", "end": "2027-10-13", "amount": 183.0 * sum(g["quantity"] for g in full)}],
            "esu_currency": "USD", "due": due, "start": due}


def _status(client: str, record: dict | None, title: str | None = None, status: str = "ok") -> dict:
    return {"client": client, "scenario": "baseline", "default_scenario": True, "lang": "en", "status": status,
            "title": title or client.title(), "headline": {"verdict": "not_ready", "campaign": record} if record is not None else {}}


PROVIDER = Provider(name="Example IT Services", technician_hours_per_month=40, working_months=(1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12),
                    start=dt.date(2027, 1, 1), deadline=dt.date(2027, 3, 31))


def test_plan_orders_by_urgency_and_dates_the_orders():
    statuses = [
        # due last: placed last, nothing fits any more (January 40 - 30 = 10, February 40 - 40 = 0, March 40 - 25 = 15)
        _status("zeta", _record("2027-06-30", [{"quantity": 20, "technician_hours": 20.0}])),
        # same due date as beta, more PCs not ready: before beta
        _status("alpha", _record("2027-02-26", [{"quantity": 4, "verdict": "not_ready", "option": "replace", "technician_hours": 30.0,
                                                 "one_off": 4000.0, "lead_days": 21, "asset_id": "PC-OLD"}])),
        _status("beta", _record("2027-02-26", [{"quantity": 10, "technician_hours": 40.0}])),
        # due earliest but on Windows 11 already: no group, not on the campaign
        _status("clean", _record("2027-01-15", [])),
        # due in March with 25 h: March
        _status("gamma", _record("2027-03-19", [{"quantity": 3, "verdict": "unknown", "technician_hours": 25.0}])),
        _status("old", None),
    ]
    statuses[3]["headline"]["campaign"]["groups"] = []
    c = campaign.plan(statuses, PROVIDER)
    assert [p.client for p in c.clients] == ["alpha", "beta", "gamma", "zeta"]
    by = {p.client: p for p in c.clients}
    assert by["alpha"].months == ("2027-01",) and by["beta"].months == ("2027-02",) and by["gamma"].months == ("2027-03",)
    assert by["zeta"].months == () and [p.client for p in c.undone] == ["zeta"]
    # alpha moves in January 2027; 21 days of delivery before 1 January: ordered in December 2026
    assert by["alpha"].order_by == "2026-12" and c.purchases == {"2026-12": (4, {"EUR": 4000.0})}
    assert by["beta"].order_by is None and by["beta"].units == 0
    assert not by["alpha"].late and not by["gamma"].late
    assert c.booked == {"2027-01": 30.0, "2027-02": 40.0, "2027-03": 25.0}
    assert c.by_verdict == {"ready": 30, "firmware": 0, "not_ready": 4, "unknown": 3}
    assert c.by_option["replace"] == 4 and c.by_option["upgrade"] == 33
    assert c.esu[2][2] == pytest.approx(183.0 * 37) and c.esu_currency == "USD"
    assert c.missing == ("old",)


def test_a_client_placed_after_its_own_plan_is_late():
    statuses = [_status("a", _record("2027-01-29", [{"quantity": 5, "technician_hours": 40.0}])),
                _status("b", _record("2027-01-29", [{"quantity": 5, "technician_hours": 40.0}]))]
    c = campaign.plan(statuses, PROVIDER)
    assert [(p.client, p.months, p.late) for p in c.clients] == [("a", ("2027-01",), False), ("b", ("2027-02",), True)]


# --- one client's record --------------------------------------------------------------------------

def test_esu_bridge_is_cumulative_when_joining_and_yearly_after():
    v = load_client(DEMO / "lex-partners").catalog.products["windows-10"].version("22H2")
    years = campaign.esu_years(v.esu, v.end_of_support)
    assert [(k, first.isoformat(), price) for k, first, _, price in years] == [
        (1, "2025-10-14", 61.0), (2, "2026-10-14", 122.0), (3, "2027-10-14", 244.0)]
    assert years[-1][2] == dt.date(2028, 10, 10)
    today = dt.date(2026, 11, 30)  # in ESU year 2: joining pays years 1 and 2
    assert campaign.esu_bridge(years, today, dt.date(2027, 2, 26), 10) == {2: 1830.0}
    assert campaign.esu_bridge(years, today, dt.date(2027, 12, 1), 10) == {2: 1830.0, 3: 2440.0}
    assert campaign.esu_bridge(years, today, today, 10) == {}  # moved today: nothing


def test_lex_partners_record_has_its_laptops_orders_and_hours():
    an = assess(load_client(DEMO / "lex-partners"), "baseline", as_of=dt.date(2026, 11, 30))
    rec = campaign.client_record(an)
    groups = {g["asset_id"]: g for g in rec["groups"]}
    assert set(groups) == {"LAP-2017", "LAP-2022"}
    old, new = groups["LAP-2017"], groups["LAP-2022"]
    assert (old["verdict"], old["option"], old["quantity"]) == ("not_ready", "replace", 7) and "cpu" in old["failed"]
    assert (new["verdict"], new["option"], new["quantity"]) == ("ready", "upgrade", 8)
    # C2 starts 2027-01-23; the laptops take 3 weeks: ordered by 2027-01-02, in January
    assert rec["purchases"] == [{"month": "2027-01", "units": 7, "amount": old["one_off"]}]
    assert old["one_off"] == pytest.approx(7 * 1250.0)
    # the change's intervention hours, shared by PC, plus the recommended options' own hours (2 h per replaced laptop),
    # spread over January and February (start to go-live)
    total = float(an.cost_lines.set_index(["change_id", "item"]).loc[("C2", "intervention"), "quantity"])
    o = an.device_options
    extra = float(o.loc[o["recommended"], "technician_hours"].sum())
    assert extra == pytest.approx(7 * 2.0)
    assert sum(g["technician_hours"] for g in rec["groups"]) == pytest.approx(total + extra, abs=0.02)
    assert list(rec["technician_hours"]) == ["2027-01", "2027-02"]
    assert sum(rec["technician_hours"].values()) == pytest.approx(total + extra, abs=0.02)
    # 15 PCs on Windows 10 until 2027-02-26: ESU year 2 joined today, USD 61 + 122 each
    assert rec["esu"] == [{"year": 2, "start": "2026-10-14", "end": "2027-10-13", "amount": 15 * 183.0}]
    assert rec["due"] == "2027-02-26"


def test_acme_firmware_pcs_are_not_bought_and_unknown_pcs_are_verified_first():
    rec = campaign.client_record(assess(load_client(DEMO / "acme-industrie"), as_of=dt.date(2026, 11, 30)))
    groups = {g["asset_id"]: g for g in rec["groups"]}
    # Secure Boot capable but switched off: a firmware setting, not 12 new PCs
    assert (groups["PC-ATELIER"]["verdict"], groups["PC-ATELIER"]["option"], groups["PC-ATELIER"]["one_off"]) == ("firmware", "firmware", 0.0)
    # bought: the 35 OptiPlex 3040 and the 6 EliteBook 840 G4 (7th-generation and older CPUs); the 4 machine
    # controllers go to IoT LTSC
    assert sorted((a, g["quantity"]) for a, g in groups.items() if g["option"] == "replace") == [("LAP-2017", 6), ("PC-LOT2016", 35)]
    assert sum(p["units"] for p in rec["purchases"]) == 41
    rives = campaign.client_record(assess(load_client(DEMO / "cabinet-medical-rives"), as_of=dt.date(2026, 11, 30)))
    assert {g["asset_id"]: (g["verdict"], g["option"]) for g in rives["groups"]}["PC-SOINS"] == ("unknown", "verify")


@pytest.mark.parametrize("cid", DEMO_CLIENTS)
def test_the_record_carries_no_staff_identity(cid):
    from impactlib.io import privacy

    c = load_client(DEMO / cid)
    text = json.dumps(campaign.client_record(assess(c))).lower()
    for who in privacy.staff_identities(DEMO / cid / "staff.csv"):
        assert str(who).lower() not in text
    assert "@" not in text


# --- the provider settings ---------------------------------------------------------------------------

def test_the_demo_provider_settings_load():
    p = load_provider(ROOT / "data" / "provider.yaml")
    assert p.technician_hours_per_month > 0 and 8 not in p.working_months and p.start < p.deadline


@pytest.mark.parametrize("text, where, what", [
    ("technician_hours_per_month: -5\n", "technician_hours_per_month", "greater than 0"),
    ("working_months: [1, 13]\n", "working_months[1]", "less than or equal to 12"),
    ("working_months: []\n", "working_months", "at least one month"),
    ("deadline: 2026-11-01\n", "deadline", "must not be before start"),
    ("start: soon\n", "start", "date"),
    ("capacity: 10\n", "capacity", "unknown key"),
])
def test_bad_provider_settings_name_the_file_and_field(tmp_path, text, where, what):
    base = {"name": "P", "technician_hours_per_month": "40", "start": "2026-12-01", "deadline": "2027-06-30"}
    key = text.split(":")[0]
    lines = [f"{k}: {v}" for k, v in base.items() if k != key] + [text.strip()]
    path = tmp_path / "provider.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as e:
        load_provider(path)
    hits = [p for p in e.value.problems if p.column == where]
    assert hits and what in hits[0].message and hits[0].file == str(path), e.value.problems


def test_an_impossible_date_is_a_problem_not_a_traceback(tmp_path):
    path = tmp_path / "provider.yaml"
    path.write_text("name: P\ntechnician_hours_per_month: 40\nstart: 2027-13-01\ndeadline: 2027-06-30\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as e:
        load_provider(path)
    assert "month must be in 1..12" in e.value.problems[0].message and e.value.problems[0].file == str(path)


def test_every_provider_problem_is_reported_at_once(tmp_path):
    path = tmp_path / "provider.yaml"
    path.write_text("technician_hours_per_month: 0\nworking_months: [0]\nstart: 2027-01-01\ndeadline: 2027-06-30\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as e:
        load_provider(path)
    assert {p.column for p in e.value.problems} >= {"name", "technician_hours_per_month", "working_months[0]"}


# --- the command, the workbook, the pages -------------------------------------------------------------

def _reports(tmp_path: Path, statuses: list[dict]) -> Path:
    out = tmp_path / "reports"
    for st in statuses:
        folder = out / st["client"]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{st['scenario']}.{st['lang']}.status.json").write_text(json.dumps(st), encoding="utf-8")
    return out


EVIL = '=HYPERLINK("http://x","<script>alert(1)</script>")'


def _evil_statuses() -> list[dict]:
    return [_status("evil-co", _record("2027-02-26", [{"quantity": 3, "verdict": "not_ready", "option": "replace", "asset_id": "=cmd|'/c calc'!A1",
                                                       "model": "@SUM(1+1)", "technician_hours": 6.0, "one_off": 3000.0, "lead_days": 21}]),
                    title=EVIL),
            _status("plain-co", _record("2027-03-26", [{"quantity": 5, "technician_hours": 8.0}]))]


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "impactlib.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_campaign_command_writes_pages_and_workbook(tmp_path):
    out = _reports(tmp_path, _evil_statuses())
    r = cli("campaign", "--reports", str(out), "--provider", str(ROOT / "data" / "provider.yaml"), "--lang", "en", "fr")
    assert r.returncode == 0, r.stderr
    assert "2 clients, 8 PCs, 3 to buy" in r.stdout
    for name in ("campaign.en.html", "campaign.fr.html", "campaign.xlsx"):
        assert (out / name).is_file()


@pytest.mark.parametrize("args, message", [
    (["--provider", "missing.yaml"], "no such file"),
    (["--lang", "de"], "unknown language"),
    (["--reports", "nowhere"], "no such folder"),
])
def test_campaign_command_refuses_bad_requests_with_exit_2(tmp_path, args, message):
    out = _reports(tmp_path, _evil_statuses())
    base = {"--reports": str(out), "--provider": str(ROOT / "data" / "provider.yaml")}
    for k, v in zip(args[::2], args[1::2]):
        base[k] = str(tmp_path / v) if k != "--lang" else v
    r = cli("campaign", *[x for kv in base.items() for x in kv], *(["--lang", args[1]] if args[0] == "--lang" else []))
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr
    assert not (out / "campaign.xlsx").exists() and not list(out.glob("campaign.*.html"))


def test_bad_provider_file_exits_2_naming_file_and_field(tmp_path):
    out = _reports(tmp_path, _evil_statuses())
    bad = tmp_path / "provider.yaml"
    bad.write_text("name: P\ntechnician_hours_per_month: lots\nstart: 2027-01-01\ndeadline: 2026-01-01\n", encoding="utf-8")
    r = cli("campaign", "--reports", str(out), "--provider", str(bad))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"{bad}, technician_hours_per_month:" in r.stderr
    assert not (out / "campaign.xlsx").exists()


def test_the_purchasing_workbook_neutralises_formulas(tmp_path):
    from openpyxl import load_workbook

    from impactlib.run.campaign import build, write

    out = _reports(tmp_path, _evil_statuses())
    c = build(out, ROOT / "data" / "provider.yaml")
    write(c, out, ["en"], dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc), self_contained=False)
    wb = load_workbook(out / "campaign.xlsx")
    assert wb.sheetnames == ["orders", "per month", "schedule"]
    cells = [cell for ws in wb for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any(cell.value == "'" + EVIL for cell in cells) and any(cell.value == "'=cmd|'/c calc'!A1" for cell in cells)
    assert any(cell.value == "'@SUM(1+1)" for cell in cells)
    assert all(cell.data_type == "s" and not cell.value.startswith(("=", "+", "-", "@")) for cell in cells)
    orders = wb["orders"]
    assert [c.value for c in orders[2]][4:8] == ["'=cmd|'/c calc'!A1", "'@SUM(1+1)", 3, 3000]


@pytest.mark.parametrize("lang, heading, rule", [
    ("en", "Clients that cannot be done before", "Schedule rule: clients are taken by urgency"),
    ("fr", "Clients qui ne peuvent être terminés avant le", "Règle de planification : les clients sont pris par urgence"),
])
def test_page_in_each_language_escapes_client_strings(lang, heading, rule):
    from impactlib.report.campaign import campaign_page

    c = campaign.plan(_evil_statuses(), PROVIDER)
    page = campaign_page(c, lang, "<script src='p.js'></script>", dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.timezone.utc))
    assert f'<html lang="{lang}">' in page and heading in page and rule in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("Plotly.newPlot(") == 4
    other = "Clients par urgence" if lang == "en" else "Clients by urgency"
    assert other not in page


@pytest.mark.browser
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_campaign_page_draws_each_chart_within_its_box(tmp_path, browser, size):
    """The campaign page's four charts are drawn offline, each within its own grid cell: the first one, drawn before the
    grid had its other cells, took the whole row (1,216 px in a 600 px cell at 1,280 px) and was cut off."""
    from conftest import VIEWPORTS, layout_of

    out = _reports(tmp_path, _evil_statuses())
    r = cli("campaign", "--reports", str(out), "--provider", str(ROOT / "data" / "provider.yaml"), "--self-contained")
    assert r.returncode == 0, r.stderr
    page = browser.new_page(viewport={**VIEWPORTS[size], "width": 1280} if size == "desktop" else VIEWPORTS[size])
    requests = []
    page.route("**/*", lambda q: q.continue_() if q.request.url.startswith("file:") else (requests.append(q.request.url), q.abort()))
    page.goto((out / "campaign.en.html").as_uri())
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4", timeout=20000)
    page.wait_for_timeout(500)
    seen = layout_of(page)
    assert len(seen["charts"]) == 4 and seen["clipped"] == [], seen
    assert seen["scroll"] <= seen["window"] and requests == [], (seen, requests)
    page.close()


def test_no_order_is_placed_in_a_month_already_past():
    """Planned on 1 December for a campaign starting then: a client moving in December whose laptops take three weeks
    orders them at once (its order month, November, is past) and gets them about 22 December; with five weeks they
    arrive in January, so a client that fits in one month moves in January and December's hours go to the next
    client. Without the planning day the orders are not bounded (a plan made well ahead)."""
    provider = Provider(name="Example IT Services", technician_hours_per_month=40, working_months=tuple(range(1, 13)),
                        start=dt.date(2026, 12, 1), deadline=dt.date(2027, 3, 31))

    def statuses(lead_days):
        return [_status("buyer", _record("2026-12-18", [{"quantity": 4, "verdict": "not_ready", "option": "replace",
                                                         "technician_hours": 30.0, "one_off": 4000.0, "lead_days": lead_days,
                                                         "asset_id": "PC-OLD"}])),
                _status("upgrader", _record("2027-01-29", [{"quantity": 10, "technician_hours": 35.0}]))]

    ahead = {p.client: p for p in campaign.plan(statuses(21), provider).clients}
    assert ahead["buyer"].months == ("2026-12",) and ahead["buyer"].order_by == "2026-11" and ahead["buyer"].at_once is None
    now = campaign.plan(statuses(21), provider, as_of=dt.date(2026, 12, 1))
    by = {p.client: p for p in now.clients}
    assert by["buyer"].months == ("2026-12",) and by["buyer"].order_by == "2026-12"
    assert by["buyer"].at_once == dt.date(2026, 12, 22) and not by["buyer"].late
    assert now.purchases == {"2026-12": (4, {"EUR": 4000.0})}
    from impactlib.report.campaign import purchasing_frames  # the purchaser sees the order is due at once

    orders = purchasing_frames(now, "en")["orders"]
    assert orders["at_once_delivered_about"].tolist() == [dt.date(2026, 12, 22)]
    assert by["upgrader"].months == ("2027-01",)  # December has 10 h left, not 35
    slow = campaign.plan(statuses(35), provider, as_of=dt.date(2026, 12, 1))
    by = {p.client: p for p in slow.clients}
    assert [p.client for p in slow.clients] == ["buyer", "upgrader"]  # the urgency order is unchanged
    assert by["buyer"].months == ("2027-01",) and by["buyer"].late and by["buyer"].order_by == "2026-12"
    assert by["buyer"].at_once == dt.date(2027, 1, 5)
    assert by["upgrader"].months == ("2026-12",)  # December's hours go to the client that waits for nothing
    assert min(slow.purchases) >= "2026-12"
    # a client needing more than a month may start before its PCs arrive, as long as its work reaches their month
    big = [_status("big", _record("2027-01-29", [{"quantity": 30, "verdict": "not_ready", "option": "replace",
                                                  "technician_hours": 70.0, "one_off": 30000.0, "lead_days": 35, "asset_id": "PC"}]))]
    plan = campaign.plan(big, provider, as_of=dt.date(2026, 12, 1)).clients[0]
    assert plan.months == ("2026-12", "2027-01") and plan.at_once == dt.date(2027, 1, 5)
    # planned in late March with the same five weeks: the PCs would arrive after the deadline's month
    late = {p.client: p for p in campaign.plan(statuses(35), provider, as_of=dt.date(2027, 3, 15)).clients}
    assert late["buyer"].months == () and late["buyer"].order_by is None
    assert late["upgrader"].months == ("2027-03",)  # the months before the planning day's take no work
