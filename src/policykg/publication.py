"""The dataset's description for data catalogues: DCAT-AP 3 (catalogue, dataset, one distribution per
dump, the SPARQL endpoint as a data service) and VoID (statistics, class partitions, one subset per
named graph), all minted under the base so that these IRIs dereference like every other one.

The description is made from the release (its manifest and the store), never by hand, so the
statistics and checksums are always those of the dumps being served. It is written as Turtle text
with every value passed through pyoxigraph's term syntax (escaping done by the RDF library) and
parsed back, which gives both the triples and a readable template in one place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .build import DUMP_JSONLD, DUMP_NQUADS, DUMP_TRIG, DUMP_TURTLE
from .describe import Store
from .queries import load_queries

LICENCE = "https://creativecommons.org/licenses/by/4.0/"
DUMP_TYPES: dict[str, tuple[str, str, str]] = {
    # file → (media type, EU file type, label)
    DUMP_TURTLE: ("text/turtle", "RDF_TURTLE", "Turtle (union of the named graphs)"),
    DUMP_NQUADS: ("application/n-quads", "RDF_N_QUADS", "N-Quads (with the named graphs)"),
    DUMP_TRIG: ("application/trig", "RDF_TRIG", "TriG (with the named graphs)"),
    DUMP_JSONLD: ("application/ld+json", "JSON_LD", "JSON-LD (with the named graphs)"),
}
PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix spdx: <http://spdx.org/rdf/terms#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
"""
CATALOGUE_NL = "Catalogus van de kennisgraaf policykg: de dataset, zijn dumps en het SPARQL-endpoint."
CATALOGUE_EN = "Catalogue of the policykg knowledge graph: the dataset, its dumps and the SPARQL endpoint."
DATASET_NL = (
    "Kennisgraaf van de actoren, acties, budgetten en bijeenkomsten van het actieplan, opgebouwd uit de "
    "beleidsdocumenten; elk feit verwijst naar het document en de regels waar het gelezen werd. Personen "
    "zonder publiek mandaat zijn gepseudonimiseerd."
)
DATASET_EN = (
    "Knowledge graph of the actors, actions, budgets and meetings of the action plan, built from the policy "
    "documents; every fact points to the document and lines it was read from. People who hold no public office "
    "are pseudonymised."
)
INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
THEME = "http://publications.europa.eu/resource/authority/data-theme/"


def _lit(value: object, lang: str | None = None, datatype: str | None = None) -> str:
    if lang:
        return str(ox.Literal(str(value), language=lang))
    if datatype:
        return str(ox.Literal(str(value), datatype=ox.NamedNode(datatype)))
    return str(ox.Literal(str(value)))


def _iri(value: str) -> str:
    return str(ox.NamedNode(value))


@dataclass(frozen=True)
class Release:
    """What the description needs to know of a release."""

    folder: Path
    manifest: dict[str, Any]
    base: str

    @property
    def id(self) -> str:
        return str(self.manifest["release"])

    @property
    def issued(self) -> dt.date:
        """The day the release's dumps were written (they are never rewritten for the same release)."""
        stamp = (self.folder / DUMP_NQUADS).stat().st_mtime
        return dt.datetime.fromtimestamp(stamp, tz=dt.UTC).date()

    def checksums(self) -> dict[str, str]:
        known = dict(self.manifest["files"])
        for name in DUMP_TYPES:
            if name not in known and (self.folder / name).exists():
                known[name] = hashlib.sha256((self.folder / name).read_bytes()).hexdigest()
        return dict(sorted(known.items()))

    def sizes(self) -> dict[str, int]:
        return {name: (self.folder / name).stat().st_size for name in self.checksums()}


