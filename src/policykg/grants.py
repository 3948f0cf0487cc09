"""Grants and projects: who received how much, for what, under which action.

Grants are read from the lists in the reporting rows ("- Vilvoorde (85.000 euro);", "2. Karel de
Grote Hogeschool – Antwerpen (17.242 euro) - project ‘Kies Hoger’", "- BX Youth vzw – Street
voices (34.000 euro);") and from budget-column amounts that name a recipient ("OTA: 200.000
euro"). In a list item the part that resolves in the registry is the recipient (an organisation
before a municipality, so "KU Leuven – Leuven" is the university), a quoted or remaining part is
the project. Where the row's budget column prints a total for its list, the total is kept and
compared with the sum of the grants. An item whose recipient the registry does not know is
reported with its line, not guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import pairwise

from .amounts import AmountError, find_amounts
from .gazetteer import Gazetteer
from .records import ActionRecord, BudgetRecord, Problem, ReportRowRecord
from .registry import Agent, Kind, Registry
from .text import Span, Text, collapse

ITEM_START = re.compile(r"^\s*(?:[-–]\s+|\d{1,2}\.\s+)")
DASH_ITEM = re.compile(r"^\s*[-–]\s+")
AMOUNT_PAREN = re.compile(r"\(\s*(?P<amount>\d[\d.,]*)\s*(?:euro)?\s*\)", re.IGNORECASE)
PROJECT_START = re.compile(r"^[-–]?\s*(?:burger)?project\b", re.IGNORECASE)
PROJECT_QUOTE = re.compile(r"(?:burger)?project\s+[‘'“\"](?P<name>[^’'”\"]+)[’'”\"]", re.IGNORECASE)
SEPARATOR = re.compile(r"\s+[–-]\s+|\s*–\s*")
TERRITORIAL = (Kind.MUNICIPALITY, Kind.PROVINCE, Kind.REGION)
RECIPIENT_KINDS = (Kind.ORGANISATION, Kind.COLLABORATION, Kind.MUNICIPALITY, Kind.PROVINCE, Kind.REGION)
START_WORDS = re.compile(
    r"\b(?:van\s+start|starten|startten|gingen\s+van\s+start)\b.*?\bop\s+(?P<start>\d{1,2}\s+\w+\s+\d{4})", re.I
)
END_WORDS = re.compile(r"\blopen\s+(?:tot|maximaal)\s+(?P<end>[^.]+?)\.", re.I)
# Sentences that state a grant rather than list it. "after": the receiver follows the verb
# ("ontving Arktos middelen", "toegekend aan vzw de Keerkring"); "before": it precedes it ("Het
# ISB wordt gesubsidieerd").
RECEIVES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:ontving(?:en)?|ontvangt|kreeg|kregen|krijgt|krijgen)\s+(?P<who>[^.;]{2,80}?)\s+"
                r"(?:(?:een|de|extra|bijkomende|structurele)\s+)*(?:middelen|subsidie\w*|financiering|"
                r"werkingsmiddelen|projectmiddelen)\b", re.I), "after"),
    (re.compile(r"\b\w*(?:middelen|subsidie\w*|financiering)\b[^.;]{0,40}?\b(?:toegekend|uitgekeerd|toegewezen)\s+"
                r"aan\s+(?P<who>[^.;]{2,80})", re.I), "after"),
    (re.compile(r"(?P<who>[^.;,]{2,80}?)\s+(?:wordt|werd|worden|werden)\s+(?:\w+\s+){0,3}?"
                r"(?:gesubsidieerd|gefinancierd)\b", re.I), "before"),
    # "Sinds 2015 wordt ingezet op peer-support ... door het ondersteunen van het project ‘de Conflixers’ van VSK"
    (re.compile(r"\bondersteun(?:en|t|de|den)\s+van\s+het\s+project\s+[‘'“\"][^’'”\"]{2,80}[’'”\"]\s+van\s+"
                r"(?P<who>[^.;,]{2,80})", re.I), "after"),
    # "Het eindverslag van het project ‘preventie van radicalisering in Vilvoorde’, uitgevoerd door vzw De Cocon,
    # ... De projectovereenkomst liep tot 31 maart 2017"
    (re.compile(r"\bproject\s+[‘'“\"][^’'”\"]{2,80}[’'”\"],?\s+uitgevoerd\s+door\s+(?P<who>[^.;,]{2,80})", re.I),
     "after"),
    # "Er werd een eerste overeenkomst (1 november 2015 tot 31 december 2016) afgesloten met De Touter vzw
    # voor het organiseren van een vormingsaanbod": the welfare department's project agreements fund.
    (re.compile(r"\b(?:project)?overeenkomst\b[^.;]{0,60}?\bafgesloten\s+met\s+(?P<who>[^.;]{2,80})", re.I),
     "after"),
)  # fmt: skip
# "Het project werd ... eenmalig verlengd voor de periode 1 januari 2017 tot 31 december 2017": another
# grant, to the organisation the sentence names, else the one the row named last before it.
EXTENDED = re.compile(r"\b(?:project|overeenkomst|projectovereenkomst)\b[^.;]{0,120}?\bverlengd\b", re.I)
# Each of RECEIVES needs one of these words; a sentence without any is not tried (the patterns start
# at every position of a sentence, which made them a tenth of the build).
RECEIVES_CUE = re.compile(
    r"ontv|kreeg|kregen|krijg|toegekend|uitgekeerd|toegewezen|gesubsidieerd|gefinancierd|afgesloten|ondersteun|"
    r"uitgevoerd door", re.I
)
MAX_NAME_WORDS = 9
STAFF = re.compile(r"\bVoor\s+(?P<who>[^:;]{2,60}?):\s*(?P<fte>\d+(?:,\d+)?)\s*VTE\b")


@dataclass(frozen=True)
class GrantRecord:
    action: str
    row: int
    recipient: Agent
    recipient_written: str
    amount: Decimal | None
    span: Span
    project: str | None = None
    location: Agent | None = None
    period: str | None = None
    total: Decimal | None = None
    """The total the document prints for the list this grant belongs to."""
    from_budget_column: bool = False
    project_quoted: bool = False


def _items(row: ReportRowRecord) -> list[tuple[list[int], str]]:
    """List items of a row as (lines, text).

    An item runs on (over blank lines too: the PDF breaks items) until it has its amount, at most
    three lines; after the amount it takes one more line only for a wrapped "- project ‘...’".
    """
    items: list[tuple[list[int], str]] = []
    lines: list[int] = []
    parts: list[str] = []

    def close() -> None:
        if lines:
            items.append((list(lines), " ".join(parts)))
        lines.clear()
        parts.clear()

    for number, raw in row.lines:
        line = collapse(raw)
        if ITEM_START.match(raw):
            close()
            lines.append(number)
            parts.append(ITEM_START.sub("", raw).strip())
            continue
        if not lines or not line:
            continue
        text = " ".join(parts)
        if not AMOUNT_PAREN.search(text) and len(lines) < 3:
            lines.append(number)
            parts.append(line)
        elif AMOUNT_PAREN.search(text) and (
            text.rstrip().endswith(("-", "–", "project")) or PROJECT_START.match(line) or _open_quote(text)
        ):
            lines.append(number)
            parts.append(line)
            close()
        else:
            close()
    close()
    return items


def _places_not_projects(grants: list[GrantRecord]) -> list[GrantRecord]:
    """In a list of "organisation – municipality" items, an unknown single word is a place, not a project.

    "Samo pravo – Bissegem" stands among "CIBO – Antwerpen" and "Vroemvroem – Gent"; "GC De Platoo
    vzw – Tcharmela" stands among "BX Youth vzw – Street voices". The list shows which it is.
    """
    with_place = sum(1 for g in grants if g.location is not None)
    if not grants or with_place * 2 < len(grants):
        return grants
    return [
        replace(g, project=None)
        if g.project and not g.project_quoted and re.fullmatch(r"[A-Z][a-zà-ÿ-]+", g.project)
        else g
        for g in grants
    ]


def _sentences_with_lines(row: ReportRowRecord) -> list[tuple[int, str]]:
    """The row's sentences with the line each starts on (line breaks and hyphenation mended)."""
    out: list[tuple[int, str]] = []
    current: list[str] = []
    first = 0
    for number, raw in row.lines:
        line = collapse(raw)
        if not line:
            continue
        if not current:
            first = number
        current.append(line)
        if line.endswith((".", "!", "?")):
            out.append((first, collapse(" ".join(current))))
            current = []
    if current:
        out.append((first, collapse(" ".join(current))))
    return out


