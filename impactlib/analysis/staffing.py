"""Who should carry each new capability: train, recruit or outsource (build / buy / borrow), and the
organisation around it: key users, new roles, process owners and the support model.

Pure functions over :mod:`impactlib.skills` (gaps and training need are reused, never recomputed) and
:mod:`impactlib.impact`. Outputs hold counts and levels, never a name or a staff id; groups are not
suppressed here except the key-user candidate counts (k-anonymity, see :func:`key_users`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from impactlib.analysis import shared as share
from impactlib.analysis import skills
from impactlib.analysis.training import training_months
from impactlib.model.vocab import CAPABILITIES
from impactlib.model.frames import frame_rows

if TYPE_CHECKING:  # for annotations only
    from impactlib.model.analysis import Analysis

# --- decision rule: constants -------------------------------------------------------------------

DAYS_PER_MONTH = 30.44  # average month length, to turn dates into months
MAX_TRAINABLE_GAP = 2  # an administrator within 2 levels of the required level can be trained
RECRUITMENT_LEAD_MONTHS = 3  # time to recruit a permanent administrator (search, notice period): impactlib convention
OUTSOURCE_HOURS_PER_MONTH = {  # provider hours bought per month when a need is outsourced (impactlib estimates)
    "administrator": 8.0,  # run the platform: rights, updates, incidents
    "key_user": 4.0,  # provider coaching standing in for a key user
    "end_user": 4.0,  # provider-led coaching where no course exists
}
OUTSOURCE_MONTHS = 12  # an outsourced need is costed over one year
# held already / build / build with a bridge / buy / borrow / borrow then buy
DECISIONS = ("covered", "train", "outsource_then_train", "recruit", "outsource", "outsource_then_recruit")
HIRE = ("recruit", "outsource_then_recruit")
TRAINED = ("train", "outsource_then_train")  # decisions whose capability the training plan trains
APP_CATEGORIES = ("erp", "accounting", "practice_management")  # administered by the vendor's partner in SMEs
RULES = {  # rule id -> what decided (exactly one per capability: change, product, usage role)
    "contract": "a managed-services contract in force at go-live covers the administration: no in-house administrator",
    "no_course": "no course chain reaches the required level: outsource",
    "end_user": "end users are trained",
    "end_user_no_course": "end users are trained; a skill no catalog course reaches is coached by the provider",
    "key_user_time_ok": "key users can be trained before go-live: train",
    "too_late_to_train": "key users cannot be trained before go-live: provider coaching (outsource)",
    "gap_small_time_ok": "an administrator is within MAX_TRAINABLE_GAP levels and trainable before go-live: train",
    "gap_small_late": "an administrator is within MAX_TRAINABLE_GAP levels but not trainable before go-live: the provider "
                      "supports until the training ends (outsource, then train)",
    "vendor_subscription": "a business application bought as a subscription is run by its vendor: the subscription "
                           "covers the platform's administration",
    "partner_support": "a business application of a company below in_house_app_admin_from_staff people is administered "
                       "by the vendor's partner under a support contract: outsource",
    "no_candidate_permanent": "nobody within MAX_TRAINABLE_GAP levels, lasting need, time to recruit: recruit",
    "too_late_permanent": "within two levels but no course reaches the level, lasting need, time to recruit: recruit",
    "no_time_to_recruit": "lasting need but go-live is closer than RECRUITMENT_LEAD_MONTHS: outsource, then recruit",
    "temporary_need": "the product is removed by a later change: outsource",
    "small_company_managed": "a company below in_house_admin_from_staff people buys administration as a managed service: outsource",
}

# --- organisation: constants --------------------------------------------------------------------

USERS_PER_KEY_USER = 15  # impactlib convention: 1 key user per 15 users (common practice is 1 per 10-20)
MIN_USERS_OWN_KEY_USER = 5  # a department with fewer users shares the key users of the others (pooled, department "*")
SENIOR_FROM_LEVEL = 5  # a recruit profile requiring a level 5 skill is "senior", else "confirmed"
PROCESS_OWNER_CATEGORIES = ("erp", "accounting", "practice_management")  # business software reshaping processes
PROCESS_OWNER_MIN_DEGREE = 3  # processes impact degree (0-5) from which a department needs a process owner
SUBSCRIPTION_PERIODS = ("month", "year")  # licence periods read as a vendor-run (cloud) service
SUPPORT_MODELS = {  # support model -> who does what
    "cloud": "platform=vendor; L2=provider; L1=key_users",
    "on_premises": "L2-L3=provider; L1=key_users",
}
ROLE_TITLES = {  # administrator role title per product category; None: "<product name> administrator"
    "erp": "ERP administrator",
    "accounting": "Accounting software administrator",
    "practice_management": "Practice software administrator",
    "collaboration": None,
    "os": "Workstation administrator",
    "office_suite": "Workstation administrator",
    "server_os": "Systems administrator",
    "email": "Messaging administrator",
    "database": "Database administrator",
    "backup": "Backup administrator",
    "endpoint_protection": "Security administrator",
    "other": None,
}

NEED_KEY = ["change_id", "product_id", "role", "skill_id"]
NEED_COLUMNS = NEED_KEY + ["people", "max_gap", "mean_gap", "best_current", "required", "hours_per_person",
                           "capacity", "months_to_capability", "months_available", "permanent"]
ADVICE_COLUMNS = NEED_KEY + ["decision", "rule", "people", "max_gap", "mean_gap", "best_current", "required",
                             "hours_per_person", "capacity", "months_to_capability", "months_available", "permanent", "cost",
                             "provider_cost"]
PROFILE_COLUMNS = ["change_id", "product_id", "decision", "title", "skills", "max_level", "seniority", "headcount"]
KEY_USER_COLUMNS = ["change_id", "product_id", "department_id", "users", "key_users_needed", "candidates", "enough",
                    "suppressed", "criteria"]
REORG_COLUMNS = ["kind", "change_id", "product_id", "department_id", "count", "subject", "rationale",
                 "users", "candidates", "gap", "degree", "detail"]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def _role_title(product) -> str:
    """Title of the administrator role for a catalog product (see ROLE_TITLES)."""
    return ROLE_TITLES.get(product.category) or f"{product.name} administrator"


def _timing(an: Analysis) -> pd.DataFrame:
    """Per change: months_available (from the earliest plannable date — report date plus lead_days — to
    go-live, in months) and permanent.

    A product's need is permanent unless a change of the scenario going live on or after this one
    removes it (``action: remove`` with this ``from_product_id``).
    """
    cs = an.changes
    removed = [(c.from_product_id, pd.Timestamp(c.go_live)) for c in cs if c.action == "remove"]
    start = pd.Timestamp(an.earliest)
    rows = [{"change_id": c.id,
             "months_available": (pd.Timestamp(c.go_live) - start).days / DAYS_PER_MONTH,
             "permanent": c.action != "remove" and not any(p == c.product_id and when >= pd.Timestamp(c.go_live)
                                                            for p, when in removed)}
            for c in cs]
    return pd.DataFrame(rows, columns=["change_id", "months_available", "permanent"])


def capability_needs(an: Analysis) -> pd.DataFrame:
    """One row per (change, product, usage role, skill) where at least one person has a gap > 0.

    Columns: change_id, product_id, role, skill_id; people (persons with a gap); max_gap, mean_gap
    (levels, over those persons); best_current (best current level among everyone assigned to the role,
    gap or not); required (level); hours_per_person (training hours of the person who needs the most,
    from :func:`skills.training_need`; NaN when a person with a gap has no course chain reaching the
    required level); capacity (training hours per month of that person's department — for a company-wide
    administrator, the chosen candidate's own department); months_to_capability =
    training.training_months(hours_per_person, capacity) (a first day in about a week, the rest at the capacity;
    inf when capacity is 0); months_available (earliest plannable date to go-live, months of
    DAYS_PER_MONTH days, negative when go-live is before it); permanent (the product stays after the change).
    """
    client = an.client
    g = an.gaps
    need = an.training_need
    if need.empty:
        return _empty(NEED_COLUMNS)
    if share.small(an):
        fast = _capability_needs_small(an, g, need)
        if fast is not None:
            return fast
    in_g, in_need = share.grouped(g, NEED_KEY), share.grouped(need, NEED_KEY)
    if in_g is None or in_need is None:  # an NA key, which groupby leaves out: pandas' own grouping (of the values)
        g, need = skills.as_values(g), skills.as_values(need)
        best = g.groupby(NEED_KEY, as_index=False)["current"].max()
        agg = (need.assign(no_course=need["hours"].isna())
               .groupby(NEED_KEY, as_index=False).agg(people=("staff_id", "nunique"), max_gap=("gap", "max"),
                                                      mean_gap=("gap", "mean"), required=("required", "max"),
                                                      no_course=("no_course", "any")))
    else:  # hundreds of thousands of rows at 50,000 staff: grouped on one integer per row, not on four strings
        code, keys = in_g
        best = keys.assign(current=_group_max(g["current"], code, len(keys)))
        code, keys = in_need
        person = share.codes_of(an, "training_need", need)
        agg = keys.assign(people=_group_nunique(need["staff_id"], code, len(keys), person), max_gap=_group_max(need["gap"], code, len(keys)),
                          mean_gap=_group_mean(need["gap"], code, len(keys)), required=_group_max(need["required"], code, len(keys)),
                          no_course=np.bincount(code[need["hours"].isna().to_numpy()], minlength=len(keys)) > 0)
    best = best.rename(columns={"current": "best_current"})
    cap = share.column(an, "departments", "department_id", "training_hours_per_month")
    capacity = need["department_id"].map(cap).astype("float64")
    # the person who needs the most hours (the slowest to train, on a tie) sets the pace
    if in_need is not None:  # the order sort_values gives the whole frame, from its two sort columns only
        ranked = pd.DataFrame({"hours": need["hours"].to_numpy(), "months": (need["hours"] / capacity).to_numpy()})
        order = ranked.sort_values(["hours", "months"], ascending=False, na_position="first").index.to_numpy()
        del ranked
        rows = order[~pd.Series(in_need[0][order]).duplicated().to_numpy()]
        slowest = share.plain(need[NEED_KEY + ["hours"]].take(rows)).assign(capacity=capacity.to_numpy()[rows])
    else:
        person = need.assign(capacity=capacity)
        person = person.assign(months=person["hours"] / person["capacity"])
        ranked = person.sort_values(["hours", "months"], ascending=False, na_position="first")
        slowest = ranked.loc[~ranked.duplicated(NEED_KEY), NEED_KEY + ["hours", "capacity"]]
    slowest = slowest.rename(columns={"hours": "hours_per_person"})
    f = agg.merge(best, on=NEED_KEY, how="left").merge(slowest, on=NEED_KEY).merge(_timing(an), on="change_id")
    f["hours_per_person"] = f["hours_per_person"].astype("float64").where(~f["no_course"].astype(bool))
    with np.errstate(divide="ignore", invalid="ignore"):
        f["months_to_capability"] = training_months(f["hours_per_person"], f["capacity"])
    f["permanent"] = f["permanent"].astype(bool)
    return f[NEED_COLUMNS].sort_values(NEED_KEY, ignore_index=True)


def _group_max(values: pd.Series, code: np.ndarray, n: int) -> np.ndarray:
    """``values.groupby(code).max()`` of ``n`` groups (every one with rows), for integers without NA (as int64: the
    levels of the gaps are bytes, skills.LEVEL): no grouper built for every row; pandas' groupby for other dtypes."""
    v = values.to_numpy()
    if not isinstance(values.dtype, np.dtype) or values.dtype.kind != "i":
        return values.groupby(code).max().to_numpy()
    out = np.full(n, np.iinfo("int64").min, dtype="int64")
    np.maximum.at(out, code, v)
    return out


def _group_mean(values: pd.Series, code: np.ndarray, n: int) -> np.ndarray:
    """``values.groupby(code).mean()`` of ``n`` groups for integer values whose total stays exact in floats (any order
    of adding then gives pandas' sums); pandas' groupby otherwise."""
    v = values.to_numpy()
    if not isinstance(values.dtype, np.dtype) or values.dtype.kind != "i" or not share.exact_sums(np.abs(v).astype("float64")):
        return values.groupby(code).mean().to_numpy()
    return np.bincount(code, weights=v.astype("float64"), minlength=n) / np.bincount(code, minlength=n)


def _group_nunique(ids: pd.Series, code: np.ndarray, n: int, person: np.ndarray | None = None) -> np.ndarray:
    """The distinct ids of each of ``n`` groups, as ``pd.Series(pd.factorize(ids)[0]).groupby(code).nunique()``
    counts them (an NA id's code, -1, is one more value): distinct (group, id) pairs counted. ``person``: the ids'
    codes when known (shared.codes_of)."""
    if person is None:
        person = share.factorize(ids)[0]
    width = int(person.max(initial=0)) + 2
    pairs = np.unique(code.astype("int64") * width + (person + 1))
    return np.bincount(pairs // width, minlength=n).astype("int64")


def _capability_needs_small(an: Analysis, g: pd.DataFrame, need: pd.DataFrame) -> pd.DataFrame | None:
    """:func:`capability_needs` in plain Python for small clients (a few hundred gap rows: the frame path's merges
    and groupbys cost more than the work): the same rows, order, values and dtypes. None (take the frame path)
    where an NA key or a need without a gap row would make the frame path's joins differ."""
    best: dict = {}
    for k, cur in zip(zip(*(g[c] for c in NEED_KEY)), g["current"]):
        best[k] = max(best.get(k, cur), cur)
    cap = dict(zip(an.client.departments["department_id"], an.client.departments["training_hours_per_month"]))
    nan = float("nan")
    per: dict = {}  # key -> [staff ids, max gap, gaps, max required, no course, slowest's order, hours, capacity]
    for k, staff, gap, req, hours, dep in zip(zip(*(need[c] for c in NEED_KEY)), need["staff_id"], need["gap"],
                                              need["required"], need["hours"], need["department_id"]):
        if any(x != x for x in k) or staff != staff or k not in best:
            return None
        capacity = float(cap.get(dep, nan))
        hours = float(hours)
        with np.errstate(divide="ignore", invalid="ignore"):
            months = float(np.float64(hours) / np.float64(capacity))
        # sort_values(["hours", "months"], ascending=False, na_position="first"), stable: NaN first, then the most
        order = (hours == hours, -hours if hours == hours else 0.0, months == months, -months if months == months else 0.0)
        r = per.get(k)
        if r is None:
            per[k] = [{staff}, gap, [gap], req, hours != hours, order, hours, capacity]
            continue
        r[0].add(staff)
        r[1] = max(r[1], gap)
        r[2].append(gap)
        r[3] = max(r[3], req)
        r[4] = r[4] or hours != hours
        if order < r[5]:
            r[5], r[6], r[7] = order, hours, capacity
    timing = {c: (m, p) for c, m, p in zip(*(_timing(an)[x] for x in ("change_id", "months_available", "permanent")))}
    keys = sorted(per)
    col = lambda i: [per[k][i] for k in keys]  # noqa: E731
    # columns as arrays, not Series the frame would align first (an id column of objects as a Series: share.frame)
    f = {c: pd.Series([k[j] for k in keys], dtype=object) if share.plain_dtype(need[c].dtype) == object
         else pd.array([k[j] for k in keys], dtype=share.plain_dtype(need[c].dtype)) for j, c in enumerate(NEED_KEY)}
    f["people"] = np.array([len(x) for x in col(0)], dtype="int64")
    f["max_gap"] = np.array(col(1), dtype="int64")
    f["mean_gap"] = np.array([sum(x) / len(x) for x in col(2)], dtype="float64")
    f["best_current"] = np.array([best[k] for k in keys], dtype="int64")
    f["required"] = np.array(col(3), dtype="int64")
    f["hours_per_person"] = np.array([nan if no else h for no, h in zip(col(4), col(6))], dtype="float64")
    f["capacity"] = np.array(col(7), dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        f["months_to_capability"] = np.asarray(training_months(f["hours_per_person"], f["capacity"]), dtype="float64")
    f["months_available"] = np.array([float(timing[k[0]][0]) for k in keys], dtype="float64")
    f["permanent"] = np.array([bool(timing[k[0]][1]) for k in keys], dtype="bool")
    return pd.DataFrame({c: f[c] for c in NEED_COLUMNS}, copy=False)


def coverage(an: Analysis) -> pd.DataFrame:
    """The managed-services contract (contracts.csv) that covers the administration of each changed product
    at its go-live: a contract naming the product wins over one covering its whole capability.

    Columns: change_id, product_id, capability, contract_id, provider, monthly_cost, response_hours
    (one row per change whose product is covered).
    """
    client = an.client
    k = client.contracts
    products = client.catalog.products
    cols = ["change_id", "product_id", "capability", "contract_id", "provider", "monthly_cost", "response_hours"]
    rows = []
    for c in an.changes:
        p = products.get(c.product_id)
        if p is None or k.empty:
            continue
        cap = next((x for x, cats in CAPABILITIES.items() if p.category in cats), None)
        when = pd.Timestamp(c.go_live)
        hit = k.loc[(k["capability"] == cap) & (k["product_id"].isna() | (k["product_id"] == p.id))
                    & (k["start"] <= when) & (k["end"].isna() | (k["end"] >= when))]
        if len(hit):
            r = hit.assign(specific=hit["product_id"].notna()).sort_values("specific", ascending=False).iloc[0]
            rows.append({"change_id": c.id, "product_id": p.id, "capability": cap, "contract_id": r["contract_id"],
                         "provider": r["provider"], "monthly_cost": float(r["monthly_cost"]), "response_hours": r["response_hours"]})
    return pd.DataFrame(rows, columns=cols)


def staffing_advice(an: Analysis) -> pd.DataFrame:
    """Build, buy or borrow: ONE decision per capability (change, product, usage role), shown on each of its
    skill rows (see :func:`capability_needs`), which every other part follows (training plan, organisation,
    costs, the SKL-ADMIN and SCH-TRAINING rules).

    decision is one of DECISIONS, rule one id of RULES. In order, for a capability:
    administrators → covered when a contract covers the product at go-live (:func:`coverage`) or when a
    business application is bought as a subscription (its vendor runs the platform); train when
    every skill has a course, lies within MAX_TRAINABLE_GAP levels and can be reached before go-live;
    else outsource when the need is temporary, when a business application (APP_CATEGORIES) belongs to a
    company below in_house_app_admin_from_staff people (the vendor's partner), or when the company has fewer
    than in_house_admin_from_staff people (managed service); else outsource_then_train when every skill is
    within reach but late (the provider bridges until the training ends); else recruit when months_available
    ≥ RECRUITMENT_LEAD_MONTHS, else outsource_then_recruit. Key users → train when every skill has a course
    reachable before go-live, else outsource (provider coaching). End users → train.
    cost (client currency): train = course cost summed over the people with a gap (per skill row);
    covered = 0 (the contract's price is a run cost already paid); outsource_then_train = course cost + provider
    hours for the months the training runs past go-live; recruit = recruitment_cost (one hire per capability);
    outsource = provider_hourly_rate × OUTSOURCE_HOURS_PER_MONTH[role] × OUTSOURCE_MONTHS;
    outsource_then_recruit = recruit + provider bridge over RECRUITMENT_LEAD_MONTHS. A recruit or outsource
    cost is the capability's, carried by each of its skill rows: never add it up across skills.
    provider_cost: the provider's part of the capability's cost (outsourced months or bridge), the same on
    each of its rows. Columns: those of capability_needs plus decision, rule, cost, provider_cost.
    """
    client = an.client
    n = an.capability_needs
    if n.empty:
        return _empty(ADVICE_COLUMNS)
    a = an.assumptions
    if share.small(an):
        return _staffing_advice_small(an, n)
    cap = ["change_id", "product_id", "role"]
    per = n.assign(no_course=n["hours_per_person"].isna(),
                   late=~(n["months_to_capability"] <= n["months_available"]),
                   far=(n["required"] - n["best_current"]) > MAX_TRAINABLE_GAP)
    g = per.groupby(cap, as_index=False).agg(no_course=("no_course", "any"), late=("late", "any"), far=("far", "any"),
                                             permanent=("permanent", "all"), months_available=("months_available", "min"))
    covered = an.coverage.set_index(["change_id", "product_id"]).index
    g["covered"] = pd.MultiIndex.from_frame(g[["change_id", "product_id"]]).isin(covered) & (g["role"] == "administrator")
    staff = int(client.departments["headcount"].sum())
    small = staff < a.in_house_admin_from_staff
    products = client.catalog.products
    app = g["product_id"].map(lambda pid: products[pid].category in APP_CATEGORIES) & (staff < a.in_house_app_admin_from_staff)
    admin, key = g["role"] == "administrator", g["role"] == "key_user"
    trainable = ~g["no_course"] & ~g["late"] & ~g["far"]
    saas = g["product_id"].map(lambda pid: products[pid].category in APP_CATEGORIES
                               and products[pid].licence.period in SUBSCRIPTION_PERIODS)
    cases = [  # (condition, decision, rule), first match wins
        (admin & g["covered"], "covered", "contract"),
        (admin & saas, "covered", "vendor_subscription"),
        (g["role"] == "end_user", "train", None),
        (key & ~g["no_course"] & ~g["late"], "train", "key_user_time_ok"),
        (key & g["no_course"], "outsource", "no_course"),
        (key, "outsource", "too_late_to_train"),
        (admin & trainable, "train", "gap_small_time_ok"),
        (admin & ~g["permanent"], "outsource", "temporary_need"),
        (admin & app, "outsource", "partner_support"),
        (admin & small, "outsource", "small_company_managed"),
        (admin & ~g["no_course"] & ~g["far"], "outsource_then_train", "gap_small_late"),
        (admin & g["no_course"] & ~(g["months_available"] >= RECRUITMENT_LEAD_MONTHS), "outsource", "no_course"),
        (admin & (g["months_available"] >= RECRUITMENT_LEAD_MONTHS) & g["far"], "recruit", "no_candidate_permanent"),
        (admin & (g["months_available"] >= RECRUITMENT_LEAD_MONTHS), "recruit", "too_late_permanent"),
        (admin, "outsource_then_recruit", "no_time_to_recruit"),
    ]
    conds = [c.to_numpy(dtype=bool) for c, _, _ in cases]
    g["decision"] = np.select(conds, [d for _, d, _ in cases], default="")
    end_rule = np.where(g["no_course"], "end_user_no_course", "end_user")
    g["rule"] = np.select(conds, [r if r is not None else end_rule for _, _, r in cases], default="")
    n = n.merge(g[cap + ["decision", "rule"]], on=cap)
    need = an.training_need
    groups = share.grouped(need, NEED_KEY) if len(need) else None  # ~300,000 rows at 50,000 staff: summed on one integer per row
    course_cost = skills.as_values(need).groupby(NEED_KEY)["cost"].sum(min_count=1).rename("course_cost") if groups is None else \
        pd.Series(need["cost"].groupby(groups[0]).sum(min_count=1).to_numpy(), index=pd.MultiIndex.from_frame(groups[1]),
                  name="course_cost")
    n = n.merge(course_cost, left_on=NEED_KEY, right_index=True, how="left")
    decision = n["decision"].to_numpy()
    monthly = n["role"].map(OUTSOURCE_HOURS_PER_MONTH).astype("float64") * a.provider_hourly_rate
    recruit = pd.Series(a.recruitment_cost, index=n.index)  # one hire per capability (recruit_profiles: headcount 1)
    # the provider bridges the months the training takes beyond go-live
    bridge = monthly * np.ceil((n["months_to_capability"] - n["months_available"]).clip(lower=0).fillna(0))
    cost = np.select([decision == "covered", decision == "train", decision == "outsource_then_train", decision == "recruit",
                      decision == "outsource", decision == "outsource_then_recruit"],
                     [0.0, n["course_cost"].fillna(0.0), n["course_cost"].fillna(0.0) + bridge, recruit, monthly * OUTSOURCE_MONTHS,
                      recruit + monthly * RECRUITMENT_LEAD_MONTHS], default=np.nan)
    # the provider's part of the cost (the rest is courses or recruitment): once per capability, on every row
    provider = np.select([decision == "outsource", decision == "outsource_then_recruit", decision == "outsource_then_train"],
                         [monthly * OUTSOURCE_MONTHS, monthly * RECRUITMENT_LEAD_MONTHS, bridge], default=0.0)
    out = n.assign(cost=cost.astype("float64"), provider_cost=provider.astype("float64"))
    out["provider_cost"] = out.groupby(["change_id", "product_id", "role"])["provider_cost"].transform("max")
    return out[ADVICE_COLUMNS].sort_values(NEED_KEY, ignore_index=True)


def _staffing_advice_small(an: Analysis, n: pd.DataFrame) -> pd.DataFrame:
    """:func:`staffing_advice` in plain Python for small clients (tens of capability rows: the frame path's groupbys,
    merges and selects cost more than the decisions): the same rows, order, values and dtypes. ``n`` is
    capability_needs, sorted on NEED_KEY with a RangeIndex, which the result keeps."""
    client, a = an.client, an.assumptions
    products = client.catalog.products
    nan = float("nan")
    rows = list(zip(n["change_id"], n["product_id"], n["role"], n["skill_id"], n["hours_per_person"],
                    n["months_to_capability"], n["months_available"], n["required"], n["best_current"], n["permanent"]))
    caps: dict = {}  # (change, product, role) -> [no_course, late, far, permanent, months_available]
    for cid, pid, role, _, hours, mtc, ma, req, best, perm in rows:
        no_course, late, far = hours != hours, not (mtc <= ma), (req - best) > MAX_TRAINABLE_GAP
        g = caps.get((cid, pid, role))
        if g is None:
            caps[(cid, pid, role)] = [no_course, late, far, bool(perm), ma]
        else:
            g[0], g[1], g[2], g[3] = g[0] or no_course, g[1] or late, g[2] or far, g[3] and bool(perm)
            g[4] = ma if g[4] != g[4] else g[4] if ma != ma else min(g[4], ma)  # min, NaN skipped
    covered = set(zip(an.coverage["change_id"], an.coverage["product_id"]))
    staff = int(client.departments["headcount"].sum())
    small = staff < a.in_house_admin_from_staff
    decided = {}
    for (cid, pid, role), (no_course, late, far, permanent, ma) in caps.items():
        admin, key = role == "administrator", role == "key_user"
        app = products[pid].category in APP_CATEGORIES and staff < a.in_house_app_admin_from_staff
        saas = products[pid].category in APP_CATEGORIES and products[pid].licence.period in SUBSCRIPTION_PERIODS
        soon = not (ma >= RECRUITMENT_LEAD_MONTHS)
        cases = [  # the frame path's cases, in its order: first match wins
            (admin and (cid, pid) in covered, "covered", "contract"),
            (admin and saas, "covered", "vendor_subscription"),
            (role == "end_user", "train", "end_user_no_course" if no_course else "end_user"),
            (key and not no_course and not late, "train", "key_user_time_ok"),
            (key and no_course, "outsource", "no_course"),
            (key, "outsource", "too_late_to_train"),
            (admin and not no_course and not late and not far, "train", "gap_small_time_ok"),
            (admin and not permanent, "outsource", "temporary_need"),
            (admin and app, "outsource", "partner_support"),
            (admin and small, "outsource", "small_company_managed"),
            (admin and not no_course and not far, "outsource_then_train", "gap_small_late"),
            (admin and no_course and soon, "outsource", "no_course"),
            (admin and not soon and far, "recruit", "no_candidate_permanent"),
            (admin and not soon, "recruit", "too_late_permanent"),
            (admin, "outsource_then_recruit", "no_time_to_recruit"),
        ]
        decided[(cid, pid, role)] = next(((d, r) for hit, d, r in cases if hit), ("", ""))
    need = an.training_need
    costs: dict = {}
    for k, cost in zip(zip(*(need[c] for c in NEED_KEY)), need["cost"]):
        costs.setdefault(k, []).append(cost)
    decisions, rules, cost, provider = [], [], [], []
    for cid, pid, role, skill, hours, mtc, ma, req, best, perm in rows:
        d, r = decided[(cid, pid, role)]
        decisions.append(d)
        rules.append(r)
        spent = costs.get((cid, pid, role, skill), ())
        course = share.group_sum(spent) if any(x == x for x in spent) else nan  # sum(min_count=1), then fillna(0)
        course = 0.0 if course != course else course
        hours_pm = OUTSOURCE_HOURS_PER_MONTH.get(role)
        monthly = float(hours_pm) * a.provider_hourly_rate if hours_pm is not None else nan
        late_by = mtc - ma
        late_by = 0.0 if late_by != late_by or late_by < 0 else late_by  # clip(lower=0).fillna(0)
        bridge = monthly * float(np.ceil(late_by))
        recruit = float(a.recruitment_cost)
        cost.append({"covered": 0.0, "train": course, "outsource_then_train": course + bridge, "recruit": recruit,
                     "outsource": monthly * OUTSOURCE_MONTHS,
                     "outsource_then_recruit": recruit + monthly * RECRUITMENT_LEAD_MONTHS}.get(d, nan))
        provider.append({"outsource": monthly * OUTSOURCE_MONTHS, "outsource_then_recruit": monthly * RECRUITMENT_LEAD_MONTHS,
                         "outsource_then_train": bridge}.get(d, 0.0))
    top: dict = {}  # the provider's part, once per capability: the largest of its rows (NaN skipped)
    for (cid, pid, role, *_), x in zip(rows, provider):
        t = top.get((cid, pid, role), nan)
        top[(cid, pid, role)] = x if t != t else t if x != x else max(t, x)
    # one frame of n's columns (as Series: an array of objects would be inferred as strings) and the new ones as
    # arrays, in order (not assigned Series by Series, then taken)
    out = {c: n[c] for c in NEED_COLUMNS}
    out.update(decision=pd.array(decisions, dtype="str"), rule=pd.array(rules, dtype="str"), cost=np.array(cost, dtype="float64"),
               provider_cost=np.array([top[(r[0], r[1], r[2])] for r in rows], dtype="float64"))
    return pd.DataFrame({c: out[c] for c in ADVICE_COLUMNS}, index=n.index)


def training(an: Analysis) -> pd.DataFrame:
    """The training need the plan follows: the rows of skills.training_need whose capability is decided
    "train" (:func:`staffing_advice`). A capability covered by a contract, outsourced or recruited trains
    nobody. Columns: those of skills.training_need."""
    need = an.training_need
    adv = an.staffing_advice
    if need.empty or adv.empty:
        return need.iloc[0:0]
    keys = ["change_id", "product_id", "role"]
    kept = _trained_small(need, adv, keys) if share.small(an) else None
    if kept is None:
        trained = adv.loc[adv["decision"].isin(TRAINED), keys].drop_duplicates()
        kept = pd.MultiIndex.from_frame(need[keys]).isin(pd.MultiIndex.from_frame(trained))
    # the rows of need whose capability is trained, in need's order (as an inner merge on those keys gives); when
    # every capability is trained, need itself (no copy of its ~210,000 rows at 50,000 staff: frames are copy-on-write)
    out = (need if kept.all() else need.loc[kept]).reset_index(drop=True)
    codes = share.codes_of(an, "training_need", need)
    return out if codes is None else share.keep_codes(an, "training", out, share.staff_codes(out))


def _trained_small(need: pd.DataFrame, adv: pd.DataFrame, keys: list[str]) -> np.ndarray | None:
    """Which rows of ``need`` have their capability (``keys``) trained in ``adv``, in plain Python for small clients
    (tens of rows: the two MultiIndexes the frame path builds to match them took ~4 ms a scenario on the demo-size
    client); None (the frame path) where a key is NA, which the MultiIndexes match among themselves."""
    trained = set()
    for k, decision in zip(zip(*(adv[c].tolist() for c in keys)), adv["decision"].tolist()):
        if any(x != x for x in k):
            return None
        if decision in TRAINED:
            trained.add(k)
    rows = list(zip(*(need[c].tolist() for c in keys)))
    if any(x != x for k in rows for x in k):
        return None
    return np.array([k in trained for k in rows], dtype=bool)


def holders(an: Analysis) -> pd.DataFrame:
    """Who holds the administration of each changed product: one row per (change, product).

    holder is "contract" (a managed-services contract in force; provider and contract_id given), "vendor"
    (a business application bought as a subscription: the vendor runs the platform; provider = the vendor),
    "in_house" (the capability is trained, or nobody lacks a level: people already able), "provider"
    (outsourced: a managed service to contract), "recruit" (to be recruited; outsource_then_recruit: the
    provider bridges until then). Columns: change_id, product_id, holder, decision, provider, contract_id.
    """
    products = an.client.catalog.products
    cov = an.coverage.set_index("change_id")
    adv = an.staffing_advice
    adv = adv.loc[adv["role"] == "administrator"].drop_duplicates(["change_id", "product_id"]).set_index("change_id") \
        if not adv.empty else adv
    rows = []
    for c in an.changes:
        if c.product_id not in products or c.action == "remove":
            continue
        decision = adv.at[c.id, "decision"] if c.id in adv.index else ("covered" if c.id in cov.index else "none_needed")
        holder = {"covered": "contract", "train": "in_house", "outsource_then_train": "in_house", "none_needed": "in_house",
                  "outsource": "provider", "recruit": "recruit", "outsource_then_recruit": "recruit"}[decision]
        vendor = decision == "covered" and c.id not in cov.index  # a subscription: its vendor runs it
        rows.append({"change_id": c.id, "product_id": c.product_id, "holder": "vendor" if vendor else holder, "decision": decision,
                     "provider": products[c.product_id].vendor if vendor else cov.at[c.id, "provider"] if c.id in cov.index else None,
                     "contract_id": cov.at[c.id, "contract_id"] if c.id in cov.index else None})
    return pd.DataFrame(rows, columns=["change_id", "product_id", "holder", "decision", "provider", "contract_id"])


def recruit_profiles(an: Analysis) -> pd.DataFrame:
    """A job profile per (change, product) with a recruit or outsource_then_recruit decision.

    Columns: change_id, product_id, decision (recruit wins over outsource_then_recruit), title (from the
    product category, ROLE_TITLES, else "<product name> administrator"), skills (every administrator skill
    of the product in the catalog as "skill_id:level", '|'-separated), max_level, seniority ("confirmed"
    when max_level < SENIOR_FROM_LEVEL, else "senior"), headcount (1).
    """
    client = an.client
    adv = an.staffing_advice
    hire = adv.loc[adv["decision"].isin(["recruit", "outsource_then_recruit"])] if not adv.empty else adv
    if hire.empty:
        return _empty(PROFILE_COLUMNS)
    # recruit sorts before outsource_then_recruit: the firmer decision names the profile
    per = hire.sort_values("decision").drop_duplicates(["change_id", "product_id"])[["change_id", "product_id", "decision"]]
    req = client.catalog.required_skills()
    req = req.loc[req["role"] == "administrator"]
    products = client.catalog.products
    rows = []
    for r in frame_rows(per, index=False):
        s = req.loc[req["product_id"] == r.product_id]
        top = int(s["level"].max())
        rows.append({"change_id": r.change_id, "product_id": r.product_id, "decision": r.decision,
                     "title": _role_title(products[r.product_id]),
                     "skills": "|".join(f"{k}:{v}" for k, v in zip(s["skill_id"], s["level"])),
                     "max_level": top, "seniority": "senior" if top >= SENIOR_FROM_LEVEL else "confirmed",
                     "headcount": 1})
    return pd.DataFrame(rows, columns=PROFILE_COLUMNS).sort_values(["change_id", "product_id"], ignore_index=True)


def key_users(an: Analysis, k: int | None = None) -> pd.DataFrame:
    """Key users each department needs for each change, and how many of its staff could become one.

    One row per (change, department) of :func:`skills.demand` (company-wide needs excluded), for
    products with key-user skills in the catalog; departments with fewer than MIN_USERS_OWN_KEY_USER users
    share key users: they form one pooled row, department "*", whose candidates are their staff together
    (a two-person IT team is not asked to name a key user of itself). users = people using the product there (all roles);
    key_users_needed = max(1, ceil(users / USERS_PER_KEY_USER)); candidates = staff of the department
    whose level on every key-user skill of the product is ≥ required − 1; enough = candidates ≥ needed;
    criteria = the levels asked ("skill>=level", '&'-joined). Candidates and enough are left empty
    (suppressed True) where the department lists fewer than ``k`` staff (default: the scenario's
    k_anonymity), so no individual's level can be inferred.
    """
    k = an.assumptions.k_anonymity if k is None else k
    if not share.small(an):
        return _key_users_frames(an, k)
    # plain Python: a few rows per change, where each pandas join cost more than the work it did
    criteria_of, staff_of, levels_of = share.once(an, ("key_user_facts",), lambda: _key_user_facts(an))
    need = an.demand
    users: dict[tuple[str, str, str], int] = {}
    for cid, pid, dep, n in zip(need["change_id"], need["product_id"], need["department_id"], need["users"]):
        if dep != skills.COMPANY and pid in criteria_of:
            users[(cid, pid, dep)] = users.get((cid, pid, dep), 0) + int(n)
    if not users:
        return _empty(KEY_USER_COLUMNS)
    # small departments do not get a key user of their own: they share one, pooled as department "*"
    rows: dict[tuple[str, str], list] = {}  # (change, department) -> [product, users, staff ids]
    for (cid, pid, dep), n in sorted(users.items()):
        if n >= MIN_USERS_OWN_KEY_USER:
            rows[(cid, dep)] = [pid, n, list(staff_of.get(dep, ()))]
    for (cid, pid, dep), n in sorted(users.items()):
        if n < MIN_USERS_OWN_KEY_USER:
            pool = rows.setdefault((cid, skills.COMPANY), [pid, 0, []])
            pool[1] += n
            pool[2] += staff_of.get(dep, ())
    out = []
    for (cid, dep), (pid, n, people) in sorted(rows.items()):
        floors = criteria_of[pid]
        candidates = sum(all(all(v >= floor for v in levels_of.get((s, skill), (0,))) for skill, floor in floors) for s in people)
        needed = max(1, math.ceil(n / USERS_PER_KEY_USER))
        suppressed = len(people) < k
        out.append((cid, pid, dep, n, needed, pd.NA if suppressed else candidates,
                    pd.NA if suppressed else candidates >= needed, suppressed, "&".join(f"{a}>={b}" for a, b in floors)))
    # typed column by column (share.frame), not inferred then converted: the ids are strings, inferred as "str"
    return share.frame(out, {"change_id": "str", "product_id": "str", "department_id": "str", "users": "int64",
                             "key_users_needed": "int64", "candidates": "Int64", "enough": "boolean", "suppressed": "bool",
                             "criteria": "str"})


def _key_users_frames(an: Analysis, k: int) -> pd.DataFrame:
    """:func:`key_users` on arrays, for big clients (thousands of people per department): the same rows. Whether a
    person qualifies depends on the product's key-user skills and their levels only, so it is computed once per
    product over the staff, and counted per department, instead of per (change, department, person, skill)."""
    client = an.client
    need = an.demand
    need = need.loc[need["department_id"] != skills.COMPANY]
    req = client.catalog.required_skills()
    ku = req.loc[req["role"] == "key_user", ["product_id", "skill_id", "level"]]
    ku = ku.assign(floor=(ku["level"] - 1).clip(lower=0))
    users = need.groupby(["change_id", "product_id", "department_id"], as_index=False)["users"].sum()
    users = users.loc[users["product_id"].isin(ku["product_id"])]
    if users.empty:
        return _empty(KEY_USER_COLUMNS)
    # small departments do not get a key user of their own: they share one, pooled as department "*"
    small = users["users"] < MIN_USERS_OWN_KEY_USER
    pool = users.loc[small, ["change_id", "department_id"]]
    users = pd.concat([users.loc[~small], users.loc[small].groupby(["change_id", "product_id"], as_index=False)["users"].sum()
                       .assign(department_id=skills.COMPANY)], ignore_index=True)
    # people as positions in staff.csv, departments as codes
    staff_ids = pd.Index(client.staff["staff_id"])
    dept, depts = pd.factorize(client.staff["department_id"])
    headcount = np.bincount(dept, minlength=len(depts))  # staff listed per department
    levels = client.skills[["staff_id", "skill_id", "level"]]
    levels = levels.loc[levels["skill_id"].isin(ku["skill_id"])]
    person = staff_ids.get_indexer(levels["staff_id"])
    level_of = {skill: (person[rows], levels["level"].to_numpy()[rows])
                for skill, rows in levels.groupby("skill_id", sort=False).indices.items()}

    def qualified(product: str) -> np.ndarray:  # everyone's level on every key-user skill of the product >= required - 1
        ok = np.ones(len(staff_ids), dtype=bool)
        for skill, floor in zip(*(ku.loc[ku["product_id"] == product, c] for c in ("skill_id", "floor"))):
            current = np.zeros(len(staff_ids))  # no recorded level: 0
            who, lv = level_of.get(skill, (np.array([], dtype="int64"), np.array([])))
            current[who[who >= 0]] = lv[who >= 0]
            ok &= current >= floor
        return ok

    per_product: dict[str, np.ndarray] = {}
    per_set: dict[frozenset, np.ndarray] = {}

    def counted(products: frozenset) -> np.ndarray:  # qualified people per department, for all of ``products``
        if products not in per_set:
            ok = np.ones(len(staff_ids), dtype=bool)
            for p in products:
                if p not in per_product:
                    per_product[p] = qualified(p)
                ok &= per_product[p]
            per_set[products] = np.bincount(dept, weights=ok, minlength=len(depts)).astype("int64")
        return per_set[products]

    code_of = {d: i for i, d in enumerate(depts)}
    products_of: dict[tuple[str, str], set] = {}
    for cid, dep, pid in zip(users["change_id"], users["department_id"], users["product_id"]):
        products_of.setdefault((cid, dep), set()).add(pid)
    pooled: dict[str, list] = {}  # with repeats, as the staff join gives
    for cid, dep in zip(pool["change_id"], pool["department_id"]):
        pooled.setdefault(cid, []).append(dep)
    candidates, listed = [], []
    for cid, dep in zip(users["change_id"], users["department_id"]):
        count = counted(frozenset(products_of[(cid, dep)]))
        if dep == skills.COMPANY:  # the pooled departments' people, each once
            codes = [code_of[d] for d in pooled.get(cid, []) if d in code_of]
            candidates.append(int(count[list(set(codes))].sum()) if codes else 0)
            listed.append(int(headcount[codes].sum()) if codes else 0)
        else:
            c = code_of.get(dep)
            candidates.append(int(count[c]) if c is not None else 0)
            listed.append(int(headcount[c]) if c is not None else 0)
    criteria = ku.groupby("product_id").apply(
        lambda s: "&".join(f"{a}>={b}" for a, b in zip(s["skill_id"], s["floor"])), include_groups=False).rename("criteria")
    f = users.assign(candidates=pd.Series(candidates, index=users.index, dtype="Int64"),
                     listed=np.array(listed, dtype="int64"))
    f["key_users_needed"] = np.maximum(1, np.ceil(f["users"] / USERS_PER_KEY_USER)).astype("int64")
    f["suppressed"] = f["listed"].fillna(0).to_numpy() < k
    f["enough"] = (f["candidates"] >= f["key_users_needed"]).astype("boolean")
    f.loc[f["suppressed"], ["candidates", "enough"]] = pd.NA
    f["criteria"] = f["product_id"].map(criteria)
    return f[KEY_USER_COLUMNS].sort_values(["change_id", "department_id"], ignore_index=True)


def _key_user_facts(an: Analysis) -> tuple[dict, dict, dict]:
    """What :func:`key_users` reads of the client: the key-user skills of each product with the level a
    candidate needs (required − 1, at least 0), each department's staff ids, and each (person, skill)'s
    recorded levels."""
    client = an.client
    req = client.catalog.required_skills()
    ku = req.loc[req["role"] == "key_user"]
    criteria_of: dict[str, list[tuple[str, int]]] = {}
    for pid, skill, level in zip(ku["product_id"], ku["skill_id"], ku["level"]):
        criteria_of.setdefault(pid, []).append((skill, max(int(level) - 1, 0)))
    staff_of: dict[str, list[str]] = {}
    for sid, dep in zip(client.staff["staff_id"], client.staff["department_id"]):
        staff_of.setdefault(dep, []).append(sid)
    levels_of: dict[tuple[str, str], list[int]] = {}
    for sid, skill, level in zip(client.skills["staff_id"], client.skills["skill_id"], client.skills["level"]):
        levels_of.setdefault((sid, skill), []).append(level)
    return criteria_of, staff_of, levels_of


def _new_roles_rows(adv: pd.DataFrame) -> list[tuple] | None:
    """The administrator needs of ``adv`` per (change, product) as :func:`reorganisation` groups them: (change, product,
    largest gap, any hire, recruit before outsource_then_recruit), sorted, in plain Python for small clients. None
    (the frame path) for an NA key or levels that are not whole numbers."""
    if adv["required"].dtype != "int64" or adv["best_current"].dtype != "int64":
        return None
    per: dict = {}
    for role, cid, pid, req, best, decision in zip(adv["role"], adv["change_id"], adv["product_id"], adv["required"],
                                                   adv["best_current"], adv["decision"]):
        if role != "administrator":
            continue
        if cid != cid or pid != pid:
            return None
        gap, hire, recruit = per.get((cid, pid), (None, False, False))
        per[(cid, pid)] = (req - best if gap is None else max(gap, req - best),
                           hire or decision in HIRE, recruit or decision == "recruit")
    return [(cid, pid, gap, hire, "recruit" if recruit else "outsource_then_recruit")
            for (cid, pid), (gap, hire, recruit) in sorted(per.items())]


NEW_ROLE_DTYPES = {"change_id": "str", "product_id": "str", "gap": "int64", "hire": "bool", "decision": "str"}


def _new_roles_small(admin: pd.DataFrame) -> pd.DataFrame | None:
    """:func:`_new_roles_rows` as the groupby's frame (its rows, order and dtypes); None where that gives none."""
    rows = _new_roles_rows(admin)
    return None if rows is None else share.frame(rows, NEW_ROLE_DTYPES)


def reorganisation(an: Analysis) -> pd.DataFrame:
    """Organisation recommendations for the planned changes, one row each.

    kind is one of:
    - holder: per (change, product), who administers it (:func:`holders`): subject = holder, rationale = the
      staffing decision, detail = "provider|contract_id".
    - key_users: per (change, department) of :func:`key_users`; count = key users needed; rationale
      enough_candidates / too_few_candidates / candidates_not_shown (k-anonymity).
    - new_role: per (change, product) whose administrator need is recruit / outsource_then_recruit, or
      where nobody assigned is within MAX_TRAINABLE_GAP levels; count 1; subject = role title; rationale =
      the decision or "no_one_within_2_levels"; gap = largest required − best_current.
    - process_owner: per (change, department) where the product category is in PROCESS_OWNER_CATEGORIES
      and the processes impact degree (:func:`impact.department_impact`) is ≥ PROCESS_OWNER_MIN_DEGREE;
      count 1; degree given.
    - support_model: per change; subject "cloud" (licence period in SUBSCRIPTION_PERIODS: vendor runs the
      platform, provider L2, key users L1) or "on_premises" (provider L2-L3, key users L1); detail says who.
    Columns: kind, change_id, product_id, department_id (None when not per department), count, subject,
    rationale, users, candidates, gap, degree, detail (NaN / None where not relevant).
    """
    client = an.client
    if share.small(an):
        fast = _reorganisation_small(an)
        if fast is not None:
            return fast
    parts = []
    ku = key_users(an)
    if not ku.empty:
        rationale = np.where(ku["suppressed"], "candidates_not_shown",
                             np.where(ku["enough"].fillna(False).astype(bool), "enough_candidates", "too_few_candidates"))
        parts.append(pd.DataFrame({"kind": "key_users", "change_id": ku["change_id"], "product_id": ku["product_id"],
                                   "department_id": ku["department_id"], "count": ku["key_users_needed"],
                                   "subject": "key user", "rationale": rationale, "users": ku["users"],
                                   "candidates": ku["candidates"].astype("float64"), "detail": ku["criteria"]}))

    adv = an.staffing_advice
    admin = adv.loc[adv["role"] == "administrator"] if not adv.empty else adv
    if not admin.empty:
        per = _new_roles_small(admin) if share.small(an) else None
        if per is None:
            admin = admin.assign(gap=admin["required"] - admin["best_current"],
                                 hire=admin["decision"].isin(["recruit", "outsource_then_recruit"]))
            per = admin.groupby(["change_id", "product_id"], as_index=False).agg(
                gap=("gap", "max"), hire=("hire", "any"),
                decision=("decision", lambda d: "recruit" if (d == "recruit").any() else "outsource_then_recruit"))
        per = per.loc[per["hire"]]  # a role to create only when it is hired: covered or outsourced needs none
        if not per.empty:
            products = client.catalog.products
            parts.append(pd.DataFrame({"kind": "new_role", "change_id": per["change_id"], "product_id": per["product_id"],
                                       "department_id": None, "count": 1,
                                       "subject": [_role_title(products[p]) for p in per["product_id"]],
                                       "rationale": per["decision"],
                                       "gap": per["gap"].astype("float64")}))

    h = an.holders
    if not h.empty:
        parts.append(pd.DataFrame({"kind": "holder", "change_id": h["change_id"], "product_id": h["product_id"],
                                   "department_id": None, "count": 1, "subject": h["holder"], "rationale": h["decision"],
                                   "detail": [f"{p if isinstance(p, str) else ''}|{k if isinstance(k, str) else ''}"
                                              for p, k in zip(h["provider"], h["contract_id"])]}))

    products = client.catalog.products
    cs = [c for c in an.changes if c.product_id in products]
    category = {c.id: products[c.product_id].category for c in cs}
    di = an.department_impact
    owners = di.loc[(di["aspect"] == "processes") & di["change_id"].map(category).isin(PROCESS_OWNER_CATEGORIES)
                    & (di["degree"] >= PROCESS_OWNER_MIN_DEGREE)]
    if not owners.empty:
        pid = {c.id: c.product_id for c in cs}
        parts.append(pd.DataFrame({"kind": "process_owner", "change_id": owners["change_id"],
                                   "product_id": owners["change_id"].map(pid), "department_id": owners["department_id"],
                                   "count": 1, "subject": "process owner", "rationale": f"processes_degree>={PROCESS_OWNER_MIN_DEGREE}",
                                   "degree": owners["degree"].astype("float64")}))

    if cs:
        model = ["cloud" if products[c.product_id].licence.period in SUBSCRIPTION_PERIODS else "on_premises" for c in cs]
        parts.append(pd.DataFrame({"kind": "support_model", "change_id": [c.id for c in cs],
                                   "product_id": [c.product_id for c in cs], "department_id": None, "count": 1,
                                   "subject": model,
                                   "rationale": ["subscription_licence" if m == "cloud" else "perpetual_licence" for m in model],
                                   "detail": [SUPPORT_MODELS[m] for m in model]}))
    if not parts:
        return _empty(REORG_COLUMNS)
    out = pd.concat([p.reset_index(drop=True) for p in parts], ignore_index=True).reindex(columns=REORG_COLUMNS)
    out["count"] = out["count"].astype("int64")
    return out


STR = pd.api.types.pandas_dtype("str")  # the dtype pandas infers for strings (a frame's column of str, a str scalar)
OBJECT, INT, FLOAT = np.dtype(object), np.dtype("int64"), np.dtype("float64")


def _reorganisation_small(an: Analysis) -> pd.DataFrame | None:
    """:func:`reorganisation` in plain Python for small clients (a few dozen rows: the frame path's five part frames,
    filters, maps and concatenation took ~9 ms a scenario on the demo-size client): the same rows, order, values
    and dtypes. Each part is its columns' values and the dtypes the frame path's part frames give them; their
    concatenation's dtypes as pd.concat gives them (:func:`_stacked`). None (the frame path) where the new roles'
    grouping takes its frame path, or where the dtypes are not those :func:`_stacked` knows how to combine."""
    client = an.client
    products = client.catalog.products
    parts = []  # per part: {column: (values, dtype)}
    ku = key_users(an)
    if not ku.empty:
        n = len(ku)
        enough = [e is not pd.NA and bool(e) for e in ku["enough"].tolist()]
        rationale = ["candidates_not_shown" if hidden else "enough_candidates" if ok else "too_few_candidates"
                     for hidden, ok in zip(ku["suppressed"].tolist(), enough)]
        part = {c: (ku[k].tolist(), ku[k].dtype) for c, k in (("change_id", "change_id"), ("product_id", "product_id"),
                                                              ("department_id", "department_id"), ("count", "key_users_needed"),
                                                              ("users", "users"), ("detail", "criteria"))}
        part.update(kind=(["key_users"] * n, STR), subject=(["key user"] * n, STR), rationale=(rationale, STR),
                    candidates=([np.nan if x is pd.NA else float(x) for x in ku["candidates"].tolist()], FLOAT))
        parts.append(part)
    adv = an.staffing_advice
    if not adv.empty and (adv["role"] == "administrator").any():
        rows = _new_roles_rows(adv)
        if rows is None:
            return None
        hired = [r for r in rows if r[3]]  # a role to create only when it is hired
        if hired:
            n = len(hired)
            parts.append({"kind": (["new_role"] * n, STR), "change_id": ([r[0] for r in hired], STR),
                          "product_id": ([r[1] for r in hired], STR), "department_id": ([None] * n, OBJECT),
                          "count": ([1] * n, INT), "subject": ([_role_title(products[r[1]]) for r in hired], STR),
                          "rationale": ([r[4] for r in hired], STR), "gap": ([float(r[2]) for r in hired], FLOAT)})
    h = an.holders
    if not h.empty:
        n = len(h)
        parts.append({"kind": (["holder"] * n, STR), "change_id": (h["change_id"].tolist(), h["change_id"].dtype),
                      "product_id": (h["product_id"].tolist(), h["product_id"].dtype), "department_id": ([None] * n, OBJECT),
                      "count": ([1] * n, INT), "subject": (h["holder"].tolist(), h["holder"].dtype),
                      "rationale": (h["decision"].tolist(), h["decision"].dtype),
                      "detail": ([f"{p if isinstance(p, str) else ''}|{k if isinstance(k, str) else ''}"
                                  for p, k in zip(h["provider"], h["contract_id"])], STR)})
    cs = [c for c in an.changes if c.product_id in products]
    category = {c.id: products[c.product_id].category for c in cs}
    pid = {c.id: c.product_id for c in cs}
    di = an.department_impact
    owners = [(cid, dep, float(degree)) for aspect, cid, dep, degree in
              zip(di["aspect"].tolist(), di["change_id"].tolist(), di["department_id"].tolist(), di["degree"].tolist())
              if aspect == "processes" and category.get(cid) in PROCESS_OWNER_CATEGORIES and degree >= PROCESS_OWNER_MIN_DEGREE]
    if owners:
        n = len(owners)
        parts.append({"kind": (["process_owner"] * n, STR), "change_id": ([o[0] for o in owners], di["change_id"].dtype),
                      "product_id": ([pid[o[0]] for o in owners], STR),
                      "department_id": ([o[1] for o in owners], di["department_id"].dtype), "count": ([1] * n, INT),
                      "subject": (["process owner"] * n, STR),
                      "rationale": ([f"processes_degree>={PROCESS_OWNER_MIN_DEGREE}"] * n, STR),
                      "degree": ([o[2] for o in owners], FLOAT)})
    if cs:
        n = len(cs)
        model = ["cloud" if products[c.product_id].licence.period in SUBSCRIPTION_PERIODS else "on_premises" for c in cs]
        parts.append({"kind": (["support_model"] * n, STR), "change_id": ([c.id for c in cs], STR),
                      "product_id": ([c.product_id for c in cs], STR), "department_id": ([None] * n, OBJECT),
                      "count": ([1] * n, INT), "subject": (model, STR),
                      "rationale": (["subscription_licence" if m == "cloud" else "perpetual_licence" for m in model], STR),
                      "detail": ([SUPPORT_MODELS[m] for m in model], STR)})
    return _stacked(parts, REORG_COLUMNS) if parts else None


def _stacked(parts: list[dict], columns: list[str]) -> pd.DataFrame | None:
    """The parts (:func:`_reorganisation_small`) one after the other, as ``pd.concat`` of their frames then
    ``reindex(columns=columns)`` gives them: a column's dtype is its parts' common one (the same dtype, or objects
    for strings and objects, floats for integers and floats), able to hold NaN where a part lacks the column (filled
    with NaN); a column no part has is NaN floats. None for other dtypes (the frame path)."""
    out = {}
    for c in columns:
        kinds = [p[c][1] for p in parts if c in p]
        missing = len(kinds) < len(parts)
        if not kinds:
            dtype = FLOAT
        elif all(t == kinds[0] for t in kinds):
            dtype = kinds[0]
        elif all(t == STR or t == OBJECT for t in kinds):
            dtype = OBJECT
        elif all(t == INT or t == FLOAT for t in kinds):
            dtype = FLOAT
        else:
            return None
        if missing and dtype == INT:
            dtype = FLOAT
        elif missing and dtype not in (FLOAT, OBJECT, STR):
            return None
        values = [x for p in parts for x in (p[c][0] if c in p else [np.nan] * len(next(iter(p.values()))[0]))]
        out[c] = pd.Series(values, dtype=OBJECT) if dtype == OBJECT else pd.array(values, dtype=dtype)
    return pd.DataFrame(out, copy=False)
