"""The web service: a SPARQL 1.1 Protocol endpoint, the research query library and the query editor.

``/sparql`` answers queries sent by GET, by POST form and by POST ``application/sparql-query``;
SELECT and ASK results come as SPARQL JSON, XML, CSV or TSV, CONSTRUCT and DESCRIBE as Turtle,
N-Triples, JSON-LD or RDF/XML, chosen by the ``format`` parameter or the Accept header. Without a
query it returns its service description. Errors are plain-text SPARQL protocol errors.

Every query passes :func:`policykg.sparql.inspect` before it runs (no updates, no SERVICE, no
foreign FROM) and runs in the worker pool with a time and a row limit; the limits are announced
in the response headers and the service description, and a truncated result says so.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote

import pyoxigraph as ox
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .build import MANIFEST
from .config import load_settings
from .network_routes import network_router
from .pages import linked_data_router
from .queries import NamedQuery, QueryError, load_queries
from .results import serialise_graph
from .service import ServiceFiles
from .sparql import (
    Busy,
    Job,
    NotAcceptable,
    QueryFailed,
    QueryInfo,
    QueryPool,
    QueryRefused,
    QueryTimeout,
    inspect,
    media_type_for,
)
from .store import STORE_DIR, EmbeddedStore, Store

if TYPE_CHECKING:
    from .remote import RemoteQueries, RemoteStore

MAX_REQUEST_BYTES = 64 * 1024
STORE_MODES = ("auto", "memory", "disk")
# Up to this size each query worker holds the graph in memory, which answers the research queries
# about six times faster than the on-disk store (event-participants at 1.17 million quads: 0.7 s
# against 4.6 s). It costs about 800 bytes a quad per worker (903 MiB at 1.17 million, 91 MiB for
# the corpus), so three workers at the limit hold about 6 GiB; bigger graphs are read from disk.
MEMORY_QUADS = 2_500_000
SD_PREFIXES = """@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix formats: <http://www.w3.org/ns/formats/> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct: <http://purl.org/dc/terms/> .
"""
RESULT_FORMAT_IRIS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                      "Turtle", "N-Triples", "JSON-LD", "RDF_XML")  # fmt: skip


class BodyLimit:
    """Refuses request bodies above a size, whether or not a Content-Length is sent."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        too_long = f"request body larger than {self.limit} bytes".encode()
        if length is not None and length.isdigit() and int(length) > self.limit:
            await _plain(send, 413, too_long)
            return
        if len(scope.get("query_string", b"")) > self.limit:
            await _plain(send, 414, b"query string too long")
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await _plain(send, 413, too_long)


class _TooLarge(Exception):
    pass


