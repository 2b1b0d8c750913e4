"""Registration of the officials component (`veille_officials_v1`)."""

from spacy.language import Language

from pipeline.nlp.officials.officials import OfficialsComponent


@Language.factory(
    "veille_officials_v1",
    assigns=["doc._.veille_mentions"],
    requires=["token.norm", "doc.ents", "token.pos", "token.sent_start"],
    default_config={"resolve_later_mentions": True},
)
def create_officials(nlp: Language, name: str, resolve_later_mentions: bool) -> OfficialsComponent:
    return OfficialsComponent(nlp, name, resolve_later_mentions=resolve_later_mentions)
