"""Reading the ``data/`` folder: the source register, the source texts, registry files, annotations.

This is the only module that opens files under ``data/``. It keeps the line number of every YAML
mapping, list item and CSV row, because a curator who made a mistake needs to be told which file
and which line to fix, and because registry facts carry that line as their provenance.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .text import Text


class DataError(Exception):
    """Bad input in a data file; the message names the file and line."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file = file
        self.line = line
        self.message = message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Where:
    """A place in a data file: path relative to the project root and 1-based line(s)."""

    file: str
    line: int
    end_line: int

    def error(self, message: str) -> DataError:
        return DataError(self.file, self.line, message)


class LocatedDict(dict[str, Any]):
    """A YAML mapping that remembers where it and each of its keys stand in the file."""

    where: Where
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.where.line)


class LocatedList(list[Any]):
    """A YAML sequence that remembers the line of each item."""

    where: Where
    item_lines: list[int]


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _convert(node: yaml.Node, loader: yaml.SafeLoader, file: str) -> Any:
    where = Where(file, node.start_mark.line + 1, node.end_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result = LocatedDict()
        result.where = where
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise DataError(file, key_node.start_mark.line + 1, f"mapping key {key!r} is not text")
            if key in result:
                raise DataError(file, key_node.start_mark.line + 1, f"duplicate key {key!r}")
            result[key] = _convert(value_node, loader, file)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        items = LocatedList()
        items.where = where
        items.item_lines = []
        for item in node.value:
            items.append(_convert(item, loader, file))
            items.item_lines.append(item.start_mark.line + 1)
        return items
    return loader.construct_object(node, deep=True)


def read_text(path: Path, root: Path) -> Text:
    """A data file as numbered lines; the ``doc`` of the text is its path relative to the root."""
    file = _relative(path, root)
    try:
        return Text.from_string(file, path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataError(file, None, "file not found") from exc
    except UnicodeDecodeError as exc:
        raise DataError(file, None, f"not UTF-8 text ({exc})") from exc


def parse_yaml(text: Text) -> Any:
    """Parse YAML into located dicts and lists; syntax errors name the file and line."""
    file = text.doc
    # libyaml's loader when PyYAML has it (its wheels do): the same nodes and marks, five times faster.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)("\n".join(text.lines))
    try:
        node = loader.get_single_node()
        return None if node is None else _convert(node, loader, file)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise DataError(file, line, f"invalid YAML: {problem}") from exc
    except yaml.YAMLError as exc:
        raise DataError(file, None, f"invalid YAML: {exc}") from exc
    finally:
        loader.dispose()


def read_yaml(path: Path, root: Path) -> tuple[Any, Text]:
    """A YAML data file, parsed, together with its lines (registry facts quote them)."""
    text = read_text(path, root)
    return parse_yaml(text), text


@dataclass(frozen=True)
class CsvRow:
    """One CSV data row with its fields by header name and its line in the file."""

    fields: dict[str, str]
    where: Where


def parse_csv(text: Text, required: tuple[str, ...]) -> list[CsvRow]:
    """Rows of a CSV text with a header; a missing column or a ragged row is a DataError."""
    file = text.doc
    reader = csv.reader(io.StringIO("\n".join(text.lines)), strict=True)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise DataError(file, 1, "empty CSV file, a header row is required") from exc
    except csv.Error as exc:
        raise DataError(file, 1, f"invalid CSV: {exc}") from exc
    missing = [c for c in required if c not in header]
    if missing:
        raise DataError(file, 1, f"missing column(s): {', '.join(missing)}")
    rows = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            raise DataError(file, reader.line_num, f"invalid CSV: {exc}") from exc
        if not row:
            continue
        if len(row) != len(header):
            raise DataError(file, reader.line_num, f"expected {len(header)} fields, found {len(row)}")
        rows.append(CsvRow(dict(zip(header, row, strict=True)), Where(file, reader.line_num, reader.line_num)))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_source_text(path: Path, root: Path, expected_sha256: str, where: Where) -> Text:
    """The text of a registered source, refused if its checksum differs from the register."""
    if not path.exists():
        raise where.error(f"registered source file {path.name} does not exist in {_relative(path.parent, root)}")
    actual = sha256_of(path)
    if actual != expected_sha256:
        raise DataError(
            _relative(path, root),
            None,
            f"checksum mismatch: the register ({where.file}:{where.line}) expects sha256 {expected_sha256}, "
            f"the file has {actual}; the source was changed or corrupted",
        )
    try:
        return Text.read(path)
    except UnicodeDecodeError as exc:
        raise DataError(_relative(path, root), None, f"not UTF-8 text ({exc})") from exc
