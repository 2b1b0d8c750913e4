"""The page tree the article extraction reads: parsing odd input, visible text, CSS selectors."""

import pytest

from pipeline.article.html_tree import (
    InvalidSelector,
    compile_selector,
    element_text,
    parse_html,
    select,
    serialize,
)

PAGE = """<html lang="fr"><head><title>Le pôle Mer</title><style>p { color: red }</style>
<script>var tracking = "Réservé aux abonnés";</script></head>
<body><article class="story"><p>La Région <!-- pub -->Bretagne<script>x()</script> investit
<b>2,5 M€</b> dans le pôle.</p><template>gabarit</template><noscript>Activez JavaScript</noscript>
<p class="credit">Photo : DR</p></article>Texte hors article</body></html>"""


def test_visible_text_leaves_out_scripts_styles_templates_and_comments():
    root = parse_html(PAGE)
    text = element_text(root.body)
    assert "tracking" not in text and "color" not in text and "gabarit" not in text
    assert "pub" not in text
    # The text after a comment or a script is kept, in reading order.
    assert text.startswith("La Région Bretagne investit 2,5 M€ dans le pôle.")
    assert text.endswith("Activez JavaScript Photo : DR Texte hors article")


def test_unstripped_text_keeps_every_text_node_as_it_is():
    root = parse_html("<p>un <b>deux</b> trois</p>")
    assert element_text(root, "|", strip=False) == "un |deux| trois"
    assert element_text(root, "|") == "un|deux|trois"


def test_select_returns_matches_in_page_order():
    root = parse_html(PAGE)
    paragraphs = select(root, "article.story p")
    assert [p.get("class") for p in paragraphs] == [None, "credit"]
    assert select(root, "p.absent") == []


@pytest.mark.parametrize("selector", ["article >", "p::before", "div[", ""])
def test_a_broken_selector_says_why(selector):
    with pytest.raises(InvalidSelector) as raised:
        compile_selector(selector)
    assert str(raised.value)


@pytest.mark.parametrize("html", ["", "   \n\t", "\x00\x00"])
def test_a_page_without_anything_is_none(html):
    assert parse_html(html) is None


def test_an_xml_declaration_with_an_encoding_is_accepted():
    # lxml refuses such a declaration in a str; the page is already decoded, so it is ignored.
    html = (
        '<?xml version="1.0" encoding="iso-8859-1"?><html><body><p>Créée à Brest</p></body></html>'
    )
    root = parse_html(html)
    assert element_text(root) == "Créée à Brest"


def test_text_alone_becomes_a_document():
    root = parse_html("Seulement du texte, sans balise.")
    assert root.tag == "html"
    assert element_text(root) == "Seulement du texte, sans balise."


def test_deep_nesting_keeps_its_text():
    # Past 256 levels, libxml2 stops unless told otherwise; generated pages do go that deep.
    html = "<p>début</p>" + "<div>" * 1000 + "fond" + "</div>" * 1000 + "<p>fin</p>"
    assert element_text(parse_html(html)) == "début fond fin"


def test_absurd_nesting_neither_raises_nor_hangs():
    root = parse_html("<div>" * 20000 + "fond" + "</div>" * 20000)
    assert root is None or isinstance(element_text(root), str)


def test_a_dropped_element_leaves_the_text_after_it():
    root = parse_html("<p>avant <span class='pub'>publicité</span> après</p>")
    for element in select(root, ".pub"):
        element.drop_tree()
    assert " ".join(element_text(root).split()) == "avant après"
    assert "publicité" not in serialize(root)
