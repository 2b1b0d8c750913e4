"""Registration of the token normaliser (`veille_normalizer_v1`): assigns `Token.norm`."""

from spacy.language import Language

from pipeline.nlp.normalizer.normalizer import Normalizer


@Language.factory("veille_normalizer_v1", assigns=["token.norm"])
def create_normalizer(nlp: Language, name: str) -> Normalizer:
    return Normalizer(nlp, name)
