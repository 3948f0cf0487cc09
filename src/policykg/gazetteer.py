"""Finding registry names in running text.

A sentence is scanned left to right for the longest run of words that resolves in the registry
("de Vereniging van Vlaamse Steden en Gemeenten", "stad Mechelen", "het centraal aanspreekpunt").
Matching is case-insensitive, except that a name the registry writes with a capital only matches
a capitalised word, so the common noun "klasse" is not the magazine "Klasse". Only runs whose
first word can begin some registry name are tried, which keeps the scan linear in practice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .registry import Kind, Registry, Resolution, normalise

WORD = re.compile(r"[\w&!+’'.\-/]+")
PREFIX_WORDS = ("stad", "gemeente", "provincie")
MAX_WORDS = 14


@dataclass(frozen=True)
class Mention:
    """A registry name found in a string."""

    start: int
    end: int
    text: str
    resolution: Resolution


class Gazetteer:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.first_words: set[str] = set(PREFIX_WORDS)
        self.capitalised: set[str] = set()
        names: list[str] = []
        for agent in registry.agents.values():
            names += [agent.name, *agent.acronyms, *agent.aliases]
            names += list(agent.extra.get("row_aliases", ())) + list(agent.extra.get("action_aliases", ()))
            if agent.name_en:
                names.append(agent.name_en)
        names += [d.as_written for d in registry.decisions.values()]
        # A name the registry also writes in lower case ("platform over radicalisering en terrorisme") is a
        # description the text may use mid-sentence; only names never written so must start with a capital.
        lowercase: set[str] = set()
        for name in names:
            key = normalise(name)
            if not key:
                continue
            self.first_words.add(key.split(" ", 1)[0])
            stripped = re.sub(r"^(?:de|het|'t)\s+", "", name.strip(), flags=re.IGNORECASE)
            if stripped[:1].isupper():
                self.capitalised.add(key)
            elif stripped[:1].islower():
                lowercase.add(key)
        self.capitalised -= lowercase

    def find(
        self,
        text: str,
        kinds: Iterable[Kind] | None = None,
        competences: Iterable[str] = (),
        action: str | None = None,
    ) -> list[Mention]:
        """Registry names in ``text``, longest first, non-overlapping, in order (context as for resolve)."""
        wanted = list(kinds) if kinds is not None else None
        row = tuple(competences)
        words = [(m.start(), m.end()) for m in WORD.finditer(text)]
        found: list[Mention] = []
        i = 0
        while i < len(words):
            first = normalise(text[words[i][0] : words[i][1]]).split(" ", 1)[0] if words[i] else ""
            if first not in self.first_words and first not in ("de", "het"):
                i += 1
                continue
            match = None
            for j in range(min(len(words), i + MAX_WORDS) - 1, i - 1, -1):
                start, end = words[i][0], words[j][1]
                candidate = text[start:end].rstrip(".,;:")
                end = start + len(candidate)
                resolution = self.registry.resolve(candidate, wanted, row, action)
                if resolution is None or not resolution.agents:
                    continue
                key = normalise(candidate)
                if key in self.capitalised and not _capital_start(candidate):
                    continue
                match = Mention(start, end, candidate, resolution)
                break
            if match is None:
                match = self._compound_head(text, words[i], wanted, row, action)
            if match is None:
                i += 1
                continue
            found.append(match)
            while i < len(words) and words[i][0] < match.end:
                i += 1
        return found


    def _compound_head(
        self, text: str, word: tuple[int, int], wanted: list[Kind] | None, row: tuple[str, ...], action: str | None
    ) -> Mention | None:
        """The name before the hyphen of a compound: "VILD-bijeenkomst", "PVIM-opleiding"."""
        start, end = word
        head = text[start:end].split("-", 1)[0]
        if head == text[start:end] or not head[:1].isupper():
            return None
        resolution = self.registry.resolve(head, wanted, row, action)
        if resolution is None or not resolution.agents:
            return None
        return Mention(start, start + len(head), head, resolution)


def _capital_start(text: str) -> bool:
    """A capitalised name as the text writes it: its first word capitalised, or a later one
    ("het departement Onderwijs en Vorming"), so that only an all-lowercase phrase ("klasse") is refused."""
    stripped = re.sub(r"^(?:de|het|'t|stad|gemeente|provincie)\s+", "", text.strip(), flags=re.IGNORECASE)
    return any(word[:1].isupper() or word[:1].isdigit() for word in stripped.split())
