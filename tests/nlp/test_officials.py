"""Officials component: every linking pattern, later mentions, and the people it must ignore."""

from __future__ import annotations

import pytest

from pipeline.nlp import doc_mentions
from pipeline.nlp.officials.lexicon import normalize_role, plural_form, role_category, role_entry
from pipeline.nlp.officials.persons import find_persons
from tests.inline_gold import parse

# Gold: one <official> per expected mention; `org=none` means no organisation stated.
CASES = {
    "apposition_after": (
        '<official name="Claire Dumas" role="vice-président chargé de l\'économie" org="Région"'
        ' category="élu régional">Claire Dumas</official>, vice-présidente de la Région chargée'
        " de l’économie, a inauguré jeudi la nouvelle ligne de production."
    ),
    "apposition_long_org": (
        '<official name="Alain Roussel" role="président"'
        ' org="conseil régional de Nouvelle-Aquitaine" category="élu régional">Alain'
        " Roussel</official>, président du conseil régional de Nouvelle-Aquitaine, a signé la"
        " convention avec les industriels."
    ),
    "apposition_qualifier_then_org": (
        '<official name="Carole Vidal" role="vice-président chargé de l\'industrie"'
        ' org="Région Occitanie">Carole Vidal</official>, vice-présidente chargée de l\'industrie'
        " de la Région Occitanie, était à Albi."
    ),
    "role_before_comma": (
        '<official name="Paul Mérand" role="délégué régional à l\'innovation" org=none>Paul'
        " Mérand</official>"
    ),
    "role_before_with_org": (
        'Le maire de Pau, <official name="Jean Dupuis" role="maire" org="Pau" category="élu local">'
        "Jean Dupuis</official>, a salué l'arrivée de l'entreprise sur la zone de Lescar."
    ),
    "role_before_no_comma": (
        'La préfète <official name="Anne Martin" role="préfet" org=none category="État">Anne'
        " Martin</official> a visité le chantier mardi matin."
    ),
    "possessive": (
        "Le groupe Lacroix Électronique investit 12 millions d'euros à Pau. Le site doublera de"
        ' surface, explique son directeur général, <official name="Luc Arnaud" role="directeur'
        ' général" org="groupe Lacroix Électronique" rule="possessive">Luc Arnaud</official>.'
    ),
    "presided_by": (
        'Le pôle Aerospace Valley, présidé par <official name="Marc Lefèvre" role="président"'
        ' org="Aerospace Valley" category="dirigeant de cluster">Marc Lefèvre</official>, compte'
        " plus de 800 membres."
    ),
    "relative_and_head_of": (
        '<official name="Sophie Blanc" role="dirigeant" org="PME Vitrolux">Sophie Blanc</official>,'
        ' qui dirige la PME Vitrolux, et <official name="Hugo Petit" role="dirigeant"'
        ' org="cluster Eurosima">Hugo Petit</official>, à la tête du cluster Eurosima, ont visité'
        " le salon."
    ),
    "respectively": (
        '<official name="Marie Vidal" role="directeur" org="Minalogic">Marie Vidal</official> et'
        ' <official name="Thomas Roux" role="secrétaire général" org="Minalogic">Thomas'
        " Roux</official>, respectivement directrice et secrétaire général de Minalogic, ont signé"
        " l'accord."
    ),
    "copula": (
        '<official name="Marie-Hélène Ducros" role="directeur général" org="Cosmetic Valley">'
        "Marie-Hélène Ducros</official> est directrice générale de Cosmetic Valley depuis 2021."
    ),
    "later_mentions": (
        '<official name="Claire Dumas" rule="apposition">Claire Dumas</official>, vice-présidente'
        " de la Région chargée de l'économie, a inauguré le site. "
        '<official name="Claire Dumas" rule="coref_title">Mme Dumas</official> a ensuite visité'
        ' les ateliers. <official name="Claire Dumas" role="vice-président chargé de'
        ' l\'économie" org="Région" rule="coref_role">La vice-présidente</official> a salué'
        ' les équipes avant de repartir. <official name="Claire Dumas" rule="coref_surname">'
        "Dumas</official> reviendra en juin."
    ),
    "later_title_m": (
        'Délégué régional à l’innovation, <official name="Paul Mérand">Paul Mérand</official>'
        ' estime que le pôle doit grandir. <official name="Paul Mérand" rule="coref_title">M.'
        " Mérand</official> a rappelé l'enjeu du recrutement."
    ),
    "repeated_full_name": (
        '<official name="Luc Arnaud" role="pdg" org="Vitrolux">Luc Arnaud</official>, PDG de'
        ' Vitrolux, a présenté le projet. Selon <official name="Luc Arnaud" rule="coref_name">'
        "Luc Arnaud</official>, le chantier durera deux ans."
    ),
    "verb_mistaken_for_person": (
        "Interrogé Dumas, président de la chambre, a refusé de répondre. Interrogé"
        ' <official name="Lucas Ferrand" role="directeur" org="usine">Lucas Ferrand</official>,'
        " directeur de l'usine, a confirmé les embauches."
    ),
    "two_roles_keeps_org": (
        "La présidente de la communauté d'agglomération Pau Béarn Pyrénées,"
        ' <official name="Sylvie Garnier" role="conseiller régional"'
        ' written="conseillère régionale"><official name="Sylvie Garnier" role="président"'
        ' org="communauté d\'agglomération Pau Béarn Pyrénées" category="élu local"'
        ' written="présidente de la communauté d\'agglomération Pau Béarn Pyrénées">Sylvie'
        " Garnier</official></official>, conseillère régionale, a ouvert la séance."
    ),
}
# An occupation is a role stated in the text, and so is a former post, written as such.
CASES["occupation"] = (
    '<official name="Pierre Lambert" role="agriculteur" written="agriculteur à Lacq">Pierre'
    " Lambert</official>, agriculteur à Lacq, a témoigné devant les élus."
)
CASES["former_role"] = (
    'L\'ancien maire <official name="Jacques Morel" role="maire" written="ancien maire">Jacques'
    " Morel</official> était présent à l'inauguration du site."
)
CASES["elected_to_the_chair"] = (
    '<official name="Nadia Roussel" role="président" org="pôle Mer Atlantique"'
    ' rule="verb_relative">Nadia Roussel</official> a été élue à la présidence du pôle Mer'
    " Atlantique lors de l'assemblée générale."
)
CASES["takes_the_lead"] = (
    '<official name="Hugo Serre" role="directeur général" org="agence Innov\'Sud">Hugo'
    " Serre</official> prend la direction générale de l'agence Innov'Sud le 1er mars."
)
CASES["fronted_post"] = (
    "Nommée à la tête de la coopérative en 2019, "
    '<official name="Lise Carrère" role="dirigeant" org="coopérative" rule="verb_fronted">Lise'
    " Carrère</official> défend le projet d'usine."
)
CASES["introduced_post"] = (
    '<official name="Yann Morvan" role="directeur technique" rule="introduced">Yann'
    " Morvan</official> a rejoint la start-up en tant que directeur technique."
)
CASES["surname_that_is_a_role"] = (
    'Le ministre de l\'Industrie, <official name="Paul Le Maire" role="ministre">Paul Le'
    " Maire</official>, a visité l'usine."
)
CASES["contact_block"] = (
    "Contact presse : "
    '<official name="Odile Fabre" role="responsable de la communication" org=none>Odile'
    " Fabre</official>\nResponsable de la communication\n\nInvité d'honneur, le chef Marc"
    " Aubry a présenté la carte."
)
CASES["demonstrative_in_next_sentence"] = (
    '<official name="Jacques Roche" role="président" written="nouveau président">Jacques Roche</official> a pris la'
    " parole devant les adhérents. Ce nouveau président a fait toute sa carrière dans"
    " l'automobile."
)
CASES["roles_in_parentheses"] = (
    'Le bureau réunit <official name="Léa Morin" role="vice-président">Léa Morin</official> et'
    ' <official name="Ali Bensaïd" role="vice-président">Ali Bensaïd</official>'
    ' (vice-présidentes), <official name="Rémi Faure" role="trésorier">Rémi Faure</official>'
    " (trésorier) et "
    '<official name="Inès Roux" role="secrétaire adjoint">Inès Roux</official> (secrétaire'
    " adjointe)."
)
CASES["titled_list_with_plural_role"] = (
    '<official name="Sophie BRUNEL" role="conseiller départemental">Madame Sophie'
    ' BRUNEL</official> et <official name="Marc DELORME" role="conseiller départemental">'
    "Monsieur Marc DELORME</official>, conseillers départementaux, annoncent les aides votées."
)
CASES["elected_by_the_board"] = (
    'Le conseil d\'administration a élu <official name="Paul Giraud" role="président"'
    ' written="président du cluster">Paul Giraud</official> président du'
    " cluster."
)
CASES["the_one_replaced_takes_no_post"] = (
    '<official name="Lucas Ferrand" role="directeur général" org="Sud Panneaux France">Lucas'
    " Ferrand</official>, directeur général de Sud Panneaux France, remplace Marc Olier à la"
    " présidence de la fédération."
)
CASES["demonym_between_role_and_name"] = (
    'Le président de l\'agglomération, le Rochelais <official name="Hugo Ménard"'
    ' role="président" org="agglomération">Hugo Ménard</official>, défend le projet.'
)
CASES["party_label_then_copula"] = (
    '<official name="Eric Lamy" role="président adjoint">Eric Lamy</official> (Bois Sud) a été'
    " élu président adjoint."
)
CASES["nomination_as"] = (
    'Le groupe a annoncé la nomination de <official name="Claire Dalbos" role="directeur'
    ' général" rule="appointed">Claire Dalbos</official> comme directrice générale.'
)
CASES["acronym_in_parentheses_before_the_comma"] = (
    'Le président de la communauté de communes des Savanes (CCDS), <official name="Louis Ringot"'
    ' role="président">Louis Ringot</official>, a signé.'
)
CASES["role_after_a_circumstance_in_the_next_sentence"] = (
    '« Il faut sauver les emplois », alerte <official name="Chris Bernex" role="député"'
    ' rule="next_sentence">Chris Bernex</official>. Le 31 août, <official name="Chris Bernex"'
    ' role="député">le nouveau député de la Haute-Garonne</official> a visité la fonderie.'
)
CASES["role_before_comma"] = (
    "Délégué régional à l'innovation, " + CASES["role_before_comma"] + " estime que la filière"
    " doit se structurer."
)

