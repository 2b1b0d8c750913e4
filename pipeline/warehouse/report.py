"""The period report: one self-contained HTML page (inline SVG charts, no script, no external
asset) that analysts and communications staff open offline, in French.

Data comes from the published snapshot through the small queries of `sql/report/`, always with
bound `$from`/`$to` parameters. Everything read from the database is scraped text: it is escaped
with `html.escape` wherever it lands, and a Content-Security-Policy forbids scripts and remote
loads as a second line of defence.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb

from pipeline.errors import UserError
from pipeline.warehouse.french import SCOPE_LABELS, long_date, short_date
from pipeline.warehouse.storage import SQL_DIR, connect_published

REPORT_SQL_DIR = SQL_DIR / "report"
DEFAULT_DAYS = 90
TOP_CLUSTERS = 8
TOP_OFFICIALS = 10
TOP_EVENTS = 10
QUOTES = 8

# Singular and plural for the intro's count of mentions by kind.
KIND_LABELS = {
    "cluster": ("mention de pôle ou cluster", "mentions de pôles et clusters"),
    "official": ("mention de responsable", "mentions de responsables"),
    "funding": ("financement", "financements"),
    "quote": ("citation", "citations"),
    "location": ("lieu", "lieux"),
}
NBSP = "\u00a0"
THIN_NBSP = "\u202f"  # the French thousands separator
# Okabe-Ito colours: told apart by colour-blind readers; quarters are also written in text.
QUARTER_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7")
BAR_COLOUR = "#0072b2"
UNKNOWN_REGION = "Région non déterminée"


@dataclass(frozen=True)
class Period:
    """The days a report covers, both included."""

    first: date
    last: date


@dataclass(frozen=True)
class ClusterSeries:
    """One cluster's articles per week of the period (zeros included), and its total."""

    name: str
    total: int
    weekly: tuple[int, ...]


@dataclass(frozen=True)
class Bar:
    """One row of a horizontal bar chart: a label, a line of detail under it, the value."""

    label: str
    value: float
    value_text: str
    detail: str = ""
    colour: str = BAR_COLOUR


@dataclass
class ReportData:
    """Everything the page shows for one period, already fetched from the database."""

    period: Period | None
    articles: int = 0
    copies: int = 0
    sources: int = 0
    mentions_by_kind: dict[str, int] = field(default_factory=dict)
    weeks: list[date] = field(default_factory=list)
    clusters: list[ClusterSeries] = field(default_factory=list)
    funding: list[dict[str, Any]] = field(default_factory=list)
    # National and European envelopes quoted in the period: events and total, left out of
    # the régions' chart.
    beyond_regions: dict[str, Any] = field(default_factory=dict)
    officials: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """True when the period has neither an article nor a mention."""
        return not self.articles and not any(self.mentions_by_kind.values())


# --- data -----------------------------------------------------------------------------------


