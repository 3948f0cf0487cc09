"""Query results in the W3C formats: SPARQL JSON, XML, CSV and TSV for solutions; Turtle,
N-Triples, JSON-LD and RDF/XML for graphs; and a text table for the command line.

The endpoint serialises solutions here from rows rather than by the store, so that a result cut
at the row limit is still a well-formed document of its format; the command line, which gives
every row, leaves it to the store's own serialiser, which writes without a Python object per term
(at 1 million triples 45,000 event participants in 0.66 s instead of 1.0 s).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

RESULT_TYPES: dict[str, dict[str, str]] = {
    "solutions": {
        "json": "application/sparql-results+json",
        "xml": "application/sparql-results+xml",
        "csv": "text/csv",
        "tsv": "text/tab-separated-values",
    },
    "graph": {
        "turtle": "text/turtle",
        "ttl": "text/turtle",
        "ntriples": "application/n-triples",
        "nt": "application/n-triples",
        "jsonld": "application/ld+json",
        "json-ld": "application/ld+json",
        "rdfxml": "application/rdf+xml",
        "xml": "application/rdf+xml",
    },
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def plain(term: object) -> str:
    """A term as a researcher wants to read it: the IRI or the literal's lexical form."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode):
        return term.value
    return str(term)


def rows(solutions: ox.QuerySolutions) -> tuple[list[str], list[list[str]]]:
    variables = [v.value for v in solutions.variables]
    return variables, [[plain(term) for term in solution] for solution in solutions]


def table(variables: list[str], data: list[list[str]], width: int = 60) -> str:
    """An aligned text table; long cells are cut with an ellipsis."""
    cut = [[cell if len(cell) <= width else cell[: width - 1] + "…" for cell in row] for row in data]
    widths = [max([len(v)] + [len(r[i]) for r in cut]) for i, v in enumerate(variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cut]
    lines.append(f"({len(data)} rows)")
    return "\n".join(lines)


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def serialise_solutions(
    variables: Sequence[str] | None, data: Sequence[Sequence[Term]], media_type: str, boolean: bool | None = None
) -> bytes:
    """SELECT solutions (or an ASK boolean) in one of the W3C result formats."""
    if media_type == "application/sparql-results+json":
        doc: dict[str, object] = {"head": {"vars": list(variables or [])} if boolean is None else {}}
        if boolean is None:
            doc["results"] = {
                "bindings": [
                    {v: _json_term(t) for v, t in zip(variables or [], row, strict=True) if t is not None}
                    for row in data
                ]
            }
        else:
            doc["boolean"] = boolean
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if media_type == "application/sparql-results+xml":
        out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
        out += [f"<variable name={quoteattr(v)}/>" for v in variables or []]
        out.append("</head>")
        if boolean is not None:
            out.append(f"<boolean>{'true' if boolean else 'false'}</boolean>")
        else:
            out.append("<results>")
            for row in data:
                cells = "".join(
                    f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                    for v, t in zip(variables or [], row, strict=True)
                    if t is not None
                )
                out.append(f"<result>{cells}</result>")
            out.append("</results>")
        out.append("</sparql>")
        return "\n".join(out).encode("utf-8")
    if media_type == "text/csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        if boolean is not None:
            writer.writerow(["_askResult"])
            writer.writerow(["true" if boolean else "false"])
        else:
            writer.writerow(variables or [])
            writer.writerows([plain(t) for t in row] for row in data)
        return buffer.getvalue().encode("utf-8")
    if media_type == "text/tab-separated-values":
        if boolean is not None:
            return f"?_askResult\n{'true' if boolean else 'false'}\n".encode()
        lines = ["\t".join(f"?{v}" for v in variables or [])]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in data]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"not a result format for solutions: {media_type}")


def serialise_graph(triples: Sequence[ox.Triple], media_type: str, prefixes: dict[str, str] | None = None) -> bytes:
    if media_type not in GRAPH_FORMATS:
        raise ValueError(f"not an RDF format: {media_type}")
    fmt = GRAPH_FORMATS[media_type]
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD) and prefixes:
        return ox.serialize(triples, format=fmt, prefixes=prefixes)
    return ox.serialize(triples, format=fmt)


STORE_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                 "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}  # fmt: skip


def serialise(solutions: ox.QuerySolutions, fmt: str) -> bytes:
    """Every row of a SELECT result for the command line: csv, tsv, json, xml or an aligned table."""
    if fmt in STORE_FORMATS:
        return solutions.serialize(format=STORE_FORMATS[fmt])
    if fmt != "table":
        raise ValueError(f"unknown result format {fmt!r} (csv, tsv, json, xml, table)")
    variables = [v.value for v in solutions.variables]
    return (table(variables, [[plain(t) for t in solution] for solution in solutions]) + "\n").encode("utf-8")
