"""The analyst's explorer: tweak a scenario (dates, rollout, budgets, assumptions, excluded changes), see the
headline figures again at once, and save the tweak as a new scenario file.

A tweak is a new :class:`Scenario` assessed with the previous tweak's Analysis as ``like=``, so what does not
depend on the tweak (skill gaps, compatibility checks, exposure: see ``assess.STRUCTURE`` and ``CHANGES``) is
not recomputed. Saving never overwrites a file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from pathlib import Path

import yaml

from impactlib.analysis.assess import Analysis, assess
from impactlib.model.client import Client
from impactlib.model.documents import Assumptions, Scenario
from impactlib.errors import ImpactlibError, InvalidInput, Problem
from impactlib.io.clients import ClientEntry, client_entries
from impactlib.io.folder import load_client
from impactlib.io.load import check_name
from impactlib.report.text import date, esc, money, number, t

ROLLOUTS = ("big_bang", "phased", "pilot_then_big_bang", "parallel_run")
EXPLORED = "explored"  # the name a tweak carries until it is saved


@dataclasses.dataclass
class Explorer:
    """Tweaks of one client's scenario. ``base`` is the scenario every tweak starts from."""

    client: Client
    base: str
    last: Analysis | None = None  # the latest tweak's Analysis: what a new tweak can reuse of it
    _start: dict | None = dataclasses.field(default=None, repr=False)

    @classmethod
    def open(cls, client: Client, scenario: str | None = None) -> Explorer:
        name = scenario or client.profile.default_scenario
        client.scenario(name)  # unknown scenario: the usual error, with the available ones
        return cls(client, name)

    def tweak(self, *, shift_weeks: int = 0, rollout: str | None = None, exclude: tuple[str, ...] = (),
              budget: float | None = None, training_budget: float | None = None, **assumptions) -> Scenario:
        """The base scenario with every go-live (and start) moved by ``shift_weeks``, every change rolled
        out as ``rollout`` (None: as planned), ``exclude`` dropped, budgets and assumptions replaced."""
        base = self.client.scenario(self.base)
        if rollout is not None and rollout not in ROLLOUTS:
            raise ImpactlibError(f"rollout must be one of {', '.join(ROLLOUTS)}, not {rollout!r}")
        shift = dt.timedelta(weeks=shift_weeks)
        edits = {cid: dict(fields) for cid, fields in base.changes.items()}
        for c in self.client.changes(base):
            if c.id in {a.id for a in base.add}:
                continue
            e = edits.setdefault(c.id, {})
            if shift_weeks:
                e["go_live"] = c.go_live + shift
                if c.start is not None:
                    e["start"] = c.start + shift
            if rollout is not None:
                e["rollout"] = rollout
        added = tuple(a.model_copy(update={k: v for k, v in (("go_live", a.go_live + shift), ("start", a.start + shift if a.start else None),
                                                              ("rollout", rollout or a.rollout))}) for a in base.add)
        unknown = sorted(set(exclude) - {c.id for c in self.client.changes(base)})
        if unknown:
            raise ImpactlibError(f"cannot exclude unknown {'change' if len(unknown) == 1 else 'changes'}: {', '.join(unknown)}")
        values = {**base.assumptions.model_dump(), **assumptions}
        data = {"title": base.title, "description": base.description, "changes": {k: v for k, v in edits.items() if v},
                "exclude": tuple(dict.fromkeys(base.exclude + tuple(exclude))), "add": added,
                "budget": budget if budget is not None else base.budget,
                "training_budget": training_budget if training_budget is not None else base.training_budget,
                "assumptions": Assumptions.model_validate(values)}
        return Scenario.model_validate(data)

    def assess(self, scenario: Scenario) -> Analysis:
        """The Analysis of a tweak, named EXPLORED, reusing what the previous tweak computed where it still holds."""
        self.last = assess(self.client, scenario, name=EXPLORED, like=self.last)
        return self.last

    def headline(self, scenario: Scenario) -> dict:
        """The summary figures of a tweak (see Analysis.headline)."""
        return self.assess(scenario).headline

    def starting(self) -> dict:
        """The headline of the base scenario as it is (computed once per Explorer): the side-by-side's left column."""
        if self._start is None:
            self._start = assess(self.client, self.base).headline
        return self._start

    def scenario_yaml(self, scenario: Scenario, name: str, title: str | None = None) -> str:
        """The text :meth:`save` writes for ``scenario`` saved as ``name`` (the explorer shows it before and after)."""
        doc = scenario.model_copy(update={"title": title or f"{scenario.title} ({name})"}).model_dump(
            mode="json", exclude_defaults=True)
        return f"# saved from the explorer, based on scenario '{self.base}'\n" + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)

    def save(self, scenario: Scenario, name: str, data_dir: Path, title: str | None = None) -> Path:
        """Write the tweak as ``<data_dir>/<client>/scenarios/<name>.yaml``; never overwrites an existing file."""
        check_name(name, "scenario name")
        folder = Path(data_dir) / self.client.id / "scenarios"
        path = folder / f"{name}.yaml"
        if path.exists() or name in self.client.scenarios:
            raise InvalidInput([Problem(str(path), None, None, f"scenario '{name}' already exists: choose another name")],
                               what="scenario")
        text = self.scenario_yaml(scenario, name, title)
        with open(path, "x", encoding="utf-8") as f:  # 'x': fails rather than overwrite a file created meanwhile
            f.write(text)
        return path


