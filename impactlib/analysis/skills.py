"""Who will use each changed product and in which role, their skill gaps, and the courses that close them.

Pure functions. A gap is never negative; groups are not suppressed here (the report does that).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from impactlib.model.catalog import Catalog

if TYPE_CHECKING:  # for annotations only: assess imports this module
    from impactlib.analysis.assess import Analysis

COMPANY = "*"  # department id of a company-wide need (one administrator for the whole client)


def demand(an: Analysis) -> pd.DataFrame:
    """People needed per (change, department, usage role) of each changed product, and why they are in scope.

    Scope comes from evidence, never from a guess (docs/methodology.md, "Scope"):

    - ``usage``: usage.csv rows of the systems the change replaces (or lists in ``assets``), within the
      departments the change names (all departments when it names none);
    - ``listed``: a department the change names with no usage row of those systems: its whole headcount,
      as end users (the change says so);
    - ``devices``: a touched workstation or laptop assigned to a department that has no usage row of it: one
      user per device, at most the department's headcount;
    - ``role``: every change needs an administrator; when usage records none, one company-wide.

    A department that uses none of the touched systems is out of scope unless the change names it; touched
    systems with no usage at all are reported by the review (USAGE-MISSING), not filled in.
    Columns: change_id, product_id, department_id, role, users, reason.
    """
    client = an.client
    a, u, deps = client.assets, client.usage, client.departments
    cs = [c for c in an.changes if c.action != "remove" and c.product_id is not None]
    cols = ["change_id", "product_id", "department_id", "role", "users", "reason"]
    if not cs:
        return pd.DataFrame({k: pd.Series(dtype="str" if k != "users" else "int64") for k in cols})
    touched = pd.concat([an.touched[c.id][["asset_id"]].assign(change_id=c.id) for c in cs], ignore_index=True)
    all_depts = deps["department_id"].drop_duplicates()
    scope = pd.concat([pd.DataFrame({"change_id": c.id, "department_id": list(c.departments) if c.departments else all_depts})
                       for c in cs], ignore_index=True)
    target = pd.DataFrame({"change_id": [c.id for c in cs], "product_id": [c.product_id for c in cs]})
    used = u.merge(touched, on="asset_id").merge(scope, on=["change_id", "department_id"])
    per = used.groupby(["change_id", "department_id", "role"], as_index=False)["users"].max().assign(reason="usage")
    covered = per[["change_id", "department_id"]].drop_duplicates()
    # a department the change names, with no recorded use of its systems: everyone there, as the change says
    named = pd.DataFrame([(c.id, d) for c in cs for d in c.departments], columns=["change_id", "department_id"])
    named = _not_in(named, covered).merge(deps[["department_id", "headcount"]].drop_duplicates("department_id"))
    per = pd.concat([per, named.assign(role="end_user", reason="listed").rename(columns={"headcount": "users"})], ignore_index=True)
    # devices assigned to a department without a usage row: one user per device
    devices = touched.merge(a.loc[a["kind"].isin(["workstation", "laptop"]) & a["department_id"].notna(),
                                  ["asset_id", "department_id", "quantity"]], on="asset_id").merge(scope, on=["change_id", "department_id"])
    devices = _not_in(devices, pd.concat([covered, named[["change_id", "department_id"]]]))
    if len(devices):
        per = pd.concat([per, devices.groupby(["change_id", "department_id"], as_index=False)["quantity"].sum()
                         .rename(columns={"quantity": "users"}).assign(role="end_user", reason="devices")], ignore_index=True)
    # every change needs an administrator: company-wide when usage records none
    has_admin = set(per.loc[per["role"] == "administrator", "change_id"])
    extra = pd.DataFrame({"change_id": [c.id for c in cs if c.id not in has_admin], "department_id": COMPANY,
                          "role": "administrator", "users": 1, "reason": "role"})
    per = pd.concat([per, extra], ignore_index=True).merge(target, on="change_id")
    order = {c.id: i for i, c in enumerate(cs)}
    per = per.sort_values("change_id", key=lambda s: s.map(order), kind="stable")
    out = _cap_at_headcount(per[cols].astype({"users": "int64"}), deps)
    return out.loc[out["users"] > 0].reset_index(drop=True)


def _not_in(frame: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``frame`` whose (change_id, department_id) is not in ``other``."""
    keys = pd.MultiIndex.from_frame(other[["change_id", "department_id"]])
    return frame.loc[~pd.MultiIndex.from_frame(frame[["change_id", "department_id"]]).isin(keys)]


