import random

import pytest

from pipeline.article.duplicates import content_hash, group_duplicates, normalize_text, similarity

# A Région press release, as the Région published it.
RELEASE = """La Région Nouvelle-Aquitaine accorde 2,5 millions d’euros à l’entreprise Lacq Hydrogène
pour la construction de sa première unité de production d’hydrogène vert sur le bassin de Lacq.
Le projet, d’un montant total de 18 millions d’euros, prévoit la création de 45 emplois directs
d’ici 2028. « Ce projet illustre la capacité de notre territoire à réussir sa transition
énergétique tout en créant des emplois industriels », a déclaré le président du conseil régional
lors de la séance plénière du lundi 2 novembre. L’unité produira à terme 1 200 tonnes
d’hydrogène par an, destinées en priorité aux transports en commun de l’agglomération paloise et
aux industriels de la plateforme chimique. Les travaux débuteront au printemps 2027 sur un
terrain de six hectares mis à disposition par la communauté de communes. Le dossier a également
reçu le soutien de l’Ademe, au titre de l’appel à projets Écosystèmes territoriaux hydrogène,
pour un montant de 3 millions d’euros. La mise en service de l’unité est attendue fin 2028,
après une phase d’essais de six mois menée avec l’université de Pau et des pays de l’Adour."""

# The same release, lightly edited by a daily: a lead sentence, one cut clause, typography.
DAILY_COPY = """Nouvelle étape pour la filière hydrogène en Béarn. La Région Nouvelle-Aquitaine accorde 2,5
millions d'euros à l'entreprise Lacq Hydrogène pour la construction de sa première unité de
production d'hydrogène vert sur le bassin de Lacq. Le projet, d'un montant total de 18 millions
d'euros, prévoit la création de 45 emplois directs d'ici 2028. "Ce projet illustre la capacité de
notre territoire à réussir sa transition énergétique tout en créant des emplois industriels", a
déclaré le président du conseil régional lors de la séance plénière du lundi 2 novembre. L'unité
produira à terme 1 200 tonnes d'hydrogène par an, destinées en priorité aux transports en commun
de l'agglomération paloise et aux industriels de la plateforme chimique. Les travaux débuteront
au printemps 2027 sur un terrain de six hectares mis à disposition par la communauté de communes.
Le dossier a également reçu le soutien de l'Ademe, au titre de l'appel à projets Écosystèmes
territoriaux hydrogène, pour un montant de 3 millions d'euros. La mise en service de l'unité est
attendue fin 2028, après une phase d'essais de six mois menée avec l'université de Pau et des
pays de l'Adour."""

# A weekly's own reporting on the same project: same topic, names and figures, other words.
REPORTAGE = """À Lacq, l’hydrogène vert n’est plus une promesse. Sur le bassin industriel, la société
Lacq Hydrogène a obtenu 2,5 millions d’euros de la Région Nouvelle-Aquitaine pour bâtir son
électrolyseur, un investissement de 18 millions d’euros au total. Sur place, les salariés de la
plateforme chimique suivent le dossier de près : 45 emplois directs sont annoncés d’ici 2028.
« On attend de voir les premiers camions de chantier », sourit un délégué syndical rencontré à
la sortie de l’usine voisine. Les élus de la communauté de communes, qui ont cédé six hectares,
espèrent attirer d’autres industriels. Les bus de l’agglomération paloise devraient être les
premiers clients. L’Ademe apporte 3 millions d’euros, et l’université de Pau accompagnera la
phase d’essais. Reste la question du prix de l’électricité, que plusieurs industriels jugent
encore trop élevé pour rendre la filière rentable sans aides publiques durables."""

# Another release on another subject.
OTHER = """Le pôle de compétitivité Aerospace Valley lance un appel à projets doté de 4 millions
d’euros pour accompagner les PME de la sous-traitance aéronautique dans la réduction de leur
empreinte carbone. Les dossiers peuvent être déposés jusqu’au 15 janvier 2027 auprès du pôle,
qui organisera des ateliers d’information à Toulouse, Bordeaux et Tarbes en décembre."""


def test_normalisation_folds_typography_case_and_spaces():
    assert normalize_text("  L’Unité\u00a0de  «\u202fLacq\u202f»\n") == 'l\'unité de " lacq "'
    assert content_hash("L’agglomération paloise") == content_hash("l'agglomération   PALOISE")
    assert content_hash("Pau") != content_hash("Lacq")


def test_lightly_edited_copy_is_grouped_and_other_reporting_is_not():
    assert similarity(RELEASE, DAILY_COPY) >= 0.8
    assert similarity(RELEASE, REPORTAGE) < 0.1
    groups = group_duplicates(
        [("region", RELEASE), ("hebdo", REPORTAGE), ("quotidien", DAILY_COPY), ("pole", OTHER)]
    )
    assert set(groups) == {"quotidien"}
    representative, score = groups["quotidien"]
    assert representative == "region"
    assert score == pytest.approx(similarity(RELEASE, DAILY_COPY), abs=1e-4)


def test_exact_copies_score_one_and_point_at_the_representative():
    retyped = RELEASE.replace("’", "'").upper()
    groups = group_duplicates(
        [("region", RELEASE), ("quotidien", DAILY_COPY), ("radio", retyped), ("site", DAILY_COPY)]
    )
    assert groups["radio"] == ("region", 1.0)
    # A copy of a duplicate belongs to the same group, with the duplicate's score.
    assert groups["site"] == groups["quotidien"]
    assert groups["quotidien"][0] == "region"


def test_earliest_listed_article_represents_the_group():
    groups = group_duplicates([("quotidien", DAILY_COPY), ("region", RELEASE)])
    assert list(groups) == ["region"] and groups["region"][0] == "quotidien"


def test_threshold_decides():
    score = similarity(RELEASE, DAILY_COPY)
    assert group_duplicates([("a", RELEASE), ("b", DAILY_COPY)], threshold=score + 0.01) == {}
    assert "b" in group_duplicates([("a", RELEASE), ("b", DAILY_COPY)], threshold=score)
    with pytest.raises(ValueError, match="threshold"):
        group_duplicates([], threshold=0)


def test_empty_texts_and_repeated_ids():
    assert group_duplicates([("a", ""), ("b", "  \n"), ("c", "…")]) == {}
    with pytest.raises(ValueError, match="'a' is listed twice"):
        group_duplicates([("a", RELEASE), ("a", OTHER)])


def test_many_articles_only_copies_are_grouped():
    rng = random.Random(5)
    words = (RELEASE + " " + REPORTAGE + " " + OTHER).split()
    articles = [(f"art-{i}", " ".join(rng.choices(words, k=300))) for i in range(300)]
    edited = articles[120][1].split()
    edited[150] = "désormais"
    articles.append(("copie", " ".join(edited)))
    groups = group_duplicates(articles)
    assert set(groups) == {"copie"}
    assert groups["copie"][0] == "art-120" and groups["copie"][1] > 0.95
    # Deterministic: the same input gives the same groups.
    assert group_duplicates(articles) == groups
