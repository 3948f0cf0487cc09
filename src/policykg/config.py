"""Where things live and which base IRI the data is minted under.

Settings come from the environment so that the same checkout can build for a publisher's own
domain (``POLICYKG_BASE``) or write its build elsewhere (``POLICYKG_BUILD``) without code changes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_BASE = "https://w3id.org/policykg/"


def _project_root() -> Path:
    """The checkout root: the folder holding ``pyproject.toml`` above this package."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists() and (parent / "ontology").is_dir():
            return parent
    return Path.cwd()


@dataclass(frozen=True)
class Settings:
    """Paths of the artefact folders and the base IRI of minted resources."""

    root: Path = field(default_factory=_project_root)
    base: str = DEFAULT_BASE
    build_dir: Path | None = None
    store: str = "embedded"
    """``embedded`` (the release's own Oxigraph store) or ``remote`` (a SPARQL server, ``POLICYKG_STORE_*``)."""

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def sources_dir(self) -> Path:
        return self.data_dir / "sources"

    @property
    def registry_dir(self) -> Path:
        return self.data_dir / "registry"

    @property
    def annotations_dir(self) -> Path:
        return self.data_dir / "annotations"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def service_dir(self) -> Path:
        return self.root / "service"

    @property
    def output_dir(self) -> Path:
        return self.build_dir if self.build_dir is not None else self.root / "build"

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def load_settings() -> Settings:
    """Settings from the environment (``POLICYKG_BASE``, ``POLICYKG_BUILD``, ``POLICYKG_ROOT``, ``POLICYKG_STORE``)."""
    root = Path(os.environ["POLICYKG_ROOT"]) if "POLICYKG_ROOT" in os.environ else _project_root()
    base = os.environ.get("POLICYKG_BASE", DEFAULT_BASE)
    if not base.endswith("/"):
        base += "/"
    build = os.environ.get("POLICYKG_BUILD")
    store = os.environ.get("POLICYKG_STORE", "embedded").strip().lower() or "embedded"
    if store not in ("embedded", "remote"):
        raise SystemExit(f"POLICYKG_STORE must be embedded or remote, not {store!r}")
    return Settings(root=root, base=base, build_dir=Path(build) if build else None, store=store)
