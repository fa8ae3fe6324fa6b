"""Big clients: the departments a report section names, the others grouped as one row.

A section that lists departments ranks them on its own measure (headcount, users, impact, load, people
with a gap...) and names the first :data:`TOP`; the rest become one row "Others (K departments)" whose
figures add up to what the section would have shown for them, so totals do not move. A client with at
most ``TOP + 1`` departments is shown whole (a group of one would only hide a name). The full
per-department tables are in the spreadsheet ``<scenario>.<lang>.departments.xlsx``
(:func:`impactlib.report.exports.departments_frames`).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import pandas as pd

from impactlib.analysis.shared import tally
from impactlib.report import charts
from impactlib.report.text import number, t

TOP = 12  # departments a section names; beyond TOP + 1 of them, the others are one row
OTHERS = "+others"  # the others' key in place of a department id (never an id: ids are slugs without '+')


@dataclass(frozen=True)
class Ranked:
    """Which departments a section names (``shown``, best first) and which it groups (``others``)."""

    shown: tuple[str, ...]
    others: frozenset[str]

    @property
    def grouped(self) -> bool:
        return bool(self.others)

    @property
    def total(self) -> int:
        return len(self.shown) + len(self.others)

    def key(self, ids: pd.Series) -> pd.Series:
        """``ids`` with every grouped department replaced by :data:`OTHERS`."""
        return ids.where(~ids.isin(self.others), OTHERS) if self.others else ids

    def order(self) -> list[str]:
        """The rows in the order a grouped section shows them: the named departments by rank, then the others."""
        return [*self.shown, OTHERS] if self.others else list(self.shown)


def rank(measure: pd.Series, n: int = TOP) -> Ranked:
    """Rank departments (``measure`` indexed by department id) highest first, ties by id; name the first ``n``
    when there are more than ``n + 1`` of them, else all."""
    ids = _ranked_small(measure) if len(measure) <= charts.SMALL_PIVOT else None
    if ids is None:
        m = measure.groupby(level=0).sum() if not measure.index.is_unique else measure
        ids = m.sort_index(kind="stable").sort_values(ascending=False, kind="stable").index.tolist()
    if len(ids) <= n + 1:
        return Ranked(tuple(ids), frozenset())
    return Ranked(tuple(ids[:n]), frozenset(ids[n:]))


def _ranked_small(measure: pd.Series) -> list[str] | None:
    """:func:`rank`'s order of a measure with one value per id (text), plain numbers without NaN, by Python's stable
    sorts (two frame sorts cost ~0.4 ms, ~6 a report); None otherwise (the frame path). tests/test_fast_sections.py
    compares both."""
    ids, values = measure.index.tolist(), measure.tolist()
    if not all(type(i) is str for i in ids) or len(set(ids)) != len(ids) or not all(type(v) in (int, float) and v == v for v in values):
        return None
    return [i for i, _ in sorted(sorted(zip(ids, values)), key=lambda iv: -iv[1])]


def few(ids: pd.Series, n: int = TOP) -> bool:
    """Whether :func:`rank` of a measure per these department ids (NA left out, as a groupby leaves them) names them
    all: at most ``n + 1`` of them. A small client's section then skips computing the measure (a groupby: ~1 ms)."""
    return len({x for x in ids.tolist() if x == x}) <= n + 1


def others_label(ranked: Ranked, lang: str) -> str:
    """The others' row label, e.g. "Others (988 departments)"."""
    return t("big.others", lang, n=number(len(ranked.others), lang))


_NAMES: dict[int, tuple[weakref.ref, pd.Series]] = {}


def names(ranked: Ranked, departments: pd.DataFrame, lang: str) -> pd.Series:
    """Department name by id (client's names), the others' key mapped to its label. The client's names are read once
    per departments table (a drop_duplicates and a set_index: ~0.5 ms, several sections a report); callers only read."""
    hit = _NAMES.get(id(departments))
    if hit is not None and hit[0]() is departments:
        base = hit[1]
    else:
        base = departments.drop_duplicates("department_id").set_index("department_id")["name"]
        _NAMES[id(departments)] = (weakref.ref(departments), base)
    return pd.concat([base, pd.Series({OTHERS: others_label(ranked, lang)})]) if ranked.grouped else base


