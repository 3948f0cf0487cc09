"""Building from a clean copy: the release, its determinism, and every kind of bad input."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from policykg.build import DUMP_NQUADS, DUMP_TRIG, DUMP_TURTLE, MANIFEST
from policykg.cli import main
from policykg.config import Settings

REPORT = "data/sources/001_3554e8e97ed7b9e1.txt"


def test_release_has_dumps_with_matching_manifest(built_project):
    _, result = built_project
    manifest = json.loads((result.release / MANIFEST).read_text())
    for name in (DUMP_NQUADS, DUMP_TURTLE, DUMP_TRIG):
        data = (result.release / name).read_bytes()
        assert manifest["files"][name] == hashlib.sha256(data).hexdigest()
    assert result.unresolved == [] and result.problems == []
    graphs = set(result.graphs)
    assert {g.rsplit("/", 1)[-1] for g in graphs} >= {
        "registry", "voortgangsrapport-2018-11", "conceptnota-2015-01-16", "vocabulary",
    }  # fmt: skip


def test_same_input_gives_byte_identical_dumps(built_project, tmp_path):
    settings, first = built_project
    # Another process with another string-hash seed: set and dict order may differ, the dumps may not.
    elsewhere = tmp_path / "elsewhere"
    env = {**os.environ, "POLICYKG_ROOT": str(settings.root), "POLICYKG_BUILD": str(elsewhere),
           "PYTHONHASHSEED": "12345"}  # fmt: skip
    subprocess.run([sys.executable, "-m", "policykg.cli", "build", "--quiet"], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    second = (elsewhere / "current").resolve()
    for name in (DUMP_NQUADS, DUMP_TURTLE, DUMP_TRIG, MANIFEST):
        assert (first.release / name).read_bytes() == (second / name).read_bytes(), name


def _with_good_build(project: Settings, built_project) -> str:
    """Give the copy the session's good build as its last good build; return where current points."""
    good_settings, _ = built_project
    shutil.copytree(good_settings.output_dir, project.output_dir, symlinks=True)
    return os.readlink(project.output_dir / "current")


def _fails(project: Settings, monkeypatch, capsys) -> str:
    monkeypatch.setenv("POLICYKG_ROOT", str(project.root))
    assert main(["build", "--quiet"]) == 1
    return capsys.readouterr().err


def _unchanged(project: Settings, target: str) -> None:
    assert os.readlink(project.output_dir / "current") == target
    assert not [p for p in (project.output_dir / "releases").iterdir() if p.name.startswith(".staging")]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_corrupt_source_is_refused(project, built_project, monkeypatch, capsys):
    target = _with_good_build(project, built_project)
    _edit(project.root / REPORT, "Status actie Opgestart", "Status actie Afgerond")
    err = _fails(project, monkeypatch, capsys)
    assert "data/sources/001_3554e8e97ed7b9e1.txt: checksum mismatch" in err
    register_line = _line_of(project.root / "data/sources/register.yaml", "file: 001_3554e8e97ed7b9e1.txt")
    assert f"data/sources/register.yaml:{register_line}" in err
    _unchanged(project, target)


def test_malformed_yaml_names_file_and_line(project, built_project, monkeypatch, capsys):
    target = _with_good_build(project, built_project)
    path = project.root / "data/registry/organisations.yaml"
    text = path.read_text(encoding="utf-8").split("\n")
    text.insert(3, "  aliases: [unclosed, list")
    path.write_text("\n".join(text), encoding="utf-8")
    err = _fails(project, monkeypatch, capsys)
    assert re.search(r"data/registry/organisations\.yaml:\d+: invalid YAML", err), err
    _unchanged(project, target)


def test_ragged_csv_row_names_file_and_line(project, built_project, monkeypatch, capsys):
    target = _with_good_build(project, built_project)
    path = project.root / "data/registry/municipalities.csv"
    _edit(path, '11004,"Boechout"', '11004,"Boechout",extra')
    err = _fails(project, monkeypatch, capsys)
    line = _line_of(path, '11004,"Boechout"')
    assert f"data/registry/municipalities.csv:{line}: expected 11 fields, found 12" in err
    _unchanged(project, target)


def test_duplicate_id_names_both_places(project, built_project, monkeypatch, capsys):
    target = _with_good_build(project, built_project)
    path = project.root / "data/registry/organisations.yaml"
    first_line = _line_of(path, "- id: vvsg")
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "\n- id: vvsg\n  name: Tweede VVSG\n  type: ngo\n  level: local\n", encoding="utf-8")
    err = _fails(project, monkeypatch, capsys)
    last = len(original.split("\n")) + 1  # the appended "- id: vvsg" line
    assert f"data/registry/organisations.yaml:{last}: duplicate id 'vvsg'" in err
    assert f"first defined at data/registry/organisations.yaml:{first_line}" in err
    _unchanged(project, target)


def test_alias_naming_two_actors_is_an_error(project, built_project, monkeypatch, capsys):
    target = _with_good_build(project, built_project)
    path = project.root / "data/registry/organisations.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "\n- id: nog-een\n  name: Nog een\n  aliases: [OCAD]\n  type: ngo\n  level: civil-society\n",
        encoding="utf-8",
    )
    err = _fails(project, monkeypatch, capsys)
    assert "alias 'OCAD' of 'nog-een' also names" in err
    assert "data/registry/organisations.yaml:" in err
    _unchanged(project, target)


