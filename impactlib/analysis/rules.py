"""The review (duty to warn): small pure rules that read a client and a scenario and return findings.

A finding's id is stable (rule code + subject), so the client's decision on it can be tracked across
runs. Each rule is a function ``rule(ctx) -> list[Finding]``; RULES lists them in report order.
Rule rationale and sources: docs/rules.md.
"""

from __future__ import annotations

import collections
import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Callable

import numpy as np
import pandas as pd

from impactlib.analysis import compat, costs, legal, protection, skills
from impactlib.analysis import shared as share
from impactlib.model.client import Client
from impactlib.model.documents import Change
from impactlib.model.finding import SEVERITIES, Finding
from impactlib.analysis.training import training_months
from impactlib.model.frames import frame_rows

if TYPE_CHECKING:  # for annotations only
    from impactlib.model.analysis import Analysis

VAGUE = {  # words that state no measurable need (English and French)
    "en": ("fast", "quick", "quickly", "easy", "simple", "intuitive", "user-friendly", "user friendly", "modern",
           "efficient", "seamless", "robust", "flexible", "asap", "as soon as possible", "etc", "state of the art",
           "best", "optimal", "scalable"),
    "fr": ("rapide", "rapidement", "facile", "simple", "intuitif", "intuitive", "convivial", "conviviale", "moderne",
           "efficace", "performant", "performante", "fluide", "robuste", "souple", "dès que possible", "au plus vite",
           "asap", "etc", "optimal", "optimale", "ergonomique"),
}
_VAGUE_RE = re.compile(r"(?<![\w-])(" + "|".join(sorted({re.escape(w) for ws in VAGUE.values() for w in ws}, key=len, reverse=True))
                       + r")(?![\w-])", re.I)
CLOUD_CATEGORIES = ("email", "collaboration", "practice_management")


@dataclass(frozen=True)
class Context:
    """What the rules read: the Analysis (the client, the scenario's changes, shared computations) and lookups."""

    an: Analysis

    @property
    def client(self) -> Client:
        return self.an.client

    @property
    def scenario(self) -> str:
        return self.an.scenario

    changes = property(lambda self: self.an.changes)
    assumptions = property(lambda self: self.an.assumptions)
    checks = property(lambda self: self.an.host_checks)
    verdicts = property(lambda self: self.an.verdicts)
    lifecycle = property(lambda self: self.an.lifecycle)
    demand = property(lambda self: self.an.demand)
    gaps = property(lambda self: self.an.gaps)
    training = property(lambda self: self.an.training)  # the plan's need: capabilities decided "train"
    costs = property(lambda self: self.an.cost_lines)

    @cached_property
    def users(self) -> dict | pd.Series:
        """People who will use each change's product (change_id -> users), company-wide needs left out: summed in
        plain Python over whole numbers (a filter and a groupby of tens of rows cost ~1 ms), else by pandas."""
        d = self.demand
        if d["users"].dtype != "int64":
            return d.loc[d["department_id"] != skills.COMPANY].groupby("change_id")["users"].sum()
        out: dict = {}
        for cid, dept, n in zip(d["change_id"].tolist(), d["department_id"].tolist(), d["users"].tolist()):
            if dept != skills.COMPANY:
                out[cid] = out.get(cid, 0) + n
        return out

    @cached_property
    def touched(self) -> dict[str, frozenset[str]]:
        """Asset ids each change acts on (rules ask for them many times)."""
        return {cid: frozenset(frame["asset_id"]) for cid, frame in self.an.touched.items()}

    @cached_property
    def scoped(self) -> dict[str, set[str]]:
        """Departments in each change's scope by evidence (skills.demand), company-wide needs aside."""
        d = self.an.demand
        out: dict = {}  # in one pass (a filter and a groupby's sub-frames cost more than the rule's own work)
        for cid, dept in zip(d["change_id"].tolist(), d["department_id"].tolist()):
            if dept != skills.COMPANY and cid == cid:  # (groupby leaves NA keys out)
                out.setdefault(cid, set()).add(dept)
        return out

    def scope_of(self, c: Change) -> set[str]:
        """The departments a change reaches: those it names and those in scope by usage; every department when
        nothing is known (a change with no users recorded cannot be placed, so it is checked against all)."""
        found = set(c.departments) | self.scoped.get(c.id, set())
        return found or set(self.client.departments["department_id"])

    @cached_property
    def asset_names(self) -> dict[str, str]:
        a = self.client.assets
        return dict(zip(a["asset_id"], a["name"]))

    @cached_property
    def department_names(self) -> dict[str, str]:
        d = self.client.departments
        return dict(zip(d["department_id"], d["name"]))

    @cached_property
    def product_after(self) -> dict[str, str]:
        """The product each asset runs once the scenario is done (the last change acting on it sets it)."""
        a = self.client.assets
        after = {k: v for k, v in zip(a["asset_id"], a["product_id"]) if isinstance(v, str)}
        for c in self.changes:
            if c.product_id:
                after.update({asset: c.product_id for asset in self.touched[c.id]})
        return after

    def product(self, pid):
        return self.client.catalog.products.get(pid)

    def departments_of(self, c: Change) -> tuple[str, ...]:
        return tuple(c.departments) or tuple(self.client.departments["department_id"])


def _names(ctx: Context, ids) -> str:
    names = ctx.asset_names
    return ", ".join(str(names.get(i, i)) for i in ids)


# --- incompatibility -----------------------------------------------------------------------------

def _check_details(checks: pd.DataFrame) -> dict:
    """"check: observed ✗ required" (fail) or "check: ?" per (change, host, status) of the hardware checks not passed
    (the OS and the database aside: REQ's), '; '-joined in row order: in one plain-Python pass (the frame path's
    string Series and groupby kept where a value is missing)."""
    out: dict = {}
    for cid, aid, status, check, observed, required in zip(*(checks[c].tolist() for c in ("change_id", "asset_id", "status", "check",
                                                                               "observed", "required"))):
        if status == "pass" or check in ("os", "database"):
            continue
        if cid != cid or aid != aid or status != status or check != check or (
                status == "fail" and (observed != observed or required != required)):
            hardware = checks.loc[~checks["check"].isin(["os", "database"])]
            problems = hardware.loc[hardware["status"] != "pass"]
            fail = problems["status"] == "fail"
            text = problems["check"] + ": " + problems["observed"].where(fail, "?") + (" ✗ " + problems["required"]).where(fail, "")
            return text.groupby([problems["change_id"], problems["asset_id"], problems["status"]]).agg("; ".join).to_dict()
        text = f"{check}: {observed} ✗ {required}" if status == "fail" else f"{check}: ?"
        out.setdefault((cid, aid, status), []).append(text)
    return {k: "; ".join(v) for k, v in out.items()}


