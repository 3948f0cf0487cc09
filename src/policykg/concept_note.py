"""Parser of a concept note: its numbered fields of action and the members of its platform.

The fields of action are the numbered items ("1. We zorgen voor ...") of the section headed
ACTIETERREINEN; an item's title is its first sentence, which the PDF text may break over a blank
line. Platform membership is stated in running sentences such as "een Vlaams Platform
radicalisering ... met daarin een afgevaardigde van de administraties van Welzijn, Werk, ... en
Onderwijs ..., aangevuld met een afgevaardigde van de VVSG en een federaal ambtenaar van de FOD
Binnenlandse Zaken, Dienst Veiligheid en Preventie"; those sentences are read with patterns and
every listed party becomes a member record with its sentence's span.
"""

from __future__ import annotations

import re

from .records import CollaborationRecord, ConceptNoteRecord, FieldOfActionRecord, MemberRecord, Named, Problem
from .text import Sentence, Text, collapse, sentences

SECTION = re.compile(r"^\s*\d+\.\s+ACTIETERREINEN\b")
NEXT_SECTION = re.compile(r"^\s*\d+\.\s+[A-Z][A-Z ,]{6,}$")
ITEM = re.compile(r"^\s*(\d{1,2})\.\s+(We\s.*)$")
SIGNATURE = re.compile(r"^\s*De Vlaamse minister van\b", re.IGNORECASE)

PLATFORM = re.compile(r"\b(?P<name>(?:Vlaams\s+)?Platform\s+radicalisering)\b", re.IGNORECASE)
COMPOSITION = re.compile(
    r"(?:samengesteld uit|met daarin)\s+(?:ambtenaren|een afgevaardigde|afgevaardigden|vertegenwoordigers)\s+van\s+"
    r"(?:onder meer\s+)?(?:de\s+)?(?P<kind>beleidsdomeinen|administraties(?:\s+van)?|diensten(?:\s+van)?)\s+"
    r"(?P<list>.+?)(?=\s+die\s+|,\s+aangevuld\b|\.|$)",
    re.IGNORECASE,
)
SUPPLEMENT = re.compile(r"aangevuld met\s+(?P<rest>.+?)\.?$", re.IGNORECASE)
DELEGATE = re.compile(
    r"^(?:een|één)\s+(?:federaal\s+)?(?:afgevaardigde|ambtenaar|vertegenwoordiger)\s+van\s+(?:de\s+|het\s+)?(?P<who>.+)$",
    re.IGNORECASE,
)
COORDINATOR = re.compile(
    r"(?:(?:Het\s+|De\s+)?(?P<a>[A-Z][\w ]+?)\s+neemt de coördinatie op zich)"
    r"|(?:coördinatie van dit overleg gebeurt door\s+(?:het\s+|de\s+)?(?P<b>[A-Z][\w ]+?)(?:\s+waar\b|\.|,|$))",
)


def parse(text: Text) -> ConceptNoteRecord:
    problems: list[Problem] = []
    fields = _fields_of_action(text, problems)
    collaborations = _platform_members(text)
    return ConceptNoteRecord(tuple(fields), tuple(collaborations), tuple(problems))


def _fields_of_action(text: Text, problems: list[Problem]) -> list[FieldOfActionRecord]:
    start = next((i for i in range(1, len(text) + 1) if SECTION.match(text.line(i))), None)
    if start is None:
        return []
    end = len(text)
    for i in range(start + 1, len(text) + 1):
        if NEXT_SECTION.match(text.line(i)) or SIGNATURE.match(text.line(i)):
            end = i - 1
            break
    fields: list[FieldOfActionRecord] = []
    for i in range(start + 1, end + 1):
        m = ITEM.match(text.line(i))
        if not m:
            continue
        number = int(m.group(1))
        expected = len(fields) + 1
        if number != expected:
            problems.append(Problem(text.doc, i, f"field of action numbered {number}, expected {expected}"))
        title_lines = [i]
        j = i + 1
        while not collapse(" ".join(text.line(k) for k in title_lines)).endswith((".", "!", "?")) and j <= end:
            if collapse(text.line(j)):
                title_lines.append(j)
            j += 1
        title = collapse(" ".join(text.line(k) for k in title_lines))
        title = re.sub(r"^\d{1,2}\.\s+", "", title)
        span = text.span(title_lines[0], title_lines[-1])
        fields.append(FieldOfActionRecord(number, title, span))
    return fields


def _split_list(items: str) -> list[str]:
    """'Welzijn, Werk, Jeugd, de VDAB, Integratie, Stedenbeleid en Onderwijs' → the seven names."""
    parts = re.split(r",\s*(?:en\s+)?|\s+en\s+", items)
    return [collapse(re.sub(r"^(?:de|het)\s+", "", p.strip(" ,"))) for p in parts if p.strip(" ,")]


def _members_in(sentence: Sentence) -> list[MemberRecord]:
    members: list[MemberRecord] = []
    comp = COMPOSITION.search(sentence.text)
    if comp:
        sector_list = comp.group("list")
        for item in _split_list(sector_list):
            # "de VDAB" names an organisation; a bare sector name means that sector's administration.
            written_with_article = re.search(rf"\b(?:de|het)\s+{re.escape(item)}\b", sector_list)
            name = item if written_with_article else f"administratie {item}"
            members.append(MemberRecord(name, "member", sentence.span))
    supplement = SUPPLEMENT.search(sentence.text)
    if supplement:
        for part in re.split(r"\s+en\s+(?=(?:een|één)\s)", supplement.group("rest")):
            who = DELEGATE.match(part.strip())
            if who:
                members.append(MemberRecord(collapse(who.group("who")).rstrip(". "), "member", sentence.span))
    return members


def _platform_members(text: Text) -> list[CollaborationRecord]:
    found: dict[str, tuple[Named, list[MemberRecord]]] = {}
    current: str | None = None
    for sentence in sentences(text):
        platform = PLATFORM.search(sentence.text)
        members = _members_in(sentence)
        if platform and members:
            key = platform.group("name").lower()
            name = Named(platform.group("name"), sentence.span)
            found.setdefault(key, (name, []))[1].extend(members)
            current = key
            continue
        coordinator = COORDINATOR.search(sentence.text)
        if coordinator and current is not None:
            who = collapse(coordinator.group("a") or coordinator.group("b") or "")
            if who:
                found[current][1].append(MemberRecord(who, "coordinator", sentence.span))
            continue
        if platform is None and not members:
            # Membership statements run on in the sentences that follow; a new topic ends them.
            if re.search(r"\b(Deze ambtenaren|Dit overleg)\b", sentence.text):
                continue
            current = None if len(sentence.text) > 0 and not coordinator else current
    return [CollaborationRecord(name, tuple(members)) for name, members in found.values()]
