"""The main text of a page: trafilatura (or a site's CSS selector), then a boilerplate line filter.

trafilatura in precision mode is the best generic choice measured on the benchmarks
(bench/extraction_quality.py); when it keeps almost nothing, its default mode is the fallback.
"""

from __future__ import annotations

import re

import trafilatura
from lxml import etree

from pipeline.article.html_tree import Element, attribute_names, element_text, select, serialize
from pipeline.article.overrides import SiteOverrides

# Below this, precision mode threw the article away with the boilerplate: retry in default mode.
FALLBACK_BELOW_CHARS = 100
# A page with a paywall marker and fewer words than this shows only its teaser.
PAYWALL_TEASER_WORDS = 150

_BLOCKS = ("p", "div", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "dd", "dt")
_ANY_BLOCK = " or ".join(f"self::{name}" for name in _BLOCKS)
# Paragraph-like elements with no paragraph-like element inside: one line of text each.
_LEAF_BLOCKS = etree.XPath(f".//*[{_ANY_BLOCK}][not(.//*[{_ANY_BLOCK}])]")
# Lines that are page furniture whatever the site: related links, share and comment prompts,
# newsletter and subscription prompts, photo credits. Matched on the whole (short) line.
_BOILERPLATE_LINE = re.compile(
    r"""^(?:
      [àa]\s+lire\s+(?:aussi|également|egalement)\b.*
    | lire\s+(?:aussi|également|egalement|la\s+suite)\b.*
    | (?:voir|sur\s+le\s+même\s+sujet|nos\s+articles\s+sur)\b.{0,40}
    | (?:les\s+plus\s+(?:lus|commentés|partagés)|à\s+la\s+une)\s*:?
    | (?:partager|partagez)(?:\s+(?:cet\s+article|l[’']article|sur))?\s*:?.{0,60}
    | \d+\s+(?:commentaires?|réactions?)
    | (?:réagir|réagissez|commenter|commentaires?|comments?)\s*:?
    | (?:cr[ée]dits?\s+photos?|photos?\s*:|photo\s+d[’']illustration|image\s+d[’']illustration
       |image\s+illustrative|illustration\s*:|©).{0,120}
    | votre\s+(?:adresse\s+)?e-?mail\s+ne\s+sera\s+pas.*
    | nous\s+utilisons\s+des\s+cookies.*
    | (?:inscrivez-vous|abonnez-vous|recevez)\b.{0,80}(?:newsletter|lettre|abonn).*
    | (?:article\s+)?réservé\s+aux\s+abonnés.{0,40}
    | déjà\s+abonné\s*\??.{0,40}
    | il\s+vous\s+reste\s+\d+\s*%\s+de\s+cet\s+article\s+à\s+lire.*
    | la\s+suite\s+(?:de\s+cet\s+article\s+)?est\s+réservée\s+aux\s+abonnés.*
    | je\s+m[’']abonne.{0,40}
    | (?:related|read\s+more|see\s+more|also|more|you\s+may\s+also\s+like|don[’']t\s+miss
       |related\s+posts?|recommended|advertisement|share\s+this(?:\s+article)?)\b\s*[:.…]*.{0,100}
    )$""",
    re.I | re.X,
)
_MAX_BOILERPLATE_WORDS = 25
_PAYWALL_CLASS = re.compile(r"paywall|premium|abonnes?-only|subscriber|reserve-abonnes", re.I)
_PAYWALL_TEXT = re.compile(
    r"réservée?s?\s+aux\s+abonnés|déjà\s+abonné\s*\?|il\s+vous\s+reste\s+\d+\s*%"
    r"|la\s+suite\s+est\s+réservée|subscribers?\s+only",
    re.I,
)


def drop_elements(root: Element, selectors: tuple[str, ...]) -> None:
    """Remove every element matched by the selectors, in place (the text after each stays)."""
    for selector in selectors:
        for element in select(root, selector):
            if element.getparent() is not None:
                element.drop_tree()