_Verdict = collections.namedtuple("_Verdict", "change_id product_id asset_id quantity verdict failed unknown")


def _hardware_verdicts(checks: pd.DataFrame) -> list:
    """The hosts that fail or cannot be verified on their hardware checks (compat.host_verdicts of the checks but the
    OS and the database, REQ's), in the order they first appear: grouped in one plain-Python pass for up to
    SMALL_ROWS checks (two filters, the verdicts' frame and a third filter cost ~3 ms a scenario); by the frames
    where a host's key is NA or the checks are many."""
    hosts: dict = {}
    if len(checks) <= share.SMALL_ROWS:
        for *key, check, status in zip(*(checks[c].tolist() for c in ("change_id", "product_id", "asset_id", "quantity", "check", "status"))):
            if check in ("os", "database"):  # unsupported OS or database: REQ
                continue
            if any(x != x for x in key):  # an NA key: the groupby of the frame path drops it
                break
            failed, unknown = hosts.setdefault(tuple(key), ([], []))
            if status == "fail":
                failed.append(check)
            elif status == "unknown":
                unknown.append(check)
        else:
            return [_Verdict(*key, "fail" if failed else "unknown", ", ".join(failed), ", ".join(unknown))
                    for key, (failed, unknown) in hosts.items() if failed or unknown]
    verdicts = compat.host_verdicts(checks.loc[~checks["check"].isin(["os", "database"])])
    return list(frame_rows(verdicts.loc[verdicts["verdict"] != "pass"]))


def hardware(ctx: Context) -> list[Finding]:
    """Hosts that fail (HW) or cannot be verified (HWUNK) against the planned product's requirements."""
    out = []
    verdicts = _hardware_verdicts(ctx.checks)
    # language-neutral: "check: observed ✗ required" (fail) or "check: ?" (not in the inventory)
    details = _check_details(ctx.checks) if verdicts else {}
    kinds = share.column(ctx.an, "assets", "asset_id", "kind")
    o = ctx.an.device_options
    # each device group's recommended options, in their order (read once, not filtered per host)
    recommended: dict[tuple[str, str], list] = {}  # (option, horizon cost) in their order, in plain Python (~1,000 groups)
    if len(o):
        r = o.loc[o["recommended"]]
        for cid, aid, option, cost in zip(r["change_id"].tolist(), r["asset_id"].tolist(), r["option"].tolist(), r["horizon_cost"].tolist()):
            recommended.setdefault((cid, aid), []).append((option, cost))
    for v in verdicts:
        detail = details.get((v.change_id, v.asset_id, "fail" if v.verdict == "fail" else "unknown"), "")
        product = ctx.product(v.product_id)
        ev = {"units": int(v.quantity), "asset": _names(ctx, [v.asset_id]), "product": product.name, "detail": detail,
              "checks": v.failed if v.verdict == "fail" else v.unknown}
        if v.verdict == "fail":
            unit = costs.device_unit_cost(ctx.an, kinds.get(v.asset_id))
            ev["cost"] = int(v.quantity) * unit if unit is not None else None
            rec = recommended.get((v.change_id, v.asset_id), [])
            if rec and "replace" not in {option for option, _ in rec}:
                # a Windows 10 device group whose recommended option keeps it (IoT LTSC, isolation): the plan has a
                # priced remedy, the id stays HW-... so that a decision on it survives (readiness.py)
                ev.update(option=str(rec[0][0]), replace_cost=ev.pop("cost"),
                          cost=float(pd.Series([cost for _, cost in rec], dtype="float64").sum()))
                out.append(Finding(f"HW-{v.change_id}-{v.asset_id}", "HW-OPTION", "high", 4, 3, "incompatibility", v.change_id,
                                   (v.asset_id,), evidence=ev))
                continue
            out.append(Finding(f"HW-{v.change_id}-{v.asset_id}", "HW", "blocker", 5, 4, "incompatibility", v.change_id,
                               (v.asset_id,), evidence=ev))
        else:
            out.append(Finding(f"HWUNK-{v.change_id}-{v.asset_id}", "HWUNK", "medium", 3, 3, "incompatibility", v.change_id,
                               (v.asset_id,), evidence=ev))
    return out


def features(ctx: Context) -> list[Finding]:
    """Features a department depends on (usage.csv) that the product replacing its system lacks (FEAT)."""
    out = []
    u = ctx.client.usage
    eligible = {c.id: c for c in ctx.changes if ctx.product(c.product_id) is not None and c.action in ("replace", "migrate")}
    if not eligible:
        return out
    # usage rows of the systems each change replaces, within the change's departments: the rows of the inner join of
    # the usage with (change, asset) pairs (each usage row, then its changes in the pairs' order), made in one pass
    # over dicts (a frame of pairs, a merge and a filter cost more than the rule)
    changes_of: dict = {}
    for cid in eligible:
        for a in ctx.touched[cid]:
            changes_of.setdefault(a, []).append(cid)
    scoped = {cid: set(c.departments) for cid, c in eligible.items() if c.departments}
    # grouped in plain Python (1,663 (change, department) groups at 50,000 staff: a sub-frame each cost more than the rule)
    groups: dict[tuple[str, str], tuple[set, set, list]] = {}
    for asset, dept, cell, n in zip(u["asset_id"].tolist(), u["department_id"].tolist(), u["features"].tolist(), u["users"].tolist()):
        if not isinstance(cell, str):  # no features recorded (NA: dropna)
            continue
        for cid in changes_of.get(asset, ()):
            if cid in scoped and dept not in scoped[cid]:
                continue
            feats_, assets, users = groups.setdefault((cid, dept), (set(), set(), []))
            feats_.update(cell.split("|"))
            assets.add(asset)
            users.append(n)
    for (cid, dept), (feats_, assets, users) in sorted(groups.items()):
        c = eligible[cid]
        target = ctx.product(c.product_id)
        touched = ctx.touched[cid]
        feats = sorted(feats_)
        lacking = [f for f in feats if target.features.get(f) == "none"]
        partial = [f for f in feats if target.features.get(f) == "partial"]
        unknown = [f for f in feats if f not in target.features]
        if not (lacking or partial or unknown):
            continue
        sev = "high" if lacking else "medium" if partial else "low"
        out.append(Finding(f"FEAT-{c.id}-{dept}", "FEAT", sev, 4 if lacking else 3, 4 if lacking else 3,
                           "incompatibility", c.id, tuple(sorted(touched & assets)), (dept,),
                           {"product": target.name, "department": _dept(ctx, dept), "users": int(sum(x for x in users if x == x)),  # NaN skipped, as Series.sum
                            "lacking": ", ".join(lacking) or "—", "partial": ", ".join(partial) or "—",
                            "unknown": ", ".join(unknown) or "—"}))
    return out