NEGATIVES = {
    "person_without_role": "Pierre Lambert a visité l'usine de Lacq avec son fils Théo Lambert.",
    "verb_tagged_as_person": "Interrogé Dumas, président de la chambre, a refusé de répondre.",
    "title_alone_without_official": "Le préfet a rappelé les règles de sécurité du chantier.",
}


def _officials(nlp, text: str):
    return sorted(doc_mentions(nlp(text), "official"), key=lambda m: m.start)


@pytest.mark.parametrize("annotated", CASES.values(), ids=CASES.keys())
def test_officials_match_inline_gold(nlp, annotated: str) -> None:
    text, gold = parse(annotated)
    found = _officials(nlp, text)
    assert [(m.start, m.end) for m in found] == [(g.start, g.end) for g in gold], [
        (m.text, m.rule, m.fields) for m in found
    ]
    for mention, expected in zip(found, gold, strict=True):
        assert mention.text == expected.text
        assert mention.fields["name"] == expected.attrs["name"]
        if "role" in expected.attrs:
            assert mention.fields["role_normalised"] == expected.attrs["role"]
        if "written" in expected.attrs:
            assert mention.fields["role"] == expected.attrs["written"]
        if "org" in expected.attrs:
            org = expected.attrs["org"]
            assert mention.fields["org"] == (None if org == "none" else org)
        if "category" in expected.attrs:
            assert mention.fields["role_category"] == expected.attrs["category"]
        if "rule" in expected.attrs:
            assert mention.rule == expected.attrs["rule"]
        assert 0 < mention.confidence <= 1


