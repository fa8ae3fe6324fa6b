"""What a client reads: the demo reports' visible text, in each language, carries no internal id, no query
syntax, no "(s)" plural and no word of the other language.

The report notebook's cells are run in this process (as the kernel would, without one), each displayed
object turned into the HTML the exported report shows; charts contribute their titles, axis titles,
tick labels, trace names and texts.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import sys

import jupytext
import pytest

from conftest import DEMO, ROOT

sys.path.insert(0, str(ROOT / "tools"))
from report_text_diff import visible_text  # noqa: E402

TEMPLATE = ROOT / "impactlib" / "notebooks" / "client_report.py"
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")  # exchange_admin, payroll_hr, tpm_version
QUERY = re.compile(r">=|<=|&[a-z]|\(s\)")
# words that give away the other language (client-supplied strings are in the client's language: the
# check runs on the reports of clients whose language is the report's)
ENGLISH = re.compile(r"\b(the|and|with|required|level|users?|criterion|blockers?|warnings?|too small|impactlib to count|"
                     r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Sat|Sun|generic|small-business|unsupported|supported|processor|enabled|disabled)\b")
FRENCH = re.compile(r"\b(le|la|les|des|du|et|avec|requis|niveau|utilisateurs|critère|bloquants?|janv|févr|avr|juil|sept|"
                    r"oct|déc|samedi|dimanche)\b|\bà\b")
# brand and product names that contain such words, as the catalog spells them
BRANDS = re.compile(r"Veeam Backup & Replication|Microsoft Defender for Business|Microsoft 365 Business (Standard|Premium)|"
                    r"Power Query|Secure Boot|Teams", re.I)


def shown(client: str, lang: str) -> tuple[list[str], list[str]]:
    """The visible text lines of the report of ``client`` in ``lang``, and the text its charts draw."""
    nb = jupytext.read(TEMPLATE)
    displayed: list = []  # what the template's cells display, in order (IPython's display, here a list)
    scope: dict = {"display": displayed.append}
    pages, charts = [], []
    for cell in nb.cells:
        if cell.cell_type != "code" or "impactlib-headline" in cell.metadata.get("tags", []):
            continue
        source = cell.source
        if "parameters" in cell.metadata.get("tags", []):
            source += (f"\nclient = {client!r}\nlang = {lang!r}\ndata_dir = {str(DEMO)!r}\n"
                       f"report_date = {dt.date(2026, 11, 30).isoformat()!r}\nscenario = None")
        *body, last = compile_cells(source)
        for stmt in body:
            exec(stmt, scope)
        obj = None if last is None else eval(last, scope)
        if obj is not None:
            displayed.append(obj)
    for obj in displayed:
        bundle = obj._repr_mimebundle_() if hasattr(obj, "_repr_mimebundle_") else {"text/html": obj._repr_html_()}
        pages.append(bundle["text/html"])
        fig = bundle.get("application/vnd.plotly.v1+json")
        if fig:
            charts += chart_text(fig)
    return visible_text("".join(pages)), charts


def compile_cells(source: str):
    """The statements of a cell, compiled; the last one as an expression (None when it is not one)."""
    import ast

    tree = ast.parse(source)
    stmts = [compile(ast.Module([s], []), "<cell>", "exec") for s in tree.body[:-1]]
    last = tree.body[-1] if tree.body else None
    if isinstance(last, ast.Expr):
        return [*stmts, compile(ast.Expression(last.value), "<cell>", "eval")]
    return [*stmts, *([compile(ast.Module([last], []), "<cell>", "exec")] if last else []), None]


def chart_text(fig: dict) -> list[str]:
    """What a chart draws as words: title, axis titles, category ticks, trace names and texts."""
    layout = fig.get("layout", {})
    out = [((layout.get("title") or {}).get("text") or "")]
    for key, axis in layout.items():
        if key.startswith(("xaxis", "yaxis")):
            out.append(((axis.get("title") or {}).get("text") or ""))
            out += [str(v) for v in axis.get("ticktext") or []]
    for trace in fig.get("data", []):
        out.append(str(trace.get("name") or ""))
        for key in ("x", "y", "text"):
            values = trace.get(key)
            if isinstance(values, list) and values and all(isinstance(v, str) for v in values):
                out += values
    return [html.unescape(re.sub(r"<br>", " ", s)) for s in out if s]


def offending(lines: list[str], other: re.Pattern) -> list[str]:
    bad = []
    for line in lines:
        plain = BRANDS.sub("", line)
        plain = re.sub(r"\b[A-Z]+(?:-[A-Za-z0-9_]+)+\b", "", plain)  # finding references (HW-C1-PC-CN) are shown on purpose
        for pattern in (SNAKE, QUERY, other):
            m = pattern.search(plain)
            if m:
                bad.append(f"{m.group(0)!r} in: {line[:160]}")
                break
    return bad


@pytest.mark.parametrize("client, lang", [("acme-industrie", "fr"), ("cabinet-medical-rives", "fr"), ("lex-partners", "en")])
def test_report_text_has_no_ids_and_no_word_of_the_other_language(client, lang):
    lines, charts = shown(client, lang)
    assert len(lines) > 200 and charts  # the whole report was read
    assert offending(lines + charts, ENGLISH if lang == "fr" else FRENCH) == []
    if lang == "fr":  # French puts a space before ; : ! ? (client strings and times such as 08:00 aside)
        assert [x for x in lines if re.search(r"\S;(?=\s)", x)] == []


@pytest.mark.parametrize("client", ["acme-industrie", "lex-partners"])
def test_report_in_the_other_language_names_ids_too(client):
    """A French client's report in English (and the other way round) still shows no id, query or "(s)"."""
    lang = "en" if client == "acme-industrie" else "fr"
    lines, charts = shown(client, lang)
    assert offending(lines + charts, re.compile(r"(?!x)x")) == []


