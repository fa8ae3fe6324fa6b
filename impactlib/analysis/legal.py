"""Legal screens (issue 16): the DPIA per processing, the DPO, NIS2, French e-invoicing, accounting records, the
Microsoft 365 Business seat cap, and the artefacts a change board asks of each change.

Each screen is a rule ``rule(ctx) -> list[Finding]`` like those of analysis.rules, registered in its RULES.
They are screening rules, not legal advice: each states the facts it read and the text it applies (docs/rules.md).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from impactlib.analysis import compat
from impactlib.analysis import shared as share
from impactlib.model.documents import NIS2_ANNEX_I, NIS2_ANNEX_II
from impactlib.model.finding import Finding

if TYPE_CHECKING:  # for annotations only
    from impactlib.model.analysis import RuleContext as Context

# --- DPIA per processing (GDPR art. 35, EDPB WP248 rev.01, CNIL deliberation 2018-327) -------------

# the nine WP248 criteria, in the guidelines' order, with their names in English and French
CRITERIA: dict[str, tuple[str, str]] = {
    "evaluation": ("evaluation or scoring", "évaluation ou notation"),
    "automated_decision": ("automated decision with legal or similar effect", "décision automatisée avec effet juridique ou similaire"),
    "monitoring": ("systematic monitoring", "surveillance systématique"),
    "sensitive": ("sensitive or highly personal data", "données sensibles ou à caractère hautement personnel"),
    "large_scale": ("large scale", "grande échelle"),
    "matching": ("matching or combining datasets", "croisement ou combinaison de données"),
    "vulnerable": ("vulnerable data subjects", "personnes vulnérables"),
    "innovative": ("innovative use of technology", "usage innovant de la technologie"),
    "exclusion": ("prevents exercising a right or using a service", "exclusion du bénéfice d'un droit, d'un service ou d'un contrat"),
}
# art. 9 special categories and art. 10 data, then data of a highly personal nature (WP248, criterion 4)
SPECIAL = frozenset({"health", "genetic", "biometric", "other_special", "criminal"})
HIGHLY_PERSONAL = frozenset({"financial", "card_payments", "location", "communications", "legal"})
VULNERABLE = frozenset({"patients", "employees", "minors", "elderly", "vulnerable"})
# the items of the CNIL's list (deliberation 2018-327) this screen can recognise from the data, with their wording
CNIL_ITEMS: dict[str, tuple[str, str]] = {
    "genetic": ("genetic data of vulnerable persons", "données génétiques de personnes vulnérables"),
    "hr_profiling": ("profiling of persons for human-resources management", "profilage de personnes à des fins de gestion des ressources humaines"),
    "employee_monitoring": ("constant monitoring of employees' activity", "surveillance constante de l'activité des employés"),
    "biometric": ("biometric identification including vulnerable persons", "identification biométrique incluant des personnes vulnérables"),
    "location": ("large-scale location data", "données de localisation à large échelle"),
    "profiling_exclusion": ("profiling that may exclude from a contract", "profilage pouvant exclure du bénéfice d'un contrat"),
}


def _cells(value) -> set[str]:
    return {x for x in value.split("|") if x} if isinstance(value, str) else set()


def dpia_criteria(row) -> list[str]:
    """The WP248 criteria one processing (a processings.csv row) meets: stated ones, and those read from its data
    (sensitive), its people (vulnerable) and its scale (``large_scale`` yes; blank is not counted)."""
    data, people, stated = _cells(row["data"]), _cells(row["people"]), _cells(row["criteria"])
    met = set(stated)
    if data & (SPECIAL | HIGHLY_PERSONAL):
        met.add("sensitive")
    if people & VULNERABLE:
        met.add("vulnerable")
    if row["large_scale"] is True or (pd.notna(row["large_scale"]) and bool(row["large_scale"])):
        met.add("large_scale")
    return [c for c in CRITERIA if c in met]


def cnil_items(row, met: list[str]) -> list[str]:
    """The items of the CNIL's list a processing falls under, as far as its data, people and criteria tell."""
    data, people = _cells(row["data"]), _cells(row["people"])
    vulnerable = "vulnerable" in met
    found = {"genetic": "genetic" in data and vulnerable,
             "hr_profiling": "evaluation" in met and "employees" in people,
             "employee_monitoring": "monitoring" in met and "employees" in people,
             "biometric": "biometric" in data and vulnerable,
             "location": "location" in data and "large_scale" in met,
             "profiling_exclusion": "evaluation" in met and "exclusion" in met}
    return [k for k, v in found.items() if v]


