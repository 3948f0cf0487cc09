"""SELECT results as CSV, TSV, JSON (the W3C SPARQL results formats) or a text table."""

from __future__ import annotations

import pyoxigraph as ox

FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}


def plain(term: object) -> str:
    """A term as a researcher wants to read it: the IRI or the literal's lexical form."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def rows(solutions: ox.QuerySolutions) -> tuple[list[str], list[list[str]]]:
    variables = [v.value for v in solutions.variables]
    return variables, [[plain(solution[v]) for v in variables] for solution in solutions]


def table(variables: list[str], data: list[list[str]], width: int = 60) -> str:
    """An aligned text table; long cells are cut with an ellipsis."""
    cut = [[cell if len(cell) <= width else cell[: width - 1] + "…" for cell in row] for row in data]
    widths = [max([len(v)] + [len(r[i]) for r in cut]) for i, v in enumerate(variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cut]
    lines.append(f"({len(data)} rows)")
    return "\n".join(lines)


def serialise(solutions: ox.QuerySolutions, fmt: str) -> bytes:
    if fmt == "table":
        variables, data = rows(solutions)
        return (table(variables, data) + "\n").encode("utf-8")
    if fmt not in FORMATS:
        raise ValueError(f"unknown result format {fmt!r} (csv, tsv, json, xml, table)")
    return solutions.serialize(format=FORMATS[fmt])
