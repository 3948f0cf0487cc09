"""Events, participants and grants of the progress report, checked against passages read in the text.

Each expectation quotes the lines of data/sources/001_3554e8e97ed7b9e1.txt it was read from; the
values are what the text says, not what the extractor happened to print.
"""

from __future__ import annotations

import pytest

from policykg.gazetteer import Gazetteer
from policykg.ontology import Ontology
from policykg.queries import load_queries
from policykg.registry import load
from policykg.results import plain


def _rows(settings, store, name):
    query = load_queries(settings.queries_dir)[name]
    return [{k: plain(v) for k, v in row.items()} for row in store.select(query.text)]


@pytest.fixture(scope="module")
def grants(built_project, store):
    return _rows(built_project[0], store, "grants")


@pytest.fixture(scope="module")
def events(built_project, store):
    return _rows(built_project[0], store, "events")


@pytest.fixture(scope="module")
def participants(built_project, store):
    return _rows(built_project[0], store, "event-participants")


@pytest.fixture(scope="module")
def gazetteer(built_project):
    settings = built_project[0]
    ontology = Ontology.load(settings.ontology_dir)
    registry = load(settings.registry_dir, settings.root, ontology.codes("level"), ontology.codes("actor-type"))
    return Gazetteer(registry.registry)


def test_grant_stated_in_a_sentence_takes_the_rows_budget_amounts(grants):
    # l. 2623 "Van 1 januari 2015 tot 30 juni 2016 ontving Arktos middelen voor het project ‘CONNECT’",
    # budget column l. 2654-2659: "100.000 euro (eerste periode) 190.000 euro (tweede periode)" ...
    arktos = sorted(r["amount_eur"] for r in grants if r["code"] == "5.5" and r["recipient"] == "Arktos")
    assert arktos[:2] == ["100000", "190000"]


def test_grant_granted_to_a_named_organisation(grants):
    # l. 5689-5690 "De projectmiddelen die reeds werden toegekend aan vzw de Keerkring, centrum voor
    # opvoedingsondersteuning voor het project ‘Helpdesk Opvoedingsvragen ...’"
    assert any(r["code"] == "13.2" and r["recipient"] == "De Keerkring" for r in grants)


def test_event_word_inside_a_name_does_not_set_the_kind(events, participants):
    # l. 3932-3934 "Op 25 mei 2018 organiseerde het departement Onderwijs en Vorming, samen met de stad
    # Sint-Niklaas en de VVSG, een studiedag": a study day, not a training ("Vorming" is in the name).
    [day] = [e for e in events if e["date"] == "2018-05-25" and e["action"] == "8.1"]
    assert day["kind"] == "study-day"
    roles = {p["participant"]: p["role"] for p in participants if p["event"] == day["event"]}
    # "samen met ... en ...": the city and the VVSG organise it together with the department.
    assert roles == {
        "Departement Onderwijs en Vorming": "organiser",
        "Sint-Niklaas": "organiser",
        "Vereniging van Vlaamse Steden en Gemeenten": "organiser",
    }


def test_a_relative_clause_does_not_hide_the_events_of_its_sentence(events):
    # l. 4186-4190 "De consulenten die werden aangeworven ... gaven op 1 december 2017 een vorming op maat
    # aan ... Gent, op 28 maart 2018 aan ... Dendermonde": "aangeworven" is about the consultants.
    trainings = {e["date"] for e in events if e["action"] == "8.1" and e["kind"] == "training"}
    assert {"2017-12-01", "2018-03-28"} <= trainings