def host_software(ctx: Context) -> list[Finding]:
    """Software whose host OS, or the database it stores data in, is not among the product's supported ones (REQ)."""
    out = []
    c_os = ctx.checks.loc[ctx.checks["check"].isin(["os", "database"]) & (ctx.checks["status"] == "fail")]
    for r in frame_rows(c_os):
        out.append(Finding(f"REQ-{r.change_id}-{r.asset_id}", "REQ", "high", 4, 4, "incompatibility", r.change_id, (r.asset_id,),
                           evidence={"asset": _names(ctx, [r.asset_id]), "observed": _product_name(ctx, r.observed), "required": r.required,
                                     "product": ctx.product(r.product_id).name}))
    return out


# --- dependencies --------------------------------------------------------------------------------

def dependencies(ctx: Context) -> list[Finding]:
    """What stops when a changed asset is down (DEP), and integrations with no known connector (INT)."""
    out = []
    d = ctx.client.dependencies
    a = ctx.client.assets
    # the assets' kinds and the integrations read once, in plain Python (a Series lookup per asset and a filter of
    # the dependencies per change cost more than the rule's work)
    kind_of = dict(zip(a["asset_id"].tolist(), a["kind"].tolist()))  # asset ids are unique (schema)
    integrations = [(frm, to, connector) for frm, to, kind, connector in
                    zip(d["from_asset_id"].tolist(), d["to_asset_id"].tolist(), d["kind"].tolist(), d["connector"].tolist()) if kind == "integrates_with"]
    for c in ctx.changes:
        ids = sorted(i for i in ctx.touched[c.id] if kind_of.get(i) in ("software", "saas", "database", "server", "virtual_machine"))
        if not ids:
            continue
        broken = compat.dependents(ctx.an, ids)
        if not broken.empty:
            sev = "high" if c.action == "remove" else "medium"
            out.append(Finding(f"DEP-{c.id}", "DEP", sev, 3 if c.action != "remove" else 5, 4, "dependency", c.id,
                               tuple(broken["asset_id"]),
                               evidence={"changed": _names(ctx, ids), "count": len(broken), "broken": _names(ctx, broken["asset_id"]),
                                         "deepest": int(broken["depth"].max())}))
        target = ctx.product(c.product_id)
        if target is None or c.action not in ("replace", "migrate"):
            continue
        changed = set(ids)
        for frm, to, connector in integrations:
            if to not in changed and frm not in changed:
                continue
            other = frm if to in changed else to
            other_product = _product_after(ctx, other)
            if other_product is None or _integrates(ctx, target.id, other_product):
                continue
            connector = connector if isinstance(connector, str) else None
            out.append(Finding(f"INT-{c.id}-{other}", "INT", "medium" if connector else "high", 3 if connector else 4, 4,
                               "dependency", c.id, (other,),
                               evidence={"product": target.name, "other": _names(ctx, [other]),
                                         "other_product": ctx.product(other_product).name, "connector": connector or "—"}))
    return out


def _product_name(ctx: Context, pid: str) -> str:
    p = ctx.product(pid)
    return p.name if p is not None else (pid or "?")


def _product_after(ctx: Context, asset_id: str) -> str | None:
    """The product an asset runs once the scenario is done (a change acting on it sets the new one)."""
    return ctx.product_after.get(asset_id)


def _integrates(ctx: Context, a: str, b: str) -> bool:
    """The catalog knows a working integration between two products (either side states it), or they are one."""
    if a == b:
        return True
    for x, y in ((a, b), (b, a)):
        p = ctx.product(x)
        if p is not None and any(i.with_ == y and i.kind != "none" for i in p.integrations):
            return True
    return False


# --- end of life ---------------------------------------------------------------------------------

DEVICE_KINDS = ("workstation", "laptop")


def end_of_life(ctx: Context) -> list[Finding]:
    """Kept or planned product versions whose support has ended or ends soon after go-live (EOL and its
    remedies by role, EOL-SOON, EOL-PLANNED), unsupported systems holding sensitive data (SEC-EXPOSED),
    unknown support dates (EOLUNK)."""
    out = []
    months = ctx.assumptions.eol_horizon_months
    names = {p.id: p.name for p in ctx.client.catalog.products.values()}
    kinds = share.column(ctx.an, "assets", "asset_id", "kind")
    crit = share.column(ctx.an, "assets", "asset_id", "criticality")
    for r in _unsupported(ctx.lifecycle):
        ev = {"product": names[r.product_id], "version": r.version if isinstance(r.version, str) else "—",
              "end_of_support": r.end_of_support.date() if pd.notna(r.end_of_support) else None,
              "go_live": r.go_live.date(), "months": months, "units": int(r.quantity),
              "subject": _names(ctx, [r.subject_id]) if r.subject == "asset" else r.subject_id}
        if r.status == "unknown":
            out.append(Finding(f"EOLUNK-{r.subject_id}-{r.product_id}", "EOLUNK", "info", 2, 2, "end-of-life",
                               r.subject_id if r.subject == "change" else None,
                               (r.subject_id,) if r.subject == "asset" else (), evidence=ev))
            continue
        planned = r.subject == "change"
        if planned and catalog_is_stale(ctx.product(r.product_id), r.version):
            # the plan targets the newest version the catalog knows of a product that goes on: the catalog is out of
            # date (its next version is missing), not the client's plan - an info line to the provider
            out.append(Finding(f"CATALOG-STALE-{r.subject_id}-{r.product_id}", "CATALOG-STALE", "info", 2, 2, "end-of-life",
                               r.subject_id, (), evidence=ev))
            continue
        critical = r.subject == "asset" and crit.get(r.subject_id) in ("high", "critical")
        # ending soon while the product ships feature updates of itself and a later one is in the catalog:
        # routine servicing (Windows 11 25H2 -> 26H2), not a risk; an ERP or a server OS major version is not
        routine = r.status == "ending" and is_routine_update(ctx.product(r.product_id), r.end_of_support)
        if planned:
            sev = "blocker" if r.status == "ended" else "info" if routine else "low"
        else:
            server = kinds.get(r.subject_id) in ("server", "virtual_machine", "database", "network")
            sev = ("high" if server or critical else "medium") if r.status == "ended" else "info" if routine else "low"
        if planned:
            rule = "EOL-PLANNED"
        elif r.status == "ended":
            rule, remedy = eol_remedy(ctx.product(r.product_id), r.version, kinds.get(r.subject_id), r.go_live.date(),
                                      int(r.quantity), costs.device_unit_cost(ctx.an, kinds.get(r.subject_id)) or float("nan"))
            ev.update(remedy)
        else:
            rule = "EOL-SOON"
        # the id names the product (an asset may run two ended products) and ended vs ending apart; the
        # remedy is in the rule, never in the id, so a decision survives a change of remedy
        fid = f"{'EOL' if r.status == 'ended' else 'EOLSOON'}-{r.subject_id}-{r.product_id}"
        out.append(Finding(fid, rule, sev, 5 if r.status == "ended" else 3, 4 if sev in ("blocker", "high") else 2,
                           "end-of-life", r.subject_id if planned else None, () if planned else (r.subject_id,), evidence=ev))
        if not planned and r.status == "ended" and isinstance(r.sensitive_data, str):
            out.append(Finding(f"SEC-EXPOSED-{r.subject_id}-{r.product_id}", "SEC-EXPOSED", "high", 4, 5, "security", None, (r.subject_id,),
                               evidence={**ev, "data": r.sensitive_data.replace("|", ", ")}))
    return out


