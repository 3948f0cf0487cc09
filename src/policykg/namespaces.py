"""Every RDF prefix the project uses, in one place.

OSLO namespaces are easy to misspell: ``besluit`` and ``mandaat`` live under ``http://``, while
``persoon``, ``generiek``, ``organisatie``, ``besluitvorming`` and ``subsidie`` live under ``https://``.
Keeping them here, and testing the built data against :data:`KNOWN_NAMESPACES`, stops a
near-miss IRI from silently creating a vocabulary nobody else uses.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

PKG = Namespace("https://w3id.org/policykg/ns#")
"""The project's own ontology terms (classes and properties)."""

CONCEPT = Namespace("https://w3id.org/policykg/concept/")
"""SKOS concepts of the project's fixed schemes (levels, actor types, statuses, ...)."""

BESLUIT = Namespace("http://data.vlaanderen.be/ns/besluit#")
MANDAAT = Namespace("http://data.vlaanderen.be/ns/mandaat#")
PERSOON = Namespace("https://data.vlaanderen.be/ns/persoon#")
GENERIEK = Namespace("https://data.vlaanderen.be/ns/generiek#")
ORGANISATIE = Namespace("https://data.vlaanderen.be/ns/organisatie#")
BESLUITVORMING = Namespace("https://data.vlaanderen.be/ns/besluitvorming#")
SUBSIDIE = Namespace("https://data.vlaanderen.be/ns/subsidie#")

M8G = Namespace("http://data.europa.eu/m8g/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
PERSON = Namespace("http://www.w3.org/ns/person#")
SCHEMA = Namespace("https://schema.org/")
TIME = Namespace("http://www.w3.org/2006/time#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VANN = Namespace("http://purl.org/vocab/vann/")

PREFIXES: dict[str, Namespace] = {
    "pkg": PKG,
    "concept": CONCEPT,
    "besluit": BESLUIT,
    "mandaat": MANDAAT,
    "persoon": PERSOON,
    "generiek": GENERIEK,
    "organisatie": ORGANISATIE,
    "besluitvorming": BESLUITVORMING,
    "subsidie": SUBSIDIE,
    "m8g": M8G,
    "eli": ELI,
    "adms": ADMS,
    "person": PERSON,
    "schema": SCHEMA,
    "time": TIME,
    "org": ORG,
    "prov": PROV,
    "dct": DCTERMS,
    "foaf": FOAF,
    "skos": SKOS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "dcat": DCAT,
    "void": VOID,
    "sh": SH,
    "sd": SD,
    "vann": VANN,
}
"""Prefix → namespace, used for parsing CURIEs in registry files and for serialisation."""

KNOWN_NAMESPACES: frozenset[str] = frozenset(str(ns) for ns in PREFIXES.values())

# Hosts whose vocabularies we use. An IRI on one of these hosts that does not start with one of
# the known namespaces above is almost certainly a misspelling (wrong scheme, missing '#', typo).
VOCABULARY_HOSTS: tuple[str, ...] = (
    "data.vlaanderen.be/ns/",
    "data.europa.eu/m8g",
    "data.europa.eu/eli/ontology",
    "www.w3.org/ns/",
    "www.w3.org/2004/02/skos/",
    "purl.org/dc/terms",
    "xmlns.com/foaf/",
    "schema.org/",
    "w3id.org/policykg/ns",
    "w3id.org/policykg/concept",
)


def misspelled_namespace(iri: str) -> str | None:
    """Return a reason if ``iri`` looks like a vocabulary IRI outside the known namespaces."""
    bare = iri.split("://", 1)[-1]
    if not any(bare.startswith(host) for host in VOCABULARY_HOSTS):
        return None
    if any(iri.startswith(ns) for ns in KNOWN_NAMESPACES):
        return None
    for ns in KNOWN_NAMESPACES:
        ns_bare = ns.split("://", 1)[-1]
        if bare.startswith(ns_bare):
            return f"{iri} uses the wrong scheme; the namespace is {ns}"
        if bare.startswith(ns_bare.rstrip("#/")):
            return f"{iri} misses the separator of namespace {ns}"
    return f"{iri} is on a vocabulary host but in no known namespace"


def expand_curie(curie: str) -> str:
    """Expand ``prefix:local`` to a full IRI; raises KeyError for an unknown prefix."""
    prefix, _, local = curie.partition(":")
    return str(PREFIXES[prefix]) + local
