"""Registration of the quotes component (`veille_quotes_v1`)."""

from spacy.language import Language

from pipeline.nlp.quotes.quotes import QuotesComponent


@Language.factory(
    "veille_quotes_v1",
    assigns=["doc._.veille_mentions"],
    requires=["token.norm", "doc.ents", "doc._.veille_mentions"],
    default_config={"min_words": 4},
)
def create_quotes(nlp: Language, name: str, min_words: int) -> QuotesComponent:
    return QuotesComponent(nlp, name, min_words=min_words)
