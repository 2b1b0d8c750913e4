"""Registration of the funders component (`veille_funders_v1`)."""

from spacy.language import Language

from pipeline.nlp.funders.funders import FunderRanker


@Language.factory(
    "veille_funders_v1",
    assigns=["doc._.veille_mentions"],
    requires=["token.dep", "doc._.veille_mentions"],
    default_config={"model": "ranker.json"},
)
def create_funders(nlp: Language, name: str, model: str) -> FunderRanker:
    return FunderRanker(name, model=model)
