"""Shared fixtures: a private copy of the project's artefact folders, and one build of it.

Tests never build into the checkout's own ``build/``: each gets a temporary root holding copies of
ontology/, shapes/, data/ and queries/, so failure cases can corrupt their copy freely and the
session's good build is made once and shared.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policykg.build import BuildResult, build
from policykg.config import Settings
from policykg.store import EmbeddedStore

PROJECT = Path(__file__).resolve().parent.parent
ARTEFACTS = ("ontology", "shapes", "data", "queries")


def copy_project(target: Path) -> Settings:
    for name in ARTEFACTS:
        shutil.copytree(PROJECT / name, target / name)
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
