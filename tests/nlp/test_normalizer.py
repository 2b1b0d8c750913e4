from pipeline.nlp.normalizer.normalizer import normalize_text


def test_typographic_variants_fold_to_plain_forms():
    assert normalize_text("L’agglomération « Pau Béarn »") == 'l\'agglomération " pau béarn "'
    assert normalize_text("650\u00a0000\u202f€") == "650 000 €"
    assert normalize_text("Vice\u2011présidente – Œuvre") == "vice-présidente - oeuvre"


def test_token_norms_are_set_by_the_pipeline(nlp):
    doc = nlp("« La présidente de l’agglomération »")
    assert [t.norm_ for t in doc] == ['"', "la", "présidente", "de", "l'", "agglomération", '"']
    assert [t.text for t in doc][4] == "l’"
