"""A remote SPARQL 1.1 store, with the same two methods as the embedded one.

policykg talks to a store server (Oxigraph server, Virtuoso, Fuseki, GraphDB) with SPARQLWrapper
for queries and the Graph Store Protocol for loading. Answers come back as SPARQL JSON and are
parsed by pyoxigraph, so :meth:`RemoteStore.query` returns the same ``QuerySolutions`` /
``QueryBoolean`` / ``QueryTriples`` as :class:`policykg.store.EmbeddedStore` and code written
against one runs on the other.

What the store holds (see :mod:`policykg.loading`): each of the release's named graphs under its
own name, and the merge of them in :func:`merged_graph`, a named graph of its own. Stores differ in
what their default graph is (Virtuoso: every graph it holds, each triple once per graph; Oxigraph:
an empty graph), so every query names its dataset: the merged graph as default graph, as the
embedded store has it, and the live named graphs for ``GRAPH`` patterns. A query's own ``FROM``
wins, as the protocol says.

Failures are bounded: every request has a timeout, 5xx answers and dropped connections are retried
a few times with a pause, and then the caller gets a :class:`policykg.store.StoreError` that says
which store did what. Results a store cuts silently at its row limit (Virtuoso's
``ResultSetMaxRows``, announced only in an ``X-SPARQL-MaxRows`` header) are detected and fetched
again page by page.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode

import pyoxigraph as ox
from SPARQLWrapper import DIGEST, JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, EndPointNotFound, QueryBadFormed, Unauthorized

from .results import serialise_graph, serialise_solutions
from .sparql import Answer, Job, QueryFailed, QueryTimeout, rename_iris, top_level_words
from .store import StoreError, StoreTimeout, Term

T = TypeVar("T")
RETRY_PAUSE = 0.5  # seconds before the first retry; doubled each time
CAP_HEADER = "x-sparql-maxrows"
BULK_BYTES = 4 * 2**20
LIVE_TTL = 5.0  # seconds a read of the control graph is trusted; the previous release stays loaded longer


def control_graph(base: str) -> str:
    """The named graph that says which release is live and which graphs it has."""
    return f"{base}graph/policykg-control"


def release_prefix(base: str, release: str) -> str:
    return f"{base}release/{release}/"


def stored_name(base: str, release: str, graph: str) -> str:
    """The name a release's graph has in the store: versioned, so that two releases can be held at once."""
    if not graph.startswith(base):
        raise StoreError(f"graph <{graph}> is not under the base {base}")
    return release_prefix(base, release) + graph[len(base) :]


def merged_name(base: str, release: str) -> str:
    """The graph holding the merge of the release's graphs: the default graph of every query."""
    return release_prefix(base, release) + "merged"


