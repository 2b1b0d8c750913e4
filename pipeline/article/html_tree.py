"""A page as lxml's HTML tree, and the few reads the article extraction makes of it.

lxml's parser (libxml2) is the one BeautifulSoup drives with its "lxml" builder; working on lxml's
own tree skips the pure-Python copy BeautifulSoup builds, which cost most of the time per page.
CSS selectors are compiled to XPath by cssselect, once each. Text is read as a reader sees it:
script, style and template contents and comments are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import lxml.html
from cssselect import SelectorError
from lxml import etree
from lxml.cssselect import CSSSelector

Element = lxml.html.HtmlElement

__all__ = [
    "Element",
    "InvalidSelector",
    "attribute_names",
    "compile_selector",
    "element_text",
    "parse_html",
    "select",
    "serialize",
]

# Elements whose content is not text a reader sees.
_NOT_TEXT = frozenset({"script", "style", "template"})
# `huge_tree` lifts libxml2's limit of 256 nested elements, which badly generated pages pass;
# pages are capped at 5 MB when fetched, so its other limits are not needed.
_PARSER = lxml.html.HTMLParser(encoding="utf-8", recover=True, huge_tree=True)


class InvalidSelector(ValueError):
    """A CSS selector that does not compile."""


def parse_html(html: str) -> Element | None:
    """The page's `<html>` element, or None for a page with no markup or text at all.

    The text is handed to the parser as UTF-8 bytes: lxml refuses a `str` that carries an XML
    encoding declaration, and a page's `<meta charset>` must not re-decode text already decoded.
    """
    data = html.replace("\x00", "").encode("utf-8", errors="replace")
    if not data.strip():
        return None
    try:
        root = lxml.html.document_fromstring(data, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    return root if isinstance(root, Element) else None


@lru_cache(maxsize=256)
def compile_selector(selector: str) -> CSSSelector:
    """The compiled form of a CSS selector; raises InvalidSelector with the reason."""
    try:
        return CSSSelector(selector, translator="html")
    except SelectorError as exc:
        raise InvalidSelector(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc


def select(root: Element, selector: str) -> list[Element]:
    """The elements matching a CSS selector, in document order."""
    return [found for found in compile_selector(selector)(root) if isinstance(found, Element)]


def _strings(element: Element) -> Iterator[str]:
    """The text nodes under `element` in document order, without hidden content or comments."""
    walker = etree.iterwalk(element, events=("start", "end", "comment", "pi"))
    for event, node in walker:
        if event == "start":
            if node.tag in _NOT_TEXT:
                walker.skip_subtree()
            elif node.text:
                yield node.text
        elif node is not element and node.tail:  # "end", or a comment: the text after it
            yield node.tail


def element_text(element: Element, separator: str = " ", strip: bool = True) -> str:
    """The element's visible text; with `strip`, each text node is stripped and empty ones left
    out before joining (as a reader would copy it)."""
    if strip:
        return separator.join(piece for piece in map(str.strip, _strings(element)) if piece)
    return separator.join(_strings(element))


def attribute_names(element: Element) -> str:
    """The element's class names and id, one string for pattern tests."""
    return " ".join((element.get("class") or "").split()) + " " + (element.get("id") or "")


def serialize(root: Element) -> str:
    """The tree back to HTML text (after elements were dropped from it)."""
    return lxml.html.tostring(root, encoding="unicode")
