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
    # warnings
    "warnings": ("2. Warnings", "2. Mises en garde"),
    "warnings_intro": ("{n} findings for this scenario: {counts}. Each has a stable reference, the evidence behind it and our recommendation.",
                       "{n} constats pour ce scénario : {counts}. Chacun a une référence stable, les éléments qui le fondent et notre recommandation."),
    "warnings_none": ("No finding above information level for this scenario.", "Aucun constat au-dessus du niveau information pour ce scénario."),
    "sev.blocker": ("blocker", "bloquant"), "sev.high": ("high", "élevé"), "sev.medium": ("medium", "moyen"),
    "sev.low": ("low", "faible"), "sev.info": ("info", "information"),
    "cat.incompatibility": ("incompatibility", "incompatibilité"), "cat.end-of-life": ("end of life", "fin de vie"),
    "cat.budget": ("budget", "budget"), "cat.schedule": ("schedule", "planning"),
    "cat.blackout conflict": ("blackout conflict", "période gelée"), "cat.spec quality": ("spec quality", "qualité du cahier des charges"),
    "cat.dependency": ("dependency", "dépendance"), "cat.security": ("security", "sécurité"),
    "cat.confidentiality": ("confidentiality", "confidentialité"), "cat.licensing": ("licensing", "licences"),
    "cat.data migration": ("data migration", "migration de données"), "cat.skills": ("skills", "compétences"),
    "evidence": ("Evidence", "Éléments"), "advice": ("Recommendation", "Recommandation"),
    "col.ref": ("Reference", "Référence"), "col.severity": ("Severity", "Gravité"), "col.category": ("Category", "Catégorie"),
    "col.finding": ("Finding", "Constat"),
    "info_findings": ("For information", "Pour information"),
    "chart.risk.title": ("Risk matrix: findings by likelihood and impact", "Matrice des risques : constats par probabilité et impact"),
    "chart.risk.x": ("likelihood", "probabilité"), "chart.risk.y": ("impact", "impact"),
    "chart.risk.read": ("{top} of the {n} findings sit in the top-right zone (likelihood × impact ≥ 16): they need a decision before the project starts.",
                        "{top} des {n} constats sont dans la zone haute (probabilité × impact ≥ 16) : ils appellent une décision avant le lancement."),
    # drawbacks
    "drawbacks": ("Drawbacks of each intervention", "Inconvénients de chaque intervention"),
    "drawbacks_intro": ("What each change costs the organisation while it happens, computed from the catalog and your data; to be accepted knowingly.",
                        "Ce que chaque évolution coûte à l'organisation pendant sa mise en œuvre, calculé à partir du catalogue et de vos données ; à accepter en connaissance de cause."),
    "col.downtime": ("Downtime", "Interruption"), "col.users": ("Users affected (direct + via dependencies)", "Utilisateurs touchés (directs + par dépendance)"),
    "col.dip": ("Productivity dip", "Baisse de productivité"), "col.lost": ("Productivity loss", "Perte de productivité"),
    "col.reversibility": ("Reversibility", "Réversibilité"), "col.migration": ("Data-migration risk", "Risque de migration"),
    "dip": ("−{depth} for {weeks} weeks", "−{depth} pendant {weeks} semaines"),
    "users_depts": ("{users} in {depts} dept(s) + {indirect}", "{users} dans {depts} service(s) + {indirect}"),
    "lost": ("{hours} h ≈ {cost}", "{hours} h ≈ {cost}"),
    "level.high": ("high", "élevée"), "level.medium": ("medium", "moyenne"), "level.low": ("low", "faible"), "level.none": ("none", "aucun"),
    "unknown": ("unknown", "inconnu"),
    # validation sheet
    "validation": ("Validation sheet", "Fiche de validation"),
    "validation_intro": ("Every warning and drawback that needs your decision. Status as recorded in your acknowledgements; pending items must be decided before the work starts.",
                         "Chaque mise en garde et chaque inconvénient qui appelle votre décision. Statut tel qu'enregistré ; les points en attente doivent être tranchés avant le début des travaux."),
    "col.status": ("Decision", "Décision"), "col.by": ("By", "Par"), "col.on": ("On", "Le"), "col.comment": ("Comment", "Commentaire"),
    "status.accepted": ("accepted", "accepté"), "status.rejected": ("rejected", "refusé"), "status.pending": ("pending", "en attente"),
    "drawback_of": ("Drawbacks of {change}", "Inconvénients de {change}"),
    "orphans": ("Recorded decisions that no longer match a finding", "Décisions enregistrées qui ne correspondent plus à un constat"),
    "orphans_intro": ("These references are not produced by this scenario any more (the problem was fixed, or the data changed). They are kept here, not dropped.",
                      "Ces références ne sont plus produites par ce scénario (problème résolu ou données modifiées). Elles sont conservées ici."),
    "signature": ("For the client — name, role, date and signature:", "Pour le client — nom, fonction, date et signature :"),
    "validation_summary": ("Decided: {decided} of {total}. Pending: {pending}.", "Tranchés : {decided} sur {total}. En attente : {pending}."),
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
