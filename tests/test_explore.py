"""The analyst's explorer: tweaks recompute correctly (an Analysis reusing the previous tweak's results via
``like=`` = a fresh Analysis), saving never overwrites, and the notebook runs headless."""

from __future__ import annotations

import gc
import shutil
import weakref

import pandas as pd
import pytest
import yaml

from conftest import DEMO, ROOT
from impactlib import assess, load_client
from impactlib.analysis.assess import CHANGES, STRUCTURE
from impactlib.errors import ImpactlibError, InvalidInput
from impactlib.explore import EXPLORED, Explorer

TWEAKS = [
    {},
    {"dip_scale": 2.0},
    {"provider_hourly_rate": 150.0, "recruitment_cost": 20000.0},
    {"eol_horizon_months": 0},
    {"training_budget": 1000.0, "budget": 50000.0},
    {"shift_weeks": 10},
    {"shift_weeks": -20, "rollout": "big_bang"},
    {"rollout": "phased"},
    {"exclude": ("C3",)},
    {"exclude": ("C1", "C2"), "k_anonymity": 10},
    {"exclude": ("C1", "C2", "C3")},  # nothing left to do
]
PROPERTIES = ["demand", "gaps", "training_need", "exposure", "department_impact", "host_checks", "verdicts", "lifecycle",
              "cost_lines", "cost_items", "participants", "sessions", "capability_needs", "staffing_advice", "recruit_profiles",
              "drawbacks", "findings", "headline"]


@pytest.fixture(scope="module")
def acme():
    return load_client(DEMO / "acme-industrie")


def _same(a, b):
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b)
    else:
        assert a == b


def test_every_tweak_gives_what_a_fresh_computation_gives(acme):
    """Each tweak's Analysis reuses the previous one's results (STRUCTURE when what the changes touch is
    unchanged, CHANGES when the changes are): after any sequence of tweaks, every result equals what a
    fresh Analysis of the same scenario gives, and results are reused exactly where the keys say."""
    ex = Explorer.open(acme, "baseline")
    prev = None
    reused = {"structure": 0, "changes": 0}
    for tweak in TWEAKS + TWEAKS[::-1]:
        sc = ex.tweak(**tweak)
        shared = ex.assess(sc)
        assert shared.scenario == EXPLORED
        fresh = assess(acme, sc, name=EXPLORED)
        for name in PROPERTIES:
            _same(getattr(shared, name), getattr(fresh, name))
        if prev is not None:
            for group, key in ((STRUCTURE, "structure_key"), (CHANGES, "changes_key")):
                kept = getattr(prev, key) == getattr(shared, key)
                for name in group:
                    assert (getattr(shared, name) is getattr(prev, name)) == kept, (tweak, name)
                reused[key.removesuffix("_key")] += kept
        prev = shared
    # both kinds of reuse happened, and neither always (else the equality above would prove little)
    assert 0 < reused["structure"] < len(TWEAKS) * 2 - 1 and 0 < reused["changes"] < reused["structure"]


def test_a_date_tweak_reuses_what_the_changes_touch_and_recomputes_the_rest(acme):
    ex = Explorer.open(acme, "baseline")
    first = ex.assess(ex.tweak())
    gaps, participants, costs = first.gaps, first.participants, first.cost_lines
    later = ex.assess(ex.tweak(shift_weeks=10))
    assert later.gaps is gaps  # what the changes touch did not move
    assert later.participants is not participants  # the training dates did
    assert later.cost_lines is not costs
    pricier = ex.assess(ex.tweak(shift_weeks=10, provider_hourly_rate=150.0))
    assert pricier.gaps is gaps and pricier.participants is later.participants  # an assumption moves no change
    assert not pricier.cost_lines.equals(later.cost_lines)
    fewer = ex.assess(ex.tweak(shift_weeks=10, exclude=("C3",)))
    assert fewer.gaps is not gaps and not fewer.gaps.equals(gaps)


def test_tweaks_move_the_figures_they_should(acme):
    ex = Explorer.open(acme, "baseline")
    base = ex.headline(ex.tweak())
    assert base == assess(acme, "baseline").headline  # no tweak: the scenario as it is
    later = ex.headline(ex.tweak(shift_weeks=10))
    assert later["first_go_live"] == base["first_go_live"] + pd.Timedelta(weeks=10).to_pytimedelta()
    assert ex.headline(ex.tweak(dip_scale=2.0))["cost_p50"] > base["cost_p50"]  # more productivity lost
    rich = ex.headline(ex.tweak(budget=10_000_000.0))
    assert rich["budget"] == 10_000_000.0 and "BUD-TOTAL" not in {f.id for f in ex.assess(ex.tweak(budget=10_000_000.0)).findings}
    assert "BUD-TOTAL" in {f.id for f in assess(acme, "baseline").findings}  # so the budget tweak cleared it
    fewer = ex.headline(ex.tweak(exclude=("C3",)))
    assert fewer["changes"] == base["changes"] - 1


