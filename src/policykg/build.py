"""Building the graph: register → extract → resolve → map → check → validate → publish.

A build either publishes a complete, validated release or publishes nothing. The release is
written to a fresh folder under ``build/releases/`` and only then made current by atomically
replacing the ``build/current`` symlink; a failing build leaves the last good graph and its dumps
exactly as they were. Dumps are sorted so that the same input gives byte-identical files.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import concept_note, progress_report
from .config import Settings
from .data import DataError, Where, read_source_text, read_yaml
from .events import Event, EventExtractor, EventMention, Region, merge, report_regions, whole_text_region
from .forked import Forked
from .gazetteer import Gazetteer
from .grants import GrantReader
from .mapping import EventMapper, GrantMapper, Mapper, Unresolved
from .namespaces import PREFIXES, misspelled_namespace
from .network_rdf import network_graph
from .ontology import Ontology, OntologyError
from .privacy import Pseudonymiser, pseudonyms
from .provenance import Ordered, ProvenancedDataset
from .records import ConceptNoteRecord, Problem, ProgressReportRecord
from .registry import Agent, Kind, load
from .shapes import ShapesError, Violation, load_shapes, validate_ntriples
from .sources import Source, sources_from
from .store import DUMP_NQUADS, DUMP_TURTLE, install_store, store_is_current, write_store
from .text import Text

DUMP_TRIG = "policykg.trig"
DUMP_JSONLD = "policykg.jsonld"
MANIFEST = "manifest.json"
REPORT = "build-report.json"
KEEP_RELEASES = 3
VOCABULARY_GRAPH = "vocabulary"


class BuildError(Exception):
    """The build failed; ``messages`` each name a file and line where there is one."""

    def __init__(self, stage: str, messages: list[str]) -> None:
        self.stage = stage
        self.messages = messages
        shown = "\n".join(f"  {m}" for m in messages[:50])
        more = f"\n  ... and {len(messages) - 50} more" if len(messages) > 50 else ""
        super().__init__(f"build failed at {stage}:\n{shown}{more}")


@dataclass
class BuildResult:
    release: Path
    release_id: str
    quads: int
    graphs: dict[str, int]
    unresolved: list[Unresolved]
    problems: list[Problem]
    timings: dict[str, float] = field(default_factory=dict)
    unchanged: bool = False


class Progress:
    """Prints each stage and its duration to stderr, so a long build shows where it is."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        if self.enabled:
            print(f"  {name} ...", end="", file=sys.stderr, flush=True)
        try:
            yield
        finally:
            elapsed = time.perf_counter() - started
            self.timings[name] = elapsed
            if self.enabled:
                print(f" {elapsed:.2f}s", file=sys.stderr, flush=True)


@dataclass
class Built:
    """Everything a build made in memory, before it is published."""

    dataset: ProvenancedDataset
    unresolved: list[Unresolved]
    problems: list[Problem]
    sources: list[Source]
    ontology: Ontology
    files: dict[str, str]
    """Slug of every source (documents and registry files) → its path relative to the root."""
    agents: list[Agent] = field(default_factory=list)
    """The registry's actors, for the privacy profile."""
    ordered: Ordered | None = None
    """The whole dataset in dump order, once it is complete."""

    def where(self, slug: str, line: int) -> str:
        return f"{self.files.get(slug, slug)}:{line}"