async def _plain(send: Send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


@dataclass
class ServiceState:
    release: Path
    pool: QueryPool | RemoteQueries
    queries: dict[str, NamedQuery]
    manifest: dict[str, Any]
    files: ServiceFiles
    store: Store
    """The graph for the service's own trusted queries (pages, network): in process, no pool needed."""

    @property
    def graphs(self) -> tuple[str, ...]:
        return tuple(sorted(self.manifest["graphs"]))


def _manifest(release: Path) -> dict[str, Any]:
    return dict(json.loads((release / MANIFEST).read_text(encoding="utf-8")))


def create_app(
    release: Path,
    queries_dir: Path,
    service_dir: Path,
    *,
    workers: int = 3,
    time_limit: float = 15.0,
    row_limit: int = 10000,
    slow_after: float = 1.0,
    store: str = "auto",
    remote: RemoteStore | None = None,
) -> FastAPI:
    """The FastAPI application over one release of the graph.

    ``store`` is where the query workers hold the graph: ``memory`` (each worker loads the dump),
    ``disk`` (the release's on-disk store, shared) or ``auto`` (memory up to ``MEMORY_QUADS``).
    With a ``remote`` store, queries go to it instead (same gate, same limits) and no worker starts.
    """
    manifest = _manifest(release)
    quads = int(manifest["quads"])
    if store not in STORE_MODES:
        raise ValueError(f"store must be one of {', '.join(STORE_MODES)}, not {store!r}")
    in_memory = store == "memory" or (store == "auto" and quads <= MEMORY_QUADS)
    pool: QueryPool | RemoteQueries
    if remote is None:
        pool = QueryPool(release / STORE_DIR, workers, time_limit, row_limit, slow_after,
                         in_memory_release=release if in_memory else None)
    else:
        from .remote import RemoteQueries

        pool = RemoteQueries(remote, workers, time_limit, row_limit)
    files = ServiceFiles(service_dir)
    own: Store = EmbeddedStore.open(release) if remote is None else remote
    state = ServiceState(release, pool, load_queries(queries_dir), manifest, files, own)

    app = FastAPI(title="policykg", description=__doc__, docs_url="/api", redoc_url=None)
    app.state.policykg = state
    app.add_middleware(BodyLimit, limit=MAX_REQUEST_BYTES)

    @app.on_event("startup")
    def _start() -> None:
        pool.start()

    @app.on_event("shutdown")
    def _stop() -> None:
        pool.close()

    app.include_router(network_router(state))
    app.include_router(linked_data_router(state.store, release, manifest, load_settings()))
    app.mount("/static/yasgui", StaticFiles(directory=files.yasgui), name="yasgui")
    app.mount("/static", StaticFiles(directory=files.static), name="static")

    @app.get("/", response_class=HTMLResponse)
    def home() -> HTMLResponse:
        page = files.templates.get_template("home.html").render(
            queries=state.queries, graphs=state.graphs, quads=state.manifest["quads"]
        )
        return HTMLResponse(page, headers=_security_headers())

    @app.get("/editor", response_class=HTMLResponse)
    def editor(request: Request) -> HTMLResponse:
        examples = [
            {"name": q.name, "title": q.title("nl"), "title_en": q.title("en"), "text": _strip_header(q.text)}
            for q in state.queries.values()
        ]
        page = files.templates.get_template("editor.html").render(
            examples=examples, initial=request.query_params.get("query", ""), limits=_limits(pool)
        )
        return HTMLResponse(page, headers=_security_headers(allow_inline_styles=True))

    @app.api_route("/sparql", methods=["GET", "POST"])
    async def sparql(request: Request) -> Response:
        try:
            params = await _protocol_params(request)
        except ProtocolError as exc:
            return _error(exc.status, str(exc))
        if "update" in params:
            return _error(400, "this endpoint is read-only: SPARQL updates are not accepted")
        queries = params.get("query", [])
        if not queries:
            if request.method == "POST":
                return _error(400, "a POST to the endpoint needs a query (form field 'query' or an "
                              "application/sparql-query body)")  # fmt: skip
            return _service_description(request, state)
        if len(queries) > 1:
            return _error(400, "exactly one query per request (several 'query' parameters were sent)")
        return await _answer(
            request,
            state,
            queries[0],
            params.get("default-graph-uri", []),
            params.get("named-graph-uri", []),
            (params.get("format") or [None])[0],
        )

    @app.get("/queries")
    def query_list(request: Request) -> Response:
        listing = [_describe(q) for q in state.queries.values()]
        if _prefers_html(request):
            page = files.templates.get_template("queries.html").render(queries=state.queries.values())
            return HTMLResponse(page, headers=_security_headers())
        return Response(json.dumps(listing, ensure_ascii=False, indent=1), media_type="application/json")

    @app.get("/queries/{name}.rq")
    def query_text(name: str) -> Response:
        query = state.queries.get(name)
        if query is None:
            return _error(404, f"no query named {name!r}")
        return Response(query.text, media_type="application/sparql-query")

    @app.get("/queries/{name}")
    async def run_named(name: str, request: Request) -> Response:
        query = state.queries.get(name)
        if query is None:
            return _error(404, f"no query named {name!r}; see /queries")
        values = {k: v for k, v in request.query_params.items() if k != "format"}
        try:
            text = query.bound(values)
        except QueryError as exc:
            return _error(400, str(exc))
        return await _answer(request, state, text, [], [], request.query_params.get("format"))

    return app


class ProtocolError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


async def _protocol_params(request: Request) -> dict[str, list[str]]:
    """The protocol parameters of a GET or POST request (query, default-graph-uri, ...)."""
    params = parse_qs(request.url.query, keep_blank_values=True)
    if request.method == "GET":
        return params
    content_type = request.headers.get("content-type", "")
    media = content_type.split(";")[0].strip().lower()
    charset = next((p.split("=", 1)[1].strip().lower() for p in content_type.split(";")[1:]
                    if p.strip().lower().startswith("charset=")), "utf-8")  # fmt: skip
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"request bodies must be UTF-8, not {charset}")
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, "the request body is not valid UTF-8") from exc
    if media == "application/x-www-form-urlencoded":
        form = parse_qs(text, keep_blank_values=True)
        if "query" in params and "query" in form:
            raise ProtocolError(400, "the query is both in the URL and in the form")
        for key, values in form.items():
            params.setdefault(key, []).extend(values)
        return params
    if media == "application/sparql-query":
        if "query" in params:
            raise ProtocolError(400, "a direct POST carries the query in the body, not also in the URL")
        params["query"] = [text]
        return params
    if media == "application/sparql-update":
        raise ProtocolError(400, "this endpoint is read-only: SPARQL updates are not accepted")
    if not media:
        raise ProtocolError(400, "a POST needs a Content-Type: application/x-www-form-urlencoded or "
                            "application/sparql-query")  # fmt: skip
    raise ProtocolError(415, f"unsupported Content-Type {media!r}; use application/x-www-form-urlencoded "
                        "or application/sparql-query")  # fmt: skip