def fetch_rows(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Run `sql/report/<name>.sql` with bound parameters; rows as dicts.

    A snapshot published before the views existed fails with a hint to publish again.
    """
    sql = (REPORT_SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
    try:
        cursor = con.execute(sql, params or None)
    except duckdb.CatalogException as exc:
        first_line = str(exc).splitlines()[0]
        raise UserError(
            f"the database lacks what the report reads ({first_line}); "
            "rebuild it with `veille publish`"
        ) from exc
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def resolve_period(
    data_first: date | None,
    data_last: date | None,
    first: date | None = None,
    last: date | None = None,
    days: int = DEFAULT_DAYS,
) -> Period | None:
    """The period asked for; a missing end defaults to the data's last day (or to the start, when
    that is later) and a missing start to `days` days before the end, not before the data's first
    day. None: no date given and no data, nothing to report."""
    if last is None:
        last = (
            data_last if data_last is not None and (first is None or first <= data_last) else first
        )
    if last is None:
        return None
    if first is None:
        first = last - timedelta(days=days - 1)
        if data_first is not None and data_first <= last:
            first = max(first, data_first)
    if last < first:
        raise UserError(f"--to {last} is before --from {first}")
    return Period(first, last)


def period_weeks(period: Period) -> list[date]:
    """The Monday of every week the period touches (DuckDB's `date_trunc('week', ...)`)."""
    monday = period.first - timedelta(days=period.first.weekday())
    weeks = []
    while monday <= period.last:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def cluster_series(rows: Sequence[dict[str, Any]], weeks: Sequence[date]) -> list[ClusterSeries]:
    """Turn `cluster_weeks.sql` rows into one series per cluster, with zero for quiet weeks."""
    position = {week: i for i, week in enumerate(weeks)}
    series: dict[str, tuple[str, int, list[int]]] = {}
    for row in rows:
        name, total, counts = series.setdefault(
            row["entity_id"], (row["cluster"] or row["entity_id"], row["total"], [0] * len(weeks))
        )
        if row["week"] in position:
            counts[position[row["week"]]] = row["articles"]
    return [ClusterSeries(name, total, tuple(counts)) for name, total, counts in series.values()]


def load_report_data(
    con: duckdb.DuckDBPyConnection, first: date | None = None, last: date | None = None
) -> ReportData:
    """Fetch everything the report shows for the period asked (see `resolve_period`)."""
    bounds = fetch_rows(con, "data_bounds")[0]
    period = resolve_period(bounds["first_day"], bounds["last_day"], first, last)
    if period is None:
        return ReportData(None)
    between = {"from": period.first, "to": period.last}
    counts = fetch_rows(con, "article_counts", between)[0]
    weeks = period_weeks(period)
    return ReportData(
        period=period,
        articles=counts["articles"],
        copies=counts["copies"],
        sources=counts["sources"],
        mentions_by_kind={
            r["kind"]: r["mentions"] for r in fetch_rows(con, "mention_counts", between)
        },
        weeks=weeks,
        clusters=cluster_series(
            fetch_rows(con, "cluster_weeks", {**between, "limit": TOP_CLUSTERS}), weeks
        ),
        funding=fetch_rows(con, "funding_by_region", between),
        beyond_regions=fetch_rows(con, "funding_beyond_regions", between)[0],
        officials=fetch_rows(con, "top_officials", {**between, "limit": TOP_OFFICIALS}),
        events=fetch_rows(con, "biggest_funding", {**between, "limit": TOP_EVENTS}),
        quotes=fetch_rows(con, "official_quotes", {**between, "limit": QUOTES}),
    )


# --- French formatting ----------------------------------------------------------------------


def format_int(number: int) -> str:
    """A whole number the French way: 12 345 with a narrow no-break space."""
    return f"{number:,}".replace(",", THIN_NBSP)


def format_eur(amount: float) -> str:
    """A compact amount in French notation: 1,2 M€, 350 k€, 1,21 Md€, 800 € (3 figures)."""
    for scale, unit in ((1e9, "Md€"), (1e6, "M€"), (1e3, "k€")):
        if abs(amount) >= scale * 0.9995:  # 999 600 € reads 1 M€, not 1 000 k€
            value = amount / scale
            text = f"{value:.3g}" if abs(value) < 1000 else format_int(round(value))
            return f"{text.replace('.', ',')}{NBSP}{unit}"
    return f"{format_int(round(amount))}{NBSP}€"


def format_eur_exact(amount: float) -> str:
    """An amount to the euro, for the tables under the charts: 1 200 000 €."""
    return f"{format_int(round(amount))}{NBSP}€"


def format_day(day: date) -> str:
    """A date as French readers write it: 1er novembre 2026, 15 novembre 2026."""
    return long_date(day)


def format_short_day(day: date) -> str:
    """A compact date for chart axes: 2 nov."""
    return short_date(day)


def format_quarter(quarter: date) -> str:
    """A quarter from its first day: T4 2026."""
    return f"T{(quarter.month - 1) // 3 + 1} {quarter.year}"


def plural(count: int, singular: str, plural_form: str) -> str:
    """`count` with the right form of the noun (French: 0 and 1 take the singular)."""
    return f"{format_int(count)} {singular if count < 2 else plural_form}"


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis (charts have no room for long names)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def safe_url(url: str | None) -> str | None:
    """The URL when it is plain http(s), else None: scraped links may say `javascript:`."""
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


# --- charts ---------------------------------------------------------------------------------


def _svg_open(chart_id: str, width: int, height: int, title: str, desc: str) -> str:
    """The opening of an accessible chart: role="img", labelled by its <title> and <desc>."""
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )


