"""Linked data publication: every IRI under the base answers with HTML or RDF.

``/id/...``, ``/concept/...``, ``/graph/...`` and the catalogue's own IRIs are answered by content
negotiation (HTML, Turtle, JSON-LD, N-Triples, RDF/XML; ``Vary: Accept``) or by an explicit
extension (``.html .ttl .jsonld .nt .rdf``); the ontology and the shapes are published at their
namespace IRIs (``/ns``, ``/shapes``); the dumps, their checksums and a sitemap are under
``/dumps`` and ``/sitemap.xml``.

The data's IRIs carry the configured base (``https://w3id.org/policykg/`` by default); the service
may run anywhere, so the pages link to root-relative paths (``/id/...``) and a click stays on the
host that served the page, localhost included. :class:`Site` makes every response body; the live
router and the static export (``policykg publish --static``) both call it, so they serve the same
bytes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, PlainTextResponse, Response
from markupsafe import Markup
from markupsafe import escape as escape_html

from .config import DEFAULT_BASE, Settings
from .describe import Describer, Description, Row, Source
from .namespaces import PREFIXES
from .page_cache import ReleaseCache
from .publication import DUMP_TYPES, Release, description_triples
from .queries import QueryError, load_queries
from .results import serialise_graph
from .service import ServiceFiles
from .vocabulary_docs import VocabularyDocs

FORMATS: dict[str, str] = {
    "html": "text/html",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
}
CONTENT_TYPES = {
    fmt: media + ("; charset=utf-8" if media.startswith("text/") else "") for fmt, media in FORMATS.items()
}
ALIASES = {"application/xhtml+xml": "html", "application/x-turtle": "ttl"}
RESOURCE_ROOTS = ("id", "concept", "graph", "catalogue", "dataset", "distribution", "service", "publisher")
LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel",
          "http://purl.org/dc/terms/title", "http://xmlns.com/foaf/0.1/name")  # fmt: skip
INCOMING_SHOWN = 100
QUOTE_SHOWN = 600
TURTLE_PREFIXES = {p: str(ns) for p, ns in PREFIXES.items() if p != "concept"}
_COMPACT = sorted(((str(ns), p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))


def negotiate(accept: str | None) -> str | None:
    """The offered format the Accept header prefers most (HTML first on ties), or None if it takes none."""
    if not accept or not accept.strip():
        return "html"
    best: tuple[float, int, int] | None = None
    chosen = None
    order = list(FORMATS)
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        for rank, fmt in enumerate(order):
            offered = FORMATS[fmt]
            if media == offered or ALIASES.get(media) == fmt:
                specificity = 2
            elif media == "*/*" or (media.endswith("/*") and offered.startswith(media[:-1])):
                specificity = 0 if media == "*/*" else 1
            else:
                continue
            key = (q, specificity, -rank)
            if best is None or key > best:
                best, chosen = key, fmt
    return chosen


def split_extension(path: str) -> tuple[str, str | None]:
    for fmt in FORMATS:
        if path.endswith("." + fmt):
            return path[: -len(fmt) - 1], fmt
    return path, None


class UnionStore:
    """The release's store and the publication's own small graph, queried as one for descriptions."""

    def __init__(self, *stores: Any) -> None:
        self.stores = stores

    def select(self, text: str) -> list[Row]:
        return [row for store in self.stores for row in store.select(text)]


class MemoryStore:
    def __init__(self, triples: list[ox.Triple]) -> None:
        self.store = ox.Store()
        self.store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)

    def select(self, text: str) -> list[Row]:
        solutions = self.store.query(text)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        return [{n: t for n, t in zip(names, s, strict=True) if t is not None} for s in solutions]


@dataclass
class Page:
    body: bytes
    media_type: str


class Site:
    """Every response body of the linked data publication, for the live service and the static export."""

    def __init__(
        self,
        store: Any,
        release: Path,
        manifest: dict[str, Any],
        settings: Settings,
        cache: ReleaseCache[Page] | None = None,
    ) -> None:
        self.settings = settings
        self.cache: ReleaseCache[Page] = ReleaseCache() if cache is None else cache
        self.base = settings.base
        self.release = Release(release, manifest, settings.base)
        self.templates = ServiceFiles(settings.service_dir).templates
        self.templates.globals["local"] = self.local
        self.templates.filters["combine_label"] = relabel
        self.catalogue_triples = description_triples(self.release, store, settings.queries_dir)
        self.describer = Describer(
            UnionStore(store, MemoryStore(self.catalogue_triples + self._borrowed_labels(store))), settings.queries_dir
        )
        self.vocabulary = VocabularyDocs(settings.ontology_dir, settings.shapes_dir)
        # compiled and read now rather than by the first visitor, whose page took 300-450 ms instead of 30 ms
        for name in ("base.html", "resource.html"):
            self.templates.get_template(name)
        _ = self.describer.labels

    def _borrowed_labels(self, store: Any) -> list[ox.Triple]:
        """Labels of what the catalogue links to (classes, the ontology), copied from the data's store.

        A page's links are named by one query per store; without the copy a catalogue page could
        not name a class, and the static export (which reads all labels at once) would differ.
        """
        named = {t.object for t in self.catalogue_triples if isinstance(t.object, ox.NamedNode)}
        query = load_queries(self.settings.queries_dir / "pages")["labels-of"]
        out = []
        for iri in sorted(named, key=str):
            for row in store.select(query.bound({"x": iri.value})):
                out.append(ox.Triple(iri, row["p"], row["label"]))
        return out

    # -- IRIs ---------------------------------------------------------------------------------

    def local(self, iri: str) -> str:
        """A root-relative link for an IRI under the base (or the default base), the IRI otherwise."""
        for prefix in (self.base, DEFAULT_BASE):
            if iri.startswith(prefix):
                return "/" + iri[len(prefix) :]
        return iri

    def iri(self, path: str) -> str:
        """The IRI a request path stands for: ``ns`` and ``concept/`` are always under the default base."""
        if path == "ns" or path.startswith(("ns#", "concept/", "shapes")):
            return DEFAULT_BASE + path
        return self.base + path

    # -- resources ----------------------------------------------------------------------------

    def resource(self, path: str, fmt: str) -> Page | None:
        """A resource's page, rendered once per release (see :mod:`policykg.page_cache`)."""
        page = self.cache.get(self.release.id, path, fmt)
        if page is None:
            page = self._resource(path, fmt)
            if page is not None:
                self.cache.put(self.release.id, path, fmt, page, len(page.body))
        return page

    def _resource(self, path: str, fmt: str) -> Page | None:
        if path == "catalogue" and fmt != "html":
            # what catalogues harvest: the whole DCAT-AP and VoID description in one document
            return Page(self.rdf(self.catalogue_triples, fmt), CONTENT_TYPES[fmt])
        try:
            description = self.describer.describe(self.iri(path))
        except (QueryError, ValueError):  # not an IRI at all (a NUL, a space): nothing to describe
            return None
        return None if description is None else self.render(description, fmt)

    def render(self, d: Description, fmt: str) -> Page:
        if fmt != "html":
            return Page(self.rdf(d.triples(), fmt), CONTENT_TYPES[fmt])
        html = self.templates.get_template("resource.html").render(**self._view(d))
        return Page(html.encode("utf-8"), CONTENT_TYPES["html"])

    def pages(self, d: Description) -> dict[str, Page]:
        """A resource in every format, from one slice of the graph (sorted once, not once per format)."""
        triples = d.triples()
        out = {fmt: Page(self.rdf(triples, fmt), CONTENT_TYPES[fmt]) for fmt in FORMATS if fmt != "html"}
        return {"html": self.render(d, "html"), **out}

    @staticmethod
    def rdf(triples: list[ox.Triple], fmt: str) -> bytes:
        return serialise_graph(triples, FORMATS[fmt], TURTLE_PREFIXES if fmt in ("ttl", "jsonld", "rdf") else None)

    def all_resources(self) -> Iterator[Description]:
        prefixes = sorted({self.base, DEFAULT_BASE})
        for prefix in prefixes:
            for d in self.describer.describe_all(prefix):
                if prefix == DEFAULT_BASE and self.base != DEFAULT_BASE and d.iri.startswith(self.base):
                    continue
                path = self.local(d.iri)[1:]
                if path.startswith(RESOURCE_ROOTS):
                    yield d

    # -- vocabulary, catalogue, dumps, sitemap ----------------------------------------------

    @lru_cache(maxsize=16)  # noqa: B019 - one Site per process; the files do not change under it
    def vocabulary_page(self, name: str, fmt: str) -> Page | None:
        if name not in ("ns", "shapes"):
            return None
        if fmt == "ttl":
            return Page(self.vocabulary.turtle(name), CONTENT_TYPES["ttl"])
        if fmt == "html":
            html = self.templates.get_template("vocabulary.html").render(doc=self.vocabulary.document(name))
            return Page(html.encode("utf-8"), CONTENT_TYPES["html"])
        return Page(self.rdf(self.vocabulary.triples(name), fmt), CONTENT_TYPES[fmt])

    def dumps(self) -> dict[str, Path]:
        return {name: self.release.folder / name for name in self.release.checksums() if name in DUMP_TYPES}

    def checksums(self) -> bytes:
        return "".join(f"{digest}  {name}\n" for name, digest in self.release.checksums().items()).encode()

    def sitemap(self, paths: list[str]) -> bytes:
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']  # fmt: skip
        lines += [f"<url><loc>{escape(self.base + p)}</loc></url>" for p in paths]
        lines.append("</urlset>")
        return ("\n".join(lines) + "\n").encode("utf-8")

    @cached_property
    def sitemap_paths(self) -> list[str]:
        """Pages worth indexing: every resource except statements and excerpts, which their subjects show."""
        paths = ["", "ns", "shapes"]
        for row in self.describer.store.select(self.describer.queries["resources"].text):
            if not isinstance(row["resource"], ox.NamedNode):
                continue
            path = self.local(row["resource"].value)[1:]
            if path.startswith(RESOURCE_ROOTS) and not path.startswith(("id/statement/", "id/excerpt/")):
                paths.append(path)
        return sorted(set(paths))

    # -- the HTML view ------------------------------------------------------------------------

    def _term(self, term: Any, label: str | None = None) -> dict[str, Any]:
        if isinstance(term, ox.NamedNode):
            text = label or compact(term.value)
            return {"iri": term.value, "href": self.local(term.value), "text": text,
                    "html": link_html(self.local(term.value), term.value, text)}  # fmt: skip
        if isinstance(term, ox.Literal):
            datatype = compact(term.datatype.value) if term.datatype and not term.language else ""
            datatype = "" if datatype in ("xsd:string", "rdf:langString") else datatype
            return {"text": term.value, "lang": term.language or "", "datatype": datatype,
                    "html": literal_html(term.value, term.language or "", datatype)}  # fmt: skip
        return {"text": str(term), "html": escape_html(str(term))}

    def _view(self, d: Description) -> dict[str, Any]:
        labels = sorted({(r["o"].language or "", r["o"].value) for r in d.out
                         if r["p"].value in LABELS and isinstance(r["o"], ox.Literal)})  # fmt: skip
        best = _preferred(labels)
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in sorted(
            {(r["p"].value, str(r["o"])): r for r in d.out}.values(), key=lambda r: (r["p"].value, str(r["o"]))
        ):
            entry = self._term(r["o"], d.label(r["o"].value) if isinstance(r["o"], ox.NamedNode) else None)
            entry["sources"] = [self._source(s) for s in d.sources_of(r["p"], r["o"])]
            grouped[r["p"].value].append(entry)
        incoming: dict[str, dict[str, Any]] = {}
        for p, s in sorted({(r["p"].value, r["s"].value) for r in d.incoming}):
            group = incoming.setdefault(p, {"items": [], "count": 0})
            group["count"] += 1
            if len(group["items"]) < INCOMING_SHOWN:
                group["items"].append(self._term(ox.NamedNode(s), d.label(s)))
        sections = {name: [{k: self._term(v) for k, v in row.items()} for row in rows]
                    for name, rows in d.sections.items()}  # fmt: skip
        path = self.local(d.iri)
        actor = "actor-events" in d.sections
        return {
            "iri": d.iri,
            "path": path,
            "title": best or compact(d.iri),
            "labels": labels,
            "types": [self._term(ox.NamedNode(t)) for t in d.types],
            "properties": [{"p": self._term(ox.NamedNode(p)), "objects": v} for p, v in sorted(grouped.items())],
            "incoming": [{"p": self._term(ox.NamedNode(p)), **g} for p, g in sorted(incoming.items())],
            "sections": sections,
            "network": f"/network/view?focus={quote(d.iri, safe='')}" if actor else None,
            "formats": [(fmt, f"{path}.{fmt}") for fmt in FORMATS if fmt != "html"],
            "incoming_shown": INCOMING_SHOWN,
        }

    def _source(self, s: Source) -> dict[str, Any]:
        text = s.quote if len(s.quote) <= QUOTE_SHOWN else s.quote[:QUOTE_SHOWN].rstrip() + " …"
        return {"document": self.local(s.document), "title": s.title, "start": s.start, "end": s.end,
                "quote": text, "excerpt": self.local(s.excerpt), "method": s.method}  # fmt: skip