def _processings(ctx: Context) -> pd.DataFrame:
    p = ctx.client.processings
    return p if p is not None else pd.DataFrame(columns=["processing_id"])


def _names(keys, table: dict, lang: int) -> str:
    return ", ".join(table[k][lang] for k in keys) or "—"


def dpia(ctx: Context) -> list[Finding]:
    """A processing of personal data needing a DPIA with none on file (SEC-DPIA): on the CNIL's list, or two or more
    WP248 criteria; high when a change of the scenario moves it (the DPIA comes before the processing), a DPIA on
    file that a change re-opens (SEC-DPIA-REVIEW), and no processing recorded while changes touch personal data
    (SEC-ROPA)."""
    out = []
    procs = _processings(ctx)
    if procs.empty:
        touched = sorted({c.id for c in ctx.changes if compat.touched_data(ctx.an, c)})
        if touched:
            out.append(Finding("SEC-ROPA", "SEC-ROPA", "medium", 3, 3, "confidentiality",
                               evidence={"changes": ", ".join(touched)}))
        return out
    for _, r in procs.iterrows():
        met = dpia_criteria(r)
        items = cnil_items(r, met)
        assets = _cells(r["assets"])
        moving = [c for c in ctx.changes if assets & ctx.touched[c.id]]
        ev = {"processing": r["name"], "count": len(met), "criteria_en": _names(met, CRITERIA, 0),
              "criteria_fr": _names(met, CRITERIA, 1), "cnil_en": _names(items, CNIL_ITEMS, 0), "cnil_fr": _names(items, CNIL_ITEMS, 1),
              "changes": ", ".join(c.id for c in moving) or "—",
              "go_live": min((c.go_live for c in moving), default=None)}
        first = moving[0].id if moving else None
        if (len(met) >= 2 or items) and r["dpia"] not in ("done", "exempt"):
            sev = "high" if moving else "medium"
            out.append(Finding(f"SEC-DPIA-{r['processing_id']}", "SEC-DPIA", sev, 4 if moving else 3, 4, "confidentiality", first,
                               tuple(sorted(assets & set().union(*(ctx.touched[c.id] for c in moving)))) if moving else (),
                               evidence=ev))
        elif r["dpia"] == "done" and moving:
            done = r["dpia_date"].date() if pd.notna(r["dpia_date"]) else None
            out.append(Finding(f"SEC-DPIA-REVIEW-{r['processing_id']}", "SEC-DPIA-REVIEW", "medium", 3, 3, "confidentiality", first,
                               evidence={**ev, "done": done or "—"}))
    return out


def dpo_status(ctx: Context) -> tuple[str, str]:
    """Whether GDPR art. 37(1) requires a data protection officer: (``required``, basis), (``possible``, basis) when
    a processing would require one if it were large-scale and its scale is not stated, or (``not_required``, "")."""
    if ctx.client.profile.sector == "public":
        return "required", "37(1)(a)"
    procs = _processings(ctx)
    possible = ""
    for _, r in procs.iterrows():
        data = _cells(r["data"])
        kind = "37(1)(c)" if data & SPECIAL else "37(1)(b)" if "monitoring" in _cells(r["criteria"]) else None
        if kind is None or r["core_activity"] is False or (pd.notna(r["core_activity"]) and not bool(r["core_activity"])):
            continue
        if pd.isna(r["core_activity"]):
            possible = possible or kind
            continue
        if pd.notna(r["large_scale"]) and bool(r["large_scale"]):
            return "required", kind
        if pd.isna(r["large_scale"]):
            possible = possible or kind
    return ("possible", possible) if possible else ("not_required", "")


