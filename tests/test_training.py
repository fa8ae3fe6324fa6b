"""The training plan: sessions within group sizes, trainer hours per format, waves and dates before
go-live, late sessions, and totals that add up; edits on the clean fixture (go-live 2027-03-01,
spec dated 2026-10-01, FIN and OPS train 8 h per person per month). Only capabilities decided "train" or
"outsource_then_train" are planned (staffing.training); nothing is planned before the report date plus
lead_days (14 by default)."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from conftest import apply
from impactlib import assess, load_client
from impactlib.analysis import training

GO_LIVE = pd.Timestamp("2027-03-01")
WAVE_END = {1: pd.Timestamp("2027-01-25"), 2: pd.Timestamp("2027-02-22")}  # 35 and 7 days before go-live
COURSES_HEADER = "course_id,skill_id,from_level,to_level,hours,cost,currency,format,group_size,source\n"
FIN_KEY_USER = ("usage.csv", "FIN,OFFICE,end_user,3,daily,20,pivot_tables,",
                "FIN,OFFICE,end_user,2,daily,20,pivot_tables,\nFIN,OFFICE,key_user,1,daily,20,,")


def no_m365(*staff: str) -> list[tuple[str, str, str]]:
    """These people have m365_use 0 recorded instead of 3 (end users need 2, course m365-use-0-2, 7 h). Recorded,
    not removed: a level removed would be inferred from their recorded office_use (docs/methodology.md)."""
    return [("skills.csv", f"{s},m365_use,3\n", f"{s},m365_use,0\n") for s in staff]


def s7_admin(level: int) -> tuple[str, str, str]:
    return ("skills.csv", "S7,m365_admin,4\n", f"S7,m365_admin,{level}\n")


def assume(**values) -> tuple[str, str, str]:
    """Assumptions of the baseline scenario."""
    text = ", ".join(f"{k}: {v}" for k, v in values.items())
    return ("scenarios/baseline.yaml", "title: As specified", f"title: As specified\nassumptions: {{{text}}}")


# S7's administrator chain, three courses over two skills, both gaps within MAX_TRAINABLE_GAP levels:
# exchange_admin 2 → 3 (exchange-admin-2-3, 21 h), then m365_admin 2 → 4 (m365-admin-2-3, 21 h; m365-admin-3-4, 35 h).
# The clean client has 7 staff, below in_house_admin_from_staff (50): an administrator it cannot train in time
# would be a managed service (outsourced, nobody trained); set to 0, it is trained, bridged by the provider when late.
S7_CHAIN = [("skills.csv", "S7,m365_admin,4\n", "S7,m365_admin,2\n"), ("skills.csv", "S7,exchange_admin,3\n", "S7,exchange_admin,2\n")]
CHAIN_COURSES = ["exchange-admin-2-3", "m365-admin-2-3", "m365-admin-3-4"]


def course(fmt: str, group_size: int) -> tuple[str, None, str]:
    """m365-use-0-2 (7 h, 350 per participant) given another format and group size."""
    return ("catalog/courses.csv", None, COURSES_HEADER + f"m365-use-0-2,m365_use,0,2,7,350,EUR,{fmt},{group_size},test\n")


def plan(folder, scenario=None) -> pd.DataFrame:
    return assess(load_client(folder), scenario).sessions


def test_clean_client_needs_no_training(clean):
    an = assess(load_client(clean))
    assert an.participants.empty and an.sessions.empty
    assert list(an.sessions.columns) == ["change_id", "department_id", "wave", "course_id", "skill_id", "format",
                                                   "participants", "sessions", "hours", "participant_hours", "cost",
                                                   "trainer_hours", "needed_by", "date", "late"]


# --- sessions and trainer hours -----------------------------------------------------------------

SESSIONS = [
    # format, group size, sessions for FIN's 3 participants, trainer hours (course of 7 h)
    pytest.param("virtual", 10, 1, 7.0, id="virtual-one-group"),
    pytest.param("virtual", 2, 2, 14.0, id="virtual-3-in-groups-of-2"),
    pytest.param("classroom", 3, 1, 7.0, id="classroom-exactly-full"),
    pytest.param("classroom", 1, 3, 21.0, id="classroom-one-each"),
    pytest.param("coaching", 1, 3, 21.0, id="coaching-one-to-one"),
    pytest.param("coaching", 3, 1, 21.0, id="coaching-trainer-per-participant-hour"),
    pytest.param("elearning", 100, 1, 0.0, id="elearning-no-trainer"),
    pytest.param("elearning", 2, 2, 0.0, id="elearning-small-groups-still-no-trainer"),
]


@pytest.mark.parametrize("fmt, group_size, n_sessions, trainer_hours", SESSIONS)
def test_sessions_and_trainer_hours(clean, fmt, group_size, n_sessions, trainer_hours):
    apply(clean, [course(fmt, group_size), *no_m365("S1", "S2", "S3")])
    row = plan(clean).set_index("department_id").loc["FIN"]
    assert (row["course_id"], row["format"], row["wave"], row["participants"]) == ("m365-use-0-2", fmt, 2, 3)
    assert row["sessions"] == n_sessions == math.ceil(3 / group_size)
    assert (row["hours"], row["participant_hours"], row["cost"]) == (7.0, 21.0, 1050.0)
    assert row["trainer_hours"] == trainer_hours


@pytest.mark.parametrize("people, sessions", [(1, 1), (2, 1), (3, 2)], ids=["1/2", "2/2", "3/2"])
def test_sessions_round_up(clean, people, sessions):
    apply(clean, [course("classroom", 2), *no_m365(*["S1", "S2", "S3"][:people])])
    row = plan(clean).set_index("department_id").loc["FIN"]
    assert (row["participants"], row["sessions"]) == (people, sessions)


def test_sessions_per_department(clean):
    apply(clean, no_m365("S1", "S2", "S4"))
    p = plan(clean)
    assert dict(zip(p["department_id"], p["participants"])) == {"FIN": 2, "OPS": 1}
    assert set(p["sessions"]) == {1}


# --- waves and dates ----------------------------------------------------------------------------

def test_key_users_and_administrators_first(clean):
    # S3 becomes FIN's key user (m365_use 3 → 4: m365-use-3-4); S1 an end user at level 0 (m365-use-0-2);
    # S7, the administrator, m365_admin 3 → 4 (m365-admin-3-4)
    apply(clean, [FIN_KEY_USER, *no_m365("S1"), s7_admin(3)])
    p = plan(clean)
    got = {(r.department_id, r.wave, r.course_id): r.date for r in p.itertuples()}
    assert got == {("FIN", 1, "m365-use-3-4"): WAVE_END[1], ("OPS", 1, "m365-admin-3-4"): WAVE_END[1],
                   ("FIN", 2, "m365-use-0-2"): WAVE_END[2]}
    assert p.loc[p["wave"] == 1, "date"].max() < p.loc[p["wave"] == 2, "date"].min()
    assert (p["date"] < GO_LIVE).all() and not p["late"].any()


@pytest.mark.parametrize("role, wave", [("administrator", 1), ("key_user", 1), ("end_user", 2)])
def test_wave_of_role(clean, role, wave):
    apply(clean, [FIN_KEY_USER, *no_m365("S1"), s7_admin(3)])
    p = assess(load_client(clean)).participants
    assert set(p.loc[p["role"] == role, "wave"]) == {wave}


CHAIN = [
    # OPS training hours per person per month, S7's decision, dates of S7's chain (S7_CHAIN: 21 h, then 21 h + 35 h):
    # each course at wave end (2027-01-25) − (hours of the person's later courses ÷ pace) × 30.44 days.
    # months to capability of m365_admin (56 h): 0.25 + (56 − max(pace, 7)) ÷ pace; months available from the
    # earliest date (2026-10-01 + 14 days) to go-live: 137 ÷ 30.44 = 4.50
    pytest.param(8, "outsource_then_train",  # 0.25 + 48/8 = 6.25 > 4.50: late, the provider bridges
                 {"exchange-admin-2-3": "2026-06-26", "m365-admin-2-3": "2026-09-14", "m365-admin-3-4": "2027-01-25"},
                 id="8h-a-month"),   # 56/8 × 30.44 = 213.08 → 213 days, 35/8 × 30.44 = 133.18 → 133 days
    pytest.param(16, "train",  # 0.25 + 40/16 = 2.75 ≤ 4.50
                 {"exchange-admin-2-3": "2026-10-10", "m365-admin-2-3": "2026-11-19", "m365-admin-3-4": "2027-01-25"},
                 id="16h-a-month"),  # 106.54 → 107 days, 66.59 → 67 days
    pytest.param(0, "outsource_then_train",  # no capacity: never in time
                 {"exchange-admin-2-3": "2027-01-25", "m365-admin-2-3": "2027-01-25", "m365-admin-3-4": "2027-01-25"},
                 id="no-capacity-all-at-wave-end"),
]


@pytest.mark.parametrize("pace, decision, dates", CHAIN)
def test_chain_dates(clean, pace, decision, dates):
    apply(clean, [*S7_CHAIN, assume(in_house_admin_from_staff=0),
                  ("departments.csv", "OPS,Operations,4,high,35,8,", f"OPS,Operations,4,high,35,{pace},")])
    an = assess(load_client(clean))
    assert set(an.staffing_advice["decision"]) == {decision}
    p = an.participants
    assert list(p["course_id"]) == CHAIN_COURSES
    assert list(p["staff_id"]) == ["S7"] * 3 and list(p["wave"]) == [1, 1, 1]
    assert list(p["position"]) == [0, 0, 1]  # the position within each skill's chain
    assert {r.course_id: r.date.strftime("%Y-%m-%d") for r in p.itertuples()} == dates


@pytest.mark.parametrize("scenario, go_live", [(None, "2027-03-01"), ("later", "2027-05-03")], ids=["baseline", "later"])
def test_wave_ends_follow_the_scenario_go_live(clean, scenario, go_live):
    apply(clean, [FIN_KEY_USER, *no_m365("S1"), s7_admin(3),
                  ("scenarios/later.yaml", None, "title: Later\nchanges: {C1: {go_live: 2027-05-03}}\n")])
    p = plan(clean, scenario)
    ends = p.groupby("wave")["date"].max().to_dict()
    g = pd.Timestamp(go_live)
    assert ends == {1: g - pd.Timedelta(days=35), 2: g - pd.Timedelta(days=7)}


LATE = [
    # spec date (the report date), lead_days, late courses of S7's chain at 8 h a month (needed by 2026-06-26,
    # 2026-09-14, 2027-01-25): late when needed before the earliest date = report date + lead_days
    pytest.param("2026-10-01", 14, {"exchange-admin-2-3", "m365-admin-2-3"}, id="as-specified"),  # earliest 2026-10-15
    pytest.param("2026-08-31", 14, {"exchange-admin-2-3"}, id="on-the-day-is-not-late"),  # earliest 2026-09-14
    pytest.param("2026-09-01", 14, {"exchange-admin-2-3", "m365-admin-2-3"}, id="a-day-after"),  # earliest 2026-09-15
    pytest.param("2026-06-12", 14, set(), id="early-spec"),  # earliest 2026-06-26: the first course on its day
    pytest.param("2026-09-14", 0, {"exchange-admin-2-3"}, id="no-lead-time-on-the-day"),  # earliest = the report date
    pytest.param("2026-09-15", 0, {"exchange-admin-2-3", "m365-admin-2-3"}, id="no-lead-time-a-day-after"),
]


@pytest.mark.parametrize("spec_date, lead_days, late", LATE)
def test_late_when_needed_before_the_earliest_date(clean, spec_date, lead_days, late):
    apply(clean, [*S7_CHAIN, assume(in_house_admin_from_staff=0, lead_days=lead_days),
                  ("spec.yaml", "date: 2026-10-01", f"date: {spec_date}")])
    an = assess(load_client(clean))
    earliest = pd.Timestamp(spec_date) + pd.Timedelta(days=lead_days)
    assert pd.Timestamp(an.earliest) == earliest
    p = an.sessions
    assert sorted(p["course_id"]) == CHAIN_COURSES
    assert {r.course_id: r.needed_by.strftime("%Y-%m-%d") for r in p.itertuples()} == {
        "exchange-admin-2-3": "2026-06-26", "m365-admin-2-3": "2026-09-14", "m365-admin-3-4": "2027-01-25"}
    assert set(p.loc[p["late"], "course_id"]) == late
    assert (p["late"] == (p["needed_by"] < earliest)).all()
    # a late session is planned on the earliest date, the others when they are needed
    assert (p["date"] == p["needed_by"].where(~p["late"], earliest)).all() and (p["date"] >= earliest).all()


@pytest.mark.parametrize("as_of, late", [(dt.date(2026, 6, 1), set()), (dt.date(2026, 9, 1), {"exchange-admin-2-3", "m365-admin-2-3"})],
                         ids=["earlier-than-the-spec", "later-than-the-spec"])
def test_as_of_replaces_the_spec_date(clean, as_of, late):
    # the spec is dated 2026-10-01 (which would make both courses before 2026-10-15 late); the report date given wins
    apply(clean, [*S7_CHAIN, assume(in_house_admin_from_staff=0)])
    an = assess(load_client(clean), as_of=as_of)
    assert an.earliest == as_of + dt.timedelta(days=14)
    p = an.sessions
    assert set(p.loc[p["late"], "course_id"]) == late


def test_session_date_is_earliest_participant_date(clean):
    # S1 needs m365-use-0-2 only; S2 needs office-use-0-2 then m365-use-0-2 (skills in id order: m365_use before office_use)
    apply(clean, [*no_m365("S1", "S2"), ("skills.csv", "S2,office_use,3\n", "S2,office_use,0\n")])
    p = assess(load_client(clean)).participants
    s2 = p.loc[p["staff_id"] == "S2"].set_index("course_id")["date"]
    s1 = p.loc[p["staff_id"] == "S1"].set_index("course_id")["date"]
    assert s1["m365-use-0-2"] == WAVE_END[2] and s2["office-use-0-2"] == WAVE_END[2]
    assert s2["m365-use-0-2"] == WAVE_END[2] - pd.Timedelta(days=round(14 / 8 * 30.44))  # office-use-0-2 (14 h) comes after it
    row = plan(clean).set_index("course_id").loc["m365-use-0-2"]
    assert (row["participants"], row["date"]) == (2, s2["m365-use-0-2"])


# --- totals -------------------------------------------------------------------------------------

RICH = [FIN_KEY_USER, *no_m365("S1", "S4", "S5"), s7_admin(1), ("skills.csv", "S2,office_use,3\n", "S2,office_use,0\n")]


def test_totals_add_up(clean):
    apply(clean, RICH)
    an = assess(load_client(clean))
    p, need = an.sessions, an.training  # the plan trains the capabilities decided "train"
    t = training.totals(p)
    # the plan: S3, FIN's key user, m365-use-3-4 (900); S1, S4, S5 m365-use-0-2 (3 × 350); S2 office-use-0-2 (700)
    assert t["cost"] == pytest.approx(900 + 3 * 350 + 700) == pytest.approx(2650)
    assert t["cost"] == pytest.approx(need["cost"].sum()) == pytest.approx(an.participants["cost"].sum())
    assert t["participant_hours"] == pytest.approx(need["hours"].sum())
    # S7's m365_admin 1 → 4 (3 levels, beyond MAX_TRAINABLE_GAP) in a company of 7 is a managed service: its chain
    # m365-admin-0-2 + 2-3 + 3-4 (550 + 1800 + 2700) is in the training need but not in the plan
    adv = an.staffing_advice.set_index("role")
    assert (adv.at["administrator", "decision"], adv.at["administrator", "rule"]) == ("outsource", "small_company_managed")
    assert an.training_need["cost"].sum() - t["cost"] == pytest.approx(550 + 1800 + 2700)
    assert "S7" not in set(an.participants["staff_id"])
    assert t == {"sessions": int(p["sessions"].sum()), "participant_hours": pytest.approx(p["participant_hours"].sum()),
                 "trainer_hours": pytest.approx(p["trainer_hours"].sum()), "cost": pytest.approx(p["cost"].sum()),
                 "late_sessions": int(p.loc[p["late"], "sessions"].sum())}
    est = an.cost_lines.set_index(["change_id", "item"])
    assert est.loc[("C1", "training"), "amount"] == pytest.approx(t["cost"])
    assert (p["date"] < GO_LIVE).all()
    assert (p.loc[p["wave"] == 1, "date"] <= WAVE_END[1]).all() and (p.loc[p["wave"] == 2, "date"] <= WAVE_END[2]).all()


def test_gap_without_course_is_left_out_of_the_plan(clean):
    # the only course reaching m365_admin 4 moved to another skill: S7's gap has no chain
    apply(clean, [s7_admin(3), *no_m365("S1"),
                  ("catalog/courses.csv", None, COURSES_HEADER + "m365-admin-3-4,change_management,3,4,35,2700,EUR,classroom,8,test\n")])
    an = assess(load_client(clean))
    need = an.training_need
    assert need.loc[need["skill_id"] == "m365_admin", "hours"].isna().all()
    p = an.sessions
    assert set(p["skill_id"]) == {"m365_use"}
    assert training.totals(p)["cost"] == pytest.approx(need["cost"].sum()) == 350.0  # NaN costs are skipped


def test_trainer_hours_by_month(clean):
    apply(clean, RICH)
    p = plan(clean)
    m = training.trainer_hours_by_month(p)
    assert (m["month"].dt.day == 1).all() and m["month"].is_monotonic_increasing
    assert m["trainer_hours"].sum() == pytest.approx(p["trainer_hours"].sum())
    assert m["sessions"].sum() == p["sessions"].sum()


def test_empty_plan_totals():
    empty = pd.DataFrame({"sessions": pd.Series(dtype="int64"), "participant_hours": [], "trainer_hours": [], "cost": [],
                          "late": pd.Series(dtype="bool")})
    assert training.totals(empty) == {"sessions": 0, "participant_hours": 0.0, "trainer_hours": 0.0, "cost": 0.0, "late_sessions": 0}
    assert training.trainer_hours_by_month(empty.iloc[0:0]).empty


@pytest.mark.parametrize("days, wave", [(35, 1), (7, 2)])
def test_wave_end_days(days, wave):
    assert training.WAVE_END_DAYS[wave] == days
    assert GO_LIVE - pd.Timedelta(days=days) == WAVE_END[wave]
    assert WAVE_END[wave].date() < dt.date(2027, 3, 1)
