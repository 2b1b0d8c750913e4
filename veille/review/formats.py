"""How the desk writes values in French: amounts, dates, labels, and links it may show."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pipeline.warehouse.french import FIELD_LABELS as FIELD_LABELS  # the desk's labels, shared
from pipeline.warehouse.french import KIND_LABELS as KIND_LABELS
from pipeline.warehouse.french import SCOPE_LABELS as SCOPE_LABELS
from pipeline.warehouse.french import STATUS_LABELS as STATUS_LABELS
from pipeline.warehouse.french import long_date

PARIS = ZoneInfo("Europe/Paris")
NBSP, NNBSP = "\u00a0", "\u202f"


def euros(value: Any) -> str:
    """1200000 -> '1 200 000 €' (narrow no-break spaces, as French typography wants)."""
    if value is None:
        return ""
    try:
        amount = float(value)
    except (TypeError, ValueError):
        return str(value)
    text = f"{amount:,.0f}" if amount.is_integer() else f"{amount:,.2f}"
    return text.replace(",", NNBSP).replace(".", ",") + f"{NBSP}€"


def count(total: int, exact: bool, cap: int) -> str:
    """How many mentions a filter has: 1234 as is, or 'plus de 10 000' when the count stopped
    past `cap` (grouped by thousands with narrow no-break spaces)."""
    if exact:
        return str(total)
    return "plus de " + f"{cap:,}".replace(",", NNBSP)


def french_day(value: Any) -> str:
    """A date as '4 novembre 2026' ('1er' for the first of the month)."""
    if isinstance(value, datetime):
        value = value.astimezone(PARIS).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return long_date(value)
    return "" if value is None else str(value)


def when(value: Any) -> str:
    """An ISO timestamp as '4 novembre 2026 à 08:30' (Paris time)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        local = value.astimezone(PARIS) if value.tzinfo else value
        return f"{french_day(local.date())} à {local:%H:%M}"
    return french_day(value)


def safe_link(url: Any) -> str | None:
    """The URL if it is an http(s) link with a host; None otherwise (javascript:, data:...)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def plain(value: Any) -> str:
    """A value as a form field shows it: '' for none, 1500000 rather than 1500000.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def decision_label(decision: dict[str, Any]) -> str:
    """What a decision of the history was, in French: a bulk acceptance says so, and says when it
    was taken back; an undo names what it did."""
    if decision["status"] == "undone":
        return "annulation de l'acceptation en lot"
    label = STATUS_LABELS.get(decision["status"], decision["status"])
    if decision.get("batch_id"):
        label += " en lot"
        if decision.get("undone"):
            label += " (annulée depuis)"
    return label


def decision_values(decision: dict[str, Any]) -> tuple[str, str]:
    """A decision's before and after, in French: a field's values as written; a verdict's
    statuses by their labels (an undo with no verdict to give back leaves the mention to review)."""
    before, after = decision.get("old_value"), decision.get("new_value")
    if decision.get("field"):
        return before or "", after or ""
    if decision["status"] == "undone" and after is None:
        after = "unreviewed"
    return (
        STATUS_LABELS.get(before, before or "") if before else "",
        STATUS_LABELS.get(after, after or "") if after else "",
    )
