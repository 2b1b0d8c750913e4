"""Registration of the locations component (`veille_locations_v1`): adds "location" mentions."""

from __future__ import annotations

from spacy.language import Language

from pipeline.nlp.locations.locations import LocationRecognizer


@Language.factory(
    "veille_locations_v1",
    assigns=["doc._.veille_mentions"],
    requires=["token.norm", "token.pos", "doc.ents"],
    default_config={"patterns_dir": None},
)
def create_locations(nlp: Language, name: str, patterns_dir: str | None) -> LocationRecognizer:
    """Build the location recognizer; a `None` directory means the gazetteers in `patterns/`."""
    return LocationRecognizer(nlp, name, patterns_dir)