def description_turtle(release: Release, store: Store, queries_dir: Path) -> str:
    """The DCAT-AP catalogue and the VoID description of a release, as Turtle."""
    b = release.base
    queries = load_queries(queries_dir / "pages")
    stats = store.select(queries["void-statistics"].text)[0]
    classes = store.select(queries["void-classes"].text)
    issued = _lit(release.issued.isoformat(), datatype="http://www.w3.org/2001/XMLSchema#date")
    version = _lit(release.id)
    lines = [PREFIXES]
    lines.append(f"""<{b}catalogue> a dcat:Catalog ;
    dct:title {_lit("policykg-catalogus", "nl")} , {_lit("policykg catalogue", "en")} ;
    dct:description {_lit(CATALOGUE_NL, "nl")} , {_lit(CATALOGUE_EN, "en")} ;
    dct:publisher <{b}publisher> ;
    dct:license {_iri(LICENCE)} ;
    dct:issued {issued} ;
    dct:modified {issued} ;
    dct:language <{LANGUAGE}NLD> , <{LANGUAGE}ENG> ;
    foaf:homepage <{b}> ;
    dcat:dataset <{b}dataset> ;
    dcat:service <{b}service/sparql> .

<{b}> a foaf:Document .

<{b}publisher> a foaf:Agent ;
    foaf:name {_lit("policykg", "en")} .

{_iri(LICENCE)} a dct:LicenseDocument ;
    rdfs:label {_lit("Creative Commons Attribution 4.0 International", "en")} .

<{LANGUAGE}NLD> a dct:LinguisticSystem .
<{LANGUAGE}ENG> a dct:LinguisticSystem .
<{THEME}GOVE> a <http://www.w3.org/2004/02/skos/core#Concept> ;
    <http://www.w3.org/2004/02/skos/core#prefLabel> {_lit("Government and public sector", "en")} ,
        {_lit("Overheid en publieke sector", "nl")} .
# the DCAT-AP shapes check the class of the endpoint's IRI and infer nothing
<{b}sparql> a rdfs:Resource .
<https://www.w3.org/TR/sparql11-protocol/> a dct:Standard .

<{b}dataset> a dcat:Dataset , void:Dataset ;
    dct:title {_lit("policykg: Vlaams actieplan preventie van gewelddadige radicalisering en polarisering", "nl")} ,
        {_lit("policykg: Flemish action plan for the prevention of violent radicalisation and polarisation", "en")} ;
    dct:description {_lit(DATASET_NL, "nl")} , {_lit(DATASET_EN, "en")} ;
    dct:identifier {version} ;
    dcat:version {version} ;
    dct:issued {issued} ;
    dct:modified {issued} ;
    dct:publisher <{b}publisher> ;
    dct:license {_iri(LICENCE)} ;
    dct:language <{LANGUAGE}NLD> ;
    dcat:theme <{THEME}GOVE> ;
    dcat:landingPage <{b}> ;
    void:sparqlEndpoint <{b}sparql> ;
    void:uriSpace {_lit(b + "id/")} ;
    void:vocabulary <https://w3id.org/policykg/ns> ;
    void:triples {_lit(stats["triples"].value, datatype="http://www.w3.org/2001/XMLSchema#integer")} ;
    void:distinctSubjects {_lit(stats["subjects"].value, datatype="http://www.w3.org/2001/XMLSchema#integer")} ;
    void:distinctObjects {_lit(stats["objects"].value, datatype="http://www.w3.org/2001/XMLSchema#integer")} ;
    void:entities {_lit(stats["entities"].value, datatype="http://www.w3.org/2001/XMLSchema#integer")} ;
    void:properties {_lit(stats["properties"].value, datatype="http://www.w3.org/2001/XMLSchema#integer")} ;
    void:classes {_lit(stats["classes"].value, datatype="http://www.w3.org/2001/XMLSchema#integer")} .
""")
    for name, checksum in release.checksums().items():
        media, file_type, label = DUMP_TYPES.get(name, ("application/octet-stream", "BIN", name))
        dist = f"{b}distribution/{name.rsplit('.', 1)[-1]}"
        lines.append(f"""<{b}dataset> dcat:distribution <{dist}> ; void:dataDump <{b}dumps/{name}> .
<{dist}> a dcat:Distribution ;
    dct:title {_lit(label, "en")} ;
    dcat:accessURL <{b}dumps/{name}> ;
    dcat:downloadURL <{b}dumps/{name}> ;
    dcat:mediaType <https://www.iana.org/assignments/media-types/{media}> ;
    dct:format <{FILE_TYPE}{file_type}> ;
    dcat:byteSize {_lit(release.sizes()[name], datatype="http://www.w3.org/2001/XMLSchema#nonNegativeInteger")} ;
    dct:license {_iri(LICENCE)} ;
    dct:issued {issued} ;
    spdx:checksum <{dist}#sha256> .
<{dist}#sha256> a spdx:Checksum ;
    spdx:algorithm spdx:checksumAlgorithm_sha256 ;
    spdx:checksumValue {_lit(checksum, datatype="http://www.w3.org/2001/XMLSchema#hexBinary")} .
<https://www.iana.org/assignments/media-types/{media}> a dct:MediaType .
<{FILE_TYPE}{file_type}> a dct:MediaTypeOrExtent .
""")
    lines.append("spdx:checksumAlgorithm_sha256 a spdx:ChecksumAlgorithm .\n")
    lines.append(f"""<{b}service/sparql> a dcat:DataService ;
    dct:title {_lit("policykg SPARQL-endpoint", "nl")} , {_lit("policykg SPARQL endpoint", "en")} ;
    dct:description {_lit("Alleen-lezen SPARQL 1.1-endpoint met tijds- en rijlimiet.", "nl")} ,
        {_lit("Read-only SPARQL 1.1 endpoint with a time and a row limit.", "en")} ;
    dcat:endpointURL <{b}sparql> ;
    dcat:endpointDescription <{b}sparql> ;
    dct:conformsTo <https://www.w3.org/TR/sparql11-protocol/> ;
    dct:license {_iri(LICENCE)} ;
    dcat:servesDataset <{b}dataset> .
""")
    for row in classes:
        cls = row["class"].value
        slug = hashlib.sha1(cls.encode()).hexdigest()[:12]
        lines.append(f"<{b}dataset> void:classPartition <{b}dataset/class/{slug}> .\n"
                     f"<{b}dataset/class/{slug}> void:class {_iri(cls)} ; void:entities "
                     f"{_lit(row['entities'].value, datatype=INTEGER)} .\n")  # fmt: skip
    for graph, count in sorted(release.manifest["graphs"].items()):
        lines.append(f"<{b}dataset> void:subset {_iri(graph)} .\n"
                     f"{_iri(graph)} a void:Dataset , sd:NamedGraph ; sd:name {_iri(graph)} ; void:triples "
                     f"{_lit(count, datatype='http://www.w3.org/2001/XMLSchema#integer')} .\n")  # fmt: skip
    return "\n".join(lines)


def description_triples(release: Release, store: Store, queries_dir: Path) -> list[ox.Triple]:
    text = description_turtle(release, store, queries_dir)
    return sorted(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE), key=str)
