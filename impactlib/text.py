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
    # advice
    "advice": ("3. Advice", "3. Conseil"),
    "advice_intro": ("What the changes do to the company and what to do about the people side: departments hit, skills to build, training, staffing and organisation.",
                     "Ce que les évolutions changent pour l'entreprise et comment accompagner les équipes : services touchés, compétences, formation, recrutement et organisation."),
    "impact": ("Impact on departments", "Impact sur les services"),
    "chart.impact.title": ("Impact of each change on each department (0 none – 5 severe)", "Impact de chaque évolution sur chaque service (0 nul – 5 très fort)"),
    "chart.impact.read": ("{dept} is the most affected department ({score}/5, by {change}); over the whole company, {top} weighs most ({company}/5, weighted by headcount).",
                          "{dept} est le service le plus touché ({score}/5, par {change}) ; sur toute l'entreprise, {top} pèse le plus ({company}/5, pondéré par les effectifs)."),
    "aspects_note": ("Aspects rated: {aspects}. Degrees come from the catalog's impact profile of each kind of change, scaled by each department's use of the system.",
                     "Aspects évalués : {aspects}. Les degrés viennent du profil d'impact du catalogue pour chaque type d'évolution, pondéré par l'usage du système dans chaque service."),
    "aspect.processes": ("processes", "processus"), "aspect.systems": ("systems", "systèmes"), "aspect.tools": ("tools", "outils"),
    "aspect.job_roles": ("job roles", "rôles"), "aspect.skills": ("skills", "compétences"), "aspect.reporting": ("reporting", "reporting"),
    "aspect.workload": ("workload", "charge de travail"),
    "missing_profile": ("No impact profile in the catalog for {change} ({category}, {action}): its impact on departments is not estimated.",
                        "Pas de profil d'impact au catalogue pour {change} ({category}, {action}) : son impact sur les services n'est pas estimé."),
    "chart.load.title": ("Change load per department and month (▲ above capacity)", "Charge de changement par service et par mois (▲ au-delà de la capacité)"),
    "chart.load.ratio": ("load / capacity", "charge / capacité"),
    "chart.load.read": ("{n} department-months exceed their capacity to absorb change; the worst is {dept} in {month} ({load} for a capacity of {cap}).",
                        "{n} mois-services dépassent la capacité d'absorption du changement ; le pire est {dept} en {month} ({load} pour une capacité de {cap})."),
    "chart.load.read_ok": ("No department exceeds its capacity to absorb change in any month.", "Aucun service ne dépasse sa capacité d'absorption du changement."),
    "skills_training": ("Skills and training", "Compétences et formation"),
    "chart.gaps.title": ("People with a skill gap, by department and skill (groups under {k} not shown)", "Personnes ayant un écart de compétence, par service et compétence (groupes de moins de {k} non affichés)"),
    "chart.gaps.read": ("{people} people need training on {skills} skill(s); the largest group shown is {skill} in {dept} ({n} people).",
                        "{people} personnes doivent être formées sur {skills} compétence(s) ; le plus grand groupe affiché est {skill} en {dept} ({n} personnes)."),
    "chart.gaps.read_none": ("No skill gap: the people who will use the new systems already have the required levels.",
                             "Aucun écart : les futurs utilisateurs ont déjà les niveaux requis."),
    "chart.training.title": ("Training plan: sessions before each go-live", "Plan de formation : sessions avant chaque mise en service"),
    "wave.1": ("key users and administrators", "référents et administrateurs"), "wave.2": ("end users", "utilisateurs"),
    "sessions_word": ("sessions", "sessions"),
    "chart.training.read": ("{sessions} sessions, {hours} participant hours, {trainer} trainer hours, {cost}; {late} session(s) would have had to take place before the spec date.",
                            "{sessions} sessions, {hours} heures-stagiaires, {trainer} heures de formateur, {cost} ; {late} session(s) auraient dû avoir lieu avant la date du cahier des charges."),
    "col.sessions": ("Sessions", "Sessions"), "col.participant_hours": ("Participant hours", "Heures-stagiaires"),
    "col.trainer_hours": ("Trainer hours", "Heures de formateur"), "col.cost": ("Cost", "Coût"), "col.late": ("Late sessions", "Sessions en retard"),
    "col.month": ("Month", "Mois"),
    "trainer_months": ("Trainer hours the provider must deliver per month", "Heures de formateur à assurer par le prestataire, par mois"),
    "staffing": ("Staffing: train, recruit or outsource", "Ressources : former, recruter ou externaliser"),
    "staffing_intro": ("For each capability the changes need: build it (train), buy it (recruit) or borrow it (outsource), with the rule and the numbers behind the choice.",
                       "Pour chaque compétence nécessaire : la développer (former), l'acquérir (recruter) ou l'emprunter (externaliser), avec la règle et les chiffres qui fondent le choix."),
    "col.role": ("Role", "Rôle"), "col.skill": ("Skill", "Compétence"), "col.people": ("People", "Personnes"),
    "col.gap": ("Largest gap", "Écart max."), "col.time": ("Months to capability / available", "Mois pour être opérationnel / disponibles"),
    "col.decision": ("Advice", "Conseil"), "col.why": ("Why", "Pourquoi"),
    "role.end_user": ("end users", "utilisateurs"), "role.key_user": ("key users", "référents"), "role.administrator": ("administrator", "administrateur"),
    "decision.train": ("train", "former"), "decision.recruit": ("recruit", "recruter"), "decision.outsource": ("outsource", "externaliser"),
    "decision.outsource_then_recruit": ("outsource, then recruit", "externaliser puis recruter"),
    "why.no_course": ("no course reaches the level", "aucune formation n'atteint ce niveau"),
    "why.end_user": ("end users are trained", "les utilisateurs sont formés"),
    "why.key_user_time_ok": ("trainable before go-live", "formables avant la mise en service"),
    "why.too_late_to_train": ("cannot be trained before go-live: provider coaching", "formation impossible avant la mise en service : accompagnement par le prestataire"),
    "why.gap_small_time_ok": ("2 levels or fewer to gain, trainable in time", "2 niveaux ou moins à gagner, formable à temps"),
    "why.no_candidate_permanent": ("more than 2 levels to gain for everyone; lasting need", "plus de 2 niveaux à gagner pour tous ; besoin durable"),
    "why.too_late_permanent": ("not trainable in time; lasting need", "pas formable à temps ; besoin durable"),
    "why.no_time_to_recruit": ("lasting need, but go-live is under 3 months away", "besoin durable, mais mise en service dans moins de 3 mois"),
    "why.temporary_need": ("the product is removed later: temporary need", "le produit est retiré ensuite : besoin temporaire"),
    "recruit_profiles": ("Profiles to recruit", "Profils à recruter"),
    "recruit_line": ("{title} ({seniority}): {skills}.", "{title} ({seniority}) : {skills}."),
    "seniority.confirmed": ("confirmed", "confirmé"), "seniority.senior": ("senior", "senior"),
    "reorg": ("Organisation", "Organisation"),
    "reorg_intro": ("Roles to create or name so the changes take hold; no one is named here: the criteria let you choose.",
                    "Rôles à créer ou à désigner pour que les évolutions s'installent ; personne n'est nommé ici : les critères permettent de choisir."),
    "reorg.key_users_hidden": ("{department}, {change}: name {count} key user(s) ({criteria}); the department is too small for impactlib to count its qualifying colleagues.",
                               "{department}, {change} : désigner {count} référent(s) ({criteria}) ; le service est trop petit pour que l'outil compte ses collègues éligibles."),
    "chart.impact.read_none": ("No department is affected by the changes of this scenario.", "Aucun service n'est touché par les évolutions de ce scénario."),
    "cost.outsourcing": ("outsourcing", "externalisation"),
    "reorg.key_users": ("{department}, {change}: name {count} key user(s) among {candidates} qualifying colleague(s) ({criteria}).",
                        "{department}, {change} : désigner {count} référent(s) parmi {candidates} collègue(s) éligible(s) ({criteria})."),
    "reorg.key_users_short": ("{department}, {change}: name {count} key user(s); only {candidates} colleague(s) qualify — train more or widen the criteria ({criteria}).",
                              "{department}, {change} : désigner {count} référent(s) ; seuls {candidates} collègue(s) sont éligibles — en former davantage ou élargir les critères ({criteria})."),
    "reorg.new_role": ("{change}: create the role of {product} administrator, to be recruited (see the staffing advice).",
                       "{change} : créer un rôle d'administrateur {product}, à recruter (voir le conseil en ressources)."),
    "reorg.process_owner": ("{department}, {change}: name a process owner — the change reshapes the department's processes (impact {degree}/5).",
                            "{department}, {change} : désigner un responsable de processus — l'évolution transforme les processus du service (impact {degree}/5)."),
    "reorg.support_model.cloud": ("{change}: support model — the vendor runs the platform, the provider handles level 2, key users level 1.",
                                  "{change} : modèle de support — l'éditeur exploite la plateforme, le prestataire assure le niveau 2, les référents le niveau 1."),
    "reorg.support_model.on_premises": ("{change}: support model — the provider handles levels 2 and 3 on site or remotely, key users level 1.",
                                        "{change} : modèle de support — le prestataire assure les niveaux 2 et 3, sur site ou à distance, les référents le niveau 1."),
    "costs_timeline": ("Cost and timeline", "Coûts et calendrier"),
    "chart.cost.title": ("First-year cost ({currency}): estimate per item; the total's P10–P90 range in orange", "Coût de la première année ({currency}) : estimation par poste ; fourchette P10–P90 du total en orange"),
    "chart.cost.read": ("Estimated first-year cost {base}; simulated median {p50} (P10 {p10} – P90 {p90}, {runs} simulations, seed {seed}): overruns are likelier than savings. The largest item is {item} ({amount}).",
                        "Coût estimé de la première année : {base} ; médiane simulée {p50} (P10 {p10} – P90 {p90}, {runs} simulations, graine {seed}) : un dépassement est plus probable qu'une économie. Le poste le plus lourd est {item} ({amount})."),
    "cost.licences": ("licences", "licences"), "cost.hardware": ("hardware", "matériel"), "cost.intervention": ("provider work", "intervention"),
    "cost.training": ("training", "formation"), "cost.productivity": ("productivity loss", "perte de productivité"),
    "cost.recruitment": ("recruitment", "recrutement"), "cost.total": ("total", "total"),
    "col.item": ("Item", "Poste"), "col.base": ("Estimate", "Estimation"),
    "cmp.title": ("Scenarios compared", "Comparaison des scénarios"),
    "cmp.findings": ("Blocker and high findings", "Constats bloquants et élevés"), "cmp.cost": ("First-year cost P50 (P10–P90)", "Coût première année P50 (P10–P90)"),
    "cmp.training": ("Training, participant hours", "Formation, heures-stagiaires"),
    "cmp.read": ("{best} has the fewest blocker and high findings ({n}); {cheapest} has the lowest most-likely cost ({cost}).",
                 "{best} compte le moins de constats bloquants et élevés ({n}) ; {cheapest} a le coût le plus probable le plus bas ({cost})."),
    "col.saturated": ("Saturated department-months", "Mois-services saturés"), "col.changes_n": ("Changes", "Évolutions"),
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
