"""The analyst side at warehouse scale: publish, every named query and view, and one day's load.

    .venv/bin/python bench/warehouse.py                       # 1,000,000 articles: ~15 minutes
    .venv/bin/python bench/warehouse.py --articles 20000      # a quick run

Builds a synthetic warehouse in the real schema (`sql/schema.sql`) with the real id formats
(`pipeline.nlp.entities`): N articles over `--years` of daily partitions, about
`--mentions-per-article` mentions each, drawn from Zipf-like distributions (a few big dailies,
clusters and officials dominate, régions are uneven), log-normal funding amounts, near-duplicate
articles and a few thousand review decisions in the review store. Every mention's text is its
article's `text[start:end]`. The data are generated inside DuckDB from hashes of the row number,
not with `random()`, so the same arguments give the same warehouse whatever the threads do.

Then it times `pipeline.warehouse.publish.publish` (reviews, views, derived tables, checkpoint,
copy), every named query and view with its defaults on the published snapshot (median of 3 runs;
goal: under 1 s each) and the load of one more day of 5,000 articles and their mentions into the
working database with `replace_partition` (goal: under 2 s). The generation runs in a child process,
so the peak memory printed is the analyst side's own. Ratios are bound / figure (above 1 is better);
the last line, `BENCH-RESULT [...]`, gives one row per query and the load for `run_all.py`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script from any folder
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/results.py
from results import print_results, result_row  # noqa: E402

QUERY_BOUND_S = 1.0
LOAD_BOUND_S = 2.0
LOAD_ARTICLES = 5000
RUNS_PER_QUERY = 3
PLACES_PER_REGION = 61
CHUNK_ARTICLES = 100_000
END_DATE = date(2025, 12, 31)
PATTERNS = REPO / "pipeline" / "nlp"

# Today's régions, most populated first: the national outlets' articles follow this order.
REGIONS = (
    "Île-de-France",
    "Auvergne-Rhône-Alpes",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Hauts-de-France",
    "Grand Est",
    "Provence-Alpes-Côte d'Azur",
    "Pays de la Loire",
    "Bretagne",
    "Normandie",
    "Bourgogne-Franche-Comté",
    "Centre-Val de Loire",
    "La Réunion",
    "Corse",
    "Guadeloupe",
    "Martinique",
    "Guyane",
    "Mayotte",
)
# The big outlets come first: the Zipf draw gives them most articles. No région: national.
BIG_SOURCES = (
    ("ouest-france", "Ouest-France", ("Bretagne", "Pays de la Loire", "Normandie")),
    ("sud-ouest", "Sud Ouest", ("Nouvelle-Aquitaine",)),
    ("la-depeche", "La Dépêche du Midi", ("Occitanie",)),
    ("le-progres", "Le Progrès", ("Auvergne-Rhône-Alpes",)),
    ("les-echos", "Les Echos", ()),
    ("la-voix-du-nord", "La Voix du Nord", ("Hauts-de-France",)),
    ("le-telegramme", "Le Télégramme", ("Bretagne",)),
    ("le-parisien", "Le Parisien", ("Île-de-France",)),
    ("le-dauphine", "Le Dauphiné libéré", ("Auvergne-Rhône-Alpes", "Provence-Alpes-Côte d'Azur")),
    ("la-provence", "La Provence", ("Provence-Alpes-Côte d'Azur",)),
    ("dna", "Dernières Nouvelles d'Alsace", ("Grand Est",)),
    ("la-tribune", "La Tribune", ()),
    ("est-republicain", "L'Est républicain", ("Grand Est", "Bourgogne-Franche-Comté")),
    ("nice-matin", "Nice-Matin", ("Provence-Alpes-Côte d'Azur",)),
    ("midi-libre", "Midi Libre", ("Occitanie",)),
    ("la-montagne", "La Montagne", ("Auvergne-Rhône-Alpes",)),
    (
        "nouvelle-republique",
        "La Nouvelle République",
        ("Centre-Val de Loire", "Nouvelle-Aquitaine"),
    ),
    ("courrier-picard", "Courrier picard", ("Hauts-de-France",)),
    ("paris-normandie", "Paris-Normandie", ("Normandie",)),
    ("usine-nouvelle", "L'Usine nouvelle", ()),
    ("le-bien-public", "Le Bien public", ("Bourgogne-Franche-Comté",)),
    ("presse-ocean", "Presse Océan", ("Pays de la Loire",)),
    ("corse-matin", "Corse-Matin", ("Corse",)),
    ("france-antilles", "France-Antilles", ("Guadeloupe", "Martinique")),
    ("clicanoo", "Le Journal de l'île de La Réunion", ("La Réunion",)),
)
LOCAL_TITLES = ("L'Écho de", "Le Journal de", "La Gazette de", "L'Hebdo de", "Le Petit Courrier de")
SURNAMES = (
    "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel "
    "Lefebvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine "
    "Rousseau Vincent Muller Lefèvre Faure André Mercier Blanc Guérin Boyer Garnier Chevalier "
    "François Legrand Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu "
    "Gautier Masson Marchand Duval Denis Dumont Lemaire Noël Meyer Dufour Meunier Brun Blanchard "
    "Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard Roche Renard "
    "Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix "
    "Olivier Bourgeois Benoît Rey Leclerc Payet Rolland Guillou Kerleau Hoarau Grondin Santoni "
    "Paoli Etienne Lopez Le\u00a0Gall Le\u00a0Goff Le\u00a0Bihan"
).replace("\u00a0", "_")
ACTIVITIES = (
    "Industrie Technologies Bois Aéro Marine Agro Solutions Énergies Biotech Composites "
    "Robotique Logistique Packaging Mécanique Électronique Cosmétique Textile Granit Céramique Data"
)
COMPANY_PREFIXES = "Hydro Aqua Neo Agri Bio Nova Terra Cyber Ocea Alti Volt Lumi Sylva Grano Ventu"
COMPANY_SUFFIXES = "gen lis tech via nov ka ris lab wave cell"
CLUSTER_THEMES = (
    "Cluster numérique",
    "Pôle bois",
    "Grappe agroalimentaire",
    "Réseau hydrogène",
    "Cluster éolien",
    "Pôle mécanique",
    "Cluster santé",
    "Grappe textile",
    "Réseau économie circulaire",
    "Cluster tourisme",
    "Pôle nautisme",
    "Cluster photonique",
)
INSTRUMENTS = (
    "subvention",
    "aide",
    "prêt",
    "levée de fonds",
    "avance remboursable",
    "appel à projets",
    "PIA / France 2030",
    "FEDER",
    "prêt d'honneur",
    "garantie",
    "dotation",
    "CPER",
    "investissement public",
    "prêt participatif",
    "fonds vert",
    "DETR",
    "FSE",
    "FEADER",
    "DSIL",
    "Fonds chaleur",
)
# Funders most frequent first: as the article writes them, and as the extractor names them
# (`funder_text`; `pipeline.nlp.entities` then names the Région: "Région Bretagne").
FUNDERS = (
    ("la Région", "Région"),
    ("Bpifrance", "Bpifrance"),
    ("l'État", "État"),
    ("le conseil régional", "Région"),
    ("l'Union européenne", "Union européenne"),
    ("des investisseurs", "investisseurs"),
    ("la Région et Bpifrance", "Région, Bpifrance"),
    ("la Banque des Territoires", "Banque des Territoires"),
    ("l'Ademe", "ADEME"),
    ("le Département", "Département"),
    ("la Métropole", "Métropole"),
    ("l'Europe", "Union européenne"),
    ("la Région et l'État", "Région, État"),
    ("Business France", "Business France"),
    ("la communauté de communes", "Communauté de communes"),
)
INVESTORS = (
    "Breizh Up, Bpifrance",
    "Sofilaro",
    "Irdi Capital Investissement",
    "Go Capital",
    "Siparex, Bpifrance",
    "Side Capital",
    "Demeter",
    "Seventure Partners",
)
QUOTES = (
    "C'est une étape décisive pour tout le territoire",
    "Nous allons recruter une cinquantaine de personnes d'ici deux ans",
    "Sans l'appui de la Région, ce projet n'aurait pas vu le jour",
    "La filière a besoin de visibilité sur les prix de l'énergie",
    "Nous voulons relocaliser une partie de la production",
    "Les carnets de commandes sont pleins jusqu'à la fin de l'année",
    "Il faut former des jeunes à ces métiers en tension",
    "Ce financement nous permet d'accélérer",
    "Nous restons prudents sur la conjoncture",
    "L'innovation est la clé de notre compétitivité",
    "C'est un signal fort envoyé aux entreprises",
    "Le foncier reste notre principal frein",
    "Nous travaillons main dans la main avec les collectivités",
    "Cette usine sera neutre en carbone dès son ouverture",
    "Nous visons l'export, d'abord en Europe",
    "La transition énergétique est une opportunité",
)
# Sentence templates around each kind's surface text: (before, after); placeholders filled in SQL.
TEMPLATES = {
    "cluster": (
        ("Les membres de ", " se sont retrouvés cette semaine en {region}."),
        ("Selon ", ", la filière recrute encore en {region}."),
        ("Le réseau ", " accompagne une quarantaine de projets cette année."),
        ("Soutenu par ", ", le projet doit aboutir d'ici deux ans."),
        ("Un nouveau programme porté par ", " vise les PME de la région."),
        ("L'assemblée générale de ", " a rassemblé plus de cent adhérents."),
    ),
    "official": (
        ("", ", {role} ({org}), a présenté le projet mardi."),
        ("Pour ", ", {role} ({org}), le calendrier sera tenu."),
        ("La visite s'est faite en présence de ", ", {role} ({org})."),
        ("Interrogé, ", ", {role} ({org}), n'a pas souhaité commenter."),
        ("Selon ", ", {role} ({org}), les premiers recrutements sont prévus."),
        ("Le dossier est suivi de près par ", ", {role} ({org})."),
    ),
    "location": (
        ("Le site de ", " devrait accueillir ses premiers salariés l'an prochain."),
        ("À ", ", l'entreprise emploie déjà une centaine de personnes."),
        ("Les travaux commenceront à ", " au printemps."),
        ("L'usine de ", " tourne à plein régime."),
        ("Implantée à ", ", la société prévoit de doubler ses effectifs."),
        ("Le salon se tiendra à ", " du 12 au 14 octobre."),
    ),
    "funding": (
        ("Au total, {funder} apporte ", " à {recipient} ({instrument})."),
        ("{recipient} obtient ", " ({instrument}) de la part de {funder}."),
        ("Le projet de {recipient} est soutenu à hauteur de ", " par {funder}."),
        ("Une enveloppe de ", " a été votée par {funder} pour {recipient}."),
        ("Pour {recipient}, le montant atteint ", ", versé par {funder}."),
        ("Le plan de financement prévoit ", " de {funder} en faveur de {recipient}."),
    ),
    "quote": (
        ("", ", explique {speaker}."),
        ("", ", souligne {speaker}."),
        ("", ", confie {speaker}."),
        ("", ", insiste {speaker}."),
        ("", ", résume {speaker}."),
        ("", ", assure {speaker}."),
    ),
}
FILLER = (
    "La conjoncture reste contrastée selon les secteurs, mais les chefs d'entreprise se disent "
    "plutôt confiants pour les mois à venir.",
    "Le conseil communautaire doit se prononcer sur le dossier lors de sa prochaine séance.",
    "Les élus ont rappelé l'importance de conserver les savoir-faire sur le territoire.",
    "La zone d'activités compte désormais une trentaine d'entreprises et près de 600 emplois.",
    "Le chantier a pris quelques semaines de retard en raison des intempéries de l'hiver.",
    "Une réunion publique est prévue à la salle des fêtes pour présenter le projet aux habitants.",
    "Les syndicats attendent des garanties sur le maintien des effectifs.",
    "La société réalise près de la moitié de son chiffre d'affaires à l'export.",
    "Le bâtiment, d'une surface de 4 000 m², sera livré à la fin de l'année prochaine.",
    "Plusieurs start-up du territoire ont déjà manifesté leur intérêt.",
    "Les difficultés de recrutement restent le premier frein au développement.",
    "Le prix de l'énergie pèse toujours sur les marges des industriels.",
    "La chambre de commerce et d'industrie organise une matinée d'information sur le sujet.",
    "Les premières livraisons sont attendues au second semestre.",
    "L'entreprise familiale, fondée en 1962, en est à sa troisième génération de dirigeants.",
    "Un partenariat avec l'université permettra d'accueillir des doctorants.",
    "Le projet s'inscrit dans le plan de réindustrialisation lancé l'an dernier.",
    "La commune espère ainsi attirer de nouvelles familles et rouvrir une classe.",
    "Le carnet de commandes représente près de dix-huit mois d'activité.",
    "Le marché reste très concurrentiel, notamment face aux fabricants asiatiques.",
    "Les investissements porteront sur la modernisation de la ligne de production.",
    "Le dispositif sera évalué au bout de trois ans.",
    "La filière emploie environ 12 000 personnes dans la région.",
    "Les discussions se poursuivent avec les services de l'État.",
)
HEADLINES = (
    "{region} : un nouveau site industriel en projet",
    "Emploi : la filière recrute en {region}",
    "Économie : les entreprises de {region} face à la hausse des coûts",
    "Innovation : une start-up lève des fonds",
    "Industrie : l'usine va doubler sa production",
    "{region} : la Région soutient la relocalisation",
    "Agroalimentaire : un investissement de plusieurs millions",
    "Énergie : un projet d'hydrogène vert en {region}",
    "Formation : un campus des métiers ouvre ses portes",
    "Export : les PME de {region} misent sur l'Europe",
)
SECTIONS = ("economie", "entreprises", "region", "emploi", "innovation", "agriculture", "industrie")
KIND_SHARES = (("location", 0.38), ("official", 0.25), ("cluster", 0.17), ("funding", 0.12))


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size so far, in MB (Linux reports kB)."""
    return resource.getrusage(who).ru_maxrss / 1024


