"""Registration of the rule-based sentencizer (`veille_sentences_v1`), run before the parser."""

from spacy.language import Language

from pipeline.nlp.sentences.sentences import RuleSentencizer


@Language.factory("veille_sentences_v1", assigns=["token.is_sent_start"])
def create_sentencizer(nlp: Language, name: str) -> RuleSentencizer:
    return RuleSentencizer(nlp, name)
