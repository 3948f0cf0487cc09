"""The coordination network over HTTP: ``/network`` (JSON, GEXF, GraphML, CSV), one actor's context
and the coordinator's page.

The network's rows are read from the release's store once, on the first request, and every filter
is applied in memory: a coordinator moving the time slider must not wait for SPARQL. Parameters
are few, bounded and checked before anything is computed; a bad one gets a 400 that names it.
"""

from __future__ import annotations

import gc
import re
import threading
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response

from . import network as nw

CYTOSCAPE = Path("node_modules") / "cytoscape" / "dist" / "cytoscape.min.js"
CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
IRI = re.compile(r"^https?://[^\s<>\"{}|^`\\]{1,400}$")
MAX_VALUES = 20
PARAMETERS = {
    "layer",
    "from",
    "to",
    "as_of",
    "level",
    "type",
    "domain",
    "body",
    "status",
    "fold",
    "format",
    "table",
    "lang",
}
EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)


class BadParameter(Exception):
    pass


def _codes(request: Request, name: str) -> frozenset[str]:
    values = [v for raw in request.query_params.getlist(name) for v in raw.split(",") if v]
    if len(values) > MAX_VALUES:
        raise BadParameter(f"parameter {name!r}: at most {MAX_VALUES} values")
    for value in values:
        if not CODE.match(value):
            raise BadParameter(f"parameter {name!r}: {value[:80]!r} is not a code (lowercase letters, digits, '-')")
    return frozenset(values)


def _date(request: Request, name: str) -> date | None:
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise BadParameter(f"parameter {name!r}: {value[:40]!r} is not a date (YYYY-MM-DD)") from exc
    if not EARLIEST <= day <= LATEST:
        raise BadParameter(f"parameter {name!r}: {value} is outside {EARLIEST.year}-{LATEST.year}")
    return day


def _choice(request: Request, name: str, choices: tuple[str, ...], default: str) -> str:
    value = request.query_params.get(name, default)
    if value not in choices:
        raise BadParameter(f"parameter {name!r} must be one of {', '.join(choices)}, not {value[:40]!r}")
    return value


def parse_request(request: Request) -> tuple[list[str], nw.Filter, str, str, str]:
    """Layers, filter, format, CSV table and language from the query string; anything else is refused."""
    unknown = sorted(set(request.query_params) - PARAMETERS)
    if unknown:
        raise BadParameter(f"unknown parameter {unknown[0][:40]!r} (parameters: {', '.join(sorted(PARAMETERS))})")
    requested = _codes(request, "layer") or {"co-attendance"}
    bad = sorted(name for name in requested if name not in nw.LAYERS)
    if bad:
        raise BadParameter(f"parameter 'layer': {bad[0]!r} is not one of {', '.join(nw.LAYERS)}")
    layers = [name for name in nw.LAYERS if name in requested]
    start, end, as_of = _date(request, "from"), _date(request, "to"), _date(request, "as_of")
    if as_of and end:
        raise BadParameter("give either 'to' or 'as_of' (the network as of a day), not both")
    body = request.query_params.get("body") or None
    if body and not IRI.match(body):
        raise BadParameter("parameter 'body' must be the http(s) IRI of a body")
    try:
        filt = nw.Filter(
            start=start,
            end=end or as_of,
            levels=_codes(request, "level"),
            types=_codes(request, "type"),
            domains=_codes(request, "domain"),
            body=body,
            status=_choice(request, "status", nw.STATUSES, "held"),
            fold_posts=_choice(request, "fold", ("false", "true"), "false") == "true",
        )
    except nw.NetworkError as exc:
        raise BadParameter(str(exc)) from exc
    fmt = _choice(request, "format", tuple(nw.FORMATS), "json")
    table = _choice(request, "table", ("nodes", "edges"), "nodes")
    lang = _choice(request, "lang", ("nl", "en"), "nl")
    return layers, filt, fmt, table, lang


