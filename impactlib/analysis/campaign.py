"""The Windows 10 end-of-life campaign: one client's part of it (recorded with its report) and the
provider's plan across every client (scheduled against the provider's technician capacity).

Two halves, both pure:

- :func:`client_record` reads one Analysis and returns the JSON-ready campaign record the report template
  writes into its headline record (so the batch's status files carry it): the client's Windows 10 device
  groups with their verdict and recommended option, the PCs to buy with the month they must be ordered by,
  the technician hours with their month, the ESU spend per ESU year. Asset ids and model names only:
  no person ever reaches it.
- :func:`plan` reads those records (one per client) and the provider's settings and returns the
  :class:`Campaign`: totals, clients by urgency, the schedule that fits the capacity and the clients that
  cannot be done before the provider's date.

The schedule rule (docs/methodology.md, "The Windows 10 campaign"):

1. Urgency: clients by the date their own plan moves their Windows 10 devices (``due``, earliest first),
   then the most devices not ready or not verified, then the most devices, then the client id.
2. The months: every working month of the provider from the ``start`` month to the ``deadline`` month,
   each with ``technician_hours_per_month``; none before the month the campaign is planned in (``as_of``).
3. In urgency order, a client whose hours fit in one month moves in the earliest month with enough hours
   left. A client needing more than a whole month fills the months in turn from the earliest month with
   hours left until its hours are placed. A client that cannot be placed by the deadline's month books
   nothing and is listed as "cannot be done before the deadline" (the next clients may still fit).
4. The PCs of a client are ordered by its first month minus the delivery time (the month of the 1st of its
   first month minus ``lead_days``). When that month is already past on the day the campaign is planned
   (``as_of``), they are ordered at once and arrive ``lead_days`` after it: the client may start with its
   other work (in-place upgrades), but its last month is not before the month they arrive in (rule 3 places
   it from the earliest month where that holds).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from impactlib.analysis import compat, costs, shared
from impactlib.model.analysis import Analysis
from impactlib.model.frames import frame_rows

WINDOWS_10 = "windows-10"
WINDOWS_11 = "windows-11"
PC_KINDS = ("workstation", "laptop")
VERDICTS = ("ready", "firmware", "not_ready", "unknown")
OPTIONS = ("upgrade", "firmware", "replace", "esu", "cloud_pc", "iot_ltsc", "isolate")
SHOWN_OPTIONS = (*OPTIONS, "verify")  # verify: no option until the inventory says more (verdict unknown)
BUYS = ("replace",)  # options that buy a PC
NO_ESU = ("cloud_pc",)  # ESU comes with a Windows 365 Cloud PC connection (catalog windows-10 22H2 esu.source)
GROUP_COLUMNS = ["change_id", "asset_id", "model", "quantity", "verdict", "option", "failed", "technician_hours",
                 "one_off", "lead_days", "start", "go_live", "on_windows_10"]


# --- one client: the record ------------------------------------------------------------------------

def device_groups(an: Analysis) -> pd.DataFrame:
    """THE adapter between the per-device readiness and the campaign: one row per asset row (a group of
    ``quantity`` identical PCs) a Windows 11 change of the scenario touches.

    Columns GROUP_COLUMNS: verdict in VERDICTS, option (the recommended one) in OPTIONS, failed (check ids,
    comma-separated), technician_hours (for the whole group), one_off (what the option buys, client
    currency; NaN unknown), lead_days (delivery), start and go_live (the change's), on_windows_10.

    With ``Analysis.readiness`` and ``Analysis.device_options`` those are read; otherwise
    the verdict comes from the Windows 11 requirement checks of the client's own plan (pass: ready, fail:
    not_ready, unknown: unknown), the option is the plan's (a ``replace`` change, or a failing device:
    replace; else upgrade), the hours are the change's intervention hours shared by device, the price is
    the one the cost lines use.
    """
    rows = []
    a = an.client.assets
    assets: dict = {}  # asset id -> (model, OS), the first row of each (plain Python: hundreds of device groups)
    for asset_id, model, os_id in zip(a["asset_id"], a["model"], a["os_product_id"]):
        assets.setdefault(asset_id, (model, os_id))
    rich = _has_readiness(an)
    for c in an.changes:
        if c.product_id != WINDOWS_11:
            continue
        t = an.touched[c.id]
        t = t.loc[t["kind"].isin(PC_KINDS)]
        if t.empty:
            continue
        start = c.start or an.earliest
        for asset_id, qty in zip(t["asset_id"], t["quantity"].fillna(1).astype(int)):
            model, os_id = assets[asset_id]
            rows.append({"change_id": c.id, "asset_id": asset_id, "model": _text(model), "quantity": int(qty),
                         "start": min(start, c.go_live), "go_live": c.go_live,
                         "on_windows_10": _text(os_id) == WINDOWS_10})
    if not rows:
        return pd.DataFrame({k: pd.Series(dtype="object") for k in GROUP_COLUMNS})
    groups = pd.DataFrame(rows)
    judged = _from_readiness(an, groups) if rich else _from_checks(an, groups)
    return groups.merge(judged, on=["change_id", "asset_id"], how="left")[GROUP_COLUMNS]


def _has_readiness(an: Analysis) -> bool:
    cls = type(an)
    return hasattr(cls, "readiness") and hasattr(cls, "device_options")


def _from_readiness(an: Analysis, groups: pd.DataFrame) -> pd.DataFrame:
    """verdict, option, failed, hours, one_off and lead_days from Analysis.readiness / device_options: the
    option is the first recommended one (a replacement with an ESU bridge reads ``replace``; a group with
    none, a device to verify first, reads ``verify``); hours are the change's intervention hours shared by
    PC plus every recommended option's own hours; one_off is the price of the PCs to buy (replace)."""
    # a big client has hundreds of device groups: readiness and options read into dicts once, in plain Python
    r: dict = {}  # (change, asset) -> (verdict, failed), the first row of each
    for key, verdict, failed in zip(zip(an.readiness["change_id"], an.readiness["asset_id"]), an.readiness["verdict"],
                                    an.readiness["failed"]):
        r.setdefault(key, (verdict, failed))
    o = an.device_options
    rec = o.loc[o["recommended"].astype(bool)]
    share = _intervention_share(an, groups)
    kinds = an.client.assets.drop_duplicates("asset_id").set_index("asset_id")["kind"]
    by_group: dict = {}  # (change, asset) -> [(option, technician hours, lead days)] in their order
    for key, option, hours, lead in zip(zip(rec["change_id"], rec["asset_id"]), rec["option"], rec["technician_hours"], rec["lead_days"]):
        by_group.setdefault(key, []).append((option, hours, lead))
    out = []
    for (change_id, asset_id, qty), base in zip(frame_rows(groups[["change_id", "asset_id", "quantity"]], index=False), share):
        key = (change_id, asset_id)
        verdict, failed = r.get(key, ("unknown", ()))
        verdict = str(verdict)
        failed = ", ".join(failed) if isinstance(failed, (tuple, list)) else _text(failed)
        mine = by_group.get(key, [])
        chosen = [x for x in OPTIONS if x in {m[0] for m in mine}]
        option = chosen[0] if chosen else "verify"
        hours = base + shared.series_sum([m[1] for m in mine])  # Series.sum's float, to the bit
        leads = [float(m[2]) for m in mine if m[2] == m[2]]
        lead = (max(leads) if leads else math.nan) if mine else 0.0  # Series.max: NaN skipped, NaN when all are
        one_off = 0.0
        if "replace" in chosen:
            unit = costs.device_unit_cost(an, kinds.get(asset_id))
            one_off = qty * unit if unit is not None else math.nan
        out.append((change_id, asset_id, verdict, option, failed, hours, one_off, lead))
    return pd.DataFrame(out, columns=["change_id", "asset_id", "verdict", "option", "failed", "technician_hours", "one_off", "lead_days"])


