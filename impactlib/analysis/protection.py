"""Protection advice: the client's controls against a baseline from public frameworks (ANSSI hygiene guide, Cyber
Essentials, CIS Controls IG1), what each change requires, the findings, the tools that close each gap with their cost,
and the five actions that remove the most risk (docs/methodology.md, "Protection baseline").

Pure functions over the Analysis; the controls, measures and tools come from the catalog (controls.csv, measures.csv,
protection_tools.csv), the client's state from protection.csv and, where it says so, from the inventory.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from impactlib.analysis import legal
from impactlib.analysis import shared as share
from impactlib.model.finding import Finding
from impactlib.model.frames import frame_rows

if TYPE_CHECKING:  # for annotations only
    from impactlib.model.analysis import Analysis

RANK = ("low", "medium", "high", "blocker")
CRITICAL_DATA = ("health", "legal", "card_payments")  # data whose loss or leak harms third parties most
ELEVATED_HEADCOUNT = 50  # from this many staff the elevated controls are required too
RESTORE_TEST_DAYS = 365  # a restore test older than this is no evidence that restores work today
CLOUD_CATEGORIES = ("email", "collaboration", "office_suite", "practice_management")
# what a kind of change requires, and why (text ids in report/text.py "prot.req.*")
REQUIRES = {
    "cloud": ("mfa", "conditional_access", "tenant_backup", "audit_logging"),
    "os": ("disk_encryption", "security_baseline"),
    "migration": ("backup",),
    "eol_server": ("segmentation", "audit_logging"),
    "eol_device": ("segmentation",),
}
# controls that apply only to a client running a cloud tenant (after the scenario)
CLOUD_ONLY = ("tenant_backup", "conditional_access")
CONTROL_COLUMNS = ["control", "area", "level", "required", "state", "basis", "reasons", "product_id", "tested", "weight",
                   "severity", "data_bound"]


def _shift(severity: str, steps: int) -> str:
    return RANK[min(max(RANK.index(severity) + steps, 0), len(RANK) - 1)]


def scratch(an: Analysis) -> dict:
    """An empty store (Analysis.protection_scratch) where the results below that the protection functions ask for
    many times over (data held, products after, each control's options) are kept, each computed once per Analysis."""
    return {}


def _once(an: Analysis, key, compute):
    store = an.protection_scratch
    if key not in store:
        store[key] = compute()
    return store[key]


def data_held(an: Analysis) -> set[str]:
    """Sensitive data categories the client holds: its profile's and its assets'."""
    return set(_once(an, "data_held", lambda: _data_held(an)))


def _data_held(an: Analysis) -> frozenset[str]:
    cats = set(an.client.profile.sensitive_data)
    for cell in an.client.assets["sensitive_data"].dropna():
        cats |= set(cell.split("|"))
    return frozenset(cats)


def stakes(an: Analysis) -> str:
    """``critical`` (health, legal or card data held), ``sensitive`` (other personal data) or ``normal``."""
    held = data_held(an)
    return "critical" if held & set(CRITICAL_DATA) else "sensitive" if held else "normal"


def level(an: Analysis) -> str:
    """The baseline the client is measured against: ``elevated`` with critical data, from ELEVATED_HEADCOUNT staff,
    or as a NIS2 essential or important entity (the legal screen's ``legal.nis2_scope``); ``essential`` otherwise."""
    return _once(an, "level", lambda: _level(an))


def _level(an: Analysis) -> str:
    head = int(an.client.departments["headcount"].sum())
    nis2 = legal.nis2_scope(an)[0]
    return "elevated" if stakes(an) == "critical" or head >= ELEVATED_HEADCOUNT or nis2 in ("essential", "important") else "essential"


def _rows(an: Analysis) -> pd.DataFrame:
    p = an.client.protection
    if p is None or not len(p):
        return pd.DataFrame(columns=["control", "state", "scope", "product_id", "offline_or_immutable", "last_restore_test",
                                     "recovery_keys"])
    return p


def _inventory(an: Analysis, control: str) -> tuple[str, tuple[str, ...], str | None] | None:
    """What the inventory says of a control nobody recorded: (state, reasons, product id), or None."""
    if control not in ("endpoint_protection", "backup", "firewall"):
        return None
    a = an.client.assets
    products = an.client.catalog.products
    cat = a["product_id"].map(lambda pid: products[pid].category if isinstance(pid, str) and pid in products else None)
    devices = int(a.loc[a["kind"].isin(["workstation", "laptop"]), "quantity"].sum())
    if control == "endpoint_protection":
        hit = a.loc[cat == "endpoint_protection"]
        if hit.empty:
            return None
        seats = hit["licence_seats"].astype("Float64").fillna(hit["quantity"].astype("Float64")).sum()
        return ("present", (), hit["product_id"].iloc[0]) if seats >= devices else ("partial", ("seats_short",), hit["product_id"].iloc[0])
    if control == "backup":
        hit = a.loc[cat == "backup"]
        return ("partial", ("details_unknown",), hit["product_id"].iloc[0]) if len(hit) else None
    if control == "firewall":
        names = a["product_id"].map(lambda pid: products[pid].name.lower() if isinstance(pid, str) and pid in products else "")
        hit = a.loc[(a["kind"] == "network") & names.str.contains("firewall")]
        return ("present", (), hit["product_id"].iloc[0]) if len(hit) else None
    return None


def _combine(states: list[str]) -> str:
    if all(s == "present" for s in states):
        return "present"
    if all(s == "absent" for s in states):
        return "absent"
    if all(s == "unknown" for s in states):
        return "unknown"
    return "partial"


def controls(an: Analysis) -> pd.DataFrame:
    """One row per catalog control: area, level (essential/elevated), required (for this client's level), state
    (present, partial, absent, unknown), basis (protection.csv, inventory or none), reasons (why partial: ids such as
    restore_never_tested, no_offline_copy, admins_not_covered, keys_not_escrowed), product_id, tested (a restore test
    within RESTORE_TEST_DAYS of the report date; backups only), weight, severity (when absent), data_bound.

    Of the scenario, they read only whether a cloud tenant runs after it: kept for the client's other scenarios per
    (report date, tenant) (analysis/shared.py)."""
    products = an.client.catalog.products
    tenant = any(_cloud(products.get(p)) for p in products_after(an))
    return share.once(an, ("protection_controls", an.as_of, tenant), lambda: _controls(an, tenant))


def _controls(an: Analysis, tenant: bool) -> pd.DataFrame:
    rows = _rows(an)
    lvl = level(an)
    today = pd.Timestamp(an.as_of)
    out = []
    for c in frame_rows(an.client.catalog.controls):
        mine = rows.loc[rows["control"] == c.control]
        reasons: list[str] = []
        tested = False
        product = None
        if len(mine):
            basis = "protection.csv"
            state = _combine(list(mine["state"]))
            product = next((p for p in mine["product_id"] if isinstance(p, str)), None)
            if c.control == "mfa":
                said = mine.loc[mine["scope"] == "admins"]  # a row for admins wins over one for everyone
                admins = said if len(said) else mine.loc[mine["scope"].isin(["all", "all_users"])]
                if not (admins["state"] == "present").any() and state != "unknown":
                    reasons.append("admins_not_covered")
                users = mine.loc[mine["scope"].isin(["all", "all_users"]) & (mine["state"] == "present")]
                if users.empty and state == "present":
                    state = "partial"  # admins only: every mailbox is still one password away
                if users.empty and state != "unknown":
                    reasons.append("users_not_covered")
            if c.control in ("backup", "tenant_backup") and state in ("present", "partial"):
                last = mine["last_restore_test"].dropna()
                if last.empty:
                    reasons.append("restore_never_tested")
                elif (today - last.max()).days > RESTORE_TEST_DAYS:
                    reasons.append("restore_test_old")
                else:
                    tested = True
                off = mine["offline_or_immutable"]
                if (off == True).any():  # noqa: E712 (a nullable boolean)
                    pass
                elif off.isna().all():
                    reasons.append("offline_unknown")
                else:
                    reasons.append("no_offline_copy")
                if reasons and state == "present":
                    state = "partial"
            if c.control == "disk_encryption" and state in ("present", "partial"):
                keys = mine["recovery_keys"].dropna()
                if keys.empty or not keys.isin(["entra_id", "active_directory", "mdm", "vault"]).all():
                    reasons.append("keys_not_escrowed")
                    state = "partial"
        else:
            found = share.once(an, ("inventory", c.control), lambda c=c: _inventory(an, c.control))  # the client's alone
            if found is None:
                basis, state = "none", "unknown"
            else:
                basis = "inventory"
                state, why, product = found
                reasons.extend(why)
        out.append({"control": c.control, "area": c.area, "level": c.level,
                    "required": (c.level == "essential" or lvl == "elevated") and (tenant or c.control not in CLOUD_ONLY), "state": state, "basis": basis,
                    "reasons": tuple(reasons), "product_id": product, "tested": tested, "weight": int(c.weight),
                    "severity": c.severity, "data_bound": bool(c.data_bound)})
    return pd.DataFrame(out, columns=CONTROL_COLUMNS)


def gap_severity(an: Analysis, r) -> str | None:
    """The severity of a control's gap (None: no gap): its catalog severity when absent, one step lower when partial,
    one step higher for a data-bound control with critical data at stake; a backup that was never restore-tested or
    has no offline or immutable copy while health data is held is a blocker; MFA missing on admin accounts is at least
    high."""
    if r.state in ("present", "unknown"):
        return None
    held = data_held(an)
    sev = r.severity if r.state == "absent" else _shift(r.severity, -1)
    if r.data_bound and held & set(CRITICAL_DATA):
        sev = _shift(sev, 1)
    if r.control == "backup" and "health" in held and (r.state == "absent" or set(r.reasons) & {
            "restore_never_tested", "restore_test_old", "no_offline_copy", "offline_unknown", "details_unknown"}):
        sev = "blocker"
    tenant = any(_cloud(an.client.catalog.products.get(p)) for p in products_after(an))
    if r.control == "mfa" and (r.state == "absent" or "admins_not_covered" in r.reasons
                               or ("users_not_covered" in r.reasons and (held & set(CRITICAL_DATA) or tenant))):
        # admins without MFA; users without it on a cloud tenant (a fail under Cyber Essentials v3.3) or holding critical data
        sev = max(sev, "high", key=RANK.index)
    return sev


# --- tools and their cost --------------------------------------------------------------------------

def products_after(an: Analysis) -> set[str]:
    """Products the client runs once the scenario is done (kept assets' products and every change's target)."""
    return set(_once(an, "products_after", lambda: _products_after(an)))


def _products_after(an: Analysis) -> frozenset[str]:
    a = an.client.assets
    have = set(a["product_id"].dropna().unique()) | set(a["os_product_id"].dropna().unique())
    return frozenset(have | {c.product_id for c in an.changes if c.product_id})


def units(an: Analysis, unit: str, volume_gb: float | None = None) -> float:
    """How many units a tool is priced for: users (headcount), devices, servers, GB (a change's volume) or 1."""
    a = an.client.assets
    if unit == "per_user":
        return float(an.client.departments["headcount"].sum())
    if unit == "per_device":
        return float(a.loc[a["kind"].isin(["workstation", "laptop"]), "quantity"].sum())
    if unit == "per_server":
        return float(max(a.loc[a["kind"].isin(["server", "virtual_machine"]), "quantity"].fillna(1).sum(), 1))
    if unit == "per_gb":
        return float(volume_gb) if volume_gb else float("nan")
    return 1.0


def options(an: Analysis, control: str, volume_gb: float | None = None) -> pd.DataFrame:
    """The catalog's tools for ``control``, best first, each costed for this client: included (its licence is part
    of a product the client runs after the scenario: no extra licence), units, one_off (appliances), recurring_month
    (licence per month; NaN when priced in another currency), hours (provider time), intervention (hours × the
    provider's rate), currency_ok. Best: included first, then priced in the client's currency, then the catalog rank."""
    return _once(an, ("options", control, volume_gb),
                 lambda: share.once(an, ("protection_options", control, volume_gb) + _costing_key(an), lambda: _options(an, control, volume_gb)))


def _options(an: Analysis, control: str, volume_gb: float | None) -> pd.DataFrame:
    rows = [row for c, row in _costed(an, volume_gb) if c == control]
    if not rows and control not in set(an.client.catalog.tools["control"]):
        tools = an.client.catalog.tools
        return tools.loc[tools["control"] == control].assign(included=[], units=[], one_off_total=[], recurring_month=[], hours=[], intervention=[], currency_ok=[])
    if not rows:
        return pd.DataFrame(columns=["tool_id", "name", "vendor", "included", "units", "unit", "price", "period", "currency",
                                     "one_off_total", "recurring_month", "hours", "intervention", "price_status", "as_of",
                                     "source", "rank", "bundle", "currency_ok", "cost"])
    costs = _costs(an, rows)
    if any(c != c for c in costs) or any(r["rank"] != r["rank"] for r in rows):  # NaN keys: pandas' order (NaN last)
        f = pd.DataFrame(rows).assign(cost=costs)
        return f.sort_values(["included", "currency_ok", "cost", "rank"], ascending=[False, False, True, True]).reset_index(drop=True)
    return pd.DataFrame(_ranked(an, control, volume_gb))


def _costs(an: Analysis, rows: list[dict]) -> list[float]:
    months = _horizon_months(an)
    zero = lambda v: 0 if v != v else v  # noqa: E731 (fillna(0) of one value: NaN is the only value unequal to itself)
    return [zero(r["one_off_total"]) + r["intervention"] + zero(r["recurring_month"]) * months for r in rows]


def _ranked(an: Analysis, control: str, volume_gb: float | None) -> list[dict]:
    """The rows of :func:`options` as dicts, best first (requirements reads the first of each control, change after
    change, without building a frame each time; the values it reads are those of the frame's rows)."""
    return _once(an, ("ranked", control, volume_gb), lambda: share.once(
        an, ("protection_ranked", control, volume_gb) + _costing_key(an), lambda: _rank(an, control, volume_gb)))


def _rank(an: Analysis, control: str, volume_gb: float | None) -> list[dict]:
    rows = [row for c, row in _costed(an, volume_gb) if c == control]
    if not rows:
        return []
    costs = _costs(an, rows)
    if any(c != c for c in costs) or any(r["rank"] != r["rank"] for r in rows):  # NaN keys: the frame's order
        return options(an, control, volume_gb).to_dict("records")
    # the same order as sort_values on (included, currency_ok) descending, (cost, rank) ascending, ties as listed
    order = sorted(range(len(rows)), key=lambda i: (not rows[i]["included"], not rows[i]["currency_ok"], costs[i], rows[i]["rank"]))
    return [{**rows[i], "cost": costs[i]} for i in order]


def _costed(an: Analysis, volume_gb: float | None) -> list[tuple[str, dict]]:
    """(control, row of :func:`options`) for every catalog tool the client could use, in catalog order, costed once
    per Analysis and change volume."""
    return _once(an, ("costed", volume_gb),
                 lambda: share.once(an, ("protection_costed", volume_gb) + _costing_key(an), lambda: list(_cost_tools(an, volume_gb))))


def _costing_key(an: Analysis) -> tuple:
    """What the costed tools read of the scenario (the rest is the client's): the products it runs after the changes,
    the provider's rate and the horizon; scenarios equal on these share the costed tools and options
    (analysis/shared.py)."""
    return (_once(an, "products_after", lambda: _products_after(an)), float(an.assumptions.provider_hourly_rate),
            _horizon_months(an))


def _cost_tools(an: Analysis, volume_gb: float | None):
    have = products_after(an)
    cur = an.client.profile.currency
    rate = an.assumptions.provider_hourly_rate
    n_of = {}
    for t in frame_rows(an.client.catalog.tools):
        included = isinstance(t.included_with, str) and bool(set(t.included_with.split("|")) & have)
        if isinstance(t.included_with, str) and not included and t.recurring == 0 and t.one_off == 0:
            continue  # a feature of a product the client does not run (security defaults need a Microsoft 365 tenant)
        if t.unit not in n_of:
            n_of[t.unit] = units(an, t.unit, volume_gb)
        n = n_of[t.unit]
        ok = t.currency == cur or (t.recurring == 0 and t.one_off == 0)
        per_month = 0.0 if included else (t.recurring * n / (12 if t.period == "year" else 1) if ok else float("nan"))
        one = (t.one_off * (n if t.unit != "per_gb" else 1)) if ok else float("nan")
        hours = t.hours_fixed + t.hours_per_unit * (n if t.unit in ("per_user", "per_device", "per_server") else 0)
        yield t.control, {"tool_id": t.tool_id, "name": t.name, "vendor": t.vendor, "included": included, "units": n,
                          "unit": t.unit, "price": t.recurring, "period": t.period, "currency": t.currency,
                          "one_off_total": one, "recurring_month": per_month, "hours": hours, "intervention": hours * rate,
                          "price_status": t.price_status, "as_of": t.as_of, "source": t.source, "rank": t.rank,
                          "bundle": t.bundle if isinstance(t.bundle, str) else None, "currency_ok": ok}


def _horizon_months(an: Analysis) -> int:
    return int(an.definition.horizon_months or an.client.spec.constraints.horizon_months)


# --- what the changes require ----------------------------------------------------------------------

def _cloud(product) -> bool:
    """A product whose data lives with its vendor: the catalog's hosting.hosted when given, else a cloud category or
    a product billed by the month or year (the same reading as rules.hosted_by_a_third_party)."""
    if product is None:
        return False
    if product.hosting.hosted is not None:
        return product.hosting.hosted and bool(product.categories & set(CLOUD_CATEGORIES))
    return bool(product.categories & set(CLOUD_CATEGORIES)) and product.licence.period in ("month", "year")


def change_kinds(an: Analysis, change) -> tuple[str, ...]:
    """The kinds of a change that carry protection requirements: cloud (mail, files or a business application moved
    to a tenant), os (an operating-system rollout), migration (data moved)."""
    p = an.client.catalog.products.get(change.product_id)
    kinds = []
    if _cloud(p) and change.action != "remove":
        kinds.append("cloud")
    if p is not None and p.category == "os":
        kinds.append("os")
    if change.action == "migrate" or (change.data_volume_gb or 0) > 0:
        kinds.append("migration")
    return tuple(kinds)


def eol_kept(an: Analysis) -> pd.DataFrame:
    """Assets kept past their end of support (an.lifecycle, status ended): asset_id, name, kind, role (server or
    device), product_id, version."""
    life = an.lifecycle
    a = an.client.assets
    # the assets' kinds and names by id (unique ids), as dicts: a lookup in an indexed frame per row cost more
    ids = a["asset_id"].tolist()
    kind_of, name_of = dict(zip(ids, a["kind"].tolist())), dict(zip(ids, a["name"].tolist()))
    products = an.client.catalog.products
    rows = []
    seen: set = set()
    # the assets ended, each once (its first row), in one pass over the columns: a filter and a drop_duplicates of the
    # lifecycle cost more than the rest on tens of rows
    for subject, status, subject_id, product_id, version in zip(
            life["subject"].tolist(), life["status"].tolist(), life["subject_id"].tolist(), life["product_id"].tolist(),
            life["version"].tolist()):
        if subject != "asset" or status != "ended" or subject_id in seen:
            continue
        seen.add(subject_id)
        if subject_id not in kind_of:
            continue
        kind = kind_of[subject_id]
        cat = products[product_id].category if product_id in products else None
        if kind in ("server", "virtual_machine", "database") or cat in ("server_os", "database", "email"):
            role = "server"  # a host others reach: restrict who reaches it, log it
        elif kind in ("workstation", "laptop"):
            role = "device"
        else:
            continue  # an application installed on devices (Office 2016): replaced, not isolated
        rows.append({"asset_id": subject_id, "name": name_of[subject_id], "kind": kind, "role": role,
                     "product_id": product_id, "version": version})
    return pd.DataFrame(rows, columns=["asset_id", "name", "kind", "role", "product_id", "version"])


def requirements(an: Analysis) -> pd.DataFrame:
    """What each change (and each end-of-life system kept) requires of protection: one row per (subject, control).

    Columns: change_id (None for an end-of-life system kept), asset_id (that system, else None), kind (cloud, os,
    migration, eol_server, eol_device), control, state (the control's state today), met (bool: present, or for a
    migration a backup restore-tested within RESTORE_TEST_DAYS), tool_id, tool (name), one_off, recurring_month,
    hours, intervention, currency_ok, charged (bool: its cost is in the plan: unmet, and the first of its bundle)."""
    ctl = an.protection.set_index("control")
    rows = []
    costed: dict = {}  # a big client asks the same (control, volume) for many changes and end-of-life systems

    def tools(control, volume_gb=None):  # the options' rows, best first (options() as dicts)
        if (control, volume_gb) not in costed:
            costed[(control, volume_gb)] = _ranked(an, control, volume_gb)
        return costed[(control, volume_gb)]

    for c in an.changes:
        for kind in change_kinds(an, c):
            for control in REQUIRES[kind]:
                if control not in ctl.index:
                    continue
                state = ctl.at[control, "state"]
                met = bool(ctl.at[control, "tested"]) if kind == "migration" else state == "present"
                if kind == "migration" and state in ("present", "partial") and not met:
                    opts = [o for o in tools(control) if o["tool_id"] == "restore-test"] or tools(control)
                else:
                    opts = tools(control, c.data_volume_gb)
                rows.append(_req_row(c.id, None, kind, control, state, met, opts))
    for r in frame_rows(eol_kept(an)):
        for control in REQUIRES[f"eol_{r.role}"]:
            if control in ctl.index:
                state = ctl.at[control, "state"]
                rows.append(_req_row(None, r.asset_id, f"eol_{r.role}", control, state, state == "present", tools(control)))
    cols = ["change_id", "asset_id", "kind", "control", "state", "met", "tool_id", "tool", "one_off", "recurring_month", "hours",
            "intervention", "currency_ok", "charged"]
    f = pd.DataFrame(rows, columns=cols[:-1])
    # a control is put in place once for the whole plan (and a bundle bought once): the first unmet need pays for it
    seen: set = set()
    charged = []
    for r in frame_rows(f):
        key = (r.control, r.tool_id)
        bundle = _bundle(an, r.tool_id)
        first = not r.met and isinstance(r.change_id, str) and key not in seen and (bundle is None or bundle not in seen)
        if first:
            seen.add(key)
            if bundle:
                seen.add(bundle)
        charged.append(first)
    f["charged"] = pd.Series(charged, index=f.index, dtype="bool")
    return f


def _bundle(an: Analysis, tool_id) -> str | None:
    return _once(an, ("bundle", tool_id), lambda: _bundle_of(an, tool_id))


def _bundle_of(an: Analysis, tool_id) -> str | None:
    # the first catalog row of each tool id, read once per client (a filter of the catalog per tool cost ~0.3 ms)
    first = share.once(an, ("tool_bundles",), lambda: _first_bundles(an.client.catalog.tools))
    bundle = first.get(tool_id) if isinstance(tool_id, str) else None
    return bundle if isinstance(bundle, str) else None


def _first_bundles(t: pd.DataFrame) -> dict:
    """Each tool id's bundle cell on its first catalog row (what ``t.loc[t["tool_id"] == id, "bundle"].iloc[0]`` reads)."""
    first: dict = {}
    for tool_id, bundle in zip(t["tool_id"].tolist(), t["bundle"].tolist()):
        first.setdefault(tool_id, bundle)
    return first


def _req_row(change_id, asset_id, kind, control, state, met, opts: list[dict]) -> dict:
    best = opts[0] if len(opts) else None
    return {"change_id": change_id, "asset_id": asset_id, "kind": kind, "control": control, "state": state, "met": met,
            "tool_id": best["tool_id"] if best is not None else None, "tool": best["name"] if best is not None else None,
            "one_off": float(best["one_off_total"]) if best is not None else float("nan"),
            "recurring_month": float(best["recurring_month"]) if best is not None else float("nan"),
            "hours": float(best["hours"]) if best is not None else float("nan"),
            "intervention": float(best["intervention"]) if best is not None else float("nan"),
            "currency_ok": bool(best["currency_ok"]) if best is not None else False}


def money_rows(an: Analysis) -> list[tuple]:
    """The plan's cost of the protection its changes require (money.lines rows): provider work one-off at the change's
    start, appliances one-off, licences recurring from then on; a price in another currency is left out (NaN)."""
    req = an.protection_requirements
    out = []
    for r in frame_rows(req):
        if not r.charged:  # (the rows charged, without a filtered frame)
            continue
        c = next(x for x in an.changes if x.id == r.change_id)
        start = pd.Timestamp(max(c.start or an.earliest, an.earliest))
        basis = f"protection: {r.tool_id}"
        if r.intervention and not np.isnan(r.intervention):
            out.append((c.id, "intervention", "one_off", r.intervention, start, np.nan, 0.0, basis))
        if r.one_off and not np.isnan(r.one_off):
            out.append((c.id, "hardware", "one_off", r.one_off, start, np.nan, 0.0, basis))
        if r.recurring_month and not np.isnan(r.recurring_month):
            out.append((c.id, "licences", "recurring", r.recurring_month, start, np.nan, 0.0, basis))
    return out


# --- findings --------------------------------------------------------------------------------------

def review(ctx) -> list[Finding]:
    """Protection findings (registered in rules.RULES): a required control missing (PROT-MISSING), in place only in
    part (PROT-WEAK), not known (PROT-UNKNOWN, one finding listing them), a change lacking what it requires
    (PROT-CHANGE), an end-of-life system kept without isolation (PROT-EOL)."""
    an = ctx.an
    out = []
    ctl = an.protection
    held = ", ".join(sorted(data_held(an))) or "—"
    tool_of = None  # the actions' tools by control (one action per control), read once (when a required control has a gap)
    for r in frame_rows(ctl.loc[ctl["required"]]):
        sev = gap_severity(an, r)
        if sev is None:
            continue
        rule = "PROT-MISSING" if r.state == "absent" else "PROT-WEAK"
        if tool_of is None:
            tool_of = dict(zip(an.protection_actions["control"], an.protection_actions["tool"]))
        tool = tool_of[r.control] if isinstance(tool_of.get(r.control), str) else "—"
        out.append(Finding(f"{rule}-{r.control}", rule, sev, 4 if r.state == "absent" else 3, 5 if sev == "blocker" else 4,
                           "security", evidence={"control": r.control, "reasons": r.reasons, "data": held,
                                                  "basis": r.basis, "level": level(an), "tool": tool}))
    unknown = ctl.loc[ctl["required"] & (ctl["state"] == "unknown")]
    if len(unknown):
        worst = "medium" if (unknown["severity"].isin(["high", "blocker"])).any() and stakes(an) != "normal" else "low"
        out.append(Finding("PROT-UNKNOWN", "PROT-UNKNOWN", worst, 3, 3, "security",
                           evidence={"controls": tuple(unknown["control"]), "count": len(unknown)}))
    req = an.protection_requirements
    severity_of = dict(zip(ctl["control"], ctl["severity"]))  # one row per control
    # one finding per control a change lacks: the first change that needs it (the others are named in it)
    # in one pass over the rows (a filter, a drop_duplicates and a concat of tens of rows cost more than the rest):
    # the first change's row per control, the changes lacking each control in order, then the end-of-life systems
    others: dict = {}
    first: dict = {}
    eol: list = []
    for r in frame_rows(req):
        if r.met:
            continue
        if r.change_id is None or r.change_id != r.change_id:  # NA: an end-of-life system kept
            eol.append(r)
        else:
            others.setdefault(r.control, {})[r.change_id] = None
            first.setdefault(r.control, r)
    crit = data_held(an) & set(CRITICAL_DATA)
    a = None  # the client's assets by id, read once (when an end-of-life system lacks segmentation)
    for r in [*first.values(), *eol]:
        if isinstance(r.change_id, str):
            # the control's severity, one step higher with critical data at stake, between medium and high
            sev = _shift(severity_of[r.control], 1 if crit else 0)
            sev = min(max(sev, "medium", key=RANK.index), "high", key=RANK.index)
            change = next(c for c in an.changes if c.id == r.change_id)
            out.append(Finding(f"PROT-CHANGE-{r.change_id}-{r.control}", "PROT-CHANGE", sev, 4, 4, "security", r.change_id,
                               evidence={"control": r.control, "kind": r.kind, "state": r.state, "title": change.title,
                                         "tool": r.tool or "—", "go_live": change.go_live,
                                         "changes": ", ".join(others.get(r.control, (r.change_id,)))}))
        elif r.control == "segmentation":
            if a is None:
                a = an.client.assets.set_index("asset_id")
            data = a.at[r.asset_id, "sensitive_data"] if r.asset_id in a.index else None
            sev = "high" if r.kind == "eol_server" and isinstance(data, str) else "medium"
            out.append(Finding(f"PROT-EOL-{r.asset_id}", "PROT-EOL", sev, 4, 4, "security", None, (r.asset_id,),
                               evidence={"asset": a.at[r.asset_id, "name"] if r.asset_id in a.index else r.asset_id,
                                         "kind": r.kind, "state": r.state}))
    return out


# --- the executive's page --------------------------------------------------------------------------

GAP = {"absent": 1.0, "partial": 0.5, "unknown": 0.5}
STAKES_FACTOR = {"critical": 2.0, "sensitive": 1.5, "normal": 1.0}


def actions(an: Analysis) -> pd.DataFrame:
    """Every gap of a required control as an action, the most risk removed first: control, state, severity (of its
    finding; for an unknown control, that of its absence), finding_id, risk (weight × gap × stakes factor, data-bound
    controls only get the stakes factor), tool_id, tool, alternative (the next option's name), one_off (appliances and
    provider work), recurring_year (licences), horizon_cost (one-off + recurring over the horizon), currency_ok, hours,
    in_plan (a change of the scenario already pays for it). Rank 1 is the first action.

    Of the scenario, they read the controls (report date and tenant), the costed tools (_costing_key: the products
    after it, whose tenant decides) and the (control, tool) pairs its changes pay for: kept for the client's other
    scenarios under these (analysis/shared.py; ~3 ms a scenario)."""
    req = an.protection_requirements
    planned = frozenset((control, tool) for control, tool, charged in zip(req["control"].tolist(), req["tool_id"].tolist(), req["charged"].tolist()) if charged)
    return share.once(an, ("protection_actions", an.as_of, _costing_key(an), planned), lambda: _actions(an, planned))


def _actions(an: Analysis, planned: frozenset) -> pd.DataFrame:
    ctl = an.protection
    months = _horizon_months(an)
    factor = STAKES_FACTOR[stakes(an)]
    rows = []
    for r in frame_rows(ctl.loc[ctl["required"] & (ctl["state"] != "present")]):
        sev = gap_severity(an, r) or gap_severity(an, r._replace(state="absent"))
        fid = "PROT-UNKNOWN" if r.state == "unknown" else f"{'PROT-MISSING' if r.state == 'absent' else 'PROT-WEAK'}-{r.control}"
        # the rows of options(an, r.control) as dicts, in its order: a frame per control, then a row of it as a Series,
        # cost more than the rest of this function (the same values)
        opts = _ranked(an, r.control, None)
        if r.control == "backup" and r.state == "partial" and any(o["tool_id"] == "restore-test" for o in opts):
            test = [o for o in opts if o["tool_id"] == "restore-test"]
            other = [o for o in opts if o["tool_id"] != "restore-test"]
            # the restore test first when it is all that is missing; else an offline copy first, tested with it
            opts = test + other if set(r.reasons) <= {"restore_never_tested", "restore_test_old"} else other + test
        best = opts[0] if opts else None
        alt = opts[1]["name"] if len(opts) > 1 else None
        risk = r.weight * GAP[r.state] * (factor if r.data_bound else 1.0) * (1 + RANK.index(sev) / 3)
        one = (float(best["one_off_total"]) if best is not None else np.nan) + (float(best["intervention"]) if best is not None else 0.0)
        rec = float(best["recurring_month"]) * 12 if best is not None else np.nan
        rows.append({"control": r.control, "area": r.area, "state": r.state, "severity": sev, "finding_id": fid,
                     "risk": round(risk, 2), "tool_id": best["tool_id"] if best is not None else None,
                     "tool": best["name"] if best is not None else None, "alternative": alt, "one_off": one,
                     "recurring_year": rec, "horizon_cost": one + (rec / 12 * months if not np.isnan(rec) else 0.0),
                     "currency_ok": bool(best["currency_ok"]) if best is not None else False,
                     "price_status": best["price_status"] if best is not None else None,
                     "price": float(best["price"]) if best is not None else np.nan,
                     "price_currency": best["currency"] if best is not None else None,
                     "price_unit": best["unit"] if best is not None else None,
                     "price_period": best["period"] if best is not None else None,
                     "as_of": best["as_of"] if best is not None else pd.NaT,
                     "source": best["source"] if best is not None else None,
                     "hours": float(best["hours"]) if best is not None else np.nan,
                     "price_one_off": float(_tool(an, best["tool_id"])["one_off"]) if best is not None else np.nan,
                     "in_plan": best is not None and (r.control, best["tool_id"]) in planned})
    cols = ["control", "area", "state", "severity", "finding_id", "risk", "tool_id", "tool", "alternative", "one_off",
            "recurring_year", "horizon_cost", "currency_ok", "price_status", "price", "price_currency", "price_unit",
            "price_period", "as_of", "source", "hours", "price_one_off", "in_plan"]
    f = pd.DataFrame(rows, columns=cols)
    f = f.sort_values(["risk", "control"], ascending=[False, True]).reset_index(drop=True)
    return f.assign(rank=np.arange(1, len(f) + 1))


TOP = 5


def _tool(an: Analysis, tool_id: str) -> dict:
    """The catalog's (first) row of a tool, as a dict of its columns."""
    return _once(an, "tools", lambda: {r["tool_id"]: r for r in reversed(an.client.catalog.tools.to_dict("records"))})[tool_id]


def top_actions(an: Analysis) -> pd.DataFrame:
    """The TOP actions that remove the most risk (the first rows of :func:`actions`), with the id under which the
    client's decision on each is recorded on the validation sheet (PROT-ACT-<control>)."""
    return an.protection_actions.head(TOP).assign(id=lambda f: "PROT-ACT-" + f["control"])


def coverage(an: Analysis) -> pd.DataFrame:
    """Each baseline measure mapped by a control: framework, measure_id, title, area (the ANSSI guide's chapter, or
    the framework's), status (met, partial, missing, unknown, not_required), controls (tuple). A measure several
    controls map to is met when all its required controls are present, missing when all are absent."""
    cat = an.client.catalog
    ctl = an.protection.set_index("control")
    mapped: dict[tuple[str, str], list[str]] = {}
    for r in frame_rows(cat.controls):
        for fw in ("anssi", "cyber_essentials", "cis"):
            cell = getattr(r, fw)
            for m in (cell.split("|") if isinstance(cell, str) else []):
                mapped.setdefault((fw, m), []).append(r.control)
    meas = cat.measures.set_index(["framework", "measure_id"])
    # the controls' required flag and state, and the measures' title and area, as dicts (looked up measure after
    # measure); read from the frames only where an id repeats (then .at and .loc answer as before)
    if ctl.index.is_unique:
        required, state = dict(zip(ctl.index, ctl["required"])), dict(zip(ctl.index, ctl["state"]))
    else:
        required = state = None
    info_of = dict(zip(meas.index, zip(meas["title"], meas["area"]))) if meas.index.is_unique else None
    rows = []
    for (fw, m), cs in mapped.items():
        if required is not None:
            req = [c for c in cs if c in required and required[c]]
            states = [state[c] for c in req]
        else:
            req = [c for c in cs if c in ctl.index and ctl.at[c, "required"]]
            states = [ctl.at[c, "state"] for c in req]
        if info_of is not None:
            hit = info_of.get((fw, m))
            info = {"title": hit[0], "area": hit[1]} if hit is not None else None
        else:
            info = meas.loc[(fw, m)] if (fw, m) in meas.index else None
        if not states:
            status = "not_required"
        elif all(s == "present" for s in states):
            status = "met"
        elif all(s == "absent" for s in states):
            status = "missing"
        elif all(s == "unknown" for s in states):
            status = "unknown"
        elif any(s in ("present", "partial") for s in states):
            status = "partial"
        else:
            status = "missing"
        rows.append({"framework": fw, "measure_id": m, "title": info["title"] if info is not None else None,
                     "area": info["area"] if info is not None and isinstance(info["area"], str) else fw,
                     "status": status, "controls": tuple(cs)})
    out = pd.DataFrame(rows, columns=["framework", "measure_id", "title", "area", "status", "controls"])
    order = {"anssi": 0, "cyber_essentials": 1, "cis": 2}
    key = out["measure_id"].map(lambda x: tuple(int(p) if p.isdigit() else 0 for p in str(x).split(".")))
    return out.assign(_f=out["framework"].map(order), _k=key).sort_values(["_f", "_k"]).drop(columns=["_f", "_k"]).reset_index(drop=True)


def summary(an: Analysis) -> dict:
    """The protection page's headline numbers: level, stakes, data held, counts of controls per state (required
    ones), the five actions' one-off and yearly cost (client currency, priced ones only) and how many are unpriced."""
    ctl = an.protection
    req = ctl.loc[ctl["required"]]
    top = an.protection_top
    priced = top.loc[top["currency_ok"]]
    return {"level": level(an), "stakes": stakes(an), "data": tuple(sorted(data_held(an))), "nis2": (lambda e: None if e == "unknown" else e)(legal.nis2_scope(an)[0]),
            "required": len(req), **{s: int((req["state"] == s).sum()) for s in ("present", "partial", "absent", "unknown")},
            "top_one_off": float(priced["one_off"].fillna(0).sum()), "top_recurring_year": float(priced["recurring_year"].fillna(0).sum()),
            "top_unpriced": int((~top["currency_ok"]).sum()), "headcount": int(an.client.departments["headcount"].sum()),
            "as_of": an.as_of if isinstance(an.as_of, dt.date) else None}