_LifeRow = collections.namedtuple("_LifeRow", "subject subject_id product_id version quantity go_live sensitive_data end_of_support status")


def _unsupported(life: pd.DataFrame) -> list:
    """The rows of the lifecycle whose status is neither supported nor evergreen, with the values its rows hold
    (frame_rows): the columns read as lists, the dates made Timestamps for these rows only (a Timestamp per row and
    date column, and the str columns element by element, cost ~2 ms a scenario)."""
    fields = [f for f in _LifeRow._fields if f not in ("go_live", "end_of_support")]
    cols = {f: life[f].tolist() for f in fields}
    go_live, ends = life["go_live"].array, life["end_of_support"].array
    return [_LifeRow(**{f: cols[f][i] for f in fields}, go_live=go_live[i], end_of_support=ends[i])
            for i, status in enumerate(cols["status"]) if status not in ("supported", "evergreen")]


def catalog_is_stale(product, version) -> bool:
    """A planned version that ends before its go-live is the catalog's problem, not the client's, when the product
    line goes on (not ``superseded_by`` another product) and the version is the newest dated one the catalog lists
    (or no version is named): the vendor's next version is missing from the catalog (``impactlib catalog check``)."""
    if product is None or product.superseded_by is not None:
        return False
    dated = [v for v in product.versions if v.end_of_support is not None]
    if not dated:
        return False
    newest = max(dated, key=lambda v: v.end_of_support)
    return not isinstance(version, str) or version == newest.version


def is_routine_update(product, eos) -> bool:
    """The product ships feature updates of itself (catalog ``feature_updates``) and the catalog lists a
    version supported after ``eos``: moving to it is routine servicing, not the end of the product."""
    return (product is not None and product.feature_updates
            and any(v.end_of_support is not None and pd.Timestamp(v.end_of_support) > eos for v in product.versions))


def eol_remedy(product, version, kind, go_live: dt.date, units: int, unit_cost: float) -> tuple[str, dict]:
    """The rule (its wording is the remedy) and extra evidence for a kept asset out of support, by its role.

    - a workstation's or laptop's operating system (category ``os``): upgrade where the hardware allows,
      replace the others; with the vendor's paid extended security updates as a bridge where they exist
      (EOL-DEVICE-ESU, priced: cumulative years up to the one the go-live falls in) — EOL-DEVICE otherwise;
    - an office suite: upgrade to a supported version (EOL-OFFICE);
    - anything else (servers, virtual machines, databases, server software, appliances): upgrade or
      migrate; covered meanwhile by paid extended security updates where they still run at go-live
      (EOL-ESU), else kept on its last update, segmented and monitored (EOL). Never "isolate".
    """
    entry = product.version(version) if product is not None and isinstance(version, str) else None
    esu = entry.esu if entry is not None and entry.esu is not None and entry.esu.until >= go_live else None
    device = product is not None and product.category == "os" and kind not in ("server", "virtual_machine")
    if product is not None and product.category == "office_suite":
        return "EOL-OFFICE", {}
    if device:
        ev = {"cost": units * unit_cost}
        if esu is None or not esu.prices:
            return ("EOL-DEVICE", ev) if esu is None else ("EOL-ESU", {**ev, "esu_until": esu.until})
        year, price = esu_price(esu, entry.end_of_support, go_live)
        return "EOL-DEVICE-ESU", {**ev, "esu_until": esu.until, "esu_year": year, "esu_price": price,
                                  "esu_cost": units * price, "esu_currency": esu.currency}
    return ("EOL", {}) if esu is None else ("EOL-ESU", {"esu_until": esu.until})


