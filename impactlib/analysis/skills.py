"""Who will use each changed product and in which role, their skill gaps, and the courses that close them.

Pure functions. A gap is never negative; groups are not suppressed here (the report does that). A
person's current level is the one recorded in skills.csv; where none is recorded, a floor inferred from
their usage of the systems a change touches and from the catalog's skill transfers (docs/methodology.md,
"Current levels").
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from impactlib.analysis import shared as share
from impactlib.model.catalog import Catalog
from impactlib.model.client import Client
from impactlib.model.frames import frame_rows

if TYPE_CHECKING:  # for annotations only
    from impactlib.model.analysis import Analysis

COMPANY = "*"  # department id of a company-wide need (one administrator for the whole client)

# The level usage shows, by usage.csv intensity (impactlib convention, docs/methodology.md "Current levels"):
# someone using a system every day works alone on it (3, autonomous), every week does the routine tasks
# (2, basic), monthly or occasionally knows it exists and where things are (1, aware). Capped at the level
# the catalog requires of the role on the current product: usage shows a person does what the role needs,
# never more.
USAGE_LEVEL = {"daily": 3, "weekly": 2, "monthly": 1, "occasional": 1}
KEY_USER_BONUS = 1  # a key user knows the system one level better than the other users (5 at most)
SOURCES = ("recorded", "inferred", "none")  # where a current level comes from (gaps' `source` column)


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
    if share.small(an):
        return _demand_small(an, cs, cols)
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


def _demand_small(an: Analysis, cs: list, cols: list[str]) -> pd.DataFrame:
    """:func:`demand` in plain Python for small clients (shared.SMALL_STAFF): the same rows in the same order — per
    change, its usage rows by department and role, the departments it names, the devices by department, the
    company-wide administrator — each department's end users capped at its headcount."""
    client = an.client
    head, used_on, devices_of = share.once(an, ("demand_facts",), lambda: _demand_facts(client))
    rows, company = [], False
    for c in cs:
        scope = set(c.departments) if c.departments else set(head)
        touched = an.touched[c.id]["asset_id"].tolist()
        best: dict[tuple[str, str], int] = {}
        for asset in touched:
            for dep, role, n in used_on.get(asset, ()):
                if dep in scope:
                    best[(dep, role)] = max(best.get((dep, role), n), n)
        per = [(dep, role, n, "usage") for (dep, role), n in sorted(best.items())]
        covered = {dep for dep, _ in best}
        named = [(d, "end_user", head[d], "listed") for d in c.departments if d not in covered and d in head]
        listed = covered | {d for d, *_ in named}
        counted: dict[str, int] = {}
        for asset in touched:
            for dep, quantity in devices_of.get(asset, ()):
                if dep in scope and dep not in listed:
                    counted[dep] = counted.get(dep, 0) + quantity
        per += named + [(dep, "end_user", n, "devices") for dep, n in sorted(counted.items())]
        if not any(role == "administrator" for _, role, *_ in per):
            per.append((COMPANY, "administrator", 1, "role"))
            company = True
        # roles are disjoint groups of people: the excess over a department's headcount comes off its end users
        total: dict[str, int] = {}
        for dep, _, n, _ in per:
            total[dep] = total.get(dep, 0) + n
        for dep, role, n, why in per:
            mine = n if role == "end_user" else 0
            cut = min(mine, max(total[dep] - head[dep], 0)) if dep in head else mine  # '*' has no headcount: as in the frame path
            if n - cut > 0:
                rows.append((c.id, c.product_id, dep, role, n - cut, why))
    # the frame path's change ids are of object dtype when one of the parts it concatenates is empty (no change names
    # a department, or none needs a company-wide administrator), and its department ids when no change names one:
    # the same here, so both paths give equal frames
    kinds = {k: "int64" if k == "users" else "str" for k in cols}
    if not any(c.departments for c in cs):
        kinds.update(change_id=object, department_id=object)
    elif not company:
        kinds.update(change_id=object)
    return share.frame(rows, kinds)