def link_html(href: str, iri: str, text: str) -> Markup:
    """A link as HTML, made in Python: a Jinja macro call per link was a third of the page time."""
    return Markup(f'<a href="{escape_html(href)}" title="{escape_html(iri)}">{escape_html(text)}</a>')


def literal_html(text: str, lang: str, datatype: str) -> Markup:
    lang_html = escape_html(lang)
    html = (
        f'<span lang="{lang_html}">{escape_html(text)}</span> <small class="tag">@{lang_html}</small>'
        if lang
        else f"<span>{escape_html(text)}</span>"
    )
    return Markup(html + (f' <small class="tag">{escape_html(datatype)}</small>' if datatype else ""))


def relabel(term: dict[str, Any], label: dict[str, Any] | None) -> dict[str, Any]:
    """A section's link named by the section's own label column."""
    if not label or "href" not in term:
        return term
    return {**term, "text": label["text"], "html": link_html(term["href"], term["iri"], label["text"])}


@lru_cache(maxsize=65536)
def compact(iri: str) -> str:
    for ns, prefix in _COMPACT:
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z0-9_-]*", iri[len(ns) :]):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _preferred(labels: list[tuple[str, str]]) -> str | None:
    for lang in ("nl", "", "en"):
        for label_lang, value in labels:
            if label_lang == lang:
                return value
    return labels[0][1] if labels else None


