"""policykg on real store servers: the Oxigraph server and Virtuoso, each started here on loopback.

A missing server binary fails the test with what to install (``policykg.servers.ServerMissing``);
nothing is skipped. The corpus release is loaded once per server by the safe path of
``policykg.loading`` and every research query must give the embedded store's answer. The failure
tests load other releases into the same servers and check that the live release never changes;
the two that kill a loader and a server come last, as they end with another release live.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import replace
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from conftest import start_server, stop_server

from policykg.loading import LoadError, load_release, read_manifest
from policykg.queries import load_queries
from policykg.remote import RemoteConfig, RemoteStore
from policykg.servers import LocalServer, local
from policykg.store import StoreError, StoreTimeout

BASE = "https://w3id.org/policykg/"
PKG = f"{BASE}ns#"
REGISTRY = f"{BASE}graph/registry"
KINDS = ("oxigraph", "virtuoso")
# Virtuoso's row cap in these tests: below the corpus's 157,576 triples and 28,554 typed resources,
# so reading the merge back and the query of every type below need paging, and above every
# research query's rows.
VIRTUOSO_CAP = 20_000


def _env(config: RemoteConfig) -> dict[str, str]:
    env = {
        "POLICYKG_STORE": "remote",
        "POLICYKG_STORE_QUERY": config.query_url,
        "POLICYKG_STORE_UPDATE": config.update_url or "",
        "POLICYKG_STORE_GSP": config.graph_store_url or "",
        "POLICYKG_STORE_AUTH": config.auth,
        "POLICYKG_STORE_UPLOAD_BYTES": str(config.upload_bytes),
    }
    if config.user:
        env["POLICYKG_STORE_USER"] = config.user
        env["POLICYKG_STORE_PASSWORD"] = config.password or ""
    if config.bulk_parameters:
        env["POLICYKG_STORE_GSP_BULK"] = config.bulk_parameters
    return env


@pytest.fixture(scope="module", params=KINDS)
def remote(request, built_project, tmp_path_factory) -> tuple[LocalServer, RemoteStore]:
    """A server of each kind holding the corpus release, loaded by the safe path."""
    _, result = built_project
    options = {"max_rows": VIRTUOSO_CAP} if request.param == "virtuoso" else {}
    server = local(request.param, tmp_path_factory.mktemp(request.param), **options).start()
    store = RemoteStore(server.config, BASE)
    try:
        load_release(store, result.release, built_project[0].shapes_dir)
        yield server, store
    finally:
        server.stop()


def _normalised(query_text: str, rows: list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]]) -> Counter[str]:
    """Rows as a multiset; GROUP_CONCAT's order and the order among ORDER BY ties are the engine's to choose."""
    concatenated = set(re.findall(r"GROUP_CONCAT\([^)]*\)\s+AS\s+\?(\w+)", query_text, re.IGNORECASE))
    out = []
    for row in rows:
        cells = {k: ", ".join(sorted(v.value.split(", "))) if k in concatenated else str(v) for k, v in row.items()}
        out.append(json.dumps(cells, sort_keys=True))
    return Counter(out)


def test_research_queries_same_answers_as_embedded(remote, store, built_project):
    _, remote_store = remote
    settings, _ = built_project
    queries = load_queries(settings.queries_dir)
    assert len(queries) >= 24
    for name, query in queries.items():
        text = query.bound({})
        expected = store.select(text)
        got = remote_store.select(text)
        assert len(got) == len(expected), name
        assert _normalised(text, got) == _normalised(text, expected), name


def test_result_types_are_the_embedded_stores(remote, store):
    _, remote_store = remote
    select = remote_store.query(f"SELECT (COUNT(?a) AS ?n) WHERE {{ ?a a <{PKG}Action> }}")
    assert isinstance(select, ox.QuerySolutions)
    assert [v.value for v in select.variables] == ["n"]
    assert next(iter(select))["n"] == ox.Literal("62", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    ask = remote_store.query(f"ASK {{ <{BASE}id/action/2017/1.1> a <{PKG}Action> }}")
    assert isinstance(ask, ox.QueryBoolean) and bool(ask)
    construct = f"CONSTRUCT {{ ?a ?p ?o }} WHERE {{ ?a ?p ?o FILTER(?a = <{BASE}id/action/2017/4.2>) }}"
    triples = remote_store.query(construct)
    assert isinstance(triples, ox.QueryTriples)
    assert set(triples) == set(store.query(construct))  # type: ignore[arg-type]


def test_graph_names_are_the_releases_own(remote, built_project):
    _, remote_store = remote
    _, result = built_project
    rows = remote_store.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?a a <{PKG}Action> }} }}")
    assert {r["g"].value for r in rows} == {f"{BASE}graph/voortgangsrapport-2018-11"}
    counted = remote_store.select(f"SELECT (COUNT(*) AS ?n) FROM <{REGISTRY}> WHERE {{ ?s ?p ?o }}")
    assert int(counted[0]["n"].value) == result.graphs[REGISTRY]


def test_capped_results_are_detected_and_paged(remote, store):
    server, remote_store = remote
    typed = "SELECT ?s ?c WHERE { ?s a ?c }"
    if server.kind == "virtuoso":
        # Virtuoso cuts at VIRTUOSO_CAP rows and says so only in a header.
        assert len(remote_store.select(typed)) == len(store.select(typed)) > VIRTUOSO_CAP
        # In order too: each page is a sorted TOP of offset + limit rows, past Virtuoso's default
        # MaxSortedTopRows of 10,000 from the second page on (the 1M benchmark stopped there).
        ordered = f"{typed} ORDER BY ?s ?c"
        assert _normalised(ordered, remote_store.select(ordered)) == _normalised(ordered, store.select(ordered))
    else:
        # A store that cuts silently at a known limit (POLICYKG_STORE_MAX_ROWS).
        capped = RemoteStore(replace(server.config, max_rows=1000), BASE)
        rows = capped.select("SELECT ?s WHERE { ?s a ?c } ORDER BY ?s ?c")
        assert len(rows) == len(remote_store.select("SELECT ?s WHERE { ?s a ?c }")) > 1000
        with pytest.raises(StoreError, match="own LIMIT"):
            capped.select("SELECT ?s WHERE { ?s a ?c } LIMIT 5000")


def _variant(source: Path, target: Path, extra: str, count_shift: int = 0) -> Path:
    """Another, small release: the corpus's vocabulary graph plus a graph of ``extra`` N-Triples.

    Small, because what is tested is the switch and what a failure leaves; the loads of the whole
    corpus are in the fixture.
    """
    target.mkdir(parents=True)
    vocabulary, graph = f"{BASE}graph/vocabulary", f"{BASE}graph/variant"
    kept = [line for line in (source / "policykg.nq").read_text(encoding="utf-8").splitlines(keepends=True)
            if line.endswith(f"<{vocabulary}> .\n")]  # fmt: skip
    added = list(ox.parse(extra.encode(), format=ox.RdfFormat.N_TRIPLES))
    (target / "policykg.nq").write_text("".join(kept) + "".join(f"{t} <{graph}> .\n" for t in added), encoding="utf-8")
    triples = {line.rsplit(" ", 2)[0] for line in kept} | {str(t) for t in added}
    (target / "policykg.ttl").write_text("".join(f"{t} .\n" for t in sorted(triples)), encoding="utf-8")
    manifest = {"release": target.name, "graphs": {vocabulary: len(kept), graph: len(added) + count_shift},
                "triples": len(triples), "quads": len(kept) + len(added)}  # fmt: skip
    (target / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return target


LABEL = f'<{BASE}id/action/2017/1.1> <http://www.w3.org/2000/01/rdf-schema#comment> "variant" .\n'
BAD_EVENT = f"<{BASE}id/event/bad> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{PKG}Event> .\n"


def _live_state(remote_store: RemoteStore) -> tuple[str | None, int]:
    live = remote_store.live(refresh=True)
    return live.release, int(remote_store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"].value)


def test_shacl_violation_or_wrong_count_in_the_store_leaves_the_live_graph(remote, built_project, tmp_path):
    _, remote_store = remote
    settings, result = built_project
    before = _live_state(remote_store)
    bad = _variant(result.release, tmp_path / "bad0000000000001", BAD_EVENT)
    with pytest.raises(LoadError, match="SHACL") as caught:
        load_release(remote_store, bad, settings.shapes_dir)
    assert any(f"{BASE}id/event/bad" in m for m in caught.value.messages)
    assert _live_state(remote_store) == before
    miscounted = _variant(result.release, tmp_path / "bad0000000000002", LABEL, count_shift=1)
    with pytest.raises(LoadError, match="triple counts"):
        load_release(remote_store, miscounted, settings.shapes_dir)
    assert _live_state(remote_store) == before
    # the failed loads' graphs are gone: only the live release's graphs (and the control graph) remain
    pending = remote_store.select_raw("pending.rq", {"pending": ox.NamedNode(f"{remote_store.control}/pending")},
                                      (remote_store.control,))  # fmt: skip
    assert pending == []


# -- failures of the store: real servers that misbehave ------------------------------------------


class _Unavailable(http.server.BaseHTTPRequestHandler):
    calls = 0

    def do_POST(self) -> None:
        type(self).calls += 1
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_5xx_is_retried_a_bounded_number_of_times_then_a_clear_error():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Unavailable)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        config = RemoteConfig(query_url=f"http://127.0.0.1:{server.server_port}/sparql", retries=2, timeout=5)
        with pytest.raises(StoreError, match=r"503.*3 attempts, giving up"):
            RemoteStore(config, BASE).query_raw("ASK {}", default_graphs=())
        assert _Unavailable.calls == 3
    finally:
        server.shutdown()


def test_a_store_that_never_answers_times_out_with_a_clear_error():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                accepted.append(listener.accept()[0])  # read nothing, answer nothing
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    try:
        config = RemoteConfig(query_url=f"http://127.0.0.1:{listener.getsockname()[1]}/sparql", retries=1, timeout=1)
        with pytest.raises(StoreTimeout, match=r"no answer within the timeout of 1 s.*2 attempts"):
            RemoteStore(config, BASE).query_raw("ASK {}", default_graphs=())
        assert len(accepted) == 2
    finally:
        listener.close()
        for connection in accepted:
            connection.close()


# -- the command line and the web service on a remote store --------------------------------------


_EMBEDDED: dict[tuple[str, ...], str] = {}


def _cli(settings, env: dict[str, str], *args: str) -> str:
    run = subprocess.run([sys.executable, "-m", "policykg.cli", *args], capture_output=True, text=True,
                         env={**os.environ, "POLICYKG_ROOT": str(settings.root), **env}, timeout=300)  # fmt: skip
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_one_setting_moves_the_command_line_to_the_remote_store(remote, built_project):
    server, _ = remote
    settings, _ = built_project
    embedded = {"POLICYKG_STORE": "embedded"}
    for args in (("query", "action-budgets", "--param", "code=4.1", "--format", "csv"), ("evaluate",)):
        if args not in _EMBEDDED:
            _EMBEDDED[args] = _cli(settings, embedded, *args)
        assert _cli(settings, _env(server.config), *args) == _EMBEDDED[args]


def test_sparql_endpoint_on_the_remote_store_keeps_its_gate_and_limits(remote, built_project, monkeypatch):
    server, _ = remote
    settings, _ = built_project
    for key, value in _env(server.config).items():
        monkeypatch.setenv(key, value)
    service = start_server(settings.root, "--row-limit", "10", "--time-limit", "10")
    try:
        answer = httpx.get(service.sparql, params={"query": f"SELECT (COUNT(?a) AS ?n) WHERE {{ ?a a <{PKG}Action> }}"},
                           headers={"Accept": "text/csv"})  # fmt: skip
        assert answer.status_code == 200 and answer.text.splitlines() == ["n", "62"]
        federated = "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"
        refused = httpx.get(service.sparql, params={"query": federated})
        assert refused.status_code == 400 and "SERVICE" in refused.text
        update = httpx.post(service.sparql, data={"query": "DROP ALL"})
        assert update.status_code == 400
        cut = httpx.get(service.sparql, params={"query": f"SELECT ?a WHERE {{ ?a a <{PKG}Action> }}"},
                        headers={"Accept": "text/csv"})  # fmt: skip
        assert cut.headers["X-SPARQL-Truncated"] == "true" and len(cut.text.splitlines()) == 11
    finally:
        stop_server(service)


# -- last for each server: they change the live release ------------------------------------------


KILLER = """
import os, signal, sys
from pathlib import Path
from policykg.loading import load_release
from policykg.remote import RemoteConfig, RemoteStore