def _extract(settings: Settings, progress: Progress) -> Built:
    root = settings.root
    with progress.stage("ontology"):
        try:
            ontology = Ontology.load(settings.ontology_dir)
        except OntologyError as exc:
            raise BuildError("ontology", [str(exc)]) from exc
    with progress.stage("register and registry"):
        try:
            register_doc, register_text = read_yaml(settings.sources_dir / "register.yaml", root)
            _, sources = sources_from(
                register_doc,
                _whole(register_text),
                ontology.codes("document-kind"),
            )
            loaded = load(settings.registry_dir, root, ontology.codes("level"), ontology.codes("actor-type"))
            texts: dict[str, Text] = {}
            for source in sources:
                texts[source.slug] = read_source_text(
                    settings.sources_dir / source.file, root, source.sha256, source.where
                )
        except DataError as exc:
            raise BuildError("reading data", [str(exc)]) from exc
    registry = loaded.registry

    def is_actor(name: str) -> bool:
        return registry.resolve(name, (Kind.ORGANISATION, Kind.COLLABORATION, Kind.MUNICIPALITY,
                                       Kind.PROVINCE, Kind.REGION)) is not None  # fmt: skip

    problems: list[Problem] = []
    reports: dict[str, ProgressReportRecord] = {}
    notes: dict[str, ConceptNoteRecord] = {}
    regions: dict[str, list[Region]] = {}
    # Source texts are quoted by their slug; the file name is kept for messages.
    quoted = {source.slug: Text(source.slug, texts[source.slug].lines) for source in sources}
    with progress.stage("parse sources"):
        for source in sources:
            text = quoted[source.slug]
            regions[source.slug] = [whole_text_region(text)]
            if source.parser == "progress_report":
                reports[source.slug] = report = progress_report.parse(text, registry.competence_labels, is_actor)
                problems += _renamed(report.problems, source)
                regions[source.slug] = report_regions(text, report)
            elif source.parser == "concept_note":
                notes[source.slug] = note = concept_note.parse(text)
                problems += _renamed(note.problems, source)
    gazetteer = Gazetteer(registry)

    def find_events() -> list[Event]:
        mentions: list[EventMention] = []
        for source in sources:
            extractor = EventExtractor(gazetteer, source.slug, quoted[source.slug], source.as_of)
            mentions += extractor.extract(regions[source.slug])
        return merge(mentions)

    # Finding the events is most of the reading; a forked copy does it on the other core while
    # this process maps the registry, the action plan and the grants.
    events = Forked(find_events)
    try:
        ds = ProvenancedDataset(settings.base)
        mapper = Mapper(ds, registry, {**loaded.texts, register_text.doc: register_text})
        with progress.stage("registry to RDF"):
            try:
                mapper.registry_documents()
                mapper.registry_entries()
            except DataError as exc:
                raise BuildError("registry", [str(exc)]) from exc
        plans: dict[str, str] = {}
        grant_mapper = GrantMapper(mapper, dict(quoted))
        with progress.stage("map sources"):
            try:
                for source in sources:
                    mapper.document(source, register_text.doc)
                    if source.slug in reports:
                        report = reports[source.slug]
                        mapper.progress_report(source, report)
                        if source.plan:
                            plans[source.slug] = source.plan
                            reader = GrantReader(registry, quoted[source.slug], gazetteer)
                            for action in report.actions:
                                grant_mapper.grants(source, source.plan, action, reader.action(action))
                            problems += _renamed(tuple(reader.problems), source)
                    elif source.slug in notes:
                        mapper.concept_note(source, notes[source.slug])
            except DataError as exc:
                raise BuildError("mapping", [str(exc)]) from exc
        with progress.stage("find events"):
            found = events.result()
    finally:
        events.cancel()
    with progress.stage("map events"):
        EventMapper(mapper).events(found, plans)
        grant_mapper.curated_projects()
    files = {slug: file for file, slug in mapper.source_slugs.items()}
    files.update({s.slug: f"data/sources/{s.file}" for s in sources})
    unresolved = [Unresolved(files.get(u.file, u.file), u.line, u.field, u.name) for u in mapper.unresolved]
    return Built(ds, unresolved, problems, sources, ontology, files, list(registry.agents.values()))


def _whole(text: Text) -> Where:
    return Where(text.doc, 1, max(len(text), 1))


def _renamed(problems: tuple[Problem, ...], source: Source) -> list[Problem]:
    return [Problem(f"data/sources/{source.file}", p.line, p.message) for p in problems]


def _check_terms(built: Built, ds: ProvenancedDataset) -> None:
    """Every class, property and concept the data uses must exist; namespaces must be spelled right."""
    predicates, classes, objects = ds.triples_in_use()
    messages = []
    for term in built.ontology.undeclared(predicates, classes, objects):
        iri = term.split(" ", 1)[1]
        evidence = built.dataset.first_evidence.get(iri)
        where = (
            f" (first used for a fact read at {built.where(evidence.source, evidence.span.start)})" if evidence else ""
        )
        messages.append(f"{term} is not declared in ontology/{where}")
    for used in sorted(predicates | classes | objects):
        reason = misspelled_namespace(used)
        if reason:
            messages.append(reason)
    if messages:
        raise BuildError("checking terms against the ontology", messages)


