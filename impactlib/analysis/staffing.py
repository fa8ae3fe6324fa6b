"""Who should carry each new capability: train, recruit or outsource (build / buy / borrow), and the
organisation around it: key users, new roles, process owners and the support model.

Pure functions over :mod:`impactlib.skills` (gaps and training need are reused, never recomputed) and
:mod:`impactlib.impact`. Outputs hold counts and levels, never a name or a staff id; groups are not
suppressed here except the key-user candidate counts (k-anonymity, see :func:`key_users`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from impactlib.analysis import skills

if TYPE_CHECKING:  # for annotations only: assess imports this module
    from impactlib.analysis.assess import Analysis

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
DECISIONS = ("train", "recruit", "outsource", "outsource_then_recruit")  # build / buy / borrow / borrow then buy
RULES = {  # rule id -> what decided (exactly one per capability need)
    "no_course": "no course chain reaches the required level: outsource",
    "end_user": "end users are trained",
    "key_user_time_ok": "key users can be trained before go-live: train",
    "too_late_to_train": "key users cannot be trained before go-live: provider coaching (outsource)",
    "gap_small_time_ok": "an administrator is within MAX_TRAINABLE_GAP levels and trainable before go-live: train",
    "no_candidate_permanent": "nobody within MAX_TRAINABLE_GAP levels, lasting need, time to recruit: recruit",
    "too_late_permanent": "trainable gap but not before go-live, lasting need, time to recruit: recruit",
    "no_time_to_recruit": "lasting need but go-live is closer than RECRUITMENT_LEAD_MONTHS: outsource, then recruit",
    "temporary_need": "the product is removed by a later change: outsource",
    "small_company_managed": "a company below in_house_admin_from_staff people buys administration as a managed service: outsource",
}

# --- organisation: constants --------------------------------------------------------------------

USERS_PER_KEY_USER = 15  # impactlib convention: 1 key user per 15 users (common practice is 1 per 10-20)
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
                             "hours_per_person", "capacity", "months_to_capability", "months_available", "permanent", "cost"]
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
    """Per change: months_available (go-live minus spec date, in months) and permanent.

    A product's need is permanent unless a change of the scenario going live on or after this one
    removes it (``action: remove`` with this ``from_product_id``).
    """
    client = an.client
    cs = an.changes
    removed = [(c.from_product_id, pd.Timestamp(c.go_live)) for c in cs if c.action == "remove"]
    spec_date = pd.Timestamp(client.spec.date)
    rows = [{"change_id": c.id,
             "months_available": (pd.Timestamp(c.go_live) - spec_date).days / DAYS_PER_MONTH,
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
    administrator, the chosen candidate's own department); months_to_capability = hours_per_person /
    capacity (inf when capacity is 0); months_available (spec date to go-live, months of DAYS_PER_MONTH
    days, negative when go-live is before the spec); permanent (the product stays after the change).
    """
    client = an.client
    g = an.gaps
    need = an.training_need
    if need.empty:
        return _empty(NEED_COLUMNS)
    best = g.groupby(NEED_KEY, as_index=False)["current"].max().rename(columns={"current": "best_current"})
    agg = (need.assign(no_course=need["hours"].isna())
           .groupby(NEED_KEY, as_index=False).agg(people=("staff_id", "nunique"), max_gap=("gap", "max"),
                                                  mean_gap=("gap", "mean"), required=("required", "max"),
                                                  no_course=("no_course", "any")))
    cap = client.departments.set_index("department_id")["training_hours_per_month"]
    person = need.assign(capacity=need["department_id"].map(cap).astype("float64"))
    person = person.assign(months=person["hours"] / person["capacity"])
    # the person who needs the most hours (the slowest to train, on a tie) sets the pace
    slowest = (person.sort_values(["hours", "months"], ascending=False, na_position="first")
               .drop_duplicates(NEED_KEY)[NEED_KEY + ["hours", "capacity"]]
               .rename(columns={"hours": "hours_per_person"}))
    f = agg.merge(best, on=NEED_KEY, how="left").merge(slowest, on=NEED_KEY).merge(_timing(an), on="change_id")
    f["hours_per_person"] = f["hours_per_person"].astype("float64").where(~f["no_course"].astype(bool))
    with np.errstate(divide="ignore", invalid="ignore"):
        f["months_to_capability"] = f["hours_per_person"] / f["capacity"]
    f["permanent"] = f["permanent"].astype(bool)
    return f[NEED_COLUMNS].sort_values(NEED_KEY, ignore_index=True)


