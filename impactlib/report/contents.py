"""The report's table of contents: built from the section headings of the finished page, placed after the
executive summary (after the cover in a page without one)."""

from __future__ import annotations

import re

from impactlib.report.text import t

_H2 = re.compile(r"<h2(?P<attrs>[^>]*)>(?P<inner>.*?)</h2>", re.S)
_CELL = '<div class="cell">'


def with_contents(page: str, lang: str, minimum: int = 3) -> str:
    """``page`` with an id on every <h2> and a linked contents list after the executive summary, else after the
    first output (the cover).

    Headings are already escaped HTML; their tags are dropped in the list. A page with fewer than
    ``minimum`` headings, or no cover cell, is returned unchanged.
    """
    entries = []

    def anchor(m: re.Match) -> str:
        attrs = m["attrs"]
        found = re.search(r'\bid="([^"]+)"', attrs)
        ident = found[1] if found else f"sec-{len(entries) + 1}"
        entries.append((ident, re.sub(r"<[^>]+>", "", m["inner"]).strip()))
        return m[0] if found else f'<h2 id="{ident}"{attrs}>{m["inner"]}</h2>'

    body = _H2.sub(anchor, page)
    # after the executive summary where there is one (its verdict stays above the fold), else after the cover
    summary = body.find('class="exec-summary')
    first = summary if summary >= 0 else body.find(_CELL)
    second = body.find(_CELL, first + 1) if first >= 0 else -1
    if len(entries) < minimum or second < 0:
        return page
    items = "".join(f'<li><a href="#{i}">{text}</a></li>' for i, text in entries)
    nav = (f'<div class="cell"><nav class="contents" aria-label="{t("contents", lang)}">'
           f'<h2 class="contents-title">{t("contents", lang)}</h2><ol>{items}</ol></nav></div>\n')
    return body[:second] + nav + body[second:]
