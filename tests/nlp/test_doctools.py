from pipeline.nlp.doctools import doc_text, entity_at, sentence_ents, sentence_of


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