def _demand_facts(client: Client) -> tuple[dict, dict, dict]:
    """What :func:`_demand_small` reads of the client: each department's headcount (its first row's), and by asset
    its usage rows (department, role, users) and the workstations and laptops assigned to a department (department,
    quantity)."""
    head: dict[str, int] = {}
    for d, h in zip(client.departments["department_id"].tolist(), client.departments["headcount"].tolist()):
        head.setdefault(d, h)
    used_on: dict[str, list[tuple[str, str, int]]] = {}
    u = client.usage
    for dep, asset, role, n in zip(u["department_id"].tolist(), u["asset_id"].tolist(), u["role"].tolist(), u["users"].tolist()):
        used_on.setdefault(asset, []).append((dep, role, n))
    a = client.assets
    devices_of: dict[str, list[tuple[str, int]]] = {}
    for asset, kind, dep, quantity in zip(*(a[c].tolist() for c in ("asset_id", "kind", "department_id", "quantity"))):
        if kind in ("workstation", "laptop") and pd.notna(dep):
            devices_of.setdefault(asset, []).append((dep, quantity))
    return head, used_on, devices_of


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

    People are assigned to roles within their department by recorded level: the most skilled become
    the administrators, then the key users, then the end users (company-wide needs draw on everyone).
    Their current level is the recorded one, else the level inferred from usage and skill transfers
    (:func:`inferred_levels`), else 0. Columns: change_id, product_id, department_id, staff_id, role,
    skill_id, required, current, source ('recorded', 'inferred' or 'none': where ``current`` comes
    from), gap (≥ 0). Every column but the levels is a categorical of sorted categories (staff_id's: every person's
    id, its codes those shared.keep_codes keeps) and the levels are LEVEL (bytes): a person-level frame of ~330,000
    rows at 50,000 staff (shared.category).
    """
    if share.small(an):
        fast = _gaps_small(an)
        if fast is not None:
            return fast
    client = an.client
    need = an.demand.assign(need=np.arange(len(an.demand)))  # a need is one (change, department, role) of demand
    staff, ids, levels = share.per_person(an, ("coded_people",), lambda: _coded_people(client))
    picked = []
    g = _rows(an, need, staff, levels, picked)
    cols = ["change_id", "product_id", "department_id", "staff_id", "role", "skill_id", "required", "current", "source", "gap"]
    if g is None:
        return pd.DataFrame({k: pd.Series(dtype=LEVEL) if k in LEVELS else share.category(pd.Series(dtype="str")) for k in cols})
    codes = g["staff_id"].to_numpy(dtype="int64")
    recorded, found = share.per_person(an, ("recorded_levels",), lambda: _level_lookup(levels))(codes, g["skill_id"])
    inferred = _level_lookup(_inferred(an, need, pd.concat(picked, ignore_index=True), staff, levels))(codes, g["skill_id"])[0]
    current = np.where(found, recorded, inferred).astype(LEVEL)
    required = g["required"].to_numpy().astype(LEVEL)
    # the sources' categories sorted, as every coded column's: inferred, none, recorded
    source = pd.Categorical.from_codes(np.where(found, 2, np.where(inferred > 0, 0, 1)), pd.Index(sorted(SOURCES), dtype="str"))
    del found, recorded, inferred
    # merge order is deterministic: no costly sort of every gap row; the people's codes (staff-id order) kept: every
    # person's id sorted are the staff ids' categories
    coded = {c: g[c] if isinstance(g[c].dtype, pd.CategoricalDtype) else share.category(g[c]) for c in IDS if c != "source"}
    out = pd.DataFrame({**coded, "staff_id": pd.Categorical.from_codes(codes, categories=ids), "source": source,
                        "required": required, "current": current, "gap": np.maximum(required - current, 0)}, copy=False)[cols]
    return share.keep_codes(an, "gaps", out, share.staff_codes(out))


LEVEL = "int8"  # a level (0-5) or a gap in the person-level frames: a byte per row (shared.category)
LEVELS = ("required", "current", "gap")
IDS = ("change_id", "product_id", "department_id", "role", "skill_id", "source")  # few distinct values


def _rows(an: Analysis, need: pd.DataFrame, staff: pd.DataFrame, levels: pd.DataFrame, picked: list) -> pd.DataFrame | None:
    """The gap rows before the levels, each role's in turn (None when no role has a need): the people picked for it
    (their need and person code appended to ``picked``) with every skill their product requires of the role, in the
    order of their inner merge on product_id. Columns: change_id, product_id, staff_id (code), department_id,
    skill_id, required, role.

    A big client's rows are coded as each role's are made (:func:`_part`: ~330,000 rows at 50,000 staff, which took
    ~18 MiB more at the analysis' peak as strings and int64), on categories common to every role (so that they
    concatenate coded), then keep the categories used, of the dtype the rows as strings have; a small client's are
    merged as strings (coding them role by role costs more than the rows) and coded by :func:`gaps`."""
    coded = not share.small(an)
    if coded:
        dtypes = {"change_id": share.category(need["change_id"]).dtype, "product_id": share.category(need["product_id"]).dtype,
                  "department_id": share.category(pd.concat([need["department_id"], staff["department_id"]])).dtype,
                  "skill_id": share.category(an.client.catalog.required_skills()["skill_id"]).dtype,
                  "role": pd.CategoricalDtype(pd.Index(sorted(ROLES), dtype="str"))}
    out, empty = [], []  # empty: each role's rows as strings, without any (the dtypes of the ids' values)
    for role, chosen, kinds in _chosen_by_role(an, need, staff, levels):
        r = share.once(an, ("role_required", role), lambda role=role: _role_required(an, role))
        picked.append(chosen[["need", "staff_id"]])
        chosen = chosen.drop(columns="need")
        if coded:
            out.append(_part(chosen, r, role, dtypes))
            empty.append(kinds.drop(columns="need").merge(r.iloc[0:0], on="product_id").assign(role=role))
        else:
            out.append(chosen.merge(r, on="product_id").assign(role=role))
    if not out:
        return None
    g = pd.concat(out, ignore_index=True)
    del out, chosen  # copied into g: not kept beside it while the levels are looked up
    if coded:
        values = pd.concat(empty, ignore_index=True).dtypes
        for c in dtypes:  # the categories used, of the dtype the rows as strings have
            used = g[c].cat.remove_unused_categories()
            g[c] = pd.Categorical.from_codes(used.cat.codes, pd.Index(used.cat.categories, dtype=values[c]))
    return g


def _gaps_small(an: Analysis) -> pd.DataFrame | None:
    """:func:`gaps` in plain Python for a small client (shared.SMALL_STAFF): the same rows, order, values, dtypes and
    categories. The frame path's merges, filters, lookups and frames of tens to hundreds of rows took ~36 ms for the
    own scenario of a 120-person synthetic client and ~9 ms for each other one (pandas' fixed cost per operation was
    most of the work); this path ~8 and ~4 ms. None (the frame path) where :func:`_rows_small`, :func:`_people_small` or :func:`_evidence_small`
    hand back, or for no gap row."""
    people = share.per_person(an, ("people_small",), lambda: _people_small(an.client))
    d = an.demand
    need = list(zip(d["change_id"].tolist(), d["product_id"].tolist(), d["department_id"].tolist(), d["users"].tolist(),
                    range(len(d)), d["role"].tolist()))
    made = None if people is None else _rows_small(an, need, people)
    if made is None:
        return None
    rows, picks, kinds = made
    inferred = _inferred_small(an, need, picks, people)
    if inferred is None or not rows:
        return None
    change, product, who, dep, skill, required, role = (list(c) for c in zip(*rows))
    recorded = people["recorded"]
    current, source = [], []  # the sources' categories sorted, as every coded column's: inferred, none, recorded
    for key in zip(who, skill):
        level = recorded.get(key)
        if level is None:
            level = inferred.get(key, 0)
            source.append(0 if level > 0 else 1)
        else:
            source.append(2)
        current.append(level)
    required_, current_ = (np.array(x, dtype="int64").astype(LEVEL) for x in (required, current))
    out = pd.DataFrame({
        "change_id": _category(an, change, object), "product_id": _category(an, product, object),
        "department_id": _category(an, dep, object), "staff_id": pd.Categorical.from_codes(who, dtype=people["ids"]),
        "role": _category(an, role, "str"), "skill_id": _category(an, skill, kinds["skill_id"]), "required": required_,
        "current": current_, "source": pd.Categorical.from_codes(source, dtype=_categories(an, tuple(sorted(SOURCES)), "str")),
        "gap": np.maximum(required_ - current_, 0)}, copy=False)
    return share.keep_codes(an, "gaps", out, share.staff_codes(out))


def _category(an: Analysis, values: list, dtype) -> pd.Categorical:
    """shared.category of a column of ``values`` (strings, no NA) of dtype ``dtype``: its distinct values sorted. The
    categories' dtype is kept per client (the scenarios' mostly share them; validating them took ~0.25 ms a column)."""
    distinct = tuple(sorted(set(values)))
    code = {v: k for k, v in enumerate(distinct)}
    return pd.Categorical.from_codes([code[v] for v in values], dtype=_categories(an, distinct, dtype))


def _categories(an: Analysis, distinct: tuple, dtype) -> pd.CategoricalDtype:
    """The categorical dtype of the categories ``distinct`` (sorted) of dtype ``dtype``, kept per client."""
    return share.once(an, ("categories", dtype, distinct), lambda: pd.CategoricalDtype(pd.Index(distinct, dtype=dtype)))


def _rows_small(an: Analysis, need: list[tuple], people: dict) -> tuple[list, list, dict] | None:
    """:func:`_rows` in plain Python, for :func:`_gaps_small`, on the needs ``need`` (change_id, product_id,
    department_id, users, need, role: demand's rows numbered) and the client's :func:`_people_small`: the gap rows
    before the levels (change_id, product_id, staff code, department_id, skill_id, required, role) in the frame
    path's order (each role's people as :func:`_pick` picks them, each with every skill their product requires of
    the role in the catalog's order, as the inner merge gives them), the picks (need, staff code) and the dtypes of
    the skill ids and levels. None where the frame path gives other dtypes or ranks otherwise: needs in no role but
    administrator (the frame path's ids are objects when a role has no company-wide need, as only administrators
    have: demand's "role" reason), an id that is not a string, a level that is not an int64, or two company-wide
    needs of a change in one role."""
    if all(x[5] == "administrator" for x in need) or not all(isinstance(v, str) for x in need for v in x[:3] + x[5:]):
        return None
    company = [(x[0], x[5]) for x in need if x[2] == COMPANY]
    if len(set(company)) < len(company):  # two company-wide needs of a change in one role: the frame path ranks them
        return None
    req = an.client.catalog.required_skills()
    kinds = {"skill_id": req["skill_id"].dtype, "required": req["level"].dtype}
    if kinds["required"] != "int64":
        return None
    by_role = share.once(an, ("required_by_role",), lambda: _required_by_role(req))
    members, home = people["members"], people["home"]
    taken: set[tuple[str, int]] = set()
    rows, picks = [], []
    for role in ROLES:
        n = [x[:5] for x in need if x[5] == role]
        if not n:
            continue
        required = by_role.get(role, {})
        score_of = functools.cache(lambda role=role, required=required: share.once(
            an, ("role_score_of", role), lambda: _score_of_small(required, people["held"])))
        full, ranked = _pick_local_rows([x for x in n if x[2] != COMPANY], members, score_of, taken)
        company = [(cid, pid, who, home[who], k)
                   for cid, pid, who, k in _pick_company_rows([x for x in n if x[2] == COMPANY], len(home), score_of, taken)]
        for cid, pid, who, dep, k in full + ranked + company:
            picks.append((k, who))
            rows += [(cid, pid, who, dep, skill, level, role) for skill, level in required.get(pid, ())]
        taken |= {(cid, who) for cid, _, who, _, _ in full + ranked + company}
    return rows, picks, kinds


def _required_by_role(req: pd.DataFrame) -> dict[str, dict[str, list[tuple[str, int]]]]:
    """The catalog's required skills (``required_skills()``) by role then product: (skill_id, required) in the
    catalog's order, as :func:`_role_required` filters them."""
    out: dict = {}
    for product, role, skill, level in zip(req["product_id"].tolist(), req["role"].tolist(), req["skill_id"].tolist(),
                                           req["level"].tolist()):
        out.setdefault(role, {}).setdefault(product, []).append((skill, level))
    return out


def _score_of_small(required: dict[str, list[tuple[str, int]]], held: dict[str, list[tuple[int, int]]]) -> dict:
    """:func:`_score_of` of the role's :func:`_scores` in plain Python (the same mapping (product, person code) ->
    summed level; the pickers read it by key, whatever its order): ``required`` the role's skills by product
    (:func:`_required_by_role`), ``held`` the recorded levels by skill (:func:`_people_small`)."""
    total: dict[tuple[str, int], int] = {}
    for product, skills_ in required.items():
        for skill, _ in skills_:
            for person, level in held.get(skill, ()):
                total[(product, person)] = total.get((product, person), 0) + level
    return total


def _people_small(client: Client) -> dict | None:
    """:func:`_coded_people` in plain Python, for :func:`_gaps_small`: ``ids`` (the categorical dtype of the staff ids
    sorted, of their dtype: the codes are their positions), each code's department (``home``), each department's codes
    in order (``members``), the recorded levels by (code, skill) (``recorded``) and by skill (``held``: (code, level)
    in skills.csv's order). None (the frame path) for an id that is not a string, a staff id given twice, a level
    that is not an int64 or a (person, skill) recorded twice (the frame path's index of them is not unique)."""
    staff, levels = client.staff, client.skills
    ids, depts = staff["staff_id"].tolist(), staff["department_id"].tolist()
    if levels["level"].dtype != "int64" or not all(isinstance(x, str) for x in ids + depts) or len(set(ids)) < len(ids):
        return None
    order = sorted(range(len(ids)), key=ids.__getitem__)
    code = {ids[i]: k for k, i in enumerate(order)}
    home = [depts[i] for i in order]
    members: dict[str, list[int]] = {}
    for k, dep in enumerate(home):
        members.setdefault(dep, []).append(k)
    skills_ = levels["skill_id"].tolist()
    if not all(type(skill) is str for skill in skills_):
        return None
    # levels of unknown people cannot occur (checked at load): the frame path drops them too
    known = [(who, skill, level) for who, skill, level in zip(map(code.get, levels["staff_id"].tolist()), skills_,
                                                               levels["level"].tolist()) if who is not None]
    recorded = {(who, skill): level for who, skill, level in known}
    if len(recorded) < len(known):
        return None
    held: dict[str, list[tuple[int, int]]] = {}
    for who, skill, level in known:
        held.setdefault(skill, []).append((who, level))
    return {"ids": pd.CategoricalDtype(pd.Index([ids[i] for i in order], dtype=staff["staff_id"].dtype, name="staff_id")),
            "home": home, "members": members, "recorded": recorded, "held": held}


def as_values(frame: pd.DataFrame) -> pd.DataFrame:
    """A person-level frame as its values: ids as they were before they were coded (shared.plain), levels as int64.
    For the pandas fallbacks (an NA key): their groupbys then give the keys and dtypes the counts on codes give."""
    return share.plain(frame).astype({c: "int64" for c in LEVELS if c in frame})


def _part(chosen: pd.DataFrame, r: pd.DataFrame, role: str, dtypes: dict) -> pd.DataFrame:
    """:func:`_rows` of one role, coded: the people picked (``chosen``) with every skill their product requires of the
    role (``r``: product_id, skill_id, required), in the order of their inner merge on product_id, the ids coded on
    ``dtypes`` (every role's) and the required level as LEVEL."""
    left = chosen.astype({c: dtypes[c] for c in ("change_id", "product_id", "department_id")})
    right = r.loc[r["product_id"].isin(dtypes["product_id"].categories)]  # (the products of no need match none)
    right = right.astype({"product_id": dtypes["product_id"], "skill_id": dtypes["skill_id"], "required": LEVEL})
    part = left.merge(right, on="product_id")
    return part.assign(role=pd.Categorical([role] * len(part), dtype=dtypes["role"]))


ROLES = ("administrator", "key_user", "end_user")  # the order people are picked in: the most skilled administer
_NONE = (np.empty(0, dtype="int32"), np.empty(0, dtype="int32"))
_NOBODY = (_NONE, _NONE, _NONE)  # the picks of a change with no need in a role


def _runs(need: pd.DataFrame) -> dict[str, slice]:
    """The rows of each change in ``need`` (demand: each change's rows are together, changes in plan order)."""
    ids = need["change_id"].to_numpy(dtype=object)
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]) if len(ids) else np.empty(0, dtype="int64")
    ends = np.r_[starts[1:], len(ids)]
    return {ids[a]: slice(int(a), int(b)) for a, b in zip(starts, ends)}


def _chosen_by_role(an: Analysis, need: pd.DataFrame, staff: pd.DataFrame, levels: pd.DataFrame):
    """(role, the people picked for its needs, their columns' dtypes) for each role with needs, in ROLES order:
    change_id, product_id, staff_id (code), department_id, need; everyone of the needs taken whole (changes in plan
    order), then the ranked ones by change and department, then the company-wide ones by change (:func:`_pick`). The
    dtypes (a frame without rows) are those of the pickers' frames concatenated: objects where one of them is an empty
    frame of objects, which the people picked are not converted to (~18 MiB of person codes as Python ints at 50,000
    staff).

    A big client's picks are kept per change (by its structure key, see :func:`_picks_of`), so that a scenario that
    differs in a few changes picks for those only, and laid out here in the order one pick over all the changes
    gives; a small client's (shared.SMALL_STAFF) are picked over all the changes at once, which costs less."""
    if share.small(an):
        for role, frames in _pick(an, need, staff, levels):
            chosen = pd.concat(frames, ignore_index=True)
            yield role, chosen, chosen.iloc[0:0]
        return
    runs = _runs(need)
    keys = {c.id: ("gap_picks", an.change_keys[c.id]) for c in an.changes if c.id in runs}
    some = lambda todo: pd.concat([need.iloc[runs[c]] for c in todo], ignore_index=True)  # noqa: E731 (their rows)
    picks = share.each(an, keys, lambda todo: _picks_of(an, some(todo).assign(need=lambda f: np.arange(len(f))), staff, levels))
    in_order, by_id = list(runs), sorted(runs)  # changes in plan order, and by id (the order ranked picks come in)
    for role in ROLES:
        n = need.loc[need["role"] == role]
        if n.empty:
            continue
        mine = {c: picks[c].get(role, _NOBODY) for c in runs}
        at = lambda kind, order: [(runs[c].start + mine[c][kind][0], mine[c][kind][1]) for c in order]  # noqa: E731
        parts = [_chosen(need, n.loc[n["department_id"] != COMPANY], at(0, in_order) + at(1, by_id)),
                 _chosen(need, n.loc[n["department_id"] == COMPANY], at(2, by_id), staff)]
        dtypes = pd.concat([p.iloc[0:0] for p in parts], ignore_index=True)
        yield role, pd.concat([p for p in parts if len(p)] or parts, ignore_index=True)[list(dtypes.columns)], dtypes