DAY = r"\d{1,2}\s+[a-z]+\s+\d{4}"
SENTENCE_PERIOD = re.compile(rf"(?P<start>{DAY})\s*(?:tot(?:\s+en\s+met)?|en\s+liep\s+tot|[–-])\s*(?P<end>{DAY})", re.I)
SENTENCE_YEAR = re.compile(r"\bin\s+(?P<year>20\d\d)\b")


def _sentence_period(text: str) -> str | None:
    """The period a grant's sentence gives: "voor de periode 1 november 2015 en liep tot 31 december
    2016" → "1 november 2015 – 31 december 2016"; "in 2018 opnieuw met een jaar verlengd" → "2018"."""
    found = SENTENCE_PERIOD.search(text)
    if found:
        return f"{found.group('start')} – {found.group('end')}"
    school_years = re.findall(r"\bschooljaar\s+\d{4}\s*[-–]\s*\d{4}", text)
    if school_years:
        return collapse(school_years[-1])  # "... Het project werd verlengd voor het schooljaar 2018-2019"
    year = SENTENCE_YEAR.search(text)
    return year.group("year") if year else None


def _unassigned(budgets: tuple[BudgetRecord, ...], row: int) -> list[BudgetRecord]:
    """A row's budget-column amounts that name no recipient and break down no total."""
    return [b for b in budgets if b.row == row and b.recipient is None and b.breakdown_of is None]


