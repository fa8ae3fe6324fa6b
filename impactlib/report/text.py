"""Report wording in English and French, and locale-aware number, date and money formats."""

from __future__ import annotations

import datetime as dt
import functools
import html
import re

from babel import Locale

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

LOCALES = {"en": "en_GB", "fr": "fr_FR"}
# parsed once and passed to Babel's formatters (given a name, Babel parses it at every call: ~50 µs of ~80)
_LOCALE = {lang: Locale.parse(name) for lang, name in LOCALES.items()}

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
    "col.in_scope": ("People in scope", "Personnes concernées"),
    "scope.usage": ("{n} recorded {n|user|users}", "{n} {n|utilisateur recensé|utilisateurs recensés}"),
    "scope.listed": ("{n} in the departments named", "{n} dans les services nommés"),
    "scope.devices": ("{n} assigned devices", "{n} postes attribués"),
    "scope.role": ("{n} administrator", "{n} administrateur"),
    "scope.unknown": ("unknown: no usage recorded", "inconnu : aucun usage renseigné"),
    "scope_note": ("People in scope come from your usage records (who uses the systems a change touches), the departments a change names, devices assigned to a department, and one administrator per system; a department that uses none of the touched systems is not counted.",
                   "Les personnes concernées viennent de vos relevés d'usage (qui utilise les systèmes touchés), des services nommés par la modification, des postes attribués à un service, et d'un administrateur par système ; un service qui n'utilise aucun des systèmes touchés n'est pas compté."),
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
    "status.update_due": ("supported, routine feature update due within {months} months", "supporté, mise à jour de fonctionnalités courante à faire dans les {months} mois"),
    "status.supported": ("supported", "supporté"),
    "status.unknown": ("unknown support date", "date de fin de support inconnue"),
    "status.no_os": ("operating system not recorded", "système non renseigné"),
    "chart.os.read": ("{bad} of {total} devices ({share}) {bad|runs|run} an operating system whose support has ended or ends "
                      "within {months} months of the first go-live ({go_live}).",
                      "{bad} {bad|appareil|appareils} sur {total} ({share}) {bad|fonctionne|fonctionnent} sous un système dont le support est terminé "
                      "ou se termine dans les {months} mois suivant la première mise en service ({go_live})."),
    "chart.os.read_routine": ("No device runs an operating system whose support has ended or ends within {months} months of the first go-live ({go_live}); {n} of the {total} only need the system's routine feature update.",
                              "Aucun appareil ne fonctionne sous un système dont le support est terminé ou se termine dans les {months} mois suivant la première mise en service ({go_live}) ; {n} des {total} n'ont besoin que de la mise à jour de fonctionnalités courante du système."),
    "chart.os.read_ok": ("All {total} devices run an operating system supported beyond {months} months after the first go-live ({go_live}).",
                         "Les {total} appareils fonctionnent sous un système supporté au-delà de {months} mois après la première mise en service ({go_live})."),
    "chart.usage.title": ("Who uses which system (people per department)", "Qui utilise quel système (personnes par service)"),
    "chart.usage.read": ("{system} is the most widely used system ({users} {users|person|people} in {depts} {depts|department|departments}); systems "
                         "touched by a planned change are marked with ●.",
                         "{system} est le système le plus utilisé ({users} {users|personne|personnes} dans {depts} {depts|service|services}) ; les "
                         "systèmes concernés par une évolution prévue sont marqués d'un ●."),
    "chart.timeline.title": ("Planned changes and blackout periods", "Évolutions prévues et périodes gelées"),
    "chart.timeline.read_clash": ("{n} go-live {n|date falls|dates fall} inside a blackout period: {which}.",
                                  "{n} {n|date de mise en service tombe|dates de mise en service tombent} dans une période gelée : {which}."),
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
    "cat.objective": ("objective", "objectif"), "cat.cooperation": ("cooperation", "collaboration"),
    "not_within_horizon": ("not within the horizon", "pas dans l'horizon"),
    "measure.hours_lost": ("hours lost", "heures perdues"), "measure.project_cost": ("one-off spend", "dépenses ponctuelles"),
    "measure.run_cost_saving": ("yearly run-cost saving", "économie annuelle de fonctionnement"),
    "measure.tco_saving": ("saving over the horizon", "économie sur l'horizon"),
    "measure.payback_months": ("months to pay back", "mois avant retour sur investissement"),
    "measure.downtime_hours": ("longest downtime", "plus longue interruption"), "measure.go_live": ("last go-live", "dernière mise en service"),
    "cat.blackout conflict": ("blackout conflict", "période gelée"), "cat.spec quality": ("spec quality", "qualité du cahier des charges"),
    "cat.dependency": ("dependency", "dépendance"), "cat.security": ("security", "sécurité"),
    "cat.confidentiality": ("confidentiality", "confidentialité"), "cat.licensing": ("licensing", "licences"),
    "cat.data migration": ("data migration", "migration de données"), "cat.skills": ("skills", "compétences"),
    "evidence": ("Evidence", "Éléments"), "recommendation": ("Recommendation", "Recommandation"),
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
    "dip": ("−{depth} for {weeks} {weeks|week|weeks}", "−{depth} pendant {weeks} {weeks|semaine|semaines}"),
    "col.change_kind": ("Kind of change", "Nature du changement"),
    "kind.version": ("same product, new version", "même produit, nouvelle version"),
    "kind.edition": ("same vendor, new edition", "même éditeur, nouvelle édition"),
    "kind.product": ("another vendor's product", "produit d'un autre éditeur"),
    "kind.category": ("a new kind of system", "nouveau type de système"),
    "kind.removal": ("removal", "retrait"),
    "drawbacks_dip_note": ("The productivity dip depends on the kind of change: for a new version or a new edition of what people already use, impactlib's table (−{version_depth} for {version_weeks} {version_weeks|week|weeks}, −{edition_depth} for {edition_weeks} {edition_weeks|week|weeks}); for another vendor's product or a new kind of system, the catalog's figure for the product. Users recover linearly, so half the dip is lost on average over the weeks. Sources and assumptions: the method appendix.",
                           "La baisse de productivité dépend de la nature du changement : pour une nouvelle version ou une nouvelle édition de ce que les personnes utilisent déjà, le barème d'impactlib (−{version_depth} pendant {version_weeks} {version_weeks|semaine|semaines}, −{edition_depth} pendant {edition_weeks} {edition_weeks|semaine|semaines}) ; pour le produit d'un autre éditeur ou un nouveau type de système, la valeur du catalogue pour ce produit. La récupération est linéaire : la moitié de la baisse est perdue en moyenne sur la période. Sources et hypothèses : l'annexe de méthode."),
    "users_depts": ("{users} in {depts} {depts|department|departments} + {indirect}", "{users} dans {depts} {depts|service|services} + {indirect}"),
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
    "chart.gaps.read": ("{people} {people|person needs|people need} training on {skills} {skills|skill|skills}; the largest group shown: “{skill}” in {dept} ({n} {n|person|people}).",
                        "{people} {people|personne doit être formée|personnes doivent être formées} sur {skills} {skills|compétence|compétences} ; le plus grand groupe affiché : « {skill} » en {dept} ({n} {n|personne|personnes})."),
    "chart.gaps.read_none": ("No skill gap: the people who will use the new systems already have the required levels.",
                             "Aucun écart : les futurs utilisateurs ont déjà les niveaux requis."),
    "chart.training.title": ("Training plan: sessions before each go-live", "Plan de formation : sessions avant chaque mise en service"),
    "wave.1": ("key users and administrators", "référents et administrateurs"), "wave.2": ("end users", "utilisateurs"),
    "sessions_n": ("{n} {n|session|sessions}", "{n} {n|session|sessions}"),
    "chart.training.read": ("{sessions} {sessions|session|sessions}, {hours} participant hours, {trainer} trainer hours, {cost}; {late} {late|session|sessions} would have had to take place before the spec date.",
                            "{sessions} {sessions|session|sessions}, {hours} heures-stagiaires, {trainer} heures de formateur, {cost} ; {late} {late|session aurait dû avoir lieu|sessions auraient dû avoir lieu} avant la date du cahier des charges."),
    "col.sessions": ("Sessions", "Sessions"), "col.participant_hours": ("Participant hours", "Heures-stagiaires"),
    "col.trainer_hours": ("Trainer hours", "Heures de formateur"), "col.cost": ("Cost", "Coût"), "col.late": ("Late sessions", "Sessions en retard"),
    "col.month": ("Month", "Mois"),
    "trainer_months": ("Trainer hours the provider must deliver per month", "Heures de formateur à assurer par le prestataire, par mois"),
    "levels.title": ("Levels the plan starts from", "Niveaux de départ du plan"),
    "levels.read": ("The plan compares {levels} current levels (a person's level on a skill their role in the changes requires): "
                    "{recorded} recorded in your skills table, {inferred} inferred from how often people use their systems today "
                    "and from skills that carry over to the new ones (see “inferred level” in the glossary; a recorded level always "
                    "wins), and {none} with neither, counted as 0.",
                    "Le plan compare {levels} niveaux actuels (le niveau d'une personne sur une compétence requise par son rôle "
                    "dans les évolutions) : {recorded} renseignés dans votre tableau des compétences, {inferred} déduits de la "
                    "fréquence à laquelle chacun utilise ses systèmes aujourd'hui et des compétences qui se transfèrent aux "
                    "nouveaux (voir « niveau déduit » dans le glossaire ; un niveau renseigné l'emporte toujours), et {none} sans "
                    "l'un ni l'autre, comptés 0."),
    "levels.advice": ("Recording the levels counted as 0 (skills.csv, or the skills sheet of the workbook) can only shorten the plan; "
                      "recording the inferred ones would confirm it.",
                      "Renseigner les niveaux comptés 0 (skills.csv ou la feuille des compétences du classeur) ne peut que raccourcir "
                      "le plan ; renseigner les niveaux déduits le confirmerait."),
    "levels.read_empty": ("Nobody's skills are concerned by the changes.", "Les évolutions ne concernent les compétences de personne."),
    "levels.small": ("Departments of fewer than {k} people are shown as <{k}, and so is a number of people with a gap under {k}.",
                     "Les services de moins de {k} personnes sont affichés « <{k} », de même qu'un nombre de personnes ayant un écart inférieur à {k}."),
    "col.people_scope": ("People concerned", "Personnes concernées"),
    "col.level_recorded": ("Levels recorded", "Niveaux renseignés"),
    "col.level_inferred": ("Levels inferred", "Niveaux déduits"),
    "col.level_none": ("No level (counted 0)", "Sans niveau (compté 0)"),
    "col.people_gap": ("People with a gap", "Personnes ayant un écart"),
    "staffing": ("Staffing: train, recruit or outsource", "Ressources : former, recruter ou externaliser"),
    "staffing_intro": ("For each capability the changes need: build it (train), buy it (recruit) or borrow it (outsource), with the rule and the numbers behind the choice.",
                       "Pour chaque compétence nécessaire : la développer (former), l'acquérir (recruter) ou l'emprunter (externaliser), avec la règle et les chiffres qui fondent le choix."),
    "col.role": ("Role", "Rôle"), "col.skill": ("Skill", "Compétence"), "col.people": ("People", "Personnes"),
    "col.gap": ("Largest gap", "Écart max."), "col.time": ("Months to capability / available", "Mois pour être opérationnel / disponibles"),
    "col.decision": ("Advice", "Conseil"), "col.why": ("Why", "Pourquoi"),
    "role.end_user": ("end users", "utilisateurs"), "role.key_user": ("key users", "référents"), "role.administrator": ("administrator", "administrateur"),
    "decision.train": ("train", "former"), "decision.recruit": ("recruit", "recruter"), "decision.outsource": ("outsource", "externaliser"),
    "decision.outsource_then_recruit": ("outsource, then recruit", "externaliser puis recruter"),
    "decision.covered": ("covered by contract", "couvert par contrat"),
    "decision.outsource_then_train": ("train, provider support meanwhile", "former, avec l'appui du prestataire d'ici là"),
    "why.contract": ("a managed-services contract in force covers it", "un contrat d'infogérance en vigueur la couvre"),
    "why.gap_small_late": ("2 levels or fewer to gain, but not before go-live: the provider supports until then",
                           "2 niveaux ou moins à gagner, mais pas avant la mise en service : le prestataire assure d'ici là"),
    "why.vendor_subscription": ("subscription: the vendor runs the platform", "abonnement : l'éditeur exploite la plateforme"),
    "why.partner_support": ("business application of a company under {m} staff: run by the vendor's partner",
                            "application métier d'une entreprise de moins de {m} salariés : administrée par le partenaire de l'éditeur"),
    "why.end_user_no_course": ("end users are trained; no course for one skill: coaching", "les utilisateurs sont formés ; pas de formation pour une compétence : accompagnement"),
    "why.no_course": ("no course reaches the level", "aucune formation n'atteint ce niveau"),
    "why.end_user": ("end users are trained", "les utilisateurs sont formés"),
    "why.key_user_time_ok": ("trainable before go-live", "formables avant la mise en service"),
    "why.too_late_to_train": ("cannot be trained before go-live: provider coaching", "formation impossible avant la mise en service : accompagnement par le prestataire"),
    "why.gap_small_time_ok": ("2 levels or fewer to gain, trainable in time", "2 niveaux ou moins à gagner, formable à temps"),
    "why.no_candidate_permanent": ("more than 2 levels to gain for everyone; lasting need", "plus de 2 niveaux à gagner pour tous ; besoin durable"),
    "why.too_late_permanent": ("no course reaches the level; lasting need", "aucune formation n'atteint ce niveau ; besoin durable"),
    "why.no_time_to_recruit": ("lasting need, but go-live is under 3 months away", "besoin durable, mais mise en service dans moins de 3 mois"),
    "why.small_company_managed": ("fewer than {n} staff: administration bought as a managed service", "moins de {n} salariés : administration confiée en service managé"),
    "why.temporary_need": ("the product is removed later: temporary need", "le produit est retiré ensuite : besoin temporaire"),
    "recruit_profiles": ("Profiles to recruit", "Profils à recruter"),
    "recruit_line": ("{title} ({seniority}): {skills}.", "{title} ({seniority}) : {skills}."),
    "seniority.confirmed": ("confirmed", "confirmé"), "seniority.senior": ("senior", "senior"),
    "reorg": ("Organisation", "Organisation"),
    "reorg_intro": ("Roles to create or name so the changes take hold; no one is named here: the criteria let you choose.",
                    "Rôles à créer ou à désigner pour que les évolutions s'installent ; personne n'est nommé ici : les critères permettent de choisir."),
    "reorg.key_users_hidden": ("{department}, {change}: name {count} key {count|user|users} ({criteria}); the department is too small to show how many colleagues qualify.",
                               "{department}, {change} : désigner {count} {count|référent|référents} ({criteria}) ; le service est trop petit pour indiquer combien de collègues remplissent ces conditions."),
    "chart.impact.read_none": ("No department is affected by the changes of this scenario.", "Aucun service n'est touché par les évolutions de ce scénario."),
    "cost.outsourcing": ("outsourcing", "externalisation"),
    "reorg.key_users": ("{department}, {change}: name {count} key {count|user|users} among {candidates} {candidates|colleague who qualifies|colleagues who qualify} ({criteria}).",
                        "{department}, {change} : désigner {count} {count|référent|référents} parmi {candidates} {candidates|collègue éligible|collègues éligibles} ({criteria})."),
    "reorg.key_users_short": ("{department}, {change}: name {count} key {count|user|users}; only {candidates} {candidates|colleague qualifies|colleagues qualify} — train more or widen the criteria ({criteria}).",
                              "{department}, {change} : désigner {count} {count|référent|référents} ; {candidates|seul|seuls} {candidates} {candidates|collègue est éligible|collègues sont éligibles} — en former davantage ou élargir les critères ({criteria})."),
    "reorg.holder.contract": ("{change}: {product} is administered by {provider} under contract {contract}: no in-house administrator is needed.",
                              "{change} : {product} est administré par {provider} au titre du contrat {contract} : aucun administrateur interne n'est nécessaire."),
    "shared_departments": ("Smaller departments together", "Petits services réunis"),
    "the_vendor": ("its vendor", "son éditeur"),
    "reorg.holder.vendor": ("{change}: {product} is bought as a subscription: {provider} runs the platform; name who manages users and settings.",
                            "{change} : {product} est acheté en abonnement : {provider} exploite la plateforme ; désigner qui gère les utilisateurs et les paramètres."),
    "reorg.holder.provider": ("{change}: {product} is to be administered by the provider as a managed service (to contract).",
                              "{change} : {product} doit être administré par le prestataire en service infogéré (à contractualiser)."),
    "reorg.holder.in_house": ("{change}: {product} is administered in house by your IT staff (trained as planned where needed).",
                              "{change} : {product} est administré en interne par votre équipe informatique (formée comme prévu si besoin)."),
    "reorg.holder.recruit": ("{change}: {product} needs an administrator to be recruited (see the staffing advice).",
                             "{change} : {product} nécessite le recrutement d'un administrateur (voir les décisions de ressources)."),
    "reorg.new_role": ("{change}: create the role of {product} administrator, to be recruited (see the staffing advice).",
                       "{change} : créer un rôle d'administrateur {product}, à recruter (voir le conseil en ressources)."),
    "reorg.process_owner": ("{department}, {change}: name a process owner — the change reshapes the department's processes (impact {degree}/5).",
                            "{department}, {change} : désigner un responsable de processus — l'évolution transforme les processus du service (impact {degree}/5)."),
    "reorg.support_model.cloud": ("{change}: support model — the vendor runs the platform, the provider handles level 2, key users level 1.",
                                  "{change} : modèle de support — l'éditeur exploite la plateforme, le prestataire assure le niveau 2, les référents le niveau 1."),
    "reorg.support_model.on_premises": ("{change}: support model — the provider handles levels 2 and 3 on site or remotely, key users level 1.",
                                        "{change} : modèle de support — le prestataire assure les niveaux 2 et 3, sur site ou à distance, les référents le niveau 1."),
    "costs_timeline": ("Cost and timeline", "Coûts et calendrier"),
    "status_quo": ("status quo (nothing changed)", "statu quo (rien ne change)"),
    "break_even": ("break-even", "point mort"),
    "chart.cumulative.title": ("Cumulative cost over the horizon ({currency}): the scenario against the status quo",
                               "Coût cumulé sur l'horizon ({currency}) : le scénario face au statu quo"),
    "chart.cumulative.read_even": ("The scenario costs more at first, then less: it pays back from {month} and saves {saving} over {months} months.",
                                   "Le scénario coûte d'abord plus, puis moins : il est amorti à partir de {month} et fait économiser {saving} sur {months} mois."),
    "chart.cumulative.read_more": ("The scenario does not pay back within {months} months: it costs {extra} more than keeping things as they are (which may not be an option: see the warnings).",
                                   "Le scénario n'est pas amorti en {months} mois : il coûte {extra} de plus que de ne rien changer (ce qui n'est pas forcément possible : voir les mises en garde)."),
    "chart.cumulative.read_less": ("The scenario costs {saving} less than the status quo over {months} months.",
                                   "Le scénario coûte {saving} de moins que le statu quo sur {months} mois."),
    "money.title": ("Total cost over {months} months", "Coût total sur {months} mois"),
    "money.intro": ("From {start} to {end}, this scenario costs {total} in all (P10–P90 {p10} – {p90}): the project's one-off spend of {spend}, the run costs kept and added (subscriptions, contracts, managed services), staffing {staffing} and {loss} of working time lost while people adapt. Keeping things as they are would cost {status_quo} over the same months: {saving}{paid}",
                    "Du {start} au {end}, ce scénario coûte {total} en tout (P10–P90 {p10} – {p90}) : les dépenses ponctuelles du projet ({spend}), les coûts de fonctionnement conservés et ajoutés (abonnements, contrats, services infogérés), le renfort en personnel ({staffing}) et {loss} de temps de travail perdu pendant l'adaptation. Ne rien changer coûterait {status_quo} sur les mêmes mois : {saving}{paid}"),
    "money.saving": ("a saving of {amount}", "une économie de {amount}"),
    "money.extra": ("the scenario costs {amount} more", "le scénario coûte {amount} de plus"),
    "money.break_even": (", paid back from {month}.", ", amorti à partir de {month}."),
    "money.no_break_even": (", not paid back within the horizon.", ", sans amortissement dans l'horizon."),
    "money.per_year": ("Per year, running the system costs {before} today and {after} once every change is live{budget}.",
                       "Par an, le fonctionnement du système coûte {before} aujourd'hui et {after} une fois toutes les modifications en service{budget}."),
    "money.run_budget": (", against a run budget of {budget}", ", pour un budget de fonctionnement de {budget}"),
    "money.note": ("The horizon is the analysis period set in the spec (36 months by default: a typical subscription and managed-services commitment, and the three years of Windows 10's paid extended updates). The status quo continues today's run costs; it does not price the risk of keeping unsupported systems, which the warnings state.",
                   "L'horizon est la durée d'analyse fixée par le cahier des charges (36 mois par défaut : l'engagement habituel d'un abonnement ou d'un contrat d'infogérance, et les trois ans de mises à jour étendues payantes de Windows 10). Le statu quo prolonge les coûts de fonctionnement actuels ; il ne chiffre pas le risque de garder des systèmes non supportés, que les mises en garde exposent."),
    "run.title": ("What running the system costs today", "Ce que coûte aujourd'hui le fonctionnement du système"),
    "run.none": ("No run cost is recorded (run_costs.csv, contracts.csv): the status quo counts as zero.",
                 "Aucun coût de fonctionnement n'est renseigné (run_costs.csv, contracts.csv) : le statu quo compte pour zéro."),
    "run.kept": ("kept", "conservé"),
    "run.licence": ("licence", "licence"), "run.subscription": ("subscription", "abonnement"), "run.maintenance": ("maintenance", "maintenance"),
    "run.contract": ("managed-services contract", "contrat d'infogérance"), "run.hosting": ("hosting", "hébergement"),
    "run.hardware": ("hardware", "matériel"), "run.support": ("support", "support"), "run.other": ("other", "autre"),
    "col.run_cost": ("Run cost", "Coût de fonctionnement"), "col.kind": ("Kind", "Nature"), "col.per_year": ("Per year", "Par an"),
    "col.ended_by": ("Ended by", "Arrêté par"),
    "objectives_checked": ("Your objectives against this scenario", "Vos objectifs face à ce scénario"),
    "objectives_none": ("No objective of the spec names a measure impactlib can check (objectives[].measure).",
                        "Aucun objectif du cahier des charges ne désigne une mesure vérifiable par impactlib (objectives[].measure)."),
    "direction.at_most": ("at most", "au plus"), "direction.at_least": ("at least", "au moins"),
    "met": ("met", "atteint"), "missed": ("missed", "manqué"),
    "col.measure": ("Measure", "Mesure"), "col.target": ("Target", "Cible"), "col.value": ("This scenario", "Ce scénario"),
    "effort.title": ("Your staff's time", "Le temps de vos équipes"),
    "effort.read": ("The plan needs about {need} hours of your staff's time (training and key users); the spec gives {given}.",
                    "Le plan demande environ {need} heures du temps de vos équipes (formation et référents) ; le cahier des charges en prévoit {given}."),
    "effort.read_none": ("The plan needs about {need} hours of your staff's time (training and key users); the spec does not say how much you give.",
                         "Le plan demande environ {need} heures du temps de vos équipes (formation et référents) ; le cahier des charges ne dit pas combien vous en donnez."),
    "col.training_hours": ("Training (h)", "Formation (h)"), "col.key_user_hours": ("Key users (h)", "Référents (h)"),
    "col.need": ("Needed (h)", "Nécessaire (h)"), "col.given": ("Given (h)", "Prévu (h)"),
    "chart.cost.title": ("Cost over the horizon ({currency}): estimate per item; the total's P10–P90 range in orange", "Coût sur l'horizon ({currency}) : estimation par poste ; fourchette P10–P90 du total en orange"),
    "chart.cost.read": ("Estimated cost over the horizon {base}; simulated median {p50} (P10 {p10} – P90 {p90}, {runs} simulations, seed {seed}): overruns are likelier than savings. The largest item is {item} ({amount}).",
                        "Coût estimé sur l'horizon : {base} ; médiane simulée {p50} (P10 {p10} – P90 {p90}, {runs} simulations, graine {seed}) : un dépassement est plus probable qu'une économie. Le poste le plus lourd est {item} ({amount})."),
    "cost.licences": ("licences", "licences"), "cost.hardware": ("hardware", "matériel"), "cost.intervention": ("provider work", "intervention"),
    "cost.training": ("training", "formation"), "cost.productivity": ("productivity loss", "perte de productivité"),
    "cost.recruitment": ("recruitment", "recrutement"), "cost.total": ("total", "total"),
    "cost.run": ("run costs kept", "fonctionnement conservé"),
    "col.item": ("Item", "Poste"), "col.base": ("Estimate", "Estimation"),
    "cmp.title": ("Scenarios compared", "Comparaison des scénarios"),
    "cmp.findings": ("Blocker and high findings", "Constats bloquants et élevés"), "cmp.cost": ("Total over the horizon (P10–P90)", "Total sur l'horizon (P10–P90)"),
    "cmp.training": ("Training, participant hours", "Formation, heures-stagiaires"),
    "cmp.read": ("Ranked by risk, then by cost over {months} months: {best} leads ({verdict}; {b} {b|blocker|blockers}, {h} high); {cheapest} costs the least over {months} months ({cost}, {diff} less than {best}).",
                 "Classés par risque, puis par coût sur {months} mois : {best} arrive en tête ({verdict} ; {b} {b|bloquant|bloquants}, {h} {h|élevé|élevés}) ; {cheapest} coûte le moins sur {months} mois ({cost}, soit {diff} de moins que {best})."),
    "cmp.read_same": ("Ranked by risk, then by cost over {months} months: {best} leads ({verdict}; {b} {b|blocker|blockers}, {h} high) and also costs the least ({total}).",
                      "Classés par risque, puis par coût sur {months} mois : {best} arrive en tête ({verdict} ; {b} {b|bloquant|bloquants}, {h} {h|élevé|élevés}) et coûte aussi le moins ({total})."),
    "cmp.rank_note": ("Ranked by risk (verdict, then blocker and high warnings), then by the total cost over the horizon, run costs and working time lost included.",
                      "Classés par risque (verdict, puis mises en garde bloquantes et élevées), puis par coût total sur l'horizon, fonctionnement et temps de travail perdu compris."),
    "cmp.spend": ("One-off spend", "Dépenses ponctuelles"), "cmp.total": ("Total over {months} months", "Total sur {months} mois"),
    "cmp.saving": ("Saving vs status quo", "Économie vs statu quo"), "col.verdict": ("Verdict", "Verdict"),
    "col.saturated": ("Saturated department-months", "Mois-services saturés"), "col.changes_n": ("Changes", "Évolutions"),
    "footer": ("Generated by impactlib {version} from input fingerprint {fp}. Staff appear only as counts; no names or e-mail addresses are included.",
               "Produit par impactlib {version} à partir de l'empreinte {fp}. Les salariés n'apparaissent que sous forme d'effectifs ; aucun nom ni adresse e-mail n'est inclus."),
    # executive summary
    "summary": ("Executive summary", "Synthèse"),
    "verdict.go": ("Go", "Feu vert"),
    "verdict.go_with_conditions": ("Go, with conditions", "Feu vert sous conditions"),
    "verdict.not_ready": ("Not ready", "Pas prêt"),
    "verdict.go.why": ("No blocker or open high-severity warning, every drawback accepted and training finishes before each go-live: the project can go ahead as planned.",
                       "Aucune mise en garde bloquante ou élevée en suspens, tous les inconvénients acceptés et la formation finit avant chaque mise en service : le projet peut avancer comme prévu."),
    "verdict.go_with_conditions.why": ("No blocker, but the points below must be settled before the go-live dates.",
                                       "Aucun point bloquant, mais les points ci-dessous doivent être réglés avant les mises en service."),
    "verdict.not_ready.why": ("At least one blocker stands: the plan cannot go ahead as written. A blocker is lifted by changing the plan or by a fact on file (a certificate, a contract, a budget), not by accepting it.",
                              "Au moins un point bloquant subsiste : le projet ne peut pas avancer tel qu'il est écrit. Un point bloquant se lève en modifiant le plan ou par un fait établi (un certificat, un contrat, un budget), pas en l'acceptant."),
    "to_green.not_ready": ("What stands between this plan and a go: resolve each of these blockers (the fix is in its recommendation).",
                           "Ce qui sépare ce plan d'un feu vert : lever chacun de ces points bloquants (la solution figure dans sa recommandation)."),
    "to_green.go_with_conditions": ("For a plain go: settle or accept each of these high-severity warnings.",
                                    "Pour un feu vert sans condition : traiter ou accepter chacune de ces mises en garde élevées."),
    "to_green.more": ("… and {n} more (section 2).", "… et {n} {n|autre|autres} (section 2)."),
    "reason.blockers": ("{n} {n|blocker|blockers} to resolve", "{n} {n|point bloquant|points bloquants} à lever"),
    "reason.high_open": ("{n} high-severity {n|warning|warnings} not yet accepted", "{n} {n|mise en garde élevée non encore acceptée|mises en garde élevées non encore acceptées}"),
    "reason.late_sessions": ("{n} training {n|session ends|sessions end} after {n|its|their} go-live", "{n} {n|session de formation finit|sessions de formation finissent} après la mise en service"),
    "reason.pending_drawbacks": ("{n} intervention {n|drawback|drawbacks} awaiting your decision", "{n} {n|inconvénient|inconvénients} d'intervention en attente de votre décision"),
    "tile.findings": ("blocker / high warnings", "mises en garde bloquantes / élevées"),
    "tile.cost": ("the project's one-off spend", "dépenses ponctuelles du projet"),
    "tile.cost_range": ("P10–P90 {p10} – {p90}", "P10–P90 {p10} – {p90}"),
    "tile.budget": ("{ratio} of the {budget} budget", "{ratio} du budget de {budget}"),
    "tile.total": ("cost over {months} months, all in", "coût sur {months} mois, tout compris"),
    "tile.total_sub": ("status quo {status_quo}", "statu quo {status_quo}"),
    "tile.objectives": ("objectives met", "objectifs atteints"),
    "tile.objectives_sub": ("of {n} measurable", "sur {n} mesurables"),
    "tile.no_budget": ("no budget given", "budget non indiqué"),
    "tile.go_live": ("go-live", "mise en service"),
    "tile.go_live_span": ("to {last}", "jusqu'au {last}"),
    "tile.go_live_one": ("{n|the only change|every change, same day}", "{n|la seule évolution|toutes les évolutions, même jour}"),
    "tile.people": ("people affected", "personnes concernées"),
    "tile.people_sub": ("in {n} {n|department|departments}", "dans {n} {n|service|services}"),
    "tile.training": ("training, participant hours", "formation, heures-stagiaires"),
    "tile.training_sub": ("{n} {n|person|people}, {late} late {late|session|sessions}", "{n} {n|personne|personnes}, {late} {late|session|sessions} en retard"),
    "tile.decisions": ("decisions pending", "décisions en attente"),
    "tile.decisions_sub": ("of {n} on the validation sheet", "sur {n} de la fiche de validation"),
    "top_warnings": ("Top warnings", "Principales mises en garde"),
    "top_recommendations": ("Top recommendations", "Principales recommandations"),
    "no_warnings": ("No warning above information level.", "Aucune mise en garde au-dessus du niveau information."),
    "no_recommendations": ("Nothing to add to the plan.", "Rien à ajouter au plan."),
    "headline": ("The project's one-off spend is {spend} (P10–P90 {p10} – {p90}){budget}. Over {months} months the scenario costs {total} in all, run costs and {loss} of working time lost included, against {status_quo} if nothing changed. {live}; {people} {people|person|people} in {depts} {depts|department|departments} {people|is|are} affected and {trainees} need training ({hours} participant hours).",
                 "Les dépenses ponctuelles du projet s'élèvent à {spend} (P10–P90 {p10} – {p90}){budget}. Sur {months} mois, le scénario coûte {total} en tout, fonctionnement et {loss} de temps de travail perdu compris, contre {status_quo} si rien ne changeait. {live} ; {people} {people|personne|personnes} dans {depts} {depts|service|services} {people|est concernée|sont concernées} et {trainees} {trainees|doit être formée|doivent être formées} ({hours} heures-stagiaires)."),
    "headline.live_span": ("{n} {n|change goes|changes go} live from {first} to {last}", "{n} {n|évolution mise|évolutions mises} en service du {first} au {last}"),
    "headline.live_on": ("{n} {n|change goes|changes go} live on {first}", "{n} {n|évolution mise|évolutions mises} en service le {first}"),
    "headline.budget": (", against a budget of {budget}", ", pour un budget de {budget}"),
    "rec.recruit": ("Recruit an administrator for {products}: nobody in-house can reach the required level, and there is time to hire before go-live.",
                    "Recruter un administrateur pour {products} : personne en interne ne peut atteindre le niveau requis, et le temps de recruter avant la mise en service existe."),
    "rec.outsource_then_recruit": ("Have the provider administer {products} while you recruit: there is no time to hire before go-live.",
                                   "Confier l'administration de {products} au prestataire le temps de recruter : le délai est trop court pour recruter avant la mise en service."),
    "rec.managed": ("Have the provider administer {products} as a managed service: at your size, a dedicated administrator would be idle most of the time.",
                    "Confier l'administration de {products} au prestataire en service managé : à votre taille, un administrateur dédié serait inoccupé la plupart du temps."),
    "rec.outsource": ("Have the provider support {products}: in-house training cannot finish in time, or no course reaches the level.",
                      "Faire appuyer {products} par le prestataire : la formation interne ne peut pas aboutir à temps, ou aucun cours n'atteint le niveau."),
    "rec.bridge": ("Train your IT staff on {products} and have the provider support them until the training ends after go-live.",
                   "Former votre équipe informatique sur {products} et faire appuyer le prestataire jusqu'à la fin de la formation, après la mise en service."),
    "rec.late_training": ("Start training earlier or move go-live: {n} training {n|session ends|sessions end} after go-live ({changes}).",
                          "Commencer la formation plus tôt ou décaler la mise en service : {n} {n|session de formation finit|sessions de formation finissent} après la mise en service ({changes})."),
    "rec.training": ("Run {n} training {n|session|sessions} ({hours} participant hours) before each go-live, key users first.",
                     "Tenir {n} {n|session|sessions} de formation ({hours} heures-stagiaires) avant chaque mise en service, référents en premier."),
    "rec.stagger": ("Stagger the changes: {n} {n|department-month exceeds|department-months exceed} what {departments} {departments|department|departments} can absorb.",
                    "Étaler les évolutions : {n} {n|mois-service dépasse|mois-services dépassent} ce que {departments} {departments|service peut|services peuvent} absorber."),
    # flow chart
    "chart.flow.title": ("Who each change reaches: change → system → department (people)", "Qui chaque évolution atteint : évolution → système → service (personnes)"),
    "chart.flow.read": ("{change} reaches the most people: {users} through {systems} {systems|system|systems}; {dept} is reached by {n} {n|change|changes}, more than any other department.",
                        "{change} atteint le plus de personnes : {users} via {systems} {systems|système|systèmes} ; {dept} est touché par {n} {n|évolution|évolutions}, plus qu'aucun autre service."),
    "chart.flow.read_none": ("No recorded usage links the changes to departments: the usage table says nobody uses the systems they touch.",
                             "Aucun usage enregistré ne relie les évolutions aux services : selon la table des usages, personne n'utilise les systèmes touchés."),
    # hardware, software and security advice
    "systems": ("Hardware, software and security", "Matériel, logiciels et sécurité"),
    "systems_intro": ("What the planned products need from the machines that will run them, and which products stay in service past their end of support.",
                      "Ce que les produits prévus exigent des machines qui les exécuteront, et quels produits restent en service après leur fin de support."),
    "hosts": ("Machines checked against each product's requirements", "Machines vérifiées au regard des exigences de chaque produit"),
    "col.product": ("Product", "Produit"), "col.hosts_ok": ("Compatible", "Compatibles"), "col.hosts_fail": ("Incompatible", "Incompatibles"),
    "col.hosts_unknown": ("Cannot verify", "Non vérifiables"), "col.failed_checks": ("Failed checks (machines)", "Contrôles échoués (machines)"),
    "col.end_of_support": ("End of support", "Fin de support"), "col.quantity": ("Quantity", "Quantité"), "col.support_status": ("Support", "Support"),
    "col.subject": ("Asset", "Élément"), "col.version": ("Version", "Version"),
    "eol_kept": ("Products past or near end of support at go-live", "Produits hors support ou proches de la fin de support à la mise en service"),
    "eol_none": ("No product in service is past or near its end of support at go-live.", "Aucun produit en service n'est hors support ou proche de la fin de support à la mise en service."),
    "hosts_none": ("No planned product has hardware requirements to check.", "Aucun produit prévu n'a d'exigence matérielle à vérifier."),
    "life.ended": ("support ended", "support terminé"), "life.ending": ("support ends soon", "fin de support proche"),
    "check.cpu": ("CPU", "processeur"), "check.ram_gb": ("RAM", "mémoire"), "check.storage_gb": ("storage", "stockage"),
    "check.tpm_version": ("TPM 2.0", "TPM 2.0"), "check.uefi": ("UEFI", "UEFI"), "check.secure_boot": ("Secure Boot", "Secure Boot"),
    "check.os": ("operating system", "système d'exploitation"), "check.database": ("database", "base de données"),
    "check.cpu_cores": ("CPU cores", "cœurs"),
    # confidentiality
    "confidentiality": ("4. Confidentiality", "4. Confidentialité"),
    "conf_label": ("This report is classified {label}. It contains no staff name or e-mail address: people appear only as counts, and groups of fewer than {k} people are not shown.",
                   "Ce rapport est classé {label}. Il ne contient aucun nom ni adresse e-mail de salarié : les personnes n'apparaissent que sous forme d'effectifs, et les groupes de moins de {k} personnes ne sont pas montrés."),
    "conf_changes": ("Sensitive data each intervention touches, and the precautions it requires", "Données sensibles touchées par chaque intervention, et précautions requises"),
    "conf_none": ("None of the planned interventions touches data recorded as sensitive.", "Aucune intervention prévue ne touche de données enregistrées comme sensibles."),
    "col.data": ("Sensitive data", "Données sensibles"), "col.precautions": ("Precautions", "Précautions"),
    "data.health": ("health", "santé"), "data.payroll_hr": ("payroll and HR", "paie et RH"), "data.legal": ("legal", "juridique"),
    "data.card_payments": ("card payments", "paiements par carte"), "data.personal_data": ("personal data", "données personnelles"),
    "data.trade_secrets": ("trade secrets", "secrets d'affaires"),
    "prec.backup": ("verified, restorable backup before the intervention", "sauvegarde vérifiée et restaurable avant l'intervention"),
    "prec.access": ("provider access limited to the intervention, named accounts, logged", "accès du prestataire limité à l'intervention, comptes nominatifs, journalisés"),
    "prec.hds.certified": ("health data hosted by {product}, whose host holds the HDS certificate{until}: sign the host's HDS contract terms and check the data location before any data moves (French Public Health Code, art. L.1111-8)",
                           "données de santé hébergées par {product}, dont l'hébergeur est certifié HDS{until} : signer les clauses contractuelles HDS de l'hébergeur et vérifier la localisation des données avant tout transfert (Code de la santé publique, art. L.1111-8)"),
    "prec.hds.until": (" (certificate valid until {expiry})", " (certificat valable jusqu'au {expiry})"),
    "prec.hds.unknown": ("the HDS certificate of {product}'s host to be obtained and kept on file before any health data moves (French Public Health Code, art. L.1111-8)",
                         "certificat HDS de l'hébergeur de {product} à obtenir et à conserver au dossier avant tout transfert de données de santé (Code de la santé publique, art. L.1111-8)"),
    "prec.hds.expired": ("the HDS certificate of {product}'s host ends on {expiry}, before go-live: renewed certificate to be on file before any health data moves",
                         "le certificat HDS de l'hébergeur de {product} expire le {expiry}, avant la mise en service : certificat renouvelé à obtenir avant tout transfert de données de santé"),
    "prec.hds.uncertified": ("{product}'s host is not HDS-certified: health data must not move there (French Public Health Code, art. L.1111-8)",
                             "l'hébergeur de {product} n'est pas certifié HDS : les données de santé ne doivent pas y aller (Code de la santé publique, art. L.1111-8)"),
    "prec.dpia": ("data-protection impact assessment before processing (GDPR art. 35)", "analyse d'impact relative à la protection des données avant le traitement (RGPD art. 35)"),
    "prec.processor": ("processor agreement with every service provider handling the data (GDPR art. 28)", "contrat de sous-traitance avec chaque prestataire traitant les données (RGPD art. 28)"),
    "prec.hr": ("access restricted to payroll and HR staff; encrypted export files", "accès réservé aux équipes paie et RH ; fichiers d'export chiffrés"),
    "prec.legal": ("professional secrecy: access restricted to the firm's authorised staff", "secret professionnel : accès réservé au personnel habilité du cabinet"),
    "prec.card": ("card data kept within a PCI DSS-compliant scope", "données de carte maintenues dans un périmètre conforme PCI DSS"),
    "prec.secrets": ("need-to-know access and a confidentiality agreement for every intervener", "accès au strict besoin et engagement de confidentialité de chaque intervenant"),
    "commitments": ("The provider's commitments", "Les engagements du prestataire"),
    "commit.1": ("Use your data only to carry out the interventions described in this report.", "N'utiliser vos données que pour réaliser les interventions décrites dans ce rapport."),
    "commit.2": ("Give access only to named staff bound by confidentiality, and log every access.", "N'en donner l'accès qu'à des intervenants nommés, tenus à la confidentialité, et journaliser chaque accès."),
    "commit.3": ("Notify you without undue delay of any personal data breach (GDPR art. 33(2)).", "Vous notifier dans les meilleurs délais toute violation de données personnelles (RGPD art. 33(2))."),
    "commit.4": ("Return or delete your data at the end of the engagement, at your choice (GDPR art. 28(3)(g)).", "Restituer ou supprimer vos données à la fin de la mission, à votre choix (RGPD art. 28(3)(g))."),
    "commit.5": ("Keep this analysis's staff identifiers pseudonymised, with a key kept outside the reports.", "Conserver pseudonymisés les identifiants de salariés de cette analyse, avec une clé conservée hors des rapports."),
    # appendix
    "appendix": ("Appendix", "Annexe"),
    "assumptions": ("Assumptions of this scenario", "Hypothèses de ce scénario"),
    "assumptions_intro": ("Numbers the analysis uses; a scenario may change them (values marked * differ from the default).",
                          "Valeurs utilisées par l'analyse ; un scénario peut les modifier (les valeurs marquées * diffèrent de la valeur par défaut)."),
    "asm.provider_hourly_rate": ("Provider hourly rate", "Taux horaire du prestataire"),
    "asm.eol_horizon_months": ("End-of-support horizon after go-live (months)", "Horizon de fin de support après mise en service (mois)"),
    "asm.k_anonymity": ("Smallest group shown (k)", "Plus petit groupe affiché (k)"),
    "asm.dip_scale": ("Productivity dip scale", "Échelle de la baisse de productivité"),
    "asm.provider_hours_per_week": ("Provider hours per week", "Heures du prestataire par semaine"),
    "asm.workstation_unit_cost": ("Price of a new device, every class (default: the catalog's price per class)", "Prix d'un appareil neuf, toutes catégories (par défaut : le prix du catalogue par catégorie)"),
    "asm.recruitment_cost": ("Cost of one recruitment", "Coût d'un recrutement"),
    "asm.in_house_admin_from_staff": ("Staff from which administrators are recruited in-house", "Effectif à partir duquel les administrateurs sont recrutés en interne"),
    "asm.in_house_app_admin_from_staff": ("Staff from which a business application is administered in house (below: by the vendor's partner)",
                                          "Effectif à partir duquel une application métier est administrée en interne (en dessous : par le partenaire de l'éditeur)"),
    "asm.from_data": ("from the catalog or your calendar", "selon le catalogue ou votre calendrier"),
    "asm.working_days_per_year": ("Working days a year (persistent losses)", "Jours ouvrés par an (pertes durables)"),
    "asm.lead_days": ("Days between the report and the first thing planned (training, work)", "Jours entre le rapport et la première action planifiée (formation, travaux)"),
    "asm.monte_carlo_runs": ("Cost simulations", "Simulations de coût"),
    "asm.seed": ("Simulation seed", "Graine de simulation"),
    "method": ("Method", "Méthode"),
    "method.text": ("The warnings come from {rules} rules, each documented with its rationale and source; missing facts give a \"cannot verify\" warning, never a silent pass. Department impact is the catalog's impact profile of each change scaled by how exposed each department is. Skill gaps compare the levels each role requires with the levels recorded, or inferred from usage where none is recorded. Costs are first-year estimates; their P10–P90 range comes from a seeded Monte Carlo simulation of each item's uncertainty.",
                    "Les mises en garde proviennent de {rules} règles, chacune documentée avec sa justification et sa source ; un fait manquant donne une mise en garde « non vérifiable », jamais un accord tacite. L'impact par service est le profil d'impact du catalogue pour chaque évolution, pondéré par l'exposition de chaque service. Les écarts de compétences comparent les niveaux requis par chaque rôle aux niveaux enregistrés, ou déduits de l'usage à défaut. Les coûts sont des estimations de première année ; leur fourchette P10–P90 vient d'une simulation de Monte-Carlo à graine fixe de l'incertitude de chaque poste."),
    "glossary": ("Glossary", "Glossaire"),
    "provenance": ("Inputs and versions", "Données et versions"),
    "prov.fingerprint": ("Input fingerprint (SHA-256 of the client's files)", "Empreinte des données (SHA-256 des fichiers du client)"),
    "prov.files": ("Client files read", "Fichiers du client lus"),
    "prov.catalog": ("Catalog", "Catalogue"),
    "prov.software": ("Software", "Logiciels"),
    # scenario comparison report
    "cmp.report_title": ("Scenarios compared: impact of the planned IT changes", "Comparaison de scénarios : impact des évolutions informatiques prévues"),
    "cmp.compared": ("Scenarios compared:", "Scénarios comparés :"),
    "cmp.best": ("On these figures, {name} is the strongest option: {verdict}, {blockers} {blockers|blocker|blockers} and {high} high-severity {high|warning|warnings}, {spend} in all over {months} months.",
                 "Sur ces chiffres, {name} est l'option la plus solide : {verdict}, {blockers} {blockers|point bloquant|points bloquants} et {high} {high|mise en garde élevée|mises en garde élevées}, {spend} en tout sur {months} mois."),
    "cmp.diff": ("Warnings that differ between scenarios", "Mises en garde qui diffèrent d'un scénario à l'autre"),
    "cmp.diff_intro": ("Blocker and high-severity warnings found in some scenarios but not in all ({common} are common to all of them and not listed).",
                       "Mises en garde bloquantes et élevées présentes dans certains scénarios mais pas dans tous ({common} sont communes à tous et ne sont pas listées)."),
    "cmp.spend_p50": ("First-year project spend P50", "Dépense du projet 1re année P50"),
    "cmp.no_diff": ("Every scenario has the same blocker and high-severity warnings.", "Tous les scénarios ont les mêmes mises en garde bloquantes et élevées."),
    # portfolio page (impactlib batch: reports/index.html)
    "portfolio.title": ("Portfolio — impact reports", "Portefeuille — études d'impact"),
    "portfolio.summary": ("{total} {total|report|reports}: {ok} produced, {failed} failed. Generated on {day} at {time} UTC by impactlib {version}. "
                          "Confidential: for the provider's staff.",
                          "{total} {total|rapport|rapports} : {ok} {ok|produit|produits}, {failed} en échec. Généré le {day} à {time} UTC par impactlib {version}. "
                          "Confidentiel : réservé aux équipes du prestataire."),
    "portfolio.col.lang": ("Language", "Langue"),
    "portfolio.col.status": ("Status / verdict", "État / verdict"),
    "portfolio.col.blockers": ("Blockers", "Bloquantes"), "portfolio.col.high": ("High", "Élevées"),
    "portfolio.col.first_go_live": ("First go-live", "Première mise en service"),
    "portfolio.col.links": ("Links", "Liens"),
    "portfolio.failed": ("Report failed", "Rapport en échec"),
    "portfolio.report": ("report", "rapport"), "portfolio.notebook": ("notebook", "notebook"),
    "portfolio.cell": ("cell {index}", "cellule {index}"),
    "portfolio.chart.readiness": ("Clients by readiness (default scenario)", "Clients par état de préparation (scénario par défaut)"),
    "portfolio.chart.clients": ("clients", "clients"),
    "portfolio.chart.hours": ("Trainer hours the provider must deliver per month (all clients)",
                              "Heures de formateur à assurer par le prestataire, par mois (tous clients)"),
    "portfolio.chart.trainer_hours": ("trainer hours", "heures de formateur"),
    "portfolio.kind.bad_input": ("bad client data", "données du client invalides"),
    "portfolio.kind.bad_request": ("bad request", "demande invalide"),
    "portfolio.kind.cell_error": ("a cell raised an error", "une cellule a levé une erreur"),
    "portfolio.kind.kernel_died": ("the kernel died", "le noyau s'est arrêté"),
    "portfolio.kind.timeout": ("timeout", "délai dépassé"),
    "portfolio.kind.kernel_start": ("no kernel could start", "aucun noyau n'a pu démarrer"),
    "portfolio.kind.export_error": ("HTML export failed", "échec de l'export HTML"),
    "portfolio.kind.internal_error": ("internal error", "erreur interne"),
    "portfolio.kind.worker_error": ("the Dask worker failed", "le worker Dask a échoué"),
    # --- register of issued reports, decisions bound to evidence, warning letters (issue 16) ---
    "status.lapsed": ("lapsed: evidence changed", "caduque : constat modifié"),
    "since": ("Since the report of {date}", "Depuis le rapport du {date}"),
    "since_intro": ("What changed since the report issued to you on {date} (version {version}): findings that are new, "
                    "resolved, or whose evidence changed, and decisions that lapsed because the facts they answered changed. "
                    "A lapsed decision must be taken again on the current evidence.",
                    "Ce qui a changé depuis le rapport qui vous a été remis le {date} (version {version}) : constats nouveaux, "
                    "résolus ou dont les éléments ont changé, et décisions devenues caduques parce que les faits auxquels "
                    "elles répondaient ont changé. Une décision caduque doit être reprise sur les éléments actuels."),
    "since_none": ("Nothing changed in the findings since that report.", "Aucun constat n'a changé depuis ce rapport."),
    "since.new": ("new", "nouveau"), "since.resolved": ("resolved", "résolu"), "since.changed": ("evidence changed", "éléments modifiés"),
    "since.lapsed": ("decision lapsed", "décision caduque"),
    "col.since": ("What changed", "Changement"),
    "letter.title": ("Warning letter", "Lettre de mise en garde"),
    "letter.subject": ("Subject: warning about {finding} (reference {ref})", "Objet : mise en garde concernant {finding} (référence {ref})"),
    "letter.to": ("To the attention of: {roles}, {client}", "À l'attention de : {roles}, {client}"),
    "letter.opening": ("Madam, Sir,", "Madame, Monsieur,"),
    "letter.informed": ("In our report issued on {date} (version {version}, input fingerprint {fingerprint}), we informed you of the "
                        "following risk, rated {severity}:",
                        "Dans notre rapport remis le {date} (version {version}, empreinte des données {fingerprint}), nous vous avons "
                        "informés du risque suivant, de gravité « {severity} » :"),
    "letter.evidence": ("What we found", "Ce que nous avons constaté"),
    "letter.recommendation": ("Our recommendation", "Notre recommandation"),
    "letter.decision": ("Your decision", "Votre décision"),
    "letter.refused": ("On {date}, you declined this recommendation ({role}, {how}).",
                       "Le {date}, vous avez refusé cette recommandation ({role}, {how})."),
    "letter.refused_comment": ("Reason given: {comment}", "Motif indiqué : {comment}"),
    "letter.unanswered": ("We asked for your decision by {due}; as of {today} we have not received it.",
                          "Nous vous avons demandé votre décision pour le {due} ; au {today}, nous ne l'avons pas reçue."),
    "letter.consequences": ("Consequences", "Conséquences"),
    "letter.consequences_text": (
        "As long as this recommendation is not followed, the risk described above remains and may materialise, with the "
        "consequences stated in our report: delays, additional costs, interruption of service or loss of data, depending "
        "on the risk. Proceeding without following it is your decision, taken after this warning. We maintain our "
        "recommendation and remain at your disposal to carry it out or to study an alternative with you. Please return "
        "this letter signed, preceded by the words \u201cread and acknowledged\u201d: it records that you were warned of "
        "this risk before deciding.",
        "Tant que cette recommandation n'est pas suivie, le risque décrit ci-dessus demeure et peut se réaliser, avec les "
        "conséquences exposées dans notre rapport : retards, surcoûts, interruption de service ou perte de données, selon "
        "le risque. Poursuivre sans la suivre relève de votre décision, prise après la présente mise en garde. Nous "
        "maintenons notre recommandation et restons à votre disposition pour la mettre en œuvre ou étudier avec vous une "
        "alternative. Merci de nous retourner ce courrier signé, précédé de la mention « lu et pris connaissance » : il "
        "atteste que vous avez été mis en garde contre ce risque avant de décider."),
    "letter.closing": ("Yours faithfully,", "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées."),
    "letter.provider_sign": ("For the provider: name, role, date and signature", "Pour le prestataire : nom, fonction, date et signature"),
    "letter.client_sign": ("For {client}: \u201cread and acknowledged\u201d, name, role, date and signature",
                           "Pour {client} : « lu et pris connaissance », nom, fonction, date et signature"),
    "letter.digest": ("Evidence digest {digest}: this letter concerns the finding as stated here; if its evidence changes, a new "
                      "report will say so.",
                      "Condensé des éléments {digest} : ce courrier porte sur le constat tel qu'énoncé ici ; si ses éléments changent, "
                      "un nouveau rapport le signalera."),
    "how.signed_sheet": ("signed validation sheet", "feuille de validation signée"), "how.email": ("e-mail", "courriel"),
    "how.letter": ("letter", "courrier"), "how.meeting": ("meeting minutes", "compte rendu de réunion"),
    # printed report (issue 17: running footer, contents)
    "pdf.page": ("Page", "Page"), "pdf.of": ("of", "sur"),
    "contents": ("Contents", "Sommaire"),
    # client-facing names of internal ids (issue 17: report/names.py)
    "feature.access_db": ("Access databases", "bases Access"), "feature.docm": ("Word documents with macros (.docm)", "documents Word à macros (.docm)"),
    "feature.odf": ("OpenDocument files", "fichiers OpenDocument"), "feature.outlook_pst": ("Outlook archives (.pst)", "archives Outlook (.pst)"),
    "feature.pivot_tables": ("pivot tables", "tableaux croisés dynamiques"), "feature.power_query": ("Power Query", "Power Query"),
    "feature.shared_mailboxes": ("shared mailboxes", "boîtes aux lettres partagées"), "feature.teams_meetings": ("Teams meetings", "réunions Teams"),
    "feature.vba_macros": ("VBA macros", "macros VBA"), "feature.xlsm": ("Excel workbooks with macros (.xlsm)", "classeurs Excel à macros (.xlsm)"),
    "dayname.mon": ("Monday", "lundi"), "dayname.tue": ("Tuesday", "mardi"), "dayname.wed": ("Wednesday", "mercredi"),
    "dayname.thu": ("Thursday", "jeudi"), "dayname.fri": ("Friday", "vendredi"), "dayname.sat": ("Saturday", "samedi"),
    "dayname.sun": ("Sunday", "dimanche"),
    "req.cpu": ("processor", "processeur"), "req.cpu_cores": ("processor cores", "cœurs de processeur"), "req.ram_gb": ("memory (GB)", "mémoire (Go)"),
    "req.storage_gb": ("storage (GB)", "stockage (Go)"), "req.tpm_version": ("TPM version", "version du TPM"), "req.tpm_enabled": ("TPM enabled", "TPM activé"),
    "req.uefi": ("UEFI firmware", "micrologiciel UEFI"), "req.secure_boot": ("Secure Boot", "démarrage sécurisé (Secure Boot)"),
    "req.os": ("operating system", "système d'exploitation"), "req.database": ("database", "base de données"),
    "req.cpu_listed": ("on Microsoft's list of supported processors", "sur la liste des processeurs pris en charge par Microsoft"),
    "req.failed": ("{check}: {observed} (required: {required})", "{check} : {observed} (requis : {required})"),
    "req.yes": ("yes", "oui"), "req.not_found": ("not found", "absent"), "req.none": ("none", "aucune"),
    # Secure Boot states (compat.secure_boot_state) and what Windows 11 requires of it, a TPM switched off
    "req.capable": ("supported by the firmware", "pris en charge par le micrologiciel"),
    "req.enabled": ("enabled", "activé"), "req.disabled": ("disabled", "désactivé"),
    "req.unsupported": ("not supported", "non pris en charge"), "req.off": ("switched off", "désactivé"),
    "criterion.level": ("level {level} or more in “{skill}”", "niveau {level} ou plus en « {skill} »"),
    "criterion.and": (" and ", " et "),
    "sevn.blocker": ("{n|blocker|blockers}", "{n|bloquant|bloquants}"), "sevn.high": ("{n|high|high}", "{n|élevé|élevés}"),
    "sevn.medium": ("{n|medium|medium}", "{n|moyen|moyens}"), "sevn.low": ("{n|low|low}", "{n|faible|faibles}"),
    "sevn.info": ("{n|information|information}", "{n|information|informations}"),
    "missing.criterion": ("criterion", "critère"), "missing.target": ("target", "cible"),
    "missing.nis2_sector": ("the NIS2 sector", "le secteur NIS2"),
    "missing.annual_turnover, balance_sheet_total": ("the annual turnover and balance-sheet total", "le chiffre d'affaires annuel et le total du bilan"),
    "reorg.key_users_none": ("{department}, {change}: name {count} key {count|user|users}; no colleague qualifies yet — train some or widen the criteria ({criteria}).",
                             "{department}, {change} : désigner {count} {count|référent|référents} ; aucun collègue n'est encore éligible — en former ou élargir les critères ({criteria})."),
    "list.sep": ("; ", " ; "),
    # legal screens (issue 16): finding categories
    "cat.legal": ("legal", "juridique"), "cat.change control": ("change control", "maîtrise des changements"),
    # --- protection: the client's security baseline, its gaps and what they cost (report/protection.py) ---------
    "prot.source.anssi": ("ANSSI hygiene guide, measures {measures}", "guide d'hygiène de l'ANSSI, mesures {measures}"),
    "prot.source.estimate": ("impactlib estimate", "estimation impactlib"),
    "prot.source.windows": ("built into Windows", "intégré à Windows"),
    "prot.title": ("Protection: what protects you today, what does not, and what it costs to fix",
                   "Protection : ce qui vous protège aujourd'hui, ce qui manque, et ce que coûte la correction"),
    "prot.intro": ("Your protection measured against the baseline recognised public frameworks set for small organisations: "
                   "the French ANSSI hygiene guide (42 measures), the UK Cyber Essentials controls and the CIS Controls "
                   "implementation group 1. Baseline: {level}; data at stake: {data}; {head} staff{nis2}.",
                   "Votre protection mesurée au socle que fixent des référentiels publics reconnus pour les petites structures : "
                   "le guide d'hygiène informatique de l'ANSSI (42 mesures), les contrôles Cyber Essentials britanniques et le "
                   "groupe d'implémentation 1 des CIS Controls. Socle : {level} ; données en jeu : {data} ; {head} salariés{nis2}."),
    "prot.nis2": ("; NIS2: {status}", " ; NIS2 : {status}"),
    "prot.nis2.essential": ("essential entity", "entité essentielle"),
    "prot.nis2.important": ("important entity", "entité importante"),
    "prot.nis2.out_of_scope": ("not in scope", "hors champ"),
    "prot.level.essential": ("essential (every organisation)", "essentiel (toute organisation)"),
    "prot.level.elevated": ("elevated (sensitive data, 50 staff or more, or NIS2)", "renforcé (données sensibles, 50 salariés ou plus, ou NIS2)"),
    "prot.counts": ("Of the {required} controls your baseline requires: {present} in place, {partial} in part, {absent} missing, "
                    "{unknown} not known.",
                    "Sur les {required} mesures exigées par votre socle : {present} en place, {partial} en partie, {absent} absentes, "
                    "{unknown} inconnues."),
    "prot.chart.title": ("Baseline measures by area", "Mesures du socle par domaine"),
    "prot.chart.read": ("Each bar counts the baseline measures of one area of the ANSSI guide, and the five Cyber Essentials "
                        "controls: green met, orange in part, red missing, grey not known. {missing} measures are missing, "
                        "{partial} only in part.",
                        "Chaque barre compte les mesures du socle d'un domaine du guide de l'ANSSI, et les cinq contrôles Cyber "
                        "Essentials : vert en place, orange en partie, rouge absente, gris inconnue. {missing} mesures sont "
                        "absentes, {partial} en partie en place."),
    "prot.status.met": ("met", "en place"), "prot.status.partial": ("in part", "en partie"),
    "prot.status.missing": ("missing", "absente"), "prot.status.unknown": ("not known", "inconnue"),
    "prot.top": ("The five actions that remove the most risk", "Les cinq actions qui réduisent le plus le risque"),
    "prot.top_intro": ("Ranked by the risk each removes (the control's weight, how far it is missing, the data at stake). "
                       "Costs in {currency}, excl. VAT; provider work at the scenario's hourly rate.",
                       "Classées selon le risque que chacune supprime (poids de la mesure, ampleur du manque, données en jeu). "
                       "Coûts en {currency} HT ; travail du prestataire au taux horaire du scénario."),
    "prot.total": ("Together: {one_off} once and {yearly} a year{unpriced}.", "Ensemble : {one_off} une fois et {yearly} par an{unpriced}."),
    "prot.unpriced": (", plus {n} priced in another currency (see the table)", ", plus {n} au prix dans une autre devise (voir le tableau)"),
    "prot.col.action": ("Action", "Action"), "prot.col.tool": ("Recommended tool", "Outil recommandé"),
    "prot.col.alt": ("Alternative", "Alternative"), "prot.col.once": ("Once", "Une fois"), "prot.col.year": ("Per year", "Par an"),
    "prot.col.price": ("Price basis", "Base du prix"), "prot.col.residual": ("If you decline: the risk you accept", "Si vous refusez : le risque que vous acceptez"),
    "prot.col.control": ("Control", "Mesure"), "prot.col.state": ("Today", "Aujourd'hui"),
    "prot.price.list": ("list price {price}, {date}, {source}", "prix catalogue {price}, {date}, {source}"),
    "prot.price.estimate": ("estimate {price}, {date}, {source}: get a quote", "estimation {price}, {date}, {source} : demander un devis"),
    "prot.price.free": ("no licence cost ({source})", "sans coût de licence ({source})"),
    "prot.price.foreign": ("{price}: not converted, not counted in the totals", "{price} : non converti, non compté dans les totaux"),
    "prot.per.per_user": ("per user", "par utilisateur"), "prot.per.per_device": ("per device", "par poste"),
    "prot.per.per_server": ("per server", "par serveur"), "prot.per.per_gb": ("per GB", "par Go"),
    "prot.period.month": ("a month", "par mois"), "prot.period.year": ("a year", "par an"),
    "prot.in_plan": ("already in the plan's cost (a change requires it)", "déjà dans le coût du plan (une évolution l'exige)"),
    "prot.decide": ("Your decision on each action is recorded on the validation sheet (references PROT-ACT-…): declining one "
                    "means accepting the residual risk stated here.",
                    "Votre décision sur chaque action est consignée dans la feuille de validation (références PROT-ACT-…) : en "
                    "refuser une revient à accepter le risque résiduel indiqué ici."),
    "prot.none": ("Every control your baseline requires is in place: no action to recommend.",
                  "Toutes les mesures exigées par votre socle sont en place : aucune action à recommander."),
    "prot.changes": ("What your planned changes require", "Ce qu'exigent vos évolutions prévues"),
    "prot.changes_intro": ("Protection each change needs before it goes live; those missing today are in the plan's cost.",
                           "Protection dont chaque évolution a besoin avant sa mise en service ; celles qui manquent aujourd'hui sont dans le coût du plan."),
    "prot.col.need": ("Needs", "Exige"), "prot.col.met": ("In place", "En place"),
    "prot.yes": ("yes", "oui"), "prot.no": ("no", "non"),
    "prot.act": ("{control}: {tool}", "{control} : {tool}"),
    "prot.control.backup": ("Backup of servers and data", "Sauvegarde des serveurs et données"),
    "prot.control.tenant_backup": ("Backup of the cloud tenant (mail, files)", "Sauvegarde du tenant cloud (messagerie, fichiers)"),
    "prot.control.endpoint_protection": ("Endpoint protection / EDR", "Protection des postes / EDR"),
    "prot.control.mfa": ("Multi-factor authentication", "Authentification multifacteur"),
    "prot.control.conditional_access": ("Conditional access", "Accès conditionnel"),
    "prot.control.patch_management": ("Patch management", "Gestion des mises à jour"),
    "prot.control.firewall": ("Firewall", "Pare-feu"),
    "prot.control.segmentation": ("Network segmentation", "Cloisonnement du réseau"),
    "prot.control.disk_encryption": ("Disk encryption with escrowed recovery keys", "Chiffrement des disques avec clés de récupération séquestrées"),
    "prot.control.admin_accounts": ("Separate administrator accounts", "Comptes d'administration séparés"),
    "prot.control.security_baseline": ("Security configuration baseline", "Configuration de sécurité de référence"),
    "prot.control.mail_filtering": ("Mail filtering", "Filtrage de la messagerie"),
    "prot.control.password_manager": ("Password manager", "Gestionnaire de mots de passe"),
    "prot.control.awareness_training": ("Security awareness training", "Sensibilisation à la sécurité"),
    "prot.control.incident_response": ("Incident response plan and contact", "Procédure et contact en cas d'incident"),
    "prot.control.audit_logging": ("Audit logs kept and watched", "Journaux conservés et surveillés"),
    "prot.state.present": ("in place", "en place"), "prot.state.partial": ("in part", "en partie"),
    "prot.state.absent": ("missing", "absente"), "prot.state.unknown": ("not known", "inconnue"),
    "prot.reason.restore_never_tested": ("no restore ever tested", "aucune restauration testée"),
    "prot.reason.restore_test_old": ("last restore test over a year ago", "dernier test de restauration il y a plus d'un an"),
    "prot.reason.no_offline_copy": ("no offline or immutable copy", "pas de copie hors ligne ou immuable"),
    "prot.reason.offline_unknown": ("offline or immutable copy not known", "copie hors ligne ou immuable non connue"),
    "prot.reason.details_unknown": ("a backup product is in the inventory; copies and restore tests not known",
                                    "un logiciel de sauvegarde figure à l'inventaire ; copies et tests de restauration inconnus"),
    "prot.reason.admins_not_covered": ("not on administrator accounts", "pas sur les comptes d'administration"),
    "prot.reason.users_not_covered": ("not on every user", "pas sur tous les utilisateurs"),
    "prot.reason.keys_not_escrowed": ("recovery keys not escrowed", "clés de récupération non séquestrées"),
    "prot.reason.recorded": ("recorded as in part in protection.csv (see its notes)", "renseignée « en partie » dans protection.csv (voir ses notes)"),
    "prot.reason.seats_short": ("fewer licences than devices", "moins de licences que de postes"),
    "prot.kind.cloud": ("moving mail or files to a cloud tenant", "passage de la messagerie ou des fichiers dans un tenant cloud"),
    "prot.kind.os": ("an operating-system rollout", "un déploiement de système d'exploitation"),
    "prot.kind.migration": ("a data migration", "une migration de données"),
    "prot.kind.eol_server": ("a server kept past its end of support", "un serveur conservé après sa fin de support"),
    "prot.kind.eol_device": ("a device kept past its end of support", "un poste conservé après sa fin de support"),
    "prot.residual.backup": ("ransomware or a disk failure can destroy the data and its only copy: weeks of work, records lost for good",
                             "un rançongiciel ou une panne peut détruire les données et leur seule copie : des semaines de travail, des dossiers perdus pour de bon"),
    "prot.residual.tenant_backup": ("mail and files deleted or encrypted in the tenant cannot be restored beyond the retention periods",
                                    "messages et fichiers supprimés ou chiffrés dans le tenant ne peuvent être restaurés au-delà des durées de rétention"),
    "prot.residual.endpoint_protection": ("malware runs unnoticed on a workstation and spreads", "un logiciel malveillant s'exécute sans être vu sur un poste et se propage"),
    "prot.residual.mfa": ("one phished or reused password opens the mailbox, the files and the admin console",
                          "un seul mot de passe hameçonné ou réutilisé ouvre la messagerie, les fichiers et la console d'administration"),
    "prot.residual.conditional_access": ("sign-ins from any country and any unmanaged device stay possible", "les connexions depuis n'importe quel pays et n'importe quel appareil non géré restent possibles"),
    "prot.residual.patch_management": ("known, published flaws stay open to attackers", "des failles connues et publiées restent ouvertes aux attaquants"),
    "prot.residual.firewall": ("the network is reachable from the Internet without filtering", "le réseau est joignable depuis Internet sans filtrage"),
    "prot.residual.segmentation": ("an intruder on one PC reaches every server, and unsupported systems are exposed to all",
                                   "un intrus sur un poste atteint tous les serveurs, et les systèmes non supportés sont exposés à tous"),
    "prot.residual.disk_encryption": ("a lost or stolen laptop hands over its files, and a locked disk cannot be recovered without its key",
                                      "un portable perdu ou volé livre ses fichiers, et un disque verrouillé ne se récupère pas sans sa clé"),
    "prot.residual.admin_accounts": ("one infected session with admin rights takes over the whole domain", "une seule session infectée avec des droits d'administration prend tout le domaine"),
    "prot.residual.security_baseline": ("devices keep weak default settings attackers rely on", "les postes gardent des réglages par défaut faibles dont profitent les attaquants"),
    "prot.residual.mail_filtering": ("phishing and malicious attachments reach the inboxes", "hameçonnage et pièces jointes malveillantes arrivent dans les boîtes"),
    "prot.residual.password_manager": ("passwords are reused, written down or shared", "les mots de passe sont réutilisés, notés ou partagés"),
    "prot.residual.awareness_training": ("staff do not recognise phishing and fraud attempts", "le personnel ne reconnaît pas l'hameçonnage et les tentatives de fraude"),
    "prot.residual.incident_response": ("in an incident, hours are lost finding who to call; legal deadlines (72 h GDPR notification) are missed",
                                        "lors d'un incident, des heures se perdent à chercher qui appeler ; les délais légaux (notification RGPD sous 72 h) sont manqués"),
    "prot.residual.audit_logging": ("an intrusion leaves no trace to detect or investigate it", "une intrusion ne laisse aucune trace pour la détecter ou l'analyser"),
    "prot.area.Sensibiliser et former": ("Awareness and training", "Sensibiliser et former"),
    "prot.area.Connaître le système d'information": ("Know the information system", "Connaître le système d'information"),
    "prot.area.Authentifier et contrôler les accès": ("Authentication and access control", "Authentifier et contrôler les accès"),
    "prot.area.Sécuriser les postes": ("Secure the workstations", "Sécuriser les postes"),
    "prot.area.Sécuriser le réseau": ("Secure the network", "Sécuriser le réseau"),
    "prot.area.Sécuriser l'administration": ("Secure administration", "Sécuriser l'administration"),
    "prot.area.Gérer le nomadisme": ("Mobile working", "Gérer le nomadisme"),
    "prot.area.Maintenir le système d'information à jour": ("Keep the system up to date", "Maintenir le système d'information à jour"),
    "prot.area.Superviser, auditer, réagir": ("Monitor, audit, respond", "Superviser, auditer, réagir"),
    "prot.area.Pour aller plus loin": ("Going further", "Pour aller plus loin"),
    "prot.once": ("once", "une fois"),
    "prot.or": ("or: {tool}", "ou : {tool}"),
    "status.protection_of": ("Protection action: {action}", "Action de protection : {action}"),
    # --- the Windows 10 campaign across clients (impactlib campaign; report/campaign.py) ---
    "campaign.title": ("Windows 10 end-of-life campaign — {provider}", "Campagne de fin de vie de Windows 10 — {provider}"),
    "campaign.summary": ("{clients} {clients|client|clients} with Windows 10 PCs to move, {devices} {devices|PC|PCs}. Capacity: {capacity} technician hours "
                         "per working month from {start} to {deadline}. Generated on {day} at {time} UTC by impactlib {version}.",
                         "{clients} {clients|client|clients} avec des PC sous Windows 10 à migrer, {devices} PC. Capacité : {capacity} heures de "
                         "technicien par mois travaillé du {start} au {deadline}. Généré le {day} à {time} UTC par impactlib {version}."),
    "campaign.kpi.devices": ("PCs on the campaign", "PC dans la campagne"),
    "campaign.kpi.buy": ("PCs to buy", "PC à acheter"),
    "campaign.kpi.hours": ("technician hours", "heures de technicien"),
    "campaign.kpi.esu": ("ESU to bridge (all years)", "ESU de transition (toutes années)"),
    "campaign.kpi.undone": ("clients not done by {deadline}", "clients non terminés au {deadline}"),
    "campaign.kpi.late": ("clients later than their own plan", "clients plus tard que leur propre plan"),
    "campaign.rule": ("Schedule rule: clients are taken by urgency (the date their own plan moves their Windows 10 PCs, earliest first; "
                      "then the most PCs not ready or not verified; then the most PCs; then the client id). Each client moves in the earliest "
                      "working month with enough technician hours left for all its hours; a client needing more than a whole month fills "
                      "the months in turn from the earliest one with hours left. A client that cannot be placed by {deadline} books nothing "
                      "and is listed below. PCs are ordered by the client's first month minus their delivery time, or at once when that month "
                      "is past; a client's last month is not before its PCs arrive.",
                      "Règle de planification : les clients sont pris par urgence (la date à laquelle leur propre plan migre leurs PC sous "
                      "Windows 10, la plus proche d'abord ; puis le plus de PC non prêts ou non vérifiés ; puis le plus de PC ; puis "
                      "l'identifiant du client). Chaque client migre le premier mois travaillé où il reste assez d'heures de technicien pour "
                      "toutes ses heures ; un client qui demande plus d'un mois entier remplit les mois l'un après l'autre à partir du premier "
                      "où il reste des heures. Un client qui ne peut être placé avant le {deadline} ne réserve rien et figure ci-dessous. Les PC "
                      "sont commandés au premier mois du client moins leur délai de livraison, ou tout de suite quand ce mois est passé ; le "
                      "dernier mois d'un client n'est pas antérieur à l'arrivée de ses PC."),
    "campaign.esu_note": ("ESU (Microsoft's paid Extended Security Updates for Windows 10, commercial price in {currency} per device, cumulative: "
                          "joining in year 2 pays year 1 too) keeps every Windows 10 PC patched from today until its client's own plan moves "
                          "it, if not already enrolled; a PC whose recommended option is ESU is covered to its last year; Cloud PC devices "
                          "have it included.",
                          "Les ESU (mises à jour de sécurité étendues payantes de Microsoft pour Windows 10, prix entreprise en {currency} par "
                          "poste, cumulatifs : adhérer en année 2 fait payer l'année 1 aussi) maintiennent chaque PC sous Windows 10 à jour "
                          "d'aujourd'hui jusqu'à sa migration selon le plan du client, s'il n'y adhère pas déjà ; un PC dont l'option "
                          "recommandée est l'ESU est couvert jusqu'à sa dernière année ; les postes reliés à un Cloud PC l'ont inclus."),
    "campaign.chart.hours": ("Technician hours per month: scheduled against capacity", "Heures de technicien par mois : planifiées face à la capacité"),
    "campaign.chart.hours.read": ("Bars: the hours the schedule books; line: the provider's capacity; dots: the hours the clients' own plans ask "
                                  "in that month. {peak}", "Barres : les heures que le planning réserve ; ligne : la capacité du prestataire ; "
                                  "points : les heures que les plans des clients demandent ce mois-là. {peak}"),
    "campaign.chart.hours.peak": ("The clients' own plans ask {hours} hours in {month}, {ratio} of the capacity.",
                                  "Les plans des clients demandent {hours} heures en {month}, soit {ratio} de la capacité."),
    "campaign.chart.scheduled": ("scheduled", "planifié"), "campaign.chart.capacity": ("capacity", "capacité"),
    "campaign.chart.asked": ("asked by the clients' plans", "demandé par les plans des clients"),
    "campaign.chart.pcs": ("PCs to order per month (schedule)", "PC à commander par mois (planning)"),
    "campaign.chart.pcs.read": ("Each bar: the PCs to order in that month so that they arrive before their client's month. Busiest month: {month}, {units} {units|PC|PCs}.",
                                "Chaque barre : les PC à commander ce mois-là pour qu'ils arrivent avant le mois de leur client. Mois le plus chargé : {month}, {units} PC."),
    "campaign.chart.pcs.none": ("No PC to buy.", "Aucun PC à acheter."),
    "campaign.chart.devices": ("PCs by verdict and recommended option", "PC par verdict et option recommandée"),
    "campaign.chart.devices.read": ("{ready} of {total} PCs {ready|is|are} ready for Windows 11; {buy} must be replaced.",
                                    "{ready} PC sur {total} {ready|est prêt|sont prêts} pour Windows 11 ; {buy} {buy|doit être remplacé|doivent être remplacés}."),
    "campaign.chart.esu": ("ESU spend per ESU year", "Dépense ESU par année ESU"),
    "campaign.chart.esu.read": ("ESU year {year} ({start} – {end}) costs the most: {amount}.",
                                "L'année ESU {year} ({start} – {end}) coûte le plus : {amount}."),
    "campaign.chart.esu.none": ("No ESU spend.", "Aucune dépense ESU."),
    "campaign.chart.pcs_axis": ("PCs", "PC"), "campaign.chart.hours_axis": ("hours", "heures"),
    "campaign.esu_year": ("ESU year {year}", "Année ESU {year}"),
    "campaign.schedule": ("Clients by urgency and their month", "Clients par urgence et leur mois"),
    "campaign.undone": ("Clients that cannot be done before {deadline}", "Clients qui ne peuvent être terminés avant le {deadline}"),
    "campaign.undone.none": ("Every client fits before {deadline}.", "Tous les clients tiennent avant le {deadline}."),
    "campaign.undone.advice": ("Add capacity (technician hours or working months), move the deadline, or bridge these clients with ESU "
                               "until a month is free.", "Ajouter de la capacité (heures de technicien ou mois travaillés), repousser "
                               "l'échéance, ou couvrir ces clients par l'ESU jusqu'à ce qu'un mois se libère."),
    "campaign.missing": ("{n} {n|client|clients} without campaign figures (reports made by an older impactlib: rerun the batch with --force): {clients}",
                         "{n} {n|client|clients} sans chiffres de campagne (rapports produits par une version antérieure : relancer le lot avec --force) : {clients}"),
    "campaign.col.rank": ("Urgency", "Urgence"), "campaign.col.client": ("Client", "Client"),
    "campaign.col.due": ("Own plan", "Plan du client"), "campaign.col.devices": ("PCs", "PC"),
    "campaign.col.at_risk": ("Not ready / unverified", "Non prêts / non vérifiés"),
    "campaign.col.hours": ("Technician hours", "Heures de technicien"), "campaign.col.buy": ("PCs to buy", "PC à acheter"),
    "campaign.col.amount": ("Their price", "Leur prix"), "campaign.col.order_by": ("Order in", "Commander en"),
    "campaign.col.months": ("Scheduled months", "Mois planifiés"),
    "campaign.late": ("after its own plan", "après son propre plan"),
    "campaign.at_once": ("at once: delivered about {day}", "tout de suite : livrés vers le {day}"), "campaign.not_placed": ("not before the deadline", "pas avant l'échéance"),
    "campaign.verdict.ready": ("ready", "prêt"), "campaign.verdict.firmware": ("after a firmware setting", "après un réglage du micrologiciel"),
    "campaign.verdict.not_ready": ("not ready", "non prêt"), "campaign.verdict.unknown": ("cannot verify", "non vérifiable"),
    "campaign.option.upgrade": ("upgrade in place", "mise à niveau sur place"), "campaign.option.firmware": ("firmware setting", "réglage du micrologiciel"),
    "campaign.option.replace": ("replace", "remplacer"), "campaign.option.esu": ("ESU", "ESU"),
    "campaign.option.cloud_pc": ("Windows 365 Cloud PC", "Cloud PC Windows 365"), "campaign.option.iot_ltsc": ("IoT Enterprise LTSC", "IoT Enterprise LTSC"),
    "campaign.option.isolate": ("isolate", "isoler"), "campaign.option.verify": ("verify first", "vérifier d'abord"),
    "campaign.axis.verdict": ("verdict", "verdict"), "campaign.axis.option": ("recommended option", "option recommandée"),
    # --- Windows 11 readiness and device options ---
    "dev.title": ("Windows 11 readiness of the devices and the options for each group",
                  "Préparation des postes à Windows 11 et options pour chaque groupe"),
    "dev.intro": ("{devices} {devices|device|devices} in {groups} {groups|group|groups}: {ready} ready, {firmware} ready once a firmware setting is changed, "
                  "{not_ready} not ready, {unknown} to verify. The requirement is Microsoft's: a processor on its supported list, "
                  "TPM 2.0, UEFI firmware capable of Secure Boot (switched on or not), 4 GB of RAM and 64 GB of storage.",
                  "{devices} {devices|poste|postes} en {groups} {groups|groupe|groupes} : {ready} prêts, {firmware} prêts après un réglage du micrologiciel, "
                  "{not_ready} non prêts, {unknown} à vérifier. L'exigence est celle de Microsoft : un processeur de sa liste, "
                  "TPM 2.0, un micrologiciel UEFI capable de Secure Boot (activé ou non), 4 Go de mémoire et 64 Go de stockage."),
    "dev.none": ("No Windows 11 change acts on workstations or laptops in this scenario.",
                 "Aucune modification Windows 11 ne porte sur des postes fixes ou portables dans ce scénario."),
    "dev.note": ("Costs over the horizon, provider time at the scenario's hourly rate; ESU prices are Microsoft's in USD converted at "
                 "{rate} (cumulative: joining in year 2 pays year 1 too); the technician hours are the option's own work, besides the "
                 "upgrade itself.",
                 "Coûts sur l'horizon, temps du prestataire au taux horaire du scénario ; prix ESU de Microsoft en USD convertis à {rate} "
                 "(cumulatifs : entrer en année 2 fait payer l'année 1) ; les heures de technicien sont le travail propre de l'option, "
                 "en plus de la mise à niveau elle-même."),
    "col.group": ("Device group", "Groupe de postes"), "col.devices": ("Devices", "Postes"), "dev.col.verdict": ("Verdict", "Verdict"),
    "dev.col.why": ("Why", "Pourquoi"), "dev.col.action": ("Recommended action", "Action recommandée"),
    "col.option_cost": ("Cost over the horizon", "Coût sur l'horizon"), "col.alternatives": ("Other options", "Autres options"),
    "col.tech_hours": ("Technician hours", "Heures de technicien"), "col.lead": ("Lead time (days)", "Délai (jours)"),
    "col.model": ("Model", "Modèle"), "col.cpu": ("Processor", "Processeur"), "col.checks_failed": ("Failed checks", "Contrôles en échec"),
    "col.firmware_fix": ("Firmware setting", "Réglage du micrologiciel"), "col.collect": ("To collect", "À relever"),
    "dev.verdict.ready": ("ready", "prêt"), "dev.verdict.firmware": ("firmware setting", "réglage du micrologiciel"),
    "dev.verdict.not_ready": ("not ready", "non prêt"), "dev.verdict.unknown": ("to verify", "à vérifier"),
    "fix.secure_boot": ("switch Secure Boot on in the firmware", "activer Secure Boot dans le micrologiciel"),
    "fix.tpm": ("switch the firmware TPM on (Intel PTT / AMD fTPM)", "activer le TPM du micrologiciel (Intel PTT / AMD fTPM)"),
    "fix.uefi": ("convert the disk with MBR2GPT and switch the firmware from legacy BIOS to UEFI mode (Secure Boot on): more than a setting, "
                 "plan a backup", "convertir le disque avec MBR2GPT et passer le micrologiciel du mode BIOS hérité au mode UEFI (Secure Boot "
                 "activé) : plus qu'un réglage, prévoir une sauvegarde"),
    "fix.uefi+tpm": ("MBR2GPT and UEFI mode, then switch the firmware TPM on", "MBR2GPT et mode UEFI, puis activer le TPM du micrologiciel"),
    "fix.secure_boot+tpm": ("switch Secure Boot and the firmware TPM on", "activer Secure Boot et le TPM du micrologiciel"),
    "option.upgrade": ("upgrade in place", "mise à niveau sur place"), "option.firmware": ("firmware setting, then upgrade", "réglage du micrologiciel, puis mise à niveau"),
    "option.replace": ("replace", "remplacement"), "option.esu": ("Windows 10 ESU", "ESU Windows 10"),
    "option.cloud_pc": ("Windows 365 Cloud PC", "Cloud PC Windows 365"),
    "option.iot_ltsc": ("Windows 10 IoT Enterprise LTSC 2021 (to 2032-01-13)", "Windows 10 IoT Enterprise LTSC 2021 (jusqu'au 13/01/2032)"),
    "option.isolate": ("isolate off the network", "isoler du réseau"),
    "option.collect": ("complete the inventory first", "compléter d'abord l'inventaire"),
    "reason.meets_requirements": ("meets every requirement", "satisfait toutes les exigences"),
    "reason.firmware_setting": ("a firmware setting, minutes of a technician's time: never a new PC for a setting",
                                "un réglage du micrologiciel, quelques minutes de technicien : jamais un PC neuf pour un réglage"),
    "reason.replace_old": ("the hardware is not supported and is {age} years old: replacing beats paying ESU on it",
                           "le matériel n'est pas supporté et a {age} ans : le remplacer vaut mieux que lui payer des ESU"),
    "reason.replace_unsupported": ("the hardware is not supported by Windows 11", "le matériel n'est pas supporté par Windows 11"),
    "reason.esu_bridge": ("ESU as a bridge until the replacement (go-live {date}, more than 90 days away): Windows 10 has had no "
                          "security update since 14 October 2025",
                          "ESU en attendant le remplacement (mise en service le {date}, dans plus de 90 jours) : Windows 10 n'a plus de "
                          "correctif de sécurité depuis le 14 octobre 2025"),
    "reason.special_purpose_ltsc": ("a special-purpose device bound to its vendor's software: IoT Enterprise LTSC is supported to 2032 "
                                    "without new hardware (check the vendor's certification)",
                                    "un poste dédié lié au logiciel de son fournisseur : IoT Enterprise LTSC est supporté jusqu'en 2032 "
                                    "sans nouveau matériel (vérifier la certification du fournisseur)"),
    "reason.offline_device": ("it works without any network: isolated, it is exposed to no network attack",
                              "il fonctionne sans réseau : isolé, il n'est exposé à aucune attaque réseau"),
    "reason.replace_beats_esu": ("ESU to October 2028 only delays the purchase, and costs more than replacing now (cost shown: ESU to its "
                                 "end, then the replacement)", "des ESU jusqu'en octobre 2028 ne font que retarder l'achat, et coûtent plus que "
                                 "remplacer maintenant (coût affiché : ESU jusqu'au bout, puis le remplacement)"),
    "reason.cloud_keeps_old_pc": ("a Cloud PC keeps the old PC as its terminal (out of warranty, Windows 10 on it) and is paid every "
                                  "year after the horizon too, while a new PC lasts five years or more",
                                  "un Cloud PC garde le vieux PC comme terminal (hors garantie, sous Windows 10) et se paie chaque année "
                                  "après l'horizon aussi, alors qu'un PC neuf dure cinq ans ou plus"),
    "reason.ltsc_or_isolation_kept": ("not needed: the device is kept on a supported remedy", "inutile : le poste est gardé avec une solution supportée"),
    "reason.needs_network": ("it needs the network for its work", "il a besoin du réseau pour travailler"),
    "reason.not_needed": ("not needed: the device meets the requirements", "inutile : le poste satisfait les exigences"),
    "reason.firmware_beats_hardware": ("not needed: a firmware setting is enough", "inutile : un réglage du micrologiciel suffit"),
    "reason.ltsc_for_special_purpose": ("IoT Enterprise LTSC keeps the machine and its vendor's software", "IoT Enterprise LTSC garde la machine et le logiciel de son fournisseur"),
    "reason.isolate_cheaper": ("isolation is enough for a device that needs no network", "l'isolement suffit pour un poste qui n'a besoin d'aucun réseau"),
    "reason.collect_first": ("the inventory does not say enough to decide", "l'inventaire n'en dit pas assez pour décider"),
    "chart.devopt.title": ("Options per device group: cost over the horizon ({currency})",
                           "Options par groupe de postes : coût sur l'horizon ({currency})"),
    "chart.devopt.read": ("The recommended options cost {recommended} over the horizon; replacing every group that is not ready "
                          "would cost {replace_all}.",
                          "Les options recommandées coûtent {recommended} sur l'horizon ; remplacer tous les groupes non prêts "
                          "coûterait {replace_all}."),
    "chart.devopt.recommended": ("recommended", "recommandée"),
    "ws.devices": ("Windows 11 worklist", "Liste de travail Windows 11"),
    # the analyst's explorer (issue 17 item 5): control labels, the side-by-side, saving
    "explore.client": ("Client", "Client"),
    "explore.scenario": ("Starting scenario", "Scénario de départ"),
    "explore.shift_weeks": ("Go-live shift (weeks)", "Décalage des mises en service (semaines)"),
    "explore.rollout": ("Rollout", "Déploiement"),
    "explore.rollout.as_planned": ("as planned", "comme prévu"),
    "explore.rollout.big_bang": ("big bang", "bascule unique"),
    "explore.rollout.phased": ("phased", "par étapes"),
    "explore.rollout.pilot_then_big_bang": ("pilot, then big bang", "pilote puis bascule"),
    "explore.rollout.parallel_run": ("parallel run", "fonctionnement en parallèle"),
    "explore.exclude": ("Changes left out", "Changements écartés"),
    "explore.exclude_help": ("Ctrl/Cmd-click to select several", "Ctrl/Cmd-clic pour en choisir plusieurs"),
    "explore.budget": ("Project budget (0: none)", "Budget du projet (0 : aucun)"),
    "explore.training_budget": ("Training budget (0: none)", "Budget de formation (0 : aucun)"),
    "explore.dip_scale": ("Productivity dip (× catalog)", "Baisse de productivité (× catalogue)"),
    "explore.provider_hourly_rate": ("Provider hourly rate", "Taux horaire du prestataire"),
    "explore.eol_horizon_months": ("End-of-support horizon (months)", "Horizon de fin de support (mois)"),
    "explore.save_name": ("New scenario name", "Nom du nouveau scénario"),
    "explore.save_placeholder": ("e.g. later-go-live", "p. ex. mise-en-service-tardive"),
    "explore.save": ("Save as new scenario", "Enregistrer comme nouveau scénario"),
    "explore.yaml": ("The file it writes", "Le fichier écrit"),
    "explore.saved": ("Saved {file}: reload the client to report on it.", "{file} enregistré : rechargez le client pour en faire le rapport."),
    "explore.not_saved": ("Not saved: {why}", "Non enregistré : {why}"),
    "explore.not_applied": ("Not applied: {why}", "Non appliqué : {why}"),
    "explore.recomputed": ("recomputed in {ms} ms", "recalculé en {ms} ms"),
    "explore.starting": ("Starting scenario", "Scénario de départ"),
    "explore.tweaked": ("Tweaked", "Modifié"),
    "explore.delta": ("Change", "Écart"),
    "explore.same": ("unchanged", "inchangé"),
    "explore.weeks": ("{n} wk", "{n} sem."),
    "explore.verdict": ("verdict", "verdict"),
    "explore.tile.blockers": ("blocking warnings", "mises en garde bloquantes"),
    "explore.tile.high": ("high warnings", "mises en garde élevées"),
    "explore.tile.spend": ("the project's one-off spend", "dépenses ponctuelles du projet"),
    "explore.tile.total": ("cost over {months} months, all in", "coût sur {months} mois, tout compris"),
    "explore.tile.first_go_live": ("first go-live", "première mise en service"),
    "explore.tile.last_go_live": ("last go-live", "dernière mise en service"),
    "explore.tile.changes": ("changes", "changements"),
    "explore.tile.people": ("people affected", "personnes concernées"),
    "explore.tile.training": ("training, participant hours", "formation, heures-stagiaires"),
    "explore.tile.late": ("late training sessions", "sessions de formation en retard"),
    "explore.tile.decisions": ("decisions pending", "décisions en attente"),
    "explore.tile.objectives": ("objectives met", "objectifs atteints"),
    # board deck (impactlib deck: report/deck.py)
    "deck.title": ("Board briefing: the planned IT changes", "Note au conseil : les évolutions informatiques prévues"),
    "deck.subtitle": ("Option presented: {title} ({name})", "Option présentée : {title} ({name})"),
    "deck.prepared": ("Prepared by {provider} — {date}", "Préparé par {provider} — {date}"),
    "deck.page": ("{n} / {total}", "{n} / {total}"),
    "deck.verdict.title": ("Verdict and recommended option", "Verdict et option recommandée"),
    "deck.verdict.line": ("Verdict on {name}: {verdict}", "Verdict sur {name} : {verdict}"),
    "deck.recommended": ("Recommended option: {title} ({name}) — least risk, then lowest cost over {months} months.",
                         "Option recommandée : {title} ({name}) — le moins de risques, puis le coût le plus bas sur {months} mois."),
    "deck.not_recommended": ("The figures favour {best} ({best_name}) over the option presented.",
                             "Les chiffres donnent l'avantage à {best} ({best_name}) sur l'option présentée."),
    "deck.only_option": ("Only one option was assessed: no alternative to compare.", "Une seule option étudiée : aucune autre à comparer."),
    "deck.col.option": ("Option", "Option"),
    "deck.col.spend": ("One-off spend", "Dépenses ponctuelles"),
    "deck.col.total": ("Over {months} months", "Sur {months} mois"),
    "deck.col.go_live": ("Last go-live", "Dernière mise en service"),
    "deck.col.blockers": ("Blockers", "Bloquants"),
    "deck.col.high": ("High", "Élevées"),
    "deck.delta": ("Against {name}: {spend} one-off, {total} over {months} months, {shift}",
                   "Par rapport à {name} : {spend} en ponctuel, {total} sur {months} mois, {shift}"),
    "deck.shift.later": ("go-live {n} {n|week|weeks} later", "mise en service {n} {n|semaine|semaines} plus tard"),
    "deck.shift.earlier": ("go-live {n} {n|week|weeks} earlier", "mise en service {n} {n|semaine|semaines} plus tôt"),
    "deck.shift.same": ("same last go-live", "même dernière mise en service"),
    "deck.to_green": ("To go further, settle: {title}", "Pour avancer, régler : {title}"),
    "deck.removes": ("removes {n} blocking or high {n|warning|warnings}, e.g. “{title}”",
                     "lève {n} {n|mise en garde bloquante ou élevée|mises en garde bloquantes ou élevées}, par ex. « {title} »"),
    "deck.adds": ("adds {n} blocking or high {n|warning|warnings}, e.g. “{title}”",
                  "ajoute {n} {n|mise en garde bloquante ou élevée|mises en garde bloquantes ou élevées}, par ex. « {title} »"),
    "deck.rag.title": ("Status per area", "État par domaine"),
    "deck.rag.note": ("Red: a blocker stands. Amber: a high-severity warning stands. Green: neither.",
                      "Rouge : un point bloquant. Orange : une mise en garde élevée. Vert : ni l'un ni l'autre."),
    "deck.col.area": ("Area", "Domaine"),
    "deck.col.status": ("Status", "État"),
    "deck.col.why": ("Why", "Pourquoi"),
    "deck.area.hardware": ("Hardware", "Matériel"),
    "deck.area.software": ("Software", "Logiciels"),
    "deck.area.people": ("People", "Personnes"),
    "deck.area.budget": ("Budget", "Budget"),
    "deck.area.schedule": ("Schedule", "Calendrier"),
    "deck.area.data_protection": ("Data protection", "Protection des données"),
    "deck.rag.red": ("Red", "Rouge"), "deck.rag.amber": ("Amber", "Orange"), "deck.rag.green": ("Green", "Vert"),
    "deck.why.red": ("{n} {n|blocker|blockers}: {title}", "{n} {n|point bloquant|points bloquants} : {title}"),
    "deck.why.amber": ("{n} high-severity {n|warning|warnings}: {title}", "{n} {n|mise en garde élevée|mises en garde élevées} : {title}"),
    "deck.why.green_some": ("no blocker or high warning; {n} lesser {n|warning|warnings}",
                            "ni point bloquant ni mise en garde élevée ; {n} {n|mise en garde mineure|mises en garde mineures}"),
    "deck.why.green": ("no warning", "aucune mise en garde"),
    "deck.gantt.title": ("Schedule of the changes", "Calendrier des évolutions"),
    "deck.gantt.start": ("Start", "Début"),
    "deck.gantt.length": ("Days", "Jours"),
    "deck.gantt.freeze": ("Freeze: {name}", "Gel : {name}"),
    "deck.gantt.today": ("Today {date}", "Aujourd'hui {date}"),
    "deck.gantt.clash": ("Clashes with a freeze period: {which}.", "Chevauchements avec une période gelée : {which}."),
    "deck.gantt.no_clash": ("No change goes live inside a freeze period.", "Aucune mise en service pendant une période gelée."),
    "deck.cost.title": ("Cost over {months} months", "Coût sur {months} mois"),
    "deck.cost.items": ("Cost per item over {months} months ({currency})", "Coût par poste sur {months} mois ({currency})"),
    "deck.cost.cumulative": ("Cumulative cost against the status quo ({currency})", "Coût cumulé face au statu quo ({currency})"),
    "deck.cost.status_quo": ("Status quo", "Statu quo"),
    "deck.cost.summary": ("One-off spend {spend} (budget {budget}); {total} over {months} months all in (P10–P90 {p10} – {p90}), against {status_quo} for the status quo.",
                          "Dépenses ponctuelles {spend} (budget {budget}) ; {total} sur {months} mois tout compris (P10–P90 {p10} – {p90}), contre {status_quo} pour le statu quo."),
    "deck.no_budget": ("none given", "non fixé"),
    "deck.decisions.title": ("Decisions requested of the board", "Décisions demandées au conseil"),
    "deck.decisions.count": ("{pending} of {total} {total|item awaits|items await} your decision.",
                             "{pending} {pending|point attend|points attendent} votre décision sur {total}."),
    "deck.decisions.resolve": ("Resolve (cannot be accepted): {title}", "À lever (ne peut être accepté) : {title}"),
    "deck.decisions.accept": ("Accept or refuse: {title}", "Accepter ou refuser : {title}"),
    "deck.decisions.more": ("… and {n} more on the validation sheet of the report", "… et {n} de plus sur la feuille de validation du rapport"),
    "deck.decisions.budget": ("Approve the one-off budget: {spend} (P90 {p90}); budget set: {budget}",
                              "Approuver le budget ponctuel : {spend} (P90 {p90}) ; budget fixé : {budget}"),
    "deck.decisions.run": ("Approve the run cost once live: {after} per year (today {before})",
                           "Approuver le coût de fonctionnement : {after} par an (aujourd'hui {before})"),
    "deck.decisions.go_live": ("Confirm the go-live dates: {first} to {last}", "Confirmer les mises en service : du {first} au {last}"),
    "deck.decisions.go_live_on": ("Confirm the go-live date: {first}", "Confirmer la date de mise en service : le {first}"),
    "deck.people.title": ("People and training", "Personnes et formation"),
    "deck.people.affected": ("people affected", "personnes concernées"),
    "deck.people.departments": ("departments affected", "services concernés"),
    "deck.people.trainees": ("people trained", "personnes formées"),
    "deck.people.hours": ("participant hours of training", "heures-stagiaires de formation"),
    "deck.people.recruit": ("recruitments advised", "recrutements conseillés"),
    "deck.option": ("{id}: {title}", "{id}\u00a0: {title}"),
    "deck.people.late": ("training sessions ending after go-live", "sessions de formation finissant après la mise en service"),
    # big clients: the departments a section names, the others grouped as one row (report/departments.py)
    "big.others": ("Others ({n} {n|department|departments})", "Autres ({n} {n|service|services})"),
    "big.and_others": ("and {n} other {n|department|departments}", "et {n} {n|autre service|autres services}"),
    "big.other_systems": ("Other systems ({n})", "Autres systèmes ({n})"),
    "big.note": ("{n} of the {total} departments are shown: those with {measure}; the other {others} are grouped as one row. "
                 "The full table is in the spreadsheet {file} delivered with this report.",
                 "{n} des {total} services sont affichés : ceux {measure} ; les {others} autres sont regroupés sur une ligne. "
                 "Le tableau complet est dans le classeur {file} remis avec ce rapport."),
    "big.systems_note": ("The {n} most used of the {total} systems are shown, those a change touches first; the other {others} are one column.",
                         "Les {n} systèmes les plus utilisés sur {total} sont affichés, ceux que touche un changement d'abord ; les {others} autres sont réunis dans une colonne."),
    "big.by.headcount": ("the largest headcount", "à l'effectif le plus élevé"),
    "big.by.users": ("the most users of the systems", "qui comptent le plus d'utilisateurs des systèmes"),
    "big.by.reached": ("the most people reached by the changes", "qui comptent le plus de personnes touchées par les changements"),
    "big.by.impact": ("the highest impact score", "au score d'impact le plus élevé"),
    "big.by.load": ("the highest change load against their capacity", "à la charge de changement la plus forte au regard de leur capacité"),
    "big.by.gaps": ("the most people needing training", "qui comptent le plus de personnes à former"),
    "big.by.scope": ("the most people concerned", "qui comptent le plus de personnes concernées"),
    "big.by.need": ("the most staff hours needed", "qui demandent le plus d'heures"),
    "big.crit_mixed": ("mixed", "variable"),
    "big.reorg_others": ("{change}: {count} {count|key user|key users} to appoint in {n} other {n|department|departments} as well.",
                         "{change} : {count} {count|référent|référents} à désigner aussi dans {n} {n|autre service|autres services}."),
    "big.reorg_owners": ("{change}: a process owner in {n} other {n|department|departments} as well.",
                         "{change} : un responsable de processus aussi dans {n} {n|autre service|autres services}."),
    "big.reorg_note": ("For each change, the {n} departments with the most key users to appoint are named, and those with the highest "
                       "impact for process owners; the others are one line. The full list is in the spreadsheet {file} delivered with this report.",
                       "Pour chaque changement, les {n} services qui ont le plus de référents à désigner sont nommés, et ceux au plus fort "
                       "impact pour les responsables de processus ; les autres tiennent en une ligne. La liste complète est dans le classeur {file} remis avec ce rapport."),
    "big.more_findings": ("… and {n} more “{sev}” {n|warning|warnings} of the same kind as the one above (one per department, device group "
                          "or system): each is in the validation sheet below and, with its evidence, in the spreadsheet {file}.",
                          "… et {n} {n|autre mise en garde|autres mises en garde} « {sev} » du même type que celle ci-dessus (une par service, "
                          "groupe de postes ou système) : chacune figure dans la feuille de validation ci-dessous et, avec ses éléments, dans le classeur {file}."),
    "big.sheet.departments": ("Departments", "Services"),
    "big.sheet.usage": ("Usage", "Usage"),
    "big.sheet.impact": ("Impact", "Impact"),
    "big.sheet.load": ("Change load", "Charge de changement"),
    "big.sheet.gaps": ("Skill gaps", "Écarts de compétences"),
    "big.sheet.levels": ("Levels", "Niveaux"),
    "big.sheet.effort": ("Client effort", "Effort du client"),
    "big.sheet.key_users": ("Key users", "Référents"),
    # big clients, device groups (issue 17 item 7, second round)
    "dev.others": ("Other groups ({n})", "Autres groupes ({n})"),
    "dev.big_note": ("The {n} device groups with the most devices of the {total} are named; the others are counted per verdict, "
                     "with their recommended options and cost. Every group with its verdict, action and cost is in {file}.",
                     "Les {n} groupes de postes les plus nombreux sur {total} sont nommés ; les autres sont comptés par verdict, "
                     "avec leurs options recommandées et leur coût. Chaque groupe, avec son verdict, son action et son coût, figure dans {file}."),
    "dev.chart_note": ("The chart shows the {n} device groups with the most devices of the {total}; the totals above count every group.",
                       "Le graphique montre les {n} groupes de postes les plus nombreux sur {total} ; les totaux ci-dessus comptent tous les groupes."),
    # warnings section: findings of one rule and severity that follow one another with the same recommendation share
    # a card; a recommendation given word for word above is referred to (issue 12 point 6, report size)
    "same_advice_title": ("{n} “{cat}” findings with the same recommendation", "{n} constats « {cat} » appelant la même recommandation"),
    "same_advice_label": ("Recommendation, for each of these {n} findings", "Recommandation, pour chacun de ces {n} constats"),
    "same_advice_as": ("The same as for", "La même que pour"),
    # EINV: a company category client.yaml cannot tell (no turnover nor balance sheet, under 250 staff)
    "einv.category.unknown": ("not known (neither turnover nor balance sheet in client.yaml): the date for large and mid-size "
                              "companies is taken, an SME issues from {sme}",
                              "inconnue (ni chiffre d'affaires ni total de bilan dans client.yaml) : la date des grandes entreprises "
                              "et des ETI est retenue, une PME émet à partir du {sme}"),
    # evidence of a record the client does not have (CHG-RESTORE's restore test, SEC-DPO's designation), and of a
    # processing that is of none of the CNIL's listed types (SEC-DPIA)
    "evidence.none_on_file": ("none", "aucun"),
    "evidence.no_cnil_type": ("none of its types", "aucun de ses types"),
}


