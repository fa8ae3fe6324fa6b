"""Wording of every review rule and drawback in English and French: title, evidence, advice.

Placeholders are evidence keys of the finding (see review.py); render.py formats their values for
the locale and escapes them.
"""

from __future__ import annotations

# title and evidence shared by the EOL rules (a kept asset out of support); each rule adds its remedy
_EOL = {
    "title": ("{subject} runs {product} {version}, no longer supported", "{subject} fonctionne sous {product} {version}, qui n'est plus supporté"),
    "evidence": ("Support ended on {end_of_support}; first go-live {go_live}; {units} {units|unit|units}.",
                 "Support terminé le {end_of_support} ; première mise en service le {go_live} ; {units} {units|unité|unités}."),
}
# rule -> {"title": (en, fr), "evidence": (en, fr), "advice": (en, fr)}
RULE_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "HW": {
        "title": ("{units} × {asset} cannot run {product}", "{units} × {asset} ne peuvent pas recevoir {product}"),
        "evidence": ("Failed requirements: {detail}.", "Exigences non remplies : {detail}."),
        "advice": ("Replace these devices (about {cost} at the assumed unit price), or keep them out of the change's scope until they are replaced: on their last updates, covered by the vendor's paid extended security updates where they exist, segmented and monitored.",
                   "Remplacer ces appareils (environ {cost} au prix unitaire retenu), ou les garder hors du périmètre jusqu'à leur remplacement : à jour de leurs derniers correctifs, couverts par les mises à jour de sécurité étendues payantes de l'éditeur quand elles existent, segmentés et surveillés."),
    },
    "HWUNK": {
        "title": ("Cannot verify that {units} × {asset} can run {product}", "Impossible de vérifier que {units} × {asset} peuvent recevoir {product}"),
        "evidence": ("The inventory does not say: {detail}.", "L'inventaire ne le précise pas : {detail}."),
        "advice": ("Collect these facts (e.g. with a GLPI agent inventory) before committing to the schedule.",
                   "Relever ces informations (par exemple avec un inventaire GLPI) avant de s'engager sur le planning."),
    },
    "REQ": {
        "title": ("{product} does not support {observed}, used by {asset}", "{product} ne prend pas en charge {observed}, utilisé par {asset}"),
        "evidence": ("Supported: {required}.", "Pris en charge : {required}."),
        "advice": ("Upgrade or replace it before installing {product}.", "Le mettre à niveau ou le remplacer avant d'installer {product}."),
    },
    "FEAT": {
        "title": ("{department} depends on features {product} does not fully support", "{department} dépend de fonctions que {product} ne prend pas entièrement en charge"),
        "evidence": ("{users} {users|user|users}.[ Not supported: {lacking}.][ Partly supported: {partial}.][ Not documented: {unknown}.]",
                     "{users} {users|utilisateur|utilisateurs}.[ Non prises en charge : {lacking}.][ Partiellement : {partial}.][ Non documentées : {unknown}.]"),
        "advice": ("Inventory the files and macros concerned, test them on {product}, and budget their rewriting or keep the current tool for this department.",
                   "Recenser les fichiers et macros concernés, les tester sous {product}, et budgéter leur réécriture ou conserver l'outil actuel pour ce service."),
    },
    "DEP": {
        "title": ("{count} {count|system stops|systems stop} while {changed} is changed", "{count} {count|système s'arrête|systèmes s'arrêtent} pendant l'intervention sur {changed}"),
        "evidence": ("Depending on it, directly or indirectly (up to {deepest} {deepest|level|levels}): {broken}.",
                     "Dépendent de lui, directement ou non (jusqu'à {deepest} {deepest|niveau|niveaux}) : {broken}."),
        "advice": ("Schedule the cutover in an intervention window, warn the users of these systems, and test them after the change.",
                   "Placer la bascule dans un créneau d'intervention, prévenir les utilisateurs de ces systèmes et les tester après l'intervention."),
    },
    "INT": {
        "title": ("No known connector between {product} and {other}", "Aucun connecteur connu entre {product} et {other}"),
        "evidence": ("{other} ({other_product}) integrates with the system being replaced; current connector: {connector}.",
                     "{other} ({other_product}) est intégré au système remplacé ; connecteur actuel : {connector}."),
        "advice": ("Confirm with the vendors that an interface exists, or budget a development or a manual procedure.",
                   "Faire confirmer par les éditeurs qu'une interface existe, ou budgéter un développement ou une procédure manuelle."),
    },
    # EOL: a kept asset out of support; the rule names the remedy that fits its role (rules.eol_remedy)
    "EOL": {**_EOL, "advice": (
        "Upgrade it, or migrate its roles and data, to a supported version, on a date to agree now; until then keep it on its last updates, segment it from the rest of the network, restrict administrative access, and monitor it and its backups.",
        "Le mettre à niveau, ou migrer ses rôles et ses données, vers une version supportée, à une date à convenir dès maintenant ; d'ici là, le garder à jour de ses derniers correctifs, le segmenter du reste du réseau, restreindre les accès d'administration, et surveiller le système et ses sauvegardes.")},
    "EOL-ESU": {**_EOL, "advice": (
        "Upgrade it, or migrate its roles and data, to a supported version; meanwhile cover it with the vendor's paid extended security updates (available until {esu_until}), keep it segmented from the rest of the network, and monitor it and its backups.",
        "Le mettre à niveau, ou migrer ses rôles et ses données, vers une version supportée ; d'ici là, le couvrir par les mises à jour de sécurité étendues payantes de l'éditeur (disponibles jusqu'au {esu_until}), le garder segmenté du reste du réseau, et surveiller le système et ses sauvegardes.")},
    "EOL-DEVICE": {**_EOL, "advice": (
        "Upgrade these devices to a supported version where the hardware allows, and replace the others (at most about {cost} to replace {units} {units|device|devices}, at the assumed unit price).",
        "Mettre à niveau ces postes vers une version supportée quand le matériel le permet, et remplacer les autres (au plus environ {cost} pour remplacer {units} {units|poste|postes}, au prix unitaire retenu).")},
    "EOL-DEVICE-ESU": {**_EOL, "advice": (
        "Upgrade these devices to a supported version where the hardware allows, and replace the others (at most about {cost} for all {units}). As a bridge until then, the vendor's Extended Security Updates cost {esu_price} {esu_currency} per device when joining in year {esu_year} (the years are cumulative: every earlier year is paid too), {esu_cost} {esu_currency} for all {units}, and end on {esu_until} at the latest.",
        "Mettre à niveau ces postes vers une version supportée quand le matériel le permet, et remplacer les autres (au plus environ {cost} pour les {units}). En attendant, les mises à jour de sécurité étendues (ESU) de l'éditeur coûtent {esu_price} {esu_currency} par poste pour une adhésion en année {esu_year} (les années sont cumulatives : chaque année antérieure est due aussi), {esu_cost} {esu_currency} pour les {units}, et s'arrêtent au plus tard le {esu_until}.")},
    "EOL-OFFICE": {**_EOL, "advice": (
        "Move these installations to a supported version of the suite (a current release or the vendor's subscription edition) before go-live; documents and templates open unchanged in the same vendor's later versions.",
        "Passer ces installations à une version supportée de la suite (une version actuelle ou l'édition par abonnement de l'éditeur) avant la mise en service ; documents et modèles s'ouvrent sans changement dans les versions ultérieures du même éditeur.")},
    "EOL-SOON": {
        "title": ("Support for {product} {version} on {subject} ends soon after go-live", "Le support de {product} {version} ({subject}) se termine peu après la mise en service"),
        "evidence": ("Support ends on {end_of_support}, within {months} months of the go-live ({go_live}).",
                     "Fin du support le {end_of_support}, dans les {months} mois suivant la mise en service ({go_live})."),
        "advice": ("Plan the next upgrade now, so it does not fall due in the middle of this project.",
                   "Planifier dès maintenant la mise à niveau suivante, pour qu'elle ne tombe pas au milieu du projet."),
    },
    "EOL-PLANNED": {
        "title": ("Change {subject} installs {product} {version}, supported only until {end_of_support}", "L'évolution {subject} installe {product} {version}, supporté seulement jusqu'au {end_of_support}"),
        "evidence": ("End of support {end_of_support}; go-live {go_live}.", "Fin du support le {end_of_support} ; mise en service le {go_live}."),
        "advice": ("Target a supported version of {product}.", "Viser une version supportée de {product}."),
    },
    "EOLUNK": {
        "title": ("No known end-of-support date for {product} {version}", "Date de fin de support inconnue pour {product} {version}"),
        "evidence": ("The catalog holds no lifecycle date for it ({subject}).", "Le catalogue n'a pas de date de cycle de vie pour ce produit ({subject})."),
        "advice": ("Ask the vendor for its support policy and record it in the client's catalog.",
                   "Demander à l'éditeur sa politique de support et l'enregistrer dans le catalogue du client."),
    },
    "SEC-EXPOSED": {
        "title": ("Unsupported {subject} holds sensitive data", "{subject}, non supporté, contient des données sensibles"),
        "evidence": ("{product} {version}, no security updates since {end_of_support}; data: {data}.",
                     "{product} {version}, sans correctifs de sécurité depuis le {end_of_support} ; données : {data}."),
        "advice": ("Move the data to a supported system; meanwhile segment the network, restrict and log access, and verify backups.",
                   "Déplacer les données vers un système supporté ; d'ici là, segmenter le réseau, restreindre et tracer les accès, vérifier les sauvegardes."),
    },
    "LIC": {
        "title": ("{missing} {product} {missing|licence|licences} missing", "Il manque {missing} {missing|licence|licences} {product}"),
        "evidence": ("{seats} {seats|seat|seats} planned for {users} {users|person|people} who will use it.", "{seats} {seats|licence prévue|licences prévues} pour {users} {users|utilisateur|utilisateurs}."),
        "advice": ("Add {missing} {missing|seat|seats} (about {cost} a year) or reduce the scope.", "Ajouter {missing} {missing|licence|licences} (environ {cost} par an) ou réduire le périmètre."),
    },
    "BUD-NONE": {
        "title": ("The spec gives no budget", "Le cahier des charges ne fixe pas de budget"),
        "evidence": ("Estimated first-year cost: {total}.", "Coût estimé de la première année : {total}."),
        "advice": ("Agree a budget before ordering.", "Arrêter un budget avant de commander."),
    },
    "BUD-UNKNOWN": {
        "title": ("{count} cost {count|line|lines} could not be estimated", "{count} {count|ligne de coût n'a pas pu être estimée|lignes de coût n'ont pas pu être estimées}"),
        "evidence": ("Not counted in the totals: {lines}.", "Non comptées dans les totaux : {lines}."),
        "advice": ("Obtain these prices or efforts (e.g. a vendor quote) before comparing with the budget.",
                   "Obtenir ces prix ou charges (par exemple un devis) avant de comparer au budget."),
    },
    "BUD-TOTAL": {
        "title": ("The project's one-off spend, {total}, exceeds the budget of {budget}", "Les dépenses ponctuelles du projet ({total}) dépassent le budget de {budget}"),
        "evidence": ("Over by {over}. Hardware {hardware}, provider work {intervention}, training {training}, licences bought once {licences}; subscriptions, managed services and the productivity loss are recurring or not paid out: they are in the cost over the horizon, not in this budget.",
                     "Dépassement de {over}. Matériel {hardware}, intervention {intervention}, formation {training}, licences achetées une fois {licences} ; les abonnements, services infogérés et la perte de productivité sont récurrents ou non décaissés : ils figurent dans le coût sur l'horizon, pas dans ce budget."),
        "advice": ("Raise the budget, phase the project over two budget years, or cut the scope.",
                   "Augmenter le budget, étaler le projet sur deux exercices ou réduire le périmètre."),
    },
    "BUD-RUN": {
        "title": ("Once live, the system costs {run_after} a year to run, above the run budget of {budget}", "Une fois en service, le système coûte {run_after} par an, au-delà du budget de fonctionnement de {budget}"),
        "evidence": ("Today it costs {run_before} a year (run costs and contracts); over by {over} a year.",
                     "Il coûte aujourd'hui {run_before} par an (coûts de fonctionnement et contrats) ; dépassement de {over} par an."),
        "advice": ("Revisit the subscriptions and managed services the plan adds, or raise the run budget knowingly.",
                   "Revoir les abonnements et services infogérés que le plan ajoute, ou relever le budget de fonctionnement en connaissance de cause."),
    },
    "OBJ-MISSED": {
        "title": ("Objective {objective} is not met: {measure} {value}, target {target} {unit}", "L'objectif {objective} n'est pas atteint : {measure} {value}, cible {target} {unit}"),
        "evidence": ("“{text}”: the scenario gives {value} {unit} where the objective asks for {target} {unit}.",
                     "« {text} » : le scénario donne {value} {unit} quand l'objectif demande {target} {unit}."),
        "advice": ("Change the plan (rollout, scope, dates) until the objective holds, or revise the objective with the client before signing.",
                   "Modifier le plan (déploiement, périmètre, dates) jusqu'à tenir l'objectif, ou réviser l'objectif avec le client avant signature."),
    },
    "COOP-TIME": {
        "title": ("The plan needs {need} hours of your staff's time; the spec gives {given}", "Le plan demande {need} heures du temps de vos équipes ; le cahier des charges en prévoit {given}"),
        "evidence": ("Training {training} h and key users {key_users} h; short by {shortfall} h.[ Departments short: {departments}.]",
                     "Formation {training} h et référents {key_users} h ; il manque {shortfall} h.[ Services en manque : {departments}.]"),
        "advice": ("Agree in writing the staff time you will give, or reduce what the plan asks (fewer key users, e-learning, a later go-live): the project relies on your cooperation as much as on our work.",
                   "Convenir par écrit du temps que vos équipes donneront, ou réduire ce que le plan demande (moins de référents, e-learning, mise en service plus tardive) : le projet repose sur votre collaboration autant que sur notre travail."),
    },
    "COOP-NONE": {
        "title": ("The spec does not say how much staff time you give the project", "Le cahier des charges ne dit pas combien de temps vos équipes donnent au projet"),
        "evidence": ("The plan needs about {need} hours of your staff's time (training, key users).", "Le plan demande environ {need} heures du temps de vos équipes (formation, référents)."),
        "advice": ("State the staff time you can give, and when.", "Indiquer le temps que vos équipes peuvent donner, et quand."),
    },
    "BUD-TRAINING": {
        "title": ("Training needs {training}, above the training budget of {budget}", "La formation nécessaire ({training}) dépasse le budget formation de {budget}"),
        "evidence": ("{people} {people|person has|people have} skill gaps to close; over by {over}.", "{people} {people|personne a|personnes ont} des écarts de compétences à combler ; dépassement de {over}."),
        "advice": ("Train key users first and let them relay; check funding by the company's training fund (OPCO in France).",
                   "Former d'abord les référents qui relaieront ; vérifier la prise en charge par l'OPCO."),
    },
    "SCH-BLACKOUT": {
        "title": ("Go-live on {go_live} falls inside “{blackout}”", "La mise en service du {go_live} tombe pendant « {blackout} »"),
        "evidence": ("Blackout from {start} to {end} for {departments}.", "Période gelée du {start} au {end} pour : {departments}."),
        "advice": ("Move the go-live out of your own freeze period, to {after} at the earliest (the first working day after it).",
                   "Sortir la mise en service de votre propre période gelée : au plus tôt le {after} (premier jour ouvré qui la suit)."),
    },
    "SCH-WORK": {
        "title": ("Work from {work_start} to {go_live} overlaps “{blackout}”", "Les travaux du {work_start} au {go_live} chevauchent « {blackout} »"),
        "evidence": ("Blackout from {start} to {end} for {departments}.", "Période gelée du {start} au {end} pour : {departments}."),
        "advice": ("Keep interventions for these departments out of the blackout.", "Ne pas intervenir auprès de ces services pendant la période gelée."),
    },
    "SCH-DOWNTIME": {
        "title": ("The cutover stops work about {downtime} h; the spec allows {max} h", "La bascule interrompt le travail environ {downtime} h ; le cahier des charges en autorise {max}"),
        "evidence": ("Rollout: {rollout}.", "Déploiement : {rollout}."),
        "advice": ("Run the cutover outside working hours, in waves, or in parallel with the old system.",
                   "Basculer hors des heures de travail, par vagues, ou en parallèle de l'ancien système."),
    },
    "SCH-WINDOW": {
        "title": ("The cutover ({downtime} h) does not fit the longest intervention window ({window} h)", "La bascule ({downtime} h) ne tient pas dans le plus long créneau d'intervention ({window} h)"),
        "evidence": ("Downtime estimated from the catalog for this rollout.", "Interruption estimée à partir du catalogue pour ce déploiement."),
        "advice": ("Agree a longer window or split the cutover.", "Convenir d'un créneau plus long ou découper la bascule."),
    },
    "SCH-START": {
        "title": ("Work starts on {start}, outside the intervention days", "Les travaux commencent le {start}, hors des jours d'intervention"),
        "evidence": ("Allowed days: {days}.", "Jours autorisés : {days}."),
        "advice": ("Start on an allowed day, or agree an exception with the client.", "Commencer un jour autorisé, ou convenir d'une exception avec le client."),
    },
    "SCH-TRAINING": {
        "title": ("Training cannot finish before the go-live on {go_live}", "La formation ne peut pas être terminée avant la mise en service du {go_live}"),
        "evidence": ("Up to {hours} h per person: {needed} {needed|month|months} at the departments' training capacity. Starting on {start} (the "
                     "earliest date it can be organised), training ends around {finish}; {available} {available|month is|months are} available.",
                     "Jusqu'à {hours} h par personne : {needed} mois au rythme de formation des services. En commençant le {start} "
                     "(la première date où elle peut être organisée), la formation s'achève vers le {finish} ; {available} mois {available|est disponible|sont disponibles}."),
        "advice": ("Move the go-live to {feasible} at the earliest (+{weeks} {weeks|week|weeks}), or raise the departments' training time, or train "
                   "key users first and let them relay.",
                   "Décaler la mise en service au {feasible} au plus tôt (+{weeks} {weeks|semaine|semaines}), ou augmenter le temps de formation des "
                   "services, ou former d'abord les référents qui relaieront."),
    },
    "SCH-DURATION": {
        "title": ("The schedule is shorter than the work", "Le planning est plus court que le travail"),
        "evidence": ("{hours} h of provider work at {per_week} h/week: {weeks_needed} {weeks_needed|week|weeks} needed, {weeks_available} available.",
                     "{hours} h d'intervention à {per_week} h/semaine : {weeks_needed} {weeks_needed|semaine nécessaire|semaines nécessaires}, {weeks_available} {weeks_available|disponible|disponibles}."),
        "advice": ("Add provider capacity or move the go-live.", "Renforcer l'équipe d'intervention ou décaler la mise en service."),
    },
    "SCH-LATE": {
        "title": ("Go-live {go_live} is after the spec's deadline {deadline}", "La mise en service du {go_live} est postérieure à l'échéance du cahier des charges ({deadline})"),
        "evidence": ("The scenario moves this change past the required date.", "Le scénario repousse cette évolution au-delà de la date exigée."),
        "advice": ("Confirm the new date with the client in writing.", "Faire valider la nouvelle date par écrit par le client."),
    },
    "SPEC-CRIT": {
        "title": ("Objective {objective} has no measurable {missing}", "L'objectif {objective} n'a pas de {missing} mesurable"),
        "evidence": ("“{text}”", "« {text} »"),
        "advice": ("Agree how success will be measured (a criterion and a target) before the project starts.",
                   "Convenir de la mesure du succès (un critère et une cible) avant le début du projet."),
    },
    "SPEC-VAGUE": {
        "title": ("Vague wording in {objective}: {words}", "Formulation vague dans {objective} : {words}"),
        "evidence": ("“{text}”", "« {text} »"),
        "advice": ("Replace these words by measurable terms (a duration, a number of clicks, a date).",
                   "Remplacer ces mots par des termes mesurables (une durée, un nombre de clics, une date)."),
    },
    "SPEC-CONTRA": {
        "title": ("Zero downtime is required, yet the rollout is a cutover", "Aucune interruption n'est tolérée, mais le déploiement est une bascule"),
        "evidence": ("Maximum downtime 0 h; rollout: {rollout}.", "Interruption maximale 0 h ; déploiement : {rollout}."),
        "advice": ("Either accept a short interruption or choose a parallel run.", "Accepter une courte interruption ou choisir un fonctionnement en parallèle."),
    },
    "SEC-DATA": {
        "title": ("The change handles sensitive data: {data}", "L'évolution manipule des données sensibles : {data}"),
        "evidence": ("Held by the systems and devices it touches or by the stores they keep data in.[ Data to migrate: {volume} GB: the organisation's most sensitive data count as moved.]",
                     "Détenues par les systèmes et postes qu'elle touche ou par les stockages où ils conservent leurs données.[ Données à migrer : {volume} Go : les données les plus sensibles de l'organisation sont comptées comme déplacées.]"),
        "advice": ("Verified backup before migration, provider access named, limited and logged, data encrypted in transit, confidentiality clause signed.",
                   "Sauvegarde vérifiée avant migration, accès du prestataire nominatifs, limités et tracés, données chiffrées en transit, clause de confidentialité signée."),
    },
    "SEC-HDS": {
        "title": ("Health data moves to {product}: the host's HDS certificate is not on file", "Des données de santé passent sur {product} : le certificat HDS de l'hébergeur n'est pas au dossier"),
        "evidence": ("French law (Code de la santé publique, art. L.1111-8) requires a certified health data host; the catalog holds no certificate for this host.",
                     "Le Code de la santé publique (art. L.1111-8) impose un hébergeur de données de santé certifié ; le catalogue ne contient aucun certificat pour cet hébergeur."),
        "advice": ("Obtain the host's HDS certificate (valid at go-live, covering the activities concerned), record it in certificates.csv (reference, expiry), and sign a hosting contract that names it before any data moves.",
                   "Obtenir le certificat HDS de l'hébergeur (valide à la mise en service, couvrant les activités concernées), l'enregistrer dans le catalogue du client, et signer un contrat d'hébergement qui le mentionne avant tout transfert."),
    },
    "SEC-HDS-EXPIRED": {
        "title": ("The HDS certificate of {product}'s host ends on {certificate_expiry}, before the go-live", "Le certificat HDS de l'hébergeur de {product} expire le {certificate_expiry}, avant la mise en service"),
        "evidence": ("Go-live {go_live}; French law (Code de la santé publique, art. L.1111-8) requires a certified health data host.",
                     "Mise en service le {go_live} ; le Code de la santé publique (art. L.1111-8) impose un hébergeur de données de santé certifié."),
        "advice": ("Obtain the renewed certificate and record it in certificates.csv (reference, expiry) before any data moves.",
                   "Obtenir le certificat renouvelé et l'enregistrer dans le catalogue du client avant tout transfert."),
    },
    "SEC-HDS-NONE": {
        "title": ("Health data would move to {product}, whose host is not HDS-certified", "Des données de santé passeraient sur {product}, dont l'hébergeur n'est pas certifié HDS"),
        "evidence": ("French law (Code de la santé publique, art. L.1111-8) requires a certified health data host.",
                     "Le Code de la santé publique (art. L.1111-8) impose un hébergeur de données de santé certifié."),
        "advice": ("Choose an offer hosted by an HDS-certified host, or keep the health data where it is: it must not move to this host.",
                   "Choisir une offre hébergée par un hébergeur certifié HDS, ou laisser les données de santé où elles sont : elles ne doivent pas aller chez cet hébergeur."),
    },
    "MIG": {
        "title": ("Migration of {volume} GB of data", "Migration de {volume} Go de données"),
        "evidence": ("Rollout: {rollout}; test environment: {test}.", "Déploiement : {rollout} ; environnement de test : {test}."),
        "advice": ("Rehearse the migration on a copy, check counts and samples, and keep the old data read-only until sign-off.",
                   "Répéter la migration sur une copie, contrôler volumes et échantillons, garder les anciennes données en lecture seule jusqu'à la recette."),
    },
    "SKL-ADMIN": {
        "title": ("Nobody can administer {product}", "Personne ne peut administrer {product}"),
        "evidence": ("{skill}: level {required} required, best current level {best}.", "{skill} : niveau {required} requis, meilleur niveau actuel {best}."),
        "advice": ("Contract the administration to the provider (a managed service), or recruit an administrator before go-live: "
                   "nobody in house is within two levels of what it needs.",
                   "Confier l'administration au prestataire (service infogéré), ou recruter un administrateur avant la mise en service : "
                   "personne en interne n'est à moins de deux niveaux du niveau requis."),
    },
    "HW-DELIVERY": {
        "title": ("New devices arrive around {arrival}, after the work starts on {start}", "Les nouveaux appareils arrivent vers le {arrival}, après le début des travaux le {start}"),
        "evidence": ("{units} {units|device|devices} to buy; delivery takes about {weeks} {weeks|week|weeks} from an order placed on the earliest plannable date.",
                     "{units} {units|appareil|appareils} à acheter ; la livraison prend environ {weeks} {weeks|semaine|semaines} à partir d'une commande passée à la première date possible."),
        "advice": ("Order the devices as soon as the plan is signed, or start the work after {arrival} (go-live {go_live}).",
                   "Commander les appareils dès la signature du plan, ou commencer les travaux après le {arrival} (mise en service le {go_live})."),
    },
    "USAGE-MISSING": {
        "title": ("Nobody is recorded as using {systems}", "Aucun utilisateur n'est renseigné pour {systems}"),
        "evidence": ("The change names no department and usage.csv has no row for {count|this|these} {count} {count|system|systems}: the people in scope, "
                     "their licences, training and key users cannot be counted.",
                     "La modification ne nomme aucun service et usage.csv n'a aucune ligne pour {count|ce|ces} {count} {count|système|systèmes} : les personnes "
                     "concernées, leurs licences, formations et référents ne peuvent pas être comptés."),
        "advice": ("Record who uses these systems (department, number of users, intensity) or name the departments of the change; "
                   "impactlib does not guess.",
                   "Renseigner qui utilise ces systèmes (service, nombre d'utilisateurs, intensité) ou nommer les services de la "
                   "modification ; impactlib ne devine pas."),
    },
    "TRN-NOCOURSE": {
        "title": ("No course known for {skill} to level {level}", "Aucune formation connue pour {skill} jusqu'au niveau {level}"),
        "evidence": ("{people} {people|person needs|people need} it; the catalog has no course chain reaching that level.", "{people} {people|personne en a|personnes en ont} besoin ; le catalogue n'a pas de parcours atteignant ce niveau."),
        "advice": ("Find a course and add it to the client's catalog, or plan coaching.", "Trouver une formation et l'ajouter au catalogue du client, ou prévoir un accompagnement."),
    },
    # --- protection: baseline gaps and what the changes require (analysis/protection.py) ----------------------
    "PROT-MISSING": {
        "title": ("{control}: missing", "{control} : absente"),
        "evidence": ("Required by your baseline ({level}); data at stake: {data}. Recorded in {basis}.",
                     "Exigée par votre socle ({level}) ; données en jeu : {data}. Relevé : {basis}."),
        "advice": ("Put it in place: {tool} (options and costs in the protection section).",
                   "La mettre en place : {tool} (options et coûts dans la section protection)."),
    },
    "PROT-WEAK": {
        "title": ("{control}: only in part", "{control} : en partie seulement"),
        "evidence": ("What is lacking: {reasons}. Data at stake: {data}.", "Ce qui manque : {reasons}. Données en jeu : {data}."),
        "advice": ("Complete it: {tool} (options and costs in the protection section).",
                   "La compléter : {tool} (options et coûts dans la section protection)."),
    },
    "PROT-UNKNOWN": {
        "title": ("{count} protection {count|control is|controls are} not known", "{count} {count|mesure de protection n'est pas connue|mesures de protection ne sont pas connues}"),
        "evidence": ("Not recorded in protection.csv nor readable from the inventory: {controls}.",
                     "Ni renseignées dans protection.csv ni lisibles dans l'inventaire : {controls}."),
        "advice": ("Check them with the client (an hour's interview) and record them: an unknown control is treated as a gap "
                   "until it is shown to be in place.",
                   "Les vérifier avec le client (un entretien d'une heure) et les renseigner : une mesure inconnue est traitée "
                   "comme un manque tant qu'elle n'est pas montrée en place."),
    },
    "PROT-CHANGE": {
        "title": ("{title} needs {control} before go-live", "{title} exige : {control}, avant la mise en service"),
        "evidence": ("Required by {kind}; today: {state}. Changes concerned: {changes}; go-live {go_live}.",
                     "Exigée par {kind} ; aujourd'hui : {state}. Évolutions concernées : {changes} ; mise en service le {go_live}."),
        "advice": ("Put it in place before the cutover: {tool}. Its cost is included in the plan.",
                   "La mettre en place avant la bascule : {tool}. Son coût est inclus dans le plan."),
    },
    "PROT-EOL": {
        "title": ("{asset} is kept past its end of support without isolation", "{asset} est conservé après sa fin de support sans cloisonnement"),
        "evidence": ("{kind}; network segmentation today: {state}.", "{kind} ; cloisonnement du réseau aujourd'hui : {state}."),
        "advice": ("Until it is replaced: only the ports its role needs, reachable from the machines that use it; no Internet access "
                   "from it; administration from dedicated accounts only; its logs forwarded and watched; its backups tested; a "
                   "replacement date on record.",
                   "Jusqu'à son remplacement : seuls les ports dont son rôle a besoin, joignables depuis les postes qui l'utilisent ; "
                   "pas d'accès Internet depuis lui ; administration par des comptes dédiés uniquement ; journaux transférés et "
                   "surveillés ; sauvegardes testées ; une date de remplacement consignée."),
    },
    # --- readiness / catalog staleness ---
    "CATALOG-STALE": {
        "title": ("The catalog has no supported version of {product} for the go-live (catalog to update)",
                  "Le catalogue n'a pas de version supportée de {product} à la mise en service (catalogue à mettre à jour)"),
        "evidence": ("The newest version the catalog knows, {version}, ends {end_of_support}; go-live {go_live}. "
                     "The vendor's next version is missing from the catalog: this says nothing against the plan.",
                     "La version la plus récente connue du catalogue, {version}, prend fin le {end_of_support} ; mise en service le {go_live}. "
                     "La version suivante de l'éditeur manque au catalogue : cela ne remet pas le plan en cause."),
        "advice": ("Provider: add the vendor's current version of {product} to the catalog with its dates and source "
                   "(impactlib catalog check lists what is stale), then run the report again.",
                   "Prestataire : ajouter au catalogue la version actuelle de {product} avec ses dates et sa source "
                   "(impactlib catalog check liste ce qui est périmé), puis relancer le rapport."),
    },
    "HW-OPTION": {
        "title": ("{units} × {asset} cannot run {product}: kept with another supported remedy",
                  "{units} × {asset} ne peuvent pas recevoir {product} : gardés avec une autre solution supportée"),
        "evidence": ("Failed requirements: {detail}.", "Exigences non remplies : {detail}."),
        "advice": ("Recommended: {option}, about {cost} over the horizon, in the plan's cost (replacing them would cost about "
                   "{replace_cost}); see the devices table.",
                   "Recommandé : {option}, environ {cost} sur l'horizon, compris dans le coût du plan (les remplacer coûterait environ "
                   "{replace_cost}) ; voir le tableau des postes."),
    },
}

