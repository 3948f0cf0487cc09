"""Reading ``queries/``: the named research queries, their documentation and typed parameters.

Each ``.rq`` file starts with a comment header::

    # title: Actions with their status and cluster
    # title@nl: Acties met hun status en cluster
    # description: ...
    # description@nl: ...
    # param code: string? — only this action code

A parameter is a SPARQL variable of the query. A value is first turned into a typed RDF term
(an http(s) IRI, a date, a literal with its quotes escaped by the RDF library) and then bound with
a ``VALUES`` block at the top of the query's WHERE group, the way rdflib's SPARQLStore binds
``initBindings`` for remote endpoints. The value never becomes query syntax, so it cannot change
what the query does; and the same bound query runs on the embedded store and on any remote
SPARQL 1.1 endpoint (pyoxigraph's own substitution only reaches projected variables).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from .namespaces import XSD

HEADER = re.compile(r"^#\s*(?P<key>title|description)(?:@(?P<lang>[a-z]{2}))?\s*:\s*(?P<value>.+?)\s*$")
PARAM = re.compile(
    r"^#\s*param\s+(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<type>[a-z]+)(?:@(?P<lang>[a-z]{2}))?(?P<optional>\?)?"
    r"(?:\s*=\s*(?P<default>[^—]+?))?\s*(?:—\s*(?P<doc>.*))?$"
)
TYPES = ("string", "iri", "integer", "decimal", "date", "boolean")
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class QueryError(Exception):
    """A query file is malformed, or a parameter value does not fit its type."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    required: bool
    description: str
    default: str | None = None
    lang: str | None = None

    def term(self, value: str) -> ox.NamedNode | ox.Literal:
        """The RDF term for a value given as text; a value that does not fit the type is refused."""
        kind = self.type
        try:
            if kind == "iri":
                if not re.match(r"^https?://[^\s<>\"{}|^`\\]+$", value):
                    raise ValueError("not an http(s) IRI")
                return ox.NamedNode(value)
            if kind == "integer":
                return ox.Literal(str(int(value)), datatype=ox.NamedNode(str(XSD.integer)))
            if kind == "decimal":
                return ox.Literal(str(Decimal(value)), datatype=ox.NamedNode(str(XSD.decimal)))
            if kind == "date":
                return ox.Literal(date.fromisoformat(value).isoformat(), datatype=ox.NamedNode(str(XSD.date)))
            if kind == "boolean":
                if value.lower() not in ("true", "false"):
                    raise ValueError("not true or false")
                return ox.Literal(value.lower(), datatype=ox.NamedNode(str(XSD.boolean)))
        except (ValueError, InvalidOperation) as exc:
            raise QueryError(f"parameter {self.name!r}: {value!r} is not a valid {kind} ({exc})") from exc
        if self.lang:
            return ox.Literal(value, language=self.lang)
        return ox.Literal(value)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    parameters: tuple[Parameter, ...]
    text: str
    path: Path

    def title(self, lang: str = "en") -> str:
        return self.titles.get(lang) or self.titles.get("en") or self.name

    def description(self, lang: str = "en") -> str:
        return self.descriptions.get(lang) or self.descriptions.get("en") or ""

    def bound(self, values: dict[str, str]) -> str:
        """The query text with the given parameter values bound (see the module docstring)."""
        return bind(self.text, self.substitutions(values))

    def substitutions(self, values: dict[str, str]) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
        """Typed terms for the given values; unknown names and missing required ones are refused."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise QueryError(
                f"query {self.name!r} has no parameter {unknown[0]!r} (parameters: {', '.join(known) or 'none'})"
            )
        bound: dict[ox.Variable, ox.NamedNode | ox.Literal] = {}
        for parameter in self.parameters:
            value = values.get(parameter.name, parameter.default)
            if value is None:
                if parameter.required:
                    raise QueryError(f"query {self.name!r} needs parameter {parameter.name!r}")
                continue
            bound[ox.Variable(parameter.name)] = parameter.term(value)
        return bound


WHERE_OPEN = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def bind(text: str, bindings: dict[ox.Variable, ox.NamedNode | ox.Literal]) -> str:
    """Bind variables to RDF terms with a VALUES block opening the outermost WHERE group."""
    if not bindings:
        return text
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    match = WHERE_OPEN.search(body)
    if match is None:
        raise QueryError("a parameterised query needs a WHERE clause")
    names = sorted(bindings, key=lambda v: v.value)
    row = " ".join(str(bindings[v]) for v in names)
    values = f"\n  VALUES ({' '.join(str(v) for v in names)}) {{ ({row}) }}\n"
    return body[: match.end()] + values + body[match.end() :]


def parse_query_file(path: Path) -> NamedQuery:
    name = path.stem
    if not NAME.match(name):
        raise QueryError(f"{path}: query file names are lowercase words joined by hyphens")
    text = path.read_text(encoding="utf-8")
    titles: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    parameters: list[Parameter] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        if m := HEADER.match(line):
            target = titles if m.group("key") == "title" else descriptions
            target[m.group("lang") or "en"] = m.group("value")
        elif line.lstrip("# ").startswith("param"):
            p = PARAM.match(line)
            if not p or p.group("type") not in TYPES:
                raise QueryError(f"{path}:{number}: malformed parameter line (expected '# param name: type[?] — doc')")
            if not re.search(rf"\?{p.group('name')}\b", text):
                raise QueryError(f"{path}:{number}: parameter {p.group('name')!r} is not a variable of the query")
            parameters.append(
                Parameter(
                    name=p.group("name"),
                    type=p.group("type"),
                    required=not p.group("optional") and p.group("default") is None,
                    description=(p.group("doc") or "").strip(),
                    default=p.group("default"),
                    lang=p.group("lang"),
                )
            )
    for lang in ("en", "nl"):
        if lang not in titles:
            raise QueryError(
                f"{path}:1: missing '# title@{lang}:' header"
                if lang == "nl"
                else f"{path}:1: missing '# title:' header"
            )
        if lang not in descriptions:
            raise QueryError(f"{path}:1: missing description header for language {lang}")
    return NamedQuery(name, titles, descriptions, tuple(parameters), text, path)


def load_queries(folder: Path) -> dict[str, NamedQuery]:
    """All named queries of the folder, by name."""
    return {path.stem: parse_query_file(path) for path in sorted(folder.glob("*.rq"))}


def parse_params(pairs: list[str]) -> dict[str, str]:
    """``["key=value", ...]`` from the command line into a dict."""
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise QueryError(f"parameter {pair!r} is not of the form key=value")
        values[key.strip()] = value
    return values
