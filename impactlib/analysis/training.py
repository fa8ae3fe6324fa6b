"""The training plan: courses grouped into sessions per department, dated before go-live.

Pure functions over :func:`skills.training_need`. Key users and administrators are trained first
(wave 1, finished five weeks before go-live so they can support their colleagues), end users last
(wave 2, finished one week before). Within a person's chain of courses, later courses come later;
each person's pace is their department's training capacity (hours per person per month). Nothing is
planned before the report date plus the scenario's lead_days (Analysis.earliest): a course needed sooner
is planned on that date and marked late.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from impactlib.analysis import shared


if TYPE_CHECKING:  # for annotations only
    from impactlib.model.analysis import Analysis

WAVE_END_DAYS = {1: 35, 2: 7}  # days before go-live by which each wave has finished
FIRST_MONTH_HOURS = 7.0  # a person can always be freed for one working day of training in the first month (a course is not split)
FIRST_SESSION_MONTHS = 0.25  # about a week to hold the first sessions


def training_months(hours, capacity):
    """Months a person needs to take ``hours`` of training at ``capacity`` hours a month (impactlib convention,
    docs/methodology.md): the first day of courses — or the first month's capacity when larger — fits in about a
    week (a half-day or one-day course is held whole, never spread over months); the rest goes at the capacity.
    NaN hours stay NaN; a capacity of 0 with hours beyond the first day is infinite. Works on numbers and Series."""
    first = np.maximum(capacity, FIRST_MONTH_HOURS)
    with np.errstate(divide="ignore", invalid="ignore"):
        rest = np.where(np.asarray(hours) > first, (np.asarray(hours) - first) / np.asarray(capacity, dtype="float64"), 0.0)
    out = FIRST_SESSION_MONTHS + rest
    out = np.where(np.isnan(np.asarray(hours, dtype="float64")), np.nan, out)
    if isinstance(hours, pd.Series):
        return pd.Series(out, index=hours.index)
    return float(out) if np.ndim(out) == 0 else out
TRAINER_FORMATS = ("classroom", "virtual", "coaching")  # formats that need a trainer's time
PARTICIPANT_COLUMNS = ["change_id", "department_id", "staff_id", "role", "wave", "skill_id", "course_id", "position", "hours",
                       "cost", "date"]
SESSION_COLUMNS = ["change_id", "department_id", "wave", "course_id", "skill_id", "format", "participants", "sessions", "hours",
                   "participant_hours", "cost", "trainer_hours", "needed_by", "date", "late"]
PARTICIPANT_IDS = ("change_id", "department_id", "staff_id", "role", "skill_id")  # taken from the training need's rows


def participants(an: Analysis) -> pd.DataFrame:
    """One row per (person, course) of the chains that close the gaps, with the date it is needed by.

    Columns: change_id, department_id, staff_id, role, wave (1 key users and administrators, 2 end
    users), skill_id, course_id, position (in the person's chain), hours, cost, date (latest date the
    course can take place for the person to finish by the wave's end at their department's pace). The ids are
    categoricals, as in :func:`skills.gaps`.
    """
    client = an.client
    known = shared.codes_of(an, "training", an.training)  # the staff ids' codes, when staffing.training kept them
    if shared.small(an):
        fast = _participants_small(an)
        if fast is not None:
            return fast if known is None else shared.keep_codes(an, "participants", fast, shared.staff_codes(fast))
    need = an.training.dropna(subset=["sessions"])  # only capabilities decided "train" (staffing.training)
    if need.empty:
        return pd.DataFrame(columns=PARTICIPANT_COLUMNS)
    courses = client.catalog.courses.set_index("course_id")
    # few distinct chains for many people: split each chain once (with its courses' hours and cost), then join
    # (each need row's chain: codes in order of appearance, the order of the chains)
    chain, distinct = shared.factorize(need["sessions"].to_numpy(dtype=object))
    chains = shared.frame([(s, course, i) for s in distinct for i, course in enumerate(s.split("+"))],
                          {"sessions": "str", "course_id": "str", "position": "int64"})
    chains["hours"] = chains["course_id"].map(courses["hours"])
    chains["cost"] = chains["course_id"].map(courses["cost"])
    chains["course_id"] = shared.category(chains["course_id"])  # taken to every row: coded, as need's ids are
    # one row per (person, course), as need.merge(chains, on="sessions") orders them (need's rows in order, each
    # with its chain's courses in order), kept as row numbers into need and chains: the columns are taken once, in
    # the final order, instead of a merged frame, its sorted copy and the result (~20 MiB each at 50,000 staff)
    size = np.bincount(shared.factorize(chains["sessions"].to_numpy(dtype=object))[0], minlength=len(distinct))
    start = np.r_[0, np.cumsum(size)[:-1]]
    n = size[chain]
    left = np.repeat(np.arange(len(need)), n)
    right = np.repeat(start[chain] - np.r_[0, np.cumsum(n)[:-1]], n) + np.arange(int(n.sum()))
    del chain, n
    wave = np.where(need["role"].to_numpy(dtype=object)[left] == "end_user", 2, 1)
    go_live = pd.Series({c.id: pd.Timestamp(c.go_live) for c in an.changes})
    capacity = _capacity(an)
    # the ids as integer codes in their sorted order (hundreds of thousands of rows at 50,000 staff: sorting and
    # grouping codes, and looking up each distinct id once, instead of hashing every string each time)
    # (as object arrays: pandas' string dtype factorizes 2-3x slower than the same strings as objects, same codes;
    # every need row has one course at least, so need's distinct ids are the rows')
    change, changes = shared.factorize(need["change_id"].to_numpy(dtype=object), sort=True)
    person_code, people = (shared.factorize(need["staff_id"].to_numpy(dtype=object), sort=True) if known is None else
                           shared.sorted_codes(known[an.training["sessions"].notna().to_numpy()], need["staff_id"]))
    skill, skills_ = shared.factorize(need["skill_id"].to_numpy(dtype=object), sort=True)
    change, person_code, skill = change[left], person_code[left], skill[left]
    changes = pd.Index(changes, dtype=shared.plain_dtype(need["change_id"].dtype))
    people = pd.Index(people, dtype=shared.plain_dtype(need["staff_id"].dtype))
    missing = (change < 0) | (person_code < 0)  # no id: sorted last, outside any person's group (as sort_values, groupby)
    change, person_code, skill = (np.where(k < 0, len(u), k) for k, u in ((change, changes), (person_code, people), (skill, skills_)))
    # hours of this person's training (all skills of the change) still to come after this course
    order = np.lexsort((chains["position"].to_numpy()[right], skill, wave, person_code, change))
    del skill
    left, right, wave = left[order], right[order], wave[order]
    change, person_code, missing = change[order], person_code[order], missing[order]
    del order
    hours = chains["hours"].take(right).reset_index(drop=True)
    after = _later(hours, change, person_code).mask(missing)  # hours of this person's later courses
    pace = _by_code(capacity, people, person_code, hours.index).replace(0, np.nan)
    months_after = after / pace
    del after, pace, person_code
    waves = pd.Series(wave)
    end = _by_code(go_live, changes, change, hours.index) - pd.to_timedelta(waves.map(WAVE_END_DAYS), unit="D")
    date = end - pd.to_timedelta((months_after * 30.44).fillna(0).round(), unit="D")
    del months_after, end
    del change, missing
    of = lambda frame, rows, col: frame[col].take(rows).reset_index(drop=True)  # noqa: E731
    # copy=False: the columns as they are (one block each), not copied again into blocks by dtype
    out = pd.DataFrame({"change_id": of(need, left, "change_id"), "department_id": of(need, left, "department_id"),
                         "staff_id": of(need, left, "staff_id"), "role": of(need, left, "role"), "wave": waves,
                         "skill_id": of(need, left, "skill_id"), "course_id": of(chains, right, "course_id"),
                         "position": of(chains, right, "position"), "hours": hours, "cost": of(chains, right, "cost"),
                         "date": date}, copy=False)
    return out if known is None else shared.keep_codes(an, "participants", out, shared.staff_codes(out))  # (no NA id then)


def _capacity(an: Analysis) -> pd.Series:
    """Each person's training capacity (hours a month): their department's, by staff id."""
    client = an.client
    return shared.per_person(an, ("training_capacity",), lambda: client.staff.set_index("staff_id")["department_id"].map(
        client.departments.set_index("department_id")["training_hours_per_month"]))


def _participants_small(an: Analysis) -> pd.DataFrame | None:
    """:func:`participants` in plain Python for small clients (shared.SMALL_STAFF; tens of rows on the demo-size
    client, where the frame path's ~40 pandas operations took ~10 ms a scenario): the same rows, order, values and
    dtypes. None (the frame path) for no row, an id that is not coded or is NA, a course the catalog lacks or lists
    twice, hours that do not add up exactly (the frame path's groupby), a person listed twice, a change without
    its go-live, or a pace the frame path's lookups would not give as a number of days."""
    t = an.training
    if not all(isinstance(t[c].dtype, pd.CategoricalDtype) for c in (*PARTICIPANT_IDS, "sessions")):
        return None
    courses = shared.once(an, ("course_facts",), lambda: _course_facts(an.client))
    pace_of = shared.once(an, ("training_pace",), lambda: _pace_of(_capacity(an)))
    if courses is None or pace_of is None:
        return None
    go_live = {c.id: c.go_live for c in an.changes}
    ids = [t[c].array for c in PARTICIPANT_IDS]
    values = [(a.codes.tolist(), a.categories.tolist()) for a in ids]
    chain_codes, chain_names = t["sessions"].array.codes.tolist(), t["sessions"].array.categories.tolist()
    split = [name.split("+") for name in chain_names]
    rows = []  # (sort key..., need row, course) as need.merge(chains) then the frame path's lexsort order them
    for i, chain in enumerate(chain_codes):
        if chain < 0:
            continue
        change, dep, staff, role, skill = (codes[i] for codes, _ in values)
        if min(change, dep, staff, role, skill) < 0:
            return None
        change, staff, role, skill = values[0][1][change], values[2][1][staff], values[3][1][role], values[4][1][skill]
        wave = 2 if role == "end_user" else 1
        rows += [(change, staff, wave, skill, position, len(rows) + position, i, course)
                 for position, course in enumerate(split[chain])]
    if not rows or any(r[7] not in courses or r[0] not in go_live for r in rows):
        return None
    rows.sort()
    hours = [courses[r[7]][0] for r in rows]
    if not shared.exact_sums(np.array(hours, dtype="float64")):
        return None
    # hours of the person's later courses of the same change (exact sums: any order of adding gives pandas' floats)
    total: dict = {}
    for r, h in zip(rows, hours):
        total[r[:2]] = total.get(r[:2], 0.0) + h
    days = []
    for r, h in zip(rows, hours):
        total[r[:2]] -= h
        pace = pace_of.get(r[1], np.nan)
        months = total[r[:2]] / pace if pace == pace and pace != 0 else np.nan
        late = months * 30.44
        if late in (np.inf, -np.inf):
            return None
        days.append(WAVE_END_DAYS[r[2]] + (round(late) if late == late else 0))
    dates = np.array([go_live[r[0]] for r in rows], dtype="datetime64[s]") - np.array(days, dtype="timedelta64[D]")
    taken = np.array([r[6] for r in rows], dtype="intp")
    categories = sorted({r[7] for r in rows})
    position = {course: k for k, course in enumerate(categories)}
    out = {c: a.take(taken) for c, a in zip(PARTICIPANT_IDS, ids)}
    out.update(wave=np.array([r[2] for r in rows], dtype="int64"),
               course_id=pd.Categorical.from_codes([position[r[7]] for r in rows], categories=pd.Index(categories, dtype="str")),
               position=np.array([r[4] for r in rows], dtype="int64"), hours=np.array(hours, dtype="float64"),
               cost=np.array([courses[r[7]][1] for r in rows], dtype="float64"), date=dates.astype("datetime64[us]"))
    return pd.DataFrame({c: out[c] for c in PARTICIPANT_COLUMNS}, copy=False)


def _course_facts(client) -> dict | None:
    """Each catalog course's (hours, cost, format, group size), by course id; None where the frame paths of
    :func:`participants` and :func:`sessions` would not give them as looked up by id (a course listed twice) or of
    other dtypes (hours or costs not float64, group sizes not int64)."""
    courses = client.catalog.courses
    if (not courses["course_id"].is_unique or courses["hours"].dtype != "float64" or courses["cost"].dtype != "float64"
            or courses["group_size"].dtype != "int64"):
        return None
    return dict(zip(courses["course_id"].tolist(), zip(courses["hours"].tolist(), courses["cost"].tolist(),
                                                       courses["format"].tolist(), courses["group_size"].tolist())))


def _pace_of(capacity: pd.Series) -> dict | None:
    """Each person's training capacity by staff id, as numbers; None for a person listed twice (the frame path's
    lookup raises there)."""
    return dict(zip(capacity.index.tolist(), capacity.astype("float64").tolist())) if capacity.index.is_unique else None


def _later(hours: pd.Series, change: np.ndarray, person: np.ndarray) -> pd.Series:
    """Hours of each row's later rows of the same (change, person) (rows sorted by them: each pair's rows together):
    ``transform("sum") - cumsum()`` of a groupby on them. On running sums when every hour is a non-negative multiple
    of 1/256 whose total stays exact (any order of adding gives the same sums, as pandas' compensated ones): no
    grouping of every row (12 MiB at 50,000 staff); else the groupby."""
    h = hours.to_numpy(dtype="float64")
    if not len(h) or not shared.exact_sums(h):
        person_ = hours.groupby([change, person])
        return person_.transform("sum") - person_.cumsum()
    first = np.r_[True, (change[1:] != change[:-1]) | (person[1:] != person[:-1])]
    done = np.cumsum(h)  # hours up to each row, all pairs together
    starts = np.flatnonzero(first)
    before = np.r_[0.0, done[starts[1:] - 1]]  # hours of the pairs before each pair
    total = np.r_[done[starts[1:] - 1], done[-1:]] - before
    run = np.cumsum(first) - 1
    del first
    done -= before[run]
    return pd.Series(total[run] - done, index=hours.index, name=hours.name)


def _by_code(values: pd.Series, uniques: pd.Index, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """``values`` looked up once per distinct id (``uniques``) and spread over the rows by their codes (code
    ``len(uniques)``: no id, no value), as ``Series.map(values)`` on the ids would give."""
    found = values.reindex(uniques.append(pd.Index([None], dtype=uniques.dtype)) if (codes == len(uniques)).any() else uniques)
    return pd.Series(found.to_numpy()[codes], index=index)


def sessions(an: Analysis) -> pd.DataFrame:
    """Sessions per (change, department, course, wave), within the course's group size.

    Columns: change_id, department_id, wave, course_id, skill_id, format, participants, sessions,
    hours (per session), participant_hours, cost, trainer_hours, needed_by (the earliest date a participant
    needs it by), date (when it is planned: needed_by, but never before the Analysis's earliest date — the
    report date plus lead_days), late (needed_by is before that earliest date: it cannot be held in time).
    """
    client = an.client
    p = an.participants
    if p.empty:
        return pd.DataFrame(columns=SESSION_COLUMNS)
    key = ["change_id", "department_id", "wave", "course_id", "skill_id"]
    if len(p) <= shared.SMALL_ROWS:
        groups = _groups_small(p, key)
        fast = None if groups is None else _sessions_small(an, p, key, *groups)
        if fast is not None:
            return fast
    courses = client.catalog.courses.set_index("course_id")
    g = _grouped_small(p, key) if len(p) <= shared.SMALL_ROWS else _grouped_coded(p, key, shared.codes_of(an, "participants", p))
    if g is None:
        g = p.groupby(key, as_index=False).agg(participants=("staff_id", "nunique"), cost=("cost", "sum"),
                                               needed_by=("date", "min"))
    g["hours"] = g["course_id"].map(courses["hours"])
    g["format"] = g["course_id"].map(courses["format"])
    size = g["course_id"].map(courses["group_size"]).clip(lower=1)
    g["sessions"] = np.ceil(g["participants"] / size).astype("int64")
    g["participant_hours"] = g["participants"] * g["hours"]
    # coaching is one-to-one: a trainer hour per participant hour; other formats, per session
    trainer = np.where(g["format"] == "coaching", g["participant_hours"], g["sessions"] * g["hours"])
    g["trainer_hours"] = np.where(g["format"].isin(TRAINER_FORMATS), trainer, 0.0)
    earliest = pd.Timestamp(an.earliest)
    g["late"] = g["needed_by"] < earliest
    g["date"] = g["needed_by"].where(~g["late"], earliest)  # nothing is planned in the past
    return g[SESSION_COLUMNS].sort_values(["date", "wave", "change_id", "department_id"], ignore_index=True)


def _groups_small(p: pd.DataFrame, key: list[str]) -> tuple[list, dict] | None:
    """The groups of :func:`sessions` in plain Python, for a few hundred participant rows: the keys sorted (as the
    groupby sorts them) and, by key, [staff ids, costs, the earliest date]. None (the frame path) where an NA key, a
    cost not in float64 or an NA date would need pandas' own handling."""
    if p["cost"].dtype != "float64" or p["wave"].dtype != "int64":
        return None
    groups: dict = {}
    for k, staff, cost, day in zip(zip(*(p[c] for c in key)), p["staff_id"], p["cost"], p["date"]):
        if any(x != x for x in k) or day is pd.NaT or day != day:
            return None
        hit = groups.get(k)
        if hit is None:
            groups[k] = [{staff} if staff == staff else set(), [cost], day]
        else:
            if staff == staff:
                hit[0].add(staff)
            hit[1].append(cost)
            hit[2] = min(hit[2], day)
    return sorted(groups), groups


def _grouped_small(p: pd.DataFrame, key: list[str]) -> pd.DataFrame | None:
    """The groupby of :func:`sessions` (participants: distinct people, cost: summed, needed_by: the earliest date)
    in plain Python (:func:`_groups_small`): the same rows in the same (sorted) order and dtypes; None where
    :func:`_groups_small` gives none."""
    found = _groups_small(p, key)
    if found is None:
        return None
    keys, groups = found
    # the groupby's keys: their column's dtype, an object column's values inferred again (as the groupby's index does)
    out = pd.DataFrame({c: pd.Series([k[i] for k in keys], dtype=_key_dtype(p[c])) for i, c in enumerate(key)})
    out["participants"] = pd.Series([len(groups[k][0]) for k in keys], dtype="int64")
    out["cost"] = pd.Series([shared.group_sum(groups[k][1]) for k in keys], dtype="float64")
    out["needed_by"] = pd.Series([groups[k][2] for k in keys], dtype=p["date"].dtype)
    return out


def _sessions_small(an: Analysis, p: pd.DataFrame, key: list[str], keys: list, groups: dict) -> pd.DataFrame | None:
    """:func:`sessions` from the groups of :func:`_groups_small`, in plain Python (tens of groups on the demo-size
    client, where the frame path's maps, column assignments and sort took ~10 ms a scenario): the same rows, order,
    values and dtypes. None (the frame path) for a course the catalog lacks or lists twice, or other dtypes than
    the frame path's maps would give as floats and integers (:func:`_course_facts`)."""
    courses = shared.once(an, ("course_facts",), lambda: _course_facts(an.client))
    if courses is None or any(k[3] not in courses for k in keys):
        return None
    earliest = pd.Timestamp(an.earliest)
    rows = []
    for k in keys:
        people, costs, needed_by = groups[k]
        hours, _, form, size = courses[k[3]]
        sessions = math.ceil(len(people) / max(size, 1))
        participant_hours = len(people) * hours
        trainer = (participant_hours if form == "coaching" else sessions * hours) if form in TRAINER_FORMATS else 0.0
        late = needed_by < earliest
        rows.append((*k, form, len(people), sessions, hours, participant_hours, shared.group_sum(costs), trainer,
                     needed_by, earliest if late else needed_by, late))
    rows.sort(key=lambda r: (r[13], r[2], r[0], r[1]))  # date, wave, change, department; stable, as sort_values
    cols = list(zip(*rows))
    dtypes = [_key_dtype(p[c]) for c in key] + [an.client.catalog.courses["format"].dtype, "int64", "int64", "float64",
                                                 "float64", "float64", "float64", p["date"].dtype, p["date"].dtype, "bool"]
    # columns as arrays, not Series the frame would align first; a key of objects inferred again, as the frame path's
    out = dict(zip([*key, "format", "participants", "sessions", "hours", "participant_hours", "cost", "trainer_hours",
                    "needed_by", "date", "late"], (pd.Series(v) if t is None else pd.array(v, dtype=t) for v, t in zip(cols, dtypes))))
    return pd.DataFrame({c: out[c] for c in SESSION_COLUMNS}, copy=False)


def _key_dtype(column: pd.Series):
    """The dtype of a groupby's keys of ``column``: its values' dtype (shared.plain_dtype), None (inferred again, as
    the groupby's index does) for objects."""
    dtype = shared.plain_dtype(column.dtype)
    return None if dtype == object else dtype


def _grouped_coded(p: pd.DataFrame, key: list[str], staff: np.ndarray | None = None) -> pd.DataFrame | None:
    """The groupby of :func:`sessions` on integer codes, for many participant rows (225,000 at 50,000 staff: five
    string keys grouped took ~25 MiB at the analysis' peak): the same rows, order and dtypes. Costs are summed as
    pandas' compensated sums give them when every cost is a non-negative multiple of 1/256 whose total stays exact,
    else by pandas on the group codes. None (the frame path) for an NA key or date, or other dtypes."""
    if p["cost"].dtype != "float64" or p["wave"].dtype != "int64" or p["date"].dtype.kind != "M":
        return None
    flat, uniques = np.zeros(len(p), dtype="int64"), []
    for c in key:  # each row's group as one integer, in the order of the sorted keys (as the groupby sorts them)
        col = p[c]
        values = col.to_numpy(dtype=object) if _key_dtype(col) in (None, "str") else col.to_numpy()
        code, u = shared.factorize(values, sort=True)
        if (code < 0).any() or (len(uniques) and len(u) and flat.max() > (2**62) // len(u)):
            return None
        flat *= max(len(u), 1)
        flat += code
        uniques.append(u)
    del code
    group, distinct = shared.factorize(flat, sort=True)
    del flat
    n = len(distinct)
    day = p["date"].to_numpy()
    if np.isnat(day).any():
        return None
    # the groups' keys, decoded from their integer (the groupby's keys: their column's dtype, an object column's
    # values inferred again as the groupby's index does)
    out = {}
    for c, u in zip(reversed(key), reversed(uniques)):
        width = max(len(u), 1)
        out[c] = pd.Series(u.take(distinct % width), dtype=_key_dtype(p[c]))
        distinct = distinct // width
    out = pd.DataFrame({c: out[c] for c in key})
    if staff is None:  # (``staff``: the ids' codes, when participants kept them)
        staff = shared.factorize(p["staff_id"].to_numpy(dtype=object))[0]
    width = int(staff.max(initial=0)) + 1
    known = staff >= 0  # nunique leaves NA out
    pairs = np.unique(group[known] * width + staff[known])
    del staff, known
    out["participants"] = np.bincount(pairs // width, minlength=n).astype("int64")
    del pairs
    cost = p["cost"].to_numpy()
    out["cost"] = (np.bincount(group, weights=cost, minlength=n) if shared.exact_sums(cost)
                   else p["cost"].groupby(group).sum().to_numpy(dtype="float64"))
    first = np.full(n, np.iinfo("int64").max, dtype="int64")
    np.minimum.at(first, group, day.view("int64"))
    out["needed_by"] = pd.Series(first.view(day.dtype), dtype=p["date"].dtype)
    return out


def trainer_hours_by_month(plan: pd.DataFrame) -> pd.DataFrame:
    """The provider's trainer-hours per month (columns: month, trainer_hours, sessions)."""
    if plan.empty:
        return pd.DataFrame(columns=["month", "trainer_hours", "sessions"])
    m = plan.assign(month=plan["date"].dt.to_period("M").dt.to_timestamp())
    by = m.groupby("month")  # two sums, not a named aggregation (its machinery: ~1 ms more, three calls a report)
    return pd.DataFrame({"trainer_hours": by["trainer_hours"].sum(), "sessions": by["sessions"].sum()}).reset_index()


def totals(plan: pd.DataFrame) -> dict[str, float]:
    """Sessions, participant hours, trainer hours and cost of a plan, and how many sessions are late."""
    return {"sessions": int(plan["sessions"].sum()), "participant_hours": float(plan["participant_hours"].sum()),
            "trainer_hours": float(plan["trainer_hours"].sum()), "cost": float(plan["cost"].sum()),
            "late_sessions": int(plan.loc[plan["late"].astype(bool), "sessions"].sum())}
