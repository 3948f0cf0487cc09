"""Answering SPARQL queries safely: what a query may do, and running it within limits.

The public endpoint is read-only and must never make the server reach another host or read a
file. Before a query runs, :func:`inspect` reads it with a small SPARQL lexer (strings, IRIs and
comments are skipped, so a keyword inside a literal does not count) and refuses updates
(INSERT, DELETE, LOAD, CLEAR, ...), SERVICE (federation) and FROM / FROM NAMED of any graph that is
not one of the project's own. The check does not depend on the store, so it protects a remote
store as much as the embedded one. Syntax errors are left to the store, which reports where.

Queries run in a pool of worker processes that open the release's store read-only. A worker
that exceeds the time limit is killed and replaced, so a runaway query cannot hold the server.
At most ``workers - 1`` queries may run past ``slow_after`` seconds at once: one worker always
stays free for quick queries, so a burst of expensive queries does not stop a cheap one from
being answered. Two things keep that lane free under a burst: a query text that was stopped
once for running long is remembered and refused at once while the long lane is full (it would
only occupy the free worker for ``slow_after`` seconds and then cost a replacement), and a warm
spare worker, already holding the graph, takes a killed worker's place at once instead of making
the queue wait while a new process loads the graph. Results are cut at a row limit, and a
truncated result says so.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import multiprocessing
import os
import re
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from .results import RESULT_TYPES, serialise_graph, serialise_solutions
from .store import fill_from_release

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING", "DATA"}
)
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
T = TypeVar("T")
WORKER_START_LIMIT = 300.0  # seconds a new worker may take to load the graph
KNOWN_SLOW = 256  # query texts remembered as long-running

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
              |\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<var>[?$][A-Za-z0-9_\u00C0-\uFFFF]+)
  | (?P<pname>[A-Za-z][\w.\-]*:[\w.\-:%]*|:[\w.\-:%]*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


TOO_MANY_SLOW = (
    "too many long-running queries at once; this one was stopped so that quick queries can still be "
    "answered, try again later"
)


class QueryRefused(Exception):
    """The query is not allowed on this endpoint; the message says why."""


class QueryTimeout(Exception):
    """The query ran past the time limit and was stopped."""


class Busy(Exception):
    """The endpoint is saturated; try again later."""


class QueryFailed(Exception):
    """The store could not run the query (a syntax error, an unsupported feature)."""


@dataclass(frozen=True)
class QueryInfo:
    form: str
    from_graphs: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("ws", "comment") or kind is None:
            continue
        yield kind, match.group(0)


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def decode_codepoints(text: str) -> str:
    """Apply SPARQL's \\uXXXX and \\UXXXXXXXX escapes, which a parser applies before reading the query."""
    return _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def top_level_words(text: str, after_last_brace: bool = False) -> list[str]:
    """The query's keywords in upper case, outside strings, IRIs and comments (or only those after its body).

    Enough to tell the form of a trusted query and whether it names its own dataset or uses GRAPH,
    without a full parser.
    """
    tokens = list(_tokens(decode_codepoints(text)))
    if after_last_brace:
        closing = [i for i, (_, value) in enumerate(tokens) if value == "}"]
        tokens = tokens[closing[-1] + 1 :] if closing else tokens
    return [value.upper() for kind, value in tokens if kind == "word"]


def rename_iris(text: str, names: dict[str, str]) -> str:
    """The query with every ``<iri>`` that is a key of ``names`` replaced by its value (strings, comments untouched)."""
    if not names or not any(iri in text for iri in names):
        return text
    out = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if match.lastgroup == "iri" and token[1:-1] in names:
            token = f"<{names[token[1:-1]]}>"
        out.append(token)
    return "".join(out)