def _bad(message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=400)


def options(corpus: nw.Corpus) -> dict[str, Any]:
    """What the page's filters offer: the codes in use and the span of the events."""
    present = (
        set().union(*(e.participants for e in corpus.events))
        | {g.funder for g in corpus.grants}
        | {g.recipient for g in corpus.grants}
    )
    actors = [corpus.actors[a] for a in sorted(present) if a in corpus.actors]
    bodies = sorted({e.session_of for e in corpus.events if e.session_of})
    return {
        "layers": list(nw.LAYERS),
        "levels": sorted({a.level for a in actors if a.level}),
        "types": sorted({a.type for a in actors if a.type}),
        "domains": sorted({d for a in corpus.actors.values() for d in a.domains}),
        "bodies": [{"iri": b, "label": corpus.actors[b].label if b in corpus.actors else b} for b in bodies],
        "first": corpus.events[0].day.isoformat() if corpus.events else None,
        "last": corpus.events[-1].day.isoformat() if corpus.events else None,
        "measures": nw.METHODS,
        "timeline": timeline(corpus),
    }


def timeline(corpus: nw.Corpus) -> dict[str, int]:
    """Events per month (by their first day), for the page's timeline."""
    counts: dict[str, int] = {}
    for event in corpus.events:
        month = event.day.isoformat()[:7]
        counts[month] = counts.get(month, 0) + 1
    return counts


def network_router(app_state: Any) -> APIRouter:
    """The routes; ``app_state`` is the service state (its ``store``, ``queries`` and ``files``)."""
    router = APIRouter()
    cache: dict[str, nw.Corpus] = {}
    lock = threading.Lock()

    def corpus() -> nw.Corpus:
        with lock:
            if "corpus" not in cache:
                cache["corpus"] = nw.load(app_state.store, app_state.queries)
                # made once, with the corpus: every filtered view selects its events from these arrays
                cache["corpus"].arrays  # noqa: B018
                # the corpus lives as long as the service: out of the collector's sight, so that its
                # full passes during a request do not rescan it (hundreds of thousands of events at scale)
                gc.freeze()
            return cache["corpus"]

    @router.get("/network")
    def network_data(request: Request) -> Response:
        try:
            layers, filt, fmt, table, lang = parse_request(request)
        except BadParameter as exc:
            return _bad(str(exc))
        graph = nw.network(corpus(), layers, filt)
        body = nw.export(graph, filt, fmt, table, lang)
        headers = {}
        if fmt != "json":
            extension = {"gexf": "gexf", "graphml": "graphml", "csv": "csv"}[fmt]
            headers["Content-Disposition"] = f'attachment; filename="policykg-{"+".join(layers)}.{extension}"'
        return Response(body, media_type=nw.FORMATS[fmt], headers=headers)

    @router.get("/network/options")
    def network_options() -> JSONResponse:
        return JSONResponse(options(corpus()))

    @router.get("/network/actor")
    def network_actor(request: Request) -> Response:
        iri = request.query_params.get("iri", "")
        if not IRI.match(iri):
            return _bad("parameter 'iri' must be the http(s) IRI of an actor")
        fold = request.query_params.get("fold", "false")
        if fold not in ("true", "false"):
            return _bad("parameter 'fold' must be true or false")
        data = corpus()
        if iri not in data.actors:
            return PlainTextResponse(f"no actor <{iri}> in this graph\n", status_code=404)
        return JSONResponse(nw.actor_context(data, iri, fold_posts=fold == "true"))

    @router.get("/network/view", response_class=HTMLResponse)
    def network_view() -> HTMLResponse:
        from .webapp import _security_headers

        page = app_state.files.templates.get_template("network.html").render()
        return HTMLResponse(page, headers=_security_headers())

    @router.get("/network/static/cytoscape.min.js")
    def cytoscape() -> FileResponse:
        return FileResponse(app_state.files.folder / CYTOSCAPE, media_type="text/javascript")

    return router