def selected_text(root: Element, selector: str) -> str:
    """The text of the selected elements, one line per paragraph-like block, in page order."""
    lines: list[str] = []
    for element in select(root, selector):
        for block in _LEAF_BLOCKS(element) or [element]:
            line = " ".join(element_text(block).split())
            if line:
                lines.append(line)
    return "\n".join(lines)


def trafilatura_text(html: str, url: str | None) -> str:
    """trafilatura's text in precision mode, or default mode when precision kept almost nothing."""
    options = {"url": url, "include_comments": False, "include_tables": True}
    text = (trafilatura.extract(html, favor_precision=True, **options) or "").strip()
    if len(text) < FALLBACK_BELOW_CHARS:
        text = (trafilatura.extract(html, **options) or "").strip() or text
    return text


def without_boilerplate_lines(text: str) -> str:
    """Drop short lines that are page furniture: related links, credits, share or paywall notes."""
    kept = []
    for line in text.split("\n"):
        bare = " ".join(line.split()).lstrip("-•* ").strip()
        if not bare:
            continue
        if len(bare.split()) <= _MAX_BOILERPLATE_WORDS and _BOILERPLATE_LINE.match(bare):
            continue
        kept.append(line.strip())
    return "\n".join(kept)


def with_standfirst(text: str, root: Element, description: str | None) -> str:
    """Put back the standfirst (chapô) when the page shows its description as a paragraph.

    trafilatura often keeps only the `articleBody` element, losing the chapô printed above it.
    """
    wanted = " ".join((description or "").split())
    if len(wanted) < 40 or wanted in " ".join(text.split()):
        return text
    for paragraph in root.iter("p"):
        if " ".join(element_text(paragraph).split()) == wanted:
            return wanted + "\n" + text
    return text


def has_paywall_marker(root: Element) -> bool:
    """A class or id naming a paywall, or a subscribers-only notice in the page text."""
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in ("html", "body", "script", "style"):
            continue
        if _PAYWALL_CLASS.search(attribute_names(element)):
            return True
    return bool(_PAYWALL_TEXT.search(element_text(root, " ", strip=False)))


def body_text(root: Element, html: str, url: str | None, overrides: SiteOverrides | None) -> str:
    """The article body, paragraphs separated by "\\n", without boilerplate lines.

    `root` is the parsed `html`; dropped elements are removed from it in place.
    """
    if overrides and overrides.drop_selectors:
        drop_elements(root, overrides.drop_selectors)
    text = ""
    if overrides and overrides.content_selector:
        text = selected_text(root, overrides.content_selector)
    if not text:
        if overrides and overrides.drop_selectors:
            html = serialize(root)
        text = trafilatura_text(html, url)
    return without_boilerplate_lines(text)


# Placeholders of a template a script fills in the browser (AngularJS, Vue, Handlebars, Polymer,
# Jinja-like): on the page as fetched, they stand where the article's text will be.
_TEMPLATE_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\[\[.*?\]\]|\{%.*?%\}|<%.*?%>|\$\{[^}\n]*\}")
# Script or markup that leaked into the text.
_CODE_LINE = re.compile(
    r"\bfunction\s*\(|=>\s*[{(]|\b(?:var|let|const)\s+\w+\s*=|\b(?:document|window)\.\w+\s*[.(=]"
    r"|</?(?:div|span|script|p|a|img|ng-\w+)\b[^>]*>"
)


def without_non_prose(text: str) -> tuple[str, int]:
    """`text` without the lines no reader sees as prose (unrendered template placeholders,
    leaked script), and how many lines were dropped."""
    kept: list[str] = []
    dropped = 0
    for line in text.split("\n"):
        if _TEMPLATE_PLACEHOLDER.search(line) or _CODE_LINE.search(line):
            dropped += 1
        else:
            kept.append(line)
    return "\n".join(kept).strip(), dropped