def validate_dataset(
    built: Built, settings: Settings, engine: str | None = None, ordered: Ordered | None = None
) -> list[Violation]:
    """Validate the union of all named graphs against the shapes."""
    try:
        shapes = load_shapes(settings.shapes_dir)
        ntriples = (ordered or built.ordered or built.dataset.ordered()).ntriples
        return validate_ntriples(ntriples, shapes, engine=engine, locate=_locations(built).get)
    except ShapesError as exc:
        raise BuildError("shapes", [str(exc)]) from exc


def _locations(built: Built) -> dict[str, str]:
    """Subject IRI → 'file:line' of the first fact read about it."""
    return {subject: built.where(e.source, e.span.start) for subject, e in built.dataset.subject_evidence.items()}


def _serialise(ordered: Ordered) -> dict[str, bytes]:
    # Resource IRIs stay in full: their paths contain '/', which Turtle would have to escape
    # in a prefixed name (id:action\/2017\/1.1), which nobody wants to read.
    prefixes = {p: str(ns) for p, ns in PREFIXES.items() if p != "concept"}
    turtle = ox.serialize(ordered.triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    quads = ordered.by_graph()
    trig = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes)
    # JSON-LD for web developers, with the named graphs; full IRIs like the Turtle dump
    jsonld = ox.serialize(quads, format=ox.RdfFormat.JSON_LD)
    return {DUMP_NQUADS: ordered.nquads, DUMP_TURTLE: turtle, DUMP_TRIG: trig, DUMP_JSONLD: jsonld}


def prepare(
    settings: Settings,
    *,
    progress: bool = True,
    allow_unresolved: bool = False,
    steps: Progress | None = None,
) -> Built:
    """Everything before validation: extract, resolve, map, check terms, add the vocabulary graph."""
    with _no_cycle_collection():
        return _prepare(settings, allow_unresolved, steps or Progress(progress))