@pytest.mark.parametrize("text", NEGATIVES.values(), ids=NEGATIVES.keys())
def test_no_official_without_a_role(nlp, text: str) -> None:
    assert _officials(nlp, text) == []


def test_later_mentions_are_less_confident(nlp) -> None:
    text, gold = parse(CASES["later_mentions"])
    by_rule = {m.rule: m.confidence for m in _officials(nlp, text)}
    assert by_rule["apposition"] > by_rule["coref_title"] > by_rule["coref_surname"]
    assert by_rule["coref_surname"] >= by_rule["coref_role"]
    assert len(gold) == len(by_rule)


@pytest.mark.parametrize(
    ("written", "role", "category"),
    [
        ("vice-présidente", "vice-président", "other"),
        ("Vice-présidente chargée de l’Économie", "vice-président chargé de l'économie", "other"),
        ("conseillère régionale déléguée au numérique", "conseiller régional délégué au numérique",
         "élu régional"),
        ("préfète de région", "préfet de région", "État"),
        ("adjointe au maire", "adjoint au maire", "élu local"),
        ("P-DG", "pdg", "dirigeant d'entreprise"),
        ("sénatrice", "sénateur", "other"),
        ("directrice générale", "directeur général", "dirigeant d'entreprise"),
    ],
)  # fmt: skip
def test_normalize_role(written: str, role: str, category: str) -> None:
    assert normalize_role(written) == (role, category)


