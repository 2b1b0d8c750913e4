"""Registration of the funding component (`veille_funding_v2`): adds "funding" mentions."""

from spacy.language import Language

from pipeline.nlp.funding.funding import FundingDetector


@Language.factory(
    "veille_funding_v2",
    assigns=["doc._.veille_mentions"],
    requires=["token.norm", "token.pos", "token.dep", "doc.ents", "doc.sents"],
    default_config={"cue_window": 8, "previous_sentence": True},
)
def create_funding(
    nlp: Language, name: str, cue_window: int, previous_sentence: bool
) -> FundingDetector:
    return FundingDetector(nlp, name, cue_window=cue_window, previous_sentence=previous_sentence)