def change_label(change) -> str:
    """A change as the analyst reads it: 'C1 — Windows 11 upgrade'."""
    return f"{change.id} — {change.title}"


def client_label(entry: ClientEntry) -> str:
    return entry.name if entry.name == entry.id else f"{entry.name} ({entry.id})"


def scenario_label(name: str, title: str) -> str:
    return name if title == name else f"{title} ({name})"


# the side-by-side's tiles: text key, the figure in a headline, its kind, and which way is better (-1: lower, 1: higher,
# 0: neither — a later go-live is not worse in itself)
TILES = (
    ("blockers", lambda h: h["findings"]["blocker"], "count", -1),
    ("high", lambda h: h["findings"]["high"], "count", -1),
    ("spend", lambda h: h["spend_base"], "money", -1),
    ("total", lambda h: h["total_base"], "money", -1),
    ("first_go_live", lambda h: h["first_go_live"], "date", 0),
    ("last_go_live", lambda h: h["last_go_live"], "date", 0),
    ("changes", lambda h: h["changes"], "count", 0),
    ("people", lambda h: h["people_affected"], "count", 0),
    ("training", lambda h: h["participant_hours"], "count", 0),
    ("late", lambda h: h["late_sessions"], "count", -1),
    ("decisions", lambda h: h["decisions_pending"], "count", -1),
    ("objectives", lambda h: sum(o["met"] for o in h.get("objectives") or []), "count", 1),
)
MINUS = "\u2212"


@dataclasses.dataclass(frozen=True)
class Delta:
    """One tile of the side-by-side, as text: the starting value, the tweaked one and the difference;
    ``tone`` is better, worse, same or moved (a difference neither better nor worse)."""

    key: str
    name: str
    start: str
    tweaked: str
    delta: str
    tone: str


def _signed(value: float, fmt) -> str:
    return ("+" if value > 0 else MINUS) + fmt(abs(value))