def test_list_items_inherit_the_organiser_and_places_of_the_audience_are_not_participants(events, participants):
    # l. 2549-2559: "... heeft de inspectie Islam ook een verplichte studiedag ... georganiseerd voor alle
    # leerkrachten Islam ... Er werden 3 studiedagen georganiseerd, opgedeeld per regio:
    #  leerkrachten van Antwerpen op 8 mei 2018"
    [may8] = [e for e in events if e["date"] == "2018-05-08" and e["action"] == "5.4"]
    names = {p["participant"] for p in participants if p["event"] == may8["event"]}
    assert "Inspectie islamitische godsdienst" in names
    # l. 2570 "- 12 november 2018: provincie Antwerpen": where the teachers come from.
    [nov12] = [e for e in events if e["date"] == "2018-11-12" and e["action"] == "5.4"]
    assert nov12["planned"] == "true"  # the report speaks from late 2018: "worden ... georganiseerd"
    names = {p["participant"] for p in participants if p["event"] == nov12["event"]}
    assert not any(n.startswith("Provincie") for n in names)


def test_capitalised_names_match_when_the_text_capitalises_them(gazetteer):
    found = gazetteer.find("organiseerde het departement Onderwijs en Vorming een studiedag")
    assert [m.text for m in found] == ["het departement Onderwijs en Vorming"]
    # The magazine "Klasse" is not the common noun.
    assert [m.text for m in gazetteer.find("in de klasse werd gepraat")] == []
    assert [m.resolution.agents[0].id for m in gazetteer.find("publiceerde Klasse een e-book")] == ["klasse"]


def test_a_body_the_registry_also_writes_in_lower_case_matches_mid_sentence(gazetteer, events):
    # 001 l. 82-87 "Het platform over radicalisering en terrorisme, dat overleg mogelijk maakt tussen de
    # betrokken kabinetten van de federale overheid en de deelstaten, ... kwam samen op 2 februari 2017 en
    # 23 juni 2017": the interfederal platform, not the Vlaams Platform Radicalisering.
    found = gazetteer.find("Het platform over radicalisering en terrorisme, dat overleg mogelijk maakt")
    assert [m.resolution.agents[0].id for m in found] == ["platform-radicalisering-en-terrorisme"]
    bodies = {e["date"]: e.get("body", "") for e in events if e["source"].startswith("001_")
              and e["date"] in ("2017-02-02", "2017-06-23")}  # fmt: skip
    assert bodies == dict.fromkeys(("2017-02-02", "2017-06-23"), "Platform over radicalisering en terrorisme")


def test_postponed_meetings_are_not_events_and_past_tense_dates_take_a_past_year(events):
    # l. 599-600 "Het overleg van 4 oktober 2018 werd uitgesteld."
    assert not any(e["date"] == "2018-10-04" for e in events)
    # l. 2052-2054 "De projecten starten op 1 mei 2018 en lopen tot april 2020. Een eerste bijeenkomst vond
    # plaats midden oktober": October 2018, the report's own autumn, not 2020.
    lines = {e["line"]: e["date"] for e in events if e["source"].startswith("001_")}
    assert lines.get("2054", "").startswith("2018-10")
    assert not any(e["date"].startswith("2020") for e in events)


def test_an_announced_month_is_not_an_event_beside_its_listed_sessions(events):
    # l. 2567-2573 "In november en december 2018 worden 3 studiedagen ... georganiseerd ...: - 12 november
    # 2018: ... - 26 november 2018: ... - 11 december 2018: ...": three study days, no November or December one.
    in_54 = {e["date"] for e in events if e["action"] == "5.4" and e["kind"] == "study-day"}
    assert {"2018-11-12", "2018-11-26", "2018-12-11"} <= in_54
    assert not {"2018-11", "2018-12"} & in_54


def test_the_deciding_government_organises_its_decision_and_takes_one_role(events, participants):
    # l. 3 "Op 16 januari 2015 keurde de Vlaamse Regering de conceptnota ... goed"; l. 7 "dat op 3 april
    # 2015 door de Vlaamse Regering werd goedgekeurd" ("door" must not make it a presenter as well).
    for day in ("2015-01-16", "2015-04-03"):
        [decision] = [e for e in events if e["date"] == day and e["kind"] == "government-decision"]
        roles = {p["role"] for p in participants if p["event"] == decision["event"]
                 and p["participant"] == "Vlaamse Regering"}  # fmt: skip
        assert roles == {"organiser"}  # one row per way a mention writes it, all in the same role