def title_case(first: str) -> str:
    """`jean-luc` -> `Jean-Luc`."""
    return "-".join(part.capitalize() for part in first.split("-"))


def clamp(value: float, low: int, high: int) -> int:
    return int(max(low, min(high, value)))


def scale_counts(articles: int) -> dict[str, int]:
    """Entity counts for a warehouse of `articles` articles (the full size at 1,000,000)."""
    return {
        "sources": clamp(articles / 3333, 30, 300),
        "clusters": clamp(articles / 2500, 100, 400),
        "persons": clamp(articles / 200, 380, 5000),
        "companies": clamp(articles / 500, 100, 2000),
        "reviews": clamp(articles / 200, 100, 5000),
    }


def _csv(relative: str) -> list[dict[str, str]]:
    with (PATTERNS / relative).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def build_dimensions(counts: dict[str, int], seed: int) -> dict[str, list[dict[str, Any]]]:
    """The small tables the articles and mentions are drawn from, with pipeline ids."""
    from pipeline.nlp.entities import canonical_funder, canonical_organisation, entity_id, fold

    rng = random.Random(seed)
    communes: dict[str, list[dict[str, str]]] = {r: [] for r in REGIONS}
    for row in _csv("locations/patterns/communes.csv"):
        bucket = communes.get(row["region"])
        if bucket is not None and row["ambiguous"] == "0" and len(bucket) < 60:
            bucket.append(row)

    # One pool per région: the région itself, then its communes (cycled to PLACES_PER_REGION).
    places = []
    for region in REGIONS:
        places.append(
            {"pool": region, "idx": 0, "name": region, "departement_code": None, "region": region}
        )
        towns = communes[region]
        for i in range(1, PLACES_PER_REGION):
            row = towns[(i - 1) % len(towns)]
            places.append(
                {
                    "pool": region,
                    "idx": i,
                    "name": row["name"],
                    "departement_code": row["departement_code"],
                    "region": region,
                }
            )
    for place in places:
        place["entity_id"] = entity_id("place", place["name"])

    sources = [{"source": s, "name": n, "regions": list(r)} for s, n, r in BIG_SOURCES]
    local = [(r, communes[r][i]) for i in range(60) for r in REGIONS if i < len(communes[r])]
    for k, (region, row) in enumerate(local):
        if len(sources) >= counts["sources"]:
            break
        title = LOCAL_TITLES[k % len(LOCAL_TITLES)]
        name = f"{title} {row['name']}"
        source_id = fold(name).replace(" ", "-")
        if source_id not in {s["source"] for s in sources}:  # two communes may share a name
            sources.append({"source": source_id, "name": name, "regions": [region]})
    sources = sources[: counts["sources"]]
    for idx, source in enumerate(sources):
        source["idx"] = idx

    lines = (PATTERNS / "clusters/patterns/clusters.jsonl").open()
    gazetteer = [row for row in map(json.loads, lines) if "name" in row]  # no source header
    rng.shuffle(gazetteer)
    clusters = [{"name": c["name"], "cluster_kind": c["kind"], "known": True} for c in gazetteer]
    synthetic = [
        f"{theme} {row['name']}"
        for i in range(60)
        for region in REGIONS
        if i < len(communes[region])
        for row in [communes[region][i]]
        for theme in [CLUSTER_THEMES[(i + REGIONS.index(region)) % len(CLUSTER_THEMES)]]
    ]
    for name in synthetic[: max(0, counts["clusters"] - len(clusters))]:
        clusters.append({"name": name, "cluster_kind": "cluster", "known": False})
    for idx, cluster in enumerate(clusters):
        cluster["idx"] = idx
        cluster["entity_id"] = entity_id("cluster", cluster["name"])

    firsts = {}
    for row in _csv("officials/patterns/first_names.csv"):
        firsts.setdefault(fold(row["name"]), title_case(row["name"]))
    first_names = sorted(firsts.values())
    surnames = [s.replace("_", " ") for s in SURNAMES.split()]
    companies = [f"{s} {a}" for s in surnames for a in ACTIVITIES.split()]
    companies += [p + s for p in COMPANY_PREFIXES.split() for s in COMPANY_SUFFIXES.split()]
    rng.shuffle(companies)
    companies = companies[: counts["companies"]]

    seen: set[str] = set()

    def new_name() -> str:
        while True:
            name = f"{rng.choice(first_names)} {rng.choice(surnames)}"
            if name not in seen:
                seen.add(name)
                return name

    per_pool = max(20, counts["persons"] // (len(REGIONS) + 1))
    persons = []
    for pool in (*REGIONS, "national"):
        region = None if pool == "national" else pool
        towns = communes[pool] if region else []
        for idx in range(per_pool):
            town = towns[idx % len(towns)]["name"] if towns else "Paris"
            company = companies[rng.randrange(len(companies))]
            if region:
                choices = (
                    ("président", "élu régional", f"Région {region}"),
                    ("préfet de région", "État", f"préfecture de région {region}"),
                    ("maire", "élu local", f"Ville de {town}"),
                    ("vice-président", "élu régional", "le conseil régional"),
                    ("président", "élu local", f"{town} Métropole"),
                    ("directeur général", "dirigeant d'entreprise", company),
                    ("pdg", "dirigeant d'entreprise", company),
                    ("fondateur", "dirigeant d'entreprise", company),
                    ("conseiller régional", "élu régional", f"Région {region}"),
                    ("délégué régional", "other", f"Ademe {region}"),
                    ("adjoint au maire", "élu local", f"Ville de {town}"),
                    ("député", "other", "Assemblée nationale"),
                )
            else:
                choices = (
                    ("ministre", "État", "ministère de l'Économie"),
                    ("ministre délégué", "État", "ministère de l'Industrie"),
                    ("directeur général", "dirigeant d'entreprise", "Bpifrance"),
                    ("pdg", "dirigeant d'entreprise", company),
                    ("député européen", "other", "Parlement européen"),
                    ("secrétaire d'état", "État", "gouvernement"),
                )
            role, category, org = choices[idx] if idx < 2 else rng.choice(choices)
            org = canonical_organisation(org, region)
            name = new_name()
            persons.append(
                {
                    "pool": pool,
                    "idx": idx,
                    "name": name,
                    "entity_id": entity_id("person", name),
                    "role": role,
                    "role_category": category,
                    "org": org,
                    "org_id": entity_id("org", org),
                }
            )

    funders = []
    for pool in (*REGIONS, ""):
        region = pool or None
        for idx, (written, text) in enumerate(FUNDERS):
            funder = canonical_funder(text, region)
            ids = [entity_id("funder", f) for f in funder.split(", ")]
            investors = (
                INVESTORS[rng.randrange(len(INVESTORS))] if "investisseurs" in text else None
            )
            funders.append(
                {
                    "pool": pool,
                    "idx": idx,
                    "written": written,
                    "funder_text": text,
                    "funder": funder,
                    "funder_ids": ids,
                    "funder_id": ids[0] if len(ids) == 1 else None,
                    "investors": investors,
                    "instrument": "levée de fonds" if investors else None,
                }
            )

    templates = [
        {"kind": kind, "idx": i, "before": before, "after": after}
        for kind, pairs in TEMPLATES.items()
        for i, (before, after) in enumerate(pairs)
    ]
    authors = [new_name() for _ in range(200)]
    return {
        "gen_places": places,
        "gen_sources": sources,
        "gen_clusters": clusters,
        "gen_persons": persons,
        "gen_funders": funders,
        "gen_companies": [{"idx": i, "name": n} for i, n in enumerate(companies)],
        "gen_instruments": [{"idx": i, "name": n} for i, n in enumerate(INSTRUMENTS)],
        "gen_quotes": [{"idx": i, "text": q} for i, q in enumerate(QUOTES)],
        "gen_templates": templates,
        "gen_regions": [{"idx": i, "region": r} for i, r in enumerate(REGIONS)],
        "gen_authors": [{"idx": i, "name": n} for i, n in enumerate(authors)],
        "gen_headlines": [{"idx": i, "text": h} for i, h in enumerate(HEADLINES)],
    }


# Uniform [0, 1) from a hash of the row and a salt. DuckDB's `hash(a, salt)` only XORs the
# salt's hash into the result, so two salts would give correlated draws: the combination is
# hashed again. Zipf with exponent 1 over 0..n-1
# (P(i) = log((i+2)/(i+1)) / log(n+1)): rank 0 gets ~12 % of the draws out of 300.
MACROS = """
CREATE OR REPLACE TEMP MACRO key(a, salt) AS hash(xor(hash(a), hash(salt)));
CREATE OR REPLACE TEMP MACRO key2(a, b, salt) AS hash(xor(hash(a, b), hash(salt)));
CREATE OR REPLACE TEMP MACRO unit(a, salt) AS (key(a, salt) >> 11)::DOUBLE / 9007199254740992.0;
CREATE OR REPLACE TEMP MACRO unit2(a, b, salt) AS
    (key2(a, b, salt) >> 11)::DOUBLE / 9007199254740992.0;
CREATE OR REPLACE TEMP MACRO pick(h, n) AS 1 + (h % n)::BIGINT;
CREATE OR REPLACE TEMP MACRO zipf(x, n) AS least(n - 1, floor(exp(x * ln(n + 1)) - 1))::INTEGER;
CREATE OR REPLACE TEMP MACRO fill(a, b, n) AS array_to_string(list_transform(
    range(n), lambda j: getvariable('filler')[pick(key2(a, b, j), len(getvariable('filler')))]
), ' ');
"""

ARTICLES_SQL = """
CREATE TEMP TABLE gen_articles AS
WITH days AS (
    SELECT
        i,
        -- the volume grows by 2.3 times over the years (density 0.6 + 0.8 t)
        getvariable('start_date') + floor(getvariable('n_days')
            * (sqrt(0.36 + 1.6 * unit(i, 'day')) - 0.6) / 0.8)::INTEGER AS drawn_day
    FROM range(getvariable('n_articles')) AS t(i)
),
drawn AS (
    SELECT
        i,
        -- half of Sunday's articles appear on Monday
        CASE WHEN dayofweek(drawn_day) = 0 AND unit(i, 'sunday') < 0.5
                  AND drawn_day < getvariable('start_date') + getvariable('n_days') - 1
             THEN drawn_day + 1 ELSE drawn_day END AS partition_date,
        zipf(unit(i, 'source'), getvariable('n_sources')) AS source_idx,
        floor((2 * getvariable('mentions_per_article') + 1) * unit(i, 'n'))::INTEGER AS n_mentions
    FROM days
),
placed AS (
    SELECT
        d.*,
        s.source,
        CASE len(s.regions)
            WHEN 0 THEN r.region
            WHEN 1 THEN s.regions[1]
            ELSE s.regions[1 + floor(unit(i, 'among') * len(s.regions))::BIGINT]
        END AS topic_region,
        -- a national outlet's article has its région from the places it names: none on a tie
        CASE WHEN len(s.regions) = 0 AND unit(i, 'tie') < 0.1 THEN NULL
             ELSE topic_region END AS article_region
    FROM drawn AS d
    JOIN gen_sources AS s ON s.idx = d.source_idx
    JOIN gen_regions AS r ON r.idx = zipf(unit(d.i, 'national'), 18)
),
ordered AS (
    SELECT
        *,
        row_number() OVER (ORDER BY partition_date, i) AS seq,
        'https://www.' || source || '.fr/'
            || getvariable('sections')[pick(key(i, 'section'), 7)] || '/'
            || strftime(partition_date, '%Y/%m/%d') || '/article-' || i || '.html' AS url
    FROM placed
)
SELECT
    o.*,
    substr(sha256(url), 1, 16) AS article_id,
    CASE WHEN unit(i, 'lead') < 0.2 OR topic_region IS NULL THEN 'national'
         ELSE topic_region END AS lead_pool,
    zipf(unit(i, 'lead person'), getvariable('per_pool')) AS lead_idx,
    round(exp(ln(150000) + 1.5 * sqrt(-2 * ln(1 - unit(i, 'a1')))
              * cos(2 * pi() * unit(i, 'a2')))) AS lead_amount
FROM ordered AS o;

CREATE TEMP TABLE gen_duplicates AS
SELECT i, CASE WHEN unit(i, 'dup') < 0.03 AND previous_day = partition_date
               THEN previous_id END AS duplicate_of,
       0.85 + 0.15 * unit(i, 'similarity') AS similarity
FROM (
    SELECT i, partition_date, lag(article_id) OVER (ORDER BY seq) AS previous_id,
           lag(partition_date) OVER (ORDER BY seq) AS previous_day
    FROM gen_articles
);
"""

MENTIONS_SQL = """
CREATE TEMP TABLE gen_mentions AS
WITH slots AS (
    SELECT a.i, a.seq, a.article_id, a.partition_date, a.source, a.topic_region,
           a.article_region, a.lead_pool, a.lead_idx, a.lead_amount, a.n_mentions,
           unnest(range(a.n_mentions)) AS k
    FROM gen_articles AS a
    WHERE a.seq > $lo AND a.seq <= $hi
),
kinded AS (
    SELECT
        *,
        CASE WHEN unit2(i, k, 'kind') < $location THEN 'location'
             WHEN unit2(i, k, 'kind') < $official THEN 'official'
             WHEN unit2(i, k, 'kind') < $cluster THEN 'cluster'
             WHEN unit2(i, k, 'kind') < $funding THEN 'funding'
             ELSE 'quote' END AS kind
    FROM slots
),
drawn AS (
    SELECT
        *,
        CASE WHEN kind = 'official' AND unit2(i, k, 'lead') < 0.5
                  OR kind = 'quote' AND unit2(i, k, 'lead') < 0.8 THEN lead_pool
             WHEN unit2(i, k, 'pool') < 0.15 OR topic_region IS NULL THEN 'national'
             ELSE topic_region END AS person_pool,
        CASE WHEN kind = 'official' AND unit2(i, k, 'lead') < 0.5
                  OR kind = 'quote' AND unit2(i, k, 'lead') < 0.8 THEN lead_idx
             ELSE zipf(unit2(i, k, 'person'), getvariable('per_pool')) END AS person_idx,
        CASE WHEN unit2(i, k, 'elsewhere') < 0.1 OR topic_region IS NULL
             THEN getvariable('regions')[1 + zipf(unit2(i, k, 'far'), 18)::BIGINT]
             ELSE topic_region END AS place_pool,
        greatest(1000, CASE WHEN unit2(i, k, 'restated') < 0.15 THEN lead_amount
             ELSE round(exp(ln(150000) + 1.5 * sqrt(-2 * ln(1 - unit2(i, k, 'a1')))
                            * cos(2 * pi() * unit2(i, k, 'a2')))) END) AS raw_amount
    FROM kinded
),
valued AS (
    SELECT
        d.*,
        c.name AS cluster_name, c.cluster_kind, c.known, c.entity_id AS cluster_id,
        p.name AS person_name, p.entity_id AS person_id, p.role, p.role_category, p.org,
        p.org_id,
        pl.name AS place_name, pl.entity_id AS place_id, pl.region AS place_region,
        pl.departement_code,
        f.written AS funder_written, f.funder_text, f.funder, f.funder_id, f.funder_ids,
        f.investors,
        coalesce(f.instrument, ins.name) AS instrument,
        co.name AS recipient,
        q.text AS quote,
        -- two significant digits, as articles write amounts
        CASE WHEN d.kind = 'funding' AND unit2(i, k, 'no amount') >= 0.1
             THEN round(raw_amount / pow(10, floor(log10(raw_amount)) - 1))
                  * pow(10, floor(log10(raw_amount)) - 1) END AS amount_eur,
        t.before, t.after
    FROM drawn AS d
    LEFT JOIN gen_clusters AS c
        ON d.kind = 'cluster'
       AND c.idx = zipf(unit2(d.i, d.k, 'cluster'), getvariable('n_clusters'))
    LEFT JOIN gen_persons AS p
        ON d.kind IN ('official', 'quote') AND p.pool = d.person_pool AND p.idx = d.person_idx
    LEFT JOIN gen_places AS pl
        ON d.kind = 'location' AND pl.pool = d.place_pool
       AND pl.idx = zipf(unit2(d.i, d.k, 'place'), getvariable('places_per_region'))
    LEFT JOIN gen_funders AS f
        ON d.kind = 'funding' AND f.pool = coalesce(d.article_region, '')
       AND f.idx = zipf(unit2(d.i, d.k, 'funder'), getvariable('n_funders'))
    LEFT JOIN gen_instruments AS ins
        ON d.kind = 'funding'
       AND ins.idx = zipf(unit2(d.i, d.k, 'instrument'), getvariable('n_instruments'))
    LEFT JOIN gen_companies AS co
        ON d.kind = 'funding'
       AND co.idx = zipf(unit2(d.i, d.k, 'recipient'), getvariable('n_companies'))
    LEFT JOIN gen_quotes AS q
        ON d.kind = 'quote' AND q.idx = key2(d.i, d.k, 'quote') % getvariable('n_quotes')
    JOIN gen_templates AS t
        ON t.kind = d.kind AND t.idx = key2(d.i, d.k, 'template') % getvariable('n_templates')
),
surfaced AS (
    SELECT
        *,
        CASE WHEN amount_eur >= 1e9 THEN replace(printf('%.1f', amount_eur / 1e9), '.', ',')
                                         || ' Md€'
             WHEN amount_eur >= 1e6 THEN replace(printf('%.1f', amount_eur / 1e6), '.', ',')
                                         || ' M€'
             WHEN amount_eur IS NOT NULL
             THEN replace(format('{:,}', amount_eur::BIGINT), ',', ' ') || ' euros'
        END AS amount_text,
        CASE kind WHEN 'cluster' THEN cluster_name WHEN 'official' THEN person_name
                  WHEN 'location' THEN place_name WHEN 'quote' THEN '« ' || quote || ' »'
        END AS named_surface
    FROM valued
),
rendered AS (
    SELECT
        *,
        coalesce(named_surface, amount_text, instrument) AS surface,
        replace(replace(replace(replace(replace(replace(replace(before,
            '{region}', coalesce(topic_region, 'France')), '{role}', coalesce(role, '')),
            '{org}', coalesce(org, '')), '{funder}', coalesce(funder_written, '')),
            '{recipient}', coalesce(recipient, '')), '{instrument}', coalesce(instrument, '')),
            '{speaker}', coalesce(person_name, '')) AS lead_in,
        replace(replace(replace(replace(replace(replace(replace(after,
            '{region}', coalesce(topic_region, 'France')), '{role}', coalesce(role, '')),
            '{org}', coalesce(org, '')), '{funder}', coalesce(funder_written, '')),
            '{recipient}', coalesce(recipient, '')), '{instrument}', coalesce(instrument, '')),
            '{speaker}', coalesce(person_name, '')) AS tail
    FROM surfaced
),
sentences AS (
    SELECT
        *,
        lead_in || surface || tail AS sentence,
        -- filler sentences after each mention's sentence bring the text to about text_chars
        fill(i, k, greatest(0, round(
            (getvariable('text_chars') / n_mentions - length(lead_in || surface || tail))
            / getvariable('filler_chars')))::BIGINT) AS filler
    FROM rendered
),
pieces AS (
    SELECT *, length(sentence) + CASE WHEN filler = '' THEN 0 ELSE length(filler) + 1 END
              AS piece_chars
    FROM sentences
)
SELECT
    i, k, seq, article_id, partition_date, source, article_region, kind, surface, sentence,
    filler, cluster_name, cluster_kind, known, cluster_id, person_name, person_id, role,
    role_category, org, org_id, place_name, place_id, place_region, departement_code,
    amount_eur, amount_text, funder_text, funder, funder_id, funder_ids, investors, instrument,
    recipient, quote,
    coalesce(sum(piece_chars + 1) OVER (
        PARTITION BY seq ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ), 0) + length(lead_in) AS start_offset
FROM pieces;
"""

INSERT_ARTICLES_SQL = """
INSERT INTO articles BY NAME
WITH texts AS (
    SELECT seq,
           string_agg(CASE WHEN filler = '' THEN sentence ELSE sentence || ' ' || filler END,
                      ' ' ORDER BY k) AS text
    FROM gen_mentions
    GROUP BY seq
),
composed AS (
    SELECT a.*, coalesce(t.text, fill(a.i, -1, round(getvariable('text_chars')
                                                     / getvariable('filler_chars'))::BIGINT))
                AS body
    FROM gen_articles AS a LEFT JOIN texts AS t USING (seq)
    WHERE a.seq > $lo AND a.seq <= $hi
)
SELECT
    a.article_id,
    a.partition_date,
    a.url,
    a.source,
    replace(h.text, '{region}', coalesce(a.topic_region, 'France')) AS title,
    (a.partition_date + INTERVAL 5 HOUR
        + INTERVAL 1 MINUTE * (key(a.i, 'minute') % 900))::TIMESTAMPTZ AS published_at,
    CASE WHEN unit(a.i, 'byline') < 0.75 THEN au.name END AS author,
    'fr' AS lang,
    a.body AS text,
    length(a.body) AS n_chars,
    getvariable('sections')[pick(key(a.i, 'section'), 7)] AS section,
    a.url AS canonical_url,
    a.source_idx < 10 AND unit(a.i, 'paywall') < 0.25 AS paywalled,
    sha256(a.body) AS content_hash,
    d.duplicate_of,
    CASE WHEN d.duplicate_of IS NOT NULL THEN d.similarity END AS similarity
FROM composed AS a
JOIN gen_duplicates AS d USING (i)
JOIN gen_headlines AS h ON h.idx = key(a.i, 'headline') % getvariable('n_headlines')
JOIN gen_authors AS au ON au.idx = key(a.i, 'author') % 200
ORDER BY a.seq;
"""

INSERT_MENTIONS_SQL = """
INSERT INTO mentions BY NAME
SELECT
    substr(sha256(m.article_id || '|' || m.kind || '|' || m.start_offset || '|'
                  || (m.start_offset + length(m.surface)) || '|'
                  || coalesce(m.cluster_name, m.person_name, m.place_name,
                              m.amount_eur::VARCHAR, m.quote, '')), 1, 16) AS mention_id,
    m.article_id,
    m.partition_date,
    m.kind,
    m.surface AS text,
    m.start_offset AS "start",
    m.start_offset + length(m.surface) AS "end",
    m.sentence,
    round(0.55 + 0.45 * unit2(m.i, m.k, 'confidence'), 3) AS confidence,
    CASE m.kind WHEN 'cluster' THEN 'gazetteer' WHEN 'official' THEN 'name_role_org'
                WHEN 'location' THEN 'place_gazetteer' WHEN 'funding' THEN 'amount_funder'
                ELSE 'quote_speaker' END AS rule,
    getvariable('extractor') AS extractor,
    CASE m.kind WHEN 'cluster' THEN m.cluster_name WHEN 'official' THEN m.person_name
                WHEN 'location' THEN m.place_name END AS name,
    m.cluster_kind,
    m.known,
    CASE WHEN m.kind = 'official' THEN m.role END AS role,
    CASE WHEN m.kind = 'official' THEN m.role_category END AS role_category,
    CASE WHEN m.kind = 'official' THEN m.org END AS org,
    m.amount_eur,
    CASE WHEN m.amount_eur IS NOT NULL AND unit2(m.i, m.k, 'range') < 0.03
         THEN m.amount_eur * 1.5 END AS amount_max_eur,
    m.amount_text,
    m.funder,
    m.recipient,
    m.instrument,
    m.place_region AS region,
    m.departement_code,
    CASE WHEN m.kind = 'quote' THEN m.person_name END AS speaker,
    m.quote,
    m.investors,
    CASE m.kind WHEN 'cluster' THEN m.cluster_id WHEN 'official' THEN m.person_id
                WHEN 'location' THEN m.place_id END AS entity_id,
    CASE WHEN m.kind = 'official' THEN m.org_id END AS org_id,
    m.funder_id,
    m.funder_ids,
    m.funder_text,
    CASE WHEN m.kind = 'quote' THEN m.person_id END AS speaker_id,
    m.article_region,
    m.source,
    d.duplicate_of
FROM gen_mentions AS m
JOIN gen_duplicates AS d USING (i)
ORDER BY m.seq, m.k;
"""

OTHER_TABLES_SQL = """
INSERT INTO sources BY NAME
SELECT source, name, regions, ['https://www.' || source || '.fr/rss/economie.xml'] AS feeds,
       [] AS sitemaps, 'fr' AS language, now() AS updated_at
FROM gen_sources ORDER BY idx;

INSERT INTO feed_entries BY NAME
SELECT a.partition_date, a.source, 'https://www.' || a.source || '.fr/rss/economie.xml' AS feed_url,
       a.url, a.article_id, a.url AS guid, a.title, a.published_at, left(a.text, 240) AS summary
FROM articles AS a;

INSERT INTO raw_pages BY NAME
SELECT a.partition_date, a.article_id, a.source, a.url, a.url AS final_url, 200 AS status,
       'text/html' AS content_type, 'utf-8' AS charset,
       '{"etag": "' || substr(a.content_hash, 1, 12) || '"}' AS headers,
       sha256(a.article_id) AS content_sha256,
       a.published_at + INTERVAL 2 HOUR AS fetched_at, a.published_at AS feed_published_at,
       a.title AS feed_title
FROM articles AS a;

INSERT INTO fetch_log BY NAME
WITH drawn AS (
    SELECT i,
           getvariable('start_date')
               + floor(getvariable('n_days') * pow(unit(i, 'fail day'), 0.8))::INTEGER
               AS partition_date,
           zipf(unit(i, 'fail source'), getvariable('n_sources')) AS source_idx,
           unit(i, 'fail kind') AS x
    FROM range(getvariable('n_articles') // 20) AS t(i)
)
SELECT d.partition_date, s.source,
       'https://www.' || s.source || '.fr/' || CASE WHEN x < 0.25 THEN 'rss/economie.xml'
                                                  ELSE 'page-' || i || '.html' END AS url,
       CASE WHEN x < 0.25 THEN 'feed' WHEN x < 0.85 THEN 'page' ELSE 'article' END AS kind,
       CASE WHEN x < 0.05 THEN 304 WHEN x < 0.25 THEN 503 WHEN x < 0.55 THEN 404
            WHEN x < 0.75 THEN 403 WHEN x < 0.85 THEN NULL ELSE 200 END AS status,
       x < 0.05 AS ok,
       CASE WHEN x < 0.05 THEN NULL WHEN x < 0.25 THEN 'HTTP 503' WHEN x < 0.55 THEN 'HTTP 404'
            WHEN x < 0.75 THEN 'HTTP 403' WHEN x < 0.85 THEN 'timeout after 20 s'
            ELSE 'not an article: text too short' END AS reason
FROM drawn AS d JOIN gen_sources AS s ON s.idx = d.source_idx
ORDER BY d.partition_date;

INSERT INTO runs BY NAME
SELECT 'bench-' || strftime(a.partition_date, '%Y%m%d') AS run_id, 'daily' AS job,
       a.partition_date, (a.partition_date + INTERVAL 30 HOUR)::TIMESTAMPTZ AS loaded_at,
       a.articles, coalesce(m.mentions, 0) AS mentions, 0 AS failed_fetches,
       getvariable('extractor') AS extractor
FROM (SELECT partition_date, count(*) AS articles FROM articles GROUP BY ALL) AS a
LEFT JOIN (SELECT partition_date, count(*) AS mentions FROM mentions GROUP BY ALL) AS m
    USING (partition_date)
ORDER BY a.partition_date;
"""


def _register(con: Any, name: str, rows: list[dict[str, Any]]) -> None:
    import pyarrow as pa

    con.register("staged_dimension", pa.Table.from_pylist(rows))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM staged_dimension")
    con.unregister("staged_dimension")


def generate(
    db: Path,
    articles: int,
    mentions_per_article: int,
    years: int,
    text_chars: int,
    seed: int = 20251231,
) -> dict[str, Any]:
    """Build the working database of `db` with the real schema; returns counts and timings."""
    from pipeline.warehouse.storage import connect_work

    counts = scale_counts(articles)
    steps: dict[str, float] = {}
    started = time.perf_counter()
    dimensions = build_dimensions(counts, seed)
    filler_chars = statistics.mean(len(s) + 1 for s in FILLER)
    n_days = years * 365 + years // 4
    with connect_work(db) as con:
        for name, rows in dimensions.items():
            _register(con, name, rows)
        variables = {
            "n_articles": articles,
            "mentions_per_article": mentions_per_article,
            "start_date": END_DATE - timedelta(days=n_days - 1),
            "n_days": n_days,
            "n_sources": len(dimensions["gen_sources"]),
            "n_clusters": len(dimensions["gen_clusters"]),
            "per_pool": max(r["idx"] for r in dimensions["gen_persons"]) + 1,
            "n_funders": len(FUNDERS),
            "n_instruments": len(INSTRUMENTS),
            "n_companies": len(dimensions["gen_companies"]),
            "n_quotes": len(QUOTES),
            "n_templates": len(TEMPLATES["cluster"]),
            "n_headlines": len(HEADLINES),
            "places_per_region": PLACES_PER_REGION,
            "text_chars": text_chars,
            "filler_chars": filler_chars,
            "filler": list(FILLER),
            "sections": list(SECTIONS),
            "regions": list(REGIONS),
            "extractor": "normalizer.v1+sentences.v1+clusters.v1+officials.v1+funding.v1"
            "+locations.v1+quotes.v1",
        }
        for name, value in variables.items():
            con.execute(f"SET VARIABLE {name} = ?", [value])
        con.execute(MACROS)
        steps["dimensions"] = time.perf_counter() - started

        def step(label: str, sql: str, params: dict[str, Any] | None = None) -> None:
            begun = time.perf_counter()
            con.execute(sql, params)
            steps[label] = steps.get(label, 0.0) + time.perf_counter() - begun

        shares, total = {}, 0.0
        for kind, share in KIND_SHARES:
            total += share
            shares[kind] = total
        step("articles drawn", ARTICLES_SQL)
        # By chunks of articles in day order: the tables end up sorted by day, as daily loads
        # leave them, and a chunk's mentions fit in memory.
        for lo in range(0, articles, CHUNK_ARTICLES):
            bounds = {"lo": lo, "hi": lo + CHUNK_ARTICLES}
            step("mentions drawn, texts laid out", MENTIONS_SQL, {**shares, **bounds})
            step("articles inserted", INSERT_ARTICLES_SQL, bounds)
            step("mentions inserted", INSERT_MENTIONS_SQL)
            con.execute("DROP TABLE gen_mentions")
        for name in ("gen_duplicates", "gen_articles"):
            con.execute(f"DROP TABLE {name}")
        step("sources, feed entries, raw pages, fetch log, runs", OTHER_TABLES_SQL)
        begun = time.perf_counter()
        decisions = review_decisions(con, dimensions, counts["reviews"], seed)
        steps["review decisions drawn"] = time.perf_counter() - begun
        step("checkpoint", "CHECKPOINT")
        stored = {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("articles", "mentions", "sources", "fetch_log", "raw_pages")
        }
        stored["duplicates"] = con.execute(
            "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"
        ).fetchone()[0]
        stored["days"] = con.execute(
            "SELECT count(DISTINCT partition_date) FROM articles"
        ).fetchone()[0]
        kinds = dict(con.execute("SELECT kind, count(*) FROM mentions GROUP BY ALL").fetchall())
    begun = time.perf_counter()
    record_decisions(db, decisions)
    steps["review store written"] = time.perf_counter() - begun
    stored["reviews"] = len(decisions)
    return {
        "counts": counts,
        "stored": stored,
        "kinds": kinds,
        "steps": steps,
        "seconds": time.perf_counter() - started,
        "peak_rss_mb": peak_rss_mb(),
    }


def review_decisions(
    con: Any, dimensions: dict[str, list[dict[str, Any]]], n_reviews: int, seed: int
) -> list[dict[str, Any]]:
    """About `n_reviews` decisions (accepted, rejected, corrected; some mentions twice)."""
    total = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
    step = max(1, int(total / (n_reviews * 1.2)))
    cursor = con.execute(
        "SELECT mention_id, article_id, kind, name, role, org, amount_eur, funder, recipient,"
        " instrument, entity_id, speaker FROM mentions WHERE hash(mention_id || ':review') % ? = 0"
        " ORDER BY mention_id LIMIT ?",
        [step, n_reviews],
    )
    names = [d[0] for d in cursor.description]
    picked = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    rng = random.Random(seed)
    clusters = dimensions["gen_clusters"]
    persons = dimensions["gen_persons"]
    fields = {
        "cluster": ("entity_id", "name"),
        "official": ("role", "org", "name"),
        "location": ("name",),
        "funding": ("amount_eur", "funder", "instrument", "recipient"),
        "quote": ("speaker",),
    }
    reviewers = ("anne.le-gall", "marc.dupont", "sofia.benali", "jules.martin")
    when = datetime(2025, 6, 1, 9, tzinfo=UTC)
    decisions = []

    def decide(mention: dict[str, Any], status: str) -> None:
        nonlocal when
        when += timedelta(minutes=rng.randrange(1, 30))
        decision = {
            "mention_id": mention["mention_id"],
            "article_id": mention["article_id"],
            "kind": mention["kind"],
            "status": status,
            "reviewer": rng.choice(reviewers),
            "reviewed_at": when.isoformat(),
        }
        if status == "rejected":
            decision["reason"] = rng.choice(("not a cluster", "wrong person", "not funding"))
        elif status == "corrected":
            field = rng.choice(fields[mention["kind"]])
            if field == "entity_id":
                new = rng.choice(clusters)["entity_id"]
            elif field == "name" and mention["kind"] == "cluster":
                new = rng.choice(clusters)["name"]
            elif field in ("name", "speaker"):
                new = rng.choice(persons)["name"]
            elif field == "amount_eur":
                new = str((mention["amount_eur"] or 1000.0) * 1000)
            elif field == "role":
                new = rng.choice(("vice-président", "directeur général", "maire", "président"))
            elif field == "org":
                new = rng.choice(persons)["org"]
            elif field == "funder":
                new = rng.choice(("Bpifrance", "État", "Union européenne"))
            elif field == "instrument":
                new = rng.choice(INSTRUMENTS)
            else:
                new = rng.choice(dimensions["gen_companies"])["name"]
            old = mention[field]
            decision.update(field=field, old_value=None if old is None else str(old), new_value=new)
        decisions.append(decision)

    for mention in picked:
        x = rng.random()
        decide(mention, "accepted" if x < 0.6 else "rejected" if x < 0.85 else "corrected")
    for mention in picked[: len(picked) // 10]:  # a second look: the latest decision wins
        decide(mention, rng.choice(("accepted", "rejected", "corrected")))
    return decisions


def record_decisions(db: Path, decisions: list[dict[str, Any]]) -> None:
    """Append the decisions to the review store, the way the review desk does."""
    from pipeline.warehouse.review_store import Decision, record

    record(db, *(Decision(**d) for d in decisions))


def run_generation(db: Path, args: argparse.Namespace) -> dict[str, Any]:
    """`generate` in a child process: its memory is not the analyst side's."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(
            generate, db, args.articles, args.mentions_per_article, args.years, args.text_chars
        ).result()


def time_publish(db: Path) -> dict[str, Any]:
    """Publish once (timed whole), then time publish's stages again one by one."""
    import duckdb

    from pipeline.warehouse.publish import TABLES_DIR, VIEWS_DIR, load_reviews, publish
    from pipeline.warehouse.review_store import read_decisions
    from pipeline.warehouse.storage import connect_work, read_sql, work_path

    started = time.perf_counter()
    publish(db)
    total = time.perf_counter() - started
    stages: list[tuple[str, float]] = []

    def stage(label: str, begun: float) -> None:
        stages.append((label, time.perf_counter() - begun))

    begun = time.perf_counter()
    decisions = read_decisions(db)
    with connect_work(db) as con:
        load_reviews(con, decisions)
        stage(f"reviews ({len(decisions)} decisions)", begun)
        begun = time.perf_counter()
        con.execute(read_sql("review_state.sql"))
        stage("review state", begun)
        for path in sorted(VIEWS_DIR.glob("*.sql")) + sorted(TABLES_DIR.glob("*.sql")):
            # views before tables, as most tables read views (create_views orders them too)
            for statement in con.extract_statements(path.read_text(encoding="utf-8")):
                begun = time.perf_counter()
                try:
                    con.execute(statement)
                except duckdb.CatalogException:
                    continue  # a view that reads a table of sql/tables: the publish made it
                made = re.search(r"CREATE OR REPLACE (VIEW|TABLE) (\w+)", statement.query)
                if made and made.group(1) == "TABLE":
                    stage(f"table {made.group(2)}", begun)
        begun = time.perf_counter()
        con.execute("CHECKPOINT")
        stage("checkpoint", begun)
    scratch = db.with_name(".copy-timing.duckdb")
    begun = time.perf_counter()
    shutil.copyfile(work_path(db), scratch)
    with scratch.open("rb+") as handle:
        os.fsync(handle.fileno())
    stage("file copy and fsync", begun)
    begun = time.perf_counter()
    duckdb.connect(str(scratch), read_only=True).close()
    stage("open check", begun)
    scratch.unlink()
    return {"seconds": total, "stages": stages}


def time_queries(db: Path, runs: int) -> list[dict[str, Any]]:
    """Every named query and view with its defaults on the snapshot: median of `runs` runs."""
    from pipeline.warehouse.queries import list_queries, run_query
    from pipeline.warehouse.storage import connect_published

    results = []
    with connect_published(db) as con:
        for query in list_queries():
            seconds = []
            for _ in range(runs):
                started = time.perf_counter()
                _, rows = run_query(con, query)
                seconds.append(time.perf_counter() - started)
            median = statistics.median(seconds)
            results.append(
                {
                    "name": query.name,
                    "view": query.is_view,
                    "first": seconds[0],
                    "median": median,
                    "rows": len(rows),
                }
            )
            verdict = "OK" if median <= QUERY_BOUND_S else "SLOW"
            print(f"  {query.name}: {median:.3f} s, {len(rows)} rows, {verdict}", flush=True)
    return results


def one_day_rows(db: Path, n_articles: int, day: date) -> tuple[list[dict], list[dict]]:
    """A new day of `n_articles` articles and their mentions, as the pipeline's row dicts.

    The rows are copies of articles sampled from the warehouse, given new ids and the new day.
    """
    import hashlib

    import pyarrow as pa

    from pipeline.warehouse.storage import connect_work

    with connect_work(db) as con:
        cursor = con.execute(
            "SELECT * FROM articles ORDER BY hash(article_id || ':load') LIMIT ?", [n_articles]
        )
        names = [d[0] for d in cursor.description]
        articles = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        con.register("sampled", pa.table({"article_id": [a["article_id"] for a in articles]}))
        cursor = con.execute(
            "SELECT * FROM mentions WHERE article_id IN (SELECT article_id FROM sampled)"
        )
        names = [d[0] for d in cursor.description]
        mentions = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        con.unregister("sampled")
    renamed = {}
    for article in articles:
        url = f"{article['url']}?day={day.isoformat()}"
        renamed[article["article_id"]] = hashlib.sha256(url.encode()).hexdigest()[:16]
        article.update(article_id=renamed[article["article_id"]], partition_date=day, url=url)
        article["duplicate_of"] = None
        article["similarity"] = None
    for mention in mentions:
        mention["article_id"] = renamed[mention["article_id"]]
        key = f"{mention['article_id']}|{mention['mention_id']}"
        mention["mention_id"] = hashlib.sha256(key.encode()).hexdigest()[:16]
        mention.update(partition_date=day, duplicate_of=None)
    return articles, mentions


def time_load(db: Path, n_articles: int) -> dict[str, Any]:
    """One new day loaded with `replace_partition`, then the same day loaded again."""
    from pipeline.warehouse.storage import connect_work, replace_partition

    with connect_work(db) as con:
        last = con.execute("SELECT max(partition_date) FROM articles").fetchone()[0]
    day = last + timedelta(days=1)
    articles, mentions = one_day_rows(db, n_articles, day)
    result: dict[str, Any] = {"day": day, "articles": len(articles), "mentions": len(mentions)}
    with connect_work(db) as con:
        for label in ("new day", "same day again"):
            started = time.perf_counter()
            replace_partition(con, "articles", day, articles)
            middle = time.perf_counter()
            replace_partition(con, "mentions", day, mentions)
            ended = time.perf_counter()
            result[label] = (middle - started, ended - middle, ended - started)
        stored = con.execute(
            "SELECT (SELECT count(*) FROM articles WHERE partition_date = $d),"
            " (SELECT count(*) FROM mentions WHERE partition_date = $d)",
            {"d": day},
        ).fetchone()
    if stored != (len(articles), len(mentions)):
        raise RuntimeError(f"day {day}: stored {stored}, expected {len(articles)}, {len(mentions)}")
    return result


def machine() -> str:
    """Cores, RAM, CPU model and DuckDB version."""
    import duckdb

    ram_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({model}), {ram_gb:.1f} GB RAM, DuckDB {duckdb.__version__}"


def size_mb(path: Path) -> float:
    return path.stat().st_size / 2**20 if path.exists() else 0.0


def generation_parser(description: str) -> argparse.ArgumentParser:
    """The arguments of the synthetic warehouse (its size, the folder of its databases), for this
    script and the ones that build on its generator (bench/review_desk.py)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--articles", type=int, default=1_000_000, help="default 1,000,000")
    parser.add_argument("--mentions-per-article", type=int, default=10, help="mean (default 10)")
    parser.add_argument("--years", type=int, default=5, help="daily partitions (default 5)")
    parser.add_argument("--text-chars", type=int, default=1500, help="article size (default 1500)")
    parser.add_argument("--dir", type=Path, help="where the databases go (default: a /tmp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = generation_parser(__doc__.split("\n")[0])
    args = parser.parse_args(argv)
    if not 1 <= args.mentions_per_article <= 30:
        parser.error("--mentions-per-article must be between 1 and 30")

    from pipeline.warehouse.storage import work_path

    folder = args.dir or Path(tempfile.mkdtemp(prefix="veille-warehouse-", dir="/tmp"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "warehouse.duckdb"
    free_gb = shutil.disk_usage(folder).free / 2**30
    print(f"machine: {machine()}")
    print(f"folder: {folder} ({free_gb:.0f} GB free)")
    try:
        if work_path(db).exists():
            print(f"reusing the working database {work_path(db)} (delete it to regenerate)")
            generated = None
        else:
            print(
                f"generating {args.articles:,} articles, ~{args.mentions_per_article} mentions "
                f"each, {args.years} years, ~{args.text_chars} characters per text ...",
                flush=True,
            )
            generated = run_generation(db, args)
            for label, seconds in generated["steps"].items():
                print(f"  {label}: {seconds:.1f} s")
            stored, kinds = generated["stored"], generated["kinds"]
            print(
                f"generated in {generated['seconds']:.1f} s: {stored['articles']:,} articles "
                f"({stored['duplicates']:,} duplicates) over {stored['days']} days, "
                f"{stored['mentions']:,} mentions, {stored['sources']} sources, "
                f"{stored['reviews']:,} review decisions; peak RSS of the generator "
                f"{generated['peak_rss_mb']:.0f} MB"
            )
            print("  mentions per kind: " + ", ".join(f"{k} {v:,}" for k, v in kinds.items()))
            print("  entities: " + ", ".join(f"{k} {v:,}" for k, v in generated["counts"].items()))

        print("publishing ...", flush=True)
        published = time_publish(db)
        print(f"publish: {published['seconds']:.1f} s; its stages, run again one by one:")
        for label, seconds in published["stages"]:
            print(f"  {label}: {seconds:.1f} s")
        sizes = (size_mb(db), size_mb(work_path(db)))
        print(f"published {sizes[0]:,.0f} MB, working {sizes[1]:,.0f} MB")
        rss_publish = peak_rss_mb()

        print(f"queries ({RUNS_PER_QUERY} runs each, defaults) ...", flush=True)
        queries = time_queries(db, RUNS_PER_QUERY)
        rss_queries = peak_rss_mb()

        print(f"loading one day of {LOAD_ARTICLES:,} articles ...", flush=True)
        load = time_load(db, LOAD_ARTICLES)
        rss_load = peak_rss_mb()
        working_after = size_mb(work_path(db))
    finally:
        if not args.keep and args.dir is None:
            shutil.rmtree(folder, ignore_errors=True)

    print()
    print("| query | median (s) | first run (s) | rows | bound (s) | ratio | verdict |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for q in queries:
        ratio = QUERY_BOUND_S / q["median"] if q["median"] else 0.0
        name = f"{q['name']} (view)" if q["view"] else q["name"]
        verdict = "OK" if q["median"] <= QUERY_BOUND_S else "SLOW"
        print(
            f"| {name} | {q['median']:.3f} | {q['first']:.3f} | {q['rows']} "
            f"| {QUERY_BOUND_S:.1f} | {ratio:.2f} | {verdict} |"
        )
    slow = [q["name"] for q in queries if q["median"] > QUERY_BOUND_S]
    print(f"\n{len(queries) - len(slow)} of {len(queries)} queries within {QUERY_BOUND_S:.0f} s")
    if slow:
        print("slow: " + ", ".join(slow))

    print()
    print(
        "| load of one day | articles | mentions | articles (s) | mentions (s) | total (s) "
        "| bound (s) | ratio | verdict |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for label in ("new day", "same day again"):
        arts, ments, total = load[label]
        ratio = LOAD_BOUND_S / total if total else 0.0
        print(
            f"| {label} ({load['day']}) | {load['articles']:,} | {load['mentions']:,} "
            f"| {arts:.2f} | {ments:.2f} | {total:.2f} | {LOAD_BOUND_S:.1f} | {ratio:.2f} "
            f"| {'OK' if total <= LOAD_BOUND_S else 'SLOW'} |"
        )

    print()
    print("| figure | value |")
    print("|---|---:|")
    if generated:
        print(f"| articles | {generated['stored']['articles']:,} |")
        print(f"| mentions | {generated['stored']['mentions']:,} |")
        print(f"| generation (s) | {generated['seconds']:.1f} |")
        print(f"| generator peak RSS (MB) | {generated['peak_rss_mb']:,.0f} |")
    print(f"| publish (s) | {published['seconds']:.1f} |")
    print(f"| published database (MB) | {sizes[0]:,.0f} |")
    print(f"| working database (MB) | {sizes[1]:,.0f} |")
    print(f"| working database after the day's load (MB) | {working_after:,.0f} |")
    print(f"| peak RSS after publish (MB) | {rss_publish:,.0f} |")
    print(f"| peak RSS after the queries (MB) | {rss_queries:,.0f} |")
    print(f"| peak RSS after the load (MB) | {rss_load:,.0f} |")
    print(f"| machine | {machine()} |")
    print("(ratio: bound / figure, above 1 is better)")
    rows = [
        bench_row(
            f"`{q['name']}`{' (view)' if q['view'] else ''}, median of {RUNS_PER_QUERY} (s)",
            q["median"],
            QUERY_BOUND_S,
        )
        for q in queries
    ]
    rows.append(
        bench_row(
            f"load of one day: {load['articles']:,} articles, {load['mentions']:,} mentions"
            " (`replace_partition`, s)",
            load["new day"][2],
            LOAD_BOUND_S,
        )
    )
    print_results(rows)
    return 0


def bench_row(measure: str, seconds: float, bound_s: float) -> dict[str, Any]:
    """One row of the result line that `run_all.py` collects."""
    return result_row("analyst side at warehouse scale", measure, seconds, "s", bound_s, "max")


if __name__ == "__main__":
    sys.exit(main())