def test_role_category_follows_the_organisation() -> None:
    president = role_entry("présidente")
    assert role_category(president, "Région Occitanie") == "élu régional"
    assert role_category(president, "Bordeaux Métropole") == "élu local"
    assert role_category(president, "CCI de Bordeaux") == "agence"
    assert role_category(president, "Minalogic", org_is_cluster=True) == "dirigeant de cluster"
    assert role_category(president, None) == "other"
    # A fixed role keeps its category whatever the organisation.
    assert role_category(role_entry("maire"), "Pau") == "élu local"


@pytest.mark.parametrize(
    ("text", "name", "role", "written"),
    [
        (
            "Claire Dumas, vice-présidente de la Région chargée de l’économie, a inauguré jeudi "
            "la nouvelle ligne de production.",
            "Claire Dumas",
            "vice-président chargé de l'économie",
            "vice-présidente chargée de l’économie",
        ),
        (
            "La préfète Anne Martin a visité le chantier mardi matin.",
            "Anne Martin",
            "préfet",
            "préfète",
        ),
        (
            "Sandrine Vidal, députée de l’Hérault, a interpellé le gouvernement.",
            "Sandrine Vidal",
            "député",
            "députée",
        ),
        (
            "« Nous recrutons », explique Maïa Etcheverry, fondatrice de Biosens.",
            "Maïa Etcheverry",
            "fondateur",
            "fondatrice",
        ),
        (
            "Jean Dupuis, président de Minalogic, a salué l’accord.",
            "Jean Dupuis",
            "président",
            "président",
        ),
    ],
)
def test_the_role_as_written_is_kept_beside_its_normalised_form(nlp, text, name, role, written):
    """Women's roles are shown as written; the masculine form stays for grouping and scoring."""
    officials = [m for m in doc_mentions(nlp(text)) if m.kind == "official"]
    (first,) = [m for m in officials if m.fields["name"] == name][:1]
    # The role as written (with its complement), the masculine head apart for grouping.
    assert first.fields["role"].startswith(written.split()[0])
    assert first.fields["role_written"] == first.fields["role"]
    assert first.fields["role_normalised"].startswith(role.split()[0])


# -- roles as the press writes them -------------------------------------------------------------