def dpo(ctx: Context) -> list[Finding]:
    """A data protection officer required (SEC-DPO) or possibly required (SEC-DPO-CHECK) and not known to be designated:
    never presumed (client.yaml ``dpo``)."""
    status, basis = dpo_status(ctx)
    designated = ctx.client.profile.dpo
    if designated == "designated" or status == "not_required":
        return []
    if status == "required":
        return [Finding("SEC-DPO", "SEC-DPO", "high" if designated == "none" else "medium", 4, 3, "confidentiality",
                        evidence={"basis": basis, "dpo": designated or "—"})]
    return [Finding("SEC-DPO-CHECK", "SEC-DPO-CHECK", "low", 2, 3, "confidentiality", evidence={"basis": basis, "dpo": designated or "—"})]


# --- size of the company (EU recommendation 2003/361; French decree 2008-1354) ----------------------------------

def _facts(ctx: Context) -> tuple[int, float | None, float | None]:
    """Headcount (client.yaml ``staff_count``, else the departments' headcounts), turnover and balance sheet in euros
    (None when not given or not in euros: thresholds are in euros and impactlib does not convert)."""
    p = ctx.client.profile
    staff = p.staff_count if p.staff_count is not None else int(ctx.client.departments["headcount"].sum())
    eur = p.currency == "EUR"
    return staff, p.annual_turnover if eur else None, p.balance_sheet_total if eur else None


def eu_size(staff: int, turnover: float | None, balance: float | None) -> str:
    """``small`` (micro or small: < 50 staff and turnover or balance sheet ≤ 10 M EUR), ``medium``, ``large``
    (≥ 250 staff, or turnover > 50 M EUR and balance sheet > 43 M EUR), or ``unknown`` (a figure is missing)."""
    if staff >= 250 or (turnover is not None and balance is not None and turnover > 50e6 and balance > 43e6):
        return "large"
    if staff >= 50:
        return "medium"
    if (turnover is not None and turnover <= 10e6) or (balance is not None and balance <= 10e6):
        return "small"
    if turnover is not None and balance is not None:
        return "medium"
    return "unknown"


def fr_category(staff: int, turnover: float | None, balance: float | None) -> str:
    """The French company category (decree 2008-1354, art. 3): ``pme`` (micro included: < 250 staff and turnover
    ≤ 50 M EUR or balance sheet ≤ 43 M EUR), ``eti``, ``ge`` (≥ 5,000 staff, or turnover > 1.5 bn EUR and balance
    sheet > 2 bn EUR), or ``unknown``."""
    if staff >= 5000 or (turnover is not None and balance is not None and turnover > 1.5e9 and balance > 2e9):
        return "ge"
    if staff >= 250:
        return "eti"
    if (turnover is not None and turnover <= 50e6) or (balance is not None and balance <= 43e6):
        return "pme"
    if turnover is not None and balance is not None:
        return "eti"
    return "unknown"


# --- NIS2 (Directive (EU) 2022/2555, art. 2-3, annexes I and II) ---------------------------------------------

# the profile's sector when it tells the NIS2 sector; None: it cannot tell (client.yaml nis2_sector)
SECTOR_NIS2 = {"healthcare": "health", "public": "public_administration", "legal": "none", "retail": "none",
               "hospitality": "none", "construction": "none"}


ENTITY_FR = {"essential": "entité essentielle", "important": "entité importante", "out_of_scope": "hors champ", "unknown": "indéterminé"}
SIZE_FR = {"small": "petite", "medium": "moyenne", "large": "grande", "unknown": "inconnue"}