def _open_quote(text: str) -> bool:
    return text.count("‘") > text.count("’")


class GrantReader:
    def __init__(self, registry: Registry, text: Text, gazetteer: Gazetteer | None = None) -> None:
        self.registry = registry
        self.gazetteer = gazetteer or Gazetteer(registry)
        self.text = text
        self.problems: list[Problem] = []

    def action(self, action: ActionRecord) -> list[GrantRecord]:
        grants: list[GrantRecord] = []
        for row in action.rows:
            found = _places_not_projects(
                [g for lines, item in _items(row) if (g := self._item(action, row, lines, item)) is not None]
            )
            total = self._printed_total(action.budgets, row.index)
            period = self._period(row)
            if not found:
                found = self._received(action, row) or self._listed_with_column_amounts(action, row)
                total = None
            grants += [replace(g, total=total, period=g.period or period) for g in found]
        if not grants:
            grants = self._by_the_one_involved(action)
        for row in action.rows:
            grants += self._staff(action, row)
        for budget in action.budgets:
            if budget.recipient is None or budget.breakdown_of is not None:
                continue
            resolution = self.registry.resolve(budget.recipient.text, RECIPIENT_KINDS)
            if resolution is None or not resolution.agents:
                continue
            grants.append(
                GrantRecord(action.code, budget.row, resolution.agents[0], budget.recipient.text, budget.amount,
                            budget.span, period=budget.period, from_budget_column=True)
            )  # fmt: skip
        return grants

    def _received(self, action: ActionRecord, row: ReportRowRecord) -> list[GrantRecord]:
        """Grants a row states in a sentence ("ontving Arktos middelen") rather than as a list.

        The row's budget amounts that name no recipient go to that receiver, one grant per amount
        ("100.000 euro (eerste periode)", "190.000 euro (tweede periode)"); with no amount the
        grant is kept without one. A sentence whose receiver the registry does not know, or
        that names several, gives nothing: the reader does not guess.
        """
        sentences = _sentences_with_lines(row)
        if not any(RECEIVES_CUE.search(text) for _, text in sentences):
            return []  # most rows state no grant: no need to look for names in them
        receivers: list[tuple[str, Agent, int]] = []
        extensions: list[tuple[str, Agent, int]] = []
        said: dict[int, str] = {}
        last: tuple[str, Agent] | None = None
        for number, text in sentences:
            said[number] = text
            named_here = self._registry_names(text)
            if EXTENDED.search(text) and receivers and (named_here or last):
                # "... verlengd en uitgebreid naar de andere OTA in Vlaanderen" names who; else the last named
                extensions.append((*(named_here[-1] if named_here else last), number))  # type: ignore[misc]
            if named_here:
                last = named_here[-1]
            if not RECEIVES_CUE.search(text):
                continue
            for pattern, side in RECEIVES:
                for match in pattern.finditer(text):
                    named = self._actor_at(match.group("who"), side)
                    if named is not None and all(a is not named[1] for _, a, _ in receivers):
                        receivers.append((named[0], named[1], number))
                        last = named
        amounts = _unassigned(action.budgets, row.index)
        numbers = sorted(said)
        # "... afgesloten met OTA Vlaams-Brabant en Brussel ... Hiervoor ontvingen ze een projectsubsidie voor
        # de periode 1 november 2015 en liep tot 31 december 2016": the period may follow in the next sentence.
        after = {a: said[b] for a, b in pairwise(numbers)}
        if not amounts and receivers:
            # No amount to share out: each agreement and each extension is a grant without one
            # ("eerste overeenkomst ... met OTA Vlaams-Brabant en Brussel", "... met De Touter vzw",
            # "Het project werd ... eenmalig verlengd").
            return [GrantRecord(action.code, row.index, agent, written, None, self.text.span(number, number),
                                period=_sentence_period(said[number]) or _sentence_period(after.get(number, "")))
                    for written, agent, number in sorted(receivers + extensions, key=lambda r: r[2])]  # fmt: skip
        if len(receivers) != 1:
            return []
        written, agent, number = receivers[0]
        return [
            GrantRecord(action.code, row.index, agent, written, b.amount, b.span, period=b.period,
                        from_budget_column=True)
            for b in amounts
        ]  # fmt: skip

    def _staff(self, action: ActionRecord, row: ReportRowRecord) -> list[GrantRecord]:
        """Staff the budget column gives instead of money: "Voor Vormen/plan België: 0,5 VTE", "Voor Studio
        Globo: 1 VTE" (12.1): a grant without an amount in euro (the excerpt it cites gives the staff).
        "Vormen/plan België" names two organisations in one and is left out rather than split by guess."""
        out = []
        staff_lines = [n for n in range(row.span.start, row.span.end + 1) if "VTE" in self.text.lines[n - 1]]
        for index, match in enumerate(STAFF.finditer(collapse(row.budget_text))):
            found = self.registry.resolve(match.group("who"), (Kind.ORGANISATION,))
            if found is None or len(found.agents) != 1:
                continue
            line = staff_lines[index] if index < len(staff_lines) else row.span.start
            out.append(GrantRecord(action.code, row.index, found.agents[0], match.group("who"), None,
                                   self.text.span(line), from_budget_column=True))  # fmt: skip
        return out

    def _by_the_one_involved(self, action: ActionRecord) -> list[GrantRecord]:
        """The budget of an action carried out by the one organisation it involves, when its title says so.

        "Actie 4.3 Advies en ondersteuning door VVSG van gemeenten ...", "Andere betrokkenen VVSG",
        budget column "344.575,62 euro (15 januari 2017 – 12 januari 2020)": the VVSG receives it.
        """
        if len(action.involved) != 1 or any(b.recipient is not None for b in action.budgets):
            return []
        found = self.registry.resolve(action.involved[0].text, (Kind.ORGANISATION,))
        if found is None or len(found.agents) != 1:
            return []
        agent = found.agents[0]
        spellings = {agent.name, *agent.acronyms, *agent.aliases, action.involved[0].text}
        if not any(re.search(rf"\bdoor\s+(?:de\s+|het\s+)?{re.escape(name)}\b", action.title) for name in spellings):
            return []
        return [
            GrantRecord(action.code, b.row, agent, action.involved[0].text, b.amount, b.span, period=b.period,
                        from_budget_column=True)
            for b in action.budgets if b.breakdown_of is None
        ]  # fmt: skip

    def _listed_with_column_amounts(self, action: ActionRecord, row: ReportRowRecord) -> list[GrantRecord]:
        """Funded organisations listed without amounts, the amounts in the budget column in the same order.

        "... via twee projecten ...: - VZW Circles - We have the choice (voor de periode november 2017
        tot en met oktober 2019) ... - VZW Moderator – forum voor herstelrecht en bemiddeling (voor de
        periode van september 2018 tot en met december 2020)", column "80.000 euro", "129.166,66 euro"
        (9.1): only when the column has exactly one amount without a recipient per item that names
        one registry organisation (other items, "- Cirkels en dialoog ...", describe the work);
        otherwise nothing is paired.
        """
        listed: list[tuple[str, Agent, int]] = []
        for number, raw in row.lines:
            if not DASH_ITEM.match(raw):
                continue  # numbered lines are steps of a procedure ("1. signaal wordt opgepikt"), not recipients
            head = re.split(r"\s*\(", DASH_ITEM.sub("", raw).strip(), maxsplit=1)[0].strip(" ,;.")
            resolution = self.registry.resolve(head, (Kind.ORGANISATION,))
            if resolution is not None and len(resolution.agents) == 1:
                listed.append((head, resolution.agents[0], number))  # other items say what a project does
        amounts = _unassigned(action.budgets, row.index)
        if len(listed) < 2 or len(listed) != len(amounts):
            return []
        return [
            GrantRecord(action.code, row.index, agent, written, budget.amount, self.text.span(number, number),
                        period=budget.period, from_budget_column=True)
            for (written, agent, number), budget in zip(listed, amounts, strict=True)
        ]  # fmt: skip

    def _registry_names(self, text: str) -> list[tuple[str, Agent]]:
        """The organisations a sentence names, in order (for what an extension refers back to)."""
        return [(m.text, m.resolution.agents[0]) for m in self.gazetteer.find(text, (Kind.ORGANISATION,))
                if len(m.resolution.agents) == 1]  # fmt: skip

    def _actor_at(self, words: str, side: str) -> tuple[str, Agent] | None:
        """The longest registry organisation at the start ("after") or the end ("before") of ``words``."""
        tokens = words.replace(",", " , ").split()
        for size in range(min(len(tokens), MAX_NAME_WORDS), 0, -1):
            name = " ".join(tokens[:size] if side == "after" else tokens[-size:]).replace(" , ", ", ").strip(" ,")
            if not name or "," in name.split()[0]:
                continue
            resolution = self.registry.resolve(name, (Kind.ORGANISATION, Kind.COLLABORATION))
            if resolution is not None and len(resolution.agents) == 1:
                return name, resolution.agents[0]
        return None

    @staticmethod
    def _printed_total(budgets: tuple[BudgetRecord, ...], row: int) -> Decimal | None:
        totals = _unassigned(budgets, row)
        return totals[0].amount if totals else None

    @staticmethod
    def _period(row: ReportRowRecord) -> str | None:
        text = collapse(" ".join(line for _, line in row.lines))
        start = START_WORDS.search(text)
        end = END_WORDS.search(text)
        if start and end:
            return f"{start.group('start')} – {collapse(end.group('end'))}"
        if start:
            return f"vanaf {start.group('start')}"
        return None

    def _resolve_parts(self, parts: list[str]) -> tuple[list[tuple[str, Agent]], list[str]]:
        resolved: list[tuple[str, Agent]] = []
        unresolved: list[str] = []
        for part in parts:
            name = re.sub(r"\s+i\.s\.m\.\s+.*$", "", part)
            resolution = self.registry.resolve(name, RECIPIENT_KINDS)
            if resolution is not None and resolution.agents:
                resolved.append((part, resolution.agents[0]))
            else:
                unresolved.append(part)
        return resolved, unresolved

    def _item(self, action: ActionRecord, row: ReportRowRecord, lines: list[int], item: str) -> GrantRecord | None:
        amount_match = AMOUNT_PAREN.search(item)
        if amount_match is None:
            return None
        try:
            amounts = find_amounts(amount_match.group(0), require_currency=False)
            amount = amounts[0].value if amounts else None
        except AmountError as exc:
            self.problems.append(Problem(self.text.doc, lines[0], f"grant amount: {exc}"))
            return None
        if amount is None:
            return None
        project_match = PROJECT_QUOTE.search(item)
        head = item[: amount_match.start()].strip(" -–,;.")
        parts = [p.strip(" ,;.") for p in SEPARATOR.split(head) if p.strip(" ,;.")]
        resolved, unresolved = self._resolve_parts(parts)
        if not any(a.kind not in TERRITORIAL for _, a in resolved):
            # "Erasmus+ - Brussel" is the college as a whole, not the Brussels region.
            whole = self.registry.resolve(head, RECIPIENT_KINDS)
            if whole is not None and whole.agents and whole.agents[0].kind not in TERRITORIAL:
                parts, resolved, unresolved = [head], [(head, whole.agents[0])], []
        if not resolved:
            self.problems.append(
                Problem(self.text.doc, lines[0], f"grant of {amount} euro in action {action.code}: no registry "
                        f"actor among {parts!r}; the grant is left out")
            )  # fmt: skip
            return None
        organisations = [r for r in resolved if r[1].kind not in TERRITORIAL]
        written, recipient = organisations[0] if organisations else resolved[0]
        location = next((a for p, a in resolved if a.kind is Kind.MUNICIPALITY and a is not recipient), None)
        # What does not resolve is the project's name ("De mensen maken de stad - Mechelen").
        project = project_match.group("name") if project_match else (unresolved[0] if unresolved else None)
        span = self.text.span(min(lines), max(lines))
        return GrantRecord(
            action.code, row.index, recipient, written, amount, span, project=project, location=location,
            project_quoted=project_match is not None,
        )  # fmt: skip