# --- legal screens (issue 16): DPIA per processing, DPO, NIS2, e-invoicing, accounting records, seat cap, change artefacts
RULE_TEXTS.update({
    "SEC-DPIA": {
        "title": ("A data-protection impact assessment is required for “{processing}”", "Une analyse d'impact (AIPD) est requise pour « {processing} »"),
        "evidence": ("{count} of the nine EDPB criteria met: {criteria_en}; CNIL list: {cnil_en}. Changes that move it: {changes} (first go-live {go_live}). No DPIA on file.",
                     "{count} des neuf critères du CEPD remplis : {criteria_fr} ; liste de la CNIL : {cnil_fr}. Modifications qui le touchent : {changes} (première mise en service le {go_live}). Aucune AIPD au dossier."),
        "advice": ("The controller must carry out the DPIA before the processing starts or changes (GDPR art. 35), with its data protection officer if one is designated; we provide the technical part (hosts, flows, security measures). Record it, with its date, in the register of processing activities.",
                   "Le responsable de traitement doit réaliser l'AIPD avant la mise en œuvre ou la modification du traitement (RGPD, art. 35), avec son délégué à la protection des données s'il en a désigné un ; nous fournissons la partie technique (hébergements, flux, mesures de sécurité). L'inscrire, avec sa date, au registre des activités de traitement."),
    },
    "SEC-DPIA-REVIEW": {
        "title": ("The DPIA of “{processing}” must be reviewed for this change", "L'AIPD de « {processing} » doit être revue pour cette modification"),
        "evidence": ("DPIA done on {done}; changes that move the processing: {changes} (first go-live {go_live}).",
                     "AIPD réalisée le {done} ; modifications qui touchent le traitement : {changes} (première mise en service le {go_live})."),
        "advice": ("Review the DPIA before go-live for the new host, processor or flows (GDPR art. 35(11)), and update the record of processing.",
                   "Revoir l'AIPD avant la mise en service pour le nouvel hébergeur, sous-traitant ou flux (RGPD, art. 35.11), et mettre à jour le registre des traitements."),
    },
    "SEC-ROPA": {
        "title": ("Changes touch personal data, but no processing is recorded", "Des modifications touchent des données personnelles, mais aucun traitement n'est renseigné"),
        "evidence": ("Changes concerned: {changes}. Without processings.csv the need for a DPIA cannot be screened.",
                     "Modifications concernées : {changes}. Sans processings.csv, la nécessité d'une AIPD ne peut pas être examinée."),
        "advice": ("Give us the client's record of processing activities (GDPR art. 30) as processings.csv: each processing with its data, people, scale and the systems that hold it.",
                   "Nous transmettre le registre des activités de traitement (RGPD, art. 30) sous forme de processings.csv : chaque traitement avec ses données, les personnes concernées, son échelle et les systèmes qui le portent."),
    },
    "SEC-DPO": {
        "title": ("A data protection officer must be designated", "Un délégué à la protection des données doit être désigné"),
        "evidence": ("GDPR art. {basis} applies; designated DPO on file: {dpo}.", "Le RGPD, art. {basis}, s'applique ; DPO désigné au dossier : {dpo}."),
        "advice": ("Designate a DPO (in house or external) and declare it to the CNIL before go-live; we do not assume one exists.",
                   "Désigner un DPO (interne ou externe) et le déclarer à la CNIL avant la mise en service ; nous ne présumons pas qu'il existe."),
    },
    "SEC-DPO-CHECK": {
        "title": ("Whether a data protection officer is required is not settled", "L'obligation de désigner un délégué à la protection des données n'est pas tranchée"),
        "evidence": ("A core processing would fall under GDPR art. {basis} if it were large-scale, and its scale is not stated; designated DPO on file: {dpo}.",
                     "Un traitement au cœur de l'activité relèverait du RGPD, art. {basis}, s'il était à grande échelle, et son échelle n'est pas renseignée ; DPO désigné au dossier : {dpo}."),
        "advice": ("Assess the scale (number of people, volume, duration, geography: EDPB guidelines on DPOs, WP243) and record it, with whether a data protection officer is designated.",
                   "Apprécier l'échelle (nombre de personnes, volume, durée, étendue géographique : lignes directrices du CEPD sur le DPO, WP243) et la consigner, en précisant si un délégué à la protection des données est désigné."),
    },
    "NIS2": {
        "title": ("The client is an {entity} entity under NIS2", "Le client est une {entity_fr} au sens de NIS2"),
        "evidence": ("Sector {sector}, {size} company ({staff} staff; turnover {turnover}; balance sheet {balance}).",
                     "Secteur {sector}, entreprise de taille {size_fr} ({staff} {staff|personne|personnes} ; chiffre d'affaires {turnover} ; total de bilan {balance})."),
        "advice": ("Plan the NIS2 duties alongside this project: registration with the national authority, the art. 21 risk-management measures (including the security of these new suppliers) and incident reporting (art. 23: early warning within 24 h). In France the transposing law (projet de loi relatif à la résilience des infrastructures critiques et au renforcement de la cybersécurité) was adopted by the Senate in March 2025 and examined by the National Assembly in autumn 2025; its final status and decrees were not verified on the report date: check ANSSI's MonEspaceNIS2 before relying on dates.",
                   "Prévoir les obligations NIS2 avec ce projet : enregistrement auprès de l'autorité nationale, mesures de gestion des risques de l'art. 21 (dont la sécurité de ces nouveaux fournisseurs) et notification des incidents (art. 23 : alerte précoce sous 24 h). En France, la loi de transposition (projet de loi relatif à la résilience des infrastructures critiques et au renforcement de la cybersécurité) a été adoptée par le Sénat en mars 2025 et examinée par l'Assemblée nationale à l'automne 2025 ; son état définitif et ses décrets n'ont pas été vérifiés à la date du rapport : consulter MonEspaceNIS2 de l'ANSSI avant de s'appuyer sur des dates."),
    },
    "NIS2-UNKNOWN": {
        "title": ("Whether NIS2 applies to the client cannot be told", "L'application de NIS2 au client ne peut pas être établie"),
        "evidence": ("Sector {sector}, size {size} ({staff} staff); missing: {missing}.", "Secteur {sector}, taille {size_fr} ({staff} {staff|personne|personnes}) ; manque : {missing}."),
        "advice": ("State the NIS2 annex sector of the client's activity (e.g. manufacturing of machinery or electronics is in Annex II, machining subcontracting is not) and its last turnover and balance sheet in client.yaml.",
                   "Renseigner dans client.yaml le secteur NIS2 de l'activité (par exemple la fabrication de machines ou d'électronique relève de l'annexe II, la sous-traitance d'usinage non) et les derniers chiffre d'affaires et total de bilan."),
    },
    "EINV": {
        "title": ("{product} must receive e-invoices from go-live ({go_live}) and issue them from {issue_from}", "{product} doit recevoir les factures électroniques dès sa mise en service ({go_live}) et les émettre à partir du {issue_from}"),
        "evidence": ("Every company established in France must be able to receive e-invoices through a plateforme agréée since {receive_from}; company category {category}; the catalog's e-invoicing support for this product: {support}.",
                     "Toute entreprise établie en France doit pouvoir recevoir des factures électroniques par une plateforme agréée depuis le {receive_from} ; catégorie d'entreprise {category} ; prise en charge de la facture électronique par ce produit selon le catalogue : {support_fr}."),
        "advice": ("Before go-live, choose the plateforme agréée (PA), have the vendor show the new system exchanging Factur-X/UBL/CII invoices with it, and test reception and issuing (CGI art. 289 bis).",
                   "Avant la mise en service, choisir la plateforme agréée (PA), faire démontrer par l'éditeur l'échange de factures Factur-X/UBL/CII entre le nouveau système et elle, et tester la réception et l'émission (CGI, art. 289 bis)."),
    },
    "ACC-RETAIN": {
        "title": ("Records of {product} must stay producible after it is retired", "Les données de {product} doivent rester présentables après son retrait"),
        "evidence": ("Retired at go-live {go_live}; accounting documents are kept 10 years (Code de commerce L123-22), i.e. until about {until}, and the tax administration may ask for the FEC of the last 6 years (LPF L102 B, L47 A).",
                     "Retrait à la mise en service le {go_live} ; les documents comptables se conservent 10 ans (Code de commerce, L123-22), soit jusque vers le {until}, et l'administration fiscale peut demander le FEC des 6 dernières années (LPF, L102 B et L47 A)."),
        "advice": ("Before retiring it, export the FEC and the ledgers of every open and archived year, check they open, keep a read-only access (or licence) for the retention period, and record how in the change.",
                   "Avant le retrait, exporter le FEC et les journaux de chaque exercice ouvert et archivé, vérifier qu'ils s'ouvrent, garder un accès en lecture seule (ou une licence) pendant la durée de conservation, et le consigner dans la modification."),
    },
    "LIC-CAP": {
        "title": ("{users} {users|user|users} exceed the {cap}-user cap of {product}", "{users} {users|utilisateur|utilisateurs} dépassent le plafond de {cap} utilisateurs de {product}"),
        "evidence": ("{over} {over|user|users} above what one tenant may license on this plan.", "{over} {over|utilisateur|utilisateurs} au-delà de ce qu'un locataire peut licencier sur cette offre."),
        "advice": ("License the users above the cap on an Enterprise plan (E3/E5) or move everyone to one, and re-cost the licences.",
                   "Licencier les utilisateurs au-delà du plafond sur une offre Entreprise (E3/E5) ou y passer tout le monde, et recalculer le coût des licences."),
    },
    "CHG-ROLLBACK": {
        "title": ("No rollback plan for this change", "Aucun plan de retour arrière pour cette modification"),
        "evidence": ("Criticality of what it touches: {criticality}; go-live {go_live}.", "Criticité de ce qu'elle touche : {criticality_fr} ; mise en service le {go_live}."),
        "advice": ("We write the rollback plan (how to return to the previous state, the point of no return, who decides) and the client approves it before the cutover.",
                   "Nous rédigeons le plan de retour arrière (comment revenir à l'état antérieur, point de non-retour, qui décide) et le client le valide avant la bascule."),
    },
    "CHG-RESTORE": {
        "title": ("No restore tested before the cutover", "Aucune restauration testée avant la bascule"),
        "evidence": ("The change moves, replaces or retires data; cutover {cutover}; restore test on file: {restore_test}; criticality {criticality}.",
                     "La modification déplace, remplace ou retire des données ; bascule le {cutover} ; test de restauration au dossier : {restore_test} ; criticité {criticality_fr}."),
        "advice": ("Restore the latest backup of the data concerned to a test place, check it opens and is complete, and record the date before the cutover.",
                   "Restaurer la dernière sauvegarde des données concernées dans un environnement de test, vérifier qu'elles s'ouvrent et sont complètes, et consigner la date avant la bascule."),
    },
    "CHG-PILOT": {
        "title": ("No pilot group with exit criteria", "Aucun groupe pilote avec critères de sortie"),
        "evidence": ("{users} {users|user|users}; rollout {rollout}; criticality {criticality}.", "{users} {users|utilisateur|utilisateurs} ; déploiement {rollout} ; criticité {criticality_fr}."),
        "advice": ("Name a pilot group (a few representative users, a key user among them) and the measurable criteria that end the pilot (incidents, completed tasks) before rolling out to everyone.",
                   "Désigner un groupe pilote (quelques utilisateurs représentatifs, dont un référent) et les critères mesurables qui terminent le pilote (incidents, tâches réalisées) avant le déploiement général."),
    },
    "CHG-HYPERCARE": {
        "title": ("No hypercare period after go-live", "Aucune période d'hypervigilance après la mise en service"),
        "evidence": ("{users} {users|user|users}; go-live {go_live}; criticality {criticality}.", "{users} {users|utilisateur|utilisateurs} ; mise en service le {go_live} ; criticité {criticality_fr}."),
        "advice": ("Plan a hypercare period (reinforced support on site or on call, typically 5 to 10 working days) and its staffing, and record it.",
                   "Prévoir une période d'hypervigilance (support renforcé sur place ou d'astreinte, en général 5 à 10 jours ouvrés) et ses moyens, et la consigner."),
    },
})


# --- one card for the findings of a rule whose recommendations differ only by a figure (report/sections.py warnings,
# issue 12 point 6): the card gives the recommendation once, without the figure, and the figure (the finding's evidence
# value ``key``) is a column of the card's table, headed ``column``.
GROUPED_ADVICE: dict[str, dict] = {
    "HW": {
        "advice": ("Replace these devices (each group's cost at the assumed unit price is in the table), or keep them out of the change's "
                   "scope until they are replaced: on their last updates, covered by the vendor's paid extended security updates where "
                   "they exist, segmented and monitored.",
                   "Remplacer ces appareils (le coût de chaque groupe au prix unitaire retenu figure dans le tableau), ou les garder hors "
                   "du périmètre jusqu'à leur remplacement : à jour de leurs derniers correctifs, couverts par les mises à jour de "
                   "sécurité étendues payantes de l'éditeur quand elles existent, segmentés et surveillés."),
        "column": ("Replacement, about", "Remplacement, environ"),
        "key": "cost",
    },
}
