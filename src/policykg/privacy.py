"""The privacy profile: people who hold no public office are pseudonymised in the release itself.

The release is what every public route serves (pages, dumps, SPARQL endpoint, network data, static
export), so rewriting it once before it is validated and published makes every route private by
construction; no route has to remember to filter. A private person is one whose registry entry has
``public_office: false`` and no ``public_role``.

For each private person the rewrite replaces

* the registry id wherever it is part of an IRI (``person/bert-pieters``,
  ``participation/.../bert-pieters-presenter``) by a pseudonym slug,
* the name and aliases wherever a literal holds them, quoted excerpts of the sources and of the
  registry file included, by the pseudonym's label,
* the statement nodes of facts whose terms changed by nodes minted from the rewritten fact, since
  the original ones are hashes of the name-bearing IRIs and would confirm a guessed name.

Pseudonyms are an HMAC of the registry id under a key (``POLICYKG_PSEUDONYM_KEY``), so they are
stable across builds (deterministic output) and cannot be recomputed from a guessed name by someone
without the key. The default key is public: a publisher sets their own.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from .namespaces import RDF
from .registry import Agent, Kind

DEFAULT_KEY = "policykg-default-pseudonym-key"
_TYPE = ox.NamedNode(str(RDF.type))
_STATEMENT = ox.NamedNode(str(RDF.Statement))
_SUBJECT = ox.NamedNode(str(RDF.subject))
_PREDICATE = ox.NamedNode(str(RDF.predicate))
_OBJECT = ox.NamedNode(str(RDF.object))


@dataclass(frozen=True)
class Pseudonym:
    registry_id: str
    names: tuple[str, ...]
    slug: str
    label: str


def is_private(agent: Agent) -> bool:
    return agent.kind is Kind.PERSON and not agent.public and not agent.extra.get("public_role")


def pseudonyms(agents: Iterable[Agent], key: str | None = None) -> list[Pseudonym]:
    """One pseudonym per private person of the registry."""
    secret = (key or os.environ.get("POLICYKG_PSEUDONYM_KEY") or DEFAULT_KEY).encode()
    out = []
    for agent in agents:
        if not is_private(agent):
            continue
        digest = hmac.new(secret, agent.id.encode(), hashlib.sha256).hexdigest()[:10]
        out.append(Pseudonym(agent.id, (agent.name, *agent.aliases), f"persoon-{digest}", f"Persoon {digest}"))
    return sorted(out, key=lambda p: p.registry_id)


class Pseudonymiser:
    """Rewrites quads so that no private person's name or name-derived id is left in them."""

    def __init__(self, people: list[Pseudonym], base: str) -> None:
        self.people = people
        self.base = base
        # Longest first, so that "Marie-Ann De Cocker" goes before a shorter alias inside it.
        names = sorted({(n, p.label) for p in people for n in p.names}, key=lambda x: -len(x[0]))
        self._labels = {n.casefold(): label for n, label in names}
        self._names = _alternation(names, r"\s+")
        # A quad that names someone has the longest word of the name, or the registry id, in its text.
        # (The longest run of ASCII letters of it: the N-Quads text is searched as bytes, lowered
        # as ASCII, which is a hundred times faster than the names' case-blind pattern.)
        words = {_ascii_core(max(n.split(), key=len)) for n, _ in names}
        ids = {_ascii_core(p.registry_id) for p in people}
        needles = words | {i for i in ids if not any(w in i for w in words)}
        # a name with no ASCII letter at all cannot be searched so: then every quad is looked at
        self._needles = None if b"" in needles else sorted(needles)
        ids = sorted(((p.registry_id, p.slug) for p in people), key=lambda x: -len(x[0]))
        self._slugs = dict(ids)
        alternatives = "|".join(re.escape(i) for i, _ in ids)
        self._ids = re.compile(rf"(?<![a-z0-9])({alternatives})(?![a-z0-9])") if ids else None

    def text(self, value: str) -> str:
        if self._names is not None:
            value = self._names.sub(lambda m: self._labels[" ".join(m.group(0).split()).casefold()], value)
        if self._ids is not None:
            value = self._ids.sub(lambda m: self._slugs[m.group(1)], value)
        return value

    def term(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(term, ox.NamedNode):
            if self._ids is None or not term.value.startswith(self.base):
                return term
            rewritten = self._ids.sub(lambda m: self._slugs[m.group(1)], term.value)
            return term if rewritten == term.value else ox.NamedNode(rewritten)
        if isinstance(term, ox.Literal):
            value = self.text(term.value)
            if value == term.value:
                return term
            if term.language:
                return ox.Literal(value, language=term.language)
            return ox.Literal(value, datatype=term.datatype)
        assert term is not None
        return term

    def quads(self, quads: Iterable[ox.Quad]) -> set[ox.Quad]:
        """The rewritten quads, statement nodes re-minted where the fact they describe changed.

        Few quads name a private person: a plain search of the dataset's N-Quads text for a word of
        each name finds them (with every quad about a statement node of theirs, whose id hashes the
        fact), and only those go through the exact patterns.
        """
        original = quads if isinstance(quads, set) else set(quads)
        touched = self._touched(original)
        if not touched:
            return original
        return (original - touched) | self._rewritten(touched)

    def _touched(self, quads: set[ox.Quad]) -> set[ox.Quad]:
        """The quads whose text may hold a private name or id, and all quads of their statement nodes."""
        if self._needles is None:
            return quads
        text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        folded = text.lower()  # bytes: ASCII letters only, which is why every needle is ASCII
        lines = {
            text[text.rfind(b"\n", 0, at) + 1 : text.find(b"\n", at) + 1]
            for needle in self._needles
            for at in _occurrences(folded, needle)
        }
        if not lines:
            return set()
        touched = set(ox.parse(b"".join(sorted(lines)), format=ox.RdfFormat.N_QUADS))
        nodes = {q.subject for q in touched if q.predicate in (_SUBJECT, _OBJECT)}
        return touched | {q for q in quads if q.subject in nodes}

    def _rewritten(self, original: set[ox.Quad]) -> set[ox.Quad]:
        parts: dict[tuple[ox.NamedNode, ox.NamedNode], dict[str, object]] = {}
        for q in original:
            if q.predicate in (_SUBJECT, _PREDICATE, _OBJECT):
                parts.setdefault((q.subject, q.graph_name), {})[q.predicate.value] = q.object
        renamed: dict[ox.NamedNode, ox.NamedNode] = {}
        for (node, graph), spo in parts.items():
            s, p, o = spo.get(_SUBJECT.value), spo.get(_PREDICATE.value), spo.get(_OBJECT.value)
            new_s, new_o = self.term(s), self.term(o)  # type: ignore[arg-type]
            if (new_s, new_o) != (s, o) and isinstance(node, ox.NamedNode):
                # the same recipe as ProvenancedDataset.fact, over the rewritten fact
                key = f"{new_s}|{p}|{new_o}|{graph}"
                prefix = node.value.rsplit("/", 1)[0]
                renamed[node] = ox.NamedNode(f"{prefix}/{hashlib.sha1(key.encode()).hexdigest()[:20]}")
        out = set()
        # Most terms recur (a subject in every fact about it) and most quads name nobody: each term is
        # rewritten once, and an unchanged quad is kept as it is.
        seen: dict[object, object] = {}

        def once(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> object:
            found = seen.get(term)
            if found is None:
                found = seen[term] = self.term(term)
            return found

        for q in original:
            s = renamed.get(q.subject) or once(q.subject)  # type: ignore[call-overload]
            o = once(q.object)  # type: ignore[arg-type]
            out.add(q if s is q.subject and o is q.object else ox.Quad(s, q.predicate, o, q.graph_name))  # type: ignore[arg-type]
        return out

    def leaks(self, text: str) -> list[str]:
        """Private names or ids still found in a text (for tests and the publisher's own checks)."""
        found = []
        if self._names is not None:
            found += [m.group(0) for m in self._names.finditer(text)]
        if self._ids is not None:
            found += [m.group(1) for m in self._ids.finditer(text)]
        return found


def _alternation(names: list[tuple[str, str]], space: str) -> re.Pattern[str] | None:
    """One case-blind pattern for all the names (in the given order), words separated by ``space``."""
    if not names:
        return None
    return re.compile("|".join(space.join(map(re.escape, n.split())) for n, _ in names), re.IGNORECASE)


def _ascii_core(word: str) -> bytes:
    """The longest run of ASCII characters in a word, lower case ("Müller" → "ller"), as bytes."""
    runs = re.findall(r"[\x00-\x7f]+", word.lower())
    return max(runs, key=len, default="").encode("ascii")


def _occurrences(text: bytes, needle: bytes) -> Iterator[int]:
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + len(needle))