def _intervention_share(an: Analysis, groups: pd.DataFrame) -> list[float]:
    """Each group's share (by PCs) of its change's intervention hours (the hours the report's costs count)."""
    hours = costs.effort_hours(an)
    total = groups.groupby("change_id")["quantity"].transform("sum")
    return [float(hours.get(c, 0.0)) * q / t if t else 0.0 for c, q, t in zip(groups["change_id"], groups["quantity"], total)]


def _from_checks(an: Analysis, groups: pd.DataFrame) -> pd.DataFrame:
    """The same columns from what main computes: Windows 11's requirement checks, the plan's actions, the
    change's intervention hours and the cost lines' device price."""
    product = an.client.catalog.products[WINDOWS_11]
    ids = groups["asset_id"].unique()
    hosts = an.client.assets.loc[an.client.assets["asset_id"].isin(ids)].drop_duplicates("asset_id")
    checks = compat.requirement_checks(hosts, product.requirements) if product.requirements else None
    verdict, failed = {}, {}
    if checks is not None and not checks.empty:
        v = compat.host_verdicts(checks.assign(change_id="", product_id=WINDOWS_11))
        verdict = dict(zip(v["asset_id"], v["verdict"].map({"pass": "ready", "fail": "not_ready", "unknown": "unknown"})))
        failed = dict(zip(v["asset_id"], v["failed"]))
    actions = {c.id: c.action for c in an.changes}
    kinds = an.client.assets.drop_duplicates("asset_id").set_index("asset_id")["kind"]
    share = _intervention_share(an, groups)
    out = []
    for change_id, asset_id, qty, h in zip(groups["change_id"], groups["asset_id"], groups["quantity"], share):
        v = verdict.get(asset_id, "unknown")
        option = "replace" if actions[change_id] == "replace" or v == "not_ready" else "upgrade"
        one_off, lead = 0.0, 0.0
        if option == "replace":
            kind = kinds.get(asset_id)
            unit = costs.device_unit_cost(an, kind)
            price = an.client.catalog.device_price(costs.DEVICE_CLASS[kind]) if kind in costs.DEVICE_CLASS else None
            one_off = qty * unit if unit is not None else math.nan
            lead = price[2] * 7 if price else 0.0
        out.append((change_id, asset_id, v, option, failed.get(asset_id, ""), h, one_off, lead))
    return pd.DataFrame(out, columns=["change_id", "asset_id", "verdict", "option", "failed", "technician_hours", "one_off", "lead_days"])