# (sentence, every (name, role as written) expected; a person with two roles has two pairs)
WRITTEN_ROLES = {
    "verbs_in_the_past_and_future": (
        "Marc Olier, qui présidait la fédération, part. Lise Caron dirigera la coopérative.",
        {("Marc Olier", "qui présidait"), ("Lise Caron", "dirigera")},
    ),
    "plural_title_before_surnames": (
        "La holding est dirigée par MM. Barot, Chapuis et Jollet.",
        {("Barot", "dirigée par"), ("Chapuis", "dirigée par"), ("Jollet", "dirigée par")},
    ),
    "pronoun_with_a_copula": (
        "Paul Eymard est le président de la filière Aéro Normandie. Il fut aussi directeur"
        " technique de Thales.",
        {
            ("Paul Eymard", "président de la filière Aéro Normandie"),
            ("Paul Eymard", "directeur technique de Thales"),
        },
    ),
    "adverb_after_the_copula": (
        "Yves Gros, ancien président de la CCI de Loire, est aujourd'hui vice-président du pôle.",
        {
            ("Yves Gros", "ancien président de la CCI de Loire"),
            ("Yves Gros", "vice-président du pôle"),
        },
    ),
    "feminine_kept": (
        "Nadia Perrot, directrice générale de la technopole, a présenté le programme.",
        {("Nadia Perrot", "directrice générale de la technopole")},
    ),
    "verbal_role": (
        "Le cluster Bois Vallée, présidé par Sophie Lenoir, réunit 80 entreprises.",
        {("Sophie Lenoir", "présidé par")},
    ),
    "chained_roles": (
        "Odile Marchand, députée et maire de Villeneuve-sur-Lot, présidente de"
        " l'agglomération, a signé la convention.",
        {
            ("Odile Marchand", "députée"),
            ("Odile Marchand", "maire de Villeneuve-sur-Lot"),
            ("Odile Marchand", "présidente de l'agglomération"),
        },
    ),
    "role_before_and_after": (
        "Le président du pôle, Marc Durand, directeur de l'usine Soltex, a présenté le bilan.",
        {("Marc Durand", "président du pôle"), ("Marc Durand", "directeur de l'usine Soltex")},
    ),
    "two_roles_before_the_name": (
        "Présidente de la technopole et maire de Saint-Vaury, Hélène Guillot a ouvert la séance.",
        {
            ("Hélène Guillot", "Présidente de la technopole"),
            ("Hélène Guillot", "maire de Saint-Vaury"),
        },
    ),
    "long_delegated_role": (
        "Conseiller régional délégué à la recherche, à l'innovation, aux pôles de compétitivité"
        " et aux clusters, Julien Ferrat se dit confiant.",
        {
            (
                "Julien Ferrat",
                "Conseiller régional délégué à la recherche, à l'innovation, aux pôles de"
                " compétitivité et aux clusters",
            )
        },
    ),
    "verb_after_an_incise": (
        "Henri Castel, à la tête d'un groupe de transport, préside aussi le pôle Véhicule du"
        " futur.",
        {("Henri Castel", "à la tête d'"), ("Henri Castel", "préside")},
    ),
    "role_in_the_next_sentence": (
        "La rencontre s'est tenue à l'initiative de Jean\u2010Louis Perrin. Le président de"
        " France Clusters, de passage à Pau, a salué l'ambition du territoire.",
        {("Jean\u2010Louis Perrin", "président de France Clusters")},
    ),
    "role_after_the_name_without_comma": (
        "Le projet a été salué par Agathe Morin la présidente de l'université.",
        {("Agathe Morin", "présidente de l'université")},
    ),
    "across_a_line_break": (
        "Quel bilan tirer de ces dix ans ?\n\nBertrand Jolly,\ndirecteur de la technopole\n"
        "« Le plus dur reste à faire. »",
        {("Bertrand Jolly", "directeur de la technopole")},
    ),
    "surname_in_capitals": (
        "Le ministre Bruno LE MAIRE a visité le site avec Julie MARTIN, directrice de l'usine.",
        {("Bruno LE MAIRE", "ministre"), ("Julie MARTIN", "directrice de l'usine")},
    ),
    "ordinal_kept": (
        "Gisèle Lamy, 3e vice-présidente de la Région, a ouvert le salon.",
        {("Gisèle Lamy", "3e vice-présidente de la Région")},
    ),
    "comma_joined_ministry": (
        "Le ministre de l'Industrie, de l'Énergie et du Numérique, Hugo Lemaire, a visité l'usine.",
        {("Hugo Lemaire", "ministre de l'Industrie, de l'Énergie et du Numérique")},
    ),
    "region_name_after_the_role": (
        "Louise Carpentier, préfète de région Bourgogne-Franche-Comté, a signé l'arrêté.",
        {("Louise Carpentier", "préfète de région Bourgogne-Franche-Comté")},
    ),
    "union_acronym": (
        "Selon Yannick Le Bihan, délégué CGT du site, la direction n'a rien annoncé.",
        {("Yannick Le Bihan", "délégué CGT du site")},
    ),
    "reelected": (
        "Paul Garnier, réélu président de l'association des industriels, entame un second mandat.",
        {("Paul Garnier", "président de l'association des industriels")},
    ),
    "occupation": (
        "« Les rouges se vendent mal », constate Hugo Ferrand, courtier à Libourne.",
        {("Hugo Ferrand", "courtier à Libourne")},
    ),
    "capital_without_its_accent": (
        "Selon Léa Morel, secrétaire d’Etat chargée du Tourisme, le label sera renouvelé.",
        {("Léa Morel", "secrétaire d’Etat chargée du Tourisme")},
    ),
    "vice_without_hyphen": (
        "Nadine Royer, 2e vice présidente de la Région, a présenté le plan.",
        {("Nadine Royer", "2e vice présidente de la Région")},
    ),
    "plural_role_after_a_list": (
        "Marc Tellier et Julien Roche, les deux délégués syndicaux CGT de l'usine, sont inquiets.",
        {
            ("Marc Tellier", "deux délégués syndicaux CGT de l'usine"),
            ("Julien Roche", "deux délégués syndicaux CGT de l'usine"),
        },
    ),
    "plural_role_after_a_list_on_its_own_line": (
        "Pierre DUVAL, Sarah KLEIN, Tom MARCHETTI,\nmembres du bureau de Biopôle\nLe pôle grandit.",
        {
            ("Pierre DUVAL", "membres du bureau de Biopôle"),
            ("Sarah KLEIN", "membres du bureau de Biopôle"),
            ("Tom MARCHETTI", "membres du bureau de Biopôle"),
        },
    ),
    "plural_role_before_a_list": (
        "Le fonds entre au capital aux côtés des trois dirigeants fondateurs – Paul Girard,"
        " Anne-Sophie Moreau et Hugo Lambert –, qui réinvestissent.",
        {
            ("Paul Girard", "trois dirigeants fondateurs"),
            ("Anne-Sophie Moreau", "trois dirigeants fondateurs"),
            ("Hugo Lambert", "trois dirigeants fondateurs"),
        },
    ),
    "one_of_a_plural_role": (
        "Fabien Potier, l'un des associés de la start-up, prépare une levée de fonds.",
        {("Fabien Potier", "l'un des associés de la start-up")},
    ),
    "verb_shared_by_a_list": (
        "Le fonds, créé par Hélène Vasseur et Karim Benali, investit dans les jeunes pousses.",
        {("Hélène Vasseur", "créé par"), ("Karim Benali", "créé par")},
    ),
    "chain_across_a_parenthesis": (
        "Karim Salah, directeur de la société Pixalis (logiciels) et président de la French Tech"
        " Garonne, a ouvert la soirée.",
        {
            ("Karim Salah", "directeur de la société Pixalis"),
            ("Karim Salah", "président de la French Tech Garonne"),
        },
    ),
    "copula_after_an_incise": (
        "Sylvain Morvan, le patron de la société Optiweb, en est le vice-président.",
        {("Sylvain Morvan", "patron de la société Optiweb"), ("Sylvain Morvan", "vice-président")},
    ),
    "role_cut_by_a_line_break": (
        "Yves Marec, délégué\nsyndical CGT, a annoncé une grève.",
        {("Yves Marec", "délégué\nsyndical CGT")},
    ),
    "role_with_a_bare_noun": (
        "« Les filières se parlent », explique Lucie Garnier, responsable communication du"
        " cluster.",
        {("Lucie Garnier", "responsable communication du cluster")},
    ),
    "role_before_a_colon": (
        "Le pôle a trouvé sa nouvelle déléguée générale : Claire Fontaine, venue de l'industrie.",
        {("Claire Fontaine", "nouvelle déléguée générale")},
    ),
    "party_label_inside_the_role": (
        "Le maire (PS) de Lescar, Paul Roux, a salué le projet.",
        {("Paul Roux", "maire (PS) de Lescar")},
    ),
    "party_label_after_the_name": (
        "Paul Roux (PS), maire de Lescar, a salué le projet.",
        {("Paul Roux", "maire de Lescar")},
    ),
    "adverb_before_the_role": (
        "Nadia Benali, par ailleurs directrice de la société Vitrolux, a pris la parole.",
        {("Nadia Benali", "directrice de la société Vitrolux")},
    ),
    "age_before_the_role": (
        "Nadia Benali, 45 ans, directrice de l'agence, a pris la parole.",
        {("Nadia Benali", "directrice de l'agence")},
    ),
    "organisation_after_chez": (
        "« Les ventes reculent », prévient Marc Ortiz, caviste chez Le Bon Verre à Bordeaux.",
        {("Marc Ortiz", "caviste chez Le Bon Verre")},
    ),
    "role_opening_the_next_sentence_then_a_pronoun": (
        "La visite s'est faite avec Paul Roux. Directeur de l'usine depuis 2012, il connaît"
        " chaque machine.",
        {("Paul Roux", "Directeur de l'usine depuis 2012")},
    ),
    "participle_then_a_circumstance_then_par": (
        "Créée en 2010 par Anne Vidal, la société emploie quarante personnes.",
        {("Anne Vidal", "Créée en 2010 par")},
    ),
    "speaker_named_by_a_role_noun": (
        "Paul Roux a repris l'entreprise en 2019. « Nous allons recruter vingt personnes »,"
        " explique le dirigeant.",
        {("Paul Roux", "dirigeant")},
    ),
    "role_after_de_devenir": (
        "Le président a convaincu Claire Fontaine de devenir déléguée générale de l'association.",
        {("Claire Fontaine", "déléguée générale de l'association")},
    ),
}