def _prepare(settings: Settings, allow_unresolved: bool, steps: Progress) -> Built:
    built = _extract(settings, steps)
    if built.problems:
        raise BuildError("parsing sources", [str(p) for p in built.problems])
    if built.unresolved and not allow_unresolved:
        raise BuildError(
            "resolving names (add the actor to data/registry or record a decision in decisions.yaml)",
            [str(u) for u in built.unresolved],
        )
    # Every public output serves this release, so private persons are pseudonymised here, once,
    # before the network analysis: what it derives names only pseudonyms, and its input hash is
    # that of what is published.
    with steps.stage("privacy profile"):
        built.dataset.rewrite(Pseudonymiser(pseudonyms(built.agents), settings.base).quads)
    with steps.stage("check terms"):
        _check_terms(built, built.dataset)
    # The vocabulary goes into its own graph so that the dumps answer queries for labels of
    # concepts and terms on their own; it is our definition, not a fact read from a source.
    nt = built.ontology.graph.serialize(format="nt", encoding="utf-8")
    for triple in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES):
        built.dataset.add(triple.subject, triple.predicate, triple.object, VOCABULARY_GRAPH)
    with steps.stage("order"):
        facts = built.dataset.ordered()
    # Derived from the facts (its queries read concept codes from the vocabulary); its terms are
    # checked and it is validated like the rest.
    with steps.stage("coordination network"):
        network = network_graph(facts, settings.queries_dir, settings.base)
        _check_terms(built, network)
        built.dataset.extend(network)
        built.ordered = facts + network.ordered()
    return built


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """A build makes millions of objects that form no reference cycles (terms, quads, lines) and
    frees them at the end. Python's cycle collector would walk the growing heap again and again
    meanwhile, for nothing: switched off, the build takes 1.5 s less on the corpus, with the same
    peak memory (benchmarks/RESULTS.md)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build(settings: Settings, *, progress: bool = True, allow_unresolved: bool = False) -> BuildResult:
    """Build, validate and publish; raises :class:`BuildError` and publishes nothing on failure."""
    with _no_cycle_collection():
        return _build(settings, progress, allow_unresolved)


def _build(settings: Settings, progress: bool, allow_unresolved: bool) -> BuildResult:
    steps = Progress(progress)
    built = prepare(settings, allow_unresolved=allow_unresolved, steps=steps)
    ordered = built.ordered
    assert ordered is not None
    releases = settings.output_dir / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    scratch = releases / f".store-{os.getpid()}"
    # The shapes are checked by a forked copy of this process (the SHACL engine is partly Python,
    # so a thread would wait for this one's lock), the release's store is written by Oxigraph on a
    # thread that does not hold the lock, and this one serialises the dumps meanwhile. Until the
    # release is published the store is only a hidden folder, removed if the build fails; the
    # "SHACL validation" stage is the wait for the verdict after serialising.
    ordered.ntriples  # noqa: B018 -- merged once, before the fork, for the store, the shapes and the dumps
    checked = Forked(lambda: validate_dataset(built, settings, ordered=ordered))
    with ThreadPoolExecutor(max_workers=1) as pool:
        store = pool.submit(write_store, scratch, ordered.nquads, ordered.ntriples)
        try:
            with steps.stage("serialise"):
                dumps = _serialise(ordered)
            with steps.stage("SHACL validation"):
                violations = checked.result()
            if violations:
                raise BuildError("SHACL validation", [str(v) for v in violations])
            report = {
                "unresolved": [str(u) for u in built.unresolved],
                "problems": [str(p) for p in built.problems],
                "quads": len(built.dataset),
                # the default graph the endpoint queries: the merge of the named graphs, a set of triples
                "triples": len(ordered.merged),
                "graphs": _graph_counts(built.dataset),
                "sources": [{"file": s.file, "slug": s.slug, "sha256": s.sha256} for s in built.sources],
            }
            with steps.stage("publish"):
                release_id, release, unchanged = _publish(settings.output_dir, dumps, report, store, scratch)
        finally:
            checked.cancel()  # a no-op once its verdict was taken
            store.exception()  # wait for the writer, whatever happened, before cleaning up after it
            if scratch.exists():
                shutil.rmtree(scratch, ignore_errors=True)
    return BuildResult(
        release=release,
        release_id=release_id,
        quads=len(built.dataset),
        graphs=report["graphs"],  # type: ignore[arg-type]
        unresolved=built.unresolved,
        problems=built.problems,
        timings=steps.timings,
        unchanged=unchanged,
    )


def _graph_counts(ds: ProvenancedDataset) -> dict[str, int]:
    counts: dict[str, int] = {}
    for q in ds:
        name = str(q.graph_name.value) if hasattr(q.graph_name, "value") else str(q.graph_name)
        counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items()))


def _publish(
    output: Path, dumps: dict[str, bytes], report: dict[str, object], store: Future[None], scratch: Path
) -> tuple[str, Path, bool]:
    """Write a release folder and switch ``current`` to it atomically.

    ``store`` is the writing of the release's store into ``scratch``; it is waited for here.
    """
    combined = hashlib.sha256()
    for name, data in sorted(dumps.items()):
        combined.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    release_id = combined.hexdigest()[:16]
    releases = output / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    final = releases / release_id
    current = output / "current"
    unchanged = current.is_symlink() and os.readlink(current) == f"releases/{release_id}" and final.is_dir()
    manifest = {
        "release": release_id,
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(dumps.items())},
        "quads": report["quads"],
        "triples": report["triples"],
        "graphs": report["graphs"],
    }
    metadata = {
        MANIFEST: json.dumps(manifest, indent=2, sort_keys=True) + "\n",
        REPORT: json.dumps(report, indent=2, sort_keys=True) + "\n",
    }
    if not final.is_dir():
        staging = releases / f".staging-{os.getpid()}"
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir()
        for name, data in dumps.items():
            (staging / name).write_bytes(data)
        store.result()
        install_store(staging, scratch)
        for name, text in metadata.items():
            (staging / name).write_text(text, encoding="utf-8")
        os.replace(staging, final)
    else:
        # Same dumps, but what is derived from them may come from an older version of policykg.
        if not store_is_current(final):
            store.result()
            install_store(final, scratch)
        for name, text in metadata.items():
            path = final / name
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                temporary = final / f".{name}-{os.getpid()}"
                temporary.write_text(text, encoding="utf-8")
                os.replace(temporary, path)
    link = output / f".current-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(f"releases/{release_id}")
    os.replace(link, current)
    _prune(releases, keep={release_id})
    return release_id, final, unchanged


def _prune(releases: Path, keep: set[str]) -> None:
    """Keep the newest few releases so that disk use stays bounded."""
    folders = sorted(
        (p for p in releases.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in folders[KEEP_RELEASES:]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


def current_release(settings: Settings) -> Path | None:
    current = settings.output_dir / "current"
    return current.resolve() if current.exists() else None
