"""Synthetic releases at a given size, shaped like what a publisher of every local report would have.

On top of the corpus release (its documents, registry and vocabulary, so every research query has
its real answers too) come half-yearly local reports from 2015 on, one per municipality of the
registry and half-year, each a named graph of its own, until the release has the asked number of
synthetic triples. A report mentions events (meetings, study days, trainings, ...) with their
participants and grants with their recipients, every fact reified with an excerpt of the report
as the build does it. Participation is skewed as in the corpus: a few actors (the central contact
point, VVSG, the big cities) are at most events, most at few: actors are drawn with Zipf weights
(exponent 1.1) from the registry's organisations, the municipalities and three synthetic local
organisations per municipality. Everything is seeded: the same size gives the same bytes.

The output is a release folder (N-Quads, Turtle, manifest) that goes through the same load,
validation and queries as a built one.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

import pyoxigraph as ox

BASE = "https://w3id.org/policykg/"
PKG = f"{BASE}ns#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
CONCEPT = f"{BASE}concept/"
KINDS = ("meeting", "study-day", "training", "conference", "info-session", "round-table", "site-visit",
         "network-day", "intervision", "seminar")  # fmt: skip
KIND_WEIGHTS = (40, 12, 12, 5, 8, 5, 4, 4, 6, 4)
ROLES = ("participant", "organiser", "presenter", "chair", "invited", "observer")
ROLE_WEIGHTS = (70, 10, 8, 4, 5, 3)
LOCAL_KINDS = (("school", "school", "Scholengroep"), ("ngo", "ngo", "Vzw Samenleven"),
               ("police", "police", "Politiezone"))  # fmt: skip
ZIPF = 1.1
FIRST_YEAR = 2015
EVENTS_PER_REPORT = (3, 14)
GRANT_CHANCE = 0.35


def _iri(value: str) -> str:
    return f"<{value}>"


def _lit(value: str, datatype: str | None = None, lang: str | None = None) -> str:
    if datatype:
        return str(ox.Literal(value, datatype=ox.NamedNode(datatype)))
    return str(ox.Literal(value, language=lang)) if lang else str(ox.Literal(value))


class _Graph:
    """Lines of one named graph, with the build's reification of each fact."""

    def __init__(self, name: str, out: list[str]) -> None:
        self.name = _iri(name)
        self.out = out
        self.count = 0

    def add(self, s: str, p: str, o: str) -> None:
        self.out.append(f"{s} {p} {o} {self.name} .\n")
        self.count += 1

    def fact(self, s: str, p: str, o: str, excerpt: str, key: str) -> None:
        self.add(s, p, o)
        st = _iri(f"{BASE}id/statement/{hashlib.sha1(key.encode()).hexdigest()[:20]}")
        self.add(st, _iri(f"{RDF}type"), _iri(f"{RDF}Statement"))
        self.add(st, _iri(f"{RDF}subject"), s)
        self.add(st, _iri(f"{RDF}predicate"), p)
        self.add(st, _iri(f"{RDF}object"), o)
        self.add(st, _iri(f"{PROV}wasDerivedFrom"), excerpt)
        self.add(st, _iri(f"{PKG}extractionMethod"), _iri(f"{CONCEPT}extraction-method/pattern"))


