"""The other scenarios' headlines for a report's comparison: the same whether assessed in the kernel or by a forked child."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from impactlib import assess, load_client
from impactlib.run import ahead

from conftest import DEMO, DEMO_CLIENTS

DAY = dt.date(2026, 11, 30)
# the demo clients with other scenarios to compare (the others have one scenario: nothing to assess beside it)
COMPARED = [cid for cid in DEMO_CLIENTS if len(list((DEMO / cid / "scenarios").glob("*.yaml"))) > 1]


def _recorded(scenarios) -> list:
    return [s.scenario if hasattr(s, "client") else dict(s) for s in scenarios]


@pytest.mark.parametrize("cid", COMPARED)
def test_a_forked_child_gives_the_headlines_the_kernel_would(cid):
    c = load_client(DEMO / cid)
    an = assess(c, sorted(c.scenarios)[0], as_of=DAY)
    here = ahead.others(an, {}, parallel=False)
    assert here.child is None and set(here.done) == set(c.scenarios) - {an.scenario}
    forked = ahead.others(an, {}, parallel=True)
    child = forked.child
    assert child is not None and forked.done == {}  # assessed by the child meanwhile
    got = forked.scenarios()
    assert forked.child is None and got[[s is an for s in got].index(True)] is an
    assert _recorded(got) == _recorded(here.scenarios())
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # the child was reaped: no zombie left


def test_known_headlines_are_not_assessed_again():
    c = load_client(DEMO / "acme-industrie")
    an = assess(c, "baseline", as_of=DAY)
    first = ahead.others(an, {}).scenarios()
    known = {s["scenario"]: dict(s) for s in first if s is not an}
    assert known
    again = ahead.others(an, known, parallel=True)
    assert again.child is None and again.done == {}  # nothing left to assess: no child
    assert _recorded(again.scenarios()) == _recorded(first)


def _in_child_only(monkeypatch, act) -> None:
    """ahead.assess calls ``act()`` first in a forked child only (the kernel's assess is the real one)."""
    kernel, real = os.getpid(), ahead.assess

    def assess_(*a, **kw):
        if os.getpid() != kernel:
            act()
        return real(*a, **kw)

    monkeypatch.setattr(ahead, "assess", assess_)


def test_a_child_that_fails_leaves_the_kernel_to_assess(monkeypatch):
    """The child raises (here: its assess fails, the kernel's does not): the kernel assesses the scenario itself."""
    c = load_client(DEMO / "acme-industrie")
    an = assess(c, "baseline", as_of=DAY)

    def fail():
        raise RuntimeError("the child fails")

    _in_child_only(monkeypatch, fail)
    forked = ahead.others(an, {}, parallel=True)
    assert forked.child is not None
    got = forked.scenarios()
    expected = ahead.others(an, {}, parallel=False).scenarios()
    assert _recorded(got) == _recorded(expected)


def test_a_child_that_hangs_is_killed_and_the_kernel_assesses(monkeypatch):
    """A forked child that does not answer in time (here: its assess sleeps) is killed and reaped; the kernel assesses
    the scenarios itself."""
    import time

    c = load_client(DEMO / "acme-industrie")
    an = assess(c, "baseline", as_of=DAY)
    _in_child_only(monkeypatch, lambda: time.sleep(600))
    monkeypatch.setattr(ahead, "WAIT_MIN", 0.5)
    monkeypatch.setattr(ahead, "WAIT_FACTOR", 0.0)
    forked = ahead.others(an, {}, parallel=True)
    child = forked.child
    started = time.monotonic()
    got = forked.scenarios()
    assert time.monotonic() - started < 60
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # killed and reaped
    assert _recorded(got) == _recorded(ahead.others(an, {}, parallel=False).scenarios())