# the report's glossary: (English word, English meaning, French word, French meaning); each English word
# is also in docs/glossary.md (a test checks it), where the project's full vocabulary lives
GLOSSARY: tuple[tuple[str, str, str, str], ...] = (
    ("verdict", "go, go with conditions, or not ready: blockers make a plan not ready; open high warnings, late training or undecided drawbacks set conditions",
     "verdict", "feu vert, feu vert sous conditions, ou pas prêt : un point bloquant rend le plan non prêt ; une mise en garde élevée ouverte, une formation tardive ou un inconvénient non décidé posent des conditions"),
    ("finding", "one warning from the review, with a stable reference so your decision on it can be tracked", "constat",
     "une mise en garde issue de la revue, avec une référence stable pour suivre votre décision"),
    ("severity", "blocker, high, medium, low or information", "gravité", "bloquant, élevé, moyen, faible ou information"),
    ("drawback", "what an intervention costs you even when it goes well: downtime, people affected, productivity dip, reversibility, migration risk",
     "inconvénient", "ce qu'une intervention vous coûte même quand elle se passe bien : interruption, personnes concernées, baisse de productivité, réversibilité, risque de migration"),
    ("go-live", "the date a change is in service for its users", "mise en service", "la date à laquelle une évolution est en service pour ses utilisateurs"),
    ("blackout period", "dates when no go-live or intervention should happen", "période gelée", "dates pendant lesquelles aucune mise en service ni intervention ne doit avoir lieu"),
    ("key user", "a staff member who knows a system well and relays training and first-level support in a department",
     "référent", "un salarié qui connaît bien un système et relaie formation et support de premier niveau dans un service"),
    ("gap", "required skill level minus current level, 0 to 5", "écart de compétence", "niveau requis moins niveau actuel, de 0 à 5"),
    ("inferred level", "a current level not recorded in the skills table but deduced from how often the person uses a system today "
     "(daily use shows autonomy, weekly use the routine tasks, monthly or occasional use the basics; never more than their role "
     "requires, never administration) and from skills that carry over to a new product; a recorded level always wins",
     "niveau déduit", "un niveau actuel non renseigné dans le tableau des compétences mais déduit de la fréquence à laquelle la personne "
     "utilise un système aujourd'hui (un usage quotidien montre l'autonomie, un usage hebdomadaire les gestes courants, un usage mensuel "
     "ou occasionnel les bases ; jamais plus que ce que son rôle requiert, jamais l'administration) et des compétences qui se transfèrent "
     "à un nouveau produit ; un niveau renseigné l'emporte toujours"),
    ("change load", "how much change a department absorbs in a month, against its capacity", "charge de changement",
     "la quantité de changement qu'un service absorbe en un mois, comparée à sa capacité"),
    ("P10 / P50 / P90", "the cost not exceeded in 10 %, 50 % and 90 % of the simulated cases", "P10 / P50 / P90",
     "le coût non dépassé dans 10 %, 50 % et 90 % des cas simulés"),
    ("k-anonymity", "no figure about a group of fewer than k people is shown", "k-anonymat", "aucun chiffre portant sur un groupe de moins de k personnes n'est affiché"),
    ("input fingerprint", "a SHA-256 digest of the input files: the same fingerprint means the same data", "empreinte",
     "un condensé SHA-256 des fichiers d'entrée : même empreinte, mêmes données"),
)

