"""Local store servers on a loopback port: the Oxigraph server and Virtuoso open-source.

The integration tests and the benchmarks run policykg against real servers started here, each on a
free port of 127.0.0.1 with its data in a folder of its own, and stopped afterwards. A missing
server binary is an error that says what to install, never a silent skip.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .remote import RemoteConfig

KINDS = ("oxigraph", "virtuoso")
START_LIMIT = 60.0  # seconds a server may take to answer its first query
VIRTUOSO_USER = "dba"
VIRTUOSO_PASSWORD = "dba"  # the password of a fresh Virtuoso database; the server only listens on loopback
# Virtuoso's own default row limit, so that what the tests see is what a stock Virtuoso does.
VIRTUOSO_MAX_ROWS = 10000


class ServerMissing(Exception):
    """The server program is not installed; the message says how to install it."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LocalServer:
    kind: str
    folder: Path
    config: RemoteConfig
    command: list[str]
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> LocalServer:
        """Start (or start again, on the same port and data, after :meth:`kill`)."""
        stale = self.folder / "virtuoso.lck"  # a killed Virtuoso leaves its lock file; nothing else holds it
        if self.kind == "virtuoso" and stale.exists():
            stale.unlink()
        log = (self.folder / "server.log").open("ab")
        self.process = subprocess.Popen(self.command, cwd=self.folder, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_LIMIT
        probe = self.config.query_url + "?query=ASK%7B%7D"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = (self.folder / "server.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"{self.kind} server exited with {self.process.returncode}:\n{tail}")
            try:
                with urllib.request.urlopen(probe, timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.kind} server did not answer within {START_LIMIT:.0f} s")

    def kill(self) -> None:
        """Stop the server the hard way, as a crash would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)


def oxigraph_binary() -> str:
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise ServerMissing("the Oxigraph server is not installed: pip install oxigraph (it is in the test extra)")
    return found


def oxigraph(folder: Path, port: int | None = None, timeout: float = 60.0) -> LocalServer:
    """An Oxigraph server keeping its data in ``folder`` (so a restart finds it again)."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    folder.mkdir(parents=True, exist_ok=True)
    command = [oxigraph_binary(), "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}"]
    config = RemoteConfig(query_url=f"{url}/query", update_url=f"{url}/update", graph_store_url=f"{url}/store",
                          timeout=timeout, bulk_parameters="no_transaction")  # fmt: skip
    return LocalServer("oxigraph", folder, config, command)


def virtuoso_binary() -> str:
    found = shutil.which("virtuoso-t")
    if not found:
        raise ServerMissing(
            "Virtuoso open-source is not installed: apt-get install virtuoso-opensource (Debian), "
            "which .ci/run does"
        )
    return found


def virtuoso(folder: Path, port: int | None = None, timeout: float = 60.0, max_rows: int = VIRTUOSO_MAX_ROWS,
             buffers: int = 170_000) -> LocalServer:  # fmt: skip
    """A Virtuoso with its database in ``folder``, HTTP and SQL ports on loopback only.

    ``ResultSetMaxRows`` ([SPARQL]) is Virtuoso's silent row cap; ``MaxSortedTopRows`` (a
    [Parameters] setting: in [SPARQL] it is ignored) is raised from 10,000 so that paging an ordered
    result past it works; ``buffers`` of 8 KiB each (170,000: about 1.3 GiB, Virtuoso's
    advice for 2 GiB of memory).
    """
    port = port or free_port()
    sql_port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    ini = folder / "virtuoso.ini"
    ini.write_text(
        f"""[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {buffers * 3 // 4}
DirsAllowed = .
ThreadsPerQuery = 2
CheckpointInterval = 0
MaxSortedTopRows = 10000000
[HTTPServer]
ServerPort = 127.0.0.1:{port}
ServerRoot = {folder}
ServerThreads = 10
MaxClientConnections = 10
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = {int(timeout)}
MaxQueryCostEstimationTime = 0
""",
        encoding="utf-8",
    )
    url = f"http://127.0.0.1:{port}"
    config = RemoteConfig(
        query_url=f"{url}/sparql",
        update_url=f"{url}/sparql-auth",
        graph_store_url=f"{url}/sparql-graph-crud-auth",
        user=VIRTUOSO_USER,
        password=VIRTUOSO_PASSWORD,
        auth="digest",
        timeout=timeout,
        upload_bytes=2**18,
    )
    return LocalServer("virtuoso", folder, config, [virtuoso_binary(), "-c", str(ini), "+foreground"])


def local(kind: str, folder: Path, **options: object) -> LocalServer:
    if kind == "oxigraph":
        return oxigraph(folder, **options)  # type: ignore[arg-type]
    if kind == "virtuoso":
        return virtuoso(folder, **options)  # type: ignore[arg-type]
    raise ValueError(f"unknown server kind {kind!r} ({', '.join(KINDS)})")
