"""The cost over the horizon in the report: the total cost of ownership against the status quo, savings, the
break-even month, the current run costs and what the changes end (docs/methodology.md, "Money over time").

Every amount is one of the Analysis's named figures (``an.figures``) or a line they are summed from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impactlib.analysis.assess import Analysis
from impactlib.analysis.shared import SMALL_ROWS, exact_sums, frame, series_sum, tally
from impactlib.report import charts, departments
from impactlib.report.html import Figure, Fragment, html_table
from impactlib.report.text import date, esc, money, month, number, t
from impactlib.model.frames import frame_rows


def horizon_section(an: Analysis, lang: str) -> Fragment:
    """What the scenario costs over the horizon, against the status quo, per year once live, and the run costs
    today with the changes that end them."""
    f = an.figures
    cur = f.currency
    end = (pd.Period(f.start, freq="M") + f.horizon_months - 1).to_timestamp(how="end").date()  # the last day of the horizon
    saving = (t("money.saving", lang, amount=money(f.saving, cur, lang)) if f.saving >= 0
              else t("money.extra", lang, amount=money(-f.saving, cur, lang)))
    paid = (t("money.break_even", lang, month=month(f.break_even, lang)) if f.break_even is not None
            else t("money.no_break_even", lang) if f.saving < 0 else "")
    intro = t("money.intro", lang, months=number(f.horizon_months, lang), start=date(f.start, lang), end=date(end, lang),
              total=money(f.total, cur, lang), p10=money(f.total_p10, cur, lang), p90=money(f.total_p90, cur, lang),
              status_quo=money(f.status_quo, cur, lang), saving=saving, paid=paid,
              spend=money(f.spend, cur, lang), loss=money(f.productivity, cur, lang), staffing=money(f.staffing, cur, lang))
    per_year = t("money.per_year", lang, before=money(f.run_before, cur, lang), after=money(f.run_after, cur, lang),
                 budget=t("money.run_budget", lang, budget=money(f.run_budget, cur, lang)) if f.run_budget is not None else "")
    rc = an.run_costs
    titles = {c.id: c.title for c in an.changes}
    rows = [[esc(r.description), esc(t(f"run.{r.item}", lang)), esc(money(r.monthly * 12, cur, lang)),
             esc(f"{r.retired_by} {titles.get(r.retired_by, '')} — {date(r.retired_on.date(), lang)}") if isinstance(r.retired_by, str)
             else esc(t("run.kept", lang))]
            for r in frame_rows(rc)]
    table = (html_table([t("col.run_cost", lang), t("col.kind", lang), t("col.per_year", lang), t("col.ended_by", lang)], rows, "run-costs")
             if rows else f'<p class="note">{esc(t("run.none", lang))}</p>')
    return Fragment(f'<section class="horizon"><h3>{esc(t("money.title", lang, months=number(f.horizon_months, lang)))}</h3>'
                    f'<p>{esc(intro)}</p><p>{esc(per_year)}</p><h4>{esc(t("run.title", lang))}</h4>{table}'
                    f'<p class="note">{esc(t("money.note", lang))}</p></section>')


def cumulative_chart(an: Analysis, lang: str) -> Figure:
    """The scenario's cumulative cost month by month against the status quo, with its break-even month."""
    f = an.figures
    flows = an.cash_flows.groupby("month")[["scenario", "status_quo"]].sum().cumsum()
    if f.break_even is not None:
        reading = t("chart.cumulative.read_even", lang, month=month(f.break_even, lang), saving=money(f.saving, f.currency, lang),
                    months=number(f.horizon_months, lang))
    elif f.saving < 0:
        reading = t("chart.cumulative.read_more", lang, extra=money(-f.saving, f.currency, lang), months=number(f.horizon_months, lang))
    else:
        reading = t("chart.cumulative.read_less", lang, saving=money(f.saving, f.currency, lang), months=number(f.horizon_months, lang))
    fig = charts.plot_cumulative({an.scenario: flows["scenario"]}, flows["status_quo"], f.break_even, lang, f.currency)
    return Figure(fig, reading)


def objectives_section(an: Analysis, lang: str) -> Fragment:
    """Each measurable objective of the spec against the scenario's result (met or not, with both values)."""
    checks = an.objective_checks
    if checks.empty:
        return Fragment(f'<section class="objectives"><h3>{esc(t("objectives_checked", lang))}</h3>'
                        f'<p class="note">{esc(t("objectives_none", lang))}</p></section>')
    cur = an.client.profile.currency
    rows = []
    for r in frame_rows(checks):
        def show(v):
            if v is None:
                return t("not_within_horizon", lang)
            if r.measure in ("project_cost", "run_cost_saving", "tco_saving"):
                return money(v, cur, lang)
            if r.measure == "go_live":
                return date(v, lang)
            return f"{number(v, lang, 0 if float(v).is_integer() else 1)} {r.unit or ''}".strip()
        rows.append([esc(r.objective_id), esc(t(f"measure.{r.measure}", lang)), esc(t(f"direction.{r.direction}", lang) + " " + show(r.target)),
                     esc(show(r.value)), f'<span class="status-{"accepted" if r.met else "rejected"}">{esc(t("met" if r.met else "missed", lang))}</span>'])
    return Fragment(f'<section class="objectives"><h3>{esc(t("objectives_checked", lang))}</h3>'
                    + html_table([t("col.id", lang), t("col.measure", lang), t("col.target", lang), t("col.value", lang), t("col.status", lang)], rows)
                    + "</section>")