def unused_systems(an: Analysis) -> pd.DataFrame:
    """Systems a change touches that nobody is recorded as using (no usage.csv row with users), for changes
    that name no department: the people in scope are unknown there (devices assigned to a department count as
    used, see :func:`demand`). Columns: change_id, asset_id, name."""
    u = an.client.usage
    used = set(u.loc[u["users"] > 0, "asset_id"])
    rows = []
    for c in an.changes:
        if c.action == "remove" or c.product_id is None or c.departments:
            continue
        t = an.touched[c.id]
        devices = t["kind"].isin(["workstation", "laptop"])
        unknown = t.loc[t["kind"].isin(["software", "saas", "database", "workstation", "laptop"]) & ~t["asset_id"].isin(used)
                        & ~(devices & t["department_id"].notna())]
        rows += [(c.id, x, n) for x, n in zip(unknown["asset_id"], unknown["name"])]
    return pd.DataFrame(rows, columns=["change_id", "asset_id", "name"])


def _cap_at_headcount(per: pd.DataFrame, deps: pd.DataFrame) -> pd.DataFrame:
    """Roles are disjoint groups of people: a department never needs more people than it has.
    The excess (from taking each role's largest count over several systems) comes off end users."""
    head = per["department_id"].map(deps.drop_duplicates("department_id").set_index("department_id")["headcount"])
    excess = (per.groupby(["change_id", "department_id"])["users"].transform("sum") - head).clip(lower=0)
    cut = per["users"].where(per["role"] == "end_user", 0).clip(upper=excess)
    return per.assign(users=(per["users"] - cut).astype("int64"))


def gaps(an: Analysis) -> pd.DataFrame:
    """Skill gap of every person who will use a changed product, per required skill.

    People are assigned to roles within their department by current level: the most skilled become
    the administrators, then the key users, then the end users (company-wide needs draw on everyone).
    Columns: change_id, product_id, department_id, staff_id, role, skill_id, required, current, gap (≥ 0).
    """
    client = an.client
    need = an.demand
    req = client.catalog.required_skills()
    staff = client.staff[["staff_id", "department_id"]].sort_values("staff_id", ignore_index=True)
    # people as integer codes in staff-id order while matching: joins on integers, not on 50,000 strings
    ids = pd.Index(staff["staff_id"])
    staff = staff.assign(staff_id=np.arange(len(staff), dtype="int64"))
    levels = client.skills[["staff_id", "skill_id", "level"]]
    levels = levels.assign(staff_id=ids.get_indexer(levels["staff_id"]))
    levels = levels.loc[levels["staff_id"] >= 0]  # levels of unknown people cannot occur (checked at load)
    lookup = _level_lookup(levels)
    taken = pd.DataFrame({"change_id": pd.Series(dtype="str"), "staff_id": pd.Series(dtype="int64")})
    out = []
    for role in ("administrator", "key_user", "end_user"):
        n = need.loc[need["role"] == role]
        if n.empty:
            continue
        r = req.loc[req["role"] == role, ["product_id", "skill_id", "level"]].rename(columns={"level": "required"})
        chosen = pd.concat([_pick_local(n.loc[n["department_id"] != COMPANY], staff, r, levels, taken),
                            _pick_company(n.loc[n["department_id"] == COMPANY], staff, r, levels, taken)], ignore_index=True)
        taken = pd.concat([taken, chosen[["change_id", "staff_id"]]], ignore_index=True)
        g = chosen.merge(r, on="product_id")
        g = g.assign(current=lookup(g["staff_id"].to_numpy(dtype="int64"), g["skill_id"]), role=role)
        out.append(g)
    cols = ["change_id", "product_id", "department_id", "staff_id", "role", "skill_id", "required", "current", "gap"]
    if not out:
        return pd.DataFrame({k: pd.Series(dtype="int64" if k in ("required", "current", "gap") else "str") for k in cols})
    g = pd.concat(out, ignore_index=True)
    g["staff_id"] = ids.take(g["staff_id"].to_numpy(dtype="int64"))
    g["current"] = g["current"].astype("int64")
    g["required"] = g["required"].astype("int64")
    g["gap"] = (g["required"] - g["current"]).clip(lower=0)
    return g[cols].reset_index(drop=True)  # merge order is deterministic: no costly sort of every gap row