def _text(x: float, y: float, content: str, css_class: str = "", anchor: str = "start") -> str:
    """An SVG text element with `content` escaped."""
    klass = f' class="{css_class}"' if css_class else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{klass}>{escape(content)}</text>'


def _label(x: float, y: float, content: str, limit: int, css_class: str = "") -> str:
    """A right-aligned label cut to `limit` characters, the full text as its tooltip if cut."""
    short = shorten(content, limit)
    if short == content:
        return _text(x, y, content, css_class, "end")
    klass = f' class="{css_class}"' if css_class else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="end"{klass}>'
        f"<title>{escape(content)}</title>{escape(short)}</text>"
    )


def bar_chart(chart_id: str, bars: Sequence[Bar], title: str, desc: str) -> str:
    """Horizontal bars, one per row, label (and detail line) on the left, value at the bar's end."""
    width, label_width, value_room, top = 760, 300, 90, 6
    row_height = 38 if any(b.detail for b in bars) else 26
    plot_x = label_width + 10
    plot_width = width - plot_x - value_room
    highest = max((b.value for b in bars), default=0) or 1
    height = top * 2 + row_height * len(bars)
    parts = [_svg_open(chart_id, width, height, title, desc)]
    for i, bar in enumerate(bars):
        y = top + i * row_height
        if bar.detail:
            parts.append(_label(label_width, y + 15, bar.label, 42))
            parts.append(_label(label_width, y + 31, bar.detail, 48, "detail"))
        else:
            parts.append(_label(label_width, y + 17, bar.label, 42))
        length = max(1.0, bar.value / highest * plot_width)
        bar_y = y + (row_height - 16) / 2
        tooltip = f"{bar.label}{' — ' + bar.detail if bar.detail else ''} : {bar.value_text}"
        parts.append(
            f'<rect x="{plot_x}" y="{bar_y:.1f}" width="{length:.1f}" height="16" '
            f'fill="{bar.colour}"><title>{escape(tooltip)}</title></rect>'
        )
        parts.append(_text(plot_x + length + 6, bar_y + 12.5, bar.value_text, "value"))
    parts.append("</svg>")
    return "".join(parts)


