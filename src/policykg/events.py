"""Events in running text: who met whom, when, where, and in which role.

A sentence yields an event for each of its dates that sits next to an event word: "De werkgroep
kwam samen op 09 december 2016, 17 februari 2017, ..." gives one session of the working group per
date; "Departement OV organiseerde samen met de VVSG ... op 25 september 2017 een studiedag ...
in Kortrijk" gives a study day with its organisers and place. Dates that only bound a period
("tot 31 december 2016", "van start op 1 maart 2016") are not events.

For each event the extractor records the kind (from the event word nearest the date), a short
title in the text's words, the body it is a session of (named in the sentence, or a generic "de
werkgroep" resolved to the working group the surrounding report was about), the participants found
by the registry gazetteer with the role their verb frame gives (organiser, chair, presenter,
participant, invited, observer), the place, and whether it was planned at the document's date.
Mentions of the same event are merged later (:func:`merge`), keeping every mention.

A sentence with an event word and a date that cannot be read completely (an organiser the registry
does not know) is reported as a problem with its file and line; its unknown parts are left out,
never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from .dates import DateMention, EventDate, find_dates
from .gazetteer import Gazetteer, Mention
from .progress_report import is_noise
from .records import Problem, ProgressReportRecord
from .registry import Agent, Kind
from .text import Sentence, Span, Text, collapse, sentences_of

# Event words by kind, most specific first. Each pattern is matched case-insensitively on word
# boundaries; the kind of an event is that of the event word nearest its date.
KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("focus-group", r"focusgroep\w*"),
    ("round-table", r"ronde\s?tafel\w*|rondetafelgesprek\w*"),
    ("webinar", r"webinar\w*"),
    ("study-day", r"\w*studiedag\w*|studiemoment\w*|studie-?\s?en\s+dialoogdag"),
    ("info-session", r"info-?moment\w*|informatiemoment\w*|infosessie\w*|informatieavond\w*|info-?avond\w*"),
    ("network-day", r"netwerkdag\w*|netwerkmoment\w*|inspiratiedag\w*|toonmoment\w*|terugkoppelingsmoment\w*|reflectiemoment\w*|dag van het respect"),
    ("debate", r"debatavond\w*|debat\w*|dialoogdag\w*|trialoog\w*|dialoogmoment\w*"),
    ("intervision", r"intervisie\w*|supervisie\w*"),
    ("conference", r"conferentie\w*|congres\w*|symposium|summer\s+course|zomercursus|slotconferentie"),
    ("seminar", r"seminarie\w*|workshop\w*"),
    ("site-visit", r"werkbezoek\w*|plaatsbezoek\w*|bezoek\w*|delegatie\b.*?\bontvangen|ontvangen\b.*?\bdelegatie"),
    # Exchanges, peer-learning activities and summits are gatherings: annotators call them meetings.
    ("meeting", r"uitwisselingsmoment\w*|uitwisseling(?:en)?\s+(?:met|tussen)|ministertop|\bPLA\b|peer learning"),
    ("training", r"(?:test|basis|verdiepings)?vorming\w*|\w*opleiding\w*|training\w*|bijscholing\w*|nascholing\w*|coppra\w*|testvorming\w*|verdiepingsdag\w*|begeleiding\s+plaats|startmoment\w*|basisopleiding\w*"),
    ("presentation", r"toelichting\w*|lichtte\b.*?\btoe|voorstelling|gepresenteerd|voorgesteld|lezing\w*|voordracht\w*|presentatie\w*"),
    ("launch", r"lancering\w*|gelanceerd|lanceerde\w*|gelanceerd"),
    ("government-decision", r"(?:Vlaamse\s+)?Regering\b.*?\b(?:goedgekeurd|goed|akte|vrij|akkoord)|keurde\b.*?\bgoed|nam\b.*?\bakte|wet\b.*?\bgoedgekeurd|decreet\b.*?\bgoedgekeurd|akkoord bereikt"),
    ("meeting", r"\w*vergader\w*|\w*bijeenkomst\w*|samenkomst\w*|kwam(?:en)?\b.{0,60}?\b(?:samen|bijeen)|bijeen\s+gekomen|samen\s+gekomen|samengekomen|zaten\b.{0,30}?\bsamen|zitten\b.{0,30}?\bsamen|overleg\w*|stuurgroep\w*|meeting\w*|zitting\w*|kennismakingsgesprek\w*|gesprekken|ontmoeting|startbijeenkomst|vergadermoment\w*|werkgroep\w*|plenair|stem(?:men|t|den|de)\b.{0,30}?\baf\b"),
    ("other", r"ondertekend|onderschreven|ondertekening"),
)  # fmt: skip
KIND_RE = [(kind, re.compile(rf"\b(?:{pattern})", re.IGNORECASE)) for kind, pattern in KIND_WORDS]
VERB_CUE = re.compile(
    r"^(?:kwam|kwamen|zaten|zitten|bijeen|samen|lichtte|gepresenteerd|voorgesteld|gelanceerd|lanceerde\w*|keurde|nam|"
    r"ondertekend|onderschreven|ontvangen|delegatie|regering|vlaamse|wet|decreet|akkoord|plenair|gesprekken|ontmoeting|"
    r"begeleiding|overleg\w*|stem(?:men|t|den|de)\b)",
    re.IGNORECASE,
)
KIND_LABELS = {
    "meeting": "Vergadering", "study-day": "Studiedag", "training": "Vorming", "conference": "Conferentie",
    "round-table": "Rondetafel", "site-visit": "Bezoek", "focus-group": "Focusgroep", "presentation": "Toelichting",
    "government-decision": "Beslissing van de Vlaamse Regering", "launch": "Lancering", "webinar": "Webinar",
    "info-session": "Infomoment", "exchange": "Uitwisseling", "network-day": "Netwerkdag", "seminar": "Seminarie",
    "debate": "Debat", "intervision": "Intervisie", "other": "Gebeurtenis",
}  # fmt: skip

# Dates in these frames bound a period or date something other than a gathering.
NOT_AN_EVENT_BEFORE = re.compile(
    r"(?:\btot(?:\s+en\s+met)?|\bt\.e\.m\.|\bsinds|\bvanaf|\bvan start(?:\s+\w+){0,3}\s+op|\bstart(?:en|ten)?\s+op|"
    r"\bgingen\s+van\s+start\s+op|\bliep(?:en)?\s+van|\blopen\s+van|\bperiode(?:\s+van)?|\bvoor de periode|\bvoor het jaar|"
    r"\btussen|\bstand van zaken op|\bin de loop van|\bverlengd tot|\bgedetacheerd|\b(?:is|werd|zijn|werden)?\s*"
    r"(?:op)?gestart(?:\s+op)?|\bvraag\s+nr\.?\s*\d+\s+van)\s*$",
    re.IGNORECASE,
)
NOT_AN_EVENT_WORDS = re.compile(
    r"\b(gepubliceerd|verschenen|geraadpleegd|bezoekers|pageviews|ontvingen|aangeschreven|ingediend|erkend|aangesteld|"
    r"aangeworven|toegekend|gefinancierd|afgerond|voltooid|ingegaan|in werking|loopt|liep|lopen|gedownload|bereikt|"
    r"aanvragen|schooljaar|projectoproep|oproep|subsidie|middelen|budget|euro|voorbereid|heropstart|uitgesteld|"
    r"geannuleerd|afgelast)\b",
    re.IGNORECASE,
)
FUTURE = re.compile(
    r"\b(zal|zullen|gepland|plant|plannen|staat\s+gepland|voorzien|in\s+voorbereiding|volgende)\b", re.IGNORECASE
)
ROLE_FRAMES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    # (role, pattern, where the agent stands relative to the pattern: "after" or "before")
    ("chair", re.compile(r"voorgezeten\s+door\s*$|voorzitter\w*\s*(?:van|is|was)?\s*$", re.I), "after"),
    ("organiser", re.compile(r"(?:georganiseerd|opgezet|ingericht|uitgenodigd)\s+door\s*$|op\s+initiatief\s+van\s*$|i\.s\.m\.\s*$|in\s+samenwerking\s+met\s*$|samenwerkingsverband\s+tussen\s*$|in\s+opdracht\s+van\s*$", re.I), "after"),
    ("presenter", re.compile(r"(?:gegeven|gebracht|verzorgd|voorgesteld|toegelicht)\s+door\s*$|sprekers?\s*$|als\s+sprekers?\s*$|met\s+als\s+sprekers?\s*$|door\s*$", re.I), "after"),
    ("invited", re.compile(r"uitgenodigd\s*$", re.I), "after"),
    ("participant", re.compile(r"in\s+aanwezigheid\s+van\s*$|met\s+vertegenwoordigers\s+van\s*$|met\s*$|voor\s*$|aan\s*$|tussen\s*$", re.I), "after"),
)  # fmt: skip
BARE_DOOR = re.compile(r"(?<!gegeven\s)(?<!gebracht\s)(?<!verzorgd\s)(?<!voorgesteld\s)(?<!toegelicht\s)\bdoor\s*$", re.I)
ORGANISED_BY = re.compile(r"\bgeorganiseerd\s+door\b", re.I)
RECENT_LINES = 4
WITHIN = re.compile(r"\b[Bb]innen\s+(?:de\s+|het\s+)?$")
NEIGHBOUR_LINES = 2
PASSIVE_OFFER = re.compile(r"\b(?:werd|werden|worden|wordt)\b.*\b(?:aangeboden|georganiseerd|gegeven)\b", re.I)
AUDIENCE_AFTER = re.compile(
    r"^\W*(?:Dit|Deze\s+\w+|Het)\s+(?:was|waren|is|zijn|betrof|richtte\s+zich)\b|^\W*(?:De\s+)?[Dd]oelgroep", re.I
)
FROM_WITHIN = re.compile(r"\bvanuit\s*$", re.I)
CO_ORGANISER = re.compile(r"\bsamen\s+met\s*$", re.I)
ORGANISE_VERB = re.compile(r"\borganise\w+|\bgeorganiseerd\b|\bingericht\b|\brichtte\w*\b.*\bin\b", re.I)
SUBJECT_VERBS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("observer", re.compile(r"observing\s+partner|waarnemer", re.I)),
    ("organiser", re.compile(r"\borganise\w+|\bgeorganiseerd\b|\bopgezet\b|\btrekker\b|\bnodigde\b|\bbracht\b.*\bsamen\b|\blanceerde\b|\bging\b.*\bin\s+overleg\b", re.I)),
    ("presenter", re.compile(r"\btoelichting\w*|\blichtte\b|\bgaf\b|\bgaven\b|\bgeeft\b.*\btoelichting|\bsprak\b|\bspreker\b|\bvoorstelling\b|\bpresenteerde\b|\bvorming\b", re.I)),
    ("participant", re.compile(r"\bnam(?:en)?\b.*\bdeel\b|\bdeelgenomen\b|\baanwezig\b|\bwoonde(?:n)?\b.*\bbij\b|\bparticipeer\w*|\bvertegenwoordigd\b|\bneemt\b.*\bdeel\b|\bzat\w*\b.*\bsamen\b", re.I)),
)  # fmt: skip
PLACE_BEFORE = re.compile(
    r"(?:\b(?:[Ii]n|te)\s+(?:de\s+(?:stad|gemeente|provincie)\s+)?|\b(?:in|te)\s+[A-Z][\w-]+(?:\s*\([^)]*\))?\s*(?:,|en)\s+)$"
)
NOT_PLACES = {"De", "Het", "Een", "Vlaanderen", "Europa", "België", "Nederland", "Brussel", "Wallonië", "Frankrijk"}
YEAR_WRITTEN = re.compile(r"(?:19|20)\d\d|[‘'’]\d\d\b|\b\d{1,2}\s+\w+\s+\d\d\b")
GENERIC_SESSION = re.compile(
    r"^(?:\w*bijeenkomst\w*|vergadering\w*|samenkomst\w*|kwam(?:en)?\b|bijeen|samen\s+gekomen|samengekomen|zitting\w*)",
    re.IGNORECASE,
)
REGIONAL_BODY = re.compile(
    r"\b[Ii]n\s+(?:de\s+provincie\s+)?(?P<province>West-\s*Vlaanderen|Oost-\s*Vlaanderen|Limburg|Antwerpen|"
    r"Vlaams[- ]\s*Brabant)\b.*?\b(?P<head>(?:het|dit|een)\s+(?:nieuw\s+)?(?:overleg)?(?:platform|netwerk))\b",
    re.DOTALL,
)
TOPIC_LINES = 12
LONG_LIST = 4  # dates in one sentence from which it is read as an enumeration of occasions
DATED_BODY = re.compile(r"^[\w-]*\s+(?:van|op)\s+\d", re.IGNORECASE)
FUTURE_NO_YEAR = re.compile(r"\b(?:zal|zullen)\b.*\bvolgende\b|\bvolgende\b.*\b(?:zal|zullen)\b", re.IGNORECASE)
FOLLOW_UP = re.compile(r"\b(vervolgens|daarna|nadien|zal|zullen|volgende)\b", re.IGNORECASE)
FOREIGN_PLACE = re.compile(r"\b(?:in|te)\s+([A-Z][a-zà-ÿ]+(?:[ -][A-Z][a-zà-ÿ]+)?)\b")
COLLECTIVE_HEADS: tuple[tuple[str, frozenset[str]], ...] = (
    (r"werkgroep", frozenset({"working-group"})),
    (r"stuurgroep", frozenset({"steering-group"})),
    (r"expertencel|cel", frozenset({"expert-group"})),
    (r"platform(?:bijeenkomst\w*)?", frozenset({"platform"})),
    (r"netwerk", frozenset({"network"})),
    (r"(?:overleg|comité|commissie)", frozenset({"consultation-body"})),
)
GENERIC_BODY = re.compile(
    r"\b(?:de|het|deze|dit|die)\s+(?P<head>werkgroep|stuurgroep|expertencel|platform(?:bijeenkomst\w*)?|netwerk|overleg|comité|commissie)\b",
    re.IGNORECASE,
)
PLURAL_POSTS = re.compile(
    r"\b(?:de\s+)?aanspreekpunten(?:\s+radicalisering)?\s+(?:van|binnen)\s+(?P<list>(?:[\w!&'’-]+(?:\s+[\w!&'’-]+)?(?:\s*,\s*|\s+en\s+))+(?:de\s+|het\s+)?[\w!&'’-]+)",
    re.IGNORECASE,
)
TITLE_STOP = re.compile(
    r"^(?:op|in|te|werd|werden|wordt|worden|vond|vonden|waarbij|waar|die|dat|om|van\s+\d|met\s+als|plaats|georganiseerd|"
    r"gegeven|door|samen|aan|voor\s+(?:de|het|alle)|is|was|zijn|gaf|heeft|hebben|\(|,|;|:|\.)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Cue:
    """An event word that stands outside the sentence (in a list's introduction)."""

    text: str
    begin: int
    stop: int

    def group(self, index: int = 0) -> str:
        return self.text

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.stop


@dataclass(frozen=True)
class Participant:
    """A participant as written, the registry actor(s) it names, and its role."""

    written: str
    agents: tuple[Agent, ...]
    role: str
    span: Span
    on_behalf_of: Agent | None = None


@dataclass(frozen=True)
class EventMention:
    """One mention of a dated event in a sentence."""

    source: str
    date: EventDate
    kind: str
    title: str
    span: Span
    sentence: str
    planned: bool
    action: str | None = None
    body: Agent | None = None
    body_written: str | None = None
    place: Agent | None = None
    place_text: str | None = None
    participants: tuple[Participant, ...] = ()


@dataclass
class Event:
    """An event and every mention of it, first mention first."""

    mentions: list[EventMention] = field(default_factory=list)

    @property
    def first(self) -> EventMention:
        return self.mentions[0]

    @property
    def defining(self) -> EventMention:
        """The mention that tells what the event was: the first that names the body it is a session
        of ("op het provinciaal overlegplatform ... (19 december 2016)" rather than "op studiedagen
        ... voor de provincie West-Vlaanderen op 19 december 2016"), else the first."""
        return next((m for m in self.mentions if m.body is not None), self.mentions[0])

    @property
    def participants(self) -> list[Participant]:
        return one_role_each([p for mention in self.mentions for p in mention.participants])


@dataclass(frozen=True)
class Region:
    """A stretch of a document read as one context: an action's text or one reporting row."""

    lines: tuple[tuple[int, str], ...]
    action: str | None = None
    competences: tuple[str, ...] = ()


class EventExtractor:
    def __init__(self, gazetteer: Gazetteer, source: str, text: Text, as_of: date) -> None:
        self.gazetteer = gazetteer
        self.registry = gazetteer.registry
        self.source = source
        self.text = text
        self.as_of = as_of
        self.problems: list[Problem] = []
        self._topic: tuple[Agent, str, int, tuple[Participant, ...]] | None = None
        """The body the region's text was last about: (body, as written, line, who organises it there
        and the group its sessions are for)."""
        self._regional: tuple[Agent, str] | None = None
        """The provincial body the current sentence speaks of without naming it (:meth:`_regional_body`)."""
        self._named: dict[str, str] = {}
        """The actors the region has named so far (names that resolve to one actor): id → as written
        the first time."""

    def extract(self, regions: Iterable[Region]) -> list[EventMention]:
        mentions: list[EventMention] = []
        for region in regions:
            antecedents: list[Mention] = []
            self._topic = None
            self._named = {}
            last_full: date | None = None
            intro: Sentence | None = None
            inherited: tuple[Participant, ...] = ()
            previous: tuple[Participant, ...] = ()
            told = 0  # how many mentions the sentence before gave
            recent: tuple[Participant, ...] = ()  # who the last sentence naming anyone named, a few lines up
            recent_line = 0
            for sentence in sentences_of(self.text, region.lines):
                names = self.gazetteer.find(sentence.text, competences=region.competences, action=region.action)
                for n in names:
                    if len(n.resolution.agents) == 1:
                        self._named.setdefault(n.resolution.agents[0].id, n.text)
                # Items of a list introduced by "...: " share the introduction's event word
                # ("Volgende topics kwamen tijdens de voorbije vergaderingen aan bod: - 14 september 2016: ...").
                in_list = sentence.list_item and intro is not None
                context = intro.text if in_list and intro is not None else ""
                self._regional = self._regional_body(sentence.text)
                found, last_full = self._sentence(sentence, region, names, antecedents, last_full, context)
                if in_list:
                    # ... and its organisers: "De inspectie Islam organiseerde studiedagen, per regio:
                    # - leerkrachten van Antwerpen op 8 mei 2018" is a study day of the inspectie.
                    found = [_with_participants(m, inherited) for m in found]
                own = tuple(self._participants(sentence, names, None, None, _Cue(sentence.text, 0, 0), region))
                if sentence.text.rstrip().endswith(":"):
                    intro = sentence
                    # A passive introduction ("Er werden 3 studiedagen georganiseerd, per regio:") takes
                    # its organisers from the sentence before, when that one says who organised; who
                    # merely runs a body's secretariat there does not attend each listed session.
                    # An introduction that names only its audience ("... georganiseerd voor de leerkrachten
                    # islam ...:") takes them and the organisers of the sentence before; the audience the
                    # sentence before names (a group: "een studiedag voor leerkrachten islam") comes too.
                    carried = tuple(p for p in previous if p.role == "organiser"
                                    or (not own and p.agents[0].kind is Kind.GROUP))  # fmt: skip
                    offered = [p for p in recent if p.agents[0].kind is Kind.ORGANISATION]
                    if (not own and not any(p.role == "organiser" for p in carried) and len(offered) == 1
                            and PASSIVE_OFFER.search(sentence.text)):  # fmt: skip
                        # "... uitgebreid naar de andere OTA in Vlaanderen. Dit project liep ... Er werden in
                        # 2017 in de verschillende regio's gratis open vormingssessies aangeboden:": the one
                        # organisation named just before offers them.
                        carried = (*carried, replace(offered[0], role="organiser"))
                    inherited = own if any(p.role == "organiser" for p in own) else (*own, *carried)
                elif not sentence.list_item:
                    intro = None
                    inherited = ()
                previous = own
                recent = own or (recent if sentence.span.start - recent_line <= RECENT_LINES else ())
                recent_line = sentence.span.start if own else recent_line
                if not found and told and AUDIENCE_AFTER.match(sentence.text):
                    # "... organiseerde de inspectie islam ... een tweedaagse vorming ... Dit was een
                    # verplichte opleiding voor alle leerkrachten islam": the audience of what was just told.
                    audience = tuple(p for p in own if p.role == "participant")
                    mentions[-told:] = [_with_participants(m, audience) for m in mentions[-told:]]
                told = len(found)
                mentions += found
                here = [n for n in names if n.resolution.agents[0].kind is Kind.COLLABORATION]
                bodies = [(m.body, m.body_written or m.body.name) for m in found if m.body is not None]
                if bodies:
                    self._topic = (*bodies[-1], sentence.span.end, ())
                elif (regional := self._regional) is not None:
                    # "In Oost-Vlaanderen ageert de VVSG als trekker van het platform ...": the province's
                    # platform, which the text does not name, and who leads it.
                    organisers = tuple(p for p in own if p.role == "organiser")
                    self._topic = (regional[0], regional[1], sentence.span.end, organisers)
                elif len(here) == 1 and not WITHIN.search(sentence.text[: here[0].start]):
                    # ("Binnen de NTF werd afgesproken dat ...": where something was agreed, not what the
                    # text goes on about.)
                    # "De VVSG ondersteunt casemanagers door het organiseren van inter- en supervisies":
                    # the body, who the sentence says organises its sessions, and the group they are for.
                    organisers = tuple(p for p in own if (p.role == "organiser" or p.agents[0].kind is Kind.GROUP)
                                       and here[0].resolution.agents[0] not in p.agents)  # fmt: skip
                    self._topic = (here[0].resolution.agents[0], here[0].text, sentence.span.end, organisers)
                antecedents += [n for n in names if n.resolution.agents[0].kind is Kind.COLLABORATION]
        return mentions

    # -- one sentence ---------------------------------------------------------------------------

    def _dates(self, text: str, last_full: date | None) -> list[DateMention]:
        """The sentence's dates; a date without a year takes the year of the last full date."""
        year = last_full.year if last_full else self.as_of.year
        dates = find_dates(text, year)
        out = []
        for mention in dates:
            explicit = bool(YEAR_WRITTEN.search(mention.written))
            first = mention.dates[0]
            if not explicit and last_full is not None and first.latest < last_full and FOLLOW_UP.search(text):
                # "In januari vindt vervolgens een reflectiemoment plaats" after December 2018 is January 2019.
                shifted = find_dates(mention.written, year + 1)
                if shifted:
                    mention = replace(shifted[0], start=mention.start, end=mention.end)
            elif not explicit and first.earliest > self.as_of and not FUTURE.search(text):
                # "Een eerste bijeenkomst vond plaats midden oktober" after "lopen tot april 2020": told
                # in the past tense, so the last such date before the document's own date.
                for candidate in (self.as_of.year, self.as_of.year - 1):
                    found = find_dates(mention.written, candidate)
                    if found and found[0].dates[0].latest <= self.as_of:
                        mention = replace(found[0], start=mention.start, end=mention.end)
                        break
            elif not explicit and FUTURE_NO_YEAR.search(text):
                # "zal op de volgende VILD-bijeenkomst van 18 december worden toegelicht": the next
                # 18 December after the document's own date, whatever year the paragraph was about.
                for candidate in (self.as_of.year, self.as_of.year + 1):
                    found = find_dates(mention.written, candidate)
                    if found and found[0].dates[0].earliest >= self.as_of:
                        mention = replace(found[0], start=mention.start, end=mention.end)
                        break
            out.append(mention)
        precise = [m for m in out if not (m.dates[0].value.precision == "year" and not m.dates[0].text)]
        return precise if precise else out

    def _sentence(
        self, sentence: Sentence, region: Region, names: list[Mention], antecedents: list[Mention],
        last_full: date | None, intro: str = "",
    ) -> tuple[list[EventMention], date | None]:  # fmt: skip
        text = sentence.text
        dates = self._dates(text, last_full)
        for mention in dates:
            if YEAR_WRITTEN.search(mention.written) and mention.dates[0].value.precision in ("day", "month"):
                last_full = mention.dates[-1].earliest
        # An event word inside a name is part of the name: "departement Onderwijs en Vorming", "Werkgroep ...".
        # An event word inside a name is part of the name ("departement Onderwijs en Vorming",
        # "Werkgroep Vorming en Ondersteuning organiseerde een opleiding"), unless nothing else in
        # the sentence is an event word ("de Stuurgroep X kwam" is still a meeting of it).
        cues = [(kind, m) for kind, pattern in KIND_RE for m in pattern.finditer(text)]
        outside = [(kind, m) for kind, m in cues if not any(n.start <= m.start() and m.end() <= n.end for n in names)]
        inside_collaboration = [
            (kind, m) for kind, m in cues
            if any(n.start <= m.start() and m.end() <= n.end and n.resolution.agents[0].kind is Kind.COLLABORATION
                   for n in names)
        ]  # fmt: skip
        # "Tijdens de stuurgroep van 26 september 2017 gaf ... een toelichting": the dated body is the event.
        dated_body = [(k, m) for k, m in inside_collaboration if DATED_BODY.match(text[m.end() :])]
        cues = dated_body or outside or inside_collaboration
        if not cues and intro:
            # The event word is in the list's introduction; it stands at distance 0 from every date.
            cues = [(kind, _Cue(m.group(0), 0, 0)) for kind, pattern in KIND_RE for m in pattern.finditer(intro)][:1]
        if not dates or not cues:
            return [], last_full
        # In a long enumeration each "op <date>" opens an item of its own ("voor de provincie West-Vlaanderen
        # op 19 december 2016, op 29 september 2017 en 6 oktober 2017 in Tienen": Tienen is the place of the
        # last two); only dates joined by "en" share one.
        groups = _date_groups(text, dates, ITEM_GAP if len(dates) >= LONG_LIST else LIST_GAP)
        out: list[EventMention] = []
        enumeration = len(dates) >= LONG_LIST
        for group_index, group in enumerate(groups):
            item = _item_of(text, group) if enumeration else None
            for mention in group:
                before = text[: mention.start]
                if NOT_AN_EVENT_BEFORE.search(before):
                    continue
                dated = next((n for n in names if n.resolution.agents[0].kind is Kind.COLLABORATION
                              and (SESSION_DATE.fullmatch(text[n.end : mention.start])
                                   or (SESSION_AT.fullmatch(text[n.end : mention.start])
                                       and OCCASION_BEFORE.search(text[: n.start])))), None)  # fmt: skip
                if dated is not None:
                    # "op het provinciaal overlegplatform radicalisering West-Vlaanderen (19 december 2016)":
                    # a body with a date beside it is that body's session on that day.
                    kind, cue = "meeting", _Cue(dated.text, dated.start, dated.end)
                else:
                    kind, cue = self._nearest_cue(text, cues, mention.start, mention.end)
                if cue is None and enumeration:
                    # "geeft het aanspreekpunt toelichtingen ... op studiedagen o.a. georganiseerd door LOP's
                    # (op 9 oktober 2017 in Halle, ...), ..., op 8 december 2017 voor een lokale ...": a long
                    # enumeration of dated occasions shares the event word that opens it.
                    preceding = [(k, c) for k, c in cues if c.end() <= mention.start]
                    if preceding:
                        kind, cue = max(preceding, key=lambda kc: kc[1].start())
                if (item is not None and cue is not None and not item[0] <= cue.start() < item[1]
                        and not _closed_after(text, mention.end)):  # fmt: skip
                    # "... geeft het aanspreekpunt toelichtingen ... op studiedagen ... (...), ..., op 13 maart
                    # 2018 voor het LIVC Landen": an occasion listed outside the parentheses of the study
                    # days is one of the toelichtingen the sentence opens with.
                    opening = min(((k, c) for k, c in cues if c.end() <= dates[0].start),
                                  key=lambda kc: kc[1].start(), default=None)  # fmt: skip
                    if opening is not None and opening[0] == "presentation":
                        kind, cue = opening
                if cue is None:
                    continue
                bare_year = mention.dates[0].value.precision == "year" and not mention.dates[0].text
                if bare_year and abs(cue.start() - mention.start) > 40:
                    continue  # a bare year is an event date only right beside its event word
                clause = self._clause(text, min(cue.start(), mention.start), max(cue.end(), mention.end))
                if NOT_AN_EVENT_WORDS.search(_around(clause, text, cue, mention)) and kind not in (
                    "government-decision", "launch"
                ):
                    continue
                if item is not None:
                    mine = _names_in_enumeration(text, names, dates[0].start, group, item)
                else:
                    mine = _names_for_group(names, groups, group_index)
                if dated is not None and dated not in mine:
                    mine = [*mine, dated]
                for event_date in mention.dates:
                    out.append(self._mention(sentence, region, mine, antecedents, event_date, kind, cue, clause,
                                             (mention.start, mention.end), item))  # fmt: skip
        return out, last_full

    def _nearest_cue(
        self, text: str, cues: list[tuple[str, re.Match[str]]], start: int, end: int
    ) -> tuple[str, re.Match[str] | None]:
        best: tuple[int, int, str, re.Match[str] | None] = (10**9, 99, "other", None)
        order = {kind: i for i, (kind, _) in enumerate(KIND_WORDS)}
        in_parentheses = text[:start].rstrip().endswith("(")
        for kind, cue in cues:
            distance = cue.start() - end if cue.start() >= end else start - cue.end() if cue.end() <= start else 0
            if in_parentheses and cue.start() >= end:
                distance += 100  # "een studiedag (25/09/2017)": the date belongs to the word before it
            rank = (max(distance, 0), order[kind])
            if rank < best[:2]:
                best = (rank[0], rank[1], kind, cue)
        if best[0] > 160:
            return "other", None
        return best[2], best[3]

    def _regional_body(self, text: str) -> tuple[Agent, str] | None:
        """The provincial platform or network a sentence speaks of without naming it: "In West-
        Vlaanderen werd geopteerd om aan te sluiten bij het overlegplatform ...", "In de provincie
        Limburg werd ... beslist om ... een nieuw netwerk op te starten": the registry's one provincial
        platform or network of that province."""
        found = REGIONAL_BODY.search(text)
        if found is None:
            return None
        province = collapse(found.group("province")).replace("- ", "-").lower()
        candidates = [a for a in self.registry.agents.values()
                      if a.kind is Kind.COLLABORATION and a.level == "provincial" and a.type in ("platform", "network")
                      and province in a.name.lower()]  # fmt: skip
        return (candidates[0], found.group("head")) if len(candidates) == 1 else None

    def _owner(self, body: Agent | None, sentence: Sentence, known: set[str]) -> list[Participant]:
        """The organisation whose body it is organises its sessions, when the region names it.

        "In de werkgroep radicalisering ... ondersteund door de expertise van VVSG medewerkers ...
        De werkgroep kwam samen op 09 december 2016, ...": the VVSG's working group meets, so the VVSG
        organises; a body whose owner the text around it does not name gets no organiser.
        """
        if body is None or body.parent is None or body.parent in known or body.parent not in self._named:
            return []
        owner = self.registry.agents[body.parent]
        if owner.kind is not Kind.ORGANISATION:
            return []
        return [Participant(self._named[owner.id], (owner,), "organiser", sentence.span)]

    @staticmethod
    def _clause(text: str, start: int, end: int) -> str:
        left = max(text.rfind(";", 0, start), text.rfind(":", 0, start))
        right_candidates = [i for i in (text.find(";", end), text.find(":", end)) if i != -1]
        right = min(right_candidates) if right_candidates else len(text)
        return text[left + 1 : right]

    def _mention(
        self,
        sentence: Sentence,
        region: Region,
        names: list[Mention],
        antecedents: list[Mention],
        event_date: EventDate,
        kind: str,
        cue: re.Match[str],
        clause: str,
        at: tuple[int, int] = (0, 0),
        item: tuple[int, int] | None = None,
    ) -> EventMention:
        text = sentence.text
        body, body_written = self._body(text, kind, cue, names, antecedents)
        topic = self._topic
        if (body is None and kind == "meeting" and GENERIC_SESSION.match(cue.group(0)) and topic is not None
                and sentence.span.start - topic[2] <= TOPIC_LINES):  # fmt: skip
            # "De VVSG ondersteunt casemanagers door inter- en supervisies ... waarna driemaandelijks werd
            # samengekomen (31 maart 2016, ...)", "... De volgende bijeenkomst staat gepland voor 18 december
            # 2018": a session with no body of its own is one of the body the text was just about.
            body, body_written = topic[0], topic[1]
            topic_organisers = topic[3]
        else:
            topic_organisers = ()
        if body is None and kind == "meeting" and self._regional is not None:
            # "In de provincie Limburg werd ... beslist om 20 maart 2018 een nieuw netwerk op te starten".
            body, body_written = self._regional
        if body is None and isinstance(cue, _Cue) and kind == "meeting" and antecedents:
            # A dated list item under "... tijdens de voorbije vergaderingen ...:" is a session of the
            # body the report was just describing.
            body, body_written = antecedents[-1].resolution.agents[0], antecedents[-1].text
        if item is None:
            place, place_text = self._place(text, names, cue, at)
        else:
            # An item of a long enumeration has its own place or none: "op 9 oktober 2017 in Halle".
            inside = [n for n in names if item[0] <= n.start < item[1]]
            place, place_text = self._place(text[: item[1]], inside, _Cue(text, at[0], at[1]), at, item[0])
        participants = self._participants(sentence, names, body, place, cue, region)
        known = {a.id for p in participants for a in p.agents}
        participants += [p for p in topic_organisers if not {a.id for a in p.agents} & known]
        participants += self._owner(body, sentence, known)
        if kind == "government-decision":
            participants = [_as_decider(p) for p in participants]
        participants = one_role_each(participants)
        return EventMention(
            source=self.source,
            date=event_date,
            kind=kind,
            title=self._title(text, kind, cue, body),
            span=sentence.span,
            sentence=text,
            planned=self._planned(event_date, clause),
            action=region.action,
            body=body,
            body_written=body_written,
            place=place,
            place_text=place_text,
            participants=tuple(participants),
        )

    def _planned(self, when: EventDate, clause: str) -> bool:
        if when.earliest > self.as_of:
            return True
        if when.latest < self.as_of:
            return False
        return bool(FUTURE.search(clause))

    def _title(self, text: str, kind: str, cue: re.Match[str], body: Agent | None) -> str:
        if VERB_CUE.match(cue.group(0)) or isinstance(cue, _Cue):
            label = KIND_LABELS[kind]
            return f"{label} van {body.name}" if body is not None else label
        words = text[cue.start() :].split()
        taken: list[str] = []
        for word in words[:10]:
            if taken and TITLE_STOP.match(word):
                break
            taken.append(word.rstrip(",;:."))
            if word.endswith((",", ";", ":", ".", ")")):
                break
        title = collapse(" ".join(taken))
        quoted = re.search(r"[‘“'\"]([^’”'\"]{3,120})[’”'\"]", text[cue.start() : cue.start() + 160])
        if quoted and quoted.group(1) not in title:
            title = f"{title} ‘{quoted.group(1)}’"
        if body is not None and len(title.split()) <= 2:
            title = f"{title} van {body.name}".strip()
        return title[:1].upper() + title[1:] if title else body.name if body else "Gebeurtenis"

    # -- body, place, participants ---------------------------------------------------------------

    def _body(
        self, text: str, kind: str, cue: re.Match[str], names: list[Mention], antecedents: list[Mention]
    ) -> tuple[Agent | None, str | None]:
        if kind not in ("meeting", "intervision"):
            return None, None
        head_in_cue = re.match(r"(werkgroep|stuurgroep|platform|netwerk)\w+", cue.group(0), re.IGNORECASE)
        if head_in_cue:
            # "platformbijeenkomsten", "werkgroepvergadering": a session of the platform of the context.
            types = next(
                (t for pattern, t in COLLECTIVE_HEADS if re.fullmatch(pattern, head_in_cue.group(1).lower())),
                frozenset(),
            )
            for candidate in [*reversed([n for n in names if n.start < cue.start()]), *reversed(antecedents)]:
                agent = candidate.resolution.agents[0]
                if agent.kind is Kind.COLLABORATION and agent.type in types:
                    return agent, candidate.text
        # "De verschillende hulplijnen (Netwerk Islamexperten, opvoedingslijn, ...) stemmen onderling af":
        # a network in an enumeration of those who meet takes part; it is not the body that meets.
        collaborations = [n for n in names if n.resolution.agents[0].kind is Kind.COLLABORATION
                          and not _enumerated(text, n)]  # fmt: skip
        if collaborations:
            nearest = min(collaborations, key=lambda n: abs(n.start - cue.start()))
            return nearest.resolution.agents[0], nearest.text
        generic = GENERIC_BODY.search(text)
        if generic:
            head = generic.group("head").lower()
            types = next((t for pattern, t in COLLECTIVE_HEADS if re.fullmatch(pattern, head)), frozenset())
            for antecedent in reversed(antecedents):
                agent = antecedent.resolution.agents[0]
                if agent.type in types:
                    return agent, generic.group(0)
        return None, None

    def _place(
        self, text: str, names: list[Mention], cue: re.Match[str], at: tuple[int, int] = (0, 0), begin: int = 0
    ) -> tuple[Agent | None, str | None]:
        # In an enumeration each date carries its own place: "(op 9 oktober 2017 in Halle, op 6 december 2017 in
        # Houthalen, ...)": a place right after the date wins over one near the event word.
        right_after = [n for n in names if is_place(text, n) and 0 <= n.start - at[1] <= 25]
        if at != (0, 0) and right_after:
            return right_after[0].resolution.agents[0], right_after[0].text
        places = [n for n in names if is_place(text, n) and abs(n.start - cue.start()) < 120]
        if places:
            nearest = min(places, key=lambda n: abs(n.start - cue.start()))
            return nearest.resolution.agents[0], nearest.text
        for foreign in FOREIGN_PLACE.finditer(text, begin):
            name = foreign.group(1)
            if name in NOT_PLACES or any(n.start <= foreign.start(1) < n.end for n in names):
                continue
            if abs(foreign.start() - cue.start()) < 120:
                return None, name
        return None, None

    def _participants(
        self,
        sentence: Sentence,
        names: list[Mention],
        body: Agent | None,
        place: Agent | None,
        cue: re.Match[str],
        region: Region,
    ) -> list[Participant]:
        text = sentence.text
        out: list[Participant] = []
        for n in names:
            agent = n.resolution.agents[0]
            if agent is body or agent is place:
                continue
            if is_place(text, n):
                continue
            if agent.kind is Kind.COLLABORATION and agent.type in ("network", "platform") and body is None:
                # A network named in passing ("uitleg over het netwerk van Islamexperten") is a topic,
                # unless a frame makes it a participant or it is one of an enumeration of those who meet.
                role = self._frame_role(text, n)
                if role is None and not _enumerated(text, n):
                    continue
            elif agent.kind is Kind.GROUP and any(o.end <= n.start and text.rfind(",", o.end, n.start) == -1
                                                  for o in names if o is not n):  # fmt: skip
                # "De VVSG ondersteunt casemanagers ... door het organiseren van intervisies": a group
                # named after another actor in its clause is the audience, unless a frame says otherwise.
                role = self._frame_role(text, n)
            else:
                role = self._frame_role(text, n) or self._subject_role(text, n, cue)
                if role is None and agent.kind in (Kind.MUNICIPALITY, Kind.PROVINCE, Kind.REGION):
                    # "12 november 2018: provincie Antwerpen" says where the audience came from, not
                    # that the provincial government took part; a verb or a frame says that.
                    continue
            if agent.kind is Kind.PORTFOLIO and CABINETS_BEFORE.search(text[: n.start]):
                # "met vertegenwoordiging van de kabinetten van de minister-president en van de minister
                # bevoegd voor Binnenlands Bestuur": the second cabinet, not the minister.
                cabinet = self.registry.resolve(f"kabinet van {n.text}", (Kind.ORGANISATION,))
                if cabinet is not None and len(cabinet.agents) == 1:
                    out.append(Participant(n.text, cabinet.agents, role or "participant", sentence.span))
                    continue
            if out and role is None and _coordinated(text, out[-1], n):
                role = out[-1].role  # "samen met de stad Sint-Niklaas en de VVSG": both co-organise
            out.append(Participant(n.text, n.resolution.agents, role or "participant", sentence.span))
        for plural in PLURAL_POSTS.finditer(text):
            # "de aanspreekpunten radicalisering van ABB en onderwijs" names two posts; the names
            # inside the phrase ("ABB") stand for those posts, not for the organisations.
            out = [p for p in out if not plural.start() <= text.find(p.written) < plural.end()]
            for item in re.split(r"\s*,\s*|\s+en\s+", plural.group("list")):
                item = re.sub(r"^(?:de|het)\s+", "", item.strip())
                found = self.registry.resolve(f"aanspreekpunt {item}", (Kind.POST,)) or self.registry.resolve(
                    f"aanspreekpunt van {item}", (Kind.POST,)
                )
                if found is not None and found.agents:
                    as_mention = Mention(plural.start(), plural.end(), plural.group(0), found)
                    role = self._subject_role(text, as_mention, cue) or "participant"
                    out.append(Participant(f"aanspreekpunt {item}", found.agents, role, sentence.span))
        return out

    @staticmethod
    def _frame_role(text: str, mention: Mention) -> str | None:
        before = text[max(0, mention.start - 60) : mention.start]
        before = re.sub(r"\b(?:de|het|een|alle|haar|zijn|hun)\s+$", "", before, flags=re.IGNORECASE)
        before = re.sub(r"\b(?:hetzij|zowel|ofwel|telkens)\s+$", "", before, flags=re.IGNORECASE)  # "met hetzij X"
        if (CO_ORGANISER.search(before) or FROM_WITHIN.search(before)) and ORGANISE_VERB.search(text):
            # "organiseerde X, samen met Y, een studiedag"; "werd vanuit het netwerk Islamexperten ...
            # een studiedag georganiseerd"
            return "organiser"
        if BARE_DOOR.search(before) and ORGANISED_BY.search(text, 0, mention.start):
            # "op studiedagen georganiseerd door LOP's (...), door scholen (...) en door lokale besturen
            # (...)": each "door" goes on with the "georganiseerd door" that opened the enumeration.
            return "organiser"
        for role, pattern, _ in ROLE_FRAMES:
            if pattern.search(before):
                return role
        return None

    @staticmethod
    def _subject_role(text: str, mention: Mention, cue: re.Match[str]) -> str | None:
        """The role a mention gets from the verb of its clause (it is usually the subject)."""
        start = max(text.rfind(",", 0, mention.start), text.rfind(";", 0, mention.start), 0)
        clause = text[start : min(len(text), mention.end + 140)]
        # The verb the clause says first is the mention's: "geeft het aanspreekpunt ook toelichtingen ...
        # op studiedagen o.a. georganiseerd door LOP's" makes the contact point a presenter.
        found = [(m.start(), index, role) for index, (role, pattern) in enumerate(SUBJECT_VERBS)
                 if (m := pattern.search(clause))]  # fmt: skip
        return min(found)[2] if found else None


# -- merging mentions into events --------------------------------------------------------------


def _participant_ids(mention: EventMention) -> set[str]:
    return {a.id for p in mention.participants for a in p.agents}


def same_event(a: EventMention, b: EventMention) -> bool:
    """Two mentions are one event if they share the date and kind and one more identifying fact."""
    if a.date.iso != b.date.iso or a.date.end != b.date.end:
        return False
    if a.source == b.source and a.span != b.span and abs(a.span.start - b.span.start) <= NEIGHBOUR_LINES:
        # A report does not retell an event a line or two later: "o Vlaams Brabant / Brussel : 15 juni en 16
        # juni o West en Oost-Vlaanderen : 12 juni en 15 juni" lists two sessions on 15 June.
        return False
    compatible = a.kind == b.kind or {a.kind, b.kind} <= {"meeting", "presentation", "conference", "seminar"}
    same_place = a.place is not None and b.place is not None and a.place.id == b.place.id
    if not compatible:
        # The report retells a day in another section in other words ("toelichting op studiedagen ... op 9
        # oktober 2017 in Halle", later "infomomenten met het aanspreekpunt ... op 9 oktober 2017 in Halle"):
        # the same day, place and participant is the same event whatever word each retelling uses; so is
        # the same day and participant in one document when one retelling names the body whose session
        # it was and the other names none ("door lokale besturen (... voor de provincie West-Vlaanderen op
        # 19 december 2016", later "toelichting aan de lokale besturen: op het provinciaal overlegplatform
        # radicalisering West-Vlaanderen (19 december 2016)").
        # A place the body-less retelling gives must be in the body's name ("op 23 januari 2017 ... in Gent",
        # "Netwerk radicalisering onderwijs Gent (23 januari 2017)"); Tienen is not the LID-overleg Limburg.
        shared = bool(_participant_ids(a) & _participant_ids(b))
        session, other = (a, b) if a.body is not None else (b, a)
        one_body = (a.body is None) != (b.body is None) and a.source == b.source and (
            other.place is None or other.place.name.lower() in session.body.name.lower())  # type: ignore[union-attr]
        return a.date.value.precision == "day" and shared and (same_place or one_body)
    if a.body is not None and b.body is not None:
        return a.body.id == b.body.id
    if a.place is not None and b.place is not None and a.place.id != b.place.id:
        return False
    shared = _participant_ids(a) & _participant_ids(b)
    same_place = a.place is not None and b.place is not None and a.place.id == b.place.id
    if a.date.value.precision != "day":
        return a.kind == b.kind and (bool(shared) or same_place) and a.title.lower() == b.title.lower()
    # A title the text did not give ("Vergadering", the kind's label) identifies nothing when the two
    # mentions name who took part and no one in common: the education administrations meeting on
    # 29 November 2016 (3.2) and the help lines meeting that day (4.7) are two meetings.
    apart = a.title in KIND_LABELS.values() and bool(_participant_ids(a)) and bool(_participant_ids(b))
    return bool(shared) or same_place or (a.title.lower() == b.title.lower() and not apart)


def merge(mentions: Sequence[EventMention]) -> list[Event]:
    """Group mentions of the same event; mentions in one sentence stay apart unless they repeat."""
    events: list[Event] = []
    for mention in mentions:
        for event in events:
            if any(m.span == mention.span and m.date == mention.date for m in event.mentions):
                break
            if any(m.span != mention.span and same_event(m, mention) for m in event.mentions):
                event.mentions.append(mention)
                break
        else:
            events.append(Event([mention]))
    return [e for e in events if not _summarises(e, events)]


SUMMARY_LINES = 25


def _summarises(event: Event, events: list[Event]) -> bool:
    """A month or year that only announces the dated sessions listed right after it.

    "In november en december 2018 worden 3 studiedagen ... georganiseerd: - 12 november 2018: ..."
    is the three study days, not a fourth and fifth event in November and December.
    """
    if event.first.date.value.precision == "day":
        return False

    def announces(coarse: EventMention) -> bool:
        sessions = [
            o for other in events for o in other.mentions
            if o.date.value.precision == "day"
            and o.source == coarse.source
            and o.action == coarse.action
            and o.kind == coarse.kind
            and coarse.date.earliest <= o.date.earliest <= coarse.date.latest
            and 0 <= o.span.start - coarse.span.start <= SUMMARY_LINES
        ]  # fmt: skip
        # One dated session after a season ("in het voorjaar 2017 twee basisopleidingen ... Op 13 juni
        # 2017 werd een verdiepingsdag ...") is another event; a list of them, or one announced by ":", is not.
        return len(sessions) >= 2 or (bool(sessions) and coarse.sentence.rstrip().endswith(":"))

    return all(announces(m) for m in event.mentions)


ROLE_ORDER = ("organiser", "chair", "presenter", "observer", "invited", "participant")
"""Most telling first: an actor that a frame makes the organiser is not also a mere participant."""


def one_role_each(participants: Sequence[Participant]) -> list[Participant]:
    """One participation per actor: the most telling role its mentions give it.

    A sentence often names an actor twice or under two frames ("door de Vlaamse Regering werd
    goedgekeurd" reads both as a subject and after "door"); an actor takes part in an event once, in
    one role, so the weaker readings are dropped rather than published beside the stronger one.
    """
    best: dict[str, Participant] = {}
    for p in participants:
        key = "|".join(a.id for a in p.agents)
        held = best.get(key)
        if held is None or ROLE_ORDER.index(p.role) < ROLE_ORDER.index(held.role):
            best[key] = p
    return list(best.values())


DECIDER = re.compile(r"\bregering\b|\bparlement\b|\bministerraad\b", re.IGNORECASE)


def _as_decider(participant: Participant) -> Participant:
    """In a government decision the government that decides is its organiser ("keurde de Vlaamse
    Regering de conceptnota goed"), whatever frame the sentence puts it in."""
    if DECIDER.search(participant.written) and participant.role != "organiser":
        return replace(participant, role="organiser")
    return participant


def _coordinated(text: str, earlier: Participant, mention: Mention) -> bool:
    """Whether ``mention`` is joined to the participant just before it by "en" or a comma."""
    end = text.find(earlier.written)
    if end == -1:
        return False
    between = text[end + len(earlier.written) : mention.start]
    return bool(re.fullmatch(r"\s*(?:,|en|,\s*en)\s*(?:de|het)?\s*", between, re.IGNORECASE))


def _with_participants(mention: EventMention, inherited: tuple[Participant, ...]) -> EventMention:
    """A list item's event with the participants its introduction names (those it names itself win)."""
    own = {a.id for p in mention.participants for a in p.agents}
    excluded = {a.id for a in (mention.body, mention.place) if a is not None}
    extra = tuple(p for p in inherited if not {a.id for a in p.agents} & (own | excluded))
    return replace(mention, participants=mention.participants + extra) if extra else mention


def whole_text_region(text: Text) -> Region:
    """A document without structure is one region (link annotations left out)."""
    return Region(tuple((n, text.line(n)) for n in range(1, len(text) + 1) if not is_noise(text.line(n))))


def report_regions(text: Text, report: ProgressReportRecord) -> list[Region]:
    """The regions of a progress report: what precedes the actions, each action's text, each row."""
    if not report.actions:
        return [whole_text_region(text)]
    first = report.actions[0].span.start
    regions = [Region(tuple((n, text.line(n)) for n in range(1, first) if not is_noise(text.line(n))))]
    for action in report.actions:
        regions.append(Region(action.description_lines, action.code))
        regions += [Region(row.lines, action.code, row.competences) for row in action.rows]
    return regions


def is_place(text: str, mention: Mention) -> bool:
    """A municipality, province or region named as where something happens ("in Gent", "te Mechelen")."""
    agent = mention.resolution.agents[0]
    return agent.kind in (Kind.MUNICIPALITY, Kind.PROVINCE, Kind.REGION) and bool(
        PLACE_BEFORE.search(text[: mention.start])
    )


def _around(clause: str, text: str, cue: re.Match[str], mention: DateMention) -> str:
    """The words that say what a dated event word is about: from the cue to the date, and the
    comma-delimited stretch on either side (a relative clause earlier in the sentence, "die werden
    aangeworven", says nothing about "gaven op 1 december 2017 een vorming")."""
    start, end = min(cue.start(), mention.start), max(cue.end(), mention.end)
    left = max(text.rfind(",", 0, start), text.rfind(";", 0, start), text.rfind(":", 0, start), start - 60)
    right = [i for i in (text.find(",", end), text.find(";", end), text.find(":", end)) if i != -1]
    stop = min([*right, end + 60])
    around = text[max(0, left + 1) : stop]
    return around if around.strip() else clause


def _enumerated(text: str, name: Mention) -> bool:
    """Whether a name is an item of an enumeration that goes on after it: the first inside
    parentheses ("(A, B, C)") or one further in ("X, A, B en C"); the last item is not recognised."""
    before, after = text[: name.start].rstrip(), text[name.end :].lstrip()
    return before.endswith(("(", ",")) and (after.startswith((",", ")")) or after.startswith("en "))


LIST_GAP = re.compile(r"^[\s,;]*(?:en|tot|&)?[\s,;]*(?:op|van)?\s*$", re.IGNORECASE)


ITEM_GAP = re.compile(r"^\s*(?:en|&)\s*$", re.IGNORECASE)


def _date_groups(text: str, dates: list[DateMention], gap: re.Pattern[str] = LIST_GAP) -> list[list[DateMention]]:
    """Dates listed together ("op 9 december 2016, 17 februari 2017 en 24 mei 2017") form one group."""
    groups: list[list[DateMention]] = []
    for mention in dates:
        if groups and gap.match(text[groups[-1][-1].end : mention.start]):
            groups[-1].append(mention)
        else:
            groups.append([mention])
    return groups


CABINETS_BEFORE = re.compile(r"\bkabinet(?:ten)?\s+van\s+de\s+[^.;]{0,60}?\ben\s+van\s*$", re.IGNORECASE)
SESSION_DATE = re.compile(r"\s*\(\s*")
# "gaf een toelichting ...: op de LTF in Gent op 10 oktober 2017": the body met that day, and that is where.
SESSION_AT = re.compile(r"\s+(?:in\s+[A-Z][\w-]+\s+)?op\s+")
OCCASION_BEFORE = re.compile(r"\b(?:op|tijdens)\s*$", re.IGNORECASE)
OPENER_REACH = 60
ITEM_BOUNDARY = re.compile(r"[,;()]")
OPENER = re.compile(r"\b(?:door|voor|van|bij)\b(?!.*\b(?:door|voor|van|bij)\b)", re.IGNORECASE | re.DOTALL)


def _closed_after(text: str, position: int) -> bool:
    """Whether ``position`` stands inside a parenthesis that closes later in the sentence (the PDF
    text may have lost the opening one: "door de politie(school) op 10 oktober 2017 in Gent, ...)")."""
    depth = 0
    for char in text[position:]:
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return True
            depth -= 1
    return False


def _item_of(text: str, group: list[DateMention]) -> tuple[int, int]:
    """The stretch of a long enumeration that one group of dates heads: between the commas,
    semicolons or parentheses around it ("op 20 oktober 2017 in Asse")."""
    left = max((m.end() for m in ITEM_BOUNDARY.finditer(text, 0, group[0].start)), default=0)
    right = ITEM_BOUNDARY.search(text, group[-1].end)
    return left, right.start() if right else len(text)


def _openers(text: str, position: int) -> list[tuple[int, int]]:
    """For each parenthesis around ``position``, the words that introduce what it lists: "georganiseerd
    door LOP's (op 9 oktober 2017 in Halle, ...)": from the last door, voor, van or bij before it."""
    out, depth = [], 0
    for index in range(position - 1, -1, -1):
        if text[index] == ")":
            depth += 1
        elif text[index] == "(":
            if depth:
                depth -= 1
                continue
            opener = _opener_of(text, index)
            if opener is not None:
                out.append(opener)
    return out


def _opener_of(text: str, index: int) -> tuple[int, int] | None:
    """The words that introduce the parenthesis opening at ``index``: from the last door, voor, van
    or bij of its stretch ("georganiseerd door LOP's (")."""
    left = max((m.end() for m in ITEM_BOUNDARY.finditer(text, 0, index)), default=0)
    opener = OPENER.search(text, left, index)
    if opener is None or ":" in text[opener.start() : index] or index - opener.start() > OPENER_REACH:
        return None  # "gezorgd voor afstemming ... aan de lokale besturen: op het ... (19 december 2016)"
    return opener.start(), index


def _names_in_enumeration(
    text: str, names: list[Mention], first_date: int, group: list[DateMention], item: tuple[int, int]
) -> list[Mention]:
    """The names that belong to one item of a long enumeration of dated occasions.

    "geeft het aanspreekpunt toelichtingen ... op studiedagen o.a. georganiseerd door LOP's (op 9
    oktober 2017 in Halle, op 6 december 2017 in Houthalen, ...), ..., door lokale besturen (op 26
    januari 2017 in provincie Limburg, voor de provincie West-Vlaanderen op 19 december 2016, ...)":
    each occasion has the sentence's subject (the names before the first date, except those that
    introduce a parenthesis), the names that introduce the parentheses it stands in, and its own.
    """
    openers = _openers(text, group[0].start)
    every_opener = [o for i, char in enumerate(text) if char == "(" and (o := _opener_of(text, i)) is not None]
    mine = []
    for n in names:
        own = item[0] <= n.start < item[1]
        introduces = any(start <= n.start < end for start, end in openers)
        subject = n.end <= first_date and not any(start <= n.start < end for start, end in every_opener)
        if own or introduces or subject:
            mine.append(n)
    return mine


def _names_for_group(names: list[Mention], groups: list[list[DateMention]], index: int) -> list[Mention]:
    """The names that belong to one group of dates in a sentence listing several dated events.

    Names before the first date (the sentence's subject) belong to every group; a name after it
    belongs to the group it is nearest to.
    """
    if len(groups) == 1:
        return names
    spans = [(g[0].start, g[-1].end) for g in groups]
    mine = []
    for n in names:
        if n.end <= spans[0][0]:
            mine.append(n)
            continue
        distances = [0 if s <= n.start < e else min(abs(n.start - e), abs(s - n.end)) for s, e in spans]
        if distances.index(min(distances)) == index:
            mine.append(n)
    return mine
