"""The analyst's explorer: tweak a scenario (dates, rollout, budgets, assumptions, excluded changes), see the
headline figures again at once, and save the tweak as a new scenario file.

A tweak is a new :class:`Scenario` assessed with the previous tweak's Analysis as ``like=``, so what does not
depend on the tweak (skill gaps, compatibility checks, exposure: see ``assess.STRUCTURE`` and ``CHANGES``) is
not recomputed. Saving never overwrites a file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import time
from pathlib import Path

import yaml

from impactlib.analysis.assess import Analysis, assess
from impactlib.model.client import Client
from impactlib.model.documents import Assumptions, Scenario
from impactlib.errors import ImpactlibError, InvalidInput, Problem
from impactlib.io.load import check_name

ROLLOUTS = ("big_bang", "phased", "pilot_then_big_bang", "parallel_run")
EXPLORED = "explored"  # the name a tweak carries until it is saved


@dataclasses.dataclass
class Explorer:
    """Tweaks of one client's scenario. ``base`` is the scenario every tweak starts from."""

    client: Client
    base: str
    last: Analysis | None = None  # the latest tweak's Analysis: what a new tweak can reuse of it

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
            raise ImpactlibError(f"cannot exclude unknown change(s): {', '.join(unknown)}")
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

    def save(self, scenario: Scenario, name: str, data_dir: Path, title: str | None = None) -> Path:
        """Write the tweak as ``<data_dir>/<client>/scenarios/<name>.yaml``; never overwrites an existing file."""
        check_name(name, "scenario name")
        folder = Path(data_dir) / self.client.id / "scenarios"
        path = folder / f"{name}.yaml"
        if path.exists() or name in self.client.scenarios:
            raise InvalidInput([Problem(str(path), None, None, f"scenario '{name}' already exists: choose another name")],
                               what="scenario")
        doc = scenario.model_copy(update={"title": title or f"{scenario.title} ({name})"}).model_dump(
            mode="json", exclude_defaults=True)
        text = f"# saved from the explorer, based on scenario '{self.base}'\n" + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
        with open(path, "x", encoding="utf-8") as f:  # 'x': fails rather than overwrite a file created meanwhile
            f.write(text)
        return path


class ExplorerUI:
    """The explorer's controls (ipywidgets), wired to an :class:`Explorer`: moving a control tweaks the base
    scenario and redraws the verdict, the KPI tiles and the cost and change-load charts; a button saves
    the tweak as a new scenario. ipywidgets is imported here only, never by a report kernel."""

    def __init__(self, explorer: Explorer, lang: str, data_dir: Path):
        import ipywidgets as w  # the analyst's notebook only: never in a report kernel

        self.ex, self.lang, self.data_dir = explorer, lang, Path(data_dir)
        c = explorer.client
        start = c.scenario(explorer.base)
        a, con = start.assumptions, c.spec.constraints
        style, layout = {"description_width": "210px"}, w.Layout(width="520px")
        self.controls = {
            "shift_weeks": w.IntSlider(value=0, min=-26, max=26, description="Go-live shift (weeks)", style=style, layout=layout),
            "rollout": w.Dropdown(options=["as planned", *ROLLOUTS], value="as planned", description="Rollout", style=style, layout=layout),
            "exclude": w.SelectMultiple(options=[x.id for x in c.changes(start)], value=(), description="Exclude changes",
                                        style=style, layout=layout),
            "budget": w.FloatText(value=start.budget or con.budget or 0.0, description="Budget (0: none)", style=style, layout=layout),
            "training_budget": w.FloatText(value=start.training_budget or con.training_budget or 0.0,
                                           description="Training budget (0: none)", style=style, layout=layout),
            "dip_scale": w.FloatSlider(value=a.dip_scale, min=0, max=3, step=0.1, description="Productivity dip (× catalog)",
                                       style=style, layout=layout),
            "provider_hourly_rate": w.FloatText(value=a.provider_hourly_rate, description="Provider hourly rate", style=style, layout=layout),
            "eol_horizon_months": w.IntSlider(value=a.eol_horizon_months, min=0, max=60, description="End-of-support horizon (months)",
                                              style=style, layout=layout),
        }
        self.out, self.timing, self.saved = w.Output(), w.HTML(), w.HTML()
        self.name = w.Text(placeholder="new scenario name, e.g. later-go-live", description="Save as", style=style, layout=layout)
        button = w.Button(description="Save as new scenario", button_style="primary")
        button.on_click(self.save)
        for control in self.controls.values():
            control.observe(self.update, names="value")
        self.scenario: Scenario | None = None
        self.ms: float | None = None
        title = f"<h3>{html.escape(c.profile.name)} — {html.escape(start.title)} (<code>{html.escape(explorer.base)}</code>)</h3>"
        self.box = w.VBox([w.HTML(title), w.HBox([w.VBox(list(self.controls.values())),
                                                  w.VBox([self.name, button, self.saved, self.timing])]), self.out])

    def values(self) -> dict:
        v = {k: c.value for k, c in self.controls.items()}
        v["rollout"] = None if v["rollout"] == "as planned" else v["rollout"]
        v["exclude"] = tuple(v["exclude"])
        v["budget"] = v["budget"] or None
        v["training_budget"] = v["training_budget"] or None
        return v

    def update(self, _=None) -> None:
        """Tweak from the controls, recompute (timed) and redraw; a refused value is said, not raised."""
        from IPython.display import display  # in a notebook only

        from impactlib import report  # the report layer imports plotly: loaded once the explorer draws

        try:
            sc = self.ex.tweak(**self.values())
            t0 = time.perf_counter()
            an = self.ex.assess(sc)
            an.headline
            self.ms = (time.perf_counter() - t0) * 1000
        except (ImpactlibError, ValueError) as e:
            self.timing.value = f"<b>Not applied:</b> {html.escape(str(e))}"
            return
        self.scenario = sc
        self.timing.value = f"recomputed in {self.ms:.0f} ms"
        with self.out:
            self.out.clear_output(wait=True)
            display(report.headline_tiles(an, self.lang))
            if an.changes:
                display(report.cost_chart(an, self.lang))
                display(report.load_chart(an, self.lang))

    def save(self, _=None) -> Path | None:
        try:
            path = self.ex.save(self.scenario, self.name.value.strip(), self.data_dir)
        except ImpactlibError as e:
            self.saved.value = f"<b>Not saved:</b> {html.escape(str(e))}"
            return None
        self.saved.value = f"Saved <code>{html.escape(path.name)}</code>: reload the client to report on it."
        return path