def nis2_scope(ctx: Context) -> tuple[str, str | None, str]:
    """(entity, sector, size): entity ``essential``, ``important``, ``out_of_scope`` or ``unknown`` by sector and size
    (art. 3(1)-(2)); the cases in scope whatever the size (art. 2(2)-(4)) are not screened."""
    p = ctx.client.profile
    sector = p.nis2_sector or SECTOR_NIS2.get(p.sector)
    size = eu_size(*_facts(ctx))
    if sector == "none":
        return "out_of_scope", sector, size
    if size == "small":
        return "out_of_scope", sector, size
    if sector is None or size == "unknown":
        return "unknown", sector, size
    if sector in NIS2_ANNEX_I:
        return ("essential" if size == "large" else "important"), sector, size
    return ("important" if sector in NIS2_ANNEX_II else "out_of_scope"), sector, size


def nis2(ctx: Context) -> list[Finding]:
    """The client is an essential or important entity under NIS2 (NIS2), or the screen lacks a fact (NIS2-UNKNOWN)."""
    entity, sector, size = nis2_scope(ctx)
    staff, turnover, balance = _facts(ctx)
    ev = {"entity": entity, "entity_fr": ENTITY_FR[entity], "sector": sector or "—", "size": size, "size_fr": SIZE_FR[size], "staff": staff,
          "turnover": turnover if turnover is not None else "—", "balance": balance if balance is not None else "—"}
    if entity in ("essential", "important"):
        return [Finding("NIS2", "NIS2", "medium", 3, 4, "legal", evidence=ev)]
    if entity == "unknown":
        missing = "nis2_sector" if sector is None else "annual_turnover, balance_sheet_total"
        return [Finding("NIS2-UNKNOWN", "NIS2-UNKNOWN", "low", 2, 3, "legal", evidence={**ev, "missing": missing})]
    return []


# --- French e-invoicing (CGI art. 289 bis; loi de finances 2024, art. 91) ----------------------------------------

RECEIVE_FROM = dt.date(2026, 9, 1)  # every taxable company established in France
ISSUE_FROM = {"ge": dt.date(2026, 9, 1), "eti": dt.date(2026, 9, 1), "pme": dt.date(2027, 9, 1)}
INVOICING = frozenset({"erp", "accounting"})
SUPPORT_FR = {"connector": "connecteur", "no": "non", "unknown": "inconnu"}


def einvoicing(ctx: Context) -> list[Finding]:
    """An ERP or accounting system a change brings in France that cannot be shown to receive and issue e-invoices
    through a plateforme agréée (EINV): high when it cannot or the catalog does not know, low when it needs a PA
    contracted beside it."""
    out = []
    if ctx.client.profile.country != "FR":
        return out
    category = fr_category(*_facts(ctx))
    for c in ctx.changes:
        p = ctx.product(c.product_id)
        if p is None or c.action == "remove" or not (p.categories & INVOICING):
            continue
        support = p.einvoicing.support if p.einvoicing is not None else "unknown"
        if support == "pa":
            continue
        # a category the profile cannot tell (no turnover nor balance sheet under 250 staff): the earlier date, which
        # binds a large or mid-size company, until the client shows it is an SME (the report says so: einv.category.unknown)
        issue = ISSUE_FROM.get(category, min(ISSUE_FROM.values()))
        out.append(Finding(f"EINV-{c.id}", "EINV", "low" if support == "connector" else "high", 4, 4, "legal", c.id,
                           evidence={"product": p.name, "support": support, "support_fr": SUPPORT_FR[support], "go_live": c.go_live, "receive_from": RECEIVE_FROM,
                                     "issue_from": issue, "category": category.upper() if category != "unknown" else "—"}))
    return out


# --- accounting records (Code de commerce L123-22; LPF L102 B and L47 A) --------------------------------------

