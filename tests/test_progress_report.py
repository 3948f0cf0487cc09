"""The progress-report parser on small texts built to show each layout it must handle."""

from decimal import Decimal

from policykg.progress_report import first_sentence, parse
from policykg.text import Text

COMPETENCES = ["Binnenlands Bestuur", "Onderwijs", "Welzijn", "Jeugd", "Integratie"]
ACTORS = {"ota", "touter", "dilbeek", "halle", "cocon vilvoorde", "bch", "kbs"}


def is_actor(name: str) -> bool:
    return name.lower() in ACTORS


def report(*blocks: str) -> Text:
    head = [
        " 1. Situering",
        "namelijk: ",
        "",
        "1) coördinatie en samenwerking in de uitvoering;  ",
        "2) ondersteunen van de lokale aanpak; ",
        "",
        "Coördinatie en samenwerking in de uitvoering ",
        "",
        "1. Coördinatie op Vlaams niveau. ",
        "",
    ]
    lines = head + "\n".join(blocks).split("\n")
    return Text("report.txt", tuple(lines))


HEADER = """Status actie Lopende 
Verantwoordelijke 
ministers 

Minister van Binnenlands Bestuur en Stedenbeleid 
Minister  van Onderwijs 

Beleidsdomeinen 
 
KB (coördinatie) 
OV 

Andere betrokkenen Jeugdclubs vzw, Zonder Handen vzw, Groep 
Intro vzw, MSC Ahlan vzw 
 
Rapportage 
 
Bevoegdheden Beschrijving Budget """


def test_header_fields_are_read_as_written():
    text = report(
        "Actie 1.1 Coördinatie via het Platform. Dit is een tweede zin. ",
        HEADER,
        "Binnenlands Bestuur Er werd een studiedag georganiseerd. ",
    )
    result = parse(text, COMPETENCES, is_actor)
    assert result.problems == ()
    [action] = result.actions
    assert action.code == "1.1"
    assert action.cluster == 1
    assert action.title == "Coördinatie via het Platform."
    assert action.status.text == "Lopende"
    assert [m.text for m in action.ministers] == [
        "Minister van Binnenlands Bestuur en Stedenbeleid",
        "Minister van Onderwijs",
    ]
    assert [(d.text, d.coordinating) for d in action.domains] == [("KB", True), ("OV", False)]
    # A comma-separated list wraps over lines: "Groep / Intro vzw" is one party.
    assert [p.text for p in action.involved] == [
        "Jeugdclubs vzw",
        "Zonder Handen vzw",
        "Groep Intro vzw",
        "MSC Ahlan vzw",
    ]
    wrapped = action.involved[2]
    assert (wrapped.span.start, wrapped.span.end) == (24, 25)
    assert [c.title for c in result.clusters] == ["Coördinatie op Vlaams niveau"]
    assert result.clusters[0].policy_line == 1
    assert result.policy_lines[0].title == "Coördinatie en samenwerking in de uitvoering"


def test_parties_one_per_line_without_commas():
    block = HEADER.replace(
        "Andere betrokkenen Jeugdclubs vzw, Zonder Handen vzw, Groep \nIntro vzw, MSC Ahlan vzw ",
        "Andere betrokkenen Cocon – Vilvoorde \nDe Touter ",
    )
    text = report("Actie 1.1 Titel. ", block, "Onderwijs Tekst. ")
    [action] = parse(text, COMPETENCES, is_actor).actions
    assert [p.text for p in action.involved] == ["Cocon – Vilvoorde", "De Touter"]


def test_budget_column_runs_are_separated_from_the_description():
    text = report(
        "Actie 1.1 Titel. ",
        HEADER,
        "Welzijn Het ondersteunend aanbod van OTA en De Touter werd via projectsubsidies ",
        "gefinancierd tot 31 december 2016 en verlengd met een jaar. ",
        "",
        "Middelen ",
        "2017 ",
        "OTA: ",
        "200.000 ",
        "euro ",
        "Touter: ",
        "75.000 ",
        "euro ",
        " Het project met De Touter voorziet nog in een handboek waarin de ",
        "resultaten gebundeld worden. ",
    )
    [action] = parse(text, COMPETENCES, is_actor).actions
    [row] = action.rows
    assert row.competences == ("Welzijn",)
    assert "Middelen" not in row.text and "handboek" in row.text
    assert row.budget_text == "Middelen 2017 OTA: 200.000 euro Touter: 75.000 euro"
    assert [(b.amount, b.recipient.text if b.recipient else None, b.period) for b in action.budgets] == [
        (Decimal("200000"), "OTA", "2017"),
        (Decimal("75000"), "Touter", "2017"),
    ]
    assert action.budgets[0].span.start == 36  # the line of "200.000"