def _pairs(nlp, text: str) -> set[tuple[str, str]]:
    return {(m.fields["name"], m.fields["role"]) for m in _officials(nlp, text)}


@pytest.mark.parametrize(("text", "expected"), WRITTEN_ROLES.values(), ids=WRITTEN_ROLES.keys())
def test_every_role_as_written(nlp, text: str, expected: set[tuple[str, str]]) -> None:
    assert _pairs(nlp, text) == expected


def test_written_role_has_its_normalised_form_and_category_apart(nlp) -> None:
    found = _officials(nlp, "Claire Dubreuil, sous-préfète de Bayonne, a visité le port.")
    assert [(m.fields["role"], m.fields["role_normalised"]) for m in found] == [
        ("sous-préfète de Bayonne", "sous-préfet")
    ]
    assert found[0].fields["role_category"] == "État"


PEOPLE = [
    ("Anne Vidal", "sous-préfète de Bayonne"),
    ("Marie Roux", "députée de la circonscription"),
    ("Luc Bernard", "maire d'Anglet"),
    ("Paul Moreau", "président de la chambre de commerce"),
    ("Sophie Garcia", "directrice de l'agence"),
    ("Henri Dupuis", "conseiller régional"),
]


@pytest.mark.parametrize("size", [2, 3, 4, 6])
@pytest.mark.parametrize("opening", ["Étaient présents", "Autour de la table :"])
def test_lists_of_people_keep_each_role_with_its_person(nlp, size: int, opening: str) -> None:
    people = PEOPLE[:size]
    items = [f"{name}, {role}" for name, role in people]
    text = f"{opening} {', '.join(items[:-1])}, et {items[-1]}."
    found = _pairs(nlp, text)
    assert found == set(people), text


