from policykg.text import Text, join_lines, sentences


def test_spans_quote_the_lines():
    text = Text.from_string("doc", "een\n  twee  drie \nvier")
    span = text.span(2, 3)
    assert (span.start, span.end, span.quote) == (2, 3, "twee drie vier")


def test_join_lines_mends_hyphenation_and_keeps_paragraphs():
    # The hyphen stays: the text alone cannot tell "Procureurs-generaal" from a broken "werk-groep".
    assert (
        join_lines(["De werk-", "groep kwam samen.", "", "Nieuwe alinea."])
        == "De werk-groep kwam samen.\n\nNieuwe alinea."
    )
    assert join_lines(["provincie West-", "Vlaanderen"]) == "provincie West-Vlaanderen"
    assert join_lines(["de politie- en", "veiligheidsdiensten"]) == "de politie- en veiligheidsdiensten"


def test_sentences_know_their_lines_and_skip_abbreviations():
    text = Text.from_string("doc", "Eerste zin o.a. met\nVVSG. Tweede\nzin op regel drie.\nDerde.")
    found = sentences(text)
    assert [s.text for s in found] == ["Eerste zin o.a. met VVSG.", "Tweede zin op regel drie.", "Derde."]
    assert [(s.span.start, s.span.end) for s in found] == [(1, 2), (2, 3), (4, 4)]