def test_who_runs_a_bodys_secretariat_does_not_attend_each_listed_session(events, participants):
    # l. 220-224 "Het secretariaat van de expertencel gebeurt door de aanspreekpunten radicalisering van
    # welzijn en onderwijs. Volgende topics kwamen tijdens de voorbije vergaderingen reeds aan bod:
    # - 14 september 2016: ..." names no one who attended the session of 14 September 2016.
    [session] = [e for e in events if e["date"] == "2016-09-14" and e["action"] == "1.2"]
    assert not [p for p in participants if p["event"] == session["event"]]


def test_the_sessions_of_an_organisations_working_group_are_organised_by_it(events, participants):
    # l. 1469-1484 "In de werkgroep radicalisering werd verder ingezet op intervisie ... ondersteund door
    # de expertise van VVSG medewerkers ... De werkgroep kwam samen op 09 december 2016, 17 februari 2017,
    # 24 mei 2017, 14 september 2017, 1 december 2017, 17 januari 2018, 27 maart 2018, 13 juni 2018 en
    # 20/09/2018": nine sessions of the VVSG's working group, each organised by the VVSG.
    dates = ["2016-12-09", "2017-02-17", "2017-05-24", "2017-09-14", "2017-12-01", "2018-01-17", "2018-03-27",
             "2018-06-13", "2018-09-20"]  # fmt: skip
    sessions = {e["date"]: e for e in events if e["action"] == "4.3" and e["date"] in dates and e["kind"] == "meeting"}
    assert sorted(sessions) == dates
    for session in sessions.values():
        roles = {(p["participant"], p["role"]) for p in participants if p["event"] == session["event"]}
        assert ("Vereniging van Vlaamse Steden en Gemeenten", "organiser") in roles


def test_a_network_in_an_enumeration_of_those_who_meet_takes_part_and_same_day_meetings_stay_apart(
    events, participants
):
    # l. 2136-2139 "De verschillende hulplijnen (Netwerk Islamexperten, opvoedingslijn, infolijn Islam,
    # aanspreekpunt onderwijs, OTA's) stemmen onderling af ... (29 november 2016, 11 mei 2017 en 23 april
    # 2018)": three meetings of the help lines, no body of their own; the network is one of them.
    for day in ("2016-11-29", "2017-05-11", "2018-04-23"):
        [meeting] = [e for e in events if e["date"] == day and e["action"] == "4.7"]
        assert (meeting["kind"], meeting["body"]) == ("meeting", "")
        names = {p["participant"] for p in participants if p["event"] == meeting["event"]}
        assert {"Netwerk Islamexperten", "Infolijn Islam", "aanspreekpunt radicalisering onderwijs"} <= names
    # l. 1077-1078 "De administraties onderwijs van de Vlaamse en Franstalige gemeenschap zaten samen op
    # 15 juli 2016, 29 november 2016, ...": another meeting that day, with no one in common.
    assert len([e for e in events if e["date"] == "2016-11-29" and e["kind"] == "meeting"]) == 2


def test_a_group_the_sessions_are_for_takes_part_in_each(built_project, events, participants, store):
    # l. 1775-1780 "De VVSG ondersteunt casemanagers (ambtenaren die geradicaliseerde individuen opvolgen)
    # door het organiseren van inter- en supervisies ... Een startbijeenkomst werd georganiseerd op 3
    # februari 2016, waarna driemaandelijks werd samengekomen (31 maart 2016, 20 juni 2016, ...)": the
    # case managers attend each session the VVSG organises; they are a group, not an organisation.
    for day in ("2016-02-03", "2016-03-31", "2016-06-20"):
        [session] = [e for e in events if e["date"] == day and e["action"] == "4.3"]
        roles = {p["participant"]: p["role"] for p in participants if p["event"] == session["event"]}
        assert roles == {"Vereniging van Vlaamse Steden en Gemeenten": "organiser", "casemanagers": "participant"}
    [group] = store.select(
        'PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX org: <http://www.w3.org/ns/org#> '
        'PREFIX pkg: <https://w3id.org/policykg/ns#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> '
        'SELECT ?level (EXISTS { ?g a org:Organization } AS ?organisation) WHERE { '
        '?g a foaf:Group ; pkg:governanceLevel/skos:notation ?level ; skos:altLabel "casemanager"@nl }'
    )
    assert (group["level"].value, group["organisation"].value) == ("local", "false")