def _actors(corpus: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """(IRI, Dutch label) of the registry's organisations and municipalities, and the municipalities by NIS code."""
    store = ox.Store()
    store.bulk_extend(ox.parse(path=str(corpus / "policykg.nq"), format=ox.RdfFormat.N_QUADS))
    rows = store.query(
        f"""SELECT DISTINCT ?a ?label ?m WHERE {{ GRAPH <{BASE}graph/registry> {{
          ?a a <{ORG}Organization> ; <{RDFS}label> ?label . FILTER(lang(?label) = "nl")
          OPTIONAL {{ ?a a <http://data.vlaanderen.be/ns/besluit#Bestuurseenheid> BIND(true AS ?m) }} }} }}
          ORDER BY ?a"""
    )
    actors, municipalities = [], []
    for row in rows:  # type: ignore[union-attr]
        iri, label = row["a"].value, row["label"].value
        actors.append((iri, label))
        if row["m"] is not None and "/municipality/" in iri:
            municipalities.append((iri, label, iri.rsplit("/", 1)[1]))
    return actors, municipalities


def generate(corpus: Path, target: int, out: Path, seed: int = 7) -> Path:
    """A release folder under ``out`` with the corpus and about ``target`` synthetic triples."""
    rng = random.Random(seed)
    actors, municipalities = _actors(corpus)
    lines: list[str] = []
    registry = _Graph(f"{BASE}graph/synthetic-registry", lines)
    a = _iri(f"{RDF}type")
    label = _iri(f"{RDFS}label")
    for iri, name, nis in municipalities:
        for slug, kind, prefix in LOCAL_KINDS:
            org = f"{BASE}id/organisation/synthetic-{slug}-{nis}"
            for cls in (f"{ORG}Organization", f"{FOAF}Agent"):
                registry.add(_iri(org), a, _iri(cls))
            registry.add(_iri(org), label, _lit(f"{prefix} {name}", lang="nl"))
            registry.add(_iri(org), _iri(f"{PKG}governanceLevel"), _iri(f"{CONCEPT}level/local"))
            registry.add(_iri(org), _iri(f"{PKG}actorType"), _iri(f"{CONCEPT}actor-type/{kind}"))
            if slug == "police":
                registry.add(_iri(org), _iri(f"{ORG}subOrganizationOf"), _iri(iri))
            actors.append((org, f"{prefix} {name}"))
    order = actors[:]
    rng.shuffle(order)
    weights = list(accumulate(1 / (rank + 1) ** ZIPF for rank in range(len(order))))
    grantable = [m for m in municipalities] + [(o, n, "") for o, n in actors if "synthetic-" in o]
    abb = f"{BASE}id/organisation/abb"
    counts = {f"{BASE}graph/synthetic-registry": registry.count}
    produced = registry.count
    half = 0
    while produced < target:
        year, second = FIRST_YEAR + half // 2, half % 2 == 1
        for muni, muni_name, nis in municipalities:
            if produced >= target:
                break
            slug = f"synthetic-{nis}-{year}-h{2 if second else 1}"
            graph = _Graph(f"{BASE}graph/{slug}", lines)
            doc = _iri(f"{BASE}id/document/{slug}")
            issued = f"{year}-{'12' if second else '06'}"
            graph.add(doc, a, _iri(f"{FOAF}Document"))
            graph.add(doc, _iri(f"{DCT}type"), _iri(f"{CONCEPT}document-kind/progress-report"))
            graph.add(doc, _iri(f"{PKG}sourceFile"), _lit(f"synthetic/{slug}.txt"))
            graph.add(doc, _iri(f"{DCT}issued"), _lit(issued, f"{XSD}gYearMonth"))
            graph.add(doc, label, _lit(f"Halfjaarlijks verslag {muni_name} {issued}", lang="nl"))
            graph.add(doc, _iri(f"{DCT}publisher"), _iri(muni))
            start = date(year, 7 if second else 1, 1)
            line = 1
            for number in range(rng.randint(*EVENTS_PER_REPORT)):
                kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
                day = start + timedelta(days=rng.randrange(181))
                event_iri = f"{BASE}id/event/{slug}-{number}"
                event = _iri(event_iri)
                excerpt = _iri(f"{BASE}id/excerpt/{slug}/{line}-{line + 2}")
                graph.add(excerpt, a, _iri(f"{PKG}Excerpt"))
                graph.add(excerpt, _iri(f"{PROV}wasQuotedFrom"), doc)
                graph.add(excerpt, _iri(f"{PKG}lineStart"), _lit(str(line), f"{XSD}integer"))
                graph.add(excerpt, _iri(f"{PKG}lineEnd"), _lit(str(line + 2), f"{XSD}integer"))
                quote = f"Op {day:%d/%m/%Y} vond een {kind} plaats in {muni_name}."
                graph.add(excerpt, _iri(f"{PKG}quote"), _lit(quote))
                title = f"{kind.replace('-', ' ').capitalize()} {muni_name}"
                for p, o in ((a, _iri(f"{PKG}Event")), (_iri(f"{PKG}eventKind"), _iri(f"{CONCEPT}event-kind/{kind}")),
                             (_iri(f"{DCT}title"), _lit(title, lang="nl")),
                             (_iri(f"{PKG}date"), _lit(day.isoformat(), f"{XSD}date")),
                             (_iri(f"{PKG}planned"), _lit("false", f"{XSD}boolean")),
                             (_iri(f"{PKG}mentionedIn"), doc), (_iri(f"{PROV}atLocation"), _iri(muni))):  # fmt: skip
                    graph.fact(event, p, o, excerpt, f"{event_iri}{p}{o}")
                graph.add(event, label, _lit(f"{title} ({day.isoformat()})", lang="nl"))
                chosen = {muni: muni_name}
                size = 1 + min(int(rng.paretovariate(1.6) * 2), 40)
                for actor, name in rng.choices(order, cum_weights=weights, k=size):
                    chosen.setdefault(actor, name)
                for actor, name in chosen.items():
                    role = rng.choices(ROLES, ROLE_WEIGHTS)[0]
                    part = _iri(f"{BASE}id/participation/{slug}-{number}/{actor.rsplit('/', 1)[1]}-{role}")
                    graph.fact(event, _iri(f"{PKG}participant"), _iri(actor), excerpt, f"{event_iri}p{actor}")
                    graph.add(event, _iri(f"{PROV}qualifiedAssociation"), part)
                    graph.add(part, a, _iri(f"{PKG}Participation"))
                    graph.add(part, _iri(f"{PROV}agent"), _iri(actor))
                    graph.add(part, _iri(f"{PROV}hadRole"), _iri(f"{CONCEPT}participation-role/{role}"))
                    graph.add(part, _iri(f"{PKG}asWritten"), _lit(name))
                line += 3
            if rng.random() < GRANT_CHANCE:
                recipient, name, _ = rng.choice(grantable)
                grant_iri = f"{BASE}id/grant/{slug}"
                grant = _iri(grant_iri)
                excerpt = _iri(f"{BASE}id/excerpt/{slug}/{line}-{line}")
                amount = str(rng.choice((5, 10, 15, 20, 25, 40, 50, 75, 100, 150)) * 1000)
                graph.add(excerpt, a, _iri(f"{PKG}Excerpt"))
                graph.add(excerpt, _iri(f"{PROV}wasQuotedFrom"), doc)
                graph.add(excerpt, _iri(f"{PKG}lineStart"), _lit(str(line), f"{XSD}integer"))
                graph.add(excerpt, _iri(f"{PKG}lineEnd"), _lit(str(line), f"{XSD}integer"))
                graph.add(excerpt, _iri(f"{PKG}quote"), _lit(f"{name} ontving {amount} euro."))
                for p, o in ((a, _iri(f"{PKG}Grant")), (_iri(f"{PKG}recipient"), _iri(recipient)),
                             (_iri(f"{PKG}amount"), _lit(amount, f"{XSD}decimal")), (_iri(f"{PKG}funder"), _iri(abb)),
                             (_iri(f"{PKG}mentionedIn"), doc)):  # fmt: skip
                    graph.fact(grant, p, o, excerpt, f"{grant_iri}{p}{o}")
                graph.add(grant, _iri(f"{PKG}recipientAsWritten"), _lit(name))
                graph.add(grant, label, _lit(f"Subsidie aan {name} ({issued})", lang="nl"))
            counts[f"{BASE}graph/{slug}"] = graph.count
            produced += graph.count
        half += 1
    return _write(corpus, out, target, seed, lines, counts, produced)


def _write(corpus: Path, out: Path, target: int, seed: int, lines: list[str], counts: dict[str, int],
           produced: int) -> Path:  # fmt: skip
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    release = hashlib.sha256(f"scale {target} {seed} {manifest['release']}".encode()).hexdigest()[:16]
    folder = out / release
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    with (folder / "policykg.nq").open("wb") as nq:
        with (corpus / "policykg.nq").open("rb") as original:
            shutil.copyfileobj(original, nq)
        nq.write("".join(lines).encode("utf-8"))
    with (folder / "policykg.ttl").open("wb") as ttl:
        with (corpus / "policykg.ttl").open("rb") as original:
            shutil.copyfileobj(original, ttl)
        ttl.write("\n".join(line.rsplit(" ", 2)[0] + " ." for line in lines).encode("utf-8") + b"\n")
    manifest.update(
        release=release,
        graphs={**manifest["graphs"], **counts},
        quads=int(manifest["quads"]) + produced,
        triples=int(manifest["triples"]) + produced,
        files={},
        synthetic={"target": target, "seed": seed, "triples": produced, "reports": len(counts) - 1},
    )
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return folder
