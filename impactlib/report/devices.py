"""Windows 11 readiness per device group, the options for each group with their cost over the horizon, the chart of
those costs, and the worklist the provider's technicians work from (an XLSX beside the report).

Reads ``Analysis.readiness`` and ``Analysis.device_options`` only (no people); every client string is escaped.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from impactlib.analysis.assess import Analysis
from impactlib.analysis.readiness import OPTIONS, USD_RATE
from impactlib.analysis.shared import positions, series_sum, tally
from impactlib.report.charts import OKABE_ITO, SMALL_PIVOT, THEME
from impactlib.report import plain
from impactlib.report.html import Figure, Fragment, html_table
from impactlib.report.text import TEXTS, date, esc, money, number, t
from impactlib.model.frames import frame_rows

OPTION_COLOURS = dict(zip(OPTIONS, OKABE_ITO))
TOP_GROUPS = 20  # device groups the table and the chart name; beyond TOP_GROUPS + 1, the others are counted per verdict
VERDICTS = ("ready", "firmware", "not_ready", "unknown")


def shown_groups(r: pd.DataFrame, n: int | None = None) -> set[tuple[str, str]] | None:
    """The (change_id, asset_id) of the device groups a big client's report names: the ``n`` (default TOP_GROUPS) with
    the most devices (ties by group id); None when there are at most ``n + 1`` groups (all shown). docs/methodology.md
    "Big clients"."""
    n = TOP_GROUPS if n is None else n
    if len(r) <= n + 1:
        return None
    keys = [r[c].tolist() for c in ("quantity", "change_id", "asset_id")]
    if len(r) <= SMALL_PIVOT and r["quantity"].dtype == "int64" and not any(x != x for col in keys[1:] for x in col):
        # the same sort in plain Python (~1 ms less for a few tens of groups); ties of all three keys are one group
        ranked = sorted(zip(*keys), key=lambda g: (-g[0], g[1], g[2]))
        return {(change, asset) for _, change, asset in ranked[:n]}
    top = r.sort_values(["quantity", "change_id", "asset_id"], ascending=[False, True, True], kind="stable").head(n)
    return set(zip(top["change_id"], top["asset_id"]))


def _names(assets: pd.DataFrame) -> dict:
    """Asset names by id (an id's first row), as a dict: ``drop_duplicates`` and ``set_index`` cost ~1 ms a section."""
    names: dict = {}
    for asset, name in zip(assets["asset_id"].tolist(), assets["name"].tolist()):
        names.setdefault(asset, name)
    return names


def _reason(row, lang: str, ages: dict, go_live: dt.date) -> str:
    """Why an option is recommended; ``ages``: the readiness' age_years by (change_id, asset_id)."""
    key = "reason." + row.reason
    if key not in TEXTS:
        return row.reason
    if row.reason == "replace_old":
        age = ages[(row.change_id, row.asset_id)]
        return t(key, lang, age=number(int(age), lang))
    if row.reason == "esu_bridge":
        return t(key, lang, date=date(go_live, lang))
    return t(key, lang)


def _text(v) -> str:
    return v if isinstance(v, str) else ""


def _fix(fix: str, lang: str) -> str:
    return t("fix." + fix, lang) if fix and ("fix." + fix) in TEXTS else fix


def devices_section(an: Analysis, lang: str) -> Fragment:
    """The readiness verdict of each device group and its recommended action with its cost over the horizon."""
    r, o = an.readiness, an.device_options
    title = f'<h3>{esc(t("dev.title", lang))}</h3>'
    if r.empty:
        return Fragment(f'<section class="devices">{title}<p>{esc(t("dev.none", lang))}</p></section>')
    cur = an.client.profile.currency
    # devices per verdict, whole numbers summed in plain Python (a groupby's sum: ~0.5 ms)
    per = (tally(r["verdict"].tolist(), r["quantity"].tolist()) if r["quantity"].dtype == "int64"
           else r.groupby("verdict")["quantity"].sum())
    intro = t("dev.intro", lang, devices=number(int(r["quantity"].sum()), lang), groups=number(len(r), lang),
              **{v: number(int(per.get(v, 0)), lang) for v in ("ready", "firmware", "not_ready", "unknown")})
    names = _names(an.client.assets)
    go_lives = {c.id: c.go_live for c in an.changes}
    rows = []
    # (a device group is one row per change: its age by its key, not by a MultiIndex made for it, ~1.5 ms)
    ages = dict(zip(zip(r["change_id"].tolist(), r["asset_id"].tolist()), r["age_years"].tolist()))
    # each group's options, in their order, in one pass (a big client has hundreds of device groups, and
    # itertuples of the wide options frame per group was slow)
    options: dict[tuple, list] = {}
    for x in frame_rows(o):
        options.setdefault((x.change_id, x.asset_id), []).append(x)
    shown = shown_groups(r)
    grouped: dict[str, list] = {}  # per verdict: groups, devices, cost of the recommended options, {option: groups}
    for g in frame_rows(r):
        mine = options.get((g.change_id, g.asset_id), [])
        rec = [x for x in mine if x.recommended]
        if shown is not None and (g.change_id, g.asset_id) not in shown:
            o_ = grouped.setdefault(g.verdict, [0, 0, 0.0, {}])
            o_[0] += 1
            o_[1] += int(g.quantity)
            o_[2] += float(np.nansum([x.horizon_cost for x in rec], dtype="float64")) if len(rec) else 0.0
            for x in rec or [None]:
                key = x.option if x is not None else "collect"
                o_[3][key] = o_[3].get(key, 0) + 1
            continue
        why = ", ".join(t("check." + c, lang) if ("check." + c) in TEXTS else c for c in g.failed)
        if g.verdict == "firmware":
            why = _fix(g.firmware_fix, lang)
        elif g.verdict == "unknown":
            why = t("col.collect", lang) + (" : " if lang == "fr" else ": ") + _collect(g.collect, lang)
        action = t("list.sep", lang).join(f"{t('option.' + x.option, lang)} — {_reason(x, lang, ages, go_lives.get(x.change_id, an.as_of))}" for x in rec) \
            or t("option.collect", lang)
        others = ", ".join(f"{t('option.' + x.option, lang)} {money(x.horizon_cost, cur, lang)}"
                           for x in mine if not x.recommended)
        rows.append([esc(names.get(g.asset_id, g.asset_id)), esc(g.model or "—"), esc(number(g.quantity, lang)),
                     esc(t("dev.verdict." + g.verdict, lang)), esc(why or "—"), esc(action),
                     esc(money(float(np.nansum([x.horizon_cost for x in rec], dtype="float64")), cur, lang) if len(rec) else "—"), esc(others or "—")])
    for verdict in [v for v in VERDICTS if v in grouped] + sorted(set(grouped) - set(VERDICTS)):
        n, devices, cost, picked = grouped[verdict]
        action = ", ".join(f"{t('option.' + k, lang)} × {number(c, lang)}" for k, c in sorted(picked.items(), key=lambda kv: (-kv[1], kv[0])))
        rows.append([esc(t("dev.others", lang, n=number(n, lang))), "—", esc(number(devices, lang)), esc(t("dev.verdict." + verdict, lang)),
                     "—", esc(action), esc(money(cost, cur, lang)), "—"])
    table = html_table([t("col.group", lang), t("col.model", lang), t("col.devices", lang), t("dev.col.verdict", lang), t("dev.col.why", lang),
                        t("dev.col.action", lang), t("col.option_cost", lang), t("col.alternatives", lang)], rows, "devices")
    note = t("dev.note", lang, rate=f"1 USD = {number(USD_RATE.get(cur, 1.0), lang, 2)} {cur}")
    if shown is not None:
        note += " " + t("dev.big_note", lang, n=number(len(shown), lang), total=number(len(r), lang), file=f"{an.scenario}.{lang}.devices.xlsx")
    return Fragment(f'<section class="devices">{title}<p>{esc(intro)}</p>{table}<p class="note">{esc(note)}</p></section>')


def options_chart(an: Analysis, lang: str) -> Figure | Fragment:
    """Grouped bars: the cost over the horizon of each option of each device group, the recommended ones outlined."""
    o = an.device_options
    cur = an.client.profile.currency
    if o.empty:
        return Fragment("")
    names = _names(an.client.assets)
    shown = shown_groups(an.readiness)
    full = o
    if shown is not None:  # a big client: the groups the devices table names (the reading still counts every group)
        o = o.loc[[k in shown for k in zip(o["change_id"], o["asset_id"])]]
    fig = plain.figure(layout=dict(template=THEME, title=t("chart.devopt.title", lang, currency=cur), barmode="group", height=440,
                                yaxis=dict(title=cur, rangemode="tozero")))
    # each option's bars from the frame's columns, read once (a filter of the whole frame per option cost ~0.6 ms each)
    group = np.array([str(names.get(a, a)) for a in o["asset_id"]], dtype=object)
    cost = o["horizon_cost"].fillna(0.0).to_numpy()
    recommended = o["recommended"].tolist()
    rows_of = positions(o["option"].tolist())
    for option in OPTIONS:
        rows = rows_of.get(option)
        if not rows:
            continue
        picked = [recommended[i] for i in rows]
        fig.add_bar(x=group[rows], y=cost[rows], name=t("option." + option, lang),
                    marker=dict(color=OPTION_COLOURS[option], line=dict(color=["#000" if x else "rgba(0,0,0,0)" for x in picked],
                                                                        width=[3 if x else 0 for x in picked])),
                    customdata=[t("chart.devopt.recommended", lang) if x else "" for x in picked],
                    hovertemplate="%{x}: %{y:,.0f} " + cur + " %{customdata}<extra>" + t("option." + option, lang) + "</extra>")
    ready = an.readiness
    recommended, replace_all = _reading_sums(full, ready)
    reading = t("chart.devopt.read", lang, recommended=money(recommended, cur, lang), replace_all=money(replace_all, cur, lang))
    if shown is not None:
        reading += " " + t("dev.chart_note", lang, n=number(len(shown), lang), total=number(len(ready), lang))
    return Figure(fig, reading)


def _reading_sums(options: pd.DataFrame, ready: pd.DataFrame) -> tuple[float, float]:
    """The options chart's reading: the cost over the horizon of the recommended options, and of replacing every
    device group that is not ready. Summed in plain Python as the filtered columns' Series.sum() (shared.series_sum,
    to the bit) when the ids are text without NA and the flags booleans: three filters of the frames cost ~1 ms
    (tests/test_fast_sections.py compares both)."""
    cost, asset = options["horizon_cost"], options["asset_id"]
    if (cost.dtype == "float64" and options["recommended"].dtype == "bool" and asset.dtype == "str" and ready["asset_id"].dtype == "str"
            and not asset.isna().any() and not ready["asset_id"].isna().any()):
        bad = {a for a, v in zip(ready["asset_id"].tolist(), ready["verdict"].tolist()) if v == "not_ready"}
        rows = list(zip(options["option"].tolist(), asset.tolist(), options["recommended"].tolist(), cost.tolist()))
        return (series_sum([c for _, _, picked, c in rows if picked]),
                series_sum([c for option, a, _, c in rows if option == "replace" and a in bad]))
    bad = set(ready.loc[ready["verdict"] == "not_ready", "asset_id"])
    return (options.loc[options["recommended"], "horizon_cost"].sum(),
            options.loc[(options["option"] == "replace") & options["asset_id"].isin(bad), "horizon_cost"].sum())


def worklist_frames(an: Analysis, lang: str) -> dict[str, pd.DataFrame]:
    """The technicians' worklist: one row per device group with its verdict, failed checks, firmware setting, what
    to collect and the action (the recommended options). Client strings are neutralised when written
    (io.files.write_table)."""
    r, o = an.readiness, an.device_options
    names = _names(an.client.assets)
    hosts = an.client.assets.drop_duplicates("asset_id").set_index("asset_id")
    rows = []
    for g in frame_rows(r):
        rec = o.loc[(o["change_id"] == g.change_id) & (o["asset_id"] == g.asset_id) & o["recommended"]]
        rows.append({
            t("col.ref", lang): g.asset_id, t("col.group", lang): names.get(g.asset_id, g.asset_id),
            t("col.model", lang): g.model, t("col.cpu", lang): _text(hosts["cpu_model"].get(g.asset_id)),
            t("col.devices", lang): g.quantity, t("dev.col.verdict", lang): t("dev.verdict." + g.verdict, lang),
            t("col.checks_failed", lang): ", ".join(t("check." + c, lang) if ("check." + c) in TEXTS else c for c in g.failed), t("col.firmware_fix", lang): _fix(g.firmware_fix, lang),
            t("col.collect", lang): _collect(g.collect, lang),
            t("dev.col.action", lang): t("list.sep", lang).join(t("option." + x.option, lang) for x in frame_rows(rec)) or t("option.collect", lang),
            t("col.tech_hours", lang): float(rec["technician_hours"].sum()), t("col.lead", lang): float(rec["lead_days"].max()) if len(rec) else 0.0,
            # what the devices table shows per group (a big client's report names only the largest groups)
            t("col.option_cost", lang): float(np.nansum(rec["horizon_cost"].to_numpy(dtype="float64"))),
        })
    return {t("ws.devices", lang): pd.DataFrame(rows)}


def _collect(collect: str, lang: str) -> str:
    """What to collect to verify a device group (check ids, comma-separated), named in ``lang``."""
    ids = [c.strip() for c in str(collect or "").split(",") if c.strip()]
    return ", ".join(t("check." + c, lang) if ("check." + c) in TEXTS else c for c in ids)
