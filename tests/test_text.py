"""Locale formats and wording: every text exists in both languages."""

from __future__ import annotations

import datetime as dt

import pytest

from impactlib.report import text


@pytest.mark.parametrize("value,currency,lang,expected", [
    (12345.67, "EUR", "fr", "12\u202f345,67\u00a0€"),
    (12345.67, "EUR", "en", "€12,345.67"),
    (950, "USD", "en", "US$950.00"),
])
def test_money(value, currency, lang, expected):
    assert text.money(value, currency, lang, digits=2) == expected


@pytest.mark.parametrize("lang,expected", [("fr", "4 janv. 2027"), ("en", "4 Jan 2027")])
def test_date(lang, expected):
    assert text.date(dt.date(2027, 1, 4), lang) == expected


@pytest.mark.parametrize("lang,expected", [("fr", "12\u202f345,7"), ("en", "12,345.7")])
def test_number(lang, expected):
    assert text.number(12345.67, lang, 1) == expected


def test_every_text_has_both_languages_and_same_placeholders():
    import string
    for key, (en, fr) in text.TEXTS.items():
        assert en and fr, key
        # a plural choice {n|one|other} counts as the placeholder n
        fields = lambda s: {f for _, f, _, _ in string.Formatter().parse(text._PLURAL.sub(r"{\1}", s)) if f}  # noqa: E731
        assert fields(en) == fields(fr), key


def test_escape():
    assert text.esc('<a href="x">&</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"


def test_no_text_key_is_defined_twice():
    """A repeated key in the TEXTS literal silently replaces the first text (it once turned a card's
    'Recommendation' label into the section title '3. Advice')."""
    import ast
    import inspect

    from impactlib.report import text

    tree = ast.parse(inspect.getsource(text))
    literal = next(n.value for n in ast.walk(tree) if isinstance(n, ast.AnnAssign) and getattr(n.target, "id", "") == "TEXTS")
    keys = [k.value for k in literal.keys]
    assert sorted({k for k in keys if keys.count(k) > 1}) == []


@pytest.mark.parametrize("n,en,fr", [
    (0, "0 blockers to resolve", "0 point bloquant à lever"),  # CLDR: French 0 is singular, English 0 plural
    (1, "1 blocker to resolve", "1 point bloquant à lever"),
    (2, "2 blockers to resolve", "2 points bloquants à lever"),
    ("1\u202f234", "1\u202f234 blockers to resolve", "1\u202f234 points bloquants à lever"),  # a formatted count
])
def test_plurals_follow_cldr_rules(n, en, fr):
    assert text.t("reason.blockers", "en", n=n) == en
    assert text.t("reason.blockers", "fr", n=n) == fr


def test_no_text_uses_a_bracketed_plural():
    from impactlib.report.rule_text import RULE_TEXTS

    texts = [s for pair in text.TEXTS.values() for s in pair]
    texts += [s for parts in RULE_TEXTS.values() for pair in parts.values() for s in pair]
    assert [s for s in texts if "(s)" in s] == []


def test_severity_counts_agree_in_french():
    assert [text.t("sevn." + s, "fr", n=n) for s, n in (("blocker", 6), ("high", 12), ("medium", 1))] == ["bloquants", "élevés", "moyen"]


def test_no_message_of_the_package_writes_a_plural_as_s():
    """The CLI's and the shell's English messages count with ``model.names.count`` ("1 report", "3 reports"):
    no string constant of the package (f-strings' literal parts included; docstrings aside) says "(s)"."""
    import ast

    from conftest import ROOT
    from impactlib.model.names import count

    found = []
    for path in sorted((ROOT / "impactlib").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                      and n.body and isinstance(n.body[0], ast.Expr)}
        found += [f"{path.relative_to(ROOT)}:{n.lineno}" for n in ast.walk(tree)
                  if isinstance(n, ast.Constant) and isinstance(n.value, str) and "(s)" in n.value and id(n) not in docstrings]
    assert not found, found
    assert (count(1, "report"), count(3, "report"), count(1200, "person", "people")) == ("1 report", "3 reports", "1,200 people")