@pytest.mark.parametrize(
    "text",
    [
        "Texte Lucie Marchal – Photo Yann Tessier\nLa Région a voté le budget.",
        "Publié le 3 mars par Pauline Roussel\n\nLa Région a voté le budget.",
        "La société Aboleris Pharma et le Château Lafleur ont signé.",
        "Vue du port (Photo : Rémi Lacombe)\nLa Région a voté le budget.",
        "La Région aide les Laboratoires Hélène Castaing à Agen.",
        "Une étude du cabinet Morel Fontaine le montre.",
        "Trois millions d'euros vont à Saint Laurent du Maroni.",
        "La filière réunit les maisons Duval-Lagarde et Perrin-Masson.",
        "Le magasin Picard Surgelés et les Fonderies Vernet recrutent à Rodez.",
        "Le directeur de Vernet France a signé avec la Collectivité Territoriale de Guyane.",
        "Les ventes progressent. (Anne Roussel, avec Paul Gilet, édité par Marc Tissot)",
        "Le Courrier 12/05/2026 Hélène Mazet | La technopole recrute.",
        "Hélène Mazet, envoyée spéciale, | La PME vendéenne exporte.",
        "Le cluster doit trouver un repreneur avant l'été.Hélène Mazet",
        "Le concessionnaire vend des tracteurs John Deere et Massey Ferguson.",
        "Vue de l'atelier. Hélène Mazet / AFP\nLa Région a voté le budget.",
        "Lire aussi : Hélène Mazet quitte la présidence du cluster\nLa Région a voté le budget.",
        "Paul Girard dit :\n12 mars 2026 à 10 h 04\nBravo à toute l'équipe !",
        "Mis à jour le 3 mars par Hélène Mazet\nLa Région a voté le budget.",
    ],
)
def test_bylines_credits_and_companies_are_not_persons(nlp, text: str) -> None:
    assert [p.name for p in find_persons(nlp(text)) if p.full] == []