def _text(v) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA else str(v)


def esu_years(esu, end_of_support: dt.date) -> list[tuple[int, dt.date, dt.date, float]]:
    """The ESU years of a version: (year number, first day, last day, price of that year), cumulative prices
    apart; year k starts 12(k-1) months after the end of support, the last one ends on ``esu.until``."""
    out = []
    for k, price in enumerate(esu.prices, start=1):
        first = _add_months(end_of_support, 12 * (k - 1))
        last = min(_add_months(end_of_support, 12 * k) - dt.timedelta(days=1), esu.until)
        out.append((k, first, last, float(price)))
    return out


def esu_bridge(years: list[tuple[int, dt.date, dt.date, float]], as_of: dt.date, until: dt.date, units: int) -> dict[int, float]:
    """What keeps ``units`` Windows 10 devices patched from ``as_of`` until they move on ``until``: joining in
    the ESU year of ``as_of`` pays that year and every earlier one (cumulative); each later year the devices
    are still on Windows 10 on its first day is paid at its price. By ESU year number; nothing after the last."""
    spend: dict[int, float] = {}
    if until <= as_of:  # moved by the report date: no bridge
        return spend
    for k, first, last, price in years:
        if last < as_of or first >= until:
            continue
        joining = first <= as_of <= last
        per_unit = sum(p for _, _, _, p in years[:k]) if joining else price
        spend[k] = spend.get(k, 0.0) + per_unit * units
    return spend