def staffing_advice(an: Analysis) -> pd.DataFrame:
    """Build, buy or borrow: one decision per capability need (see :func:`capability_needs`).

    decision is one of DECISIONS, rule one id of RULES. In order: no course → outsource (no_course);
    end users → train; key users → train when months_to_capability ≤ months_available, else outsource
    (provider coaching); administrators → train when required − best_current ≤ MAX_TRAINABLE_GAP and in
    time, else outsource when the need is temporary or the company has fewer than the scenario's
    in_house_admin_from_staff people (managed service), else recruit when months_available ≥
    RECRUITMENT_LEAD_MONTHS, else outsource_then_recruit.
    cost (client currency): train = course cost summed over the people with a gap; recruit =
    recruitment_cost × people; outsource = provider_hourly_rate × OUTSOURCE_HOURS_PER_MONTH[role] ×
    OUTSOURCE_MONTHS; outsource_then_recruit = recruit + provider bridge over RECRUITMENT_LEAD_MONTHS.
    A product's recruit or outsource cost is carried by each of its skills' rows: do not add them up
    across skills of one (change, product, role); :func:`recruit_profiles` gives one hire per product.
    Columns: those of capability_needs plus decision, rule, cost.
    """
    client = an.client
    n = an.capability_needs
    if n.empty:
        return _empty(ADVICE_COLUMNS)
    a = an.assumptions
    role = n["role"]
    no_course = n["hours_per_person"].isna()
    in_time = n["months_to_capability"] <= n["months_available"]
    close = (n["required"] - n["best_current"]) <= MAX_TRAINABLE_GAP
    permanent = n["permanent"].astype(bool)
    time_to_recruit = n["months_available"] >= RECRUITMENT_LEAD_MONTHS
    admin = role == "administrator"
    # a small company does not hire a dedicated administrator: its provider runs the platform
    small = pd.Series(int(client.departments["headcount"].sum()) < a.in_house_admin_from_staff, index=n.index)
    cases = [  # (condition, decision, rule), first match wins
        (no_course, "outsource", "no_course"),
        (role == "end_user", "train", "end_user"),
        ((role == "key_user") & in_time, "train", "key_user_time_ok"),
        (role == "key_user", "outsource", "too_late_to_train"),
        (admin & close & in_time, "train", "gap_small_time_ok"),
        (admin & ~permanent, "outsource", "temporary_need"),
        (admin & small, "outsource", "small_company_managed"),
        (admin & time_to_recruit & ~close, "recruit", "no_candidate_permanent"),
        (admin & time_to_recruit, "recruit", "too_late_permanent"),
        (admin, "outsource_then_recruit", "no_time_to_recruit"),
    ]
    conds = [c.to_numpy(dtype=bool) for c, _, _ in cases]
    decision = np.select(conds, [d for _, d, _ in cases], default="")
    rule = np.select(conds, [r for _, _, r in cases], default="")
    need = an.training_need
    course_cost = need.groupby(NEED_KEY)["cost"].sum(min_count=1).rename("course_cost")
    n = n.merge(course_cost, left_on=NEED_KEY, right_index=True, how="left")
    monthly = n["role"].map(OUTSOURCE_HOURS_PER_MONTH).astype("float64") * a.provider_hourly_rate
    recruit = a.recruitment_cost * n["people"]
    cost = np.select([decision == "train", decision == "recruit", decision == "outsource",
                      decision == "outsource_then_recruit"],
                     [n["course_cost"].fillna(0.0), recruit, monthly * OUTSOURCE_MONTHS,
                      recruit + monthly * RECRUITMENT_LEAD_MONTHS], default=np.nan)
    out = n.assign(decision=decision, rule=rule, cost=cost.astype("float64"))
    return out[ADVICE_COLUMNS]


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
    for r in per.itertuples(index=False):
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
    products with key-user skills in the catalog. users = people using the product there (all roles);
    key_users_needed = max(1, ceil(users / USERS_PER_KEY_USER)); candidates = staff of the department
    whose level on every key-user skill of the product is ≥ required − 1; enough = candidates ≥ needed;
    criteria = the levels asked ("skill>=level", '&'-joined). Candidates and enough are left empty
    (suppressed True) where the department lists fewer than ``k`` staff (default: the scenario's
    k_anonymity), so no individual's level can be inferred.
    """
    client = an.client
    k = an.assumptions.k_anonymity if k is None else k
    need = an.demand
    need = need.loc[need["department_id"] != skills.COMPANY]
    req = client.catalog.required_skills()
    ku = req.loc[req["role"] == "key_user", ["product_id", "skill_id", "level"]]
    ku = ku.assign(floor=(ku["level"] - 1).clip(lower=0))
    users = need.groupby(["change_id", "product_id", "department_id"], as_index=False)["users"].sum()
    users = users.loc[users["product_id"].isin(ku["product_id"])]
    if users.empty:
        return _empty(KEY_USER_COLUMNS)
    staff = client.staff[["staff_id", "department_id"]]
    levels = client.skills[["staff_id", "skill_id", "level"]]
    scored = (users[["change_id", "product_id", "department_id"]].merge(staff, on="department_id")
              .merge(ku, on="product_id").merge(levels.rename(columns={"level": "current"}), on=["staff_id", "skill_id"], how="left"))
    scored = scored.assign(ok=scored["current"].fillna(0) >= scored["floor"])
    qualified = scored.groupby(["change_id", "department_id", "staff_id"], as_index=False)["ok"].all()
    cand = qualified.groupby(["change_id", "department_id"])["ok"].sum().rename("candidates")
    criteria = ku.groupby("product_id").apply(
        lambda s: "&".join(f"{a}>={b}" for a, b in zip(s["skill_id"], s["floor"])), include_groups=False).rename("criteria")
    listed = staff.groupby("department_id").size()
    f = users.merge(cand, left_on=["change_id", "department_id"], right_index=True, how="left")
    f["candidates"] = f["candidates"].fillna(0).astype("Int64")
    f["key_users_needed"] = np.maximum(1, np.ceil(f["users"] / USERS_PER_KEY_USER)).astype("int64")
    f["suppressed"] = f["department_id"].map(listed).fillna(0).to_numpy() < k
    f["enough"] = (f["candidates"] >= f["key_users_needed"]).astype("boolean")
    f.loc[f["suppressed"], ["candidates", "enough"]] = pd.NA
    f["criteria"] = f["product_id"].map(criteria)
    return f[KEY_USER_COLUMNS].sort_values(["change_id", "department_id"], ignore_index=True)


def reorganisation(an: Analysis) -> pd.DataFrame:
    """Organisation recommendations for the planned changes, one row each.

    kind is one of:
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
        admin = admin.assign(gap=admin["required"] - admin["best_current"],
                             hire=admin["decision"].isin(["recruit", "outsource_then_recruit"]))
        per = admin.groupby(["change_id", "product_id"], as_index=False).agg(
            gap=("gap", "max"), hire=("hire", "any"),
            decision=("decision", lambda d: "recruit" if (d == "recruit").any() else "outsource_then_recruit"))
        per = per.loc[per["hire"] | (per["gap"] > MAX_TRAINABLE_GAP)]
        if not per.empty:
            products = client.catalog.products
            parts.append(pd.DataFrame({"kind": "new_role", "change_id": per["change_id"], "product_id": per["product_id"],
                                       "department_id": None, "count": 1,
                                       "subject": [_role_title(products[p]) for p in per["product_id"]],
                                       "rationale": np.where(per["hire"], per["decision"], "no_one_within_2_levels"),
                                       "gap": per["gap"].astype("float64")}))

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