def test_french_plotly_locale_matches_the_report_dates():
    """The plotly locale embedded in French pages writes months as Babel (CLDR) does: "nov. 2026"."""
    from babel.dates import get_month_names

    from impactlib.run.runner import locale_head

    js = locale_head("fr")
    fmt = json.loads(re.search(r"format: (\{.*?\})\n", js).group(1))
    assert fmt["shortMonths"] == [get_month_names("abbreviated", locale="fr_FR")[i] for i in range(1, 13)]
    assert fmt["shortMonths"][10] == "nov." and fmt["decimal"] == ","
    assert "Plotly.setPlotConfig({locale: 'fr'})" in js and "http" not in js.split("*/", 1)[1]
    assert locale_head("en") == ""


@pytest.mark.parametrize("name", ['</style><script>alert(1)</script>', 'A "quoted" \\ name; } @page { x', "Café & Co — Réf. 7"])
def test_running_footer_cannot_leave_its_css_string(name):
    from impactlib.report.html import css_string, running_footer

    quoted = css_string(name)
    assert quoted.startswith('"') and quoted.endswith('"') and not re.search(r'[<>"{};\n]', quoted[1:-1].replace("\\", ""))
    footer = running_footer(name, "fr")
    assert footer.count("<") == 2 and "Page" in footer and "sur" in footer  # only its own <style> and </style>


def test_contents_list_links_every_section_after_the_summary():
    from impactlib.report.contents import with_contents

    cell = '<div class="cell">'
    page = (f'<main>{cell}<section class="cover"><h1>T</h1></section></div>{cell}<section class="exec-summary"><h2>Summary</h2>'
            f'</section></div>{cell}<h2>1. Needs &amp; means</h2></div>{cell}<h2 id="x">2. Warnings</h2><h2>3. Advice</h2></div></main>')
    done = with_contents(page, "en")
    nav = done[done.index("<nav"):done.index("</nav>")]
    assert done.index("<nav") > done.index("exec-summary") and done.index("<nav") < done.index("1. Needs")
    assert re.findall(r'href="#([^"]+)"', nav) == ["sec-1", "sec-2", "x", "sec-4"]
    assert ">1. Needs &amp; means</a>" in nav and 'id="sec-2"' in done
    assert with_contents(f"{cell}<h2>only one</h2></div>", "en") == f"{cell}<h2>only one</h2></div>"


def test_comparison_report_prints_the_client_and_page_numbers_on_every_page():
    from impactlib import assess, load_client
    from impactlib.report.compare import comparison_cover
    from impactlib.report.html import css_string
    from impactlib.report.text import t

    client = load_client(DEMO / "lex-partners")
    day = dt.date(2026, 11, 30)
    cover = str(comparison_cover([assess(client, s, as_of=day) for s in ("baseline", "replace-laptops")], "en", day))
    assert "@bottom-left" in cover and css_string(f"{client.profile.name} — {t('cmp.report_title', 'en')}") in cover, cover[:400]
    assert "counter(pages)" in cover


def test_heatmap_cell_numbers_use_the_reports_decimal_mark():
    """The impact and change-load heatmaps print their numbers as the report does: "4,3" in French, "4.3" in English."""
    import json as js

    from impactlib import assess, load_client, report

    an = assess(load_client(DEMO / "acme-industrie"))
    for lang, mark in (("fr", ","), ("en", ".")):
        for chart in (report.impact_chart, report.load_chart):
            bundle = chart(an, lang)._repr_mimebundle_()["application/vnd.plotly.v1+json"]
            cells = [c for trace in bundle["data"] if trace.get("type") == "heatmap" for row in trace["text"] for c in row if c]
            assert cells and all(re.fullmatch(r"\d+" + re.escape(mark) + r"\d( ▲)?", c) for c in cells), (lang, cells[:5])


