"""Report wording in English and French, and locale-aware number, date and money formats."""

from __future__ import annotations

import datetime as dt
import html

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

LOCALES = {"en": "en_GB", "fr": "fr_FR"}

# message id -> (English, French). Placeholders use str.format names.
TEXTS: dict[str, tuple[str, str]] = {
    # cover
    "report_title": ("Impact assessment of the planned IT changes", "Étude d'impact des évolutions informatiques prévues"),
    "client": ("Client", "Client"),
    "scenario": ("Scenario", "Scénario"),
    "report_date": ("Report date", "Date du rapport"),
    "spec_version": ("Requirements spec", "Cahier des charges"),
    "tool_version": ("impactlib version", "Version d'impactlib"),
    "fingerprint": ("Input fingerprint", "Empreinte des données"),
    "provider": ("Prepared by", "Préparé par"),
    "label.internal": ("INTERNAL", "USAGE INTERNE"),
    "label.confidential": ("CONFIDENTIAL", "CONFIDENTIEL"),
    "label.secret": ("SECRET — restricted distribution", "SECRET — diffusion restreinte"),
    "cover_note": ("This document fulfils the provider's duty to inform: it restates your need, warns about the "
                   "risks of the planned changes and advises on their impact, so that you decide knowingly.",
                   "Ce document répond à l'obligation d'information du prestataire : il reformule votre besoin, "
                   "met en garde contre les risques des évolutions prévues et conseille sur leur impact, afin que "
                   "vous décidiez en connaissance de cause."),
    # overview
    "overview": ("Your organisation and systems at a glance", "Votre organisation et vos systèmes en bref"),
    "kpi.staff": ("staff", "salariés"),
    "kpi.departments": ("departments", "services"),
    "kpi.devices": ("workstations and laptops", "postes et portables"),
    "kpi.servers": ("servers", "serveurs"),
    "kpi.software": ("software and services", "logiciels et services"),
    "kpi.changes": ("planned changes", "évolutions prévues"),
    "departments": ("Departments", "Services"),
    "col.department": ("Department", "Service"),
    "col.headcount": ("Headcount", "Effectif"),
    "col.criticality": ("Criticality", "Criticité"),
    "col.systems": ("Systems used", "Systèmes utilisés"),
    "crit.low": ("low", "faible"), "crit.medium": ("medium", "moyenne"),
    "crit.high": ("high", "haute"), "crit.critical": ("critical", "critique"),
    # needs
    "needs": ("1. Your needs", "1. Votre besoin"),
    "needs_intro": ("Your requirements spec “{title}” (version {version}, {date}), as we understood it.",
                    "Votre cahier des charges « {title} » (version {version}, {date}), tel que nous l'avons compris."),
    "objectives": ("Objectives", "Objectifs"),
    "col.id": ("Id", "Réf."), "col.objective": ("Objective", "Objectif"), "col.priority": ("Priority", "Priorité"),
    "col.criterion": ("Success criterion", "Critère de réussite"),
    "prio.must": ("must", "indispensable"), "prio.should": ("should", "souhaitable"), "prio.could": ("could", "optionnel"),
    "no_criterion": ("— none given —", "— non précisé —"),
    "constraints": ("Constraints and means", "Contraintes et moyens"),
    "c.budget": ("Budget", "Budget"), "c.training_budget": ("of which training", "dont formation"),
    "c.go_live": ("Go-live", "Mise en service"), "c.max_downtime": ("Maximum downtime per intervention", "Interruption maximale par intervention"),
    "c.windows": ("Intervention windows", "Créneaux d'intervention"),
    "c.staff_hours": ("Client staff time for the project", "Temps des équipes du client pour le projet"),
    "c.test_env": ("Test environment", "Environnement de test"),
    "c.other": ("Other", "Autres"),
    "c.blackouts": ("Blackout periods", "Périodes gelées"),
    "not_given": ("not given", "non précisé"), "yes": ("yes", "oui"), "no": ("no", "non"),
    "hours": ("{n} h", "{n} h"),
    "whole_company": ("whole company", "toute l'entreprise"),
    "changes": ("Planned changes in this scenario", "Évolutions prévues dans ce scénario"),
    "col.change": ("Change", "Évolution"), "col.action": ("Action", "Action"), "col.from_to": ("From → to", "De → vers"),
    "col.scope": ("Scope", "Périmètre"), "col.start": ("Start", "Début"), "col.go_live": ("Go-live", "Mise en service"),
    "col.rollout": ("Rollout", "Déploiement"),
    "action.add": ("add", "ajout"), "action.replace": ("replace", "remplacement"), "action.upgrade": ("upgrade", "mise à niveau"),
    "action.remove": ("remove", "retrait"), "action.migrate": ("migrate", "migration"),
    "rollout.big_bang": ("big bang", "bascule unique"), "rollout.phased": ("phased", "par vagues"),
    "rollout.pilot_then_big_bang": ("pilot, then big bang", "pilote puis bascule"),
    "rollout.parallel_run": ("parallel run", "fonctionnement en parallèle"),
    "day.mon": ("Mon", "lun."), "day.tue": ("Tue", "mar."), "day.wed": ("Wed", "mer."), "day.thu": ("Thu", "jeu."),
    "day.fri": ("Fri", "ven."), "day.sat": ("Sat", "sam."), "day.sun": ("Sun", "dim."),
    # charts
    "chart.os.title": ("Workstations and servers (units) by operating system and support status",
                       "Postes et serveurs (unités) par système d'exploitation et état du support"),
    "status.ended": ("support ended before go-live", "support terminé avant la mise en service"),
    "status.ending": ("support ends within {months} months of go-live", "support terminé dans les {months} mois suivant la mise en service"),
    "status.supported": ("supported", "supporté"),
    "status.unknown": ("unknown support date", "date de fin de support inconnue"),
    "status.no_os": ("operating system not recorded", "système non renseigné"),
    "chart.os.read": ("{bad} of {total} devices ({share}) run an operating system whose support has ended or ends "
                      "within {months} months of the first go-live ({go_live}).",
                      "{bad} appareils sur {total} ({share}) fonctionnent sous un système dont le support est terminé "
                      "ou se termine dans les {months} mois suivant la première mise en service ({go_live})."),
    "chart.os.read_ok": ("All {total} devices run an operating system supported beyond {months} months after the first go-live ({go_live}).",
                         "Les {total} appareils fonctionnent sous un système supporté au-delà de {months} mois après la première mise en service ({go_live})."),
    "chart.usage.title": ("Who uses which system (people per department)", "Qui utilise quel système (personnes par service)"),
    "chart.usage.read": ("{system} is the most widely used system ({users} people in {depts} departments); systems "
                         "touched by a planned change are marked with ●.",
                         "{system} est le système le plus utilisé ({users} personnes dans {depts} services) ; les "
                         "systèmes concernés par une évolution prévue sont marqués d'un ●."),
    "chart.timeline.title": ("Planned changes and blackout periods", "Évolutions prévues et périodes gelées"),
    "chart.timeline.read_clash": ("{n} go-live date(s) fall inside a blackout period: {which}.",
                                  "{n} date(s) de mise en service tombent dans une période gelée : {which}."),
    "chart.timeline.read_ok": ("No go-live date falls inside a blackout period.",
                               "Aucune mise en service ne tombe dans une période gelée."),
    "go_live_marker": ("go-live", "mise en service"),
    "blackout": ("blackout", "période gelée"),
    "footer": ("Generated by impactlib {version} from input fingerprint {fp}. Staff appear only as counts; no names or e-mail addresses are included.",
               "Produit par impactlib {version} à partir de l'empreinte {fp}. Les salariés n'apparaissent que sous forme d'effectifs ; aucun nom ni adresse e-mail n'est inclus."),
}