def t(key: str, lang: str, **values) -> str:
    """The text ``key`` in ``lang`` ('en' or 'fr'), with ``values`` filled in (not escaped).

    ``{n|one form|other form}`` in a text picks the form the count ``n`` takes in ``lang`` by CLDR's
    plural rules (French: 0 and 1 are singular), e.g. ``{n} {n|session|sessions}``.
    """
    en, fr = TEXTS[key]
    return plural(fr if lang == "fr" else en, lang, values).format(**values)


_PLURAL = re.compile(r"\{(\w+)\|([^{}|]*)\|([^{}|]*)\}")


def count_of(value) -> float | None:
    """The number a value shows (an int, or a formatted '1 234' / '1,234' / '1,5'), for choosing a plural form."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    shown = re.sub(r"[\s\u00a0\u202f]", "", str(value))
    shown = shown.replace(",", ".") if "," in shown and "." not in shown and len(shown.rsplit(",", 1)[1]) != 3 else shown.replace(",", "")
    try:
        return float(shown)
    except ValueError:
        return None


def plural(text: str, lang: str, values: dict) -> str:
    """``text`` with each ``{name|one|other}`` replaced by the form ``values[name]`` takes (CLDR rules)."""
    if "|" not in text:
        return text

    def form(m: re.Match) -> str:
        n = count_of(values.get(m[1]))
        if n is None:
            return m[3]
        category = _plural_form(lang, abs(int(n)) if float(n).is_integer() else abs(n))
        return m[2] if category == "one" else m[3]

    return _PLURAL.sub(form, text)


@functools.lru_cache(maxsize=4096, typed=True)
def _plural_form(lang: str, n: int | float) -> str:
    """CLDR's plural category of ``n`` in ``lang``, remembered (babel works out the number's operands on each call,
    ~250 counts a report, most of them the same few)."""
    return _LOCALE[lang].plural_form(n)


def _remembered(format_):
    """``format_`` remembering its last few thousand answers (babel parses its pattern on every call: a report formats
    the same counts, amounts and dates many times); values that cannot be a key (a list) are formatted each time."""
    cached = functools.lru_cache(maxsize=4096, typed=True)(format_)

    @functools.wraps(format_)
    def formatted(*args, **kwargs):
        try:
            return cached(*args, **kwargs)
        except TypeError:  # an unhashable value: lru_cache refuses it before calling format_
            return format_(*args, **kwargs)
    return formatted


def esc(value) -> str:
    """HTML-escape any client-supplied value: ``& < >`` and the double quote, so it is inert in text and inside a
    double-quoted attribute. The apostrophe is kept as typed (``html.escape`` writes it ``&#x27;``, six bytes, ~300
    times in a French report): every attribute the report writes is double-quoted, which
    tests/test_injection.py checks on the demo reports."""
    return html.escape("" if value is None else str(value), quote=False).replace('"', "&quot;")


@_remembered
def number(value: float, lang: str, digits: int = 0) -> str:
    """A number with the locale's grouping and decimal marks, e.g. 12 345,7 in French."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_LOCALE[lang])


@_remembered
def money(value: float, currency: str, lang: str, digits: int = 0) -> str:
    """An amount with its currency in the locale's format, e.g. '12 345 €' (fr) or '€12,345' (en)."""
    pattern = "¤#,##0" + ("." + "0" * digits if digits else "") if lang == "en" else "#,##0" + ("." + "0" * digits if digits else "") + "\u00a0¤"
    return format_currency(value, currency, format=pattern, locale=_LOCALE[lang], currency_digits=False)


def percent(value: float, lang: str) -> str:
    """A share (0-1) as a percentage in the locale's format."""
    return format_percent(value, locale=_LOCALE[lang])


@_remembered
def month(value: dt.date | None, lang: str) -> str:
    """A month in the locale's words, e.g. 'January 2027' / 'janvier 2027' (a month-long figure: a month's change load,
    the month a scenario pays back from; not '1 janv. 2027', which reads as a day)."""
    return "—" if value is None else format_date(value, format="MMMM y", locale=_LOCALE[lang])


@_remembered
def date(value: dt.date | None, lang: str) -> str:
    """A date in the locale's medium format, e.g. '4 Jan 2027' / '4 janv. 2027'."""
    return "—" if value is None else format_date(value, format="medium", locale=_LOCALE[lang])
