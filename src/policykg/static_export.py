"""``policykg publish --static DIR``: the whole publication as files for a plain web server.

Every resource becomes ``{path}/index.html`` (so ``/id/action/2017/1.1`` is served by any server
that maps a folder to its index) and ``{path}.html .ttl .jsonld .nt .rdf``, with the bytes the live
service sends (both come from :class:`policykg.pages.Site`). Next to them: the ontology and shapes,
the catalogue, the dumps with their checksums, the sitemap, the style sheet and an ``.htaccess``
that gives Apache the same content negotiation as the service. Descriptions are read in one pass
over the graph (see :mod:`policykg.describe`), not one query per resource.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from .pages import FORMATS, Site

HTACCESS = """# Content negotiation for Apache (mod_rewrite, mod_mime): the same answers as `policykg serve`.
AddType text/turtle .ttl
AddType application/ld+json .jsonld
AddType application/n-triples .nt
AddType application/rdf+xml .rdf
AddType application/n-quads .nq
AddType application/trig .trig
Header append Vary Accept
RewriteEngine On
RewriteCond %{HTTP_ACCEPT} text/turtle
RewriteCond %{REQUEST_FILENAME}.ttl -f
RewriteRule ^(.*)$ $1.ttl [L]
RewriteCond %{HTTP_ACCEPT} application/ld\\+json
RewriteCond %{REQUEST_FILENAME}.jsonld -f
RewriteRule ^(.*)$ $1.jsonld [L]
RewriteCond %{HTTP_ACCEPT} application/n-triples
RewriteCond %{REQUEST_FILENAME}.nt -f
RewriteRule ^(.*)$ $1.nt [L]
RewriteCond %{HTTP_ACCEPT} application/rdf\\+xml
RewriteCond %{REQUEST_FILENAME}.rdf -f
RewriteRule ^(.*)$ $1.rdf [L]
"""


@dataclass
class ExportResult:
    resources: int
    files: int
    seconds: float


def _safe(path: str) -> bool:
    parts = path.split("/")
    return bool(path) and all(p not in ("", ".", "..") for p in parts) and "\\" not in path


class Writer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = 0

    def write(self, path: str, body: bytes) -> Path:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        self.files += 1
        return target

    def link(self, source: Path, path: str) -> None:
        """A second name for a file (``x.html`` beside ``x/index.html``): no extra disk, same bytes."""
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
        self.files += 1


def export(site: Site, out: Path, static_dir: Path) -> ExportResult:
    """Write the site into ``out`` (emptied first, so that a resource gone from the graph is gone)."""
    started = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    w = Writer(out)
    resources = 0
    for d in site.all_resources():
        path = site.local(d.iri)[1:]
        if not _safe(path):
            continue
        resources += 1
        for fmt in FORMATS:
            if path == "catalogue":
                page = site.resource(path, fmt)
                assert page is not None
            else:
                page = site.render(d, fmt)
            if fmt == "html":
                w.link(w.write(f"{path}/index.html", page.body), f"{path}.html")
            else:
                w.write(f"{path}.{fmt}", page.body)
    for name in ("ns", "shapes"):
        for fmt in FORMATS:
            page = site.vocabulary_page(name, fmt)
            assert page is not None
            if fmt == "html":
                w.link(w.write(f"{name}/index.html", page.body), f"{name}.html")
            else:
                w.write(f"{name}.{fmt}", page.body)
    for name, file in site.dumps().items():
        w.link(file, f"dumps/{name}")
    w.write("dumps/SHA256SUMS", site.checksums())
    w.write("sitemap.xml", site.sitemap(site.sitemap_paths))
    w.write("static/policykg.css", (static_dir / "policykg.css").read_bytes())
    w.write(".htaccess", HTACCESS.encode())
    catalogue = out / "catalogue" / "index.html"
    if catalogue.exists():
        w.link(catalogue, "index.html")
    return ExportResult(resources, w.files, time.perf_counter() - started)
