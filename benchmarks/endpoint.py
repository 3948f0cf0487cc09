"""The SPARQL endpoint side by side with two reference servers, on the same dump, in one run.

- ``policykg``: ``policykg serve`` (FastAPI, pyoxigraph worker processes, time and row limits).
- ``oxigraph``: the Oxigraph server (PyPI package ``oxigraph``) read-only on the same N-Quads,
  with the union of the named graphs as default graph, as policykg answers.
- ``rdflib-endpoint``: rdflib-endpoint serving the same N-Quads from rdflib's in-memory store.

Per research query (parameters at their defaults): the median latency of ``--repeat`` runs after
one warm-up, over HTTP on loopback, asking for SPARQL JSON results. Then throughput: several
clients send the library's queries round-robin for a fixed time.

Targets: every query within 1.5x of the Oxigraph server, and at least 10x faster than
rdflib-endpoint on the join-heavy queries. Which queries are join-heavy is decided by rdflib
itself, in this process and on the same dump, not by our own timings: a query is join-heavy when
rdflib spends longer evaluating it (the joins) than parsing it. On the others rdflib's per-query
parsing, about the same for every query, dominates its latency and bounds any ratio.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from rdflib.plugins.sparql import prepareQuery

from policykg.build import build
from policykg.config import Settings
from policykg.queries import load_queries

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CLIENTS = 4
THROUGHPUT_SECONDS = 15.0
REQUEST_TIMEOUT = 120.0
SERVERS = ("policykg", "policykg (disk)", "oxigraph (memory)", "oxigraph (disk)", "rdflib-endpoint")


@dataclass
class Running:
    name: str
    url: str
    process: subprocess.Popen[bytes]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes], seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: server exited with {process.returncode}")
        try:
            answer = httpx.post(url, data={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"})
            if answer.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


@contextmanager
def _servers(build_dir: Path, work: Path) -> Iterator[list[Running]]:
    dump = build_dir / "current" / "policykg.nq"
    oxigraph_db = work / "oxigraph"
    oxigraph = str(BIN / "oxigraph")
    subprocess.run([oxigraph, "load", "--location", str(oxigraph_db), "--file", str(dump)], check=True)
    env = {**os.environ, "POLICYKG_ROOT": str(ROOT), "POLICYKG_BUILD": str(build_dir)}
    ports = [_free_port() for _ in SERVERS]
    serve = [sys.executable, "-m", "policykg.cli", "serve", "--port"]
    commands = {
        "policykg": (f"http://127.0.0.1:{ports[0]}/sparql", [*serve, str(ports[0])]),
        "policykg (disk)": (f"http://127.0.0.1:{ports[1]}/sparql", [*serve, str(ports[1]), "--store", "disk"]),
        "oxigraph (memory)": (
            f"http://127.0.0.1:{ports[2]}/query",
            [oxigraph, "serve", "--bind", f"127.0.0.1:{ports[2]}", "--union-default-graph"],
        ),
        "oxigraph (disk)": (
            f"http://127.0.0.1:{ports[3]}/query",
            [oxigraph, "serve-read-only", "--location", str(oxigraph_db), "--bind", f"127.0.0.1:{ports[3]}",
             "--union-default-graph"],
        ),
        "rdflib-endpoint": (
            f"http://127.0.0.1:{ports[4]}/",
            [str(BIN / "rdflib-endpoint"), "serve", "--host", "127.0.0.1", "--port", str(ports[4]), str(dump)],
        ),
    }  # fmt: skip
    running: list[Running] = []
    try:
        for name in SERVERS:
            url, command = commands[name]
            process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            running.append(Running(name, url, process))
        for server in running:
            _wait(server.url, server.process)
        # The in-memory Oxigraph server starts empty: load the same dump over its Graph Store Protocol.
        memory = next(s for s in running if s.name == "oxigraph (memory)")
        loaded = httpx.post(
            memory.url.replace("/query", "/store"),
            content=dump.read_bytes(),
            headers={"Content-Type": "application/n-quads"},
            timeout=600,
        )
        loaded.raise_for_status()
        yield running
    finally:
        for server in running:
            server.process.terminate()
            try:
                server.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.process.kill()


def rdflib_profile(dump: Path, queries: dict[str, str], repeat: int) -> dict[str, dict[str, float]]:
    """rdflib's own parse and evaluation time per query (median ms), in memory on the dump."""
    from rdflib import Dataset

    dataset = Dataset(default_union=True)
    dataset.parse(dump, format="nquads")
    profile: dict[str, dict[str, float]] = {}
    for name, text in queries.items():
        parse_times, eval_times = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            prepared = prepareQuery(text)
            parsed = time.perf_counter()
            try:
                list(dataset.query(prepared))
            except Exception:  # rdflib fails some queries; they count as evaluation-bound
                eval_times.append(float("inf"))
                parse_times.append(parsed - started)
                break
            eval_times.append(time.perf_counter() - parsed)
            parse_times.append(parsed - started)
        profile[name] = {
            "parse_ms": statistics.median(parse_times) * 1000,
            "evaluate_ms": statistics.median(eval_times) * 1000,
        }
    return profile