def note(ranked: Ranked, measure: str, scenario: str, lang: str) -> str:
    """The sentence saying that a section is grouped and where the full table is ("" when it is not)."""
    if not ranked.grouped:
        return ""
    return t("big.note", lang, n=number(len(ranked.shown), lang), total=number(ranked.total, lang),
             others=number(len(ranked.others), lang), measure=t(f"big.by.{measure}", lang), file=workbook_name(scenario, lang))


def workbook_name(scenario: str, lang: str) -> str:
    """The spreadsheet with every department in full, written beside a big client's report by ``impactlib report``."""
    return f"{scenario}.{lang}.departments.xlsx"


def listed(names_: list[str], lang: str, n: int = TOP) -> str:
    """Department names joined with ", ", the first ``n`` and "and K other departments" beyond ``n + 1``."""
    if len(names_) <= n + 1:
        return ", ".join(names_)
    return ", ".join(names_[:n]) + " " + t("big.and_others", lang, n=number(len(names_) - n, lang))


TOP_SYSTEMS = 20  # systems (columns) the usage chart names; beyond TOP_SYSTEMS + 1, the others are one column
OTHER_SYSTEMS = "+other-systems"


def usage_grouped(frame: pd.DataFrame, departments: pd.DataFrame, scenario: str, lang: str
                  ) -> tuple[pd.DataFrame, list[str] | None, str | None, list[str]]:
    """The usage matrix (:func:`impactlib.analysis.overview.usage_matrix`) as the usage chart shows it: departments
    ranked by users (all systems), systems by whether a change touches them then by users, each beyond its
    readable count grouped. Returns the frame (same columns, people summed: the totals do not move), the rows'
    order (None: not grouped), the other systems' column label (None: not grouped) and the sentences to add."""
    f, rows, last, notes = frame, None, None, []
    if few(frame["department_id"]) and few(frame["asset_id"], TOP_SYSTEMS):  # nothing to group
        return f, rows, last, notes
    ranked = None if few(frame["department_id"]) else rank(frame.groupby("department_id")["users"].sum())
    if ranked is not None and ranked.grouped:
        label = names(ranked, departments, lang)
        key = ranked.key(f["department_id"])
        f = f.assign(department_id=key, department=key.map(label))
        rows = [label[d] for d in reversed(ranked.order())]  # the chart's y axis runs upwards: largest on top, the others at the bottom
        notes.append(note(ranked, "users", scenario, lang))
    systems = ranked_systems(frame)
    if len(systems) > TOP_SYSTEMS + 1:
        other = ~f["asset_id"].isin(systems[:TOP_SYSTEMS])
        last = t("big.other_systems", lang, n=number(len(systems) - TOP_SYSTEMS, lang))
        f = f.assign(asset_id=f["asset_id"].where(~other, OTHER_SYSTEMS), system=f["system"].where(~other, last),
                     changed=f["changed"] & ~other)
        notes.append(t("big.systems_note", lang, n=number(TOP_SYSTEMS, lang), total=number(len(systems), lang),
                       others=number(len(systems) - TOP_SYSTEMS, lang)))
    if f is not frame:
        f = charts.grouped(f, ["department_id", "department", "asset_id", "system", "changed"], "users", "sum")
    return f, rows, last, notes