def linked_data_router(store: Any, release: Path, manifest: dict[str, Any], settings: Settings) -> APIRouter:
    """The routes of the publication, over the service's own store of the release."""
    site = Site(store, release, manifest, settings)
    router = APIRouter()

    def answer(page: Page | None, negotiated: bool) -> Response:
        if page is None:
            return PlainTextResponse("no such resource in this graph\n", status_code=404)
        headers = {"Vary": "Accept"} if negotiated else {}
        headers["Access-Control-Allow-Origin"] = "*"
        if page.media_type.startswith("text/html"):
            headers.update(security_headers())
        return Response(page.body, media_type=page.media_type, headers=headers)

    def format_of(request: Request, path: str) -> tuple[str, str | None, bool]:
        path, fmt = split_extension(path)
        if fmt is not None:
            return path, fmt, False
        return path, negotiate(request.headers.get("accept")), True

    def not_acceptable() -> Response:
        offered = ", ".join(FORMATS.values())
        return PlainTextResponse(f"not acceptable: this resource is offered as {offered}\n", status_code=406,
                                 headers={"Vary": "Accept"})  # fmt: skip

    for root in RESOURCE_ROOTS:

        @router.get(f"/{root}/{{path:path}}", include_in_schema=False)
        def resource(request: Request, path: str, root: str = root) -> Response:
            path, fmt, negotiated = format_of(request, f"{root}/{path}")
            if fmt is None:
                return not_acceptable()
            return answer(site.resource(path, fmt), negotiated)

    for name in ("catalogue", "dataset", "publisher", "ns", "shapes"):

        @router.get(f"/{name}", include_in_schema=False)
        @router.get(f"/{name}.{{ext}}", include_in_schema=False)
        def single(request: Request, ext: str | None = None, name: str = name) -> Response:
            if ext is not None and ext not in FORMATS:
                return answer(None, False)
            fmt = ext or negotiate(request.headers.get("accept"))
            if fmt is None:
                return not_acceptable()
            if name in ("ns", "shapes"):
                return answer(site.vocabulary_page(name, fmt), ext is None)
            return answer(site.resource(name, fmt), ext is None)

    @router.get("/dumps/SHA256SUMS", include_in_schema=False)
    def checksums() -> Response:
        return PlainTextResponse(site.checksums().decode())

    @router.get("/dumps/{name}", include_in_schema=False)
    def dump(name: str) -> Response:
        files = site.dumps()
        if name not in files:
            return answer(None, False)
        return FileResponse(files[name], media_type=DUMP_TYPES[name][0], headers={"Access-Control-Allow-Origin": "*"})

    @router.get("/sitemap.xml", include_in_schema=False)
    def sitemap() -> Response:
        return Response(site.sitemap(site.sitemap_paths), media_type="application/xml")

    router.site = site  # type: ignore[attr-defined]
    return router


def security_headers() -> dict[str, str]:
    """No scripts at all on resource pages: they are plain HTML and CSS from this host."""
    return {
        "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