def pooled_effort(e: pd.DataFrame, listed: pd.Series | dict, k: int) -> pd.DataFrame:
    """The client's effort per department (Analysis.effort) as the report shows it: ``listed`` staff per department
    (a Series or a dict by department id).

    A department listing fewer than k staff is shown with the other small ones ("*"): its hours would single
    people out. The pool must list k staff itself (one small department alone would be shown under another
    name): while it does not, the smallest department shown joins it. "*" (key users shared by small
    departments) lists nobody."""
    size = e["department_id"].map(listed).fillna(0).astype("int64")
    small = size < k
    real = e["department_id"] != "*"
    while (small & real).any() and size[small].sum() < k and not small.all():
        small.loc[size[~small].sort_values(kind="stable").index[0]] = True
    pooled = e["department_id"].where(~small.to_numpy(), "*")
    if len(e) <= SMALL_ROWS:
        fast = _pooled_small(e, pooled)
        if fast is not None:
            return fast
    return (e.assign(department_id=pooled).groupby("department_id", as_index=False, sort=False)
            .agg(training_hours=("training_hours", "sum"), key_user_hours=("key_user_hours", "sum"), need=("need", "sum"),
                 given=("given", lambda g: g.sum(min_count=1))))


def _pooled_small(e: pd.DataFrame, pooled: pd.Series) -> pd.DataFrame | None:
    """:func:`pooled_effort`'s groupby in plain Python (a named aggregation with a lambda: ~2 ms for a few departments):
    the given hours as their Series' sum with min_count=1 (shared.series_sum; NaN when none is given), the other
    hours summed plainly when every partial sum is exact (shared.exact_sums: halves and quarters of hours), as then
    any order of adding gives pandas' floats. None (the frame path) otherwise: pandas' groupby sum of other floats
    depends on the groups' layout (a group's rows are not always added in their order)."""
    hours = ("training_hours", "key_user_hours", "need")
    if pooled.dtype != "str" or not all(e[c].dtype == "float64" for c in (*hours, "given")):
        return None
    for c in hours:
        values = e[c].to_numpy()
        if not exact_sums(values, nan=True) or np.signbit(values[values == 0]).any():  # (-0.0: pandas' sum of it alone)
            return None
    groups: dict = {}  # department (or "*") -> its rows' hours, in the order the departments first appear
    for dept, *row in zip(pooled.tolist(), *(e[c].tolist() for c in (*hours, "given"))):
        if dept == dept:  # an NA department: no group
            groups.setdefault(dept, []).append(row)
    if not groups:
        return None
    rows = []
    for dept, part in groups.items():
        *summed, given = zip(*part)
        rows.append((dept, *(float(sum(x for x in xs if x == x)) for xs in summed),
                     series_sum(given) if any(g == g for g in given) else float("nan")))
    return frame(rows, {"department_id": pooled.dtype, **dict.fromkeys((*hours, "given"), "float64")})


def effort_section(an: Analysis, lang: str) -> Fragment:
    """The staff time the plan needs of the client, per department, against what the client gives."""
    e = an.effort
    k = an.assumptions.k_anonymity
    names = an.client.departments.set_index("department_id")["name"]
    if e.empty:
        return Fragment("")
    # staff per department, counted in plain Python (a groupby's size: ~1 ms; NA: no department)
    e = pooled_effort(e, tally(an.client.staff["department_id"].tolist()), k)
    ranked = departments.rank(e.set_index("department_id")["need"])
    if ranked.grouped:  # a big client: the departments needing the most hours, the others (pooled ones included) as one row
        e = (e.assign(department_id=ranked.key(e["department_id"])).groupby("department_id", sort=False)
             .agg(training_hours=("training_hours", "sum"), key_user_hours=("key_user_hours", "sum"), need=("need", "sum"),
                  given=("given", lambda g: g.sum(min_count=1))).loc[ranked.order()].reset_index())
        names = departments.names(ranked, an.client.departments, lang)
    rows = [[esc(t("shared_departments", lang) if r.department_id == "*" else names.get(r.department_id, r.department_id)),
             esc(number(r.training_hours, lang)), esc(number(r.key_user_hours, lang)), esc(number(r.need, lang)),
             esc("—" if pd.isna(r.given) else number(r.given, lang))] for r in frame_rows(e)]
    total_need, total_given = float(e["need"].sum()), e["given"].sum(min_count=1)
    line = (t("effort.read", lang, need=number(total_need, lang), given=number(total_given, lang)) if pd.notna(total_given)
            else t("effort.read_none", lang, need=number(total_need, lang)))
    big = departments.note(ranked, "need", an.scenario, lang)
    return Fragment(f'<section class="effort"><h3>{esc(t("effort.title", lang))}</h3><p>{esc(line)}</p>'
                    + html_table([t("col.department", lang), t("col.training_hours", lang), t("col.key_user_hours", lang),
                                  t("col.need", lang), t("col.given", lang)], rows)
                    + (f'<p class="note">{esc(big)}</p>' if big else "") + "</section>")
