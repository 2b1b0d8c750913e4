"""Precision measured from review decisions (`veille eval --from-reviews`).

Every accepted or rejected mention is a judgement on the extraction: precision is accepted /
(accepted + rejected), per kind and per extraction rule. A corrected mention was real (a field
was wrong), so it counts as accepted, and the corrected ones are listed beside. Mentions
reviewers had to add are the extraction's misses: counted per kind as a hint on recall.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pipeline.review.queue import open_live
from pipeline.warehouse.storage import read_sql


@dataclass(frozen=True)
class ReviewScore:
    """Reviewers' verdicts on one kind (rule None) or one kind's rule."""

    kind: str
    rule: str | None
    accepted: int
    corrected: int
    rejected: int
    added: int = 0

    @property
    def judged(self) -> int:
        return self.accepted + self.rejected

    @property
    def precision(self) -> float | None:
        return self.accepted / self.judged if self.judged else None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "precision": self.precision}


def review_scores(db_path: str | Path) -> list[ReviewScore]:
    """Per kind, then its rules: verdicts of the published mentions as the store has them now."""
    with open_live(db_path) as con:
        rows = con.execute(read_sql("review/precision.sql")).fetchall()
        added = dict(
            con.execute(
                "SELECT kind, count(*) FROM live_mentions WHERE review_status = 'added' GROUP BY 1"
            ).fetchall()
        )
    scores = [
        ReviewScore(kind, rule, *counts, added=0 if rule else added.get(kind, 0))
        for kind, rule, *counts in rows
    ]
    judged = {s.kind for s in scores}
    scores += [
        ReviewScore(kind, None, 0, 0, 0, n) for kind, n in added.items() if kind not in judged
    ]
    return sorted(scores, key=lambda s: (s.kind, s.rule is not None))


def format_scores(scores: list[ReviewScore]) -> str:
    """The scores as a text table: one line per kind, its rules indented below."""
    if not scores:
        return "no reviewed mention yet: accept or reject mentions in `veille review` first"
    header = f"{'kind / rule':<32} {'P':>6} {'accepted':>9} {'corrected':>10} {'rejected':>9}"
    lines = [header + f" {'added':>6}"]
    for s in scores:
        label = s.kind if s.rule is None else f"  {s.rule}"
        precision = f"{s.precision:.3f}" if s.precision is not None else "-"
        added = f" {s.added:>6}" if s.rule is None else ""
        lines.append(
            f"{label:<32} {precision:>6} {s.accepted:>9} {s.corrected:>10} {s.rejected:>9}{added}"
        )
    return "\n".join(lines)
