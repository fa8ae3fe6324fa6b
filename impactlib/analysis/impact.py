"""How hard each change hits each department: degrees of impact per aspect, scores, monthly load.

Pure functions. Degrees come from the catalog's impact profile of the change (its product category
and action) scaled by how exposed the department is (share of people using the system, how often,
in which role): nothing is typed in by hand. Method: docs/methodology.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from impactlib.analysis import shared, skills
from impactlib.model.vocab import ASPECTS

if TYPE_CHECKING:  # for annotations only
    from impactlib.model.analysis import Analysis

INTENSITY_WEIGHT = {"daily": 1.0, "weekly": 0.7, "monthly": 0.4, "occasional": 0.2}
PREPARATION_MONTHS = 2  # a change loads a department from two months before go-live (training, tests)


def exposure(an: Analysis) -> pd.DataFrame:
    """Share of each department exposed to each change, 0-1.

    exposure = people who will use the product / headcount × intensity weight of their current use
    of the replaced system (daily 1, weekly 0.7, monthly 0.4, occasional 0.2; 1 when no usage is
    recorded, e.g. an operating system everyone uses). Columns: change_id, department_id, users,
    headcount, intensity, exposure, key_roles (people in key-user or administrator roles).
    """
    client = an.client
    need = an.demand
    need = need.loc[need["department_id"] != skills.COMPANY]
    if shared.small(an) and len(need):
        fast = _exposure_small(an, need)
        if fast is not None:
            return fast
    people = need.groupby(["change_id", "department_id"], as_index=False).agg(users=("users", "sum"))
    key = need.loc[need["role"] != "end_user"].groupby(["change_id", "department_id"])["users"].sum().rename("key_roles")
    rows = [shared.once(an, ("intensity", shared.change_key(an, c)), lambda c=c: _intensity(an, c)) for c in an.changes]
    intensity = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["change_id", "department_id", "intensity"])
    head = client.departments[["department_id", "headcount"]]
    f = (people.merge(head, on="department_id").merge(intensity, on=["change_id", "department_id"], how="left")
         .merge(key, on=["change_id", "department_id"], how="left"))
    f["intensity"] = f["intensity"].astype("float64").fillna(1.0)
    f["key_roles"] = f["key_roles"].fillna(0).astype("int64")
    share = (f["users"] / f["headcount"].where(f["headcount"] > 0)).clip(upper=1).fillna(0)
    return f.assign(exposure=share * f["intensity"])


def _exposure_small(an: Analysis, need: pd.DataFrame) -> pd.DataFrame | None:
    """:func:`exposure` in plain Python for small clients (tens of (change, department) rows: the frame path's
    groupbys and three merges cost more than the arithmetic): the same rows, order, values and dtypes. None (the
    frame path) where a department id repeats in departments.csv or a key is NA, which the merges treat otherwise."""
    deps = an.client.departments
    if deps["department_id"].duplicated().any():
        return None
    head = dict(zip(deps["department_id"], deps["headcount"].astype("int64")))
    users: dict = {}
    key: dict = {}
    for cid, dep, role, n in zip(need["change_id"], need["department_id"], need["role"], need["users"].astype("int64")):
        if cid != cid or dep != dep:
            return None
        users[(cid, dep)] = users.get((cid, dep), 0) + n
        if role != "end_user":
            key[(cid, dep)] = key.get((cid, dep), 0) + n
    weight: dict = {}
    for c in an.changes:
        w = shared.once(an, ("intensity", shared.change_key(an, c)), lambda c=c: _intensity(an, c))
        weight.update(zip(zip(w["change_id"], w["department_id"]), w["intensity"].astype("float64")))
    rows = []
    for (cid, dep), n in sorted(users.items()):  # the groupby's order; departments unknown to departments.csv dropped
        if dep not in head:
            continue
        hc = head[dep]
        w = weight.get((cid, dep), float("nan"))
        w = 1.0 if w != w else w
        part = min(n / hc, 1.0) if hc > 0 else 0.0  # (users / headcount) clipped at 1, NaN (no headcount) as 0
        rows.append((cid, dep, n, hc, w, key.get((cid, dep), 0), part * w))
    return shared.frame(rows, {"change_id": "str", "department_id": "str", "users": "int64", "headcount": "int64",
                               "intensity": "float64", "key_roles": "int64", "exposure": "float64"})


def _intensity(an: Analysis, c) -> pd.DataFrame:
    """The strongest usage intensity weight of each department on the systems change ``c`` touches (the same in
    every scenario that has this change: kept in Analysis.shared)."""
    u = an.client.usage
    u = u.loc[u["asset_id"].isin(an.touched[c.id]["asset_id"])]
    w = u["intensity"].map(INTENSITY_WEIGHT).groupby(u["department_id"]).max()
    return pd.DataFrame({"change_id": c.id, "department_id": w.index, "intensity": w.to_numpy()})


def department_impact(an: Analysis) -> pd.DataFrame:
    """Degree of impact 0-5 per department, change and aspect.

    degree = round(profile degree × exposure), at least 1 where both are above zero; the job_roles
    aspect gains 1 where the department provides key users or administrators for the change.
    Columns: change_id, department_id, department, headcount, aspect, degree (NaN when the catalog
    has no impact profile for the change's kind), exposure, profile.
    """
    client = an.client
    ex = an.exposure
    products = client.catalog.products
    prof = shared.once(an, ("impact_profiles_long",), lambda: client.catalog.impact_profiles.melt(  # the client's catalog's
        id_vars=["category", "action"], value_vars=list(ASPECTS), var_name="aspect", value_name="profile"))
    # each change's kind: its product's category and its action (a change whose product the catalog lacks has none)
    kind = {c.id: (products[c.product_id or c.from_product_id].category, c.action)
            for c in an.changes if (c.product_id or c.from_product_id) in products}
    if shared.small(an):
        fast = _department_impact_small(an, ex, prof, kind)
        if fast is not None:
            return fast
    kinds = pd.DataFrame([(cid, category, action) for cid, (category, action) in kind.items()],
                         columns=["change_id", "category", "action"])  # the columns even with no change
    f = (ex.merge(kinds, on="change_id", how="left")
         .merge(prof, on=["category", "action"], how="left"))
    f["aspect"] = f["aspect"].fillna("(no profile)")
    raw = f["profile"] * f["exposure"]
    degree = np.where((f["profile"] > 0) & (f["exposure"] > 0), np.maximum(np.round(raw), 1), np.round(raw))
    degree = np.where((f["aspect"] == "job_roles") & (f["key_roles"] > 0), np.minimum(degree + 1, 5), degree)
    names = shared.column(an, "departments", "department_id", "name")
    out = f.assign(degree=degree, department=f["department_id"].map(names))
    return out[["change_id", "department_id", "department", "headcount", "aspect", "degree", "exposure", "profile"]]


def _department_impact_small(an: Analysis, ex: pd.DataFrame, prof: pd.DataFrame, kind: dict) -> pd.DataFrame | None:
    """:func:`department_impact` in plain Python for small clients (tens of exposure rows: the frame path's two
    merges cost ~3 ms, more than the arithmetic): the same rows (each exposure row with its kind's profile rows in
    their order), values and dtypes; ``kind``: each change's (category, action), as :func:`department_impact` reads
    them. None (the frame path) where a change has no kind or no profile (NaN profiles,
    "(no profile)"), where a department's name is not known once, or where the exposure is not as small clients'."""
    by_kind = shared.once(an, ("impact_profiles_by_kind",), lambda: shared.split(prof, "category", index=False))
    names = shared.column(an, "departments", "department_id", "name")
    if (not len(ex) or names.index.duplicated().any() or names.isna().any() or prof["profile"].dtype != "int64"
            or ex.dtypes.to_dict() != {**dict.fromkeys(("change_id", "department_id"), ex["change_id"].dtype),
                                       **dict.fromkeys(("users", "headcount", "key_roles"), np.dtype("int64")),
                                       **dict.fromkeys(("intensity", "exposure"), np.dtype("float64"))}):
        return None
    name_of = dict(zip(names.index, names.tolist()))
    rows = []
    for cid, dep, head, exposure, key in zip(ex["change_id"].tolist(), ex["department_id"].tolist(), ex["headcount"].tolist(),
                                             ex["exposure"].tolist(), ex["key_roles"].tolist()):
        if cid not in kind or dep not in name_of:
            return None
        category, action = kind[cid]
        aspects = [(r.aspect, r.profile) for r in by_kind.get(category, ()) if r.action == action]
        if not aspects:
            return None
        for aspect, profile in aspects:
            raw = profile * exposure
            degree = max(round(raw), 1) if profile > 0 and exposure > 0 else round(raw)  # (half to even, as np.round)
            if aspect == "job_roles" and key > 0:
                degree = min(degree + 1, 5)
            rows.append((cid, dep, name_of[dep], head, aspect, float(degree), exposure, profile))
    return shared.frame(rows, {"change_id": ex["change_id"].dtype, "department_id": ex["department_id"].dtype, "department": names.dtype,
                               "headcount": "int64", "aspect": prof["aspect"].dtype, "degree": "float64", "exposure": "float64",
                               "profile": prof["profile"].dtype})


def department_scores(impact: pd.DataFrame) -> pd.DataFrame:
    """Score 0-5 per (department, change): the mean degree over its aspects.
    Columns: department_id, department, headcount, change_id, score."""
    if len(impact) <= shared.SMALL_ROWS:
        fast = _department_scores_small(impact)
        if fast is not None:
            return fast
    known = impact.dropna(subset=["degree"])
    return (known.groupby(["department_id", "department", "headcount", "change_id"], as_index=False)["degree"].mean()
            .rename(columns={"degree": "score"}))


def _department_scores_small(impact: pd.DataFrame) -> pd.DataFrame | None:
    """:func:`department_scores` in plain Python for a few hundred rows (the groupby's fixed cost was most of the
    work, and three calls per report): the same groups in the same sorted order and dtypes, each mean a plain sum
    over the count. None (the groupby) where a key is NA, the headcount is not int64, or a sum is not exact (whole
    degrees are: shared.exact), where the groupby's compensated mean could differ in the last bit."""
    key = ["department_id", "department", "headcount", "change_id"]
    if impact["headcount"].dtype != "int64" or impact["degree"].dtype != "float64":
        return None
    groups: dict = {}
    for k, degree in zip(zip(*(impact[c].tolist() for c in key)), impact["degree"].tolist()):
        if degree != degree:
            continue  # no profile: left out, as dropna
        if any(x != x or x is None for x in k):
            return None
        groups.setdefault(k, []).append(degree)
    if not all(shared.exact(v) for v in groups.values()):
        return None  # the groupby's compensated means (one group's alone can differ in the last bit)
    rows = [(*k, float(sum(groups[k])) / len(groups[k])) for k in sorted(groups)]
    return shared.frame(rows, {**{c: impact[c].dtype for c in key}, "score": "float64"})


def company_scores(scores: pd.DataFrame, total_headcount: int) -> pd.Series:
    """Headcount-weighted impact score per change over the whole company (departments not touched count as 0)."""
    weighted = (scores["score"] * scores["headcount"]).groupby(scores["change_id"]).sum()
    return (weighted / total_headcount).rename("company_score") if total_headcount else weighted * 0


def change_load(an: Analysis) -> pd.DataFrame:
    """Impact each department absorbs per month, all changes together, against its capacity (see :func:`load`)."""
    return load(an.client, an.changes, department_scores(an.department_impact))


def load(client, changes, scores: pd.DataFrame) -> pd.DataFrame:
    """Impact each department absorbs per month from ``scores`` (see :func:`department_scores`) of ``changes``.

    A change loads a department with its score from PREPARATION_MONTHS before go-live until the end
    of its learning curve (catalog dip_weeks after go-live). Columns: department_id, department,
    month (Timestamp, first day), load, capacity, saturated (load > capacity), changes (ids, ', ').
    """
    products = client.catalog.products
    spans: dict[str, range] = {}  # each change's months as integer ordinals (a Period per month, a frame per change cost more)
    for c in changes:
        p = products.get(c.product_id)
        weeks = (p.change.dip_weeks or 0) if p is not None and p.change is not None else 0
        first = (pd.Timestamp(c.go_live) - pd.DateOffset(months=PREPARATION_MONTHS)).to_period("M")
        last = (pd.Timestamp(c.go_live) + pd.Timedelta(weeks=weeks)).to_period("M")
        spans[c.id] = range(first.ordinal, last.ordinal + 1)
    if not spans or scores.empty:
        return pd.DataFrame(columns=["department_id", "department", "month", "load", "capacity", "saturated", "changes"])
    # each (department, month) a change loads, with its scores and changes in the order of a merge of the scores with
    # the months (the scores' rows in order, a change's months in order), grouped in plain Python: the groups as a
    # groupby sorts them (a department's name goes with its id), NA keys left out as a groupby leaves them
    merged: list[tuple] = []  # (group, score) in the merge's row order
    ids: dict[tuple, list] = {}
    for dept_id, dept, cid, score in zip(scores["department_id"], scores["department"], scores["change_id"], scores["score"]):
        if not (isinstance(dept_id, str) and isinstance(dept, str)):
            continue
        for month in spans.get(cid, ()):
            merged.append(((dept_id, dept, month), score))
            ids.setdefault((dept_id, dept, month), []).append(cid)
    keys = sorted(ids)
    # the loads as the groupby summed them: one pandas groupby sum of the rows in the merge's order, with the groups'
    # codes in sorted order (pandas picks its summing by that sequence: the same sequence, the same floats to the bit)
    code_of = {k: i for i, k in enumerate(keys)}
    load = pd.DataFrame({
        "department_id": pd.array([k[0] for k in keys], dtype=scores["department_id"].dtype),
        "department": pd.array([k[1] for k in keys], dtype=scores["department"].dtype),
        "month": pd.Series(pd.PeriodIndex.from_ordinals([k[2] for k in keys], freq="M")).dt.to_timestamp(),
        "load": pd.Series([x for _, x in merged], dtype="float64").groupby([code_of[k] for k, _ in merged]).sum().to_numpy(),
        "changes": pd.array([", ".join(sorted(ids[k])) for k in keys], dtype="str")})
    cap = client.departments.set_index("department_id")["change_capacity"]
    load["capacity"] = load["department_id"].map(cap)
    load["saturated"] = load["load"] > load["capacity"]
    return load


def missing_profiles(an: Analysis) -> list[tuple[str, str, str]]:
    """(change id, category, action) of changes the catalog has no impact profile for (shown, never zero)."""
    client = an.client
    products = client.catalog.products
    known = set(zip(client.catalog.impact_profiles["category"], client.catalog.impact_profiles["action"]))
    out = []
    for c in an.changes:
        pid = c.product_id or c.from_product_id
        if pid in products and (products[pid].category, c.action) not in known:
            out.append((c.id, products[pid].category, c.action))
    return out
