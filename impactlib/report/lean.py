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


# --- end tags HTML lets a page leave out (report size, issue 12 point 6) -----------------------------------------
# The HTML standard ("Optional tags", https://html.spec.whatwg.org/multipage/syntax.html#optional-tags) lets these end
# tags go where the next thing closes the element anyway: a browser (and Chromium printing the PDF) builds the same
# document without them. A report's fragments hold no client text unescaped and no <script> (charts are Figures, not
# Fragments), so every "</td>" in them is a tag. ~10 kB of a report with 100 warnings.
_P_CLOSED_BY = r"<(?:p|div|h[1-6]|table|ul|ol|dl|section|figure|nav|footer|pre|blockquote)[\s>]|</(?:div|section|td|th|li|dd|figure|footer|nav)>"
_OPTIONAL_END = re.compile(
    r"</(?:td|th)>(?=\s*(?:<t[dh][\s>]|</tr>|<tr[\s>]|</t(?:body|head|foot)>|<t(?:body|foot)[\s>]|</table>))"
    r"|</tr>(?=\s*(?:<tr[\s>]|</t(?:body|head|foot)>|<t(?:body|foot)[\s>]|</table>))"
    r"|</thead>(?=\s*<tbody[\s>])|</tbody>(?=\s*</table>)"
    r"|</li>(?=\s*(?:<li[\s>]|</[ou]l>))"
    rf"|</p>(?=\s*(?:{_P_CLOSED_BY}))")


def optional_end_tags_dropped(markup: str) -> str:
    """``markup`` without the end tags of cells, rows, list items, paragraphs and table sections that the next tag
    closes anyway (see above); nothing else changes. Only for markup without <script>, <style> or <pre>."""
    return _OPTIONAL_END.sub("", markup)
