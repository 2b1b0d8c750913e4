"""Property test of the offsets invariant: for any text, every mention the extraction returns
points at itself (`text[start:end] == mention["text"]`, `0 <= start <= end <= len(text)`).

Texts mix French regional-press sentences with odd characters (controls, « », ’, no-break spaces,
numbers, line breaks), where normalisation and tokenisation could shift offsets. Hypothesis runs
with `derandomize=True`: the examples are derived from the test itself, so CI sees the same inputs
on every run and never flakes on a newly drawn one.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.nlp import extract_text
from pipeline.nlp.mention import KINDS

# Each text runs the whole pipeline (tens of milliseconds here): keep the count modest.
PIPELINE = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SENTENCES = (
    "Le pôle de compétitivité Aerospace Valley a tenu jeudi son assemblée générale à Toulouse.",
    "Claire Dumas, vice-présidente de la Région chargée de l’économie, a annoncé une aide de "
    "1,2 million d’euros.",
    "« Nous voulons doubler le nombre de projets d’ici 2028 », explique sa présidente, Anne Roux.",
    "La Région Nouvelle-Aquitaine accorde 350\u00a0000\u202f€ à la société Lumina, installée à "
    "Pessac (33).",
    "Délégué régional à l’innovation, Paul Mérand estime que « la filière bois doit se structurer ».",
    "Bpifrance et l’ADEME apportent entre 2 et 3 millions d'euros au projet d’usine de Lacq.",
    "Le cluster Eurosima rassemble une centaine d’entreprises de la glisse sur la côte basque.",
    "Un pôle des métiers du bois est en cours d’émergence en Corrèze, près de Tulle.",
    "M. Mérand a rappelé que l’État prévoit de réduire les crédits d’animation des pôles.",
    "La start-up grenobloise lève 4 M€ auprès de ses investisseurs historiques.",
    "Le maire de Limoges, Émile Roux, a inauguré l’atelier de la grappe Kaolin Avenir.",
    "Le chiffre d’affaires du groupe atteint 12 M€ en 2025, selon son PDG.",
)
ODD_PIECES = (
    "«",
    "»",
    "« ",
    " »",
    "\u2019",
    "'",
    '"',
    "\u00a0",
    "\u202f",
    "\u2009",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "\x00",
    "\x0b",
    "\x1f",
    "\u200b",
    "\ufeff",
    "\u2028",
    "—",
    "…",
    "M€",
    "€",
    "1,5",
    "800 000",
    "2026",
    "(33)",
    "Mme",
    "d’",
)

pieces = st.one_of(
    st.sampled_from(SENTENCES),
    st.sampled_from(ODD_PIECES),
    st.integers(min_value=0, max_value=10**9).map(str),
    st.text(max_size=12),
    st.text(alphabet=st.characters(codec="utf-8", categories=("Cc", "Zs", "Pi", "Pf")), max_size=4),
)
texts = st.lists(pieces, max_size=14).map(lambda parts: " ".join(parts) if parts else "")


@PIPELINE
@given(text=texts)
@example(text=" ".join(SENTENCES))
@example(text="\ufeff« La Région\u00a0accorde 1,2\u200b M€ à Lumina »\x00, explique Claire Dumas.")
@example(text="Le pôle Xylofutur\r\na reçu 350\u202f000\u202f€\u2028de l’État.\x0b")
def test_every_mention_points_at_its_own_text(nlp, text: str) -> None:
    mentions = extract_text(nlp, text)
    for mention in mentions:
        start, end = mention["start"], mention["end"]
        assert 0 <= start <= end <= len(text), mention
        assert text[start:end] == mention["text"], mention
        assert mention["kind"] in KINDS
        assert isinstance(mention["sentence"], str)
        if mention["kind"] == "funding" and mention.get("amount_max_eur") is not None:
            assert mention["amount_max_eur"] > mention["amount_eur"], mention
    assert [(m["start"], m["end"]) for m in mentions] == sorted(
        (m["start"], m["end"]) for m in mentions
    )