@functools.lru_cache(maxsize=512)
def inspect(text: str, allowed_graphs: frozenset[str]) -> QueryInfo:
    """The query's form and dataset; raises :class:`QueryRefused` for what the endpoint does not allow.

    Cached: editors, dashboards and the query library send the same texts again and again, and
    lexing a long query costs more than the store needs to answer a small one.
    """
    tokens = list(_tokens(decode_codepoints(text)))
    prefixes: dict[str, str] = {}
    base = ""
    form = None
    from_graphs: list[str] = []
    from_named: list[str] = []
    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        upper = value.upper() if kind == "word" else ""
        if upper == "PREFIX" and i + 2 < len(tokens):
            prefixes[tokens[i + 1][1].rstrip(":")] = tokens[i + 2][1][1:-1]
            i += 3
            continue
        if upper == "BASE" and i + 1 < len(tokens):
            base = tokens[i + 1][1][1:-1]
        if upper == "SERVICE":
            raise QueryRefused("SERVICE is not allowed: this endpoint does not query other endpoints")
        if upper in UPDATE_KEYWORDS:
            raise QueryRefused(f"{upper} is an update operation; this endpoint is read-only")
        if upper in FORMS and form is None:
            form = upper
        if upper == "FROM":
            named = i + 1 < len(tokens) and tokens[i + 1][1].upper() == "NAMED"
            j = i + 2 if named else i + 1
            if j >= len(tokens):
                break
            graph = _resolve(tokens[j], prefixes, base)
            if graph not in allowed_graphs:
                raise QueryRefused(
                    f"FROM {'NAMED ' if named else ''}<{graph}> is not one of this endpoint's graphs; "
                    "graphs are never fetched from elsewhere (see the service description for the graphs)"
                )
            (from_named if named else from_graphs).append(graph)
            i = j + 1
            continue
        i += 1
    if form is None:
        raise QueryRefused("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return QueryInfo(form, tuple(from_graphs), tuple(from_named))


def _resolve(token: tuple[str, str], prefixes: dict[str, str], base: str) -> str:
    kind, value = token
    if kind == "iri":
        iri = value[1:-1]
        return iri if re.match(r"^[a-z][a-z0-9+.\-]*:", iri, re.I) or not base else base + iri
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    raise QueryRefused(f"FROM needs a graph IRI, found {value!r}")


# -- the worker pool -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    text: str
    form: str
    media_type: str
    row_limit: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str
    rows: int
    truncated: bool
    seconds: float


def _worker_main(store_path: str, release: str | None, connection: Connection) -> None:
    """Worker process: open the store, answer jobs until the pipe closes.

    With a release, the worker loads its dumps into Oxigraph's in-memory store, which answers the
    research queries about six times faster than the on-disk store (webapp.MEMORY_QUADS); without
    one it opens the release's on-disk store read-only, for graphs too big to hold per worker.
    """
    if release is None:
        store = ox.Store.read_only(store_path)
    else:
        store = ox.Store()
        fill_from_release(store, Path(release))
    connection.send(("ready", None, 0.0))  # the pool hands out no job before this: loading is not query time
    while True:
        try:
            job: Job = connection.recv()
        except EOFError:
            return
        started = time.perf_counter()
        try:
            connection.send(("ok", _run(store, job), time.perf_counter() - started))
        except Exception as exc:  # the store raises SyntaxError, ValueError, OSError...
            connection.send(("error", f"{type(exc).__name__}: {exc}", time.perf_counter() - started))


def _run(store: ox.Store, job: Job) -> tuple[bytes, int, bool]:
    options: dict[str, Any] = {}
    if job.default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    if job.named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    result = store.query(job.text, **options)
    if isinstance(result, ox.QueryBoolean):
        return serialise_solutions(None, [], job.media_type, boolean=bool(result)), 1, False
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        # tuple(solution): the terms in the order of the variables, None where unbound
        rows, truncated = _first((tuple(solution) for solution in result), job.row_limit)
        return serialise_solutions(variables, rows, job.media_type), len(rows), truncated
    triples, truncated = _first(result, job.row_limit)
    return serialise_graph(triples, job.media_type), len(triples), truncated


def _first(items: Iterable[T], limit: int) -> tuple[list[T], bool]:
    """At most ``limit`` items, and whether there were more."""
    taken = list(itertools.islice(items, limit + 1))
    return taken[:limit], len(taken) > limit


@dataclass
class _Worker:
    process: Any
    connection: Connection


@dataclass
class QueryPool:
    """Worker processes over one store, with a time limit, a row limit and a free lane for quick queries.

    The pool lives on the web server's event loop: a request waits for its worker's pipe to become
    readable instead of blocking a thread, which keeps the per-query overhead near the store's own time.
    """

    store_path: Path
    workers: int = 3
    time_limit: float = 15.0
    row_limit: int = 10000
    slow_after: float = 1.0
    queue_wait: float = 10.0
    in_memory_release: Path | None = None
    spares: int = 1
    _idle: list[_Worker] = field(default_factory=list)
    _all: list[_Worker] = field(default_factory=list)
    _spare: list[_Worker] = field(default_factory=list)
    _slow: int = 0
    _free: asyncio.Condition | None = None
    _replacing: set[asyncio.Task[None]] = field(default_factory=set)
    _known_slow: OrderedDict[Job, None] = field(default_factory=OrderedDict)

    def start(self) -> QueryPool:
        if not self.store_path.is_dir():
            raise QueryFailed(f"no store at {self.store_path}: run `policykg build` first")
        for _ in range(max(2, self.workers)):
            self._all.append(self._spawn())
        spares = [self._spawn() for _ in range(max(0, self.spares))]
        for worker in self._all:
            _expect_ready(worker)
            self._idle.append(worker)
        for spare in spares:
            _expect_ready(spare)
            self._spare.append(spare)
        return self

    @property
    def _slow_lane_full(self) -> bool:
        return self._slow >= max(1, len(self._all) - 1)

    def _remember_slow(self, job: Job) -> None:
        self._known_slow[job] = None
        self._known_slow.move_to_end(job)
        while len(self._known_slow) > KNOWN_SLOW:
            self._known_slow.popitem(last=False)

    def _spawn(self) -> _Worker:
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        release = None if self.in_memory_release is None else str(self.in_memory_release)
        process = context.Process(target=_worker_main, args=(str(self.store_path), release, child), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def close(self) -> None:
        for worker in [*self._all, *self._spare]:
            worker.connection.close()
            worker.process.kill()
        self._all.clear()
        self._idle.clear()
        self._spare.clear()

    @property
    def _condition(self) -> asyncio.Condition:
        if self._free is None:
            self._free = asyncio.Condition()
        return self._free

    async def _acquire(self) -> _Worker:
        async with self._condition:
            try:
                await asyncio.wait_for(self._condition.wait_for(lambda: bool(self._idle)), self.queue_wait)
            except TimeoutError as exc:
                raise Busy("all query workers are busy; try again in a moment") from exc
            return self._idle.pop()

    async def _release(self, worker: _Worker, broken: bool) -> None:
        if broken:
            # Replace the worker in the background: the request that broke it gets its answer now.
            task = asyncio.create_task(self._replace(worker))
            self._replacing.add(task)
            task.add_done_callback(self._replacing.discard)
            return
        async with self._condition:
            self._idle.append(worker)
            self._condition.notify()

    async def _replace(self, worker: _Worker) -> None:
        worker.connection.close()
        worker.process.kill()
        loop = asyncio.get_running_loop()
        if self._spare:
            # A warm spare takes the place at once; a new spare loads in the background.
            spare = self._spare.pop()
            self._all[self._all.index(worker)] = spare
            async with self._condition:
                self._idle.append(spare)
                self._condition.notify()
            await loop.run_in_executor(None, worker.process.join, 5)
            self._spare.append(await self._started(await loop.run_in_executor(None, self._spawn)))
            return
        await loop.run_in_executor(None, worker.process.join, 5)
        replacement = await loop.run_in_executor(None, self._spawn)
        self._all[self._all.index(worker)] = replacement
        await self._started(replacement)
        async with self._condition:
            self._idle.append(replacement)
            self._condition.notify()

    @staticmethod
    async def _started(worker: _Worker) -> _Worker:
        if not await _readable(worker.connection, WORKER_START_LIMIT):
            raise QueryFailed("a replacement query worker did not start")
        _expect_ready(worker)
        return worker

    async def execute(self, job: Job) -> Answer:
        known_slow = job in self._known_slow
        if known_slow and self._slow_lane_full:
            raise Busy(TOO_MANY_SLOW)
        worker = await self._acquire()
        known_slow = job in self._known_slow  # it may have been stopped while this one waited
        slow = False
        broken = False
        try:
            if known_slow:  # it takes the long lane from the start, or waits for another time
                if self._slow_lane_full:
                    raise Busy(TOO_MANY_SLOW)
                self._slow += 1
                slow = True
            worker.connection.send(job)
            if not slow and not await _readable(worker.connection, min(self.slow_after, self.time_limit)):
                if self._slow_lane_full:
                    broken = True
                    self._remember_slow(job)
                    raise Busy(TOO_MANY_SLOW)
                self._slow += 1
                slow = True
            remaining = self.time_limit if known_slow else max(0.0, self.time_limit - self.slow_after)
            if slow and not await _readable(worker.connection, remaining):
                broken = True
                self._remember_slow(job)
                raise QueryTimeout(f"the query ran past the time limit of {self.time_limit:g} s and was stopped")
            status, payload, seconds = worker.connection.recv()
            if status == "error":
                raise QueryFailed(payload)
            body, rows, truncated = payload
            return Answer(body, job.media_type, rows, truncated, seconds)
        except (EOFError, BrokenPipeError, OSError) as exc:
            broken = True
            raise QueryFailed(f"query worker failed: {exc}") from exc
        finally:
            if slow:
                self._slow -= 1
            await self._release(worker, broken)


def _expect_ready(worker: _Worker) -> None:
    status, _, _ = worker.connection.recv()
    if status != "ready":
        raise QueryFailed(f"query worker failed to start: {status}")


async def _readable(connection: Connection, timeout: float) -> bool:
    """Wait until the worker has answered (its pipe is readable), at most ``timeout`` seconds."""
    if connection.poll():
        return True
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    descriptor = connection.fileno()
    loop.add_reader(descriptor, lambda: ready.done() or ready.set_result(True))
    try:
        await asyncio.wait_for(ready, timeout)
        return True
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(descriptor)
        os.set_blocking(descriptor, True)  # the event loop made it non-blocking; recv() of a big answer needs it


def media_type_for(form: str, accept: str | None, format_param: str | None) -> str:
    """The result media type by ``format`` parameter, else by Accept header, else the default."""
    offered = RESULT_TYPES["solutions" if form in ("SELECT", "ASK") else "graph"]
    if format_param:
        chosen = offered.get(format_param.lower())
        if chosen is None:
            known = ", ".join(sorted(offered))
            raise NotAcceptable(f"format {format_param!r} is not offered for {form} queries (offered: {known})")
        return chosen
    types = list(dict.fromkeys(offered.values()))
    if not accept:
        return types[0]
    for media in _accepted(accept):
        if media in ("*/*", "application/*", "text/*"):
            return next((t for t in types if t.startswith(media[:-1])), types[0]) if media != "*/*" else types[0]
        if media in types:
            return media
        alias = MEDIA_ALIASES.get(media)
        if alias in types:
            return alias
    raise NotAcceptable(f"none of the accepted types ({accept}) is offered for {form} queries: {', '.join(types)}")


MEDIA_ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "text/plain": "application/n-triples",
    "application/json+ld": "application/ld+json",
}


class NotAcceptable(Exception):
    """No offered result format fits the request."""


def _accepted(accept: str) -> list[str]:
    ranked = []
    for position, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        quality = 1.0
        for piece in pieces[1:]:
            if piece.startswith("q="):
                try:
                    quality = float(piece[2:])
                except ValueError:
                    quality = 0.0
        if pieces[0] and quality > 0:
            ranked.append((-quality, position, pieces[0].lower()))
    return [media for _, _, media in sorted(ranked)]


def default_workers() -> int:
    return max(2, min(4, (os.cpu_count() or 2) + 1))