def client_record(an: Analysis) -> dict:
    """The client's part of the campaign as JSON-ready values (see the module docstring); empty groups when
    no Windows 11 change of the scenario touches a PC."""
    g = device_groups(an)
    currency = an.client.profile.currency
    rec: dict = {"currency": currency, "groups": [], "purchases": [], "technician_hours": {}, "esu": [], "esu_currency": None,
                 "due": None, "start": None}
    if g.empty:
        return rec
    rec["due"] = max(g["go_live"]).isoformat()
    rec["start"] = min(g["start"]).isoformat()
    for r in frame_rows(g, index=False):
        rec["groups"].append({"asset_id": r.asset_id, "model": r.model, "quantity": int(r.quantity), "verdict": r.verdict,
                              "option": r.option, "failed": r.failed, "technician_hours": round(float(r.technician_hours), 2),
                              "one_off": None if pd.isna(r.one_off) else round(float(r.one_off), 2),
                              "lead_days": int(r.lead_days), "start": r.start.isoformat(), "go_live": r.go_live.isoformat()})
    hours: dict[str, float] = {}
    for r in frame_rows(g, index=False):
        months = _months(r.start, r.go_live)
        for m in months:
            hours[m] = hours.get(m, 0.0) + float(r.technician_hours) / len(months)
    rec["technician_hours"] = {m: round(h, 2) for m, h in sorted(hours.items())}
    buys = g.loc[g["option"].isin(BUYS)]
    by_month: dict[str, list] = {}
    for r in frame_rows(buys, index=False):
        month = _month(r.start - dt.timedelta(days=int(r.lead_days)))
        units, amount = by_month.get(month, [0, 0.0])
        by_month[month] = [units + int(r.quantity), amount + (0.0 if pd.isna(r.one_off) else float(r.one_off))]
    rec["purchases"] = [{"month": m, "units": u, "amount": round(a, 2)} for m, (u, a) in sorted(by_month.items())]
    version = an.client.catalog.products.get(WINDOWS_10)
    v = version.version("22H2") if version is not None else None
    if v is not None and v.esu is not None and v.esu.prices and v.end_of_support is not None:
        years = esu_years(v.esu, v.end_of_support)
        spend: dict[int, float] = {}
        for r in frame_rows(g.loc[g["on_windows_10"] & ~g["option"].isin(NO_ESU)], index=False):
            until = v.esu.until if r.option == "esu" else r.go_live
            for k, amount in esu_bridge(years, an.as_of, until, int(r.quantity)).items():
                spend[k] = spend.get(k, 0.0) + amount
        rec["esu"] = [{"year": k, "start": first.isoformat(), "end": last.isoformat(), "amount": round(spend.get(k, 0.0), 2)}
                      for k, first, last, _ in years if k in spend]
        rec["esu_currency"] = v.esu.currency
    return rec


def _add_months(day: dt.date, n: int) -> dt.date:
    y, m = divmod(day.month - 1 + n, 12)
    return day.replace(year=day.year + y, month=m + 1)


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months(first: dt.date, last: dt.date) -> list[str]:
    out, d = [], first.replace(day=1)
    while d <= last:
        out.append(_month(d))
        d = _add_months(d, 1)
    return out or [_month(last)]


# --- every client: the plan ------------------------------------------------------------------------

@dataclass(frozen=True)
class ClientPlan:
    """One client in the campaign: its urgency rank, needs and the months the schedule gives it (empty: not
    placed before the deadline)."""

    client: str
    title: str
    rank: int
    due: dt.date
    devices: int
    at_risk: int  # devices not ready or not verified
    hours: float
    units: int  # PCs to buy
    amount: float  # their price (client currency)
    currency: str
    lead_days: int
    months: tuple[str, ...]
    order_by: str | None  # month the PCs must be ordered in (None: nothing to buy or not placed)
    late: bool  # placed after the month its own plan asks
    buys: tuple[tuple[str, str, int, float | None], ...] = ()  # (asset_id, model, PCs, their price) of the PCs to buy
    at_once: dt.date | None = None  # its order month was past when planned: ordered at once, delivered on this day