@dataclass(frozen=True)
class RemoteConfig:
    """Where the store's endpoints are and how to authenticate (``POLICYKG_STORE_*``, see the README)."""

    query_url: str
    update_url: str | None = None
    graph_store_url: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    auth: str = "basic"
    timeout: float = 60.0
    retries: int = 2
    max_rows: int | None = None
    """A row limit the store applies without saying so (most announce it; Virtuoso does)."""
    bulk_parameters: str | None = None
    """Extra query parameters for Graph Store POSTs that make the store load faster (see put_graph)."""
    upload_bytes: int = 16 * 2**20
    """Bytes of N-Triples per Graph Store request. Virtuoso answers a digest challenge before it reads
    the body and may reset the connection on a big one: 256 KiB is safe there."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RemoteConfig:
        env = os.environ if env is None else env
        query = env.get("POLICYKG_STORE_QUERY")
        if not query:
            raise StoreError("POLICYKG_STORE=remote needs POLICYKG_STORE_QUERY, the store's SPARQL query endpoint URL")
        auth = env.get("POLICYKG_STORE_AUTH", "basic").lower()
        if auth not in ("basic", "digest"):
            raise StoreError(f"POLICYKG_STORE_AUTH must be basic or digest, not {auth!r}")
        try:
            return cls(
                query_url=query,
                update_url=env.get("POLICYKG_STORE_UPDATE") or None,
                graph_store_url=env.get("POLICYKG_STORE_GSP") or None,
                user=env.get("POLICYKG_STORE_USER") or None,
                password=env.get("POLICYKG_STORE_PASSWORD") or None,
                auth=auth,
                timeout=float(env.get("POLICYKG_STORE_TIMEOUT", "60")),
                retries=int(env.get("POLICYKG_STORE_RETRIES", "2")),
                max_rows=int(env["POLICYKG_STORE_MAX_ROWS"]) if env.get("POLICYKG_STORE_MAX_ROWS") else None,
                bulk_parameters=env.get("POLICYKG_STORE_GSP_BULK") or None,
                upload_bytes=int(env.get("POLICYKG_STORE_UPLOAD_BYTES", str(16 * 2**20))),
            )
        except ValueError as exc:
            raise StoreError(f"a POLICYKG_STORE_* setting is not a number: {exc}") from exc


@dataclass(frozen=True)
class Live:
    """The release the store serves and its named graphs (their names in the store), from the control graph."""

    release: str | None
    graphs: tuple[str, ...]
    read_at: float = 0.0


_RETRIABLE = (EndPointInternalError, urllib.error.URLError, TimeoutError, socket.timeout, ConnectionError,
              http.client.HTTPException)  # fmt: skip


class RemoteStore:
    """A SPARQL 1.1 store server holding a release of the graph (see the module docstring)."""

    def __init__(self, config: RemoteConfig, base: str) -> None:
        self.config = config
        self.base = base
        self.control = control_graph(base)
        self._live: Live | None = None

    # -- the two methods every consumer uses ----------------------------------------------------

    def select(self, text: str) -> list[dict[str, Term]]:
        """The solutions of a SELECT query as dicts of bound variables, like ``EmbeddedStore.select``."""
        solutions = self.query(text)
        if not isinstance(solutions, ox.QuerySolutions):
            raise StoreError("a SELECT query was expected")
        names = [v.value for v in solutions.variables]
        return [{n: t for n, t in zip(names, solution, strict=True) if t is not None} for solution in solutions]

    def query(
        self,
        text: str,
        *,
        default_graphs: tuple[str, ...] = (),
        named_graphs: tuple[str, ...] = (),
        timeout: float | None = None,
        retries: int | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a query on the live release, with the dataset the embedded store has.

        Graph names are the release's own (``{base}graph/...``) in the query, in ``default_graphs``
        and ``named_graphs`` and in the answer; they are translated to and from the versioned names
        the store holds them under. Without a dataset given or ``FROM`` in the query, the default
        graph is the release's merge, and ``GRAPH`` sees the release's named graphs.
        """
        words = top_level_words(text)
        form = next((w for w in words if w in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")), None)
        if form is None:
            raise StoreError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
        live = self.live()
        if live.release is None:
            raise StoreError(f"the store at {self.config.query_url} holds no release yet: run `policykg load`")
        prefix = release_prefix(self.base, live.release)
        canonical = f"{self.base}graph/"
        to_store = {g.replace(prefix, self.base, 1): g for g in live.graphs}
        text = rename_iris(text, to_store)
        default_graphs = tuple(to_store.get(g, g) for g in default_graphs)
        named_graphs = tuple(to_store.get(g, g) for g in named_graphs)
        if not default_graphs and not named_graphs and "FROM" not in words:
            default_graphs = (merged_name(self.base, live.release),)
            if "GRAPH" in words:
                named_graphs = live.graphs
        back = (prefix + "graph/", canonical)
        if form in ("CONSTRUCT", "DESCRIBE"):
            body, _ = self._sparql(text, TURTLE, default_graphs, named_graphs, timeout, retries)
            return _as_query_triples(body)
        return self._solutions(text, form, default_graphs, named_graphs, timeout, retries, back)

    def query_raw(
        self, text: str, *, default_graphs: tuple[str, ...], timeout: float | None = None
    ) -> ox.QuerySolutions | ox.QueryBoolean:
        """A SELECT or ASK of policykg's own on an explicit dataset of stored graph names (the loader's)."""
        form = next(w for w in top_level_words(text) if w in ("SELECT", "ASK"))
        return self._solutions(text, form, default_graphs, (), timeout, None, None)

    def _solutions(
        self,
        text: str,
        form: str,
        default_graphs: tuple[str, ...],
        named_graphs: tuple[str, ...],
        timeout: float | None,
        retries: int | None,
        back: tuple[str, str] | None,
    ) -> ox.QuerySolutions | ox.QueryBoolean:
        body, headers = self._sparql(text, JSON, default_graphs, named_graphs, timeout, retries)
        document = _json(body, self.config.query_url)
        if form == "SELECT" and self._capped(document, headers):
            document = self._paged(text, len(document["results"]["bindings"]), default_graphs, named_graphs,
                                   timeout, retries)  # fmt: skip
        if form == "ASK" and "boolean" not in document:
            document = {"head": {}, "boolean": _ask_table(document)}
        _clean(document, back)
        return ox.parse_query_results(json.dumps(document).encode(), ox.QueryResultsFormat.JSON)

    # -- what the loader needs ------------------------------------------------------------------

    def live(self, refresh: bool = False) -> Live:
        """Which release is live, from the control graph; re-read after ``LIVE_TTL`` so a new load is seen."""
        now = time.monotonic()
        if self._live is None or refresh or now - self._live.read_at > LIVE_TTL:
            rows = self.select_raw("live.rq", {"control": ox.NamedNode(self.control)}, (self.control,))
            release = next((r["release"].value for r in rows if "release" in r), None)
            graphs = tuple(sorted(r["graph"].value for r in rows if "graph" in r))
            self._live = Live(release, graphs, now)
        return self._live

    def select_raw(
        self, name: str, bindings: dict[str, ox.NamedNode | ox.Literal], default_graphs: tuple[str, ...]
    ) -> list[dict[str, Term]]:
        """One of policykg's own queries (``rq/{name}``) with bound parameters, on stored graphs by name."""
        from .queries import bind

        bound = bind(read_rq(name), {ox.Variable(k): v for k, v in bindings.items()})
        solutions = self.query_raw(bound, default_graphs=default_graphs)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        return [{n: t for n, t in zip(names, s, strict=True) if t is not None} for s in solutions]

    def count(self, graph: str) -> int:
        """Triples in a graph, by its name in the store."""
        rows = self.query_raw(read_rq("count-graph.rq"), default_graphs=(graph,))
        assert isinstance(rows, ox.QuerySolutions)
        return int(next(iter(rows))["n"].value)  # type: ignore[union-attr]

    def update(self, text: str) -> None:
        """A SPARQL update, sent once per attempt; the store applies one request as a whole or not at all."""
        if not self.config.update_url:
            raise StoreError("loading needs POLICYKG_STORE_UPDATE, the store's SPARQL update endpoint URL")
        data = urlencode({"update": text}).encode()
        self._http("POST", self.config.update_url, data, {"Content-Type": "application/x-www-form-urlencoded"})

    def put_graph(self, graph: str, ntriples: bytes, *, replace: bool) -> None:
        """Send triples to a graph by the Graph Store Protocol: PUT replaces the graph, POST adds to it.

        With ``bulk_parameters`` (the Oxigraph server's ``no_transaction``: five times faster on
        the corpus, but slower than a plain request for a small graph) a big chunk that replaces a
        graph is an empty PUT followed by a bulk POST. The loader only writes graphs nobody
        reads yet, so a load cut short there leaves nothing visible.
        """
        url = self._graph_url(graph)
        media = {"Content-Type": "application/n-triples"}
        # Oxigraph's bulk path costs a fixed part of a second per request: only worth it for big chunks.
        if self.config.bulk_parameters and len(ntriples) >= BULK_BYTES:
            if replace:
                self._http("PUT", url, b"", media)
            self._http("POST", f"{url}&{self.config.bulk_parameters}", ntriples, media)
            return
        self._http("PUT" if replace else "POST", url, ntriples, media)

    def graph_triples(self, graph: str, expected: int) -> list[ox.Triple]:
        """Every triple of a graph (by its stored name) as the store now holds it.

        A Graph Store GET first. Virtuoso cuts that at its row limit without a word (near 10,000
        triples); when fewer or more triples come back than ``expected``, the graph is read again
        with a SELECT, which :meth:`query_raw` pages past the store's limit. The caller compares.
        """
        body, _ = self._http("GET", self._graph_url(graph), None, {"Accept": "application/n-triples"})
        triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        if len(triples) == expected:
            return triples
        rows = self.query_raw(read_rq("graph-triples.rq"), default_graphs=(graph,))
        assert isinstance(rows, ox.QuerySolutions)
        return [ox.Triple(r["s"], r["p"], r["o"]) for r in rows]  # type: ignore[arg-type]

    # -- HTTP -----------------------------------------------------------------------------------

    def _graph_url(self, graph: str) -> str:
        if not self.config.graph_store_url:
            raise StoreError("loading needs POLICYKG_STORE_GSP, the store's Graph Store Protocol endpoint URL")
        separator = "&" if "?" in self.config.graph_store_url else "?"
        return f"{self.config.graph_store_url}{separator}{urlencode({'graph': graph})}"

    def _retrying(self, what: str, action: Callable[[], T], timeout: float, retries: int | None) -> T:
        attempts = 1 + (self.config.retries if retries is None else retries)
        pause = RETRY_PAUSE
        for attempt in range(1, attempts + 1):
            try:
                return action()
            except QueryBadFormed as exc:
                raise StoreError(f"{what}: the store refused the query: {_text(exc)}") from exc
            except Unauthorized as exc:
                raise StoreError(f"{what}: the store refused the credentials (POLICYKG_STORE_USER/PASSWORD)") from exc
            except EndPointNotFound as exc:
                raise StoreError(f"{what}: no SPARQL endpoint at this URL (404)") from exc
            except urllib.error.HTTPError as exc:
                if exc.code < 500:
                    raise StoreError(f"{what}: the store answered {exc.code}: {_body(exc)}") from exc
                problem = f"the store answered {exc.code} {exc.reason}"
            except _RETRIABLE as exc:
                problem = _problem(exc, timeout)
            if attempt == attempts:
                error = StoreTimeout if "timeout" in problem else StoreError
                raise error(f"{what}: {problem} ({attempts} attempt{'s' if attempts > 1 else ''}, giving up)")
            time.sleep(pause)
            pause *= 2
        raise AssertionError("unreachable")

    def _sparql(
        self,
        text: str,
        fmt: str,
        default_graphs: tuple[str, ...],
        named_graphs: tuple[str, ...],
        timeout: float | None,
        retries: int | None,
    ) -> tuple[bytes, dict[str, str]]:
        limit = self.config.timeout if timeout is None else timeout
        client = SPARQLWrapper(self.config.query_url)
        # Long queries (a VALUES block, the editor's) by POST: a GET URL has a length limit.
        client.setMethod(POST)
        client.setRequestMethod(URLENCODED)
        client.setOnlyConneg(True)
        client.setTimeout(max(1, round(limit)))
        client.setReturnFormat(fmt)
        client.setQuery(text)
        for graph in default_graphs:
            client.addDefaultGraph(graph)
        for graph in named_graphs:
            client.addNamedGraph(graph)
        if self.config.user:
            client.setCredentials(self.config.user, self.config.password or "")
            if self.config.auth == "digest":
                client.setHTTPAuth(DIGEST)

        def run() -> tuple[bytes, dict[str, str]]:
            response = client.query().response
            return response.read(), {k.lower(): v for k, v in response.headers.items()}

        return self._retrying(f"query to {self.config.query_url}", run, limit, retries)

    def _http(
        self, method: str, url: str, data: bytes | None, headers: dict[str, str]
    ) -> tuple[bytes, dict[str, str]]:
        handlers: list[urllib.request.BaseHandler] = []
        if self.config.user:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, url, self.config.user, self.config.password or "")
            handler = urllib.request.HTTPDigestAuthHandler if self.config.auth == "digest" else (
                urllib.request.HTTPBasicAuthHandler)  # fmt: skip
            handlers.append(handler(passwords))
        opener = urllib.request.build_opener(*handlers)

        def run() -> tuple[bytes, dict[str, str]]:
            request = urllib.request.Request(url, data=data, method=method, headers=headers)
            with opener.open(request, timeout=self.config.timeout) as response:
                return response.read(), {k.lower(): v for k, v in response.headers.items()}

        return self._retrying(f"{method} {url}", run, self.config.timeout, None)

    # -- capped results -------------------------------------------------------------------------

    def _capped(self, document: dict[str, Any], headers: dict[str, str]) -> bool:
        cap = _cap(headers) or self.config.max_rows
        return cap is not None and len(document["results"]["bindings"]) >= cap

    def _paged(
        self,
        text: str,
        page: int,
        default_graphs: tuple[str, ...],
        named_graphs: tuple[str, ...],
        timeout: float | None,
        retries: int | None,
    ) -> dict[str, Any]:
        """All solutions of a query the store cut at ``page`` rows, fetched with LIMIT and OFFSET."""
        words = top_level_words(text, after_last_brace=True)
        if "LIMIT" in words or "OFFSET" in words:
            raise StoreError(
                f"the store cut the result at its row limit of {page} rows and the query has its own "
                "LIMIT/OFFSET; ask for fewer rows, or raise the store's limit (Virtuoso: ResultSetMaxRows)"
            )
        merged: dict[str, Any] | None = None
        offset = 0
        while True:
            body, _ = self._sparql(f"{text}\nLIMIT {page} OFFSET {offset}", JSON, default_graphs, named_graphs,
                                   timeout, retries)  # fmt: skip
            document = _json(body, self.config.query_url)
            bindings = document["results"]["bindings"]
            if merged is None:
                merged = document
            else:
                merged["results"]["bindings"].extend(bindings)
            if len(bindings) < page:
                return merged
            offset += page


@dataclass
class RemoteQueries:
    """The endpoint's queries on a remote store, in place of the worker pool, with the same limits.

    The safety gate (:func:`policykg.sparql.inspect`) has run before a job gets here. The time limit
    is the HTTP timeout (set the store's own limit too: Oxigraph ``--timeout-s``, Virtuoso
    ``MaxQueryExecutionTime``); a timed-out query is not retried, so a runaway query costs the
    store one time limit. At most ``workers`` queries are sent at once.
    """

    store: RemoteStore
    workers: int = 3
    time_limit: float = 15.0
    row_limit: int = 10000
    _gate: Any = None

    def start(self) -> RemoteQueries:
        import asyncio

        self._gate = asyncio.Semaphore(max(1, self.workers))
        self.store.live(refresh=True)
        return self

    def close(self) -> None:
        """Nothing to stop: the store is someone else's server."""

    async def execute(self, job: Job) -> Answer:
        import asyncio

        if self._gate is None:
            self._gate = asyncio.Semaphore(max(1, self.workers))
        async with self._gate:
            started = time.perf_counter()
            try:
                body, rows, truncated = await asyncio.to_thread(self._run, job)
            except StoreTimeout as exc:
                raise QueryTimeout(f"the query ran past the time limit of {self.time_limit:g} s") from exc
            except StoreError as exc:
                raise QueryFailed(str(exc)) from exc
            return Answer(body, job.media_type, rows, truncated, time.perf_counter() - started)

    def _run(self, job: Job) -> tuple[bytes, int, bool]:
        result = self.store.query(job.text, default_graphs=job.default_graphs, named_graphs=job.named_graphs,
                                  timeout=self.time_limit, retries=0)  # fmt: skip
        if isinstance(result, ox.QueryBoolean):
            return serialise_solutions(None, [], job.media_type, boolean=bool(result)), 1, False
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = [tuple(s) for s in result]
            kept = rows[: job.row_limit]
            return serialise_solutions(variables, kept, job.media_type), len(kept), len(rows) > len(kept)
        triples = list(result)
        kept_triples = triples[: job.row_limit]
        return serialise_graph(kept_triples, job.media_type), len(kept_triples), len(triples) > len(kept_triples)


def _ask_table(document: dict[str, Any]) -> bool:
    """Virtuoso answers ASK in JSON as a one-row table (``__ASK_RETVAL``: 1 or 0), not as a boolean."""
    rows = document.get("results", {}).get("bindings", [])
    values = [term.get("value") for row in rows for term in row.values()]
    return any(v not in ("0", "false", "") for v in values)


def _cap(headers: dict[str, str]) -> int | None:
    value = headers.get(CAP_HEADER)
    return int(value) if value and value.strip().isdigit() else None


def _json(body: bytes, url: str) -> dict[str, Any]:
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise StoreError(f"{url} did not answer with SPARQL JSON results: {body[:200]!r}") from exc
    if not isinstance(document, dict) or ("results" not in document and "boolean" not in document):
        raise StoreError(f"{url} did not answer with SPARQL JSON results: {body[:200]!r}")
    return document


def _clean(document: dict[str, Any], back: tuple[str, str] | None) -> None:
    """Stored graph names back to the release's own; Virtuoso's ``nodeID://b123`` to a blank node label."""
    for row in document.get("results", {}).get("bindings", []):
        for term in row.values():
            kind = term.get("type")
            if kind == "uri" and back and term["value"].startswith(back[0]):
                term["value"] = back[1] + term["value"][len(back[0]) :]
            elif kind == "bnode" and not term["value"].replace("_", "").replace("-", "").isalnum():
                term["value"] = "".join(c if c.isalnum() else "_" for c in term["value"])


def _as_query_triples(turtle: bytes) -> ox.QueryTriples:
    """Triples of a CONSTRUCT/DESCRIBE answer as pyoxigraph's own result type, as the embedded store gives."""
    scratch = ox.Store()
    scratch.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(turtle, format=ox.RdfFormat.TURTLE))
    result = scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(result, ox.QueryTriples)
    return result


def _problem(exc: BaseException, timeout: float) -> str:
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, TimeoutError | socket.timeout) or "timed out" in str(reason):
        return f"no answer within the timeout of {timeout:g} s (POLICYKG_STORE_TIMEOUT)"
    if isinstance(exc, EndPointInternalError):
        return f"the store failed (500): {_text(exc)}"
    return f"cannot reach the store: {reason}"


def _text(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[-1][:300] if str(exc).strip() else type(exc).__name__


def _body(exc: urllib.error.HTTPError) -> str:
    try:
        return exc.read().decode("utf-8", "replace").strip()[:300]
    except Exception:  # the body is only for the message
        return exc.reason or ""


def read_rq(name: str) -> str:
    from pathlib import Path

    return (Path(__file__).parent / "rq" / name).read_text(encoding="utf-8")
