"""The last parts of the report: hardware/software/security advice, confidentiality, and the appendix.

Every client-supplied string is escaped; staff appear only as counts.
"""

from __future__ import annotations

import platform

import numpy as np
import pandas as pd
import plotly

from impactlib import __version__
from impactlib.analysis import compat
from impactlib.analysis.assess import Analysis
from impactlib.model.documents import Assumptions
from impactlib.analysis.rules import certificate_expiry, hds_status
from impactlib.report import charts
from impactlib.report.text import GLOSSARY, TEXTS, date, esc, money, number, t
from impactlib.report import names as naming
from impactlib.report.html import Fragment, html_table
from impactlib.report.rule_text import RULE_TEXTS
from impactlib.model.frames import frame_rows

# precautions per sensitive data category (text keys); every intervention on sensitive data also gets
# a verified backup and logged, limited provider access
PRECAUTIONS = {
    "health": ("prec.dpia", "prec.processor"),
    "payroll_hr": ("prec.hr", "prec.processor"),
    "legal": ("prec.legal", "prec.processor"),
    "card_payments": ("prec.card",),
    "personal_data": ("prec.processor",),
    "trade_secrets": ("prec.secrets",),
}
MONEY_ASSUMPTIONS = {"provider_hourly_rate", "workstation_unit_cost", "recruitment_cost"}


def systems_section(an: Analysis, lang: str) -> Fragment:
    """Machines per product by verdict (with the failed checks counted), and products kept past end of support."""
    client = an.client
    names = _product_names(client, lang)
    v = an.verdicts
    if v.empty:
        hosts = f'<p>{esc(t("hosts_none", lang))}</p>'
    else:
        rows = []
        for (change_id, product_id), per, failed in _hosts(v):
            rows.append([esc(change_id), esc(names.get(product_id, product_id)),
                         esc(number(int(per.get("pass", 0)), lang)), esc(number(int(per.get("fail", 0)), lang)),
                         esc(number(int(per.get("unknown", 0)), lang)),
                         esc(", ".join(f"{t('check.' + c, lang) if ('check.' + c) in TEXTS else c}: {number(int(n), lang)}"
                                       for c, n in failed) or "—")])
        hosts = html_table([t("col.ref", lang), t("col.product", lang), t("col.hosts_ok", lang), t("col.hosts_fail", lang),
                        t("col.hosts_unknown", lang), t("col.failed_checks", lang)], rows, "hosts")
    life = an.lifecycle
    life = life.loc[life["status"].isin(["ended", "ending"])]
    asset_names = client.assets.set_index("asset_id")["name"]
    if life.empty:
        eol = f'<p>{esc(t("eol_none", lang))}</p>'
    else:
        rows = [[esc(asset_names.get(r.subject_id, r.subject_id)), esc(names.get(r.product_id, r.product_id)),
                 esc(r.version if isinstance(r.version, str) else "—"), esc(number(int(r.quantity), lang)),
                 esc(date(r.end_of_support.date(), lang)) if pd.notna(r.end_of_support) else "—",
                 esc(t("life." + r.status, lang))]
                for r in frame_rows(life.sort_values(["end_of_support", "subject_id"]))]
        eol = html_table([t("col.subject", lang), t("col.product", lang), t("col.version", lang), t("col.quantity", lang),
                      t("col.end_of_support", lang), t("col.support_status", lang)], rows, "eol")
    return Fragment(f'<section class="systems"><h3>{esc(t("systems", lang))}</h3><p>{esc(t("systems_intro", lang))}</p>'
                    f'<h4>{esc(t("hosts", lang))}</h4>{hosts}<h4>{esc(t("eol_kept", lang))}</h4>{eol}</section>')


def _hosts(v: pd.DataFrame) -> list[tuple[tuple[str, str], dict, list[tuple[str, int]]]]:
    """Per (change, product), in order: the machines per verdict and per failed check (most first), from the host
    verdicts. In plain Python for the usual frame (ids as text, whole quantities: ~6 ms less a report than a groupby
    and an explode per product); otherwise by pandas. tests/test_charts.py compares both."""
    simple = str(v["quantity"].dtype) == "int64" and all(v[c].dtype == "str" for c in ("change_id", "product_id", "verdict", "failed"))
    if not simple:
        return _hosts_by_pandas(v)
    groups: dict = {}
    for change_id, product_id, verdict, failed, quantity in zip(v["change_id"], v["product_id"], v["verdict"], v["failed"], v["quantity"].tolist()):
        if change_id != change_id or product_id != product_id:  # NA keys: no group, as groupby drops them
            continue
        per, checks = groups.setdefault((change_id, product_id), ({}, {}))
        if verdict == verdict:
            per[verdict] = per.get(verdict, 0) + quantity
        for check in (failed.split(", ") if failed == failed else ()):
            if check != "":
                checks[check] = checks.get(check, 0) + quantity
    out = []
    for key in sorted(groups):
        per, checks = groups[key]
        named = sorted(checks)  # the groupby's order, then most machines first as Series.sort_values(ascending=False)
        counts = np.array([checks[c] for c in named], dtype="int64")  # orders them (its ties: numpy's quicksort's)
        order = charts.largest_first(counts)
        out.append((key, per, [(named[i], int(counts[i])) for i in order]))
    return out


