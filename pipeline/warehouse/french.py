"""How veille writes dates for French readers, in the report, the review desk and its digests."""

from __future__ import annotations

from datetime import date

# How the desk, its exports and digests name kinds of mention and review statuses.
KIND_LABELS = {
    "cluster": "pôle / cluster",
    "official": "responsable",
    "funding": "financement",
    "location": "lieu",
    "quote": "citation",
}
# Where a funding's money lands (`mentions.scope`), as the desk and its exports write it.
SCOPE_LABELS = {
    "local": "locale",
    "regional": "régionale",
    "national": "nationale",
    "european": "européenne",
}
STATUS_LABELS = {
    "unreviewed": "à revoir",
    "validated": "validées",
    "accepted": "acceptée",
    "corrected": "corrigée",
    "added": "ajoutée",
    "rejected": "rejetée",
    "all": "toutes",
}

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
SHORT_MONTHS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)


def long_date(day: date) -> str:
    """1er novembre 2026, 15 novembre 2026."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    """15 nov."""
    return f"{day.day} {SHORT_MONTHS[day.month - 1]}"
