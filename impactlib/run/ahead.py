"""The other scenarios' headlines, for a report's comparison section: assessed beside the report's own analysis.

A report compares its scenario with every other scenario of the client, which it needs only as headlines
(:func:`impactlib.report.assessed`). By default they are assessed in the kernel before the report's own
results, each dropped down to its headline at once (so a 50,000-staff kernel holds one scenario's
person-level frames at a time). When the runner says the machine has a core to spare (``parallel``: a
single report of a big client, where the kernel is the only busy process), a forked copy of the kernel
assesses them while the kernel builds its own results and sections: at 50,000 staff the other scenario is
~3 of a report's ~14 s. The child holds the client in memory only, sends the headlines (no person's data)
through a pipe and exits; if it fails, dies or does not answer in time (WAIT_FACTOR), the kernel kills it and
assesses them itself, as by default. The headlines are the same either way (tests/test_ahead.py).
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import time
from dataclasses import dataclass, field

from impactlib.analysis.assess import Analysis, assess
from impactlib.report.summary import Assessed, assessed

# how long the kernel waits for its child once it asks for the headlines: WAIT_FACTOR times the time the kernel took
# for its own work since the fork (the child's work is about the same), WAIT_MIN seconds at least
WAIT_FACTOR = 3.0
WAIT_MIN = 30.0


@dataclass
class Others:
    """The report's Analysis and the other scenarios' headlines: :meth:`scenarios` gives them all in name order."""

    an: Analysis
    known: dict  # headlines the runner passed (report.known_headlines), by scenario
    done: dict[str, Assessed] = field(default_factory=dict)  # assessed here, by scenario
    pending: tuple[str, ...] = ()  # assessed by the child
    child: int | None = None
    pipe: int | None = None
    forked_at: float = 0.0  # time.monotonic() at the fork

    def scenarios(self) -> list:
        """Every scenario of the client in name order: the report's Analysis, the others' headlines (waits for the
        child if one is assessing them; assesses here whatever it did not send)."""
        if self.pending:
            self.done.update(self._received())
            for name in self.pending:
                if name not in self.done:
                    self.done[name] = assessed(assess(self.an.client, name, as_of=self.an.as_of, like=self.an))
            self.pending = ()
        return [self.an if name == self.an.scenario else self.known.get(name) or self.done[name]
                for name in sorted(self.an.client.scenarios)]

    def _received(self) -> dict:
        """What the child sent, once it has exited; nothing if it failed, or if it is still at work WAIT_FACTOR times
        as long after the kernel asks as the kernel took for its own work since the fork (and WAIT_MIN seconds at
        least): a forked child that hangs (a lock some other thread of the kernel held at the fork) is killed."""
        chunks, status = [], None
        deadline = time.monotonic() + max(WAIT_MIN, WAIT_FACTOR * (time.monotonic() - self.forked_at))
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self.pipe], [], [], left)[0]:
                    os.kill(self.child, signal.SIGKILL)  # too slow: assessed here instead
                    break
                chunk = os.read(self.pipe, 1 << 20)
                if not chunk:  # the child closed its end: done
                    break
                chunks.append(chunk)
        except OSError:
            pass
        finally:
            os.close(self.pipe)
            _, status = os.waitpid(self.child, 0)
            self.child = self.pipe = None
        data = b"".join(chunks)
        if not data or not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
            return {}
        try:
            got = pickle.loads(data)  # noqa: S301 - written by this kernel's own child, through its own pipe
        except Exception:  # noqa: BLE001 - a child killed mid-write: assess here instead
            return {}
        return {name: h for name, h in got.items() if name in self.pending and isinstance(h, Assessed)}


def others(an: Analysis, known: dict, parallel: bool = False) -> Others:
    """The headlines of the client's scenarios other than ``an``'s that ``known`` does not hold, on ``an``'s date:
    assessed now, each dropped to its headline at once, or with ``parallel`` in a forked child while the caller goes on."""
    names = tuple(n for n in sorted(an.client.scenarios) if n != an.scenario and n not in known)
    out = Others(an, known)
    if names and parallel and hasattr(os, "fork"):
        kernel, pid = os.getpid(), None
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no fork (a limit on processes): assessed here
            os.close(read)
        if pid == 0:
            _child(an, names, read, write, kernel)  # never returns
        os.close(write)
        if pid is not None:
            out.pending, out.child, out.pipe, out.forked_at = names, pid, read, time.monotonic()
            return out
    out.done = {n: assessed(assess(an.client, n, as_of=an.as_of, like=an)) for n in names}
    return out


def _child(an: Analysis, names: tuple[str, ...], read: int, write: int, kernel: int) -> None:
    """In the forked child: assess, send the headlines, exit at once (none of the kernel's sockets, threads or exit
    handlers are touched: os._exit)."""
    code = 1
    try:
        os.close(read)
        from impactlib.run.zygote import die_with_parent  # start-up speed: only a forked child needs it

        die_with_parent(kernel)  # a report killed leaves no child
        sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - nothing of the child reaches the notebook
        data = pickle.dumps({n: assessed(assess(an.client, n, as_of=an.as_of, like=an)) for n in names},
                            protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
        code = 0
    finally:
        os._exit(code)