def deltas(start: dict, tweaked: dict, currency: str, lang: str) -> tuple[Delta, ...]:
    """The side-by-side of two headlines (see Analysis.headline): the verdict, then every tile of TILES."""
    rows = [Delta("verdict", t("explore.verdict", lang), t("verdict." + start["verdict"], lang), t("verdict." + tweaked["verdict"], lang),
                  t("explore.same", lang) if start["verdict"] == tweaked["verdict"] else "≠",
                  "same" if start["verdict"] == tweaked["verdict"] else
                  "better" if _RANK[tweaked["verdict"]] > _RANK[start["verdict"]] else "worse")]
    months = number(start.get("horizon_months", 36), lang)
    for key, get, kind, better in TILES:
        a, b = get(start), get(tweaked)
        if kind == "date":
            shown = (date(a, lang), date(b, lang))
            diff = None if a is None or b is None else (b - a).days
            text = ("—" if diff is None else t("explore.same", lang) if diff == 0 else
                    _signed(diff / 7, lambda v: t("explore.weeks", lang, n=number(v, lang, 0 if v == int(v) else 1))))
        else:
            fmt = (lambda v: money(v, currency, lang)) if kind == "money" else (lambda v: number(v, lang))
            shown, diff = (fmt(a), fmt(b)), b - a
            text = t("explore.same", lang) if round(diff) == 0 else _signed(diff, fmt)
        tone = ("same" if not diff or (kind != "date" and round(diff) == 0) else "moved" if better == 0 else
                "better" if diff * better > 0 else "worse")
        rows.append(Delta(key, t("explore.tile." + key, lang, months=months), *shown, text, tone))
    return tuple(rows)


_RANK = {"not_ready": 0, "go_with_conditions": 1, "go": 2}
_COMPARE_CSS = ("<style>.ilx-cmp{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:8px;margin:8px 0}"
                ".ilx-cmp .tile{border:1px solid #cfd8e3;border-radius:6px;padding:6px 10px;background:#f7f9fc}"
                ".ilx-cmp .name{display:block;color:#555;font-size:12px}"
                ".ilx-cmp .vals{display:block;font-size:15px;font-weight:bold;color:#0b3d66}"
                ".ilx-cmp .vals .from{color:#777;font-weight:normal}"
                ".ilx-cmp .delta{display:inline-block;margin-top:3px;padding:0 6px;border-radius:8px;font-size:12px;background:#eceff3}"
                ".ilx-cmp .better .delta{background:#d9f2e6;color:#00603f}.ilx-cmp .worse .delta{background:#fde3d3;color:#8a2f00}"
                ".ilx-cmp .moved .delta{background:#e3ecf7;color:#0b3d66}.ilx-cmp .tile.better{border-color:#009E73}"
                ".ilx-cmp .tile.worse{border-color:#D55E00}</style>")


def compare_html(rows: tuple[Delta, ...], lang: str) -> str:
    """The side-by-side as HTML: one tile per row, 'start → tweaked' and the delta; every value escaped."""
    head = (f'<p style="margin:4px 0;color:#555">{esc(t("explore.starting", lang))} → {esc(t("explore.tweaked", lang))} '
            f'({esc(t("explore.delta", lang))})</p>')
    tiles = "".join(f'<div class="tile {r.tone}" data-key="{esc(r.key)}"><span class="name">{esc(r.name)}</span>'
                    f'<span class="vals"><span class="from">{esc(r.start)}</span> → <span class="to">{esc(r.tweaked)}</span></span>'
                    f'<span class="delta">{esc(r.delta)}</span></div>' for r in rows)
    return f'{_COMPARE_CSS}{head}<div class="ilx-cmp">{tiles}</div>'