def _picks_of(an: Analysis, need: pd.DataFrame, staff: pd.DataFrame, levels: pd.DataFrame) -> dict[str, dict]:
    """Who each change of ``need`` (demand rows of some changes, numbered by their ``need`` column) picks, by change
    id: per role, a tuple (everyone of a need, the most skilled of a need, company-wide), each a pair of arrays (the
    need's row within the change's demand rows, the person's code) in the order picked.

    A change's picks read nothing of the other changes: a person taken in one role of a change is not picked again
    in another role of the same change only, and the company-wide fallback takes enough first people for any change
    (``_pick_company``). So picking for some changes together gives each the picks it gets with any others."""
    runs = _runs(need)
    out: dict[str, dict] = {c: {} for c in runs}
    for role, chosen in _pick(an, need, staff, levels):
        split = [_by_change(f, runs) for f in chosen]
        for c in runs:
            if any(c in s for s in split):
                out[c][role] = tuple(s.get(c, _NONE) for s in split)
    return out


def _pick(an: Analysis, need: pd.DataFrame, staff: pd.DataFrame, levels: pd.DataFrame):
    """(role, [everyone of a need, the most skilled of a need, company-wide]) for each role with needs in ``need``
    (demand rows numbered by their ``need`` column), in ROLES order: the most skilled administer, then the key users,
    then the end users; a person taken in a role of a change is not picked again for that change."""
    taken = pd.DataFrame({"change_id": pd.Series(dtype="str"), "staff_id": pd.Series(dtype="int64")})
    members = lambda: share.once(an, ("members",), lambda: _members(staff))  # noqa: E731
    held = functools.cache(lambda: _held(levels))  # for _scores: once for the three roles, only if one ranks
    for role in ROLES:
        n = need.loc[need["role"] == role]
        if n.empty:
            continue
        r = share.once(an, ("role_required", role), lambda role=role: _role_required(an, role))
        # each person's summed level on the role's skills, per product: the same in every scenario of the client
        # (kept by per_person for small clients only; here computed once for the role's local and company-wide needs)
        score = _scores_small if share.small(an) else (lambda r, levels: _scores(r, levels, held()))
        scores = functools.cache(lambda role=role, r=r: share.per_person(an, ("role_scores", role), lambda: score(r, levels)))
        score_of = lambda role=role, scores=scores: share.once(an, ("role_score_of", role), lambda: _score_of(scores()))  # noqa: E731
        local, company = n.loc[n["department_id"] != COMPANY], n.loc[n["department_id"] == COMPANY]
        full, part = _pick_local(local, members(), score_of, taken) if share.small(an) else _pick_local_frames(local, staff, scores, taken)
        chosen = [full, part, _pick_company(company, staff, scores, taken)]
        taken = pd.concat([taken, *(f[["change_id", "staff_id"]] for f in chosen)], ignore_index=True)
        yield role, chosen


