"""Windows 11 readiness per device group, and the options for each group, priced over the horizon, with the one
a consultant recommends (docs/rules.md "Windows 11 readiness", docs/methodology.md "Device options").

A device group is one asset row (``quantity`` identical devices) of kind workstation or laptop that a change to an
operating system with hardware requirements (Windows 11) acts on. Its verdict:

- ``ready``: every requirement met;
- ``firmware``: met once a firmware setting is changed (Secure Boot or the firmware TPM switched on, legacy BIOS
  mode switched to UEFI with MBR2GPT) — minutes of a technician's time, no hardware;
- ``not_ready``: a requirement fails (the CPU is not on Microsoft's list, TPM 1.2, too little RAM or storage...);
- ``unknown``: nothing fails but the inventory does not say everything: ``collect`` names what to read.

Pure functions over the Analysis; the checks are compat.requirement_checks, the same as the review's.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from impactlib.analysis import compat
from impactlib.analysis import shared as share
from impactlib.analysis.costs import device_unit_cost
from impactlib.model.frames import frame_rows

if TYPE_CHECKING:  # for annotations only
    from impactlib.model.analysis import Analysis

VERDICTS = ("ready", "firmware", "not_ready", "unknown")
OPTIONS = ("upgrade", "firmware", "replace", "esu", "cloud_pc", "iot_ltsc", "isolate")
DEVICE_KINDS = ("workstation", "laptop")
READINESS_COLUMNS = ["change_id", "asset_id", "model", "kind", "quantity", "verdict", "failed", "firmware_fix", "collect",
                     "cpu_family", "age_years", "device_use"]
OPTION_COLUMNS = ["change_id", "asset_id", "option", "quantity", "one_off", "recurring_per_year", "horizon_cost",
                  "technician_hours", "lead_days", "recommended", "reason"]
# a replacement landing later than this after the report date leaves a Windows 10 device unpatched too long:
# ESU bridges it (docs/methodology.md "Device options")
BRIDGE_DAYS = 90
# USD -> client currency for the ESU prices (Microsoft publishes them in USD): an order of magnitude of the
# ECB reference rate in 2026; the reseller's quote in euros replaces it (docs/methodology.md "Device options")
USD_RATE = {"USD": 1.0, "EUR": 0.86}
_FIX_ORDER = ("uefi", "secure_boot", "tpm_version")
_FIX_ID = {"uefi": "uefi", "secure_boot": "secure_boot", "tpm_version": "tpm"}
_COLLECT = {"cpu": "cpu_model", "ram_gb": "ram_gb", "storage_gb": "storage_gb", "tpm_version": "tpm_version",
            "uefi": "uefi", "secure_boot": "secure_boot"}


def _os_changes(an: Analysis):
    """The changes to an operating system with hardware requirements, with their product."""
    products = an.client.catalog.products
    for c in an.changes:
        p = products.get(c.product_id)
        if p is None or p.category != "os" or p.requirements is None:
            continue
        yield c, p


def _device_groups(an: Analysis, c) -> pd.DataFrame:
    """The device groups change ``c`` acts on."""
    t = an.touched[c.id]
    return t.loc[t["kind"].isin(DEVICE_KINDS)]


def readiness(an: Analysis) -> pd.DataFrame:
    """One row per device group touched by an operating-system change with requirements (Windows 11).

    Columns: change_id, asset_id, model, kind, quantity, verdict (ready, firmware, not_ready, unknown), failed
    (tuple of the failing check ids: cpu, ram_gb, storage_gb, tpm_version, uefi, secure_boot), firmware_fix
    (text id: uefi, secure_boot, tpm, joined by '+' when several; empty when none), collect (the assets.csv
    columns to fill to verify, comma-separated; empty when nothing is missing), cpu_family (the row of the
    catalog's cpus.csv that judged the CPU), age_years (from purchase_date, NaN when unknown), device_use.
    """
    rows = []
    for c, p in _os_changes(an):
        # a change's device groups are judged the same in every scenario that has this change, on this date (the
        # groups are looked for only when they are not kept: a filter of the touched assets per scenario)
        key = ("readiness", share.change_key(an, c), an.as_of)
        if key not in an.shared:
            judged = _judged_small(an, c, p) if share.small(an) else None
            if judged is None:
                h = _device_groups(an, c)
                if h.empty:
                    continue
                judged = _judged(an, c, p, h)
            share.once(an, key, lambda judged=judged: judged)
        rows += an.shared[key]
    return _typed(pd.DataFrame(rows, columns=READINESS_COLUMNS), {"quantity": "int64", "age_years": "float64"})


def _typed(out: pd.DataFrame, dtypes: dict) -> pd.DataFrame:
    """``out.astype(dtypes)``, left out when the columns have these dtypes already (as the rows built them: the
    conversion of every column still cost ~0.5 ms a frame of tens of rows)."""
    if all(out[k].dtype == t for k, t in dtypes.items()):
        return out
    return out.astype(dtypes)


def _judged(an: Analysis, c, p, h: pd.DataFrame) -> list[tuple]:
    """The readiness rows of change ``c`` (product ``p``) on its device groups ``h``."""
    checks = compat.requirement_checks(h, p.requirements, cpus=an.client.catalog.cpus)
    return _groups(an, c, {k: h[k].tolist() for k in _GROUP_COLUMNS if k in h},
                   zip(checks["asset_id"].tolist(), checks["check"].tolist(), checks["status"].tolist()))


def _judged_small(an: Analysis, c, p) -> list[tuple] | None:
    """:func:`_judged` in plain Python for a small client, on the touched assets' columns (compat.requirement_rows:
    the frame path's filter and checks cost ~1.2 ms a change on tens of groups); None when their columns are not as
    it needs them (the frame path then)."""
    t = compat.touched_columns(an, c)
    if t is None:
        return None
    h = compat.take(t, [i for i, k in enumerate(t["kind"]) if k in DEVICE_KINDS])
    checks = compat.requirement_rows(h, p.requirements, cpus=an.client.catalog.cpus)
    if checks is None or not all(k in h for k in ("model", "kind", "cpu_model")):
        return None
    return _groups(an, c, h, ((a, check, status) for a, _, check, _, _, status in checks))


_GROUP_COLUMNS = ("asset_id", "model", "kind", "quantity", "cpu_model", "purchase_date", "device_use")


def _groups(an: Analysis, c, h: dict[str, list], checks) -> list[tuple]:
    """The readiness rows of change ``c`` on its device groups: ``h`` their columns as lists (_GROUP_COLUMNS;
    purchase_date and device_use may be missing), ``checks`` their (asset_id, check, status) triples."""
    cpus = an.client.catalog.cpus
    by: dict[str, dict] = {}  # each device group's checks, in their order (plain Python: ~1,000 groups at 2,000 assets)
    for a, check, status in checks:
        by.setdefault(a, {})[check] = status
    rows = []
    n = len(h["asset_id"])
    today, listed = pd.Timestamp(an.as_of), len(cpus) > 0
    for asset_id, model, kind, quantity, cpu_model, bought, use in zip(
            h["asset_id"], h["model"], h["kind"], h["quantity"], h["cpu_model"],
            h.get("purchase_date", [None] * n), h.get("device_use", [None] * n)):
        status = by.get(asset_id, {})
        failed = tuple(k for k, v in status.items() if v == "fail")
        unknown = [k for k, v in status.items() if v == "unknown"]
        fixes = [k for k in _FIX_ORDER if status.get(k) == "firmware"]
        if "uefi" in fixes and "secure_boot" in fixes:
            fixes.remove("secure_boot")  # the switch to UEFI mode brings Secure Boot with it
        verdict = "not_ready" if failed else "unknown" if unknown else "firmware" if fixes else "ready"
        age = (today - pd.Timestamp(bought)).days / 365.25 if pd.notna(bought) else float("nan")
        family = compat.cpu_listed(cpu_model, model, cpus)[1] if listed else ""
        fix = "+".join(_FIX_ID[k] for k in fixes) if verdict != "not_ready" else ""  # a replaced device needs none
        rows.append((c.id, asset_id, model if isinstance(model, str) else "", kind, int(quantity), verdict,
                     failed, fix, ", ".join(_COLLECT[k] for k in unknown), family,
                     round(age, 1) if age == age else age, use if isinstance(use, str) else "office"))
    return rows


def esu_years(eos: dt.date, until: dt.date, covered: dt.date) -> int:
    """How many ESU years must be bought to be covered on ``covered``: ESU is cumulative — year k runs from
    eos + 12(k−1) months, and joining in year k pays years 1 to k. 0 before the end of support; never more than
    the years there are (to ``until``)."""
    if covered <= eos:
        return 0
    eos, until, covered = (pd.Timestamp(d).date() for d in (eos, until, covered))
    k, start = 0, eos
    while start < covered and start < until:
        k += 1
        start = _years_after(eos, k)
    return k


def _years_after(day: dt.date, years: int) -> dt.date:
    """``day`` + 12 × ``years`` months, as pandas' DateOffset gives it: 29 February becomes the 28th in other years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def esu_cost(prices, years: int) -> float:
    """The cumulative price of ``years`` ESU years (prices of year 1, 2, 3...): 61 + 122 for year 2."""
    return float(sum(prices[:years]))


def _esu_offer(an: Analysis, c):
    """The ESU of the operating system the change moves away from: (Esu, end of support) or None."""
    products = an.client.catalog.products
    old = products.get(c.from_product_id) if c.from_product_id else None
    if old is None:
        return None
    for v in sorted(old.versions, key=lambda v: v.end_of_support or dt.date.min, reverse=True):
        if v.esu is not None and v.esu.prices and v.end_of_support is not None:
            return v.esu, v.end_of_support
    return None


def _option_facts(an: Analysis) -> dict[str, dict]:
    """The catalog's device options by option (kept per client; read-only)."""
    return share.once(an, ("option_facts",), lambda: {r.option: r._asdict()
                                                      for r in frame_rows(an.client.catalog.device_options, index=False)})


def device_options(an: Analysis) -> pd.DataFrame:
    """The options for each device group of :func:`readiness`, priced in the client's currency, and the
    recommended one(s) with the reason (docs/methodology.md "Device options").

    One row per (change_id, asset_id, option) that applies. Columns: change_id, asset_id, option (upgrade,
    firmware, replace, esu, cloud_pc, iot_ltsc, isolate), quantity, one_off (amount for the group), recurring_per_year
    (amount per year for the group), horizon_cost (one_off + recurring over the horizon's months), technician_hours
    (for the group, the option's own work besides the change's intervention hours), lead_days, recommended (bool),
    reason (text id, see report/text.py "reason.*"). NaN amounts: no price in the client's currency.
    """
    ready = an.readiness
    cols = OPTION_COLUMNS
    if ready.empty:
        return pd.DataFrame({k: pd.Series(dtype="float64" if k in ("one_off", "recurring_per_year", "horizon_cost",
                                                                  "technician_hours", "lead_days") else
                                          "bool" if k == "recommended" else "int64" if k == "quantity" else "str") for k in cols})
    facts = _option_facts(an)
    a = an.assumptions
    rate = float(a.provider_hourly_rate)
    cur = an.client.profile.currency
    months = an.definition.horizon_months or an.client.spec.constraints.horizon_months
    years = months / 12
    changes = {c.id: c for c in an.changes}
    end = pd.Period(an.as_of, freq="M") + months - 1  # the horizon's last month
    offers: dict = {}  # each change's ESU offer, looked for once (not once per device group)
    rows = []
    for r in frame_rows(ready, index=False):
        c = changes[r.change_id]
        n = r.quantity
        opts: dict[str, list] = {}

        def add(option, one_off_unit, per_year_unit, hours_unit, lead):
            f = facts.get(option)
            if f is None:
                return
            ok = f["currency"] == cur
            extra_one = f["one_off"] if ok else float("nan")
            extra_year = f["per_year"] if ok else float("nan")
            hours = n * (f["technician_hours"] + hours_unit)
            one = n * (one_off_unit + extra_one) + hours * rate
            year = n * (per_year_unit + extra_year)
            opts[option] = [one, year, one + year * years, hours, float(max(f["lead_days"], lead))]

        if r.verdict == "ready":
            add("upgrade", 0.0, 0.0, 0.0, 0)
        if r.verdict == "firmware":
            add("firmware", 0.0, 0.0, 0.0, 0)
        price = device_unit_cost(an, r.kind)
        hw = an.client.catalog.device_price(r.kind) if r.kind in ("workstation", "laptop") else None
        add("replace", price if price is not None else float("nan"), 0.0, 0.0, (hw[2] * 7) if hw else 0)
        replaced_on = max(c.go_live, an.as_of + dt.timedelta(days=opts["replace"][4] if "replace" in opts else 0))
        esu = offers[c.id] if c.id in offers else offers.setdefault(c.id, _esu_offer(an, c))
        if r.verdict in ("not_ready", "unknown") and esu is not None:
            offer, eos = esu
            rate_fx = USD_RATE.get(cur) if offer.currency == "USD" else (1.0 if offer.currency == cur else None)
            bridge = (r.verdict == "not_ready" and r.device_use not in ("special_purpose", "offline")
                      and (replaced_on - an.as_of).days > BRIDGE_DAYS)
            if bridge:  # ESU until the replacement lands: the years that cover that day, cumulatively
                k, later = esu_years(eos, offer.until, replaced_on), 0.0
            else:  # instead of replacing now: ESU to its last year, then the replacement (when within the horizon)
                k = esu_years(eos, offer.until, offer.until)
                later = (price if price is not None else float("nan")) if pd.Period(offer.until, freq="M") <= end else 0.0
            unit = esu_cost(offer.prices, k) * rate_fx if rate_fx is not None else float("nan")
            add("esu", unit + later, 0.0, facts["replace"]["technician_hours"] if later and "replace" in facts else 0.0, 0)
        if r.verdict in ("not_ready", "unknown"):
            add("cloud_pc", 0.0, 0.0, 0.0, 0)
        if r.verdict == "not_ready" and r.device_use in ("special_purpose", "offline"):
            add("iot_ltsc", 0.0, 0.0, 0.0, 0)
        if r.verdict == "not_ready" and r.device_use == "offline":
            add("isolate", 0.0, 0.0, 0.0, 0)
        recommended, reason = _recommend(r, opts, replaced_on, an.as_of)
        for option in OPTIONS:
            if option in opts:
                one, year, total, hours, lead = opts[option]
                other = reason if reason in ("not_needed", "firmware_beats_hardware", "collect_first") else _OTHER.get(option, reason)
                rows.append((r.change_id, r.asset_id, option, n, one, year, total, hours, lead,
                             option in recommended, recommended.get(option, other)))
    return _typed(pd.DataFrame(rows, columns=cols), {"recommended": "bool", "quantity": "int64"})


def _recommend(r, opts: dict, replaced_on: dt.date, today: dt.date) -> tuple[dict[str, str], str]:
    """The recommended options of a group ({option: reason}) and the reason given on the others.

    The rule (docs/methodology.md "Device options"): ready → upgrade in place; firmware → the firmware setting
    (never a replacement for a setting); unknown → nothing until the inventory is completed; not ready → a device
    that works off the network is isolated, a special-purpose device (machine controller, medical device) moves
    to IoT Enterprise LTSC, every other one is replaced — with ESU as a bridge when the replacement lands more
    than BRIDGE_DAYS after the report date (Windows 10 is already out of support)."""
    if r.verdict == "ready":
        return {"upgrade": "meets_requirements"}, "not_needed"
    if r.verdict == "firmware":
        return {"firmware": "firmware_setting"}, "firmware_beats_hardware"
    if r.verdict == "unknown":
        return {}, "collect_first"
    if r.device_use == "offline" and "isolate" in opts:
        return {"isolate": "offline_device"}, "isolate_cheaper"
    if r.device_use == "special_purpose" and "iot_ltsc" in opts:
        return {"iot_ltsc": "special_purpose_ltsc"}, "ltsc_for_special_purpose"
    rec = {"replace": "replace_old" if r.age_years == r.age_years and r.age_years >= 5 else "replace_unsupported"}
    if "esu" in opts and (replaced_on - today).days > BRIDGE_DAYS:
        rec["esu"] = "esu_bridge"
    return rec, "replace_beats_esu"


# why an option that applies is not the recommended one, for a not-ready group
_OTHER = {"esu": "replace_beats_esu", "cloud_pc": "cloud_keeps_old_pc", "replace": "ltsc_or_isolation_kept",
          "iot_ltsc": "isolate_cheaper", "isolate": "needs_network"}


def plan_lines(an: Analysis) -> pd.DataFrame:
    """The money lines of the recommended options that the change's own lines do not already hold (money.lines
    adds them): the firmware settings, ESU, Cloud PCs, IoT LTSC licences and isolation work. Replacements are
    bought through costs.devices (an.devices), which buys only the groups whose recommended option is replace.
    Columns: money.LINE_COLUMNS."""
    o = an.device_options
    cols = ["change_id", "item", "kind", "amount", "start", "months", "indexation", "basis"]
    rec = o.loc[o["recommended"] & ~o["option"].isin(["upgrade", "replace"])] if len(o) else o
    rows = []
    changes = {c.id: c for c in an.changes}
    rate = float(an.assumptions.provider_hourly_rate)
    for r in frame_rows(rec, index=False):
        c = changes[r.change_id]
        start = pd.Timestamp(max(c.start or an.earliest, an.earliest))
        basis = f"device option {r.option} ({r.asset_id})"
        labour = r.technician_hours * rate
        if labour:
            rows.append((r.change_id, "intervention", "one_off", labour, start, np.nan, 0.0, basis))
        goods = r.one_off - labour
        if goods and goods == goods:
            when = pd.Timestamp(an.earliest) if r.option == "esu" else start
            rows.append((r.change_id, "licences", "one_off", goods, when, np.nan, 0.0, basis))
        if r.recurring_per_year:
            rows.append((r.change_id, "licences", "recurring", r.recurring_per_year / 12, pd.Timestamp(c.go_live),
                         np.nan, 0.0, basis))
    return pd.DataFrame(rows, columns=cols)