@dataclass(frozen=True)
class Campaign:
    """The campaign across clients: what the page and the purchasing workbook show."""

    provider: str
    start: dt.date
    deadline: dt.date
    capacity: float
    months: tuple[str, ...]  # the working months of the plan, in order
    clients: tuple[ClientPlan, ...]  # by urgency
    booked: dict  # month -> scheduled technician hours
    asked: dict  # month -> technician hours the clients' own plans ask
    purchases: dict  # month -> (units, {currency: amount}) as scheduled
    by_verdict: dict  # verdict -> devices
    by_option: dict  # option -> devices
    esu: dict  # ESU year -> (start, end, amount)
    esu_currency: str | None
    missing: tuple[str, ...]  # clients whose status has no campaign record (reports made before it existed)

    @property
    def undone(self) -> tuple[ClientPlan, ...]:
        return tuple(c for c in self.clients if not c.months)


def working_months(start: dt.date, deadline: dt.date, working: tuple[int, ...]) -> list[str]:
    """The months from ``start``'s to ``deadline``'s (inclusive) whose month number is in ``working``."""
    return [m for m in _months(start, deadline) if int(m[5:]) in working]


def urgency_key(rec: dict, client: str) -> tuple:
    groups = rec["groups"]
    at_risk = sum(g["quantity"] for g in groups if g["verdict"] in ("not_ready", "unknown"))
    return (rec["due"], -at_risk, -sum(g["quantity"] for g in groups), client)


def schedule(needs: list[tuple[str, float]], months: list[str], capacity: float,
             delivered: dict[str, str] | None = None) -> dict[str, tuple[tuple[str, float], ...]]:
    """Clients (in urgency order, with their technician hours) to months, by the module's rule (3.): for each
    client, its (month, hours) in order; a client that does not fit by the last month gets none. ``delivered``: the
    month a client's PCs arrive in when ordered at once (rule 4), which its last month may not precede (its
    replacements are done once they are there); none for the others."""
    left = {m: capacity for m in months}
    placed: dict[str, tuple[tuple[str, float], ...]] = {}
    for client, hours in needs:
        arrive = (delivered or {}).get(client, "")
        used = next((u for i in range(len(months)) if (u := _fill(hours, months[i:], left, capacity)) and u[-1][0] >= arrive), ())
        for m, take in used:
            left[m] -= take
        placed[client] = used
    return placed


def _fill(hours: float, months: list[str], left: dict[str, float], capacity: float) -> tuple[tuple[str, float], ...]:
    """Rule 3 from the first of ``months``: the earliest month with room for all ``hours`` when they fit in one,
    else the months in turn until they are placed; () when they cannot be (``left`` is not changed)."""
    eps = 1e-9
    if hours <= capacity + eps:
        month = next((m for m in months if left[m] + eps >= hours), None)
        return ((month, hours),) if month is not None else ()
    need, used = hours, []
    for m in months:
        if need <= eps:
            break
        if left[m] <= eps:
            continue
        take = min(left[m], need)
        need -= take
        used.append((m, take))
    return tuple(used) if need <= eps else ()


def _buys(groups: list[dict]) -> tuple[list[dict], int, int]:
    """A client's device groups to buy, their PCs and the longest delivery time among them (days)."""
    buys = [g for g in groups if g["option"] in BUYS]
    return buys, sum(g["quantity"] for g in buys), max((g["lead_days"] for g in buys), default=0)