def _by_change(chosen: pd.DataFrame, runs: dict[str, slice]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The picks ``chosen`` by change: (need row within the change's rows, person code), in their order."""
    if chosen.empty:
        return {}
    ids = chosen["change_id"].to_numpy(dtype=object)
    need = chosen["need"].to_numpy(dtype="int64")
    who = chosen["staff_id"].to_numpy(dtype="int64")
    code, names = pd.factorize(ids)
    order = np.argsort(code, kind="stable")
    bounds = np.searchsorted(code[order], np.arange(len(names) + 1))
    out = {}
    for k, c in enumerate(names):
        rows = order[bounds[k]:bounds[k + 1]]
        out[c] = ((need[rows] - runs[c].start).astype("int32"), who[rows].astype("int32"))
    return out


def _chosen(need: pd.DataFrame, n: pd.DataFrame, parts: list[tuple[np.ndarray, np.ndarray]],
            staff: pd.DataFrame | None = None) -> pd.DataFrame:
    """The frame the pickers give for needs ``n`` (rows of ``need``): ``parts`` (need rows, person codes) in order;
    the department is the need's, or with ``staff`` (company-wide needs) the person's. Columns: change_id,
    product_id, staff_id, department_id, need (company-wide: department_id last); object columns for no need, as
    the pickers give."""
    if n.empty:
        return pd.DataFrame(columns=["change_id", "product_id", "staff_id", "department_id", "need"])
    rows = np.concatenate([p for p, _ in parts] or [np.empty(0, dtype="int64")]).astype("int64")
    who = pd.Series(np.concatenate([w for _, w in parts] or [np.empty(0, dtype="int64")]).astype("int64"))
    col = lambda name: need[name].take(rows).reset_index(drop=True)  # noqa: E731
    if staff is None:
        return pd.DataFrame({"change_id": col("change_id"), "product_id": col("product_id"), "staff_id": who,
                             "department_id": col("department_id"), "need": col("need")})
    return pd.DataFrame({"change_id": col("change_id"), "product_id": col("product_id"), "staff_id": who, "need": col("need"),
                         "department_id": staff["department_id"].take(who.to_numpy()).reset_index(drop=True)})


def _coded_people(client: Client) -> tuple[pd.DataFrame, pd.Index, pd.DataFrame]:
    """(staff, ids, levels) as :func:`gaps` matches them: people as integer codes in staff-id order (joins on
    integers, not on 50,000 strings), ``ids`` the staff ids of the codes, ``levels`` skills.csv on codes."""
    staff = client.staff[["staff_id", "department_id"]].sort_values("staff_id", ignore_index=True)
    ids = pd.Index(staff["staff_id"])
    staff = staff.assign(staff_id=np.arange(len(staff), dtype="int64"))
    levels = client.skills[["staff_id", "skill_id", "level"]]
    levels = levels.assign(staff_id=ids.get_indexer(levels["staff_id"]))
    levels = levels.loc[levels["staff_id"] >= 0]  # levels of unknown people cannot occur (checked at load)
    return staff, ids, levels


def _role_required(an: Analysis, role: str) -> pd.DataFrame:
    """The catalog's required skills of a usage role: product_id, skill_id, required."""
    req = an.client.catalog.required_skills()
    return req.loc[req["role"] == role, ["product_id", "skill_id", "level"]].rename(columns={"level": "required"})


def _inferred(an: Analysis, need: pd.DataFrame, picked: pd.DataFrame, staff: pd.DataFrame, recorded: pd.DataFrame) -> pd.DataFrame:
    """Levels inferred for the people picked for the changes, per (person, skill), before recorded levels win.

    ``need``: demand numbered by its ``need`` column (one (change, department, role) each); ``picked``:
    need, staff_id (who was picked for which need); ``staff`` and ``recorded`` (skills.csv) with people as
    codes, as in :func:`gaps`.

    1. A usage row (:func:`usage_evidence`) tells about a person when it surely counts them: it covers
       their whole department (``users`` ≥ its headcount and its people in staff.csv), or it is on a system the
       change touches (``Analysis.touched``) and covers everyone picked for its (change, department, role),
       who were picked as its users. A row covering fewer says nothing of anyone: nobody can tell whom it
       counts.
    2. A person's usage level on a skill is the highest any such row gives; a recorded level replaces it
       (recorded wins, even when lower).
    3. Those levels and the recorded ones carry over along the catalog's transfers
       (:func:`transfer_closure`: deltas add up along a path, the best path wins, levels stay within 0-5).
    Columns: staff_id (code), skill_id, level; only levels above 0 (a floor of 0 says nothing).
    """
    client = an.client
    evidence = share.once(an, ("usage_evidence",), lambda: usage_evidence(client))
    f = share.per_person(an, ("inferred_facts",), lambda: _inferred_facts(an, evidence, staff, recorded))
    skills_, width = f["skills"], f["width"]
    person = picked["staff_id"].to_numpy(dtype="int64")
    is_picked = np.zeros(len(staff), dtype=bool)
    is_picked[person] = True
    who = np.flatnonzero(is_picked)
    # 1. rows on a system the change touches covering everyone picked for their need
    picked_n = np.bincount(picked["need"].to_numpy(dtype="int64"), minlength=len(need))
    on_need, on_skill, on_level = (_on_touched_small if share.small(an) else _on_touched)(an, need, evidence, picked_n)
    i, j = _join(picked["need"].to_numpy(dtype="int64"), on_need)
    keys = [person[i] * width + skills_.get_indexer(on_skill)[j]]
    lvls = [on_level[j]]
    #    and rows covering their whole department (each person once, in their own department)
    i, j = _join(f["department"][who], f["whole"])
    keys.append(who[i] * width + f["evidence_skill"][j])
    lvls.append(f["evidence_level"][j])
    # 2. recorded wins over usage on the same skill
    rec_skill, rec_person, rec_level, known = f["recorded_skill"], f["recorded_person"], f["recorded_level"], f["known"]
    keys, lvls = np.concatenate(keys), np.concatenate(lvls)
    keep = f["recorded"].get_indexer(keys) < 0
    keys, lvls = keys[keep], lvls[keep]
    # 3. usage and recorded levels carry over along transfers
    c_from, c_to, c_delta = f["transfers"]
    src = known & f["is_from"][rec_skill] & is_picked[rec_person]
    base_keys = np.concatenate([keys, rec_person[src] * width + rec_skill[src]])
    base_lvls = np.concatenate([lvls, rec_level[src]])
    i, j = _join(base_keys % width, c_from)
    keys = np.concatenate([keys, base_keys[i] // width * width + c_to[j]])
    lvls = np.concatenate([lvls, np.clip(base_lvls[i] + c_delta[j], 0, 5)])
    # the highest level per (person, skill), above 0
    order = np.lexsort((lvls, keys))
    last = np.r_[keys[order][1:] != keys[order][:-1], True] if len(keys) else np.array([], dtype=bool)
    keys, lvls = keys[order][last], lvls[order][last]
    keys, lvls = keys[lvls > 0], lvls[lvls > 0]
    return pd.DataFrame({"staff_id": keys // width, "skill_id": skills_.take(keys % width), "level": lvls})


def _inferred_facts(an: Analysis, evidence: pd.DataFrame, staff: pd.DataFrame, recorded: pd.DataFrame) -> dict:
    """What :func:`_inferred` reads of the client alone, coded (the same for every scenario: kept per client for
    small clients, share.per_person, where computing them took ~1.5 ms a scenario on the demo-size client): the
    catalog's skills and a (person, skill) pair's width, each person's department code, the usage rows covering a
    whole department (their department code, else -1) with their skill codes and levels, the recorded levels (skill
    codes, people, levels, whether the catalog knows the skill, and the known pairs as one integer each) and the
    transfers (from, to, delta) between skills of the catalog, with the skills some transfer starts from."""
    client, catalog = an.client, an.client.catalog
    skills_ = pd.Index(catalog.skills["skill_id"].unique())
    width = len(skills_) + 1  # a (person, skill) pair is the integer person * width + skill code
    depts = pd.Index(staff["department_id"].unique())
    head = client.departments.drop_duplicates("department_id").set_index("department_id")["headcount"]
    staff_n = np.maximum(np.bincount(depts.get_indexer(staff["department_id"]), minlength=len(depts)),
                         head.reindex(depts).fillna(0).to_numpy(dtype="int64"))  # everyone, listed or counted
    ev_dept = depts.get_indexer(evidence["department_id"])
    whole = (ev_dept >= 0) & (evidence["users"].to_numpy() >= staff_n[np.maximum(ev_dept, 0)])
    rec_skill = skills_.get_indexer(recorded["skill_id"])
    rec_person = recorded["staff_id"].to_numpy(dtype="int64")
    known = rec_skill >= 0  # a recorded skill unknown to the catalog is required by no product
    closure = share.once(an, ("transfer_closure",), lambda: transfer_closure(catalog.transfers))
    c_from, c_to = skills_.get_indexer(closure["from_skill_id"]), skills_.get_indexer(closure["to_skill_id"])
    c_delta = closure["delta"].to_numpy(dtype="int64")
    c_from, c_to, c_delta = (x[(c_from >= 0) & (c_to >= 0)] for x in (c_from, c_to, c_delta))  # skills are checked at load
    is_from = np.zeros(width, dtype=bool)
    is_from[c_from] = True
    return {"skills": skills_, "width": width, "department": depts.get_indexer(staff["department_id"].to_numpy()),
            "whole": np.where(whole, ev_dept, -1), "evidence_skill": skills_.get_indexer(evidence["skill_id"]),
            "evidence_level": evidence["level"].to_numpy(dtype="int64"), "recorded_skill": rec_skill,
            "recorded_person": rec_person, "recorded_level": recorded["level"].to_numpy(dtype="int64"), "known": known,
            "recorded": pd.Index(rec_person[known] * width + rec_skill[known]), "transfers": (c_from, c_to, c_delta),
            "is_from": is_from}


def _on_touched(an: Analysis, need: pd.DataFrame, evidence: pd.DataFrame, picked_n: np.ndarray) -> tuple[np.ndarray, ...]:
    """The usage evidence on a system a change touches that covers everyone picked for its need (same change,
    department and role; ``picked_n``: people picked per need): the need's number, the skill id and the level of
    each, as arrays (in the order of their merges; :func:`_inferred` keeps the highest level per person and skill,
    whatever the order)."""
    touched = pd.DataFrame([(cid, a) for cid, t in an.touched.items() for a in t["asset_id"].tolist()],
                           columns=["change_id", "asset_id"], dtype="str")
    on = evidence.merge(touched, on="asset_id").merge(need[["change_id", "department_id", "role", "need"]],
                                                      on=["change_id", "department_id", "role"])
    on = on.loc[on["users"].to_numpy() >= picked_n[on["need"].to_numpy(dtype="int64")]]
    return on["need"].to_numpy(dtype="int64"), on["skill_id"].to_numpy(dtype=object), on["level"].to_numpy(dtype="int64")


def _on_touched_small(an: Analysis, need: pd.DataFrame, evidence: pd.DataFrame, picked_n: np.ndarray) -> tuple[np.ndarray, ...]:
    """:func:`_on_touched` in plain Python, for small clients (two merges of a few dozen rows cost ~2 ms): the same
    rows, in another order. Usage ids are never NA (checked at load), where a merge would match NA with NA."""
    by_asset = share.once(an, ("evidence_by_asset",), lambda: _by_asset(
        zip(*(evidence[c].tolist() for c in ("department_id", "asset_id", "role", "users", "skill_id", "level")))))
    rows = _on_touched_rows(an, zip(need["change_id"].tolist(), need["department_id"].tolist(), need["role"].tolist(),
                                    need["need"].tolist()), by_asset, picked_n)
    return (np.array([k for k, _, _ in rows], dtype="int64"), np.array([s for _, s, _ in rows], dtype=object),
            np.array([lv for _, _, lv in rows], dtype="int64"))


def _by_asset(evidence) -> dict[str, list[tuple]]:
    """Usage evidence rows (department_id, asset_id, role, users, skill_id, level) by asset: (department_id, role,
    users, skill_id, level) in their order."""
    out: dict = {}
    for dep, asset, role, users, skill, level in evidence:
        out.setdefault(asset, []).append((dep, role, users, skill, level))
    return out


def _on_touched_rows(an: Analysis, needs, by_asset: dict, picked_n) -> list[tuple]:
    """:func:`_on_touched`'s rows (need, skill_id, level) in plain Python: ``needs`` (change_id, department_id, role,
    need) numbered, ``by_asset`` the usage evidence by asset (:func:`_by_asset`), ``picked_n`` people picked per
    need."""
    of: dict = {}
    for cid, dep, role, k in needs:
        of.setdefault((cid, dep, role), []).append(k)
    return [(k, skill, level) for cid, t in an.touched.items() for a in t["asset_id"].tolist()
            for dep, role, users, skill, level in by_asset.get(a, ()) for k in of.get((cid, dep, role), ())
            if users >= picked_n[k]]


def _inferred_small(an: Analysis, need: list[tuple], picks: list[tuple[int, int]], people: dict) -> dict | None:
    """:func:`_inferred` in plain Python, for :func:`_gaps_small`: the inferred level by (person code, skill) of the
    people picked (``picks``: (need, code) for the needs ``need`` of :func:`_rows_small`), as the frame path infers
    them (a pair absent has none; a recorded pair's is never read, the recorded level wins). None (the frame path)
    where :func:`_evidence_small` hands back."""
    ev = share.per_person(an, ("evidence_small",), lambda: _evidence_small(an, people))
    if ev is None:
        return None
    picked_n = [0] * len(need)
    for k, _ in picks:
        picked_n[k] += 1
    recorded, home, carry = people["recorded"], people["home"], ev["carry"]
    # 1. rows on a system the change touches covering everyone picked for their need, and rows covering the picked
    # people's whole department; 2. recorded wins over usage on the same skill (the highest usage level of each pair:
    # a transfer's clipped level grows with the level it starts from)
    on: dict[int, list[tuple[str, int]]] = {}
    for k, skill, level in _on_touched_rows(an, ((x[0], x[2], x[5], x[4]) for x in need), ev["by_asset"], picked_n):
        on.setdefault(k, []).append((skill, level))
    usage: dict[tuple[int, str], int] = {}
    found = [(who, skill, level) for k, who in picks for skill, level in on.get(k, ())]
    who_all = sorted({who for _, who in picks})
    found += [(who, skill, level) for who in who_all for skill, level in ev["whole"].get(home[who], ())]
    for who, skill, level in found:
        if (who, skill) not in recorded and level > usage.get((who, skill), -1):
            usage[(who, skill)] = level
    # 3. usage and recorded levels carry over along transfers
    best = dict(usage)
    sources = [(who, skill, level) for (who, skill), level in usage.items()]
    sources += [(who, skill, level) for who in who_all for skill, level in ev["recorded_from"].get(who, ())]
    for who, skill, level in sources:
        for to, delta in carry.get(skill, ()):
            reached = min(max(level + delta, 0), 5)
            if reached > best.get((who, to), -1):
                best[(who, to)] = reached
    return best


def _evidence_small(an: Analysis, people: dict) -> dict | None:
    """What :func:`_inferred_small` reads of the client alone (:func:`_inferred_facts` in plain Python): the usage
    evidence by asset (:func:`_by_asset`), the evidence (skill_id, level) of the rows covering a whole department by
    department, the catalog's transfers between its skills by skill they start from (to skill, delta), and each
    person's recorded levels (skill, level) on a skill some transfer starts from. None (the frame path) for evidence
    on a skill the catalog does not list, or an id that is not a string."""
    client, catalog = an.client, an.client.catalog
    rows = _usage_evidence_rows(client)
    known = set(catalog.skills["skill_id"].tolist())
    if rows is None or not all(isinstance(x, str) for x in known) or any(r[4] not in known for r in rows):
        return None
    count: dict[str, int] = {}  # everyone of a department, listed or counted
    for dep in people["home"]:
        count[dep] = count.get(dep, 0) + 1
    head = share.once(an, ("demand_facts",), lambda: _demand_facts(client))[0]
    whole: dict[str, list[tuple[str, int]]] = {}
    for dep, _, _, users, skill, level in rows:
        if dep in count and users >= max(count[dep], head.get(dep, 0)):
            whole.setdefault(dep, []).append((skill, level))
    carry: dict[str, list[tuple[str, int]]] = {}
    for a, b, delta in _closure_rows(catalog.transfers):
        if a in known and b in known:
            carry.setdefault(a, []).append((b, delta))
    recorded_from: dict[int, list[tuple[str, int]]] = {}
    for (who, skill), level in people["recorded"].items():
        if skill in carry:
            recorded_from.setdefault(who, []).append((skill, level))
    return {"by_asset": _by_asset(rows), "whole": whole, "carry": carry, "recorded_from": recorded_from}


def usage_evidence(client: Client) -> pd.DataFrame:
    """What each usage.csv row shows of the skills of the people it counts.

    A row of end users or key users (administrators never: see docs/methodology.md) gives, on each skill
    the catalog requires of that role on the system's current product (the asset's ``product_id`` and, for
    a device, its ``os_product_id``; a key user is also an end user of it), the level
    ``USAGE_LEVEL[intensity]`` (+ ``KEY_USER_BONUS`` for key users), capped at the level the product requires
    of the role on that skill. Skills of the ``it_admin`` category are never inferred.
    Columns: department_id, asset_id, role, users (people the row counts), skill_id, level (1-5).
    """
    cols = ["department_id", "asset_id", "role", "users", "skill_id", "level"]
    u = client.usage.loc[client.usage["role"].isin(["end_user", "key_user"]),
                         ["department_id", "asset_id", "role", "users", "intensity"]]
    a = client.assets
    runs = np.concatenate([a["product_id"].to_numpy(dtype=object), a["os_product_id"].to_numpy(dtype=object)])
    products = pd.DataFrame({"asset_id": np.tile(a["asset_id"].to_numpy(dtype=object), 2), "current_product": runs})
    products = products.loc[pd.notna(runs)]
    shown = pd.DataFrame([(*k, v) for k, v in _caps(client.catalog).items()], columns=["current_product", "role", "skill_id", "cap"])
    e = u.merge(products, on="asset_id").merge(shown, on=["current_product", "role"])
    level = e["intensity"].map(USAGE_LEVEL).to_numpy(dtype="int64") + np.where(e["role"] == "key_user", KEY_USER_BONUS, 0)
    level = np.clip(np.minimum(level, e["cap"].to_numpy(dtype="int64")), 0, 5)
    return e.assign(level=level, users=e["users"].astype("int64")).loc[level > 0, cols].reset_index(drop=True)


def _caps(catalog: Catalog) -> dict[tuple[str, str, str], int]:
    """What each usage role shows on each product: (product, role, skill) -> the level it is capped at (the level the
    product requires of the role, a key user's also the end users'), for the skills of no ``it_admin`` category."""
    admin = {s for s, kind in zip(catalog.skills["skill_id"].tolist(), catalog.skills["category"].tolist()) if kind == "it_admin"}
    cap: dict[tuple[str, str, str], int] = {}
    for product in catalog.products.values():
        for r in product.skills:
            if r.role == "administrator" or r.skill_id in admin:
                continue
            for role in ("end_user", "key_user") if r.role == "end_user" else ("key_user",):
                cap[(product.id, role, r.skill_id)] = max(cap.get((product.id, role, r.skill_id), 0), r.level)
    return cap


def _usage_evidence_rows(client: Client) -> list[tuple] | None:
    """:func:`usage_evidence`'s rows as tuples, in its order (its merges' on small tables cost ~5 ms a client): each
    usage row of end or key users with each product its asset runs (product, then OS) and each skill that role shows
    on it. None (the frame path) for users that are not int64 or an intensity USAGE_LEVEL does not rate (the frame
    path fails on those)."""
    u, a = client.usage, client.assets
    if u["users"].dtype != "int64":
        return None
    runs: dict[str, list[str]] = {}  # each asset's products, as the products frame lists them: products, then OSes
    for col in ("product_id", "os_product_id"):
        for asset, product in zip(a["asset_id"].tolist(), a[col].tolist()):
            if pd.notna(product):
                runs.setdefault(asset, []).append(product)
    shown: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for (product, role, skill), cap in _caps(client.catalog).items():
        shown.setdefault((product, role), []).append((skill, cap))
    rows = []
    for dep, asset, role, users, intensity in zip(*(u[c].tolist() for c in ("department_id", "asset_id", "role", "users", "intensity"))):
        if role not in ("end_user", "key_user"):
            continue
        if intensity not in USAGE_LEVEL:
            return None
        shows = USAGE_LEVEL[intensity] + (KEY_USER_BONUS if role == "key_user" else 0)
        for product in runs.get(asset, ()):
            for skill, cap in shown.get((product, role), ()):
                level = min(max(min(shows, cap), 0), 5)
                if level > 0:
                    rows.append((dep, asset, role, users, skill, level))
    return rows


def _join(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions (i, j) of every pair with ``left[i] == right[j]`` (an inner join on one integer key);
    negative keys match nothing."""
    right = np.where(right < 0, -2, right)
    left = np.where(left < 0, -1, left)
    order = np.argsort(right, kind="stable")
    r = right[order]
    lo, hi = np.searchsorted(r, left, "left"), np.searchsorted(r, left, "right")
    n = hi - lo
    i = np.repeat(np.arange(len(left)), n)
    j = order[np.repeat(lo, n) + np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)]
    return i, j


def transfer_closure(transfers: pd.DataFrame) -> pd.DataFrame:
    """Every (from skill, to skill) joined by a path of transfers, with the best total delta (the highest:
    deltas are ≤ 0 and add up along the path). Columns: from_skill_id, to_skill_id, delta. The catalog
    has no loop (checked at load); relaxing at most once per skill still ends on any input.
    """
    return share.frame(_closure_rows(transfers), {"from_skill_id": "str", "to_skill_id": "str", "delta": "int64"})


def _closure_rows(transfers: pd.DataFrame) -> list[tuple[str, str, int]]:
    """:func:`transfer_closure`'s rows (from_skill_id, to_skill_id, delta), in its order."""
    best: dict[tuple[str, str], int] = {}
    for a, b, d in zip(transfers["from_skill_id"].tolist(), transfers["to_skill_id"].tolist(), transfers["delta"].tolist()):
        best[(a, b)] = max(best.get((a, b), -99), int(d))
    edges = dict(best)
    for _ in range(len({x for pair in edges for x in pair})):
        grown = False
        for (a, b), d in list(best.items()):
            for (c, e), d2 in edges.items():
                if c == b and a != e and d + d2 > best.get((a, e), -99):
                    best[(a, e)] = d + d2
                    grown = True
        if not grown:
            break
    return [(a, b, d) for (a, b), d in sorted(best.items()) if a != b]


def _level_lookup(levels: pd.DataFrame):
    """A function (person codes, skill ids) -> (levels, found): the level of each pair (0 where none is
    given) and whether one is given, by one integer hash lookup instead of a join on (person, skill)."""
    skills = pd.Index(levels["skill_id"].unique())
    width = len(skills) + 1
    index = pd.Index(levels["staff_id"].to_numpy(dtype="int64") * width + skills.get_indexer(levels["skill_id"]))
    values = levels["level"].to_numpy(dtype="int64")

    def current(staff_codes, skill_ids) -> tuple[np.ndarray, np.ndarray]:
        skill = skills.get_indexer(skill_ids)
        pos = np.where(skill >= 0, index.get_indexer(staff_codes * width + skill), -1)
        found = pos >= 0
        out = np.zeros(len(pos), dtype="int64")
        out[found] = values[pos[found]]
        return out, found
    return current


def _scores(r: pd.DataFrame, levels: pd.DataFrame, held: tuple | None = None) -> pd.DataFrame:
    """Sum of current levels on a role's skills, per (product, person): only people holding one of them, sorted by
    product and person. ``held``: :func:`_held` of ``levels``, to count on integer codes."""
    if held is None or r[["product_id", "skill_id"]].isna().any(axis=None) or levels["level"].dtype != "int64":
        relevant = levels.loc[levels["skill_id"].isin(r["skill_id"].unique())]
        return r.merge(relevant, on="skill_id").groupby(["product_id", "staff_id"], as_index=False)["level"].sum()
    # the same rows as the merge and groupby above, on codes: they hashed ~300,000 skills.csv rows and up to ~100,000
    # (product, person) pairs per role at 50,000 staff
    skills_, order, bounds = held
    k = skills_.get_indexer(r["skill_id"].to_numpy(dtype=object))
    start = np.where(k >= 0, bounds[np.maximum(k, 0)], 0)
    count = np.where(k >= 0, bounds[np.maximum(k, 0) + 1] - start, 0)
    i = np.repeat(np.arange(len(r)), count)  # each row of r with every holder of its skill
    j = order[np.repeat(start - (np.cumsum(count) - count), count) + np.arange(len(i))]
    product, products = pd.factorize(r["product_id"].to_numpy(dtype=object), sort=True)
    person = levels["staff_id"].to_numpy(dtype="int64")
    width = int(person.max(initial=0)) + 1
    key = product[i].astype("int64") * width + person[j]
    by = np.argsort(key, kind="stable")
    key = key[by]
    heads = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.empty(0, dtype="int64")
    total = np.add.reduceat(levels["level"].to_numpy(dtype="int64")[j][by], heads) if len(key) else np.empty(0, dtype="int64")
    first = np.unique(product, return_index=True)[1]  # a row of r of each product: its product_id, of r's dtype
    return pd.DataFrame({"product_id": r["product_id"].take(first[key[heads] // width]).reset_index(drop=True),
                         "staff_id": key[heads] % width, "level": total.astype("int64")})


def _held(levels: pd.DataFrame) -> tuple[pd.Index, np.ndarray, np.ndarray]:
    """``levels`` (skills.csv on person codes) by skill, for :func:`_scores`: the skills, the rows in skill order
    (each skill's in their order) and each skill's bounds in them."""
    code, skills_ = pd.factorize(levels["skill_id"].to_numpy(dtype=object))
    order = np.argsort(code, kind="stable")
    return pd.Index(skills_), order, np.searchsorted(code[order], np.arange(len(skills_) + 1))


def _scores_small(r: pd.DataFrame, levels: pd.DataFrame) -> pd.DataFrame:
    """:func:`_scores` in plain Python (the same rows, sorted by product and person), for small clients."""
    held: dict[str, list[tuple[int, int]]] = {}
    for person, skill, level in zip(levels["staff_id"].tolist(), levels["skill_id"].tolist(), levels["level"].tolist()):
        held.setdefault(skill, []).append((person, level))
    total: dict[tuple[str, int], int] = {}
    for product, skill in zip(r["product_id"].tolist(), r["skill_id"].tolist()):
        for person, level in held.get(skill, ()):
            total[(product, person)] = total.get((product, person), 0) + level
    keys = sorted(total)
    return pd.DataFrame({"product_id": pd.Series([k[0] for k in keys], dtype=r["product_id"].dtype),
                         "staff_id": np.array([k[1] for k in keys], dtype="int64"),
                         "level": np.array([total[k] for k in keys], dtype="int64")})


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
    groups = share.grouped(cand, group)
    if groups is None or cand.empty:  # an NA key: pandas' own sort and grouping
        cand = cand.sort_values(group + ["level", "staff_id"], ascending=[True] * len(group) + [False, True])
        return cand.loc[cand.groupby(group).cumcount() < cand["users"]]
    # ~300,000 candidates at 50,000 staff: sorted and counted on the group's integer, not on its strings
    return cand.iloc[_top(groups[0], cand["level"].to_numpy(dtype="float64"), cand["staff_id"].to_numpy(), cand["users"].to_numpy())]


def _top(code: np.ndarray, level: np.ndarray, staff_id: np.ndarray, users: np.ndarray) -> np.ndarray:
    """The positions :func:`_ranked` keeps, in its order: rows sorted by group ``code``, the most skilled first (ties
    by staff id), each group's first ``users``."""
    order = np.lexsort((staff_id, -level, code))
    code = code[order]
    starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]])
    rank = np.arange(len(code)) - np.repeat(starts, np.diff(np.r_[starts, len(code)]))  # position in the group
    return order[rank < users[order]]


def _members(staff: pd.DataFrame) -> dict[str, list[int]]:
    """Each department's people (codes, in order), from :func:`gaps`' coded staff."""
    members: dict[str, list[int]] = {}
    for code, dep in zip(staff["staff_id"].tolist(), staff["department_id"].tolist()):
        members.setdefault(dep, []).append(code)
    return members


def _score_of(scores: pd.DataFrame) -> dict[tuple[str, int], int]:
    """:func:`_scores` as a mapping (product, person code) -> summed level."""
    return dict(zip(zip(scores["product_id"].tolist(), scores["staff_id"].tolist()), scores["level"].tolist()))


def _pick_local(n: pd.DataFrame, members: dict[str, list[int]], score_of, taken: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """People of each department for each change (:func:`_pick_local_rows`), as two frames of columns change_id,
    product_id, staff_id, department_id, need. Plain Python, for clients of at most shared.SMALL_STAFF people
    (:func:`_pick_local_frames` otherwise)."""
    cols = ["change_id", "product_id", "staff_id", "department_id", "need"]
    if n.empty:
        return pd.DataFrame(columns=cols), pd.DataFrame(columns=cols)
    full, ranked = _pick_local_rows(list(zip(n["change_id"].tolist(), n["product_id"].tolist(), n["department_id"].tolist(),
                                             n["users"].tolist(), n["need"].tolist())),
                                    members, score_of, set(zip(taken["change_id"].tolist(), taken["staff_id"].tolist())))
    dtypes = {"change_id": n["change_id"].dtype, "product_id": n["product_id"].dtype, "staff_id": "int64",
              "department_id": n["department_id"].dtype, "need": n["need"].dtype}
    return share.frame(full, dtypes), share.frame(ranked, dtypes)


def _pick_local_rows(n: list[tuple], members: dict[str, list[int]], score_of, gone: set) -> tuple[list, list]:
    """People of each department for each need ``n`` (change_id, product_id, department_id, users, need): everyone
    left when the quota covers them all (no ranking needed), else the most skilled (``score_of()``: the role's
    :func:`_scores` by (product, person); ties by staff id). ``members``: each department's people
    (:func:`_members`); ``gone``: the (change, person) pairs taken in an earlier role. Two lists of rows (change_id,
    product_id, staff_id, department_id, need): everyone of the needs taken whole (in the order of ``n``, people in
    staff-id order), and the ranked ones by change and department, most skilled first."""
    full, part = [], []
    for cid, pid, dep, users, need in n:
        people = [s for s in members.get(dep, ()) if (cid, s) not in gone]
        if users >= len(people):
            full += [(cid, pid, s, dep, need) for s in people]
        else:
            score = score_of()
            best = sorted(people, key=lambda s: (-score.get((pid, s), 0), s))[:users]
            part.append(((cid, dep), [(cid, pid, s, dep, need) for s in best]))
    return full, [r for _, picked in sorted(part, key=lambda x: x[0]) for r in picked]


def _pick_local_frames(n: pd.DataFrame, staff: pd.DataFrame, scores, taken: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`_pick_local` on frames, for big clients (thousands of people per department): the same rows in
    the same order (``scores()``: the role's :func:`_scores`)."""
    cols = ["change_id", "product_id", "staff_id", "department_id", "need"]
    if n.empty:
        return pd.DataFrame(columns=cols), pd.DataFrame(columns=cols)
    groups = share.grouped(n, ["change_id", "department_id"])
    if groups is None:  # an NA key (groupby leaves it out): the candidates as frames
        return _pick_local_merged(n, staff, scores, taken)
    # ~330,000 candidates (a need, a person of its department) at 50,000 staff: as positions (the need's row, the
    # person's code), in the order n.merge(staff, on="department_id") gives them; every key (group, change, product)
    # is coded once per need row, a few thousand, and taken to the candidates, rather than hashed per candidate
    row, who = _candidates(n["department_id"], staff)
    changes_ = pd.Index(taken["change_id"].unique())
    if len(taken):  # people already taken in an earlier role of the same change (_without)
        width = int(max(who.max(initial=0), taken["staff_id"].max())) + 1
        fc = changes_.get_indexer(n["change_id"]).astype("int64")[row]
        tk = changes_.get_indexer(taken["change_id"]).astype("int64") * width + taken["staff_id"].to_numpy(dtype="int64")
        left = ~((fc >= 0) & np.isin(fc * width + who, tk))
        row, who = row[left], who[left]
    code = groups[0][row]
    users = n["users"].to_numpy()[row]
    covered = users >= np.bincount(code)[code]  # each (change, department)'s people counted on its integer
    part = np.flatnonzero(~covered)
    if len(part):  # the most skilled of each (change, department) first (_ranked), by the role's scores
        s = scores()
        products = pd.Index(s["product_id"].unique())
        width = int(max(who.max(initial=0), s["staff_id"].to_numpy().max(initial=0))) + 1
        index = pd.Index(products.get_indexer(s["product_id"]).astype("int64") * width + s["staff_id"].to_numpy(dtype="int64"))
        pos = index.get_indexer(products.get_indexer(n["product_id"]).astype("int64")[row[part]] * width + who[part])
        level = np.where(pos >= 0, s["level"].to_numpy(dtype="float64")[np.maximum(pos, 0)], 0.0)  # none held: 0
        part = part[_top(code[part], level, who[part], users[part])]
    frame = lambda at: pd.DataFrame({  # noqa: E731
        "change_id": n["change_id"].take(row[at]).reset_index(drop=True), "product_id": n["product_id"].take(row[at]).reset_index(drop=True),
        "staff_id": who[at], "department_id": n["department_id"].take(row[at]).reset_index(drop=True),
        "need": n["need"].take(row[at]).reset_index(drop=True)})
    return frame(np.flatnonzero(covered)), frame(part)


def _candidates(departments: pd.Series, staff: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Every (row of ``departments``, person of that department): the row positions and the people's codes, rows in
    order and each department's people in staff order (an inner merge on department_id); nobody for a department
    with no staff."""
    home, depts = pd.factorize(staff["department_id"].to_numpy(dtype=object))
    order = np.argsort(home, kind="stable")  # the people of each department, in staff order
    bounds = np.searchsorted(home[order], np.arange(len(depts) + 1))
    d = pd.Index(depts).get_indexer(departments.to_numpy(dtype=object))
    start = np.where(d >= 0, bounds[np.maximum(d, 0)], 0)
    count = np.where(d >= 0, bounds[np.maximum(d, 0) + 1] - start, 0)
    row = np.repeat(np.arange(len(d)), count)
    first = np.cumsum(count) - count  # each row's first candidate
    who = staff["staff_id"].to_numpy(dtype="int64")[order[np.repeat(start - first, count) + np.arange(len(row))]]
    return row, who


def _pick_local_merged(n: pd.DataFrame, staff: pd.DataFrame, scores, taken: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`_pick_local_frames` with pandas' own merge and grouping, for needs with an NA key."""
    cols = ["change_id", "product_id", "staff_id", "department_id", "need"]
    cand = _without(n[["change_id", "product_id", "department_id", "users", "need"]].merge(staff, on="department_id"), taken)
    covered = (cand["users"] >= cand.groupby(["change_id", "department_id"])["staff_id"].transform("size")).to_numpy()
    full, part = cand.loc[covered], cand.loc[~covered]
    if len(part):
        part = part.merge(scores(), on=["product_id", "staff_id"], how="left").fillna({"level": 0})
        part = _ranked(part, ["change_id", "department_id"])
    return full[cols].reset_index(drop=True), part[cols].reset_index(drop=True)


def _pick_company_rows(n: list[tuple], people: int, score_of, taken: set) -> list[tuple]:
    """:func:`_pick_company` in plain Python, for small clients, on needs ``n`` (change_id, product_id, department_id,
    users, need; one per change) and ``people`` person codes: rows (change_id, product_id, staff_id, need) by change
    id, the most skilled first (``score_of()``: the role's summed levels by (product, person)), ties by staff id,
    then the first staff ids (level 0); nobody taken in an earlier role of the change (``taken``)."""
    if not n:
        return []
    first = range(min(max(x[3] for x in n) + len({who for _, who in taken}), people))  # the frame path's fallback
    out = []
    for cid, pid, _, users, need in sorted(n, key=lambda x: x[0]):
        level = {who: 0 for who in first}
        for (product, who), total in score_of().items():
            if product == pid:
                level[who] = max(level.get(who, total), total)
        ranked = sorted((who for who in level if (cid, who) not in taken), key=lambda who: (-level[who], who))
        out += [(cid, pid, who, need) for who in ranked[:users]]
    return out


def _pick_company(n: pd.DataFrame, staff: pd.DataFrame, scores, taken: pd.DataFrame) -> pd.DataFrame:
    """Company-wide needs (one administrator): the most skilled person anywhere; if nobody holds the
    skills, the first staff ids (everyone is then equally far). Columns: change_id, product_id, staff_id,
    department_id, need."""
    if n.empty:
        return pd.DataFrame(columns=["change_id", "product_id", "staff_id", "department_id", "need"])
    skilled = n.merge(scores(), on="product_id")
    fallback = n.merge(staff.head(int(n["users"].max()) + len(taken["staff_id"].unique()))[["staff_id"]], how="cross").assign(level=0)
    cand = _without(pd.concat([skilled, fallback], ignore_index=True), taken)
    cand = cand.sort_values("level", ascending=False).drop_duplicates(["change_id", "staff_id"])
    return _ranked(cand, ["change_id"])[["change_id", "product_id", "staff_id", "need"]].merge(staff, on="staff_id")


def course_paths(catalog: Catalog, skill_ids=None) -> pd.DataFrame:
    """Cheapest chain of courses (in hours) from each level to each higher level, per skill.

    A course ``from_level → to_level`` can be taken by anyone at ``from_level`` or above (below its
    ``to_level``). Columns: skill_id, from_level, to_level, hours, cost, sessions (course ids, '+').
    Pairs with no chain are absent. ``skill_ids`` limits the work to those skills (default: all).
    """
    cols = ["skill_id", "from_level", "to_level", "hours", "cost", "sessions"]
    return pd.DataFrame([dict(zip(cols, r)) for r in _path_rows(catalog, skill_ids)], columns=cols)


def _path_rows(catalog: Catalog, skill_ids=None) -> list[tuple]:
    """:func:`course_paths`' rows as tuples (skill_id, from_level, to_level, hours, cost, sessions), in its order."""
    rows = []
    wanted = None if skill_ids is None else set(skill_ids)
    by_skill: dict = {}  # each skill's courses in catalog order, read in one pass (not a sub-frame per skill)
    for k in frame_rows(catalog.courses[["course_id", "from_level", "to_level", "hours", "cost", "skill_id"]], index=False):
        if wanted is None or k.skill_id in wanted:
            by_skill.setdefault(k.skill_id, []).append(k)
    for skill in sorted(x for x in by_skill if x == x):  # groupby("skill_id")'s order, without NA skills
        courses = by_skill[skill]
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
            rows += [(skill, start, lv, h, c, "+".join(p)) for lv, (h, c, p) in best.items() if lv > start]
    return rows


def training_need(an: Analysis) -> pd.DataFrame:
    """Training hours and cost to close every gap, per person and skill; ``hours`` NaN where no course exists.

    Reaching a level at least as high as required is enough (a chain may overshoot). Columns: those of
    :func:`gaps` (gap > 0 only, the same dtypes) plus hours, cost, sessions (the chain's course ids, '+'-separated, a
    categorical; NA where no chain exists).
    """
    g = an.gaps
    codes = share.codes_of(an, "gaps", g)
    fast = _training_need_small(an, g) if share.small(an) else None
    if fast is not None:
        return fast if codes is None else share.keep_codes(an, "training_need", fast, share.staff_codes(fast))
    gapped = g["gap"].to_numpy() > 0
    g = g.loc[gapped].reset_index(drop=True)
    best = _chains(an, frozenset(g["skill_id"].unique()))
    # one integer lookup per gap row on (skill, from level, required level), not a join on a string key
    skills_ = pd.Index(best["skill_id"].unique())
    key = lambda skill, lvl, req: skill * 36 + np.asarray(lvl, dtype="int64") * 6 + np.asarray(req, dtype="int64")  # noqa: E731
    index = pd.Index(key(skills_.get_indexer(best["skill_id"]), best["from_level"], best["required"]))
    code = skills_.get_indexer(g["skill_id"])
    pos = np.where(code >= 0, index.get_indexer(key(code, g["current"], g["required"])), -1)
    found = pos >= 0
    if not len(best):  # no course for any of these skills: every gap keeps NaN hours
        best = pd.DataFrame({"hours": [np.nan], "cost": [np.nan], "sessions": [None]})
    at = np.where(found, pos, 0)
    picked = best[["hours", "cost"]].iloc[at].reset_index(drop=True)
    # the chains coded (shared.category: a few hundred distinct chains), NA where none is found
    chain, chains = share.factorize(best["sessions"].to_numpy(dtype=object), sort=True)
    sessions = pd.Categorical.from_codes(np.where(found, chain[at], -1), pd.Index(chains, dtype=best["sessions"].dtype))
    # hours and cost stay numbers (NaN where no chain exists), even when no course matched at all
    out = g.assign(hours=picked["hours"].astype("float64").where(found), cost=picked["cost"].astype("float64").where(found),
                   sessions=sessions)
    return out if codes is None else share.keep_codes(an, "training_need", out, share.staff_codes(out))


CHAINS = {"skill_id": "str", "from_level": "int64", "required": "int64", "hours": "float64", "cost": "float64", "sessions": "str"}


def _chains(an: Analysis, wanted: frozenset) -> pd.DataFrame:
    """``cheapest_chains(course_paths(catalog, wanted))`` with its rows kept per skill (analysis/shared.py: a skill's
    chains read no other skill), so that a scenario whose gaps differ in a change's skills computes those skills'
    only (with :func:`_chains_by_skill`: training_need 4.4 -> 3.0 ms per scenario of the demo-size client). The rows are laid out by skill,
    not in the order of the whole computation: training_need only looks them up by (skill, level, required) and codes
    their chains sorted. The whole computation where no skill has a chain, or where its columns are not CHAINS'."""
    parts = _chain_parts(an, wanted)
    if parts is None:
        catalog = an.client.catalog
        return share.once(an, ("cheapest_chains", wanted), lambda: cheapest_chains(course_paths(catalog, set(wanted))))
    return share.frame([r for s in sorted(parts) for r in parts[s]], CHAINS)


def _chain_parts(an: Analysis, wanted: frozenset) -> dict | None:
    """The rows of :func:`_chains` by skill (kept per skill, :func:`_chains_by_skill`); None where the whole
    computation is needed (no skill has a chain, or the paths' columns are not CHAINS')."""
    catalog = an.client.catalog
    parts = share.each(an, {s: ("cheapest_chains_of", s) for s in wanted}, lambda todo: _chains_by_skill(catalog, todo))
    return None if not any(parts.values()) or any(p is None for p in parts.values()) else parts


def _training_need_small(an: Analysis, g: pd.DataFrame) -> pd.DataFrame | None:
    """:func:`training_need` in plain Python for small clients (tens of gap rows: the frame path's index lookups,
    filter, takes and assignments took ~3.5 ms a scenario on the demo-size client): each gap's chain looked up by
    (skill, current level, required level) in :func:`_chain_parts`' rows; the same rows, values and dtypes. None (the
    frame path) for no gap, an id that is not coded or is NA, a level outside 0-5, or chains :func:`_chain_parts`
    does not give."""
    cols = dict(g.items())  # each column read once (a read costs more than the work on it here)
    if not all(isinstance(cols[c].dtype, pd.CategoricalDtype) for c in IDS + ("staff_id",)):
        return None
    rows = np.flatnonzero(cols["gap"].to_numpy() > 0)
    skill = cols["skill_id"].array.codes[rows]
    current, required = (cols[c].to_numpy()[rows].astype("int64") for c in ("current", "required"))
    if not len(rows) or (skill < 0).any() or not (((current >= 0) & (current <= 5) & (required >= 0) & (required <= 5)).all()):
        return None
    names = cols["skill_id"].array.categories.tolist()
    parts = _chain_parts(an, frozenset(names[k] for k in skill.tolist()))
    if parts is None:
        return None
    chain_of = {r[:3]: r for part in parts.values() for r in part}  # (skill, from level, required) -> row
    chains = sorted({r[5] for part in parts.values() for r in part})
    code_of = {c: k for k, c in enumerate(chains)}
    nan = float("nan")
    found = [chain_of.get((names[k], lvl, req)) for k, lvl, req in zip(skill.tolist(), current.tolist(), required.tolist())]
    out = {c: x.array.take(rows) if isinstance(x.dtype, pd.CategoricalDtype) else x.to_numpy()[rows] for c, x in cols.items()}
    out.update(hours=np.array([nan if r is None else r[3] for r in found], dtype="float64"),
               cost=np.array([nan if r is None else r[4] for r in found], dtype="float64"),
               sessions=pd.Categorical.from_codes([-1 if r is None else code_of[r[5]] for r in found],
                                                  dtype=_categories(an, tuple(chains), CHAINS["sessions"])))
    return pd.DataFrame(out, copy=False)


def _chains_by_skill(catalog: Catalog, skill_ids: list) -> dict:
    """The rows of :func:`cheapest_chains` by skill (tuples of CHAINS' columns), for :func:`_chains`: in plain Python
    (its cross merge, sort and drop_duplicates cost ~3 ms whatever the number of skills), each (skill, from level,
    required) taking the first path of the fewest hours, then lowest level reached, as its stable sort does. None for
    each where the paths would not have CHAINS' columns (values of other types, or an hour that is NaN): then the whole
    computation is kept. The paths as tuples, not as :func:`course_paths`' frame (built then read: ~1.5 ms a client)."""
    paths = _path_rows(catalog, set(skill_ids))
    # (Python values of these types make a frame of CHAINS' dtypes: str, int64, int64, float64, float64, str)
    if not paths or not all(type(skill) is str and type(start) is int and type(reach) is int and type(hours) is float
                            and hours == hours and type(cost) is float and type(chain) is str
                            for skill, start, reach, hours, cost, chain in paths):
        return dict.fromkeys(skill_ids)
    best: dict = {}
    for skill, start, reach, hours, cost, chain in paths:
        for required in range(1, 6):
            if reach >= required:
                kept = best.get((skill, start, required))
                if kept is None or (hours, reach) < (kept[3], kept[6]):
                    best[(skill, start, required)] = (skill, start, required, hours, cost, chain, reach)
    out: dict = {s: [] for s in skill_ids}
    for r in best.values():
        out[r[0]].append(r[:6])
    return out


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
    if len(gaps_frame) <= share.SMALL_ROWS:
        fast = _gap_summary_small(gaps_frame, k)
        if fast is not None:
            return fast
    s = _gap_summary_coded(gaps_frame)
    if s is None:  # (pandas' grouping of the values: groups of a coded column keyed by its values, as the counts on codes)
        g = as_values(gaps_frame.loc[gaps_frame["gap"] > 0])
        per = g.groupby(["department_id", "staff_id", "skill_id"], as_index=False)["gap"].max()
        s = per.groupby(["department_id", "skill_id"], as_index=False).agg(people=("staff_id", "nunique"), mean_gap=("gap", "mean"))
    small = s["people"] < k
    return s.assign(people=s["people"].astype("Int64").mask(small), mean_gap=s["mean_gap"].mask(small))


def _gap_summary_small(gaps_frame: pd.DataFrame, k: int) -> pd.DataFrame | None:
    """:func:`gap_summary` in plain Python for a few hundred gap rows (the report asks for it several times): the
    same rows in the groupbys' order and the same dtypes. None (the frame path) for an NA key or gap."""
    worst: dict = {}  # (department, staff, skill) -> the largest gap of that person on that skill, any change
    for dep, staff, skill, gap in zip(*(gaps_frame[c].tolist() for c in ("department_id", "staff_id", "skill_id", "gap"))):
        if dep != dep or staff != staff or skill != skill or gap != gap:
            return None
        if gap > 0:
            worst[(dep, staff, skill)] = max(worst.get((dep, staff, skill), gap), gap)
    if not worst:  # no gap: the frame path's empty groupby (its dtypes)
        return None
    per: dict = {}  # (department, skill) -> (people, their gaps)
    for (dep, staff, skill), gap in sorted(worst.items()):
        people, gaps = per.setdefault((dep, skill), (set(), []))
        people.add(staff)
        gaps.append(gap)
    rows = []
    for (dep, skill), (people, gaps) in sorted(per.items()):
        shown = len(people) >= k
        rows.append((dep, skill, len(people) if shown else None, sum(gaps) / len(gaps) if shown else float("nan")))
    return share.frame(rows, {"department_id": "str", "skill_id": "str", "people": "Int64", "mean_gap": "float64"})


def source_summary(gaps_frame: pd.DataFrame, k: int, key=None) -> pd.DataFrame:
    """Where the current levels the plan starts from come from, per department.

    Over the people who will use a changed product (the rows of :func:`gaps`), each (person, required
    skill) counted once whatever the number of changes: people, levels recorded, inferred and none (counted
    0), and people with a gap. A department of fewer than ``k`` such people has every count NA (not
    shown); in the others, a number of people with a gap between 1 and k − 1 is NA too. Columns:
    department_id, people, recorded, inferred, none, with_gap.

    ``key`` (optional) maps a Series of department ids to the keys they are counted under (a big client's report
    counts its smaller departments together): the same as the summary of the frame with its department ids mapped,
    without a copy of its rows.
    """
    if key is None and len(gaps_frame) <= share.SMALL_ROWS:
        fast = _source_summary_small(gaps_frame, k)
        if fast is not None:
            return fast
    cols = ["people", *SOURCES, "with_gap"]
    # counted on integer codes: a 50,000-person client has ~330,000 gap rows, whose string keys hashed as tuples
    # (drop_duplicates, crosstab) took ~50 MiB at the peak
    dept, depts = share.factorize(gaps_frame["department_id"], sort=True)
    if key is not None:  # the keys of the distinct departments (a thousand), not of every row
        dept, depts = _recoded(dept, key(pd.Series(depts, dtype="str")))
    # codes kept as int32 (int8 for the source): four arrays as long as the frame, widened where they combine
    dept = dept.astype("int32")
    person = share.factorize(gaps_frame["staff_id"])[0].astype("int32")
    skill = share.factorize(gaps_frame["skill_id"])[0].astype("int32")
    source = pd.Categorical(gaps_frame["source"], categories=list(SOURCES)).codes
    n, width = len(depts), len(SOURCES)
    many, skills_n = int(person.max(initial=0)) + 1, int(skill.max(initial=0)) + 1
    # (department, person): the person alone when each is in one department (as in gaps: a company-wide need takes
    # the person's own), so that the pairs below are counted on a table as big as the people, not hashed
    if _one_home(dept, person, many) and skill.min(initial=0) >= 0:  # (an NA skill keeps the keys of the hashed path)
        pair, pairs = person, many
    else:
        pair, pairs = dept.astype("int64") * many + person, (n + 1) * many
    # a person's level on a skill and its source are the same in every change: count each pair once
    first = _first(pair.astype("int64") * skills_n + skill, pairs * skills_n) & (source >= 0)
    counts = np.bincount(dept[first].astype("int64") * width + source[first], minlength=n * width).reshape(n, width)
    del first
    people = np.bincount(dept[_first(pair, pairs)], minlength=n)
    gapped = gaps_frame["gap"].to_numpy() > 0
    with_gap = np.bincount(dept[gapped][_first(pair[gapped], pairs)], minlength=n)
    out = pd.DataFrame({"department_id": pd.Series(depts, dtype="str"), "people": people,
                        **{s: counts[:, i] for i, s in enumerate(SOURCES)}, "with_gap": with_gap})
    out = out.astype({c: "Int64" for c in cols})
    small = out["people"] < k
    out = out.assign(**{c: out[c].mask(small) for c in cols})
    return out.assign(with_gap=out["with_gap"].mask((out["with_gap"] > 0) & (out["with_gap"] < k))).reset_index(drop=True)


def _source_summary_small(gaps_frame: pd.DataFrame, k: int) -> pd.DataFrame | None:
    """:func:`source_summary` (without ``key``) in plain Python for a few hundred gap rows: the same rows, values and
    dtypes, where the counts on codes and their masks as Int64 took ~8 ms a report for a 120-person client. None (the
    frame path) for no row or an NA department, person or skill."""
    ids = [gaps_frame[c].tolist() for c in ("department_id", "staff_id", "skill_id")]
    if not ids[0] or any(x != x for col in ids for x in col):
        return None
    where = {s: i for i, s in enumerate(SOURCES)}
    seen: set = set()  # (department, person, skill): each pair counted once, with its first row's source
    levels: dict = {}  # department -> counts per source
    people: dict = {}  # department -> its people, and those with a gap
    for dep, person, skill, source, gap in zip(*ids, gaps_frame["source"].tolist(), gaps_frame["gap"].tolist()):
        mine, gapped = people.setdefault(dep, (set(), set()))
        mine.add(person)
        if gap > 0:
            gapped.add(person)
        if (dep, person, skill) not in seen:
            seen.add((dep, person, skill))
            counts = levels.setdefault(dep, [0] * len(SOURCES))
            if source in where:
                counts[where[source]] += 1
    rows = []
    for dep in sorted(people):
        mine, gapped = people[dep]
        counts = levels.get(dep, [0] * len(SOURCES))
        if len(mine) < k:  # too few people: every count NA
            rows.append((dep, *[None] * (len(SOURCES) + 2)))
        else:
            rows.append((dep, len(mine), *counts, len(gapped) if not 0 < len(gapped) < k else None))
    return share.frame(rows, {"department_id": "str", **dict.fromkeys(["people", *SOURCES, "with_gap"], "Int64")})


# --- the report's counts of a big gaps frame on integer codes (issue 17 item 7: the big report kernel's peak) ---------
# a 50,000-person client has ~330,000 gap rows: grouping them on their string columns (tuples hashed, filtered
# copies of the frame) took 20-40 MiB at the report's peak for each count; codes take a few


def _recoded(codes: np.ndarray, keys: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``codes`` (of sorted uniques) re-coded by ``keys`` (the key of each unique, in their order): each row's code
    among the sorted distinct keys, and those keys (as ``pd.factorize(keyed column, sort=True)`` gives them)."""
    new, uniques = pd.factorize(keys.to_numpy(dtype=object), sort=True)
    return np.where(codes >= 0, new.take(np.maximum(codes, 0)), -1), pd.Index(uniques)


def _codes(frame: pd.DataFrame, col: str, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """(codes, sorted uniques) of a column (of the rows ``rows`` only, a boolean mask, when given), as objects; None
    when a value is NA (groupby leaves those rows out: the caller takes its frame path)."""
    values = frame[col].to_numpy(dtype=object)
    codes, uniques = share.factorize(values if rows is None else values[rows], sort=True)
    return None if (codes < 0).any() else (codes.astype("int64", copy=False), uniques)


def _gap_summary_coded(gaps_frame: pd.DataFrame) -> pd.DataFrame | None:
    """:func:`gap_summary`'s groupbys (before suppression) on codes: department_id, skill_id, people, mean_gap in the
    groupbys' order and dtypes. None (the frame path) for no gap, an NA key or gaps that are not integers (a mean of
    integers is exact in any order of adding; of other floats it could differ from pandas' in the last bit)."""
    gap = gaps_frame["gap"]
    if not pd.api.types.is_integer_dtype(gap.dtype) or isinstance(gap.dtype, pd.api.extensions.ExtensionDtype):
        return None
    rows = gap.to_numpy() > 0
    if not rows.any():
        return None
    coded = [_codes(gaps_frame, c, rows) for c in ("department_id", "staff_id", "skill_id")]
    if any(c is None for c in coded):
        return None
    (dept, depts), (person, people), (skill, skills_) = coded
    width = len(skills_)
    # the largest gap of each (department, person, skill): rows sorted by that key then gap, the last of each key
    trio = (dept * len(people) + person) * width + skill
    gaps = gap.to_numpy()[rows]
    order = np.lexsort((gaps, trio))
    trio, gaps = trio[order], gaps[order]
    last = np.r_[trio[1:] != trio[:-1], True]
    trio, worst = trio[last], gaps[last]
    del order, gaps, last
    # per (department, skill): the people (one row each now) and the mean of their largest gaps
    pair = trio // (len(people) * width) * width + trio % width
    del trio
    if len(depts) * width <= max(4 * len(pair), 1 << 20):  # counted on a table of every (department, skill)
        n = np.bincount(pair, minlength=len(depts) * width)
        total = np.bincount(pair, weights=worst.astype("float64"), minlength=len(depts) * width)
        pairs = np.flatnonzero(n)
        n, total = n[pairs], total[pairs]
    else:
        pairs, group = np.unique(pair, return_inverse=True)
        n = np.bincount(group, minlength=len(pairs))
        total = np.bincount(group, weights=worst.astype("float64"), minlength=len(pairs))
    # the keys' dtype as groupby infers it from the values (object strings become str)
    return pd.DataFrame({"department_id": pd.Series(pd.Index(depts.take(pairs // width))),
                         "skill_id": pd.Series(pd.Index(skills_.take(pairs % width))),
                         "people": n.astype("int64"), "mean_gap": total / n})


def people_per_department(gaps_frame: pd.DataFrame, gap_only: bool = False) -> pd.Series:
    """Distinct people per department in ``gaps_frame`` (with a gap only, when ``gap_only``): the Series
    ``groupby("department_id")["staff_id"].nunique()`` gives, counted on codes (in plain Python for a few hundred
    rows without NA: ~0.1 ms, not ~0.6 ms)."""
    if len(gaps_frame) <= share.SMALL_ROWS:
        depts, people = gaps_frame["department_id"].tolist(), gaps_frame["staff_id"].tolist()
        if not any(x != x for x in depts + people):
            of: dict = {}
            for dep, person, gap in zip(depts, people, gaps_frame["gap"].tolist()):
                if gap > 0 or not gap_only:
                    of.setdefault(dep, set()).add(person)
            keys = sorted(of)
            return pd.Series(np.array([len(of[d]) for d in keys], dtype="int64"),
                             index=pd.Index(np.array(keys, dtype=object), name="department_id"), name="staff_id")
    rows = gaps_frame["gap"].to_numpy() > 0 if gap_only else None
    dept, person = _codes(gaps_frame, "department_id", rows), _codes(gaps_frame, "staff_id", rows)
    if dept is None or person is None:
        g = as_values(gaps_frame.loc[rows] if gap_only else gaps_frame)
        return g.groupby("department_id")["staff_id"].nunique()
    (d, depts), (p, people) = dept, person
    if _one_home(d, p, len(people)):  # each person in one department: their first rows
        n = np.bincount(d[_first(p, len(people))], minlength=len(depts)).astype("int64")
    else:
        pairs = np.unique(d * max(len(people), 1) + p)
        n = np.bincount(pairs // max(len(people), 1), minlength=len(depts)).astype("int64")
    return pd.Series(n, index=pd.Index(depts, name="department_id"), name="staff_id")


def distinct(gaps_frame: pd.DataFrame, col: str, gap_only: bool = False) -> int:
    """The number of distinct values of a column (NA left out, as ``nunique``), of the rows with a gap only when
    ``gap_only``, without a filtered copy of the frame: a coded column's distinct codes (its categories are distinct
    values), counted without turning its values into objects."""
    column = gaps_frame[col]
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.array.codes
        if gap_only:
            codes = codes[gaps_frame["gap"].to_numpy() > 0]
        return int(np.count_nonzero(np.bincount(codes[codes >= 0], minlength=1)))
    values = column.to_numpy(dtype=object)
    if gap_only:
        values = values[gaps_frame["gap"].to_numpy() > 0]
    return len(share.factorize(values)[1])


def level_sources(gaps_frame: pd.DataFrame) -> tuple[int, dict[str, int]]:
    """The levels the plan starts from: the number of distinct (person, skill) pairs of ``gaps_frame`` (a person's
    level and its source are the same in every change) and how many come from each source (:data:`SOURCES`), as
    ``drop_duplicates(["staff_id", "skill_id"])`` then ``value_counts()`` of the source count them (in plain Python
    for a few hundred rows without an NA person or skill)."""
    if len(gaps_frame) <= share.SMALL_ROWS:
        people, skills_ = gaps_frame["staff_id"].tolist(), gaps_frame["skill_id"].tolist()
        if not any(x != x for x in people + skills_):
            seen, n = set(), dict.fromkeys(SOURCES, 0)
            for pair, source in zip(zip(people, skills_), gaps_frame["source"].tolist()):
                if pair not in seen:
                    seen.add(pair)
                    if source in n:
                        n[source] += 1
            return len(seen), n
    person = share.factorize(gaps_frame["staff_id"].to_numpy(dtype=object))[0].astype("int64", copy=False)
    skill = share.factorize(gaps_frame["skill_id"].to_numpy(dtype=object))[0].astype("int64", copy=False)
    # an NA person or skill is a value of its own to drop_duplicates: code it past the others
    person[person < 0], skill[skill < 0] = person.max(initial=-1) + 1, skill.max(initial=-1) + 1
    width, size = int(skill.max(initial=0)) + 1, int(person.max(initial=0)) + 1
    person *= width
    person += skill  # (person, skill) as one integer
    del skill
    first = _first(person, size * width)
    del person
    source = gaps_frame["source"].to_numpy(dtype=object)[first]
    return int(first.sum()), {s: int((source == s).sum()) for s in SOURCES}


def _one_home(dept: np.ndarray, person: np.ndarray, many: int) -> bool:
    """Whether every person code (0 to ``many`` - 1) of the rows has one department code in all of them (no NA)."""
    if not len(person) or person.min() < 0 or dept.min() < 0:
        return False
    home = np.full(many, -1, dtype="int64")
    home[person] = dept
    return bool((home[person] == dept).all())


def _first(key: np.ndarray, size: int) -> np.ndarray:
    """Whether each row is the first one of its value of ``key`` (``~pd.Series(key).duplicated()``): on a table of
    the first row of each value when the values are integers in [0, ``size``) and ``size`` is small, else hashed."""
    rows = len(key)
    if not rows or size > max(4 * rows, 1 << 20) or key.min() < 0:
        return ~pd.Series(key).duplicated().to_numpy()
    kind = "int32" if rows < 2**31 - 1 else "int64"
    at = np.full(size, rows, dtype=kind)
    np.minimum.at(at, key, np.arange(rows, dtype=kind))
    first = np.zeros(rows, dtype=bool)
    first[at[at < rows]] = True
    return first