def test_each_item_of_a_long_enumeration_of_occasions_keeps_its_own_place_and_organiser(events, participants):
    # l. 401-417 "geeft het aanspreekpunt ook toelichtingen ... op studiedagen o.a. georganiseerd door LOP's
    # (...), ... en door lokale besturen (op 26 januari 2017 in provincie Limburg, voor de provincie West-
    # Vlaanderen op 19 december 2016, op 29 september 2017 en 6 oktober 2017 in Tienen, ...), ..., op 15 mei
    # 2017 op initiatief van Kazerne Dossin, ...": Tienen is the place of the two days after 19 December.
    def at_401(day):
        [event] = [e for e in events if e["date"] == day and e["source"].startswith("001_") and e["line"] == "401"]
        return event

    assert [at_401(day)["place"] for day in ("2016-12-19", "2017-09-29", "2017-10-06")] == ["", "Tienen", "Tienen"]
    assert at_401("2017-01-26")["place"] == "Provincie Limburg"
    # "geeft het aanspreekpunt ... toelichtingen": the contact point presents at each and organises none
    # (a retelling, l. 2194-2196 "infomomenten met hetzij het aanspreekpunt ...", may add its own role)
    at_each = [{p["role"] for p in participants
                if p["event"] == e["event"] and p["participant"] == "aanspreekpunt radicalisering onderwijs"}
               for e in events if e["line"] == "401" and e["source"].startswith("001_")]  # fmt: skip
    assert at_each and all("presenter" in roles and "organiser" not in roles for roles in at_each)
    organisers = {p["participant"] for p in participants if p["event"] == at_401("2017-01-26")["event"]
                  and p["role"] == "organiser"}  # fmt: skip
    assert "lokale besturen" in organisers  # "door lokale besturen (": the "georganiseerd door" goes on
    lop = {p["participant"]: p["role"] for p in participants if p["event"] == at_401("2017-12-06")["event"]}
    assert lop.get("lokale overlegplatforms (LOP)") == "organiser"  # "georganiseerd door LOP's (... 6 december 2017"
    scholen = {p["participant"] for p in participants if p["event"] == at_401("2017-04-24")["event"]}
    assert "lokale overlegplatforms (LOP)" not in scholen  # "door scholen (op 24 april 2017 ...)"
    dossin = {p["participant"]: p["role"] for p in participants if p["event"] == at_401("2017-05-15")["event"]}
    assert dossin.get("Kazerne Dossin") == "organiser"


def test_a_body_with_its_date_in_parentheses_is_a_session_of_that_body(events):
    # l. 2215-2218 "toelichting aan de lokale besturen: op het provinciaal overlegplatform radicalisering
    # West-Vlaanderen (19 december 2016), Netwerk radicalisering onderwijs Gent (23 januari 2017), ...".
    sessions = {(e["date"], e["body"]) for e in events if e["kind"] == "meeting"}
    assert ("2016-12-19", "Provinciaal overlegplatform radicalisering West-Vlaanderen") in sessions
    assert ("2017-01-23", "Netwerk radicalisering onderwijs Gent") in sessions