def ranked_systems(frame: pd.DataFrame) -> list[str]:
    """The systems (asset ids) of the usage matrix, those a change touches first, then by users (all departments),
    ties by id. A frame of at most SMALL_PIVOT rows of whole numbers is counted in plain Python (two groupbys and a
    sort of a few tens of systems: ~1.5 ms; tests/test_fast_sections.py compares both paths)."""
    if len(frame) <= charts.SMALL_PIVOT and frame["users"].dtype == "int64" and frame["changed"].dtype == "bool":
        ids = frame["asset_id"].tolist()
        users, touched = tally(ids, frame["users"].tolist()), tally(ids, frame["changed"].tolist())  # (NA ids: no group)
        return sorted(sorted(users), key=lambda s: (not touched[s], -users[s]))  # (sorted is stable)
    by = frame.groupby("asset_id")  # two reductions, not a named aggregation (its machinery: ~1 ms more)
    systems = pd.DataFrame({"users": by["users"].sum(), "changed": by["changed"].max()})
    return systems.sort_index(kind="stable").sort_values(["changed", "users"], ascending=False, kind="stable").index.tolist()


def flows_grouped(flows: pd.DataFrame, departments: pd.DataFrame, scenario: str, lang: str) -> tuple[pd.DataFrame, str]:
    """The flows (:func:`impactlib.analysis.overview.flows`) with departments beyond the readable count grouped,
    ranked by the people the changes reach in them; people summed per (change, system) so that every flow keeps
    its width. Returns the frame and the sentence to add ("" when not grouped)."""
    if few(flows["department_id"]):
        return flows, ""
    reach = flows.groupby(["asset_id", "department_id"])["users"].max().groupby(level="department_id").sum()
    ranked = rank(reach)
    if not ranked.grouped:
        return flows, ""
    key = ranked.key(flows["department_id"])
    f = flows.assign(department_id=key, department=key.map(names(ranked, departments, lang)))
    f = charts.grouped(f, ["change_id", "asset_id", "system", "department_id", "department"], "users", "sum")
    return f, note(ranked, "reached", scenario, lang)


def impact_grouped(scores: pd.DataFrame, departments: pd.DataFrame, scenario: str, lang: str
                   ) -> tuple[pd.DataFrame, list[str] | None, str]:
    """Department scores (:func:`impactlib.analysis.impact.department_scores`) with departments beyond the readable
    count grouped, ranked by their highest score. The others' score of a change is their headcount-weighted mean,
    departments the change does not touch counting 0 (as :func:`impactlib.analysis.impact.company_scores` does), so
    score × headcount summed over the rows is the same as before. Returns the frame, the rows' order (None: not
    grouped) and the sentence to add."""
    if few(scores["department_id"]):
        return scores, None, ""
    ranked = rank(scores.groupby("department_id")["score"].max())
    if not ranked.grouped:
        return scores, None, ""
    head = departments.drop_duplicates("department_id").set_index("department_id")["headcount"]
    weight = float(head.loc[list(ranked.others)].sum())
    rest = scores.loc[scores["department_id"].isin(ranked.others)]
    weighted = (rest["score"] * rest["headcount"]).groupby(rest["change_id"], sort=False).sum()
    label = others_label(ranked, lang)
    others = pd.DataFrame({"department_id": OTHERS, "department": label, "headcount": weight, "change_id": weighted.index,
                           "score": (weighted / weight).to_numpy() if weight else 0.0})
    kept = scores.loc[scores["department_id"].isin(ranked.shown)]
    rows = names(ranked, departments, lang).loc[ranked.order()].tolist()
    return pd.concat([kept, others], ignore_index=True), rows, note(ranked, "impact", scenario, lang)