def plan(statuses: list[dict], provider, as_of: dt.date | None = None) -> Campaign:
    """The campaign of the clients' default-scenario statuses (one per client, as the portfolio page picks
    them) against ``provider`` (impactlib.model.provider.Provider), planned on ``as_of`` (no order is placed in a
    month before it; None: orders are not bounded, as for a plan made well ahead)."""
    recs, missing = [], []
    for st in statuses:
        rec = (st.get("headline") or {}).get("campaign") if st.get("status") == "ok" else None
        if rec is None:
            missing.append(st["client"])
        elif rec.get("groups"):
            recs.append((st["client"], st.get("title") or st["client"], rec))
    recs.sort(key=lambda x: urgency_key(x[2], x[0]))
    months = working_months(provider.start, provider.deadline, provider.working_months)
    if as_of is not None:  # a month already past when the campaign is planned takes no work
        months = [m for m in months if m >= _month(as_of)]
    need = [(c, sum(g["technician_hours"] for g in rec["groups"])) for c, _, rec in recs]
    buying = {c: _buys(rec["groups"]) for c, _, rec in recs}  # client -> (its groups to buy, PCs, delivery days)
    # rule 4: PCs ordered on as_of arrive lead_days later; a client's last month is not before that
    delivered = {c: _month(as_of + dt.timedelta(days=lead)) for c, (_, units, lead) in buying.items() if units} if as_of else {}
    placed = schedule(need, months, provider.technician_hours_per_month, delivered)
    clients, booked, asked, purchases = [], {m: 0.0 for m in months}, {}, {}
    by_verdict, by_option, esu, esu_currency = dict.fromkeys(VERDICTS, 0), dict.fromkeys(SHOWN_OPTIONS, 0), {}, None
    hours_of = dict(need)
    for rank, (client, title, rec) in enumerate(recs, start=1):
        groups = rec["groups"]
        got = tuple(m for m, _ in placed[client])
        buys, units, lead = buying[client]
        amount = sum(g["one_off"] or 0.0 for g in buys)
        order_by = _month(dt.date.fromisoformat(got[0] + "-01") - dt.timedelta(days=lead)) if got and units else None
        at_once = None  # the order month is past: ordered at once, delivered on this day
        if order_by is not None and as_of is not None and order_by < _month(as_of):
            order_by, at_once = _month(as_of), as_of + dt.timedelta(days=lead)
        due = dt.date.fromisoformat(rec["due"])
        clients.append(ClientPlan(client, title, rank, due, sum(g["quantity"] for g in groups),
                                  sum(g["quantity"] for g in groups if g["verdict"] in ("not_ready", "unknown")),
                                  hours_of[client], units, amount, rec["currency"], lead, got, order_by,
                                  bool(got) and got[-1] > _month(due),
                                  tuple((g["asset_id"], g["model"], g["quantity"], g["one_off"]) for g in buys), at_once))
        for m, h in placed[client]:
            booked[m] += h
        for m, h in rec["technician_hours"].items():
            asked[m] = asked.get(m, 0.0) + h
        if order_by:
            u, amounts = purchases.get(order_by, (0, {}))
            purchases[order_by] = (u + units, {**amounts, rec["currency"]: amounts.get(rec["currency"], 0.0) + amount})
        for g in groups:
            by_verdict[g["verdict"]] = by_verdict.get(g["verdict"], 0) + g["quantity"]
            by_option[g["option"]] = by_option.get(g["option"], 0) + g["quantity"]
        for y in rec.get("esu") or []:
            _, _, total = esu.get(y["year"], (y["start"], y["end"], 0.0))
            esu[y["year"]] = (y["start"], y["end"], total + y["amount"])
        esu_currency = esu_currency or rec.get("esu_currency")
    return Campaign(provider.name, provider.start, provider.deadline, provider.technician_hours_per_month, tuple(months),
                    tuple(clients), booked, dict(sorted(asked.items())), dict(sorted(purchases.items())), by_verdict,
                    by_option, dict(sorted(esu.items())), esu_currency, tuple(sorted(missing)))
