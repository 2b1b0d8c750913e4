"""Registration of the recipients component (`veille_recipients_v1`)."""

from spacy.language import Language

from pipeline.nlp.recipients.recipients import RecipientRanker


@Language.factory(
    "veille_recipients_v1",
    assigns=["doc._.veille_mentions"],
    requires=["doc.ents", "token.dep", "doc._.veille_mentions"],
    default_config={"model": "ranker.json"},
)
def create_recipients(nlp: Language, name: str, model: str) -> RecipientRanker:
    return RecipientRanker(name, model=model)
