"""The source register: which documents the graph is built from, and what each of them is.

Each entry of ``data/sources/register.yaml`` becomes a :class:`Source`. A document's date keeps
its precision (day, month or year) because a report dated "2018-11" must not turn into the first of
November; its ``as_of`` day is what later tells held events from planned ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from .data import LocatedDict, LocatedList, Where
from .dates import PartialDate
from .registry import ID_RE, EntryReader

PARSERS = ("progress_report", "concept_note", "none")


@dataclass(frozen=True)
class Source:
    """One registered source document."""

    file: str
    slug: str
    title: str
    title_en: str | None
    kind: str
    date: PartialDate
    as_of: date
    publisher: str
    author: str | None
    language: str
    parser: str
    plan: str | None
    sha256: str
    origin: str
    licence: str
    where: Where


FIELDS = (
    "file", "slug", "title", "title_en", "kind", "date", "as_of", "publisher", "author", "language",
    "parser", "plan", "sha256", "origin", "licence",
)  # fmt: skip


def sources_from(doc: Any, where: Where, kinds: frozenset[str]) -> tuple[str, list[Source]]:
    """The policy slug and the sources of a located register document."""
    r = EntryReader(doc, where, ("policy", "sources"))
    policy = r.required("policy")
    entries = r.entry.get("sources")
    if not isinstance(entries, LocatedList) or not entries:
        raise r.where.error("the register needs a non-empty list 'sources'")
    sources = []
    seen: dict[str, Where] = {}
    for entry in entries:
        e = EntryReader(entry, r.where, FIELDS)
        slug = e.ident("slug")
        if not ID_RE.match(slug):
            raise e.error("slug", f"slug {slug!r} must be lowercase letters, digits and hyphens")
        for key in ("file", "slug"):
            value = e.required(key)
            if value in seen:
                raise e.error(key, f"{key} {value!r} is registered twice (first at line {seen[value].line})")
            seen[value] = e.where
        parser = e.required("parser")
        if parser not in PARSERS:
            raise e.error("parser", f"unknown parser {parser!r} (known: {', '.join(PARSERS)})")
        sha = e.required("sha256").lower()
        if not re.fullmatch(r"[0-9a-f]{64}", sha):
            raise e.error("sha256", "sha256 must be 64 hexadecimal digits")
        raw_date = entry.get("date")
        try:
            when = PartialDate.parse(raw_date.isoformat() if isinstance(raw_date, date) else str(raw_date))
        except ValueError as exc:
            raise e.error("date", str(exc)) from exc
        as_of = e.day("as_of")
        if as_of is None:
            raise e.where.error("missing required field 'as_of'")
        assert isinstance(entry, LocatedDict)
        sources.append(
            Source(
                file=e.required("file"),
                slug=slug,
                title=e.required("title"),
                title_en=e.text("title_en"),
                kind=e.code("kind", kinds, "document kind") or "",
                date=when,
                as_of=as_of,
                publisher=e.required("publisher"),
                author=e.text("author"),
                language=e.required("language"),
                parser=parser,
                plan=e.text("plan"),
                sha256=sha,
                origin=e.required("origin"),
                licence=e.required("licence"),
                where=e.where,
            )
        )
    return policy, sources