def test_a_list_introduced_by_its_audience_keeps_the_organiser_of_the_sentence_before(events, participants):
    # l. 4077-4084 "... organiseert het inspectieteam islamitische godsdienst in november en december 2018 een
    # verplichte studiedag voor leerkrachten islam van het basisonderwijs ... Er zullen 3 studiedagen
    # georganiseerd worden opgedeeld per regio: o leerkrachten van Antwerpen op 12 november 2018", and
    # l. 2567-2569 tells the same day ("3 studiedagen ... voor de leerkrachten islam ...: - 12 november 2018"):
    # one study day, organised by the inspectorate, for the teachers of Islam.
    [day] = [e for e in events if e["date"] == "2018-11-12" and e["kind"] == "study-day"]
    roles = {(p["participant"], p["role"]) for p in participants if p["event"] == day["event"]}
    assert roles == {("Inspectie islamitische godsdienst", "organiser"), ("leerkrachten islam", "participant")}


def test_a_provincial_platform_the_text_does_not_name_is_found_by_its_province(events, participants):
    # l. 1605-1611 "In Oost-Vlaanderen ageert de VVSG als trekker van het platform ... Sinds de vorige
    # rapportage is de multidisciplinaire groep (...) reeds tweemaal bijeen gekomen (19/06/2018 en
    # 05/10/2018)"; l. 1614-1627 "In de provincie Limburg werd ... beslist om 20 maart 2018 een nieuw
    # netwerk op te starten. ... Het platform kwam sinds de vorige rapportage reeds tweemaal bijeen
    # (08/06/2018 en 12/10/2018)".
    sessions = {(e["date"], e["body"]) for e in events if e["action"] == "4.3" and e["kind"] == "meeting"}
    oost, limburg = "Provinciaal platform radicalisering Oost-Vlaanderen", "Provinciaal netwerk radicalisering Limburg"
    assert {("2018-06-19", oost), ("2018-10-05", oost)} <= sessions
    assert {("2018-03-20", limburg), ("2018-06-08", limburg), ("2018-10-12", limburg)} <= sessions
    [oost_june] = [e for e in events if e["date"] == "2018-06-19" and e["body"] == oost]
    organisers = {p["participant"] for p in participants
                  if p["event"] == oost_june["event"] and p["role"] == "organiser"}  # fmt: skip
    # the VVSG leads it ("als trekker"); "In Oost-Vlaanderen" says where, the province does not organise
    assert organisers == {"Vereniging van Vlaamse Steden en Gemeenten"}


def test_the_audience_a_following_sentence_gives_takes_part(events, participants):
    # l. 3948-3953 "Op 18, 22 en 23 mei 2017 en op 21, 25 en 26 september 2017 organiseerde de inspectie
    # islam samen met het GO!, onderwijs van de Vlaamse Gemeenschap, een tweedaagse vorming ... Dit was een
    # verplichte opleiding voor alle leerkrachten islam."
    for day in ("2017-05-18", "2017-09-26"):
        [training] = [e for e in events if e["date"] == day and e["kind"] == "training"]
        roles = {p["participant"]: p["role"] for p in participants if p["event"] == training["event"]}
        assert roles == {"Inspectie islamitische godsdienst": "organiser",
                         "GO! onderwijs van de Vlaamse Gemeenschap": "organiser",
                         "leerkrachten islam": "participant"}  # fmt: skip


def test_what_is_organised_from_within_a_network_is_organised_by_it(events, participants):
    # l. 2549-2557 "In mei 2018 werd vanuit het netwerk Islamexperten samen met de inspectie Islam ook een
    # verplichte studiedag ... georganiseerd voor alle leerkrachten Islam ... Er werden 3 studiedagen
    # georganiseerd, opgedeeld per regio: leerkrachten van Limburg, Brussel en Vlaams-Brabant op 3 mei 2018".
    [day] = [e for e in events if e["date"] == "2018-05-03" and e["kind"] == "study-day"]
    roles = {p["participant"]: p["role"] for p in participants if p["event"] == day["event"]}
    assert roles == {"Netwerk Islamexperten": "organiser", "Inspectie islamitische godsdienst": "organiser",
                     "leerkrachten islam": "participant"}  # fmt: skip