def t(key: str, lang: str, **values) -> str:
    """The text ``key`` in ``lang`` ('en' or 'fr'), with ``values`` filled in (not escaped)."""
    en, fr = TEXTS[key]
    return (fr if lang == "fr" else en).format(**values)


def esc(value) -> str:
    """HTML-escape any client-supplied value (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


def number(value: float, lang: str, digits: int = 0) -> str:
    """A number with the locale's grouping and decimal marks, e.g. 12 345,7 in French."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=LOCALES[lang])


def money(value: float, currency: str, lang: str, digits: int = 0) -> str:
    """An amount with its currency in the locale's format, e.g. '12 345 €' (fr) or '€12,345' (en)."""
    pattern = "¤#,##0" + ("." + "0" * digits if digits else "") if lang == "en" else "#,##0" + ("." + "0" * digits if digits else "") + "\u00a0¤"
    return format_currency(value, currency, format=pattern, locale=LOCALES[lang], currency_digits=False)


def percent(value: float, lang: str) -> str:
    """A share (0-1) as a percentage in the locale's format."""
    return format_percent(value, locale=LOCALES[lang])


def date(value: dt.date | None, lang: str) -> str:
    """A date in the locale's medium format, e.g. '4 Jan 2027' / '4 janv. 2027'."""
    return "—" if value is None else format_date(value, format="medium", locale=LOCALES[lang])
