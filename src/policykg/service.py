"""Reading ``service/``: the page templates and the front-end packages the web service serves.

Front-end libraries (YASGUI) come from npm, installed into ``service/node_modules`` by the set-up,
and are served from this machine: nothing is fetched from a CDN when a page loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

YASGUI_BUILD = Path("node_modules") / "@zazuko" / "yasgui" / "build"


class ServiceError(Exception):
    """A file the service needs is missing (run the set-up)."""


@dataclass(frozen=True)
class ServiceFiles:
    folder: Path

    @property
    def templates(self) -> Environment:
        return Environment(
            loader=FileSystemLoader(self.folder / "templates"),
            autoescape=select_autoescape(["html", "xml"], default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    @property
    def static(self) -> Path:
        return self.folder / "static"

    @property
    def yasgui(self) -> Path:
        path = self.folder / YASGUI_BUILD
        if not (path / "yasgui.min.js").exists():
            raise ServiceError(f"{path} is missing: run `make setup` (it installs the front-end packages with npm)")
        return path