def test_project_agreements_and_their_extensions_are_grants(grants):
    # l. 4119-4123 "Er werd een eerste overeenkomst afgesloten met OTA Vlaams-Brabant en Brussel ... Hiervoor
    # ontvingen ze een projectsubsidie voor de periode 1 november 2015 en liep tot 31 december 2016";
    # l. 4154-4171 "Er werd een eerste overeenkomst (1 november 2015 tot 31 december 2016) afgesloten met De
    # Touter vzw ... Het project werd ... eenmalig verlengd voor de periode 1 januari 2017 tot 31 december 2017";
    # l. 4150-4152 "De projectovereenkomst werd ... in 2018 opnieuw met een jaar verlengd" (after "OTA bereikte").
    mine = {(g["recipient"], g["period"]) for g in grants if g["code"] == "8.1"}
    assert ("OTA Vlaams-Brabant en Brussel", "1 november 2015 – 31 december 2016") in mine
    assert ("De Touter", "1 november 2015 – 31 december 2016") in mine
    assert ("De Touter", "1 januari 2017 – 31 december 2017") in mine
    assert ("Ondersteuningsteams Allochtonen", "2018") in mine


def test_funded_organisations_listed_without_amounts_take_the_columns_amounts_in_order(grants):
    # l. 4678-4700 "- VZW Circles - We have the choice (voor de periode november 2017 tot en met oktober 2019)
    # ... - VZW Moderator – forum voor herstelrecht en bemiddeling (...)", budget column l. 4742 "80.000 euro",
    # l. 4759-4760 "129.166,66 euro".
    mine = {(g["recipient"], g["amount_eur"]) for g in grants if g["code"] == "9.1"}
    assert {("Circles", "80000"), ("Moderator – forum voor herstelrecht en bemiddeling", "129166.66")} <= mine


def test_occasions_listed_outside_the_study_days_are_the_presentations_the_sentence_opens_with(events):
    # l. 401-417 "geeft het aanspreekpunt ook toelichtingen ... op studiedagen o.a. georganiseerd door LOP's
    # (op 9 oktober 2017 in Halle, ...) ..., op 15 mei 2017 op initiatief van Kazerne Dossin, op 13 maart 2018
    # voor het LIVC Landen, ..., op 8 december 2017 voor een lokale islamitische oudervereniging in Antwerpen."
    kinds = {e["date"]: e["kind"] for e in events if e["source"].startswith("001_") and e["line"] == "401"}
    assert kinds["2017-10-09"] == "study-day"  # inside the parentheses of the LOP's study days
    assert [kinds[d] for d in ("2017-05-15", "2018-03-13", "2017-12-08")] == ["presentation"] * 3


def test_a_body_named_as_the_occasion_of_a_dated_talk_met_that_day(events):
    # l. 723-727 "Departement OV gaf twee keer een toelichting aan agenten van de lokale politie ...: op het
    # LTF in Gent op 10 oktober 2017 en op een studiedag voor politie op 20 oktober 2017", told again in
    # l. 2204-2207 ("op de LTF in Gent op 10 oktober 2017"): one meeting of the Ghent local task force.
    assert ("2017-10-10", "meeting", "Lokale Task Force Gent") in {(e["date"], e["kind"], e["body"]) for e in events}


def test_the_cabinets_that_represent_ministers_take_part_not_the_ministers(events, participants):
    # l. 82-87 "Het platform over radicalisering en terrorisme, ... met vertegenwoordiging van de kabinetten
    # van de minister-president en van de minister bevoegd voor Binnenlands Bestuur, kwam samen op 2 februari
    # 2017 en 23 juni 2017."
    for day in ("2017-02-02", "2017-06-23"):
        [session] = [e for e in events if e["date"] == day and e["kind"] == "meeting" and e["line"] == "82"]
        names = {p["participant"] for p in participants if p["event"] == session["event"]}
        assert names == {"Kabinet van de Vlaamse minister-president",
                         "Kabinet van de Vlaamse minister van Binnenlands Bestuur"}  # fmt: skip


