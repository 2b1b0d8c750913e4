"""How veille writes for French readers, in the report, the review desk, its exports and digests:
dates, and the names of kinds of mention, review statuses and fields."""

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
# How the desk and its exports name a mention's fields (funder_text and recipient_text: the
# funder and recipient as the article wrote them, beside the names the extraction normalised).
FIELD_LABELS = {
    "name": "nom",
    "role": "rôle",
    "org": "organisation",
    "amount_eur": "montant (€)",
    "funder": "financeur",
    "funder_text": "financeur dans l'article",
    "recipient": "bénéficiaire",
    "recipient_text": "bénéficiaire dans l'article",
    "instrument": "dispositif",
    "scope": "portée",
    "entity_id": "entité canonique",
    "speaker": "orateur",
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