def _level_lookup(levels: pd.DataFrame):
    """A function (person codes, skill ids) -> current levels (0 where none is recorded), by one integer
    hash lookup instead of a join on (person, skill) against every recorded level."""
    skills = pd.Index(levels["skill_id"].unique())
    width = len(skills) + 1
    index = pd.Index(levels["staff_id"].to_numpy(dtype="int64") * width + skills.get_indexer(levels["skill_id"]))
    values = levels["level"].to_numpy(dtype="int64")

    def current(staff_codes, skill_ids) -> np.ndarray:
        skill = skills.get_indexer(skill_ids)
        pos = np.where(skill >= 0, index.get_indexer(staff_codes * width + skill), -1)
        found = pos >= 0
        out = np.zeros(len(pos), dtype="int64")
        out[found] = values[pos[found]]
        return out
    return current


def _scores(r: pd.DataFrame, levels: pd.DataFrame) -> pd.DataFrame:
    """Sum of current levels on a role's skills, per (product, person): only people holding one of them."""
    relevant = levels.loc[levels["skill_id"].isin(r["skill_id"].unique())]
    return r.merge(relevant, on="skill_id").groupby(["product_id", "staff_id"], as_index=False)["level"].sum()


def _without(frame: pd.DataFrame, taken: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``frame`` whose (change, person) is not already taken in an earlier role."""
    if taken.empty:
        return frame
    # people are integer codes here (see gaps): one integer key per (change, person), then a hash isin
    changes_ = pd.Index(taken["change_id"].unique())
    width = int(max(frame["staff_id"].max(), taken["staff_id"].max())) + 1
    fc = changes_.get_indexer(frame["change_id"])
    fk = fc.astype("int64") * width + frame["staff_id"].to_numpy(dtype="int64")
    tk = changes_.get_indexer(taken["change_id"]).astype("int64") * width + taken["staff_id"].to_numpy(dtype="int64")
    return frame.loc[~((fc >= 0) & np.isin(fk, tk))]


def _ranked(cand: pd.DataFrame, group: list[str]) -> pd.DataFrame:
    """Candidates with the most skilled first (ties by staff id), kept up to each group's ``users``."""
    cand = cand.sort_values(group + ["level", "staff_id"], ascending=[True] * len(group) + [False, True])
    return cand.loc[cand.groupby(group).cumcount() < cand["users"]]


def _pick_local(n: pd.DataFrame, staff: pd.DataFrame, r: pd.DataFrame, levels: pd.DataFrame, taken: pd.DataFrame) -> pd.DataFrame:
    """People of each department for each change: everyone left when the quota covers them all (no
    ranking needed), else the most skilled. Columns: change_id, product_id, staff_id."""
    if n.empty:
        return pd.DataFrame(columns=["change_id", "product_id", "staff_id", "department_id"])
    cand = _without(n.merge(staff, on="department_id"), taken)
    left = cand.groupby(["change_id", "department_id"])["staff_id"].transform("size")
    full = cand.loc[cand["users"] >= left]
    part = cand.loc[cand["users"] < left]
    if len(part):
        part = part.merge(_scores(r, levels), on=["product_id", "staff_id"], how="left").fillna({"level": 0})
        part = _ranked(part, ["change_id", "department_id"])
    return pd.concat([full, part], ignore_index=True)[["change_id", "product_id", "staff_id", "department_id"]]


def _pick_company(n: pd.DataFrame, staff: pd.DataFrame, r: pd.DataFrame, levels: pd.DataFrame, taken: pd.DataFrame) -> pd.DataFrame:
    """Company-wide needs (one administrator): the most skilled person anywhere; if nobody holds the
    skills, the first staff ids (everyone is then equally far). Columns: change_id, product_id, staff_id."""
    if n.empty:
        return pd.DataFrame(columns=["change_id", "product_id", "staff_id", "department_id"])
    skilled = n.merge(_scores(r, levels), on="product_id")
    fallback = n.merge(staff.head(int(n["users"].max()) + len(taken["staff_id"].unique()))[["staff_id"]], how="cross").assign(level=0)
    cand = _without(pd.concat([skilled, fallback], ignore_index=True), taken)
    cand = cand.sort_values("level", ascending=False).drop_duplicates(["change_id", "staff_id"])
    return _ranked(cand, ["change_id"])[["change_id", "product_id", "staff_id"]].merge(staff, on="staff_id")


def course_paths(catalog: Catalog, skill_ids=None) -> pd.DataFrame:
    """Cheapest chain of courses (in hours) from each level to each higher level, per skill.

    A course ``from_level → to_level`` can be taken by anyone at ``from_level`` or above (below its
    ``to_level``). Columns: skill_id, from_level, to_level, hours, cost, sessions (course ids, '+').
    Pairs with no chain are absent. ``skill_ids`` limits the work to those skills (default: all).
    """
    rows = []
    courses = catalog.courses if skill_ids is None else catalog.courses.loc[catalog.courses["skill_id"].isin(list(skill_ids))]
    for skill, cs in courses.groupby("skill_id"):
        courses = list(cs[["course_id", "from_level", "to_level", "hours", "cost"]].itertuples(index=False))
        for start in range(0, 5):
            best = {start: (0.0, 0.0, ())}
            for level in range(start, 6):  # levels only go up: one pass in order is enough
                if level not in best:
                    continue
                h, c, path = best[level]
                for k in courses:
                    if k.from_level <= level < k.to_level:
                        cand = (h + k.hours, c + k.cost, path + (k.course_id,))
                        if k.to_level not in best or cand[0] < best[k.to_level][0]:
                            best[k.to_level] = cand
            rows += [{"skill_id": skill, "from_level": start, "to_level": lv, "hours": h, "cost": c, "sessions": "+".join(p)}
                     for lv, (h, c, p) in best.items() if lv > start]
    return pd.DataFrame(rows, columns=["skill_id", "from_level", "to_level", "hours", "cost", "sessions"])


def training_need(an: Analysis) -> pd.DataFrame:
    """Training hours and cost to close every gap, per person and skill; ``hours`` NaN where no course exists.

    Reaching a level at least as high as required is enough (a chain may overshoot). Columns: those of
    :func:`gaps` (gap > 0 only) plus hours, cost, sessions.
    """
    client = an.client
    g = an.gaps
    g = g.loc[g["gap"] > 0].reset_index(drop=True)
    best = cheapest_chains(course_paths(client.catalog, set(g["skill_id"])))
    # one integer lookup per gap row on (skill, from level, required level), not a join on a string key
    skills_ = pd.Index(best["skill_id"].unique())
    key = lambda skill, lvl, req: skill * 36 + np.asarray(lvl, dtype="int64") * 6 + np.asarray(req, dtype="int64")  # noqa: E731
    index = pd.Index(key(skills_.get_indexer(best["skill_id"]), best["from_level"], best["required"]))
    code = skills_.get_indexer(g["skill_id"])
    pos = np.where(code >= 0, index.get_indexer(key(code, g["current"], g["required"])), -1)
    found = pos >= 0
    if not len(best):  # no course for any of these skills: every gap keeps NaN hours
        best = pd.DataFrame({"hours": [np.nan], "cost": [np.nan], "sessions": [None]})
    picked = best.iloc[np.where(found, pos, 0)].reset_index(drop=True)
    # hours and cost stay numbers (NaN where no chain exists), even when no course matched at all
    return g.assign(hours=picked["hours"].astype("float64").where(found), cost=picked["cost"].astype("float64").where(found),
                    sessions=picked["sessions"].where(found))


def cheapest_chains(paths: pd.DataFrame) -> pd.DataFrame:
    """For each (skill, from level, required level): the fewest-hours chain reaching at least that level.

    Columns: skill_id, from_level, required, hours, cost, sessions. A small table (skills × 15 rows at
    most), so that every gap is priced by a one-to-one join.
    """
    need = pd.DataFrame({"required": range(1, 6)})
    f = paths.merge(need, how="cross")
    f = f.loc[f["to_level"] >= f["required"]]
    f = f.sort_values(["hours", "to_level"]).drop_duplicates(["skill_id", "from_level", "required"])
    return f[["skill_id", "from_level", "required", "hours", "cost", "sessions"]].reset_index(drop=True)


def gap_summary(gaps_frame: pd.DataFrame, k: int) -> pd.DataFrame:
    """People with a gap per (department, skill), any change; counts under ``k`` become NA (not shown).

    Columns: department_id, skill_id, people, mean_gap (NA too when people is suppressed).
    """
    g = gaps_frame.loc[gaps_frame["gap"] > 0]
    per = g.groupby(["department_id", "staff_id", "skill_id"], as_index=False)["gap"].max()
    s = per.groupby(["department_id", "skill_id"], as_index=False).agg(people=("staff_id", "nunique"), mean_gap=("gap", "mean"))
    small = s["people"] < k
    return s.assign(people=s["people"].astype("Int64").mask(small), mean_gap=s["mean_gap"].mask(small))