def test_sessions_a_passive_introduction_offers_are_organised_by_who_was_just_named(events, participants):
    # l. 4133-4144 "... werd het project verlengd en uitgebreid naar de andere OTA in Vlaanderen. Dit project
    # liep van 1 januari 2017 tot 31 december 2017. Er werden in 2017 in de verschillende regio's gratis open
    # vormingssessies aangeboden: o Antwerpen en Limburg : 26 april, ... o Vlaams Brabant / Brussel : 15 juni
    # en 16 juni o West en Oost-Vlaanderen : 12 juni en 15 juni": the OTA offer them; two sessions on 15 June.
    trainings = [e for e in events if e["action"] == "8.1" and e["kind"] == "training"]
    assert [e["date"] for e in trainings].count("2017-06-15") == 2
    listed = [e for e in trainings if e["line"] in ("4144", "4145")]
    assert sorted(e["date"] for e in listed) == ["2017-04-26", "2017-04-27", "2017-06-15", "2017-06-16", "2017-09-28"]
    for training in listed:
        roles = {(p["participant"], p["role"]) for p in participants if p["event"] == training["event"]}
        assert ("Ondersteuningsteams Allochtonen", "organiser") in roles


def test_the_budget_of_an_action_carried_out_by_its_one_involved_organisation_goes_to_it(grants):
    # l. 1378 "Actie 4.3 Advies en ondersteuning door VVSG van gemeenten ...", l. 1409 "Andere betrokkenen
    # VVSG", budget column l. 1448-1452 "344.575,62 euro (15 januari 2017 – 12 januari 2020)".
    mine = [(g["recipient"], g["amount_eur"]) for g in grants if g["code"] == "4.3"]
    assert mine == [("Vereniging van Vlaamse Steden en Gemeenten", "344575.62")]


def test_a_supported_project_is_a_grant_to_its_organisation_and_its_extension_another(grants):
    # l. 5878-5880 "Sinds 2015 wordt ingezet op peer-support binnen onderwijs door het ondersteunen van het
    # project ‘de Conflixers’ van VSK"; l. 5921-5922 "Het project werd verlengd voor het schooljaar 2018-2019."
    mine = sorted((g["recipient"], g["period"]) for g in grants if g["code"] == "13.5")
    assert mine == [("Vlaamse Scholierenkoepel", ""), ("Vlaamse Scholierenkoepel", "schooljaar 2018-2019")]


def test_staff_the_budget_column_gives_instead_of_money_is_a_grant_without_an_amount(grants):
    # l. 5163-5164 "Voor Studio Globo: 1 VTE" in the budget column of action 12.1.
    assert ("Studio Globo", "") in {(g["recipient"], g["amount_eur"]) for g in grants if g["code"] == "12.1"}


def test_the_organisation_that_carries_out_a_project_receives_it(grants):
    # l. 2365-2368 "Het eindverslag van het project ‘preventie van radicalisering in Vilvoorde’, uitgevoerd
    # door vzw De Cocon, werd in het voorjaar 2017 afgewerkt. De projectovereenkomst liep tot 31 maart 2017."
    mine = {(g["recipient"], g["recipient_as_written"]) for g in grants if g["code"] == "5.2"}
    assert ("Cocon", "vzw De Cocon") in mine


def test_where_something_was_agreed_is_not_what_the_text_goes_on_about(events):
    # l. 840-846 "Begin 2017 werd door de Europese Commissie het ‘Network of national prevent policy makers’
    # opgericht. ... Binnen de NTF werd afgesproken dat deze vertegenwoordiging zou worden opgenomen door het
    # OCAD ... Op 10 mei 2017 vond de tweede bijeenkomst plaats": the network's second meeting.
    [meeting] = [e for e in events if e["date"] == "2017-05-10" and e["kind"] == "meeting"]
    assert meeting["body"] == "Network of Prevent Policy Makers"
