"""The ``policykg`` command."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from .build import BuildError, build, current_release, prepare, validate_dataset
from .config import Settings, load_settings
from .queries import QueryError, load_queries, parse_params
from .results import serialise
from .sparql import default_workers
from .store import StoreError, open_store


def _build(args: argparse.Namespace) -> int:
    settings = load_settings()
    try:
        result = build(settings, progress=not args.quiet, allow_unresolved=args.allow_unresolved)
    except BuildError as exc:
        print(exc, file=sys.stderr)
        print("The previous build, if any, is unchanged.", file=sys.stderr)
        return 1
    total = sum(result.timings.values())
    print(f"policykg build {result.release_id}{' (unchanged)' if result.unchanged else ''}: "
          f"{result.quads} quads in {len(result.graphs)} named graphs, {total:.1f}s")  # fmt: skip
    for graph, count in result.graphs.items():
        print(f"  {graph}  {count}")
    if settings.store == "remote" and _load(settings, result.release, args.quiet) != 0:
        return 1
    try:
        summary = open_store(settings, result.release)
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return 2
    counts = summary.query(
        """PREFIX pkg: <https://w3id.org/policykg/ns#>
        SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
          VALUES ?class { pkg:Cluster pkg:Action pkg:ActionReport pkg:BudgetLine pkg:FieldOfAction
                          <http://www.w3.org/ns/org#Organization> <http://www.w3.org/ns/org#Membership> }
          ?s a ?class } GROUP BY ?class ORDER BY ?class"""
    )
    assert isinstance(counts, ox.QuerySolutions)
    for row in counts:
        print(f"  {row['class'].value.rsplit('#', 1)[-1]:<16} {row['n'].value}")
    print(f"  dumps in {result.release}")
    return 0


def _not_built() -> int:
    """What every command that needs a release says when there is none yet."""
    print("no built graph yet: run `policykg build` first", file=sys.stderr)
    return 2


def _load(settings: Settings, release: Path | None, quiet: bool) -> int:
    """Publish a built release to the remote store (``POLICYKG_STORE=remote``) by the safe path of loading.py."""
    from .loading import LoadError, load_release
    from .remote import RemoteConfig, RemoteStore

    if release is None:
        return _not_built()
    try:
        store = RemoteStore(RemoteConfig.from_env(), settings.base)
        if store.live(refresh=True).release == release.name:
            print(f"release {release.name} is already live in {store.config.query_url}")
            return 0
        result = load_release(store, release, settings.shapes_dir,
                              on_step=None if quiet else lambda s: print(f"  {s}", file=sys.stderr))  # fmt: skip
    except (LoadError, StoreError) as exc:
        print(exc, file=sys.stderr)
        return 1
    steps = ", ".join(f"{k} {v:.1f}s" for k, v in result.timings.items())
    print(f"release {result.release} is live in {store.config.query_url}: {result.triples} triples ({steps})")
    return 0


def _load_command(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings.store != "remote":
        print("`policykg load` publishes to a remote store: set POLICYKG_STORE=remote (see the README)",
              file=sys.stderr)
        return 2
    return _load(settings, current_release(settings), args.quiet)


def _validate(args: argparse.Namespace) -> int:
    settings = load_settings()
    try:
        built = prepare(settings, progress=not args.quiet)
        violations = validate_dataset(built, settings)
    except BuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    if not violations:
        print(f"The graph conforms to the shapes ({len(built.dataset)} quads).")
        return 0
    print(f"{len(violations)} SHACL violation(s):")
    for violation in violations:
        print(f"- focus node: {violation.focus}")
        if violation.path:
            print(f"  path:       {violation.path}")
        if violation.value:
            print(f"  value:      {violation.value}")
        print(f"  message:    {violation.message}")
        if violation.source:
            print(f"  source:     {violation.source}")
    return 1


def _query(args: argparse.Namespace) -> int:
    settings = load_settings()
    try:
        queries = load_queries(settings.queries_dir)
        if args.name not in queries:
            print(f"unknown query {args.name!r}; known: {', '.join(sorted(queries))}", file=sys.stderr)
            return 2
        query = queries[args.name]
        text = query.bound(parse_params(args.param or []))
        store = open_store(settings, current_release(settings))
        solutions = store.query(text)
    except (QueryError, StoreError) as exc:
        print(exc, file=sys.stderr)
        return 2
    if not isinstance(solutions, ox.QuerySolutions):
        print("only SELECT queries can be listed as rows", file=sys.stderr)
        return 2
    sys.stdout.buffer.write(serialise(solutions, args.format))
    return 0


def _queries(args: argparse.Namespace) -> int:
    settings = load_settings()
    for name, query in load_queries(settings.queries_dir).items():
        params = ", ".join(f"{p.name}:{p.type}{'' if p.required else '?'}" for p in query.parameters)
        print(f"{name:<28} {query.title(args.lang)}" + (f"  [{params}]" if params else ""))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate_release, render

    settings = load_settings()
    try:
        scores = evaluate_release(open_store(settings, current_release(settings)), settings)
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(render(scores, limit=None if args.details else 15))
    return 0


def _network(args: argparse.Namespace) -> int:
    from datetime import date

    from . import network as nw

    settings = load_settings()
    try:
        store = open_store(settings, current_release(settings))
        start = date.fromisoformat(args.start) if args.start else None
        end = date.fromisoformat(args.end) if args.end else None
        filt = nw.Filter(start=start, end=end, levels=frozenset(args.level or ()), types=frozenset(args.type or ()),
                         domains=frozenset(args.domain or ()), body=args.body, status=args.status,
                         fold_posts=args.fold_posts)
        corpus = nw.load_release(store, settings.queries_dir)
        graph = nw.network(corpus, args.layer.split(","), filt)
        out = nw.export(graph, filt, args.format, args.table, args.lang)
    except (StoreError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.output:
        with open(args.output, "wb") as handle:
            handle.write(out)
    else:
        sys.stdout.buffer.write(out)
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .webapp import create_app

    settings = load_settings()
    release = current_release(settings)
    if release is None:
        return _not_built()
    remote = None
    if settings.store == "remote":
        from .remote import RemoteConfig, RemoteStore

        try:
            remote = RemoteStore(RemoteConfig.from_env(), settings.base)
            live = remote.live(refresh=True).release
        except StoreError as exc:
            print(exc, file=sys.stderr)
            return 2
        if live != release.name:
            print(f"the remote store serves release {live}, this build is {release.name}: run `policykg load`",
                  file=sys.stderr)  # fmt: skip
            return 2
    app = create_app(
        release,
        settings.queries_dir,
        settings.service_dir,
        workers=args.workers,
        time_limit=args.time_limit,
        row_limit=args.row_limit,
        store=args.store,
        remote=remote,
    )
    print(f"policykg serves release {release.name} on http://{args.host}:{args.port}/ (SPARQL at /sparql)")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _publish(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .pages import Site
    from .static_export import export

    settings = load_settings()
    release = current_release(settings)
    if release is None:
        return _not_built()
    import json

    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    site = Site(open_store(settings, release), release, manifest, settings)
    result = export(site, Path(args.static), settings.service_dir / "static")
    print(f"policykg publish: {result.resources} resources, {result.files} files in {args.static}, "
          f"{result.seconds:.1f}s")  # fmt: skip
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="policykg", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build, validate and publish the graph from the sources")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    p.add_argument(
        "--allow-unresolved",
        action="store_true",
        help="publish even if some names resolve to no registry entry",
    )
    p.set_defaults(func=_build)

    p = sub.add_parser("load", help="publish the current build to the remote store (POLICYKG_STORE=remote)")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=_load_command)

    p = sub.add_parser("validate", help="extract and validate against the SHACL shapes without publishing")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=_validate)

    p = sub.add_parser("query", help="run a named research query on the current build")
    p.add_argument("name")
    p.add_argument("--param", action="append", metavar="KEY=VALUE", help="bind a query parameter (repeatable)")
    p.add_argument("--format", default="table", choices=["csv", "tsv", "json", "xml", "table"])
    p.set_defaults(func=_query)

    p = sub.add_parser("queries", help="list the named research queries")
    p.add_argument("--lang", default="en", choices=["en", "nl"])
    p.set_defaults(func=_queries)

    p = sub.add_parser("serve", help="serve the current build: SPARQL endpoint, query library, editor")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=default_workers(), help="query worker processes")
    p.add_argument("--time-limit", type=float, default=15.0, help="seconds a query may run")
    p.add_argument("--row-limit", type=int, default=10000, help="rows (or triples) a result may have")
    p.add_argument(
        "--store",
        default="auto",
        choices=["auto", "memory", "disk"],
        help="hold the graph in memory in each worker (fast) or read the on-disk store (big graphs); "
        "auto: memory up to a million quads",
    )
    p.set_defaults(func=_serve)

    p = sub.add_parser("network", help="the coordination network as GEXF, GraphML, CSV or JSON (for Gephi, R, Python)")
    p.add_argument("--layer", default="co-attendance",
                   help="co-attendance, membership, co-responsibility or funding; several joined by commas")
    p.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="only events on or after this day")
    p.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="only events on or before this day (as of)")
    p.add_argument("--level", action="append", help="only actors of this governance level (repeatable)")
    p.add_argument("--type", action="append", help="only actors of this type (repeatable)")
    p.add_argument("--domain", action="append", help="only actors of this policy domain (repeatable)")
    p.add_argument("--body", help="only the sessions of this body (its IRI)")
    p.add_argument("--status", default="held", choices=["held", "planned", "all"])
    p.add_argument("--fold-posts", action="store_true", help="show posts and persons as their organisation")
    p.add_argument("--format", default="gexf", choices=["gexf", "graphml", "csv", "json"])
    p.add_argument("--table", default="nodes", choices=["nodes", "edges"], help="which table --format csv writes")
    p.add_argument("--lang", default="nl", choices=["nl", "en"])
    p.add_argument("--output", "-o", help="write to this file instead of standard output")
    p.set_defaults(func=_network)

    p = sub.add_parser("publish", help="write the linked data site (pages, RDF, dumps, catalogue) as static files")
    p.add_argument("--static", required=True, metavar="DIR", help="output folder (emptied first)")
    p.set_defaults(func=_publish)

    p = sub.add_parser("evaluate", help="precision and recall of the extraction against the annotated sample")
    p.add_argument("--details", action="store_true",
                   help="list every missed and spurious item per field (file, line, values), not only the first 15")
    p.set_defaults(func=_evaluate)

    args = parser.parse_args(argv)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `policykg query ... | head` ends quietly
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
