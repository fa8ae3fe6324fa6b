"""report.lean: a page's repeated chart template is defined once and each chart gets the same object back."""

from __future__ import annotations

import json
import re

import plotly.graph_objects as go
import pytest

from impactlib.report.charts import THEME
from impactlib.report.html import Figure
from impactlib.report.lean import shared_templates


def _chart(title: str, hover: str = "%{x}") -> str:
    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2], hovertemplate=hover, name='say "template":{1}'),
                    layout=dict(template=THEME, title=title))
    return Figure(fig, "reading")._repr_mimebundle_()["text/html"]


def _page(*charts: str) -> str:
    return "<!DOCTYPE html><html><head><title>t</title></head><body>" + "".join(charts) + "</body></html>"


def _restored(page: str) -> str:
    """The page with each JSON.parse(IMPACTLIB_TEMPLATES[i]) replaced by the JSON text it reads, definition removed."""
    found = re.search(r"<script>var IMPACTLIB_TEMPLATES = (.*?);</script>", page)
    texts = json.loads(found[1])
    page = page.replace(found[0], "")
    return re.sub(r"JSON\.parse\(IMPACTLIB_TEMPLATES\[(\d+)\]\)", lambda m: texts[int(m[1])], page)


def test_a_repeated_template_is_defined_once_and_each_chart_reads_the_same_text():
    page = _page(_chart("one"), _chart("two", "%{y}<extra>template</extra>"), _chart("three"))
    lean = shared_templates(page)
    assert len(lean) < len(page) - 2 * 500
    assert lean.count("JSON.parse(IMPACTLIB_TEMPLATES[0])") == 3 and "IMPACTLIB_TEMPLATES[1]" not in lean
    assert lean.index("var IMPACTLIB_TEMPLATES") < lean.index("</head>") < lean.index("Plotly.newPlot")
    assert _restored(lean) == page  # every chart gets back exactly what it carried (labels and hovertemplates untouched)
    theme = json.loads(json.loads(re.search(r"IMPACTLIB_TEMPLATES = (.*?);</script>", lean)[1])[0])
    assert theme["layout"]["colorway"] == list(THEME.layout.colorway)


@pytest.mark.parametrize("page", [_page(_chart("alone")), _chart("a") + _chart("b"), _page("<p>no chart</p>")],
                         ids=["one chart", "no head", "no chart"])
def test_pages_with_nothing_to_share_are_unchanged(page):
    assert shared_templates(page) == page


# --- a chart's JSON text: "/" and ">" as typed, "<" still escaped --------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.text() | st.floats(allow_nan=False, allow_infinity=False) | st.integers(-2**53, 2**53) | st.none(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=12))
def test_chart_json_reads_back_the_same_and_cannot_close_its_script(value):
    from impactlib.report.html import _json

    text = _json(value)
    assert json.loads(text) == value
    assert "<" not in text and "\u2028" not in text and "\u2029" not in text


def test_chart_json_writes_slash_and_greater_than_as_typed():
    from impactlib.report.html import _json

    assert _json({"a": "x/y > z </script>"}) == '{"a":"x/y > z \\u003c/script>"}'
    assert _json(["\\u002f"]) == '["\\\\u002f"]'  # a backslash then the letters u002f: left as they are


# --- optional end tags: the page leaves out the end tags HTML lets it leave out ----------------------------------

from impactlib.report.lean import optional_end_tags_dropped  # noqa: E402


def test_end_tags_the_next_tag_closes_are_left_out_and_nothing_else():
    markup = ('<table class="t"><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td><p>x</p></td></tr>'
              '<tr><td>&lt;/td&gt;</td></tr></tbody></table><ul><li>a</li><li>b<ul><li>c</li></ul></li></ul>'
              '<div><p>a</p><p>b <b>c</b></p> <span>d</span></div><p>e</p>')
    assert optional_end_tags_dropped(markup) == (
        '<table class="t"><thead><tr><th>a<th>b<tbody><tr><td>1<td><p>x<tr><td>&lt;/td&gt;</table>'
        '<ul><li>a<li>b<ul><li>c</ul></ul><div><p>a<p>b <b>c</b></p> <span>d</span></div><p>e</p>')


def test_a_fragment_displays_without_them_and_keeps_its_markup():
    from impactlib.report.html import Fragment

    frag = Fragment("<ul><li>a</li><li>b</li></ul>")
    assert frag._repr_html_() == "<ul><li>a<li>b</ul>" and frag.html == str(frag) == "<ul><li>a</li><li>b</li></ul>"


def _fragments(client: str, lang: str) -> dict[str, str]:
    """Every section of ``client``'s default scenario that takes (an, lang) and is a Fragment: name -> its markup."""
    import inspect

    import impactlib.report as report
    from conftest import DEMO
    from impactlib import assess, load_client
    from impactlib.report.html import Fragment

    c = load_client(DEMO / client)
    an = assess(c, c.scenario(c.profile.default_scenario), name=c.profile.default_scenario)
    out = {}
    for name in report.__all__:
        fn = getattr(report, name)
        if callable(fn) and list(inspect.signature(fn).parameters)[:2] == ["an", "lang"] and len(inspect.signature(fn).parameters) == 2:
            frag = fn(an, lang)
            if isinstance(frag, Fragment):
                out[name] = frag.html
    return out


@pytest.mark.parametrize("client, lang", [("acme-industrie", "fr"), ("cabinet-medical-rives", "en")])
def test_chromium_builds_the_same_document_without_them(browser, client, lang):
    """Each section's markup as written and as displayed parse to the same DOM in Chromium (serialised by it)."""
    frags = _fragments(client, lang)
    assert len(frags) >= 15 and "warnings" in frags and "validation" in frags
    page = browser.new_page()
    try:
        page.set_content("<!DOCTYPE html><html><head></head><body><main></main></body></html>")
        saved = 0
        for name, markup in frags.items():
            lean = optional_end_tags_dropped(markup)
            saved += len(markup) - len(lean)
            full, short = page.evaluate("""([a, b]) => [a, b].map(m => {
                const d = document.createElement('div'); d.innerHTML = m; return d.innerHTML; })""", [markup, lean])
            assert short == full, name
        assert saved > 2000  # the tables and lists of a demo report
    finally:
        page.close()