def records_retention(ctx: Context) -> list[Finding]:
    """Accounting or ERP software a change retires, with no plan to keep its records producible (ACC-RETAIN)."""
    out = []
    if ctx.client.profile.country != "FR":
        return out
    a = share.column(ctx.an, "assets", "asset_id", "product_id")
    for c in ctx.changes:
        old = {c.from_product_id} if c.from_product_id else {a.get(i) for i in ctx.touched[c.id]}
        retired = [ctx.product(o) for o in old if isinstance(o, str) and ctx.product(o) is not None
                   and ctx.product(o).categories & INVOICING and (c.action == "remove" or o != c.product_id)]
        if not retired or c.records_archive:
            continue
        out.append(Finding(f"ACC-RETAIN-{c.id}", "ACC-RETAIN", "medium", 3, 4, "legal", c.id,
                           evidence={"product": ", ".join(p.name for p in retired), "go_live": c.go_live,
                                     "until": c.go_live.replace(year=c.go_live.year + 10)}))
    return out


# --- a plan's cap on users (Microsoft 365 Business: 300) ----------------------------------------------------

def seat_cap(ctx: Context) -> list[Finding]:
    """More users moved to a plan than it may license in one tenant (LIC-CAP)."""
    out = []
    users = ctx.users
    for c in ctx.changes:
        p = ctx.product(c.product_id)
        if p is None or p.seat_cap is None:
            continue
        need = max(c.seats or 0, int(users.get(c.id, 0)))
        if need > p.seat_cap.seats:
            out.append(Finding(f"LIC-CAP-{c.id}", "LIC-CAP", "high", 5, 3, "licensing", c.id,
                               evidence={"product": p.name, "users": need, "cap": p.seat_cap.seats, "over": need - p.seat_cap.seats}))
    return out


# --- what a change board asks of a change ------------------------------------------------------------------

ARTEFACT_SEVERITY = {"critical": "high", "high": "medium", "medium": "low", "low": "low"}
CRITICALITY_FR = {"low": "faible", "medium": "moyenne", "high": "haute", "critical": "critique"}
PILOT_FROM_USERS = 10  # a change reaching this many users or more is piloted first
_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}


def change_artefacts(ctx: Context) -> list[Finding]:
    """Each artefact a change of its kind lacks, one finding each, severity by the criticality of what it touches:
    a rollback plan (every change, CHG-ROLLBACK), a restore tested before the cutover (a change that moves, replaces
    or retires data, CHG-RESTORE), a pilot group with exit criteria (a change reaching PILOT_FROM_USERS users or a
    piloted rollout, CHG-PILOT), a hypercare period (a change reaching users, CHG-HYPERCARE)."""
    out = []
    crit = share.column(ctx.an, "assets", "asset_id", "criticality")
    users = ctx.users
    for c in ctx.changes:
        touched = ctx.touched[c.id]
        level = max((crit.get(i, "medium") for i in touched), key=lambda x: _RANK.get(x, 1), default="medium")
        sev = ARTEFACT_SEVERITY.get(level, "low")
        n = max(c.seats or 0, int(users.get(c.id, 0)))
        cutover = c.start or c.go_live
        ev = {"criticality": level, "criticality_fr": CRITICALITY_FR.get(level, level), "users": n, "go_live": c.go_live, "cutover": cutover, "action": c.action, "rollout": c.rollout}
        missing = []
        if not c.rollback_plan:
            missing.append("ROLLBACK")
        moves_data = c.action in ("migrate", "replace", "remove") or bool(c.data_volume_gb)
        if moves_data and (c.restore_test is None or c.restore_test > cutover):
            missing.append("RESTORE")
        if (n >= PILOT_FROM_USERS or c.rollout == "pilot_then_big_bang") and c.pilot is None:
            missing.append("PILOT")
        if n > 0 and c.hypercare_days is None:
            missing.append("HYPERCARE")
        for m in missing:
            out.append(Finding(f"CHG-{m}-{c.id}", f"CHG-{m}", sev, 3, {"high": 4, "medium": 3}.get(sev, 2), "change control", c.id,
                               evidence={**ev, "restore_test": c.restore_test or "—"}))
    return out


RULES = (dpia, dpo, nis2, einvoicing, records_retention, seat_cap, change_artefacts)