def cluster_chart(chart_id: str, clusters: Sequence[ClusterSeries], weeks: Sequence[date]) -> str:
    """Small multiples: one row of weekly columns per cluster, on one shared scale."""
    width, label_width, total_room, top, row_height, axis = 760, 230, 100, 6, 40, 22
    plot_x = label_width + 12
    plot_width = width - plot_x - total_room
    highest = max((max(c.weekly, default=0) for c in clusters), default=0) or 1
    slot = plot_width / max(1, len(weeks))
    column = min(36.0, max(2.0, slot * 0.7))
    height = top + row_height * len(clusters) + axis
    leader = clusters[0] if clusters else None
    desc = (
        f"Articles par semaine pour les {len(clusters)} pôles et clusters les plus cités, "
        f"sur une échelle commune (maximum : {highest} articles en une semaine)."
        + (
            f" En tête : {leader.name}, {plural(leader.total, 'article', 'articles')}."
            if leader
            else ""
        )
    )
    parts = [_svg_open(chart_id, width, height, "Articles par semaine et par cluster", desc)]
    for i, series in enumerate(clusters):
        y = top + i * row_height
        base = y + row_height - 8
        parts.append(_label(label_width, y + row_height / 2 + 4, series.name, 32))
        parts.append(
            f'<line x1="{plot_x}" y1="{base}" x2="{plot_x + plot_width:.1f}" y2="{base}" '
            'class="axis"/>'
        )
        for j, (week, count) in enumerate(zip(weeks, series.weekly, strict=True)):
            if not count:
                continue
            bar_height = count / highest * (row_height - 14)
            x = plot_x + j * slot + (slot - column) / 2
            tooltip = (
                f"{series.name}, semaine du {format_day(week)} : "
                f"{plural(count, 'article', 'articles')}"
            )
            parts.append(
                f'<rect x="{x:.1f}" y="{base - bar_height:.1f}" width="{column:.1f}" '
                f'height="{bar_height:.1f}" fill="{BAR_COLOUR}"><title>{escape(tooltip)}</title>'
                "</rect>"
            )
        parts.append(
            _text(
                plot_x + plot_width + 10,
                y + row_height / 2 + 4,
                plural(series.total, "article", "articles"),
                "value",
            )
        )
    every = max(1, -(-len(weeks) // 8))  # at most 8 dates on the axis
    axis_y = top + row_height * len(clusters) + 14
    for j, week in enumerate(weeks):
        if j % every == 0:
            x = plot_x + j * slot + slot / 2
            parts.append(_text(x, axis_y, format_short_day(week), "tick", "middle"))
    parts.append("</svg>")
    return "".join(parts)


def order_funding(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """`funding_by_region.sql` rows, régions by total (largest first), quarters in order."""
    totals: dict[str | None, float] = {}
    for row in rows:
        totals[row["region"]] = totals.get(row["region"], 0.0) + row["total_eur"]
    return sorted(
        rows,
        key=lambda r: (-totals[r["region"]], r["region"] is None, r["region"] or "", r["quarter"]),
    )


def funding_bars(rows: Sequence[dict[str, Any]]) -> list[Bar]:
    """One bar per région and quarter, the quarter and number of events under the région."""
    return [
        Bar(
            label=row["region"] or UNKNOWN_REGION,
            detail=f"{format_quarter(row['quarter'])} · "
            + plural(row["events"], "événement", "événements"),
            value=row["total_eur"],
            value_text=format_eur(row["total_eur"]),
            colour=QUARTER_COLOURS[(row["quarter"].month - 1) // 3],
        )
        for row in order_funding(rows)
    ]


def official_bars(rows: Sequence[dict[str, Any]]) -> list[Bar]:
    """Bars for `top_officials.sql` rows: the name, then role and organisation under it."""
    return [
        Bar(
            label=row["name"] or row["person_id"],
            detail=", ".join(part for part in (row["role"], row["org"]) if part),
            value=row["articles"],
            value_text=plural(row["articles"], "article", "articles"),
        )
        for row in rows
    ]


# --- page -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SafeCell:
    """A table cell rendered beforehand (a `<time>`, a link): `html` is already escaped markup,
    written as is, and `css_class` the cell's class, if any."""

    html: str
    css_class: str = ""


def _cell(value: Any) -> str:
    """One `<td>`: a SafeCell as rendered, any other value as escaped text."""
    if isinstance(value, SafeCell):
        klass = f' class="{value.css_class}"' if value.css_class else ""
        return f"<td{klass}>{value.html}</td>"
    return f"<td>{escape('' if value is None else str(value))}</td>"


def data_table(
    caption: str | None,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    folded: bool = True,
) -> str:
    """A table of text cells (escaped) and SafeCells; folded: under a "Voir les chiffres"
    summary, as the figures of a chart are (for screen readers and copy-paste)."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    titled = "" if caption is None else f"<caption>{escape(caption)}</caption>"
    table = f"<table>{titled}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f"<details><summary>Voir les chiffres</summary>{table}</details>" if folded else table


def _source_link(row: dict[str, Any]) -> str:
    """The outlet's name, linked to the article when its URL is plain http(s)."""
    source = escape(row.get("source") or "")
    url = safe_url(row.get("url"))
    if url is None:
        return source
    title = escape(row.get("title") or "", quote=True)
    return f'<a href="{escape(url, quote=True)}" title="{title}" rel="noreferrer">{source}</a>'


def intro_html(data: ReportData) -> str:
    """The opening paragraph: articles, sources and mentions by kind in the period."""
    articles = plural(data.articles, "article", "articles")
    sources = plural(data.sources, "source", "sources")
    copies = (
        f" (dont {plural(data.copies, 'reprise', 'reprises')} d’un autre article)"
        if data.copies
        else ""
    )
    order = [k for k in KIND_LABELS if k in data.mentions_by_kind]
    order += [k for k in data.mentions_by_kind if k not in KIND_LABELS]
    kinds = [
        plural(data.mentions_by_kind[kind], *KIND_LABELS.get(kind, (kind, kind))) for kind in order
    ]
    if len(kinds) > 1:
        kinds = [", ".join(kinds[:-1]) + " et " + kinds[-1]]
    found = f" On y relève {kinds[0]}." if kinds else " Aucune mention n’y a été relevée."
    return f'<p class="intro">{escape(f"{articles} lus dans {sources}{copies}.{found}")}</p>'


def _empty_section(section_id: str, heading: str, message: str) -> str:
    """A section with nothing to show for the period: its heading and a sentence saying so."""
    return f'<section id="{section_id}">{heading}<p class="empty">{escape(message)}</p></section>'


def clusters_section(data: ReportData) -> str:
    """Chart 1: weekly articles for the most named clusters."""
    intro = (
        "<h2>Pôles et clusters les plus cités</h2><p>Nombre d’articles qui nomment chacun des "
        f"{TOP_CLUSTERS} pôles ou clusters les plus cités, semaine par semaine.</p>"
    )
    if not data.clusters:
        return _empty_section("clusters", intro, "Aucun pôle ni cluster cité sur la période.")
    headers = ["Pôle ou cluster", *(f"Sem. du {format_short_day(w)}" for w in data.weeks), "Total"]
    rows = [[c.name, *c.weekly, c.total] for c in data.clusters]
    return (
        f'<section id="clusters">{intro}<figure>'
        f"{cluster_chart('chart-clusters', data.clusters, data.weeks)}"
        "<figcaption>Chaque colonne est une semaine (du lundi au dimanche) ; même échelle pour "
        "toutes les lignes.</figcaption></figure>"
        f"{data_table('Articles par semaine', headers, rows)}</section>"
    )


def beyond_regions_note(beyond: dict[str, Any]) -> str:
    """The sentence saying which national or European envelopes the régions' chart leaves out
    (nothing when there are none): a 1,2 Md€ national plan quoted in a regional article is not
    that région's money."""
    if not beyond or not beyond.get("events"):
        return ""
    envelopes = plural(
        beyond["events"],
        "enveloppe nationale ou européenne",
        "enveloppes nationales ou européennes",
    )
    return (
        f'<p class="note">Hors de ce total : {escape(envelopes)} '
        f"({escape(format_eur(beyond['total_eur']))}).</p>"
    )


def funding_section(data: ReportData) -> str:
    """Chart 2: counted funding by région and quarter."""
    intro = (
        "<h2>Financements par région et trimestre</h2><p>Montants annoncés dans les articles de "
        "la période ; un montant repris par un autre article ou répété dans le même n’est "
        "compté qu’une fois. Seuls comptent les financements qui arrivent dans une région "
        "(locaux ou régionaux).</p>" + beyond_regions_note(data.beyond_regions)
    )
    if not data.funding:
        return _empty_section("financements", intro, "Aucun financement chiffré sur la période.")
    bars = funding_bars(data.funding)
    total = sum(b.value for b in bars)
    top = bars[0]
    desc = (
        f"Total de la période : {format_eur(total)}. Montant le plus élevé : {top.label}, "
        f"{top.detail}, {top.value_text}."
    )
    chart = bar_chart("chart-funding", bars, "Financements par région et trimestre", desc)
    rows = [
        [
            r["region"] or UNKNOWN_REGION,
            format_quarter(r["quarter"]),
            r["events"],
            format_eur(r["total_eur"]),
            format_eur_exact(r["total_eur"]),
        ]
        for r in order_funding(data.funding)
    ]
    headers = ["Région", "Trimestre", "Événements", "Montant", "Montant exact"]
    return (
        f'<section id="financements">{intro}<figure>{chart}<figcaption>Total de la période : '
        f"{escape(format_eur(total))}. Couleur des barres : le trimestre, écrit aussi sous la "
        "région.</figcaption></figure>"
        f"{data_table('Financements par région et trimestre', headers, rows)}</section>"
    )


def officials_section(data: ReportData) -> str:
    """Chart 3: the officials named in most articles."""
    intro = (
        "<h2>Responsables les plus cités</h2><p>Nombre d’articles de la période qui nomment "
        "chaque responsable, avec sa dernière fonction connue.</p>"
    )
    if not data.officials:
        return _empty_section("responsables", intro, "Aucun responsable cité sur la période.")
    bars = official_bars(data.officials)
    desc = (
        f"Les {len(bars)} responsables les plus cités ; "
        f"en tête : {bars[0].label}, {bars[0].value_text}."
    )
    chart = bar_chart("chart-officials", bars, "Responsables les plus cités", desc)
    rows = [[r["name"], r["role"], r["org"], r["articles"], r["sources"]] for r in data.officials]
    headers = ["Nom", "Fonction", "Organisation", "Articles", "Sources"]
    return (
        f'<section id="responsables">{intro}<figure>{chart}</figure>'
        f"{data_table('Responsables les plus cités', headers, rows)}</section>"
    )


def events_section(data: ReportData) -> str:
    """The table of the period's biggest funding events."""
    title = "<h2>Les plus gros financements de la période</h2>"
    if not data.events:
        return _empty_section("evenements", title, "Aucun financement chiffré sur la période.")
    rows = []
    for event in data.events:
        amount = format_eur(event["amount_eur"])
        if event["amount_max_eur"]:
            amount += f" à {format_eur(event['amount_max_eur'])}"
        day = event["day"]
        rows.append(
            [
                SafeCell(f'<time datetime="{day.isoformat()}">{escape(format_day(day))}</time>'),
                SafeCell(escape(amount), "num"),
                event["funder"],
                event["recipient"],
                event["instrument"],
                SCOPE_LABELS.get(event["scope"], event["scope"]),
                SafeCell(_source_link(event)),
            ]
        )
    headers = ["Date", "Montant", "Financeur", "Bénéficiaire", "Dispositif", "Portée", "Source"]
    table = data_table(None, headers, rows, folded=False)
    return f'<section id="evenements">{title}{table}</section>'


def quotes_section(data: ReportData) -> str:
    """The latest quote of each quoted official."""
    title = "<h2>Ce qu’ils ont dit</h2>"
    if not data.quotes:
        return _empty_section("citations", title, "Aucune citation de responsable sur la période.")
    items = []
    for quote in data.quotes:
        who = ", ".join(escape(p) for p in (quote["speaker"], quote["role"], quote["org"]) if p)
        items.append(
            f"<li><blockquote><p>« {escape(shorten(quote['quote'] or '', 400))} »</p></blockquote>"
            f'<p class="who">— {who}, {_source_link(quote)}, '
            f'<time datetime="{quote["day"].isoformat()}">{escape(format_day(quote["day"]))}'
            "</time></p></li>"
        )
    return f'<section id="citations">{title}<ul class="quotes">{"".join(items)}</ul></section>'


STYLE = """
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a;
       background: #fff; margin: 0; }
main { max-width: 820px; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin-bottom: .25rem; }
h2 { font-size: 1.25rem; margin-top: 2.5rem; border-bottom: 2px solid #0072b2; }
.meta, figcaption, .who, .note { color: #555; font-size: .9rem; }
.empty { font-style: italic; color: #555; }
figure { margin: 1rem 0; }
svg.chart { max-width: 100%; height: auto; }
svg.chart text { font: 13px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
                 fill: #1a1a1a; }
svg.chart text.detail, svg.chart text.tick { font-size: 11px; fill: #555; }
svg.chart .axis { stroke: #999; stroke-width: 1; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .5rem 0; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .4rem; text-align: left;
         vertical-align: top; }
td.num { white-space: nowrap; text-align: right; }
details { margin: .5rem 0 1rem; }
summary { cursor: pointer; color: #0057a0; }
ul.quotes { list-style: none; padding: 0; }
ul.quotes li { margin: 0 0 1.25rem; }
blockquote { margin: 0; padding-left: 1rem; border-left: 4px solid #e69f00; }
blockquote p { margin: 0; }
.who { margin: .25rem 0 0 1rem; }
a { color: #0057a0; }
@media print { details > table { display: table; } summary { display: none; } }
"""

# No script and no remote load, even if a value slipped through unescaped.
CSP = "default-src 'none'; style-src 'unsafe-inline'"


def render_page(data: ReportData, database_name: str, generated: datetime) -> str:
    """The whole HTML page for `data`: head with inline CSS, intro, charts and tables."""
    if data.period is None:
        heading = "Veille économique — rapport"
        body = (
            '<p class="empty">Rien à signaler : la base ne contient encore aucune mention. '
            "Lancez la collecte (<code>veille run</code>) puis publiez la base.</p>"
        )
    else:
        first, last = data.period.first, data.period.last
        heading = f"Veille économique — rapport du {format_day(first)} au {format_day(last)}"
        if data.is_empty:
            body = (
                '<p class="empty">Rien à signaler pour cette période : aucun article ni aucune '
                f"mention entre le {escape(format_day(first))} et le "
                f"{escape(format_day(last))}.</p>"
            )
        else:
            body = "".join(
                (
                    intro_html(data),
                    clusters_section(data),
                    funding_section(data),
                    officials_section(data),
                    events_section(data),
                    quotes_section(data),
                )
            )
    made = f"{format_day(generated.date())} à {generated:%H:%M}"
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(heading)}</title><style>{STYLE}</style></head>"
        f"<body><main><header><h1>{escape(heading)}</h1>"
        f'<p class="meta">Produit le {escape(made)} à partir de la base '
        f"{escape(database_name)}.</p></header>{body}"
        '<footer><p class="note">Les mentions sont extraites automatiquement des articles ; '
        "celles que la relecture a écartées ne sont pas comptées, les corrections sont "
        "appliquées. Un article repris d’un autre ne compte pas dans les montants.</p></footer>"
        "</main></body></html>\n"
    )


def write_report(
    db_path: str | Path,
    out: str | Path,
    first: date | None = None,
    last: date | None = None,
    generated: datetime | None = None,
) -> Path:
    """Build the report of the published database at `db_path` and write it to `out` (replaced
    in one step, so an open page is never half-written); returns the path written."""
    with connect_published(db_path) as con:
        data = load_report_data(con, first, last)
    page = render_page(data, Path(db_path).name, generated or datetime.now())
    out = Path(out)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(page, encoding="utf-8")
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"cannot write the report {out}: {exc.strerror}") from exc
    return out