async def _answer(
    request: Request,
    state: ServiceState,
    text: str,
    default_graphs: list[str],
    named_graphs: list[str],
    format_param: str | None,
) -> Response:
    allowed = frozenset(state.graphs)
    unknown = [g for g in [*default_graphs, *named_graphs] if g not in allowed]
    if unknown:
        return _error(400, f"graph <{unknown[0]}> is not one of this endpoint's graphs; graphs are never fetched")
    try:
        info: QueryInfo = inspect(text, allowed)
    except QueryRefused as exc:
        return _error(400, str(exc))
    if (default_graphs or named_graphs) and (info.from_graphs or info.from_named):
        return _error(400, "default-graph-uri/named-graph-uri and FROM in the query cannot be combined")
    try:
        media = media_type_for(info.form, request.headers.get("accept"), format_param)
    except NotAcceptable as exc:
        return _error(406, str(exc))
    job = Job(text, info.form, media, state.pool.row_limit, tuple(default_graphs), tuple(named_graphs))
    try:
        answer = await state.pool.execute(job)
    except QueryTimeout as exc:
        return _error(503, str(exc), retry=True)
    except Busy as exc:
        return _error(503, str(exc), retry=True)
    except QueryFailed as exc:
        return _error(400, _syntax_message(str(exc)))
    headers = {
        "Vary": "Accept",
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": "X-SPARQL-Truncated, X-SPARQL-Row-Limit, X-SPARQL-Time-Limit, Server-Timing",
        "X-SPARQL-Row-Limit": str(state.pool.row_limit),
        "X-SPARQL-Time-Limit": f"{state.pool.time_limit:g}",
        "X-SPARQL-Truncated": "true" if answer.truncated else "false",
        "X-SPARQL-Rows": str(answer.rows),
        "Server-Timing": f"query;dur={answer.seconds * 1000:.2f}",
    }
    media_type = (
        answer.media_type if not answer.media_type.startswith("text/") else f"{answer.media_type}; charset=utf-8"
    )
    return Response(answer.body, media_type=media_type, headers=headers)