def test_evidence_hours_are_not_money_and_counts_agree():
    """COOP-TIME's "training" is hours of staff time (BUD-TRAINING's is an amount): no currency sign before "h";
    LIC's advice says "1 seat" / "1 licence" in the singular."""
    from impactlib.model.finding import Finding
    from impactlib.report.html import finding_text

    coop = Finding("COOP-TIME", "COOP-TIME", "high", 5, 3, "cooperation",
                   evidence={"need": 1200, "given": 300, "shortfall": 900, "training": 822, "key_users": 378, "departments": "—"})
    assert finding_text(coop, "evidence", "en", "EUR").startswith("Training 822 h and key users 378 h; short by 900 h.")
    assert finding_text(coop, "evidence", "fr", "EUR").startswith("Formation 822 h et référents 378 h ; il manque 900 h.")
    budget = Finding("BUD-TRAINING", "BUD-TRAINING", "high", 4, 3, "budget", evidence={"training": 46750.0, "budget": 20000.0, "people": 50, "over": 26750.0})
    assert "€" in finding_text(budget, "title", "en", "EUR")  # the other rule's "training" stays an amount
    lic = Finding("LIC-C1", "LIC", "high", 5, 3, "licensing", "C1", evidence={"product": "P", "seats": 4, "users": 5, "missing": 1, "cost": 120.0})
    assert finding_text(lic, "advice", "en", "EUR").startswith("Add 1 seat (about")
    assert finding_text(lic, "advice", "fr", "EUR").startswith("Ajouter 1 licence (environ")


def test_evidence_leaves_out_what_is_empty_and_words_a_missing_record():
    """A finding's evidence drops a clause whose every value is empty ("Not documented: —.") and says "none" of a
    record the client does not have (restore test, DPO, CNIL type), in each language."""
    from impactlib.model.finding import Finding
    from impactlib.report.html import finding_text, optional

    feat = Finding("FEAT-C1-X", "FEAT", "medium", 3, 3, "compatibility", "C1",
                   evidence={"department": "Finance", "product": "LibreOffice", "users": 14, "lacking": "—",
                             "partial": "pivot_tables", "unknown": "—"})
    en, fr = (finding_text(feat, "evidence", lang, "EUR") for lang in ("en", "fr"))
    assert en == "14 users. Partly supported: pivot tables."
    assert fr == "14 utilisateurs. Partiellement : tableaux croisés dynamiques."
    every = Finding("FEAT-C1-X", "FEAT", "medium", 3, 3, "compatibility", "C1",
                    evidence={"department": "Finance", "product": "LibreOffice", "users": 2, "lacking": "power_query",
                              "partial": "pivot_tables", "unknown": "vba_macros"})
    assert finding_text(every, "evidence", "en", "EUR") == ("2 users. Not supported: Power Query. Partly supported: "
                                                            "pivot tables. Not documented: VBA macros.")
    coop = Finding("COOP-TIME", "COOP-TIME", "high", 5, 3, "cooperation",
                   evidence={"need": 1200, "given": 300, "shortfall": 900, "training": 822, "key_users": 378, "departments": "—"})
    assert finding_text(coop, "evidence", "en", "EUR") == "Training 822 h and key users 378 h; short by 900 h."
    short = Finding("COOP-TIME", "COOP-TIME", "high", 5, 3, "cooperation",
                    evidence={"need": 1200, "given": 300, "shortfall": 900, "training": 822, "key_users": 378, "departments": "Finance"})
    assert finding_text(short, "evidence", "fr", "EUR").endswith("il manque 900 h. Services en manque : Finance.")
    restore = Finding("CHG-RESTORE-C1", "CHG-RESTORE", "high", 4, 3, "change", "C1",
                      evidence={"cutover": dt.date(2027, 2, 1), "restore_test": "—", "criticality": "high", "criticality_fr": "haute"})
    assert "restore test on file: none;" in finding_text(restore, "evidence", "en", "EUR")
    assert "test de restauration au dossier : aucun ;" in finding_text(restore, "evidence", "fr", "EUR")
    # a clause is kept when one of its values is given, and its brackets go
    assert optional("a.[ b {x}, {y}.]", {"x": "—", "y": "2"}) == "a. b {x}, {y}."
    assert optional("a.[ b {x}.] c", {"x": ""}) == "a. c"


