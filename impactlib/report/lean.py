"""A report page's chart theme written once: every chart of a page carries the same plotly template (~700 bytes
in each chart's script); the page defines it once and each chart reads its own copy of it."""

from __future__ import annotations

import json
import re

_SCRIPT = re.compile(r"<script>Plotly\.newPlot\(.*?</script>", re.S)  # a chart's script (report.html._plot_div)
_KEY = '"template":'  # the layout's template; a JSON key is quoted, so "hovertemplate" or a label never matches


def shared_templates(page: str, minimum: int = 2) -> str:
    """``page`` whose charts' plotly templates that occur ``minimum`` times or more are defined once, in a <script>
    at the end of the <head> (``IMPACTLIB_TEMPLATES``, their JSON texts), and read by each chart with ``JSON.parse``:
    each chart gets an object equal to the one it carried (plotly may change what it is given: no chart shares an
    object with another). A page without a <head> or without a repeated template is returned unchanged."""
    if "</head>" not in page:
        return page
    decoder = json.JSONDecoder()

    def templates(script: str):
        """(start, end) of each template object in a chart's script."""
        at = script.find(_KEY)
        while at >= 0:
            start = at + len(_KEY)
            try:
                _, end = decoder.raw_decode(script, start) if script.startswith("{", start) else (None, -1)
            except ValueError:
                end = -1
            if end > 0:
                yield start, end
            at = script.find(_KEY, max(end, start))

    count: dict[str, int] = {}
    for m in _SCRIPT.finditer(page):
        for start, end in templates(m[0]):
            text = m[0][start:end]
            count[text] = count.get(text, 0) + 1
    shared = {text: i for i, text in enumerate(t for t, n in count.items() if n >= minimum)}
    if not shared:
        return page

    def one(m: re.Match) -> str:
        script, out, done = m[0], [], 0
        for start, end in templates(script):
            if script[start:end] in shared:
                out += [script[done:start], f"JSON.parse(IMPACTLIB_TEMPLATES[{shared[script[start:end]]}])"]
                done = end
        return "".join(out) + script[done:]

    # json.dumps of JSON texts holds no "</" (plotly writes it "<\/"), so the definition cannot end its <script>
    head = f"<script>var IMPACTLIB_TEMPLATES = {json.dumps(list(shared))};</script>"
    body = _SCRIPT.sub(one, page)
    return body.replace("</head>", head + "</head>", 1)