def _syntax_message(raw: str) -> str:
    """A syntax error that says where: line and column, and the first few things the parser expected."""
    if not raw.startswith("SyntaxError: "):
        return f"the query could not be evaluated: {raw}"
    message = raw[len("SyntaxError: ") :].split("\n", 1)[0]
    where = re.match(r"error at (\d+):(\d+): expected one of (.*)", message)
    if where:
        expected = [e.strip() for e in where.group(3).split(", ") if e.strip() and not e.strip().startswith("[")]
        shown = ", ".join(expected[:12]) + (", ..." if len(expected) > 12 else "")
        return f"SPARQL syntax error at line {where.group(1)}, column {where.group(2)}: expected one of {shown}"
    return f"SPARQL syntax error: {message}"


def _error(status: int, message: str, retry: bool = False) -> PlainTextResponse:
    headers = {"Access-Control-Allow-Origin": "*"}
    if retry:
        headers["Retry-After"] = "5"
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


def _limits(pool: QueryPool | RemoteQueries) -> dict[str, Any]:
    return {"time_limit": f"{pool.time_limit:g}", "row_limit": pool.row_limit}


def _prefers_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "application/json" not in accept.split("text/html")[0]


def _service_description(request: Request, state: ServiceState) -> Response:
    if _prefers_html(request):
        return RedirectResponse("/editor", status_code=303)
    endpoint = str(request.url.replace(query=None))
    lines = [SD_PREFIXES, f"<{endpoint}> a sd:Service ;", f"    sd:endpoint <{endpoint}> ;",
             "    sd:supportedLanguage sd:SPARQL11Query ;", "    sd:feature sd:UnionDefaultGraph ;"]  # fmt: skip
    lines.append("    sd:resultFormat " + " , ".join(f"formats:{f}" for f in RESULT_FORMAT_IRIS) + " ;")
    lines.append(
        f'    rdfs:comment "Read-only SPARQL 1.1 query endpoint of policykg. SERVICE, updates and FROM of other '
        f"graphs are refused. Every query has a time limit of {state.pool.time_limit:g} s and a row limit of "
        f'{state.pool.row_limit}; a cut result carries the header X-SPARQL-Truncated: true."@en ;'
    )
    counts = state.manifest["graphs"]
    graphs = " ,\n        ".join(
        f"[ a sd:NamedGraph ; sd:name <{g}> ; sd:graph [ a sd:Graph ; void:triples {counts[g]} ] ]"
        for g in state.graphs
    )
    lines.append(
        "    sd:defaultDataset [ a sd:Dataset ;\n"
        f"        sd:defaultGraph [ a sd:Graph ; void:triples {state.manifest['triples']} ;\n"
        '            rdfs:comment "The merge of all named graphs: each triple once, whichever graphs hold it."@en ] ;\n'
        f"        sd:namedGraph {graphs} ] ."
    )
    body = "\n".join(lines) + "\n"
    accept = request.headers.get("accept", "")
    if "application/n-triples" in accept or "application/ld+json" in accept or "application/rdf+xml" in accept:
        triples = list(ox.parse(body.encode(), format=ox.RdfFormat.TURTLE, base_iri=endpoint))
        for media in ("application/n-triples", "application/ld+json", "application/rdf+xml"):
            if media in accept:
                return Response(serialise_graph(triples, media), media_type=media, headers={"Vary": "Accept"})
    return Response(body, media_type="text/turtle; charset=utf-8", headers={"Vary": "Accept"})


def _describe(query: NamedQuery) -> dict[str, Any]:
    return {
        "name": query.name,
        "title": query.titles,
        "description": query.descriptions,
        "parameters": [
            {
                "name": p.name,
                "type": p.type,
                "required": p.required,
                "description": p.description,
                **({"language": p.lang} if p.lang else {}),
            }
            for p in query.parameters
        ],
        "run": f"/queries/{query.name}",
        "text": f"/queries/{query.name}.rq",
        "editor": f"/editor?query={quote(_strip_header(query.text))}",
    }


def _strip_header(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("#")).strip() + "\n"


def _security_headers(allow_inline_styles: bool = False) -> dict[str, str]:
    style = "'self' 'unsafe-inline'" if allow_inline_styles else "'self'"
    return {
        "Content-Security-Policy": f"default-src 'self'; style-src {style}; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
