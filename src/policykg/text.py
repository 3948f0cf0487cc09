"""Source text as numbered lines, and spans of it.

Every extracted record keeps the span it came from (document, first and last line, the quoted
text), so the graph can say for each statement where in which document it was read. Line numbers
count from 1, as editors and ``grep -n`` show them, so a researcher can check a fact by opening
the file at that line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ABBREVIATIONS = (
    "o.a.", "bv.", "i.s.m.", "m.b.t.", "i.f.v.", "i.v.m.", "e.a.", "incl.", "nr.", "t.e.m.", "i.k.v.", "cf.",
    "vb.", "ihkv.", "i.h.k.v.", "o.l.v.", "m.a.w.", "dhr.", "mevr.", "nl.", "resp.", "ca.", "enz.",
)  # fmt: skip


def collapse(text: str) -> str:
    """Collapse all runs of whitespace to one space and strip the ends.

    ``str.split`` and the pattern ``\\s`` know the same whitespace; splitting is three times faster,
    and name matching collapses every candidate it tries.
    """
    return " ".join(text.split())


@dataclass(frozen=True)
class Span:
    """A run of lines ``start..end`` (inclusive, 1-based) of one source document."""

    doc: str
    start: int
    end: int
    quote: str

    def __post_init__(self) -> None:
        if self.start < 1 or self.end < self.start:
            raise ValueError(f"bad span {self.doc}:{self.start}-{self.end}")


@dataclass(frozen=True)
class Text:
    """The lines of one source document, addressed by 1-based line number."""

    doc: str
    lines: tuple[str, ...]

    @classmethod
    def from_string(cls, doc: str, content: str) -> Text:
        return cls(doc, tuple(content.split("\n")))

    @classmethod
    def read(cls, path: Path, doc: str | None = None) -> Text:
        return cls.from_string(doc or path.name, path.read_text(encoding="utf-8"))

    def __len__(self) -> int:
        return len(self.lines)

    def line(self, number: int) -> str:
        return self.lines[number - 1]

    def span(self, start: int, end: int | None = None) -> Span:
        """The span of lines ``start..end``; its quote is the lines with whitespace collapsed."""
        end = start if end is None else end
        quote = collapse(" ".join(self.lines[start - 1 : end]))
        return Span(self.doc, start, end, quote)


def _hyphen_break(text: str) -> bool:
    """A line ending in a hyphen attached to a word ("werk-", "West-") continues the word."""
    return len(text) > 1 and text.endswith("-") and text[-2].isalpha()


def join_lines(lines: Sequence[str]) -> str:
    """Join wrapped lines into paragraphs; a word broken at a hyphen is rejoined (hyphen kept)."""
    paragraphs: list[str] = []
    current = ""
    for raw in lines:
        line = collapse(raw)
        if not line:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        if _hyphen_break(current) and line[:1].isalpha():
            current += line
        else:
            current = f"{current} {line}" if current else line
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


LIST_ITEM = re.compile(r"^(?:[\uf0b7\uf02d\uf0a7•▪●◦]|[-–o]\s|\d{1,2}[.)]\s+(?=[A-Z‘“(]))\s*")
SENTENCE_BREAK = re.compile(r"[.!?](?=\s+[A-Z0-9•‘“(\u00C0-\u00DD]|\s*$)")


def first_sentence(text: str) -> str:
    """The first sentence of a text, not stopping at abbreviations or at a colon that opens a list."""
    flat = collapse(text)
    for match in SENTENCE_BREAK.finditer(flat):
        end = match.end()
        head = flat[:end]
        if head.endswith(ABBREVIATIONS):
            continue
        return head
    return flat


@dataclass(frozen=True)
class Sentence:
    """A sentence of running text with the lines it spans."""

    text: str
    span: Span
    list_item: bool = False
    """True if the sentence is an item of a list ("- 14 september 2016: ...")."""


def sentences(text: Text, start: int = 1, end: int | None = None) -> list[Sentence]:
    """Split lines ``start..end`` of ``text`` into sentences; see :func:`sentences_of`."""
    end = len(text) if end is None else end
    return sentences_of(text, [(n, text.line(n)) for n in range(start, end + 1)])


def sentences_of(text: Text, lines: Sequence[tuple[int, str]]) -> list[Sentence]:
    """Split numbered lines into sentences, each with the span of lines it covers.

    The lines may be a selection (a table row without its budget column) and their text may differ
    from the file's (a competence label cut off); spans still quote the file's own lines. Lines are
    joined as :func:`join_lines` does; a sentence ends at '.', '!' or '?' followed by a capital,
    unless the word before is a known abbreviation.
    """
    flat = ""
    owner: list[int] = []
    breaks: list[int] = []
    first_is_item = False
    for number, raw in lines:
        line = collapse(raw)
        if not line:
            continue
        if LIST_ITEM.match(line):
            first_is_item = first_is_item or not flat
            # A list item starts a sentence of its own, whatever ended the previous line.
            line = LIST_ITEM.sub("", line)
            if flat:
                breaks.append(len(flat) + 1)
        if _hyphen_break(flat) and line[:1].isalpha():
            pass
        elif flat:
            flat += " "
            owner.append(number)
        flat += line
        owner.extend([number] * len(line))
    ends = sorted({m.end() for m in SENTENCE_BREAK.finditer(flat)} | set(breaks))
    items = set(breaks) | ({0} if first_is_item else set())
    found: list[Sentence] = []
    begin = 0
    item = 0 in items
    for stop in ends:
        head = flat[begin:stop]
        if not head.strip() or (stop not in breaks and head.rstrip().endswith(ABBREVIATIONS)):
            continue
        found.append(_sentence(text, flat, owner, begin, stop, item))
        begin = stop
        item = stop in items
    if flat[begin:].strip():
        found.append(_sentence(text, flat, owner, begin, len(flat), item))
    return found


def _sentence(text: Text, flat: str, owner: list[int], begin: int, stop: int, item: bool = False) -> Sentence:
    chunk = flat[begin:stop]
    lead = len(chunk) - len(chunk.lstrip())
    first, last = owner[begin + lead], owner[max(begin + lead, stop - 1)]
    # The span quotes its whole lines, so that one excerpt (document, lines) has one quote.
    return Sentence(chunk.strip(), text.span(first, last), item)
