"""The concept note parser on the real concept note (002), checked against its text."""

from pathlib import Path

import pytest

from policykg.concept_note import parse
from policykg.text import Text

SOURCE = Path(__file__).parent.parent / "data" / "sources" / "002_e7a40596613b8985.txt"


@pytest.fixture(scope="module")
def note():
    return parse(Text.read(SOURCE))


def test_eleven_fields_of_action(note):
    fields = note.fields_of_action
    assert [f.number for f in fields] == list(range(1, 12))
    # Titles as the note words them (section 3. ACTIETERREINEN); the first breaks over a blank line.
    assert (
        fields[0].title
        == "We zorgen voor informatiedeling, afstemming en coördinatie, intern en met de andere overheden."
    )
    assert (fields[0].span.start, fields[0].span.end) == (116, 118)
    assert fields[10].title == "We maken werk van een actieve Vlaamse publieksdiplomatie."
    assert note.problems == ()


def test_platform_members_from_both_sentences(note):
    [platform] = note.collaborations
    assert platform.name.text == "Vlaams Platform radicalisering"
    by_line = {}
    for m in platform.members:
        by_line.setdefault(m.span.start, []).append((m.text, m.role))
    # "samengesteld uit ambtenaren van onder meer de beleidsdomeinen Welzijn, Onderwijs, Jeugd, Werk, en
    # Integratie, aangevuld met een afgevaardigde van de Vlaamse Vereniging voor Steden en Gemeenten" (l. 42-44)
    assert by_line[42] == [
        ("administratie Welzijn", "member"), ("administratie Onderwijs", "member"), ("administratie Jeugd", "member"),
        ("administratie Werk", "member"), ("administratie Integratie", "member"),
        ("Vlaamse Vereniging voor Steden en Gemeenten", "member"),
    ]  # fmt: skip
    # "de administraties van Welzijn, Werk, Jeugd, de VDAB, Integratie, Stedenbeleid en Onderwijs ...
    # aangevuld met een afgevaardigde van de VVSG en een federaal ambtenaar van de FOD Binnenlandse Zaken,
    # Dienst Veiligheid en Preventie" (l. 127-131)
    assert [t for t, _ in by_line[127]] == [
        "administratie Welzijn", "administratie Werk", "administratie Jeugd", "VDAB", "administratie Integratie",
        "administratie Stedenbeleid", "administratie Onderwijs", "VVSG",
        "FOD Binnenlandse Zaken, Dienst Veiligheid en Preventie",
    ]  # fmt: skip
    coordinators = [(m.text, m.span.start) for m in platform.members if m.role == "coordinator"]
    assert coordinators == [("Agentschap Binnenlands Bestuur", 44), ("Agentschap Binnenlands Bestuur", 133)]
