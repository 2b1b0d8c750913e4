"""Registration of the clusters component (`veille_clusters_v1`): adds "cluster" mentions."""

from __future__ import annotations

from spacy.language import Language

from pipeline.nlp.clusters.clusters import ClusterRecognizer


@Language.factory(
    "veille_clusters_v1",
    assigns=["doc._.veille_mentions"],
    requires=["token.norm", "token.pos"],
    default_config={"gazetteer_path": None, "triggers_path": None, "contexts_path": None},
)
def create_clusters(
    nlp: Language,
    name: str,
    gazetteer_path: str | None,
    triggers_path: str | None,
    contexts_path: str | None,
) -> ClusterRecognizer:
    """Build the cluster recognizer; `None` paths mean the files shipped in `patterns/`."""
    return ClusterRecognizer(nlp, name, gazetteer_path, triggers_path, contexts_path)
