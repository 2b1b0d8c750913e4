from pipeline.nlp.doctools import doc_text, entity_at, sentence_ents, sentence_of, sentences_before


def test_cached_lookups_keep_labels_and_bounds(nlp):
    doc = nlp("Le prêt vient d'Initiative Pays de Morlaix. Claire Dumas, maire de Pau, approuve.")
    assert doc_text(doc) == doc.text
    ent = entity_at(doc, [t.text for t in doc].index("Claire"))
    assert (ent.text, ent.label_) == ("Claire Dumas", "PER")
    assert entity_at(doc, 0) is None
    assert sentence_of(doc, len(doc) - 1).text == "Claire Dumas, maire de Pau, approuve."
    second = sentence_of(doc, len(doc) - 1)
    labels = {(e.text, e.label_) for e in sentence_ents(doc, second.start_char, second.end_char)}
    assert ("Claire Dumas", "PER") in labels


def test_sentences_before_nearest_first_and_none_before_the_first(nlp):
    doc = nlp("Le pôle grandit. Il recrute. La Région l'aide. Elle signe.")
    last = sentence_of(doc, len(doc) - 1)
    assert [s.text for s in sentences_before(doc, last, 2)] == ["La Région l'aide.", "Il recrute."]
    assert list(sentences_before(doc, sentence_of(doc, 0), 2)) == []