def step(name):
    if name.startswith("upload"):
        print("killed after", name, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

load_release(RemoteStore(RemoteConfig.from_env(), sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), on_step=step)
"""


def test_killed_loader_leaves_the_live_graph_and_the_next_load_succeeds(remote, built_project, tmp_path, store):
    server, remote_store = remote
    settings, result = built_project
    before = _live_state(remote_store)
    variant = _variant(result.release, tmp_path / "variant000000001", LABEL)
    env = {**os.environ, **_env(server.config)}
    killed = subprocess.run([sys.executable, "-c", KILLER, BASE, str(variant), str(settings.shapes_dir)],
                            env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert "killed after upload" in killed.stdout
    assert _live_state(remote_store) == before
    actions = load_queries(settings.queries_dir)["actions"].text
    assert remote_store.select(actions) == store.select(actions)
    # The next load clears what the killed one left and goes live.
    load_release(remote_store, variant, settings.shapes_dir)
    assert _live_state(remote_store) == (variant.name, int(read_manifest(variant)["triples"]))  # type: ignore[call-overload]
    assert remote_store.select_raw("pending.rq", {"pending": ox.NamedNode(f"{remote_store.control}/pending")},
                                   (remote_store.control,)) == []  # fmt: skip


def test_server_killed_mid_load_leaves_the_live_graph(remote, built_project, tmp_path):
    """Both servers keep their data on disk: kill the server during a load, start it again, look."""
    server, remote_store = remote
    settings, result = built_project
    before = _live_state(remote_store)
    store = RemoteStore(replace(server.config, retries=1, timeout=10), BASE)
    variant = _variant(result.release, tmp_path / "variant000000002", LABEL)

    def crash(name: str) -> None:
        if name.startswith("upload"):
            server.kill()

    with pytest.raises(LoadError, match="sending the graphs"):
        load_release(store, variant, settings.shapes_dir, on_step=crash)
    server.start()
    assert _live_state(remote_store) == before


# -- without a server -----------------------------------------------------------------------------


def test_graph_names_are_renamed_only_where_they_are_iris():
    from policykg.sparql import rename_iris, top_level_words

    text = f'SELECT * FROM <{REGISTRY}> WHERE {{ ?s ?p "<{REGISTRY}>" }} # <{REGISTRY}>'
    renamed = rename_iris(text, {REGISTRY: "urn:stored"})
    assert renamed == f'SELECT * FROM <urn:stored> WHERE {{ ?s ?p "<{REGISTRY}>" }} # <{REGISTRY}>'
    assert top_level_words('ASK { ?s ?p "SELECT GRAPH" }') == ["ASK"]
    assert top_level_words("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 3", after_last_brace=True) == [
        "ORDER", "BY", "LIMIT"]  # fmt: skip


def test_remote_settings_come_from_the_environment():
    with pytest.raises(StoreError, match="POLICYKG_STORE_QUERY"):
        RemoteConfig.from_env({"POLICYKG_STORE": "remote"})
    config = RemoteConfig.from_env({"POLICYKG_STORE_QUERY": "http://127.0.0.1:1/q", "POLICYKG_STORE_USER": "u",
                                    "POLICYKG_STORE_PASSWORD": "p", "POLICYKG_STORE_AUTH": "digest",
                                    "POLICYKG_STORE_TIMEOUT": "7"})  # fmt: skip
    assert (config.user, config.password, config.auth, config.timeout) == ("u", "p", "digest", 7.0)
    assert "password" not in repr(config)  # never printed in a message or a log
