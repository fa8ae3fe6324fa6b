"""``impactlib deck``: the board deck of one client, written as a PowerPoint file beside its reports.

The client is loaded as its report sees it (the decisions of its register bound, roles only), each option
assessed on the report date, and the deck (:func:`impactlib.report.deck.board_deck`) lands by the atomic
writer: an error leaves no file and an earlier deck intact.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from impactlib.analysis.assess import assess
from impactlib.errors import BadRequest
from impactlib.io.files import write_atomic
from impactlib.model.vocab import LANGUAGES
from impactlib.run.register import client_as_reported

SUFFIX = ".deck.pptx"


def write(data_dir: Path, client_id: str, scenarios: list[str] | None = None, lang: str | None = None,
          as_of: dt.date | None = None, out: Path | None = None, out_dir: Path = Path("reports")) -> Path:
    """Write the board deck of ``client_id`` (a folder under ``data_dir``); return its path.

    ``scenarios``: the option presented first, then the options it is compared with (default: the client's
    other scenarios); none given: every scenario of the client, the option presented being the one the
    figures favour (:func:`impactlib.report.deck.recommended`). ``lang``: en or fr (default: the client's).
    ``as_of``: the report date (default: today). ``out``: the file (default:
    ``<out_dir>/<client>/<scenario>.<lang>.deck.pptx``). Raises InvalidInput for an unknown client (with the
    closest known ids) or bad client data, BadRequest for an unknown scenario or language.
    """
    if out is not None and Path(out).suffix.lower() != ".pptx":  # refused before anything is read
        raise BadRequest(f"--out {out}: a deck is a .pptx file")
    from impactlib.report import deck  # python-pptx (~0.3 s): only when a deck is written

    client = client_as_reported(data_dir, client_id)
    available = sorted(client.scenarios)
    unknown = [s for s in scenarios or () if s not in client.scenarios]
    if unknown:
        raise BadRequest(f"{client.id}: no scenario {', '.join(repr(s) for s in unknown)}; available: {', '.join(available)}")
    lang = lang or client.profile.language
    if lang not in LANGUAGES:
        raise BadRequest(f"{client.id}: no language '{lang}'; available: {', '.join(LANGUAGES)}")
    day = as_of or dt.date.today()
    names = list(dict.fromkeys(scenarios or ()))  # the order given, each once
    compared = names[1:] if len(names) > 1 else [s for s in available if s not in names]
    first = assess(client, names[0] if names else client.profile.default_scenario, as_of=day)
    options = [first, *(assess(client, s, as_of=day, like=first) for s in compared if s != first.scenario)]
    an = first if names else next(o for o in options if o.scenario == deck.recommended(options))
    path = Path(out) if out else Path(out_dir) / client.id / f"{an.scenario}.{lang}{SUFFIX}"
    data = deck.deck_bytes(deck.board_deck(an, options, lang))
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(path, data)
