"""Shared fixtures: a private copy of the project's artefact folders, and one build of it.

Tests never build into the checkout's own ``build/``: each gets a temporary root holding copies of
ontology/, shapes/, data/ and queries/, so failure cases can corrupt their copy freely and the
session's good build is made once and shared.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from policykg.build import BuildResult, build
from policykg.config import Settings
from policykg.servers import free_port
from policykg.store import EmbeddedStore

PROJECT = Path(__file__).resolve().parent.parent
ARTEFACTS = ("ontology", "shapes", "data", "queries")


def copy_project(target: Path) -> Settings:
    for name in ARTEFACTS:
        shutil.copytree(PROJECT / name, target / name)
    # The service folder holds the installed front-end packages; tests only read it.
    (target / "service").symlink_to(PROJECT / "service", target_is_directory=True)
    (target / "pyproject.toml").write_text("[project]\nname = 'copy'\n", encoding="utf-8")
    return Settings(root=target)


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, BuildResult]:
    settings = copy_project(tmp_path_factory.mktemp("project"))
    return settings, build(settings, progress=False)


@pytest.fixture(scope="session")
def store(built_project: tuple[Settings, BuildResult]) -> EmbeddedStore:
    _, result = built_project
    return EmbeddedStore.open(result.release)


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    """A fresh private copy of the project, for tests that change its inputs."""
    return copy_project(tmp_path / "project")


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"


def start_server(root: Path, *extra: str) -> Server:
    """`policykg serve` in its own process on a free loopback port, ready when it answers."""
    port = free_port()
    env = {**os.environ, "POLICYKG_ROOT": str(root)}
    process = subprocess.Popen(
        [sys.executable, "-m", "policykg.cli", "serve", "--port", str(port), *extra],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            if httpx.get(f"{base}/sparql?query=ASK%20%7B%7D", timeout=2).status_code == 200:
                return Server(base, process)
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start within 60 s")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def server(built_project: tuple[Settings, BuildResult]) -> Iterator[Server]:
    settings, _ = built_project
    running = start_server(settings.root, "--time-limit", "3", "--workers", "3", "--row-limit", "500")
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def static_site(
    built_project: tuple[Settings, BuildResult], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, object]:
    """One static export of the session's build (``policykg publish --static``), shared by the tests that read it."""
    import json

    from policykg.pages import Site
    from policykg.static_export import export

    settings, result = built_project
    manifest = json.loads((result.release / "manifest.json").read_text(encoding="utf-8"))
    site = Site(EmbeddedStore.open(result.release), result.release, manifest, settings)
    out = tmp_path_factory.mktemp("static") / "site"
    export(site, out, settings.service_dir / "static")
    return out, site


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without these, chromium phones home at start-up and on a closed network that costs seconds.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's chromium, headless, driven by Playwright (which never downloads a browser of its own)."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: .ci/run installs Debian's chromium (apt-get install chromium)")
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield launched
        launched.close()