def _ask(client: httpx.Client, url: str, text: str) -> tuple[float, int | None, str | None]:
    started = time.perf_counter()
    try:
        answer = client.post(url, data={"query": text}, headers={"Accept": "application/sparql-results+json"})
    except httpx.HTTPError as exc:
        return time.perf_counter() - started, None, type(exc).__name__
    elapsed = time.perf_counter() - started
    if answer.status_code != 200:
        return elapsed, None, f"HTTP {answer.status_code}"
    try:
        rows = len(json.loads(answer.content)["results"]["bindings"])
    except (ValueError, KeyError):
        return elapsed, None, "unreadable result"
    return elapsed, rows, None


def latency(servers: list[Running], queries: dict[str, str], repeat: int) -> dict[str, dict[str, object]]:
    results: dict[str, dict[str, object]] = {}
    with httpx.Client(timeout=REQUEST_TIMEOUT) as client:
        for name, text in queries.items():
            entry: dict[str, object] = {}
            for server in servers:
                _ask(client, server.url, text)  # warm-up
                runs = [_ask(client, server.url, text) for _ in range(repeat)]
                errors = {e for _, _, e in runs if e}
                entry[server.name] = {
                    "median_ms": statistics.median(t for t, _, _ in runs) * 1000,
                    "rows": runs[0][1],
                    "error": sorted(errors)[0] if errors else None,
                }
            results[name] = entry
            print(
                f"  {name}: " + ", ".join(f"{s.name} {entry[s.name]['median_ms']:.1f} ms" for s in servers),
                file=sys.stderr,
            )
    return results


def throughput(server: Running, texts: list[str]) -> dict[str, float]:
    done = [0] * CLIENTS
    failed = [0] * CLIENTS
    stop = time.monotonic() + THROUGHPUT_SECONDS

    def client_loop(index: int) -> None:
        with httpx.Client(timeout=REQUEST_TIMEOUT) as client:
            position = index
            while time.monotonic() < stop:
                _, _, error = _ask(client, server.url, texts[position % len(texts)])
                if time.monotonic() > stop:
                    break
                if error:
                    failed[index] += 1
                else:
                    done[index] += 1
                position += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = max(time.monotonic() - started, THROUGHPUT_SECONDS)
    return {"queries_per_second": sum(done) / elapsed, "failed": float(sum(failed))}


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "–"