def test_a_lawyer_titled_maitre_is_a_person(nlp) -> None:
    persons = find_persons(nlp("Me Lefort, avocat du syndicat, plaide la suspension du plan."))
    assert [(p.name, p.title.text if p.title else None) for p in persons] == [("Lefort", "Me")]


def test_a_pole_article_gives_each_official_with_role_and_organisation(nlp) -> None:
    text = (
        "À Nontron, le pôle métiers du cuir et du luxe fédère une trentaine d'ateliers. Sa"
        " présidente, Véronique Lasserre, dirige aussi une maroquinerie. Le directeur du pôle,"
        " Alain Bordas, prépare une formation avec Lucien Faure, maire de Nontron."
    )
    doc = nlp(text)
    clusters = [m.fields["name"] for m in doc_mentions(doc, "cluster")]
    assert clusters == ["pôle métiers du cuir et du luxe"]
    found = {(m.fields["name"], m.fields["role"], m.fields["org"]) for m in _officials(nlp, text)}
    assert ("Véronique Lasserre", "présidente", "pôle métiers du cuir et du luxe") in found
    assert ("Alain Bordas", "directeur du pôle", "pôle métiers du cuir et du luxe") in found
    assert ("Lucien Faure", "maire de Nontron", "Nontron") in found


def test_a_video_interview_headline_keeps_its_person(nlp) -> None:
    """ "Interview vidéo de X" is prose, not a photo or video credit."""
    text = "Interview vidéo exclusive de Fabrice Lomet, président de la Région.\n\nLa suite."
    assert [p.name for p in find_persons(nlp(text))] == ["Fabrice Lomet"]
    assert _pairs(nlp, text) == {("Fabrice Lomet", "président de la Région")}


def test_the_interviewer_of_a_question_and_answer_is_no_person(nlp) -> None:
    text = (
        "Questions à Paul Roux, directeur du pôle.\n\nLucie Fabre : Quelles entreprises ont"
        " répondu ?\nPaul Roux : Une vingtaine, surtout des PME."
    )
    assert {p.name for p in find_persons(nlp(text)) if p.full} == {"Paul Roux"}


@pytest.mark.parametrize(
    "text",
    [
        # Two people before: the speaker is not known.
        "Paul Roux a rencontré Anne Vidal. « Le marché est porteur », estime la directrice.",
        # A role with its own organisation may be someone the article does not name.
        "Comme l'a dit Paul Roux, au nom de la Région, le projet avance. « Nous suivons »,"
        " indique le président de Capvalor.",
        # The pronoun does not fit the person.
        "La visite s'est faite avec Anne Roux. Directeur de l'usine, il connaît chaque machine.",
    ],
)
def test_a_role_noun_is_not_given_to_an_uncertain_person(nlp, text: str) -> None:
    assert _pairs(nlp, text) == set()


@pytest.mark.parametrize(
    ("singular", "plural"),
    [
        ("conseiller départemental", "conseillers départementaux"),
        ("vice-présidente", "vice-présidentes"),
        ("chef de projet", "chefs de projet"),
        ("directeur général adjoint", "directeurs généraux adjoints"),
        ("délégué syndical", "délégués syndicaux"),
    ],
)
def test_role_plurals_are_derived_from_the_singular(singular: str, plural: str) -> None:
    assert plural_form(singular) == plural
    entry = role_entry(plural)
    assert entry is not None and entry.plural