def load_grouped(load: pd.DataFrame, departments: pd.DataFrame, scenario: str, lang: str
                 ) -> tuple[pd.DataFrame, list[str] | None, str]:
    """The monthly change load (:func:`impactlib.analysis.impact.change_load`) with departments beyond the readable
    count grouped, ranked by their highest load against capacity. The others' row holds, per month, their load
    summed against their capacity summed (every grouped department's, loaded that month or not), saturated when
    any of them is. Returns the frame, the rows' order (None: not grouped) and the sentence to add."""
    if load.empty or few(load["department_id"]):
        return load, None, ""
    ranked = rank((load["load"] / load["capacity"]).groupby(load["department_id"]).max())
    if not ranked.grouped:
        return load, None, ""
    capacity = float(departments.drop_duplicates("department_id").set_index("department_id")["change_capacity"]
                     .loc[list(ranked.others)].sum())
    rest = load.loc[load["department_id"].isin(ranked.others)]
    per = rest.groupby("month", as_index=False, sort=True).agg(load=("load", "sum"), saturated=("saturated", "any"))
    label = others_label(ranked, lang)
    others = per.assign(department_id=OTHERS, department=label, capacity=capacity,
                        changes=rest.groupby("month", sort=True)["changes"].agg(lambda s: ", ".join(sorted({c for x in s for c in x.split(", ")}))).to_numpy())
    kept = load.loc[load["department_id"].isin(ranked.shown)]
    rows = names(ranked, departments, lang).loc[ranked.order()].tolist()
    return pd.concat([kept, others[load.columns]], ignore_index=True), rows, note(ranked, "load", scenario, lang)


def reorganisation_grouped(recs: pd.DataFrame, n: int = TOP) -> tuple[frozenset, dict[tuple[str, str, str], tuple[int, int]]]:
    """The recommendations (:attr:`Analysis.reorganisation`) a big client's list says in one line per change and kind:
    beyond ``n + 1`` departments of a change, its key-user lines past the ``n`` with the most key users, and its
    process-owner lines past the ``n`` with the highest impact degree. Returns the (change_id, kind, department_id)
    of the grouped lines, and, keyed by the last line of each grouped (change, kind) in ``recs``' order (the
    summary follows it), the number of grouped departments and their key users."""
    lines: dict = {}  # (change, kind) -> its lines: at most n + 1 departments each, nothing is grouped (~4 ms of groupbys)
    for change, kind in zip(recs["change_id"].tolist(), recs["kind"].tolist()):
        lines[(change, kind)] = lines.get((change, kind), 0) + 1
    if max((v for (_, kind), v in lines.items() if kind in ("key_users", "process_owner")), default=0) <= n + 1:
        return frozenset(), {}
    return _reorganisation_grouped(recs, n)


def _reorganisation_grouped(recs: pd.DataFrame, n: int) -> tuple[frozenset, dict[tuple[str, str, str], tuple[int, int]]]:
    """:func:`reorganisation_grouped` by a groupby of the recommendations and a ranking of each (change, kind)."""
    hidden, after = set(), {}
    for (change, kind), part in recs.loc[recs["kind"].isin(["key_users", "process_owner"])].groupby(["change_id", "kind"], sort=False):
        ranked = rank(part.set_index("department_id")["count" if kind == "key_users" else "degree"].astype("float64"), n)
        if not ranked.grouped:
            continue
        rest = part.loc[part["department_id"].isin(ranked.others)]
        hidden |= {(change, kind, d) for d in rest["department_id"]}
        after[(change, kind, part["department_id"].iloc[-1])] = (len(ranked.others), int(rest["count"].fillna(0).sum()) if kind == "key_users" else 0)
    return frozenset(hidden), after


def findings_grouped(findings, n: int = TOP) -> dict[str, int]:
    """Findings of one rule and severity beyond ``n + 1`` (a big client's per-department or per-device warnings): the
    first ``n`` in the given order are shown, the rest are counted in one line after the ``n``-th. Returns, by finding
    id, -1 for a finding not shown and K (the number not shown) for the ``n``-th of a group; other findings are absent."""
    size: dict[tuple[str, str], int] = {}
    for f in findings:
        size[(f.rule, f.severity)] = size.get((f.rule, f.severity), 0) + 1
    out, seen = {}, {}
    for f in findings:
        key = (f.rule, f.severity)
        if size[key] <= n + 1:
            continue
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == n:
            out[f.id] = size[key] - n
        elif seen[key] > n:
            out[f.id] = -1
    return out