def esu_price(esu, end_of_support: dt.date, joining: dt.date) -> tuple[int, float]:
    """(year of the programme ``joining`` falls in, price per unit of joining then): extended security
    updates are bought cumulatively, so joining in year k pays years 1 to k. Years are 12-month steps
    from the end of support; a date past the priced years counts as the last one."""
    months = (joining.year - end_of_support.year) * 12 + joining.month - end_of_support.month \
        - (joining.day <= end_of_support.day)
    year = min(max(months // 12 + 1, 1), len(esu.prices))
    return year, float(sum(esu.prices[:year]))


# --- licensing, budget ---------------------------------------------------------------------------

def licensing(ctx: Context) -> list[Finding]:
    """Fewer licences planned than people who will use the product (LIC)."""
    out = []
    users = ctx.users
    for c in ctx.changes:
        p = ctx.product(c.product_id)
        if p is None or p.licence.model != "per_user" or c.seats is None:
            continue
        need = int(users.get(c.id, 0))
        if c.seats < need:
            out.append(Finding(f"LIC-{c.id}", "LIC", "high", 5, 3, "licensing", c.id, departments=ctx.departments_of(c),
                               evidence={"product": p.name, "seats": c.seats, "users": need, "missing": need - c.seats,
                                         "cost": (need - c.seats) * p.licence.unit_cost * costs.PERIODS_PER_YEAR[p.licence.period],
                                         "currency": ctx.client.profile.currency}))
    return out


def budget(ctx: Context) -> list[Finding]:
    """The project's one-off spend above the project budget (BUD-TOTAL), the yearly recurring cost once the
    changes are live above the run budget (BUD-RUN), training above its budget (BUD-TRAINING); like with like,
    both numbers and the gap in the evidence (the named figures: costs.CostFigures)."""
    out = []
    con = ctx.an.constraints
    money = ctx.an.figures
    by_item = costs.spend_items(ctx.an)  # one-off: licences bought once, hardware, provider work, training
    total = money.spend
    cur = ctx.client.profile.currency
    if con.budget is None:
        out.append(Finding("BUD-NONE", "BUD-NONE", "low", 3, 2, "spec quality", evidence={"total": total, "currency": cur}))
    elif total > con.budget:
        ratio = total / con.budget if con.budget else float("inf")
        out.append(Finding("BUD-TOTAL", "BUD-TOTAL", "blocker" if ratio > 1.5 else "high", 5, 4, "budget",
                           evidence={"total": total, "budget": con.budget, "over": total - con.budget, "currency": cur,
                                     "licences": float(by_item["licences"]), "hardware": float(by_item["hardware"]),
                                     "intervention": float(by_item["intervention"]), "training": float(by_item["training"])}))
    if con.run_budget is not None and money.run_after > con.run_budget:
        out.append(Finding("BUD-RUN", "BUD-RUN", "high", 5, 3, "budget",
                           evidence={"run_after": money.run_after, "run_before": money.run_before, "budget": con.run_budget,
                                     "over": money.run_after - con.run_budget, "currency": cur}))
    e = ctx.costs
    unknown = e.loc[e["amount"].isna()]
    if len(unknown):
        out.append(Finding("BUD-UNKNOWN", "BUD-UNKNOWN", "medium", 3, 3, "budget",
                           evidence={"lines": ", ".join(f"{r.change_id} {r.item} ({r.basis})" for r in frame_rows(unknown)),
                                     "count": len(unknown)}))
    if con.training_budget is not None and by_item["training"] > con.training_budget:
        out.append(Finding("BUD-TRAINING", "BUD-TRAINING", "high", 5, 3, "budget",
                           evidence={"training": float(by_item["training"]), "budget": con.training_budget,
                                     "over": float(by_item["training"]) - con.training_budget, "currency": cur,
                                     "people": _people(ctx.an, ctx.training)}))
    return out


# --- schedule ------------------------------------------------------------------------------------

def schedule(ctx: Context) -> list[Finding]:
    """Go-live or work in blackout periods, downtime over the maximum or outside the windows, go-live
    before training can finish or sooner than a realistic duration, later than the spec's go-live."""
    out = []
    client, con = ctx.client, ctx.client.spec.constraints
    hours_per_week = ctx.assumptions.provider_hours_per_week
    effort = costs.effort_hours(ctx.an)
    longest_window = max((_hours(w.start, w.end) for w in con.intervention_windows), default=None)
    window_days = {d for w in con.intervention_windows for d in w.days}
    train = ctx.training
    per_person = _slowest_person(train, share.codes_of(ctx.an, "training", train))
    # each change's departments and their hours, in the Series' order, and each department's capacity, read once as
    # arrays and dicts: a MultiIndex .loc per change and a reindex per change cost more than the rule
    slowest: dict = {}
    for (cid, dept), h in zip(per_person.index, per_person.to_numpy()):
        slowest.setdefault(cid, ([], []))
        slowest[cid][0].append(dept)
        slowest[cid][1].append(h)
    capacity = share.column(ctx.an, "departments", "department_id", "training_hours_per_month")
    capacity_of = dict(zip(capacity.index, capacity.to_numpy(dtype="float64")))
    earliest = ctx.an.earliest
    for c in ctx.changes:
        scope = ctx.scope_of(c)
        for i, b in enumerate(client.profile.blackout_periods):
            bound = scope & set(b.departments) if b.departments else scope
            if not bound:
                continue
            ev = {"blackout": b.name, "start": b.start, "end": b.end, "go_live": c.go_live,
                  "departments": ", ".join(_dept(ctx, d) for d in sorted(bound)), "after": _next_workday(client, b.end)}
            if b.start <= c.go_live <= b.end:
                # a go-live inside the client's own freeze contradicts its spec: the plan must move before it is signed
                out.append(Finding(f"SCH-BLACKOUT-{c.id}-{_slug(b.name)}", "SCH-BLACKOUT", "blocker", 5, 4, "blackout conflict", c.id,
                                   departments=tuple(sorted(bound)), evidence=ev))
            elif c.start is not None and c.start <= b.end and b.start <= c.go_live:
                out.append(Finding(f"SCH-WORK-{c.id}-{_slug(b.name)}", "SCH-WORK", "medium", 4, 3, "blackout conflict", c.id,
                                   departments=tuple(sorted(bound)), evidence={**ev, "work_start": c.start}))
        p = ctx.product(c.product_id)
        downtime = downtime_hours(c, p)
        if downtime is not None and con.max_downtime_hours is not None and downtime > con.max_downtime_hours:
            out.append(Finding(f"SCH-DOWNTIME-{c.id}", "SCH-DOWNTIME", "high", 4, 4, "schedule", c.id,
                               evidence={"downtime": downtime, "max": con.max_downtime_hours, "rollout": c.rollout}))
        if downtime and longest_window is not None and downtime > longest_window:
            out.append(Finding(f"SCH-WINDOW-{c.id}", "SCH-WINDOW", "medium", 4, 3, "schedule", c.id,
                               evidence={"downtime": downtime, "window": longest_window}))
        if c.start is not None and window_days and _weekday(c.start) not in window_days:
            out.append(Finding(f"SCH-START-{c.id}", "SCH-START", "low", 3, 2, "schedule", c.id,
                               evidence={"start": c.start, "days": ", ".join(sorted(window_days, key=_DAYS.index))}))
        # work starts at the planned start, never before the earliest plannable date (report date + lead time)
        origin = max(c.start or earliest, earliest)
        # training can start on the earliest plannable date; end users finish a week before go-live
        months_available = max((c.go_live - earliest).days / 30.44, 0)
        if c.id in slowest:
            depts, hours = slowest[c.id]
            hours = np.array(hours, dtype="float64")
            cap = np.array([capacity_of.get(d, np.nan) for d in depts], dtype="float64")
            months_needed = _top(training_months(hours, np.where(np.isnan(cap), 0.0, cap)))  # (reindex, fillna(0))
            if pd.notna(months_needed) and months_needed > months_available:
                finish = earliest + dt.timedelta(days=round(float(months_needed) * 30.44))
                feasible = finish + dt.timedelta(days=7)
                out.append(Finding(f"SCH-TRAINING-{c.id}", "SCH-TRAINING", "high", 4, 4, "schedule", c.id,
                                   evidence={"needed": round(float(months_needed), 1), "available": round(months_available, 1),
                                             "hours": float(_top(hours)), "go_live": c.go_live,
                                             "start": earliest, "finish": finish, "feasible": feasible,
                                             "weeks": -(-(feasible - c.go_live).days // 7)}))
        work = effort.get(c.id)
        if work is not None and pd.notna(work):
            weeks_needed = work / hours_per_week * (1.25 if c.rollout in ("phased", "pilot_then_big_bang") else 1.0)
            weeks_available = (c.go_live - origin).days / 7
            if weeks_needed > weeks_available:
                out.append(Finding(f"SCH-DURATION-{c.id}", "SCH-DURATION", "medium", 4, 3, "schedule", c.id,
                                   evidence={"weeks_needed": round(weeks_needed, 1), "weeks_available": round(weeks_available, 1),
                                             "hours": float(work), "per_week": hours_per_week}))
        if con.go_live is not None and c.go_live > con.go_live:
            out.append(Finding(f"SCH-LATE-{c.id}", "SCH-LATE", "medium", 5, 2, "schedule", c.id,
                               evidence={"go_live": c.go_live, "deadline": con.go_live}))
    return out


def _top(values: np.ndarray) -> float:
    """``Series.max()`` of an array: its highest value, NaN skipped (NaN when there is none)."""
    known = values[~np.isnan(values)]
    return known.max() if len(known) else np.nan


def _next_workday(client: Client, day: dt.date) -> dt.date:
    """The first working day of the client's calendar after ``day`` (its workdays, not its holidays)."""
    cal = client.profile.calendar
    nxt = day + dt.timedelta(days=1)
    while _weekday(nxt) not in cal.workdays or nxt in set(cal.holidays):
        nxt += dt.timedelta(days=1)
    return nxt


def _people(an, train: pd.DataFrame) -> int:
    """The distinct people of the plan's training need (NA left out), counted on their codes when kept."""
    codes = share.codes_of(an, "training", train)
    return len(share.factorize(train["staff_id"])[1]) if codes is None else int(np.count_nonzero(np.bincount(codes)))


def _slowest_person(train: pd.DataFrame, person: np.ndarray | None = None) -> pd.Series:
    """Training hours of the person with the most, per (change, department): a person's hours summed over
    the change's skills. Grouped on one integer key (change × person): 300,000 rows at 50,000 staff. ``person``:
    the staff ids' codes, when known (shared.codes_of)."""
    change, changes_ = share.factorize(train["change_id"])
    if person is None:
        person, _ = share.factorize(train["staff_id"])
    fast = _slowest_coded(train, change, person)
    if fast is not None:
        return fast
    per = pd.DataFrame({"key": change.astype("int64") * (person.max() + 1 if len(person) else 1) + person,
                        "change_id": train["change_id"].to_numpy(), "department_id": train["department_id"].to_numpy(),
                        "hours": train["hours"].to_numpy()})
    per = per.groupby("key", sort=False).agg(change_id=("change_id", "first"), department_id=("department_id", "first"),
                                             hours=("hours", "sum"))
    return per.groupby(["change_id", "department_id"])["hours"].max()


def _slowest_coded(train: pd.DataFrame, change: np.ndarray, person: np.ndarray) -> pd.Series | None:
    """:func:`_slowest_person`'s first groupby (per change and person: the first row's change and department, the
    hours summed) on codes, without a frame of every row: when every hour is a non-negative multiple of 1/256 whose
    total stays exact (then any order of adding gives pandas' compensated sums; NaN hours count 0, as the sum skips
    them). None (the frame path) otherwise, or for an NA change or person."""
    hours = train["hours"].to_numpy(dtype="float64")
    if not len(hours) or (change < 0).any() or (person < 0).any() or not share.exact_sums(hours, nan=True):
        return None
    known = np.nan_to_num(hours, nan=0.0)
    # each (change, person): its first row and its hours (pairs in the order of their key: the order of the rows of
    # the groupby does not change the highest per department), from the rows sorted by pair (stable: first row first)
    group = change.astype("int64") * (int(person.max()) + 1) + person
    order = np.argsort(group, kind="stable")
    group = group[order]
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    first = order[starts]
    hours = np.add.reduceat(known[order], starts)
    del order, group, known
    # the highest per (change, department) of the first rows, as groupby(["change_id", "department_id"]).max() gives
    # it: sorted by both, a MultiIndex of their values
    c, cs = share.factorize(train["change_id"].to_numpy(dtype=object)[first], sort=True)
    d, ds = share.factorize(train["department_id"].to_numpy(dtype=object)[first], sort=True)
    if (c < 0).any() or (d < 0).any():
        return None
    pair, pairs = share.factorize(c.astype("int64") * max(len(ds), 1) + d, sort=True)
    top = np.full(len(pairs), -np.inf)
    np.maximum.at(top, pair, hours)
    index = pd.MultiIndex.from_arrays([pd.Index(cs.take(pairs // max(len(ds), 1))), pd.Index(ds.take(pairs % max(len(ds), 1)))],
                                      names=["change_id", "department_id"])
    return pd.Series(top, index=index, name="hours")


def _slug(text: str) -> str:
    """A stable, id-safe form of a name: lower case ASCII letters and digits joined by '-'."""
    import unicodedata
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:40] or "x"


_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _weekday(d: dt.date) -> str:
    return _DAYS[d.weekday()]


def _hours(start: str, end: str) -> float:
    h1, m1 = map(int, start.split(":"))
    h2, m2 = map(int, end.split(":"))
    return (h2 * 60 + m2 - h1 * 60 - m1) / 60


def downtime_hours(c: Change, product) -> float | None:
    """Business downtime of one cutover: the catalog's big-bang downtime; a quarter of it per wave when
    phased or piloted; none for a parallel run. None when the catalog says nothing."""
    if product is None or product.change is None or product.change.downtime_hours is None:
        return None
    factor = {"big_bang": 1.0, "pilot_then_big_bang": 1.0, "phased": 0.25, "parallel_run": 0.0}[c.rollout]
    return product.change.downtime_hours * factor


# --- spec quality --------------------------------------------------------------------------------

def spec_quality(ctx: Context) -> list[Finding]:
    """Objectives without a measurable criterion (SPEC-CRIT), vague words (SPEC-VAGUE), and zero
    downtime asked of a big-bang cutover (SPEC-CONTRA)."""
    out = []
    spec = ctx.client.spec
    for o in spec.objectives:
        # the target of a go_live objective is its deadline (documents.Objective)
        if o.criterion is None or (o.deadline if o.measure == "go_live" else o.target) is None:
            out.append(Finding(f"SPEC-CRIT-{o.id}", "SPEC-CRIT", "medium" if o.priority == "must" else "low", 4, 2,
                               "spec quality", evidence={"objective": o.id, "text": o.text,
                                                         "missing": "criterion" if o.criterion is None else "target"}))
        words = sorted({m.lower() for m in _VAGUE_RE.findall(" ".join(x for x in (o.text, o.criterion) if x))})
        if words:
            out.append(Finding(f"SPEC-VAGUE-{o.id}", "SPEC-VAGUE", "low", 3, 2, "spec quality",
                               evidence={"objective": o.id, "text": o.text, "words": ", ".join(words)}))
    words = sorted({m.lower() for m in _VAGUE_RE.findall(spec.summary or "")})
    if words:
        summary = spec.summary.strip()
        out.append(Finding("SPEC-VAGUE-summary", "SPEC-VAGUE", "low", 3, 2, "spec quality",
                           evidence={"objective": "summary", "text": summary[:200] + ("…" if len(summary) > 200 else ""),
                                     "words": ", ".join(words)}))
    if spec.constraints.max_downtime_hours == 0:
        for c in ctx.changes:
            if c.rollout in ("big_bang", "pilot_then_big_bang"):
                out.append(Finding(f"SPEC-CONTRA-{c.id}", "SPEC-CONTRA", "high", 5, 4, "spec quality", c.id,
                                   evidence={"rollout": c.rollout}))
    return out


# --- security, confidentiality, data migration ---------------------------------------------------

def hosted_by_a_third_party(product) -> bool:
    """The product's data lives with its vendor or a host: the catalog's ``hosting.hosted`` when given, else
    read from the catalog as an approximation (cloud category, or billed by the month or year), see
    docs/rules.md (SEC-HDS)."""
    if product is None:
        return False
    if product.hosting.hosted is not None:
        return product.hosting.hosted
    return product.category in CLOUD_CATEGORIES or product.licence.period in ("month", "year")


HDS_RULES = {"uncertified": ("SEC-HDS-NONE", "blocker", 5, 5), "unknown": ("SEC-HDS", "high", 3, 5),
             "expired": ("SEC-HDS-EXPIRED", "high", 3, 5)}


def client_certificate(client: Client, product_id: str) -> pd.Series | None:
    """The HDS certificate the client has on file for the host of ``product_id`` (certificates.csv), or None."""
    certs = client.certificates
    if certs is None or certs.empty:
        return None
    mine = certs.loc[certs["product_id"] == product_id]
    return mine.iloc[0] if len(mine) else None


def hds_status(client: Client, change: Change, product, data: set[str]) -> str | None:
    """Whether health data a change moves in France goes to a host holding the HDS certificate, read from
    the catalog's ``hosting``: None (not health data, not France, or not hosted by a third party: nothing
    to check), ``certified`` (certificate on file, valid at go-live or with no expiry recorded),
    ``expired`` (the recorded certificate ends before go-live), ``unknown`` (no certificate on file),
    ``uncertified`` (the host is known not to hold it). The SEC-HDS warning and the report's
    confidentiality precautions both read it."""
    if "health" not in data or client.profile.country != "FR" or not hosted_by_a_third_party(product):
        return None
    cert = client_certificate(client, product.id)
    if cert is not None:  # the client's own evidence (certificates.csv) decides over the catalog's
        return "expired" if cert["valid_until"].date() < change.go_live else "certified"
    h = product.hosting
    if h.hds_certified == "no":
        return "uncertified"
    if h.hds_certified == "unknown":
        return "unknown"
    return "expired" if h.certificate_expiry is not None and h.certificate_expiry < change.go_live else "certified"


def certificate_expiry(client: Client, product) -> dt.date | None:
    cert = client_certificate(client, product.id)
    return cert["valid_until"].date() if cert is not None else product.hosting.certificate_expiry


def security(ctx: Context) -> list[Finding]:
    """Changes touching sensitive data (SEC-DATA), health data moved in France to a host whose HDS
    certificate is not on file (SEC-HDS), expired at go-live (SEC-HDS-EXPIRED) or known not to exist
    (SEC-HDS-NONE), large data migrations (MIG). The DPIA is screened per processing (analysis.legal)."""
    out = []
    client = ctx.client
    for c in ctx.changes:
        ids = set(ctx.touched[c.id])
        cats = set(compat.touched_data(ctx.an, c))
        p = ctx.product(c.product_id)
        if cats:
            out.append(Finding(f"SEC-DATA-{c.id}", "SEC-DATA", "high" if cats & {"health", "legal", "card_payments"} else "medium",
                               3, 5, "confidentiality", c.id, tuple(sorted(ids)),
                               evidence={"data": ", ".join(sorted(cats)), "volume": c.data_volume_gb}))
        status = hds_status(client, c, p, cats)
        if status in HDS_RULES:
            rule, sev, likelihood, impact = HDS_RULES[status]
            # one id whatever the certificate says: the client's decision follows the change, not the status
            out.append(Finding(f"SEC-HDS-{c.id}", rule, sev, likelihood, impact, "confidentiality", c.id, tuple(sorted(ids)),
                               evidence={"product": p.name, "go_live": c.go_live,
                                         "certificate_expiry": certificate_expiry(client, p)}))
        if c.data_volume_gb and c.data_volume_gb >= 50:
            sev = "high" if c.data_volume_gb >= 500 or c.rollout in ("big_bang", "pilot_then_big_bang") else "medium"
            test_env = client.spec.means.test_environment
            out.append(Finding(f"MIG-{c.id}", "MIG", sev, 3, 4, "data migration", c.id, tuple(sorted(ids)),
                               evidence={"volume": c.data_volume_gb, "rollout": c.rollout,
                                         "test": "not_given" if test_env is None else "yes" if test_env else "no"}))
    return out


# --- skills --------------------------------------------------------------------------------------

def administration(ctx: Context) -> list[Finding]:
    """Nobody able to administer a new product and nobody to hold it but a recruit (SKL-ADMIN): read from the
    staffing decision (staffing.staffing_advice), so a capability covered by a managed-services contract, bought
    as a managed service or trained in time raises none; skills no catalog course can close in a capability
    the plan trains (TRN-NOCOURSE)."""
    out = []
    adv = ctx.an.staffing_advice
    # grouped in plain Python, groups in the groupby's sorted order (a filter and a groupby of a few rows cost ~1 ms);
    # coded keys (categoricals sort by their categories) and levels that may be NA by pandas
    if any(isinstance(adv[k].dtype, pd.CategoricalDtype) for k in ("change_id", "product_id", "skill_id")) or any(
            adv[k].dtype != "int64" for k in ("best_current", "required")):
        return _administration_frames(ctx, adv)
    admins: dict = {}
    for cid, pid, skill, role, decision, best, required in zip(
            adv["change_id"], adv["product_id"], adv["skill_id"], adv["role"], adv["decision"], adv["best_current"],
            adv["required"]):
        if role == "administrator" and decision in ("recruit", "outsource_then_recruit") and all(
                k is not None and k == k for k in (cid, pid, skill)):  # (groupby leaves NA keys out)
            top = admins.setdefault((cid, pid, skill), [best, required])
            top[0], top[1] = max(top[0], best), max(top[1], required)
    for (cid, pid, skill), (best, required) in sorted(admins.items()):
        out += _admin_finding(ctx, cid, pid, skill, best, required)
    return out + _no_course(ctx)


def _administration_frames(ctx: Context, adv: pd.DataFrame) -> list[Finding]:
    """:func:`administration` by pandas' filter and groupby (the path for coded keys)."""
    out = []
    admins = adv.loc[(adv["role"] == "administrator") & adv["decision"].isin(["recruit", "outsource_then_recruit"])]
    for (cid, pid, skill), grp in admins.groupby(["change_id", "product_id", "skill_id"]):
        out += _admin_finding(ctx, cid, pid, skill, grp["best_current"].max(), grp["required"].max())
    return out + _no_course(ctx)


def _no_course(ctx: Context) -> list[Finding]:
    """TRN-NOCOURSE: skills no catalog course can close in a capability the plan trains."""
    out = []
    t = ctx.training
    unpriced = t["hours"].isna()
    if not unpriced.any():  # mostly none: no filter, no groupby
        return out
    for (skill, level), grp in t.loc[unpriced].groupby(["skill_id", "required"]):
        out.append(Finding(f"TRN-NOCOURSE-{skill}-{level}", "TRN-NOCOURSE", "medium", 4, 3, "skills",
                           evidence={"skill": skill, "level": int(level), "people": int(grp["staff_id"].nunique())}))
    return out


def _admin_finding(ctx: Context, cid, pid, skill, best, required) -> list[Finding]:
    """SKL-ADMIN for one (change, product, skill) of administrators to recruit, from the best level held and the
    level required (their highest over the group's rows)."""
    best, required = int(best), int(required)
    if required - best < 2:
        return []
    return [Finding(f"SKL-ADMIN-{cid}-{skill}", "SKL-ADMIN", "high", 5, 4, "skills", cid,
                    evidence={"product": ctx.product(pid).name, "skill": skill, "required": required, "best": best})]


def objectives_kept(ctx: Context) -> list[Finding]:
    """An objective of the spec with a measure that the scenario breaks (OBJ-MISSED), both numbers given."""
    out = []
    sev = {"must": "high", "should": "medium", "could": "low"}
    text = {o.id: o.text for o in ctx.client.spec.objectives}
    for r in frame_rows(ctx.an.objective_checks):
        if r.met:
            continue
        out.append(Finding(f"OBJ-MISSED-{r.objective_id}", "OBJ-MISSED", sev[r.priority], 4, 3 if r.priority != "must" else 4,
                           "objective", evidence={"objective": r.objective_id, "text": text[r.objective_id], "measure": r.measure,
                                                  "value": r.value, "target": r.target, "unit": r.unit or "",
                                                  "currency": ctx.client.profile.currency}))
    return out


def cooperation(ctx: Context) -> list[Finding]:
    """The staff time the plan needs of the client (training, key users) above what the client gives (COOP-TIME),
    or not stated at all (COOP-NONE): the client's duty to cooperate, recorded."""
    f = ctx.an.effort
    need = float(f["need"].sum()) if len(f) else 0.0
    if need <= 0:
        return []
    given = f["given"]
    if given.isna().all():
        return [Finding("COOP-NONE", "COOP-NONE", "low", 3, 2, "cooperation", evidence={"need": round(need)})]
    total = float(given.sum())
    if need <= total:
        return []
    by_dept = bool(ctx.client.spec.means.staff_hours_by_department)
    short = f.loc[f["need"] > f["given"]] if by_dept else f.iloc[0:0]
    return [Finding("COOP-TIME", "COOP-TIME", "high" if need > 2 * total else "medium", 5, 3, "cooperation",
                    evidence={"need": round(need), "given": round(total), "shortfall": round(need - total),
                              "training": round(float(f["training_hours"].sum())), "key_users": round(float(f["key_user_hours"].sum())),
                              "departments": ", ".join(_dept(ctx, d) for d in short["department_id"] if d != skills.COMPANY) or "—"})]


def delivery(ctx: Context) -> list[Finding]:
    """Devices a change must buy that cannot be delivered before its work starts (HW-DELIVERY): ordered on the
    earliest plannable date, they arrive after the catalog's lead time (hardware.csv ``lead_weeks``)."""
    out = []
    bought = share.split(ctx.an.devices, "change_id")  # each change's rows, in one pass (not a filter per change)
    earliest = ctx.an.earliest
    for c in ctx.changes:
        mine = bought.get(c.id)
        if not mine:
            continue
        known = [r.lead_weeks for r in mine if r.lead_weeks == r.lead_weeks]  # max() skips NaN
        weeks = float(max(known)) if known else float("nan")
        arrival = earliest + dt.timedelta(weeks=weeks)
        start = max(c.start or c.go_live, earliest)
        if weeks and arrival > start:
            out.append(Finding(f"HW-DELIVERY-{c.id}", "HW-DELIVERY", "medium", 4, 3, "schedule", c.id,
                               evidence={"units": int(sum(r.units for r in mine)), "weeks": weeks, "arrival": arrival, "start": start,
                                         "go_live": c.go_live}))
    return out


def usage_missing(ctx: Context) -> list[Finding]:
    """Systems a change touches that nobody is recorded as using (USAGE-MISSING): the people in scope, their
    licences, training and key users are unknown there, and are not guessed (skills.demand)."""
    out = []
    for cid, grp in ctx.an.unused_systems.groupby("change_id", sort=False):
        out.append(Finding(f"USAGE-MISSING-{cid}", "USAGE-MISSING", "medium", 4, 3, "spec quality", cid, tuple(grp["asset_id"]),
                           evidence={"systems": ", ".join(grp["name"]), "count": len(grp)}))
    return out


def _dept(ctx: Context, dept: str) -> str:
    return str(ctx.department_names.get(dept, dept))


RULES: tuple[Callable[[Context], list[Finding]], ...] = (
    hardware, host_software, features, dependencies, end_of_life, licensing, budget, schedule, spec_quality,
    usage_missing, objectives_kept, cooperation, delivery, security, administration,
    protection.review) + legal.RULES  # protection: baseline gaps, change requirements (analysis/protection.py); legal screens (analysis/legal.py)


def review(an: Analysis) -> tuple[Finding, ...]:
    """Every finding of every rule for one scenario, most severe first (then by id)."""
    ctx = Context(an)
    found = [f for rule in RULES for f in rule(ctx)]
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return tuple(sorted(found, key=lambda f: (rank[f.severity], -f.likelihood * f.impact, f.id)))


def as_frame(findings) -> pd.DataFrame:
    """Findings as a table: id, rule, severity, likelihood, impact, category, change_id, assets, departments."""
    return pd.DataFrame([{"id": f.id, "rule": f.rule, "severity": f.severity, "likelihood": f.likelihood, "impact": f.impact,
                          "category": f.category, "change_id": f.change_id, "assets": "|".join(f.assets),
                          "departments": "|".join(f.departments)} for f in findings],
                        columns=["id", "rule", "severity", "likelihood", "impact", "category", "change_id", "assets", "departments"])