def run(repeat: int = 5) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        build_dir = work / "build"
        build(Settings(root=ROOT, build_dir=build_dir), progress=False)
        library = load_queries(ROOT / "queries")
        queries = {name: q.bound({}) for name, q in sorted(library.items())}
        print("  rdflib in process: parse and evaluation time per query", file=sys.stderr)
        profile = rdflib_profile(build_dir / "current" / "policykg.nq", queries, max(3, repeat // 2))
        with _servers(build_dir, work) as servers:
            measured = latency(servers, queries, repeat)
            rates = {}
            for server in servers:
                print(f"  throughput {server.name} ({CLIENTS} clients, {THROUGHPUT_SECONDS:.0f} s)", file=sys.stderr)
                rates[server.name] = throughput(server, list(queries.values()))
    head = "| query | rdflib parse / evaluate (ms) | " + " | ".join(f"{n} (ms)" for n in SERVERS)
    lines = [
        head + " | policykg ÷ oxigraph (memory) | policykg (disk) ÷ oxigraph (disk) | rdflib-endpoint ÷ policykg |",
        "|---" * (len(SERVERS) + 5) + "|",
    ]
    within, within_disk, within_usual, heavy_ok, heavy_ok_oxigraph, heavy_total = 0, 0, 0, 0, 0, 0
    disagreements: list[str] = []
    for name, entry in measured.items():
        ours, ours_disk, ox, ox_disk, rl = (entry[n] for n in SERVERS)
        cells = [f"{entry[n]['median_ms']:.1f}" + (f" ({entry[n]['error']})" if entry[n]["error"] else "")
                 for n in SERVERS]  # fmt: skip
        own = profile[name]
        heavy = own["evaluate_ms"] > own["parse_ms"]
        entry["rdflib_in_process"] = own
        entry["join_heavy"] = heavy
        within += ours["median_ms"] <= 1.5 * ox["median_ms"]
        within_disk += ours_disk["median_ms"] <= 1.5 * ox_disk["median_ms"]
        within_usual += ours["median_ms"] <= 1.5 * ox_disk["median_ms"]
        if heavy:
            heavy_total += 1
            heavy_ok += bool(rl["error"]) or rl["median_ms"] >= 10 * ours["median_ms"]
            heavy_ok_oxigraph += bool(rl["error"]) or rl["median_ms"] >= 10 * ox["median_ms"]
        for other in SERVERS[1:-1]:
            if entry[other]["rows"] != ours["rows"]:
                disagreements.append(f"{name}: policykg {ours['rows']} rows, {other} {entry[other]['rows']}")
        mark = " **" if heavy else ""
        lines.append(
            f"| {name}{mark} | {own['parse_ms']:.1f} / {own['evaluate_ms']:.1f} | {' | '.join(cells)} | "
            f"{_ratio(ours['median_ms'], ox['median_ms'])} | {_ratio(ours_disk['median_ms'], ox_disk['median_ms'])} "
            f"| {_ratio(rl['median_ms'], ours['median_ms'])} |"
        )
    medians = {n: statistics.median(e[n]["median_ms"] for e in measured.values()) for n in SERVERS}
    count = len(measured)
    lines += [
        "",
        f"Median over the {count} queries: " + ", ".join(f"{n} {medians[n]:.1f} ms" for n in SERVERS) + ".",
        f"policykg within 1.5x of the Oxigraph server on {within} of {count} queries (both in memory) and on "
        f"{within_disk} of {count} (both on disk); policykg as it runs by default (memory) within 1.5x of the "
        f"Oxigraph server as it usually runs (on disk) on {within_usual} of {count}; at least 10x faster than "
        f"rdflib-endpoint on {heavy_ok} of {heavy_total} join-heavy queries (**: rdflib evaluates longer than "
        f"it parses; an rdflib error counts as met), where the in-memory Oxigraph server is on {heavy_ok_oxigraph}.",
        "",
        f"| throughput, {CLIENTS} clients, {THROUGHPUT_SECONDS:.0f} s | queries/s | failed |",
        "|---|---|---|",
    ]
    lines += [f"| {n} | {rates[n]['queries_per_second']:.1f} | {rates[n]['failed']:.0f} |" for n in SERVERS]
    if disagreements:
        lines += ["", "Row counts that differ from policykg's: " + "; ".join(disagreements)]
    return {"queries": measured, "throughput": rates, "medians_ms": medians, "table": "\n".join(lines)}