def test_tweak_refuses_what_does_not_exist(acme):
    ex = Explorer.open(acme, "baseline")
    with pytest.raises(ImpactlibError, match="C9"):
        ex.tweak(exclude=("C9",))
    with pytest.raises(ImpactlibError, match="rollout"):
        ex.tweak(rollout="overnight")
    with pytest.raises(ValueError):
        ex.tweak(dip_scale=-1)
    with pytest.raises(InvalidInput, match="available"):
        Explorer.open(acme, "no-such-scenario")


def test_the_explorer_keeps_only_the_latest_tweak_and_never_modifies_the_client():
    """Nothing is kept on the Client: the explorer holds the latest tweak's Analysis only, earlier ones are freed,
    and the client's frames are never modified."""
    c = load_client(DEMO / "acme-industrie")
    fields = dict(vars(c))
    frames = {k: v.copy(deep=True) for k, v in fields.items() if isinstance(v, pd.DataFrame)}
    ex = Explorer.open(c, "baseline")
    first = weakref.ref(ex.assess(ex.tweak(dip_scale=1.5)))
    first().headline
    for i in range(10):
        ex.headline(ex.tweak(dip_scale=1.5 + i / 10))
    gc.collect()
    assert first() is None
    assert ex.last is not None and ex.last.assumptions.dip_scale == pytest.approx(2.4)
    assert vars(c).keys() == fields.keys() and all(vars(c)[k] is v for k, v in fields.items())
    for k, frame in frames.items():
        pd.testing.assert_frame_equal(getattr(c, k), frame, obj=k)


def test_save_writes_a_new_scenario_that_loads_and_never_overwrites(tmp_path):
    data = tmp_path / "clients"
    shutil.copytree(DEMO / "acme-industrie", data / "acme-industrie")
    c = load_client(data / "acme-industrie")
    ex = Explorer.open(c, "baseline")
    sc = ex.tweak(shift_weeks=6, rollout="phased", exclude=("C3",), training_budget=9000.0, dip_scale=1.3)
    path = ex.save(sc, "after-closing", data)
    assert path == data / "acme-industrie" / "scenarios" / "after-closing.yaml"
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["exclude"] == ["C3"]
    again = load_client(data / "acme-industrie")
    assert "after-closing" in again.scenarios
    assert assess(again, "after-closing").headline == ex.headline(sc) | {}  # same figures once reloaded
    before = path.read_bytes()
    with pytest.raises(InvalidInput, match="already exists"):
        ex.save(sc, "after-closing", data)
    with pytest.raises(InvalidInput, match="already exists"):
        ex.save(sc, "baseline", data)
    assert path.read_bytes() == before
    for bad in ("../evil", "a/b", "Upper", "x\x00"):
        with pytest.raises(InvalidInput):
            ex.save(sc, bad, data)
    assert sorted(p.name for p in (data / "acme-industrie" / "scenarios").iterdir()) == sorted(
        ["after-closing.yaml"] + [f"{n}.yaml" for n in c.scenarios])


@pytest.mark.e2e
def test_explorer_notebook_runs_headless_and_recomputes(tmp_path):
    import papermill

    data = tmp_path / "clients"
    shutil.copytree(DEMO / "acme-industrie", data / "acme-industrie")
    out = tmp_path / "explore.ipynb"
    papermill.execute_notebook(str(ROOT / "notebooks" / "explore.ipynb"), str(out), kernel_name="impactlib", progress_bar=False,
                               parameters={"client": "acme-industrie", "data_dir": str(data), "demo_tweak": True, "lang": "en"},
                               cwd=str(ROOT / "notebooks"))
    import nbformat

    nb = nbformat.read(out, as_version=4)
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "recomputed in" in text
    widgets = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert widgets  # the controls are displayed
    staff = pd.read_csv(DEMO / "acme-industrie" / "staff.csv", dtype=str)
    names = [v for col in ("name", "email") if col in staff for v in staff[col].dropna()]
    dump = out.read_text(encoding="utf-8")
    assert names and not [n for n in names if n in dump]


def test_ui_controls_recompute_and_save(tmp_path):
    data = tmp_path / "clients"
    shutil.copytree(DEMO / "lex-partners", data / "lex-partners")
    from impactlib.explore import ExplorerUI

    ui = ExplorerUI(Explorer.open(load_client(data / "lex-partners")), "fr", data)
    ui.update()
    first = ui.ex.headline(ui.scenario)
    ui.controls["shift_weeks"].value = 4  # the observer recomputes
    assert ui.ex.headline(ui.scenario)["first_go_live"] == first["first_go_live"] + pd.Timedelta(weeks=4).to_pytimedelta()
    assert ui.timing.value.startswith("recomputed in")
    ui.controls["provider_hourly_rate"].value = -5.0  # refused by the assumptions' bounds: said, not raised
    assert ui.timing.value.startswith("<b>Not applied:</b>")
    ui.name.value = "../escape"
    assert ui.save() is None and "Not saved" in ui.saved.value
    ui.name.value = "plus-tard"
    assert ui.save() == data / "lex-partners" / "scenarios" / "plus-tard.yaml"
    assert ui.save() is None and "already exists" in ui.saved.value