def _hosts_by_pandas(v: pd.DataFrame) -> list[tuple[tuple[str, str], dict, list[tuple[str, int]]]]:
    out = []
    for key, g in v.groupby(["change_id", "product_id"], sort=True):
        per = g.groupby("verdict")["quantity"].sum()
        failed = (g.assign(check=g["failed"].str.split(", ")).explode("check").query("check != ''")
                  .groupby("check")["quantity"].sum().sort_values(ascending=False))
        out.append((key, dict(per.items()), list(failed.items())))
    return out


def confidentiality_section(an: Analysis, lang: str) -> Fragment:
    """The label, the sensitive data each intervention touches with its precautions, the provider's commitments."""
    client = an.client
    p = client.profile
    k = an.assumptions.k_anonymity
    rows = []
    for c in an.changes:
        cats = compat.data_touched(client, c, an.touched[c.id]["asset_id"])
        if not cats:
            continue
        keys = ["prec.backup", "prec.access"]
        for cat in sorted(cats):
            keys += [x for x in PRECAUTIONS.get(cat, ()) if x not in keys]
        items = [t(x, lang) for x in keys]
        product = client.catalog.products.get(c.product_id)
        hds = hds_status(client, c, product, set(cats))  # the same reading as the SEC-HDS warnings
        if hds is not None:
            expiry = certificate_expiry(client, product)  # the client's certificate on file, else the catalog's
            shown = date(expiry, lang) if expiry else "—"
            until = t("prec.hds.until", lang, expiry=shown) if expiry else ""
            items.insert(2, t(f"prec.hds.{hds}", lang, product=naming.product(product, lang), expiry=shown, until=until))
        rows.append([esc(c.id), esc(c.title), esc(", ".join(t("data." + x, lang) for x in sorted(cats))),
                     "<ul>" + "".join(f"<li>{esc(x)}</li>" for x in items) + "</ul>"])
    table = (html_table([t("col.ref", lang), t("col.change", lang), t("col.data", lang), t("col.precautions", lang)], rows, "conf")
             if rows else f'<p>{esc(t("conf_none", lang))}</p>')
    commitments = "".join(f"<li>{esc(t(f'commit.{i}', lang))}</li>" for i in range(1, 6))
    return Fragment(f'<section class="confidentiality"><h2>{esc(t("confidentiality", lang))}</h2>'
                    f'<p><span class="label label-{esc(p.confidentiality)}">{esc(t("label." + p.confidentiality, lang))}</span></p>'
                    f'<p>{esc(t("conf_label", lang, label=t("label." + p.confidentiality, lang), k=k))}</p>'
                    f'<h3>{esc(t("conf_changes", lang))}</h3>{table}'
                    f'<h3>{esc(t("commitments", lang))}</h3><ul>{commitments}</ul></section>')


def appendix(an: Analysis, lang: str) -> Fragment:
    """Assumptions (changed ones marked), method, glossary, input fingerprint and versions."""
    client = an.client
    a = an.assumptions
    default = Assumptions()
    cur = client.profile.currency
    rows = []
    for name in Assumptions.model_fields:
        value = getattr(a, name)
        if value is None:  # e.g. a device price or working days read from the catalog or the calendar
            shown = t("asm.from_data", lang)
        else:
            shown = money(value, cur, lang) if name in MONEY_ASSUMPTIONS else number(value, lang, 0 if float(value).is_integer() else 2)
        mark = " *" if value != getattr(default, name) else ""
        rows.append([esc(t("asm." + name, lang)), esc(shown + mark)])
    assumptions_html = f'<p>{esc(t("assumptions_intro", lang))}</p><table class="kv">' + "".join(
        f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows) + "</table>"
    method = f'<p>{esc(t("method.text", lang, rules=len(RULE_TEXTS)))}</p>'
    gloss = "".join(f"<dt>{esc(fw if lang == 'fr' else ew)}</dt><dd>{esc(fd if lang == 'fr' else ed)}</dd>" for ew, ed, fw, fd in GLOSSARY)
    prov = [(t("prov.fingerprint", lang), f"<code>{esc(client.fingerprint)}</code>"),
            (t("prov.catalog", lang), esc(", ".join(client.catalog.sources) or "impactlib")),
            (t("prov.software", lang), esc(f"impactlib {__version__}, Python {platform.python_version()}, "
                                           f"pandas {pd.__version__}, plotly {plotly.__version__}"))]
    prov_html = '<table class="kv">' + "".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in prov) + "</table>"
    return Fragment(f'<section class="appendix"><h2>{esc(t("appendix", lang))}</h2>'
                    f'<h3>{esc(t("assumptions", lang))}</h3>{assumptions_html}'
                    f'<h3>{esc(t("method", lang))}</h3>{method}'
                    f'<h3>{esc(t("glossary", lang))}</h3><dl class="glossary">{gloss}</dl>'
                    f'<h3>{esc(t("provenance", lang))}</h3>{prov_html}</section>')


def _product_names(client, lang: str) -> dict[str, str]:
    return {pid: naming.product(p, lang) for pid, p in client.catalog.products.items()}