class ExplorerUI:
    """The explorer's controls (ipywidgets), wired to an :class:`Explorer`: a client and a starting scenario picked
    from the data folder; moving a control tweaks the starting scenario and redraws the side-by-side (starting
    value, tweaked value and delta of every headline tile), the tweak's verdict and tiles, and its cost and
    change-load charts; the YAML a save would write is shown, and a button saves it as a new scenario (never
    over a file). Labels are in the report's language. ipywidgets is imported here only, never by a report kernel."""

    LABEL, CONTROL, WIDE = "240px", "320px", "520px"

    def __init__(self, explorer: Explorer, lang: str, data_dir: Path):
        import ipywidgets as w  # the analyst's notebook only: never in a report kernel

        self.lang, self.data_dir = lang, Path(data_dir)
        self._quiet = True  # no recompute while the controls are being (re)set
        entries = {e.id: e for e in client_entries(self.data_dir)}
        self.entries = entries
        cid = explorer.client.id
        lay = w.Layout(width=self.CONTROL)
        self.client_pick = w.Dropdown(options=[(client_label(e), e.id) for e in entries.values()] or [(cid, cid)],
                                      value=cid if cid in entries or not entries else None, layout=lay)
        self.scenario_pick = w.Dropdown(layout=lay)
        self.controls = {
            "shift_weeks": w.IntSlider(value=0, min=-26, max=26, layout=lay),
            "rollout": w.Dropdown(options=[(self.t("explore.rollout.as_planned"), "as planned")]
                                  + [(self.t("explore.rollout." + r), r) for r in ROLLOUTS], value="as planned", layout=lay),
            "exclude": w.SelectMultiple(options=[], value=(), rows=4, layout=w.Layout(width=self.WIDE)),  # names: room to read
            "budget": w.FloatText(layout=lay),
            "training_budget": w.FloatText(layout=lay),
            "dip_scale": w.FloatSlider(min=0, max=3, step=0.1, layout=lay),
            "provider_hourly_rate": w.FloatText(layout=lay),
            "eol_horizon_months": w.IntSlider(min=0, max=60, layout=lay),
        }
        self.name = w.Text(placeholder=self.t("explore.save_placeholder"), layout=lay)
        self.button = w.Button(description=self.t("explore.save"), button_style="primary", icon="save",
                               layout=w.Layout(width="auto", min_width=self.CONTROL))
        self.title, self.timing, self.saved = w.HTML(), w.HTML(), w.HTML()
        self.yaml = w.HTML(layout=w.Layout(width="100%", max_height="260px", overflow="auto"))
        self.compare, self.out = w.HTML(), w.Output()
        self.button.on_click(self.save)
        for control in self.controls.values():
            control.observe(self.update, names="value")
        self.client_pick.observe(self._pick_client, names="value")
        self.scenario_pick.observe(self._pick_scenario, names="value")
        self.name.observe(self._show_yaml, names="value")
        self.scenario: Scenario | None = None
        self.ms: float | None = None

        def row(key, control, help_key=None):
            label = (f'<div style="line-height:1.3"><b>{esc(self.t(key))}</b>'
                     + (f'<br><small>{esc(self.t(help_key))}</small>' if help_key else "") + "</div>")
            return w.HBox([w.HTML(label, layout=w.Layout(width=self.LABEL, min_width=self.LABEL)), control],
                          layout=w.Layout(align_items="center", margin="2px 0"))

        tweaks = w.VBox([row("explore." + k, c, "explore.exclude_help" if k == "exclude" else None) for k, c in self.controls.items()],
                        layout=w.Layout(margin="0 24px 0 0"))
        side = w.VBox([row("explore.client", self.client_pick), row("explore.scenario", self.scenario_pick),
                       row("explore.save_name", self.name), w.HBox([self.button], layout=w.Layout(margin="4px 0 4px " + self.LABEL)),
                       self.saved, self.timing, w.HTML(f"<b>{esc(self.t('explore.yaml'))}</b>"), self.yaml],
                      layout=w.Layout(width=f"calc({self.LABEL} + {self.CONTROL} + 24px)"))
        self.box = w.VBox([self.title, w.HBox([side, tweaks], layout=w.Layout(flex_flow="row wrap", align_items="flex-start")),
                           self.compare, self.out])
        self._open(explorer)

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    def _open(self, explorer: Explorer) -> None:
        """Point the controls at ``explorer``'s starting scenario (values as in its file), then recompute once."""
        self._quiet = True
        try:
            self.ex = c = explorer
            client = c.client
            start = client.scenario(c.base)
            a, con = start.assumptions, client.spec.constraints
            entry = self.entries.get(client.id)
            names = entry.scenarios if entry else tuple((n, sc.title) for n, sc in sorted(client.scenarios.items()))
            self.scenario_pick.options = [(scenario_label(n, title), n) for n, title in names]
            self.scenario_pick.value = c.base
            v = self.controls
            v["shift_weeks"].value, v["rollout"].value = 0, "as planned"
            v["exclude"].value = ()
            v["exclude"].options = [(change_label(x), x.id) for x in client.changes(start)]
            v["exclude"].rows = max(2, min(6, len(v["exclude"].options)))
            v["budget"].value = start.budget or con.budget or 0.0
            v["training_budget"].value = start.training_budget or con.training_budget or 0.0
            v["dip_scale"].value, v["provider_hourly_rate"].value = a.dip_scale, a.provider_hourly_rate
            v["eol_horizon_months"].value = a.eol_horizon_months
            self.title.value = f"<h3>{esc(client.profile.name)} — {esc(start.title)} (<code>{esc(c.base)}</code>)</h3>"
            self.saved.value = ""
        finally:
            self._quiet = False
        self.update()

    def _pick_client(self, change) -> None:
        if self._quiet or change["new"] is None:
            return
        try:
            self._open(Explorer.open(load_client(self.data_dir / change["new"]), None))
        except ImpactlibError as e:
            self.timing.value = f"<b>{esc(self.t('explore.not_applied', why=str(e)))}</b>"

    def _pick_scenario(self, change) -> None:
        if self._quiet or change["new"] is None or change["new"] == self.ex.base:
            return
        self._open(Explorer.open(self.ex.client, change["new"]))

    def values(self) -> dict:
        v = {k: c.value for k, c in self.controls.items()}
        v["rollout"] = None if v["rollout"] == "as planned" else v["rollout"]
        v["exclude"] = tuple(v["exclude"])
        v["budget"] = v["budget"] or None
        v["training_budget"] = v["training_budget"] or None
        return v

    def update(self, _=None) -> None:
        """Tweak from the controls, recompute (timed) and redraw; a refused value is said, not raised."""
        if self._quiet:
            return
        from IPython.display import display  # in a notebook only

        from impactlib import report  # the report layer's charts: loaded once the explorer draws

        try:
            sc = self.ex.tweak(**self.values())
            t0 = time.perf_counter()
            an = self.ex.assess(sc)
            h = an.headline
            self.ms = (time.perf_counter() - t0) * 1000
        except (ImpactlibError, ValueError) as e:
            self.timing.value = f"<b>{esc(self.t('explore.not_applied', why=str(e)))}</b>"
            return
        self.scenario = sc
        self.timing.value = esc(self.t("explore.recomputed", ms=number(self.ms, self.lang)))
        self.compare.value = compare_html(deltas(self.ex.starting(), h, self.ex.client.profile.currency, self.lang), self.lang)
        self._show_yaml()
        with self.out:
            self.out.clear_output(wait=True)
            display(report.headline_tiles(an, self.lang))
            if an.changes:
                display(report.cost_chart(an, self.lang))
                display(report.load_chart(an, self.lang))

    def _show_yaml(self, _=None, written: Path | None = None) -> None:
        if self.scenario is None:
            return
        name = self.name.value.strip() or "<name>"
        text = self.ex.scenario_yaml(self.scenario, name)
        where = f"<code>{esc(written)}</code><br>" if written else f"<code>scenarios/{esc(name)}.yaml</code><br>"
        self.yaml.value = f'{where}<pre style="margin:2px 0;font-size:12px;white-space:pre-wrap">{esc(text)}</pre>'

    def save(self, _=None) -> Path | None:
        try:
            path = self.ex.save(self.scenario, self.name.value.strip(), self.data_dir)
        except ImpactlibError as e:
            self.saved.value = f"<b>{esc(self.t('explore.not_saved', why=str(e)))}</b>"
            return None
        self.saved.value = esc(self.t("explore.saved", file=path.name))
        self._show_yaml(written=path)
        return path
