"""Registry entries and parsed records to RDF, one named graph per source.

This is where names meet the registry: every name a parser read is resolved here, and one that
resolves to nothing is recorded as :class:`Unresolved` (file, line, field, name) for the build
report instead of being guessed or dropped. IRIs are minted from registry ids and stable facts
(action codes, line numbers), never from run order, so the same input gives the same graph.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox

from .dates import EventDate, PartialDate
from .events import Event
from .grants import GrantRecord
from .namespaces import (
    ADMS,
    BESLUIT,
    CONCEPT,
    DCTERMS,
    FOAF,
    M8G,
    MANDAAT,
    ORG,
    PERSON,
    PKG,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
)
from .provenance import Evidence, ProvenancedDataset, iri, literal
from .records import ActionRecord, ConceptNoteRecord, Named, ProgressReportRecord
from .registry import Agent, Domain, Kind, Plan, Registry, Resolution, normalise
from .sources import Source
from .text import Span, Text

REGISTRY_GRAPH = "registry"
GEMEENTE = ox.NamedNode(
    "http://data.vlaanderen.be/id/concept/BestuurseenheidClassificatieCode/5ab0e9b8a3b2ca7c5e000001"
)
PROVINCIE = ox.NamedNode(
    "http://data.vlaanderen.be/id/concept/BestuurseenheidClassificatieCode/5ab0e9b8a3b2ca7c5e000000"
)
STATUS_CODES = {"lopende": "lopende", "lopend": "lopende", "opgestart": "opgestart", "op te starten": "op-te-starten",
                "afgerond": "afgerond"}  # fmt: skip
AGENT_KINDS = (
    Kind.ORGANISATION,
    Kind.COLLABORATION,
    Kind.MUNICIPALITY,
    Kind.PROVINCE,
    Kind.REGION,
    Kind.PERSON,
    Kind.GROUP,
)


@dataclass(frozen=True)
class Unresolved:
    """A name read from a source that resolves to no registry entry."""

    file: str
    line: int
    field: str
    name: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: unresolved {self.field} {self.name!r}"


def slug(text: str) -> str:
    """A readable IRI segment from a name ('Cocon – Vilvoorde' → 'cocon-vilvoorde')."""
    flat = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", flat.lower()).strip("-") or "x"


def date_literal(when: PartialDate) -> ox.Literal:
    """A date with its precision: xsd:date, xsd:gYearMonth or xsd:gYear."""
    datatype = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}[when.precision]
    return literal(when.iso, datatype=datatype)


class Mapper:
    """Writes the registry and the parsed sources into a :class:`ProvenancedDataset`."""

    def __init__(self, ds: ProvenancedDataset, registry: Registry, texts: dict[str, Text]) -> None:
        self.ds = ds
        self.registry = registry
        self.texts = texts
        self.unresolved: list[Unresolved] = []
        self.source_slugs: dict[str, str] = {}
        """Relative path of every source-like file (documents, registry files) → document slug."""

    # -- helpers ----------------------------------------------------------------------------------

    def agent(self, agent: Agent) -> ox.NamedNode:
        return self.ds.id(agent.iri_path)

    def domain(self, domain: Domain) -> ox.NamedNode:
        return self.ds.id(f"domain/{domain.id}")

    def plan(self, plan_id: str) -> ox.NamedNode:
        return self.ds.id(f"plan/{plan_id}")

    def concept(self, scheme: str, code: str) -> ox.NamedNode:
        return ox.NamedNode(f"{CONCEPT}{scheme}/{code}")

    def registry_evidence(self, file: str, line: int, end_line: int | None = None) -> Evidence:
        text = self.texts[file]
        end = min(end_line or line, len(text))
        span = text.span(line, max(line, end))
        return Evidence(self.source_slugs[file], span, "curated")

    def resolve(self, named: Named, field: str, kinds: Iterable[Kind] = AGENT_KINDS) -> Resolution | None:
        found = self.registry.resolve(named.text, kinds)
        if found is None:
            self.unresolved.append(Unresolved(named.span.doc, named.span.start, field, named.text))
        return found

    # -- registry -------------------------------------------------------------------------------

    def registry_documents(self) -> None:
        """Each registry file is a source of its own, so curated facts point to file and line."""
        for file in sorted(self.texts):
            stem = file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            doc_slug = "source-register" if file.endswith("sources/register.yaml") else f"registry-{stem}"
            self.source_slugs[file] = doc_slug
        for file, doc_slug in sorted(self.source_slugs.items()):
            doc = self.ds.document(doc_slug)
            ev = self.registry_evidence(file, 1, 1)
            kind = "reference-list" if file.endswith(".csv") else "registry-file"
            self.ds.facts(
                doc,
                [
                    (RDF.type, iri(FOAF.Document)),
                    (DCTERMS.type, self.concept("document-kind", kind)),
                    (PKG.sourceFile, literal(file)),
                    (RDFS.label, literal(f"policykg registry file {file}", lang="en")),
                ],
                REGISTRY_GRAPH,
                ev,
            )
            if file.endswith("municipalities.csv"):
                self.ds.fact(
                    doc,
                    DCTERMS.bibliographicCitation,
                    literal(
                        "Statbel, REFNIS classification of Belgian municipalities 2018, as compiled in the public "
                        "repository vandenbroucke/belgian_municipalities (data/2018)"
                    ),
                    REGISTRY_GRAPH,
                    ev,
                )

    def registry_entries(self) -> None:
        for agent in sorted(self.registry.agents.values(), key=lambda a: (a.kind.value, a.id)):
            self._agent(agent)
        for domain in sorted(self.registry.domains.values(), key=lambda d: d.id):
            self._domain(domain)
        for plan in sorted(self.registry.plans.values(), key=lambda p: p.id):
            self._plan(plan)

    def _agent(self, agent: Agent) -> None:
        s = self.agent(agent)
        ev = self.registry_evidence(agent.where.file, agent.where.line, agent.where.end_line)
        g = REGISTRY_GRAPH
        pairs: list[tuple[object, ox.NamedNode | ox.Literal | None]] = [(RDFS.label, literal(agent.name, lang="nl"))]
        if agent.name_en:
            pairs.append((RDFS.label, literal(agent.name_en, lang="en")))
        pairs += [(PKG.acronym, literal(a, lang="nl")) for a in agent.acronyms]
        pairs += [(SKOS.altLabel, literal(a, lang="nl")) for a in agent.aliases]
        if agent.note:
            pairs.append((PKG.note, literal(agent.note)))
        if agent.kind in (Kind.POST, Kind.PORTFOLIO):
            classes = [ORG.Post] + ([PKG.MinisterialPortfolio] if agent.kind is Kind.PORTFOLIO else [])
            pairs += [(RDF.type, iri(c)) for c in classes]
            post_in = self.registry.agents[str(agent.extra["in"])]
            pairs.append((ORG.postIn, self.agent(post_in)))
            holder_id = agent.extra.get("holder")
            if holder_id:
                holder = self.registry.agents[str(holder_id)]
                pairs.append((ORG.heldBy, self.agent(holder)))
                if agent.kind is Kind.PORTFOLIO:
                    self._mandate(agent, holder, ev)
            self.ds.facts(s, pairs, g, ev)
            return
        if agent.kind is Kind.PERSON:
            pairs += [
                (RDF.type, iri(PERSON.Person)),
                (RDF.type, iri(FOAF.Agent)),
                (FOAF.name, literal(agent.name)),
                (PKG.publicOfficeHolder, literal(agent.public)),
            ]
            org_id = agent.extra.get("organisation")
            if org_id:
                pairs.append((ORG.memberOf, self.agent(self.registry.agents[str(org_id)])))
            self.ds.facts(s, pairs, g, ev)
            return
        # A group ("casemanagers", "lokale besturen") is a set of people or bodies the texts name
        # together, not an organisation: a foaf:Group, with the type and level its members share.
        classes = [FOAF.Group, FOAF.Agent] if agent.kind is Kind.GROUP else [ORG.Organization, FOAF.Agent]
        if agent.kind is Kind.COLLABORATION:
            classes.append(ORG.OrganizationalCollaboration)
        if agent.kind in (Kind.MUNICIPALITY, Kind.PROVINCE):
            classes.append(BESLUIT.Bestuurseenheid)
        if agent.public:
            classes.append(M8G.PublicOrganisation)
        pairs += [(RDF.type, iri(c)) for c in classes]
        if agent.type:
            pairs.append((PKG.actorType, self.concept("actor-type", agent.type)))
        if agent.level:
            pairs.append((PKG.governanceLevel, self.concept("level", agent.level)))
        if agent.parent:
            pairs.append((ORG.subOrganizationOf, self.agent(self.registry.agents[agent.parent])))
        if agent.domain:
            pairs.append((PKG.policyDomain, self.domain(self.registry.domains[agent.domain])))
        if agent.kind in (Kind.MUNICIPALITY, Kind.PROVINCE, Kind.REGION):
            pairs += self._territorial(agent, s, ev)
        self.ds.facts(s, pairs, g, ev)

    def _territorial(
        self, agent: Agent, s: ox.NamedNode, ev: Evidence
    ) -> list[tuple[object, ox.NamedNode | ox.Literal | None]]:
        nis = str(agent.extra["nis"])
        identifier = self.ds.id(f"identifier/nis/{nis}")
        self.ds.facts(
            identifier,
            [
                (RDF.type, iri(ADMS.Identifier)),
                (SKOS.notation, literal(nis)),
                (ADMS.schemaAgency, literal("Statbel (REFNIS)")),
            ],
            REGISTRY_GRAPH,
            ev,
        )
        pairs: list[tuple[object, ox.NamedNode | ox.Literal | None]] = [(ADMS.identifier, identifier)]
        if agent.kind is Kind.MUNICIPALITY:
            pairs.append((BESLUIT.classificatie, GEMEENTE))
            fr = agent.extra.get("name_fr")
            if fr and fr != agent.name:
                pairs.append((RDFS.label, literal(fr, lang="fr")))
            if agent.extra.get("province"):
                pairs.append((PKG.inProvince, self.agent(self.registry.agents[str(agent.extra["province"])])))
            pairs.append((PKG.inRegion, self.agent(self.registry.agents[str(agent.extra["region"])])))
            population = agent.extra.get("population")
            if population is not None:
                pairs.append((PKG.population, literal(int(population))))
        elif agent.kind is Kind.PROVINCE:
            pairs.append((BESLUIT.classificatie, PROVINCIE))
            pairs.append((PKG.inRegion, self.agent(self.registry.agents[str(agent.extra["region"])])))
        return pairs

    def _mandate(self, portfolio: Agent, holder: Agent, ev: Evidence) -> None:
        mandate = self.ds.id(f"mandate/{holder.id}/{portfolio.id}")
        self.ds.facts(
            mandate,
            [
                (RDF.type, iri(MANDAAT.Mandataris)),
                (MANDAAT.isBestuurlijkeAliasVan, self.agent(holder)),
                (ORG.holds, self.agent(portfolio)),
                (MANDAAT.start, literal(portfolio.extra["start"])),
                (MANDAAT.einde, literal(portfolio.extra["end"])),
                (RDFS.label, literal(f"{holder.name}, {portfolio.name}", lang="nl")),
            ],
            REGISTRY_GRAPH,
            ev,
        )

    def _domain(self, domain: Domain) -> None:
        s = self.domain(domain)
        ev = self.registry_evidence(domain.where.file, domain.where.line, domain.where.end_line)
        pairs: list[tuple[object, ox.NamedNode | ox.Literal | None]] = [
            (RDF.type, iri(SKOS.Concept)),
            (SKOS.inScheme, ox.NamedNode(f"{CONCEPT}policy-domain")),
            (SKOS.notation, literal(domain.notation)),
            (SKOS.prefLabel, literal(domain.name, lang="nl")),
        ]
        if domain.name_en:
            pairs.append((SKOS.prefLabel, literal(domain.name_en, lang="en")))
        pairs += [(PKG.competence, literal(c)) for c in domain.competences]
        if domain.note:
            pairs.append((PKG.note, literal(domain.note)))
        self.ds.facts(s, pairs, REGISTRY_GRAPH, ev)

    def _plan(self, plan: Plan) -> None:
        s = self.plan(plan.id)
        ev = self.registry_evidence(plan.where.file, plan.where.line, plan.where.end_line)
        cls = PKG.ActionPlan if plan.kind == "action-plan" else PKG.PolicyFramework
        pairs: list[tuple[object, ox.NamedNode | ox.Literal | None]] = [
            (RDF.type, iri(cls)),
            (DCTERMS.title, literal(plan.title, lang="nl")),
            (RDFS.label, literal(plan.title, lang="nl")),
        ]
        if plan.title_en:
            pairs.append((DCTERMS.title, literal(plan.title_en, lang="en")))
        if plan.adopted:
            pairs.append((DCTERMS.issued, literal(plan.adopted)))
        if plan.adopted_by:
            pairs.append((PROV.wasAttributedTo, self.agent(self.registry.agents[plan.adopted_by])))
        if plan.revises:
            pairs.append((PROV.wasRevisionOf, self.plan(plan.revises)))
        if plan.note:
            pairs.append((PKG.note, literal(plan.note)))
        self.ds.facts(s, pairs, REGISTRY_GRAPH, ev)

    # -- documents ------------------------------------------------------------------------------

    def document(self, source: Source, register_file: str) -> None:
        """The document resource, described from its register entry (curated facts)."""
        doc = self.ds.document(source.slug)
        ev = self.registry_evidence(register_file, source.where.line, source.where.end_line)
        publisher = self.registry.agents.get(source.publisher)
        if publisher is None:
            raise source.where.error(f"publisher {source.publisher!r} is not a registry id")
        pairs: list[tuple[object, ox.NamedNode | ox.Literal | None]] = [
            (RDF.type, iri(FOAF.Document)),
            (DCTERMS.title, literal(source.title, lang="nl")),
            (RDFS.label, literal(source.title, lang="nl")),
            (DCTERMS.type, self.concept("document-kind", source.kind)),
            (DCTERMS.issued, date_literal(source.date)),
            (PKG.asOf, literal(source.as_of)),
            (DCTERMS.publisher, self.agent(publisher)),
            (DCTERMS.language, literal(source.language)),
            (PKG.sourceFile, literal(source.file)),
            (PKG.sha256, literal(source.sha256)),
            (PKG.note, literal(f"Origin: {source.origin}. Licence: {source.licence}")),
        ]
        if source.title_en:
            pairs.append((DCTERMS.title, literal(source.title_en, lang="en")))
        if source.author:
            author = self.registry.agents.get(source.author)
            if author is None:
                raise source.where.error(f"author {source.author!r} is not a registry id")
            pairs.append((DCTERMS.creator, self.agent(author)))
        if source.plan:
            if source.plan not in self.registry.plans:
                raise source.where.error(f"plan {source.plan!r} is not in plans.yaml")
            pairs.append((PKG.reportsOn, self.plan(source.plan)))
        self.ds.facts(doc, pairs, REGISTRY_GRAPH, ev)

    # -- the progress report -------------------------------------------------------------------

    def progress_report(self, source: Source, report: ProgressReportRecord) -> None:
        if source.plan is None:
            raise source.where.error("a progress report needs the plan it reports on (field 'plan')")
        plan = source.plan
        g = source.slug
        doc = self.ds.document(source.slug)
        for line in report.policy_lines:
            s = self.ds.id(f"policy-line/{plan}/{line.number}")
            self.ds.facts(
                s,
                [
                    (RDF.type, iri(PKG.PolicyLine)),
                    (SKOS.notation, literal(str(line.number))),
                    (DCTERMS.title, literal(line.title, lang="nl")),
                    (RDFS.label, literal(f"Beleidslijn {line.number}: {line.title}", lang="nl")),
                    (DCTERMS.isPartOf, self.plan(plan)),
                ],
                g,
                Evidence(g, line.span, "parsed-structure"),
            )
        for cluster in report.clusters:
            s = self.ds.id(f"cluster/{plan}/{cluster.number}")
            parent = self.ds.id(f"policy-line/{plan}/{cluster.policy_line}") if cluster.policy_line else self.plan(plan)
            self.ds.facts(
                s,
                [
                    (RDF.type, iri(PKG.Cluster)),
                    (SKOS.notation, literal(str(cluster.number))),
                    (DCTERMS.title, literal(cluster.title, lang="nl")),
                    (RDFS.label, literal(f"Cluster {cluster.number}: {cluster.title}", lang="nl")),
                    (DCTERMS.isPartOf, parent),
                ],
                g,
                Evidence(g, cluster.span, "parsed-structure"),
            )
        for action in report.actions:
            self._action(source, plan, action, doc)

    def _action(self, source: Source, plan: str, action: ActionRecord, doc: ox.NamedNode) -> None:
        g = source.slug
        a = self.ds.id(f"action/{plan}/{action.code}")
        structure = Evidence(g, action.title_span, "parsed-structure")
        self.ds.facts(
            a,
            [
                (RDF.type, iri(PKG.Action)),
                (SKOS.notation, literal(action.code)),
                (DCTERMS.title, literal(action.title, lang="nl")),
                (RDFS.label, literal(f"Actie {action.code}: {action.title}", lang="nl")),
                (DCTERMS.isPartOf, self.ds.id(f"cluster/{plan}/{action.cluster}")),
            ],
            g,
            structure,
        )
        self.ds.fact(
            a, DCTERMS.description, literal(action.description, lang="nl"), g,
            Evidence(g, action.description_span, "parsed-structure"),
        )  # fmt: skip
        code = STATUS_CODES.get(action.status.text.lower())
        if code is None:
            self.unresolved.append(
                Unresolved(action.status.span.doc, action.status.span.start, "status", action.status.text)
            )
        else:
            self.ds.fact(
                a,
                PKG.status,
                self.concept("action-status", code),
                g,
                Evidence(g, action.status.span, "parsed-structure"),
            )

        for minister in action.ministers:
            found = self.resolve(minister, "minister", (Kind.PORTFOLIO,))
            ev = Evidence(g, minister.span, "gazetteer-match")
            for post in found.agents if found else ():
                r = self.ds.id(f"responsibility/{plan}/{action.code}/{post.id}")
                self.ds.facts(
                    r,
                    [(RDF.type, iri(PKG.Responsibility)), (PKG.post, self.agent(post)),
                     (PKG.asWritten, literal(minister.text))],
                    g,
                    ev,
                )  # fmt: skip
                self.ds.fact(a, PKG.qualifiedResponsibility, r, g, ev)
                self.ds.fact(a, PKG.responsibleMinister, self.agent(post), g, ev)

        for written in action.domains:
            domain = self.registry.domain(written.text)
            if domain is None:
                self.unresolved.append(Unresolved(written.span.doc, written.span.start, "policy domain", written.text))
                continue
            d = self.ds.id(f"domain-involvement/{plan}/{action.code}/{domain.id}")
            ev = Evidence(g, written.span, "gazetteer-match")
            self.ds.facts(
                d,
                [
                    (RDF.type, iri(PKG.DomainInvolvement)),
                    (PKG.domain, self.domain(domain)),
                    (PKG.coordinating, literal(written.coordinating)),
                    (PKG.asWritten, literal(written.text)),
                ],
                g,
                ev,
            )
            self.ds.fact(a, PKG.qualifiedDomainInvolvement, d, g, ev)
            self.ds.fact(a, PKG.policyDomain, self.domain(domain), g, ev)
            if written.coordinating:
                self.ds.fact(a, PKG.coordinatingDomain, self.domain(domain), g, ev)

        for party in action.involved:
            found = self.resolve(party, "other party")
            if found is None:
                continue
            i = self.ds.id(f"involvement/{plan}/{action.code}/{slug(party.text)}")
            ev = Evidence(g, party.span, "gazetteer-match")
            self.ds.facts(i, [(RDF.type, iri(PKG.Involvement)), (PKG.asWritten, literal(party.text))], g, ev)
            self.ds.fact(a, PKG.qualifiedInvolvement, i, g, ev)
            for agent in found.agents:
                self.ds.fact(i, PKG.agent, self.agent(agent), g, ev)
                self.ds.fact(a, PKG.involvedParty, self.agent(agent), g, ev)

        reports: list[ox.NamedNode] = []
        for row in action.rows:
            rep = self.ds.id(f"action-report/{plan}/{action.code}/{source.slug}/{row.index + 1}")
            reports.append(rep)
            ev = Evidence(g, row.span, "parsed-structure")
            label = " / ".join(row.competences) or "zonder bevoegdheid"
            pairs: list[tuple[object, ox.NamedNode | ox.Literal | None]] = [
                (RDF.type, iri(PKG.ActionReport)),
                (PKG.action, a),
                (PKG.reportedIn, doc),
                (DCTERMS.date, date_literal(source.date)),
                (
                    RDFS.label,
                    literal(f"Rapportering actie {action.code} ({label}), {source.date.iso}", lang="nl"),
                ),
                (PKG.reportText, literal(row.text, lang="nl") if row.text else None),
                (PKG.budgetText, literal(row.budget_text) if row.budget_text else None),
            ]
            for competence in row.competences:
                pairs.append((PKG.competence, literal(competence)))
                domain = self.registry.competence_domain(competence)
                if domain is not None:
                    pairs.append((PKG.competenceDomain, self.domain(domain)))
            self.ds.facts(rep, pairs, g, ev)

        budget_iris: list[ox.NamedNode] = []
        for number, budget in enumerate(action.budgets):
            b = self.ds.id(f"budget-line/{plan}/{action.code}/{source.slug}/{budget.span.start}-{number + 1}")
            budget_iris.append(b)
            ev = Evidence(g, budget.span, "parsed-structure")
            pairs = [
                (RDF.type, iri(PKG.BudgetLine)),
                (PKG.action, a),
                (PKG.report, reports[budget.row] if budget.row < len(reports) else None),
                (PKG.reportedIn, doc),
                (PKG.amount, literal(budget.amount)),
                (PKG.periodText, literal(budget.period) if budget.period else None),
                (PKG.note, literal(budget.note) if budget.note else None),
                (
                    PKG.breakdownOf,
                    budget_iris[budget.breakdown_of] if budget.breakdown_of is not None else None,
                ),
            ]
            pairs += [(PKG.competence, literal(c)) for c in budget.competences]
            self.ds.facts(b, pairs, g, ev)
            if budget.recipient is not None:
                rev = Evidence(g, budget.recipient.span, "gazetteer-match")
                self.ds.fact(b, PKG.recipientAsWritten, literal(budget.recipient.text), g, rev)
                found = self.resolve(budget.recipient, "budget recipient")
                for agent in found.agents if found else ():
                    self.ds.fact(b, PKG.recipient, self.agent(agent), g, rev)

    # -- the concept note ---------------------------------------------------------------------------

    def concept_note(self, source: Source, note: ConceptNoteRecord) -> None:
        g = source.slug
        plan = source.plan
        if plan is None:
            raise source.where.error("a concept note needs the framework it sets out (field 'plan')")
        for field in note.fields_of_action:
            s = self.ds.id(f"field-of-action/{plan}/{field.number}")
            self.ds.facts(
                s,
                [
                    (RDF.type, iri(PKG.FieldOfAction)),
                    (SKOS.notation, literal(str(field.number))),
                    (DCTERMS.title, literal(field.title, lang="nl")),
                    (RDFS.label, literal(f"Actieterrein {field.number}: {field.title}", lang="nl")),
                    (DCTERMS.isPartOf, self.plan(plan)),
                ],
                g,
                Evidence(g, field.span, "parsed-structure"),
            )
        for collaboration in note.collaborations:
            found = self.resolve(collaboration.name, "collaboration", (Kind.COLLABORATION,))
            if found is None or not found.agents:
                continue
            body = found.agents[0]
            for member in collaboration.members:
                who = self.resolve(Named(member.text, member.span), f"member of {body.name}")
                for agent in who.agents if who else ():
                    m = self.ds.id(f"membership/{body.id}/{agent.id}")
                    ev = Evidence(g, member.span, "pattern")
                    self.ds.facts(
                        m,
                        [
                            (RDF.type, iri(ORG.Membership)),
                            (ORG.organization, self.agent(body)),
                            (ORG.member, self.agent(agent)),
                            (ORG.role, self.concept("participation-role", member.role)),
                            (PKG.attestedOn, literal(source.as_of)),
                        ],
                        g,
                        ev,
                    )
                    self.ds.fact(self.agent(body), ORG.hasMember, self.agent(agent), g, ev)


# -- events ------------------------------------------------------------------------------------


def event_slugs(events: list[Event]) -> list[str]:
    """Readable, stable IRI slugs: date plus the body, organiser, place or kind; numbered on a clash."""
    slugs: list[str] = []
    seen: dict[str, int] = {}
    for event in events:
        defining = event.defining
        organisers = [p for p in event.participants if p.role == "organiser"]
        if defining.body is not None:
            tail = defining.body.id
        elif organisers:
            tail = f"{defining.kind}-{organisers[0].agents[0].id}"
        elif defining.place is not None:
            tail = f"{defining.kind}-{slug(defining.place.name)}"
        else:
            tail = f"{defining.kind}-{slug(' '.join(defining.title.split()[:4]))}"
        base = f"{defining.date.iso}-{tail}"[:90].rstrip("-")
        seen[base] = seen.get(base, 0) + 1
        slugs.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return slugs


def _event_date(when: EventDate) -> ox.Literal:
    return date_literal(when.value)


class EventMapper:
    """Writes merged events into the graphs of the documents that mention them."""

    ROLE_CODES = ("organiser", "chair", "presenter", "participant", "invited", "observer")

    def __init__(self, mapper: Mapper) -> None:
        self.mapper = mapper
        self.ds = mapper.ds

    def events(self, events: list[Event], plans: dict[str, str]) -> None:
        for event, event_slug in zip(events, event_slugs(events), strict=True):
            self._event(self.ds.id(f"event/{event_slug}"), event, event_slug, plans)

    def _event(self, e: ox.NamedNode, event: Event, event_slug: str, plans: dict[str, str]) -> None:
        # Kind, title and body as the mention that says most about them tells it (the one naming the
        # body, else the first), the place as the first mention that gives one; each with its evidence.
        defining = event.defining
        placed = next((m for m in event.mentions if m.place is not None or m.place_text), None)
        for mention in event.mentions:
            g = mention.source
            ev = Evidence(g, mention.span, "pattern")
            pairs: list[tuple[object, ox.NamedNode | ox.Literal | None]] = [
                (RDF.type, iri(PKG.Event)),
                (PKG.date, _event_date(mention.date)),
                (PKG.mentionedIn, self.ds.document(mention.source)),
            ]
            if mention is placed:
                pairs += [
                    (PROV.atLocation, self.mapper.agent(mention.place) if mention.place else None),
                    (PKG.placeText, literal(mention.place_text) if mention.place is None and mention.place_text
                     else None),
                ]  # fmt: skip
            if mention is defining:
                pairs += [
                    (PKG.eventKind, self.mapper.concept("event-kind", defining.kind)),
                    (DCTERMS.title, literal(defining.title, lang="nl")),
                    (RDFS.label, literal(f"{defining.title} ({defining.date.written})", lang="nl")),
                    (PKG.planned, literal(defining.planned)),
                    (PKG.endDate, literal(defining.date.end) if defining.date.end else None),
                    (PKG.dateText, literal(defining.date.text) if defining.date.text else None),
                    (PKG.earliest, literal(defining.date.earliest) if defining.date.text else None),
                    (PKG.latest, literal(defining.date.latest) if defining.date.text else None),
                    (PKG.sessionOf, self.mapper.agent(defining.body) if defining.body else None),
                ]
                if defining.kind == "meeting":
                    pairs += [(RDF.type, iri(PKG.Meeting)), (RDF.type, iri(BESLUIT.Vergaderactiviteit))]
            if mention.action and mention.source in plans:
                pairs.append((PKG.action, self.ds.id(f"action/{plans[mention.source]}/{mention.action}")))
            self.ds.facts(e, pairs, g, ev)
            for participant in mention.participants:
                for agent in participant.agents:
                    p = self.ds.id(f"participation/{event_slug}/{agent.id}-{participant.role}")
                    pev = Evidence(g, participant.span, "gazetteer-match")
                    self.ds.facts(
                        p,
                        [
                            (RDF.type, iri(PKG.Participation)),
                            (PROV.agent, self.mapper.agent(agent)),
                            (PROV.hadRole, self.mapper.concept("participation-role", participant.role)),
                            (PKG.asWritten, literal(participant.written)),
                        ],
                        g,
                        pev,
                    )
                    self.ds.fact(e, PROV.qualifiedAssociation, p, g, pev)
                    self.ds.fact(e, PKG.participant, self.mapper.agent(agent), g, pev)
                    if defining.kind == "meeting":
                        self.ds.fact(e, BESLUIT.heeftAanwezige, self.mapper.agent(agent), g, pev)


# -- grants and projects ----------------------------------------------------------------------


class GrantMapper:
    """Writes grants, their calls (with printed totals) and projects."""

    def __init__(self, mapper: Mapper, documents: dict[str, Text]) -> None:
        self.mapper = mapper
        self.ds = mapper.ds
        self.documents = documents
        self.registry = mapper.registry
        self._projects_by_name = {
            normalise(name): project
            for project in self.registry.projects.values()
            for name in (project.name, *project.aliases)
        }

    def project_iri(self, name: str) -> tuple[ox.NamedNode, bool]:
        """The IRI of a named project, and whether the registry curates it."""
        curated = self._projects_by_name.get(normalise(name))
        if curated is not None:
            return self.ds.id(f"project/{curated.id}"), True
        return self.ds.id(f"project/{slug(name)}"), False

    def curated_projects(self) -> None:
        for project in sorted(self.registry.projects.values(), key=lambda p: p.id):
            if project.source_document is None or project.source_lines is None:
                ev = self.mapper.registry_evidence(project.where.file, project.where.line, project.where.end_line)
                graph = REGISTRY_GRAPH
            else:
                text = self.documents[project.source_document]
                ev = Evidence(project.source_document, text.span(*project.source_lines), "curated")
                graph = project.source_document
            s = self.ds.id(f"project/{project.id}")
            pairs: list[tuple[object, ox.NamedNode | ox.Literal | None]] = [
                (RDF.type, iri(PKG.Project)),
                (DCTERMS.title, literal(project.name, lang="nl")),
                (RDFS.label, literal(project.name, lang="nl")),
                (PKG.funder, self.mapper.agent(self.registry.agents[project.funder]) if project.funder else None),
                (PKG.date, date_literal(PartialDate.parse(project.start)) if project.start else None),
                (PKG.endDate, date_literal(PartialDate.parse(project.end)) if project.end else None),
                (PKG.periodText, literal(project.period_text) if project.period_text else None),
                (PKG.note, literal(project.note) if project.note else None),
                (PKG.mentionedIn, self.ds.document(project.source_document) if project.source_document else None),
            ]
            pairs += [(PKG.implementer, self.mapper.agent(self.registry.agents[i])) for i in project.implementers]
            if project.action:
                plan, code = project.action.split("/", 1)
                pairs.append((PKG.action, self.ds.id(f"action/{plan}/{code}")))
            self.ds.facts(s, pairs, graph, ev)

    def grants(self, source: Source, plan: str, action: ActionRecord, grants: list[GrantRecord]) -> None:
        g = source.slug
        a = self.ds.id(f"action/{plan}/{action.code}")
        calls: dict[int, list[GrantRecord]] = {}
        for grant in grants:
            if not grant.from_budget_column:
                calls.setdefault(grant.row, []).append(grant)
        call_iris = {row: self.ds.id(f"grant-call/{plan}/{action.code}/{row + 1}") for row in calls}
        for row, members in sorted(calls.items()):
            total = members[0].total
            parts = sum((m.amount for m in members if m.amount is not None), Decimal(0))
            span = Span(g, min(m.span.start for m in members), max(m.span.end for m in members), "")
            text = self.documents[g]
            ev = Evidence(g, text.span(span.start, span.end), "parsed-structure")
            competence = " / ".join(action.rows[row].competences) if row < len(action.rows) else ""
            self.ds.facts(
                call_iris[row],
                [
                    (RDF.type, iri(PKG.GrantCall)),
                    (
                        DCTERMS.title,
                        literal(f"Subsidies in actie {action.code} ({competence or 'rapportering'})", lang="nl"),
                    ),
                    (
                        RDFS.label,
                        literal(f"Subsidies in actie {action.code} ({competence or 'rapportering'})", lang="nl"),
                    ),
                    (PKG.action, a),
                    (PKG.printedTotal, literal(total) if total is not None else None),
                    (PKG.totalMatchesParts, literal(total == parts) if total is not None else None),
                ],
                g,
                ev,
            )
        for grant in grants:
            s = self.ds.id(f"grant/{plan}/{action.code}/{grant.span.start}-{grant.recipient.id}")
            ev = Evidence(g, grant.span, "parsed-structure" if grant.from_budget_column else "pattern")
            competences = action.rows[grant.row].competences if grant.row < len(action.rows) else ()
            domain = next((d for c in competences if (d := self.registry.competence_domain(c))), None)
            funder = self.registry.agents.get(domain.funder) if domain and domain.funder else None
            pairs: list[tuple[object, ox.NamedNode | ox.Literal | None]] = [
                (RDF.type, iri(PKG.Grant)),
                (RDFS.label, literal(f"Subsidie aan {grant.recipient.name} (actie {action.code})", lang="nl")),
                (PKG.recipient, self.mapper.agent(grant.recipient)),
                (PKG.recipientAsWritten, literal(grant.recipient_written)),
                (PKG.amount, literal(grant.amount) if grant.amount is not None else None),
                (PKG.action, a),
                (PKG.funder, self.mapper.agent(funder) if funder else None),
                (PKG.periodText, literal(grant.period) if grant.period else None),
                (DCTERMS.spatial, self.mapper.agent(grant.location) if grant.location else None),
                (PKG.call, call_iris.get(grant.row) if not grant.from_budget_column else None),
                (PKG.mentionedIn, self.ds.document(g)),
            ]
            if grant.project:
                project, curated = self.project_iri(grant.project)
                pairs.append((PKG.project, project))
                if not curated:
                    self.ds.facts(
                        project,
                        [
                            (RDF.type, iri(PKG.Project)),
                            (DCTERMS.title, literal(grant.project, lang="nl")),
                            (RDFS.label, literal(grant.project, lang="nl")),
                            (PKG.implementer, self.mapper.agent(grant.recipient)),
                            (PKG.funder, self.mapper.agent(funder) if funder else None),
                            (PKG.periodText, literal(grant.period) if grant.period else None),
                            (PKG.action, a),
                            (PKG.mentionedIn, self.ds.document(g)),
                        ],
                        g,
                        ev,
                    )
            self.ds.facts(s, pairs, g, ev)