def test_unknown_governance_level(project, built_project, monkeypatch, capsys):
    target = _with_good_build(project, built_project)
    path = project.root / "data/registry/organisations.yaml"
    line = _line_of(path, "- id: vvsg")
    text = path.read_text(encoding="utf-8").split("\n")
    level_line = next(i for i in range(line, len(text)) if text[i].strip().startswith("level:")) + 1
    text[level_line - 1] = "  level: municipal"
    path.write_text("\n".join(text), encoding="utf-8")
    err = _fails(project, monkeypatch, capsys)
    assert f"data/registry/organisations.yaml:{level_line}: unknown governance level 'municipal'" in err
    _unchanged(project, target)


def test_unknown_actor_is_reported_with_source_line(project, built_project, monkeypatch, capsys):
    """A party the registry does not know fails the build at the line the report names it."""
    target = _with_good_build(project, built_project)
    path = project.root / "data/registry/organisations.yaml"
    text = path.read_text(encoding="utf-8")
    # Remove the OCAD entry (up to the next entry).
    start = text.index("- id: ocad\n")
    end = text.index("\n- id:", start + 1)
    path.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    err = _fails(project, monkeypatch, capsys)
    # Action 1.1 lists "Andere betrokkenen VVSG, VGC, OCAD, FOD Justitie" on line 62 of the report.
    assert f"{REPORT}:62: unresolved other party 'OCAD'" in err
    _unchanged(project, target)


def test_ontology_term_that_does_not_exist(project, built_project, monkeypatch, capsys):
    target = _with_good_build(project, built_project)
    path = project.root / "ontology/policykg.ttl"
    text = path.read_text(encoding="utf-8")
    start = text.index("pkg:budgetText a owl:DatatypeProperty")
    end = text.index("\n\n", start)
    path.write_text(text[:start] + text[end + 2 :], encoding="utf-8")
    err = _fails(project, monkeypatch, capsys)
    assert "property https://w3id.org/policykg/ns#budgetText is not declared in ontology/" in err
    assert f"first used for a fact read at {REPORT}:" in err
    _unchanged(project, target)


def test_unknown_actor_type_code(project, built_project, monkeypatch, capsys):
    target = _with_good_build(project, built_project)
    path = project.root / "data/registry/organisations.yaml"
    line = _line_of(path, "- id: vvsg")
    text = path.read_text(encoding="utf-8").split("\n")
    type_line = next(i for i in range(line, len(text)) if text[i].strip().startswith("type:")) + 1
    text[type_line - 1] = "  type: agencie"
    path.write_text("\n".join(text), encoding="utf-8")
    err = _fails(project, monkeypatch, capsys)
    assert f"data/registry/organisations.yaml:{type_line}: unknown actor type 'agencie'" in err
    assert "not declared in ontology/schemes.ttl" in err
    _unchanged(project, target)


def test_shacl_violation_fails_the_build_and_names_the_registry_line(project, built_project, monkeypatch, capsys):
    """A portfolio 'held' by an organisation passes the registry checks but not the shapes."""
    target = _with_good_build(project, built_project)
    path = project.root / "data/registry/government.yaml"
    _edit(path, "    holder: ben-weyts\n", "    holder: vvsg\n")
    line = _line_of(path, "- id: minister-mobiliteit-vlaamse-rand")
    err = _fails(project, monkeypatch, capsys)
    assert "build failed at SHACL validation" in err
    assert "A post is held by persons." in err
    assert f"[data/registry/government.yaml:{line}]" in err
    _unchanged(project, target)


def test_validate_command_prints_a_readable_report(project, monkeypatch, capsys):
    path = project.root / "data/registry/government.yaml"
    _edit(path, "    holder: ben-weyts\n", "    holder: vvsg\n")
    monkeypatch.setenv("POLICYKG_ROOT", str(project.root))
    assert main(["validate", "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "focus node: https://w3id.org/policykg/id/post/minister-mobiliteit-vlaamse-rand" in out
    assert "path:       http://www.w3.org/ns/org#heldBy" in out
    assert "message:    A post is held by persons." in out
    assert "source:     data/registry/government.yaml:" in out


def test_both_shacl_engines_agree(project):
    """The fast engine and the reference engine report the same violations for the same data."""
    from policykg.build import prepare, validate_dataset

    path = project.root / "data/registry/government.yaml"
    _edit(path, "    holder: ben-weyts\n", "    holder: vvsg\n")
    _edit(path, "    holder: hilde-crevits\n", "    holder: abb\n")
    built = prepare(project, progress=False)
    results = {
        engine: {(v.focus, v.path, v.component) for v in validate_dataset(built, project, engine=engine)}
        for engine in ("turbo", "pyshacl")
    }
    assert results["turbo"] == results["pyshacl"]
    held_by = "http://www.w3.org/ns/org#heldBy"
    post = "https://w3id.org/policykg/id/post/"
    assert (f"{post}minister-mobiliteit-vlaamse-rand", held_by, "ClassConstraintComponent") in results["turbo"]
    assert (f"{post}minister-onderwijs", held_by, "ClassConstraintComponent") in results["turbo"]