def test_breakdown_parenthesis_and_recipient_parentheses():
    text = report(
        "Actie 1.1 Titel. ",
        HEADER,
        "Integratie De oproep werd gelanceerd in december 2017. ",
        "",
        "1.606.641,63 ",
        "euro ",
        "(1.204.985,71 ",
        "euro AMIF, ",
        "401.661,92 euro ",
        "cofinanciering) ",
        "",
        "854.000 ",
        "euro ",
        "(Dilbeek)  ",
        "641.000 ",
        "euro (Halle) ",
    )
    [action] = parse(text, COMPETENCES, is_actor).actions
    found = [(b.amount, b.breakdown_of, b.note, b.recipient.text if b.recipient else None) for b in action.budgets]
    assert found == [
        (Decimal("1606641.63"), None, None, None),
        (Decimal("1204985.71"), 0, "AMIF", None),
        (Decimal("401661.92"), 0, "cofinanciering", None),
        (Decimal("854000"), None, None, "Dilbeek"),
        (Decimal("641000"), None, None, "Halle"),
    ]


def test_amounts_in_description_lists_are_not_budget_column():
    text = report(
        "Actie 1.1 Titel. ",
        HEADER,
        "Binnenlands Bestuur Volgende projecten werden geselecteerd: ",
        "- D’Broej vzw – Brusselse rupsen, poppen en vlinders ",
        "",
        "(48.000 euro); ",
        "- Wijkacademie Molenbeek – De Wac van Molenbeek ",
        "(35.000 euro). ",
        "",
        "83.000 ",
        "euro ",
    )
    [action] = parse(text, COMPETENCES, is_actor).actions
    assert [b.amount for b in action.budgets] == [Decimal("83000")]
    assert "(48.000 euro);" in action.rows[0].text


def test_stacked_labels_share_one_cell_and_spaced_labels_split_by_geometry():
    # As the PDF lays them out: the second label stands as many lines below the first as the
    # first row's description is long (here four lines).
    spaced = ["Jeugd  "] + [" "] * 3 + ["Welzijn "] + [""]
    description = [
        "Eerste rij regel een. ",
        "Eerste rij regel twee. ",
        " ",
        "Nog de eerste rij. ",
        " ",
        "Tweede rij begint hier. ",
        "En gaat verder. ",
    ]
    text = report(
        "Actie 1.1 Titel. ",
        HEADER,
        "Onderwijs ",
        "Welzijn ",
        "",
        "Gezamenlijke tekst van onderwijs en welzijn. ",
        "",
        *spaced,
        *description,
    )
    rows = parse(text, COMPETENCES, is_actor).actions[0].rows
    assert [r.competences for r in rows] == [("Onderwijs", "Welzijn"), ("Jeugd",), ("Welzijn",)]
    assert rows[1].text.startswith("Eerste rij regel een.") and "Nog de eerste rij." in rows[1].text
    assert rows[2].text == "Tweede rij begint hier. En gaat verder."


def test_label_at_a_page_break_waits_for_the_next_paragraph():
    text = report(
        "Actie 1.1 Titel. ",
        HEADER,
        "Binnenlands Bestuur Over de activiteiten van de Local Authorities Working ",
        " Onderwijs ",
        "",
        "Group (RAN LOCAL), werd tevens gerapporteerd. ",
        " ",
        "Om good practices te delen werd een werkgroep opgericht. ",
    )
    rows = parse(text, COMPETENCES, is_actor).actions[0].rows
    assert [r.competences for r in rows] == [("Binnenlands Bestuur",), ("Onderwijs",)]
    assert rows[0].text.endswith("werd tevens gerapporteerd.")
    assert rows[1].text == "Om good practices te delen werd een werkgroep opgericht."


def test_label_word_inside_a_sentence_is_not_a_row():
    text = report(
        "Actie 1.1 Titel. ",
        HEADER,
        "Onderwijs Avonden met Chris Wyns (referentiepersoon van Katholiek ",
        "Onderwijs Vlaanderen). ",
    )
    rows = parse(text, COMPETENCES, is_actor).actions[0].rows
    assert len(rows) == 1


def test_page_markers_are_not_content():
    text = report(
        "Actie 1.1 Titel. ",
        HEADER.replace("Minister  van Onderwijs ", "Pagina 78 van 125 \nMinister  van Onderwijs "),
        "Onderwijs Tekst. ",
    )
    [action] = parse(text, COMPETENCES, is_actor).actions
    assert [m.text for m in action.ministers][-1] == "Minister van Onderwijs"
    assert len(action.ministers) == 2


def test_a_block_without_status_is_reported_not_guessed():
    text = report("Actie 1.1 Titel zonder status. ", "Beleidsdomeinen KB ")
    result = parse(text, COMPETENCES, is_actor)
    assert result.actions == ()
    assert len(result.problems) == 1
    assert result.problems[0].line == 11
    assert "Status actie" in result.problems[0].message


def test_first_sentence_skips_abbreviations():
    assert first_sentence("Samenwerking o.a. met VVSG. Tweede zin.") == "Samenwerking o.a. met VVSG."
