import re

from policykg.build import DUMP_NQUADS
from policykg.namespaces import misspelled_namespace


def test_misspellings_are_caught():
    assert "wrong scheme" in misspelled_namespace("https://data.vlaanderen.be/ns/besluit#Bestuurseenheid")
    assert "wrong scheme" in misspelled_namespace("http://data.vlaanderen.be/ns/persoon#Persoon")
    assert "separator" in misspelled_namespace("http://data.vlaanderen.be/ns/besluitVergaderactiviteit")
    assert misspelled_namespace("http://data.vlaanderen.be/ns/besluit#Vergaderactiviteit") is None
    assert misspelled_namespace("https://data.vlaanderen.be/ns/subsidie#SubsidiemaatregelConsumptie") is None
    assert misspelled_namespace("https://w3id.org/policykg/id/action/2017/1.1") is None


def test_the_published_data_uses_no_misspelled_namespace(built_project):
    _, result = built_project
    vocabulary = "<https://w3id.org/policykg/graph/vocabulary> .\n"
    lines = (result.release / DUMP_NQUADS).read_text(encoding="utf-8").splitlines(keepends=True)
    data = [line for line in lines if not line.endswith(vocabulary)]
    assert len(data) > 10000
    iris = {iri for line in data for iri in re.findall(r"<([^>]+)>", line)}
    assert {iri: reason for iri in iris if (reason := misspelled_namespace(iri))} == {}