def test_no_demo_finding_prints_an_empty_clause():
    """The evidence and advice of every finding of the demo clients, in both languages: no "label: —" left."""
    from impactlib import assess, load_client
    from impactlib.report.html import finding_text

    seen = 0
    for folder in sorted(p for p in DEMO.iterdir() if (p / "client.yaml").exists()):
        c = load_client(folder)
        an = assess(c, c.profile.default_scenario, as_of=dt.date(2026, 11, 30))
        for f in an.findings:
            for lang in ("en", "fr"):
                for part in ("evidence", "advice"):
                    text = finding_text(f, part, lang, c.profile.currency, c.catalog)
                    seen += 1
                    assert not re.search(r"\w ?: —(?=[ .;,]|$)", text), f"{folder.name} {f.id} {lang} {part}: {text}"
    assert seen > 100


@pytest.mark.parametrize("key, values, en1, fr1", [
    ("cmp.read_same", {"months": 36, "best": "B", "verdict": "V", "b": 1, "h": 1, "total": "T"}, "1 blocker, 1 high", "1 bloquant, 1 élevé"),
    ("cmp.read_same", {"months": 36, "best": "B", "verdict": "V", "b": 3, "h": 26, "total": "T"}, "3 blockers, 26 high", "3 bloquants, 26 élevés"),
    ("dip", {"depth": "10 %", "weeks": 1}, "for 1 week", "pendant 1 semaine"),
    ("rec.training", {"n": 1, "hours": 4}, "Run 1 training session (", "Tenir 1 session de formation ("),
])
def test_counts_agree_with_their_nouns(key, values, en1, fr1):
    """Issue 17: "6 bloquant, 12 élevé" and "1 users" do not reach a client: counts take CLDR's plural forms."""
    from impactlib.report.text import t

    assert en1 in t(key, "en", **values)
    assert fr1 in t(key, "fr", **values)


def test_finding_counts_agree_with_their_nouns():
    from impactlib.model.finding import Finding
    from impactlib.report.html import finding_text

    pilot = Finding("CHG-PILOT-C1", "CHG-PILOT", "high", 4, 3, "change", "C1",
                    evidence={"users": 1, "rollout": "big_bang", "criticality": "high", "criticality_fr": "haute"})
    assert finding_text(pilot, "evidence", "en", "EUR").startswith("1 user;")
    assert finding_text(pilot, "evidence", "fr", "EUR").startswith("1 utilisateur ;")
    lic = Finding("LIC-C1", "LIC", "high", 5, 3, "licensing", "C1", evidence={"product": "P", "seats": 1, "users": 2, "missing": 1, "cost": 120.0})
    assert finding_text(lic, "evidence", "en", "EUR") == "1 seat planned for 2 people who will use it."
    assert finding_text(lic, "evidence", "fr", "EUR") == "1 licence prévue pour 2 utilisateurs."


def test_a_single_go_live_date_is_not_a_range_and_an_unstated_volume_is_not_zero():
    """"1 change goes live from 28 May 2027 to 28 May 2027" and "Data to migrate: 0 GB" (no volume given: an OS upgrade in
    place) were what a client read: one date says "on", and SEC-DATA's volume clause goes when no volume is given."""
    from impactlib import assess, load_client, report
    from impactlib.report.html import finding_text

    c = load_client(DEMO / "harbour-outfitters")  # one change: Windows 11 in place, no data to migrate
    an = assess(c, "baseline", as_of=dt.date(2026, 12, 1))
    h = an.headline
    assert h["changes"] == 1 and h["first_go_live"] == h["last_go_live"]
    en, fr = (html.unescape(report.executive_summary(an, lang)._repr_html_()) for lang in ("en", "fr"))
    assert "1 change goes live on 28 May 2027;" in en and "from 28 May 2027 to 28 May 2027" not in en
    assert "1 évolution mise en service le 28 mai 2027 ;" in fr and "du 28 mai 2027 au 28 mai 2027" not in fr
    assert '<span class="sub">the only change</span>' in en and '<span class="sub">la seule évolution</span>' in fr
    sec = next(f for f in an.findings if f.rule == "SEC-DATA")
    assert sec.evidence["volume"] is None
    for lang in ("en", "fr"):
        text = finding_text(sec, "evidence", lang, "EUR", c.catalog)
        assert " GB" not in text and " Go" not in text and text.endswith("."), text
    # with a volume the clause is there, and several dates stay a range
    moved = assess(load_client(DEMO / "acme-industrie"), "baseline", as_of=dt.date(2026, 12, 1))
    sec = next(f for f in moved.findings if f.rule == "SEC-DATA")
    assert "Data to migrate: 45 GB" in finding_text(sec, "evidence", "en", "EUR")
    assert "3 changes go live from 4 Jan 2027 to 15 Mar 2027;" in html.unescape(report.executive_summary(moved, "en")._repr_html_())
