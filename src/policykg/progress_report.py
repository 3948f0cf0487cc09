"""Parser of the half-yearly progress report's structure (the action blocks and their tables).

The report is plain text extracted from a PDF. Each action block reads::

    Actie 1.1 <action text ...>
    Status actie Lopende
    Verantwoordelijke ministers   <one minister per line>
    Beleidsdomeinen               <one domain per line, "(coördinatie)" marks the coordinator>
    Andere betrokkenen            <comma-separated and/or one per line>
    Rapportage
    Bevoegdheden Beschrijving Budget
    <competence> <description ...>        <budget column>

Two PDF artefacts make this more than a line-by-line read. The budget column comes out as runs of
very short lines wedged between description lines, often pages away from its row; and the
competence column can be printed before the description it labels, or in the middle of a sentence
at a page break. The parser separates the columns by line width, and places row boundaries by the
geometry the PDF left behind (see :func:`_row_starts`). Nothing here knows the action codes, the
ministers or the amounts of this particular report: they are all read from the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from .amounts import AmountError, find_amounts
from .records import (
    ActionRecord,
    BudgetRecord,
    ClusterRecord,
    DomainRecord,
    Named,
    PolicyLineRecord,
    Problem,
    ProgressReportRecord,
    ReportRowRecord,
)
from .text import Text, collapse, first_sentence, join_lines

PAGE_MARKER = re.compile(r"^\s*Pagina \d+ van \d+\s*$")
URL_ONLY = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")
ACTION = re.compile(r"^\s*Actie (\d{1,2})\.(\d{1,2})\b\s*(.*)$")
CLUSTER = re.compile(r"^\s*(\d{1,2})\.\s+(\S.*?)\s*$")
POLICY_LINE_ITEM = re.compile(r"^\s*(\d)\)\s+(.+?)\s*[;.]?\s*$")
STATUS = re.compile(r"^\s*Status actie\b\s*(.*?)\s*$")
MINISTERS = re.compile(r"^\s*Verantwoordelijke\b\s*(ministers\b)?\s*(.*?)\s*$")
DOMAINS = re.compile(r"^\s*Beleidsdomeinen\b\s*(.*?)\s*$")
INVOLVED = re.compile(r"^\s*Andere betrokkenen\b\s*(.*?)\s*$")
REPORTING = re.compile(r"^\s*Rapportage\s*$")
TABLE_HEADER = re.compile(r"\bBeschrijving\b.*\bBudget\b")
COORDINATING = re.compile(r"\(\s*coördinatie\s*\)", re.IGNORECASE)
YEAR = re.compile(r"\b(19|20)\d\d\b")
PERIOD_WORDS = re.compile(r"\b(periode|schooljaar|jaarlijks|jaar|maand|maanden)\b", re.IGNORECASE)

BUDGET_WIDTH = 24
"""Lines of the budget column are at most this many characters; description lines run to ~65."""

LIST_MARKER = re.compile(r"^\s*(?:[-•▪\uf0b7\uf02d]|o\s|\d+[.)]\s)")
SENTENCE_END = re.compile(r"[.:;!?)\]”\"’]\s*$|euro\s*$")


def _stripped(line: str) -> str:
    return line.strip()


def is_noise(line: str) -> bool:
    """PDF artefacts that carry no content: page markers and link annotations repeating a URL."""
    return bool(PAGE_MARKER.match(line) or URL_ONLY.match(line))


@dataclass(frozen=True)
class _Row:
    start: int
    labels: tuple[str, ...]
    first_text: str | None = None  # text after the label on the label's own line


class ProgressReportParser:
    """Reads one progress report. ``competences`` are the labels of the table's first column;
    ``is_actor`` tells whether a phrase in the budget column names a registry actor (a recipient)."""

    def __init__(self, text: Text, competences: Sequence[str], is_actor: Callable[[str], bool]) -> None:
        self.text = text
        self.competences = tuple(sorted(competences, key=lambda c: (-len(c), c)))
        self._competence_keys = {c.lower(): c for c in self.competences}
        self.is_actor = is_actor
        self.problems: list[Problem] = []

    # -- helpers over line numbers (1-based) ----------------------------------------------------

    def _line(self, n: int) -> str:
        return self.text.line(n)

    def _content(self, n: int) -> str:
        line = self._line(n)
        return "" if is_noise(line) else line.strip()

    def _next_content(self, n: int, end: int) -> int | None:
        for i in range(n, end + 1):
            if self._content(i):
                return i
        return None

    def _problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.text.doc, line, message))

    # -- document structure ---------------------------------------------------------------------

    def parse(self) -> ProgressReportRecord:
        n_lines = len(self.text)
        actions_at = [i for i in range(1, n_lines + 1) if ACTION.match(self._line(i))]
        if not actions_at:
            self._problem(1, "no 'Actie N.M' lines found; is this a progress report?")
            return ProgressReportRecord((), (), (), tuple(self.problems))
        policy_lines = self._policy_lines(actions_at[0])
        markers: dict[int, tuple[str, object]] = {}
        for i in actions_at:
            markers[i] = ("action", None)
        clusters: list[ClusterRecord] = []
        current_policy: int | None = None
        titles = {collapse(p.title).lower(): p for p in policy_lines}
        for i in range(actions_at[0] - 20 if actions_at[0] > 20 else 1, n_lines + 1):
            content = self._content(i)
            if not content:
                continue
            key = collapse(content).rstrip(" .").lower()
            if key in titles:
                current_policy = titles[key].number
                markers[i] = ("policy", titles[key])
                continue
            m = CLUSTER.match(self._line(i))
            if m and not ACTION.match(self._line(i)):
                nxt = self._next_content(i + 1, n_lines)
                am = ACTION.match(self._line(nxt)) if nxt else None
                if am and am.group(1) == m.group(1) and am.group(2) == "1":
                    number = int(m.group(1))
                    clusters.append(ClusterRecord(number, m.group(2).rstrip(" ."), current_policy, self.text.span(i)))
                    markers[i] = ("cluster", number)
        ordered = sorted(markers)
        actions: list[ActionRecord] = []
        cluster_of_line = sorted((c.span.start, c.number) for c in clusters)
        for i in actions_at:
            following = [m for m in ordered if m > i]
            end = (following[0] - 1) if following else n_lines
            cluster = max((num for start, num in cluster_of_line if start < i), default=0)
            action = self._action(i, end, cluster)
            if action is not None:
                actions.append(action)
        self._check_sequence(actions)
        return ProgressReportRecord(tuple(policy_lines), tuple(clusters), tuple(actions), tuple(self.problems))

    def _policy_lines(self, before: int) -> list[PolicyLineRecord]:
        found = []
        for i in range(1, before):
            m = POLICY_LINE_ITEM.match(self._line(i))
            if m:
                title = m.group(2).rstrip(" ;.")
                found.append(PolicyLineRecord(int(m.group(1)), title[:1].upper() + title[1:], self.text.span(i)))
        return found

    def _check_sequence(self, actions: list[ActionRecord]) -> None:
        seen: set[str] = set()
        for a in actions:
            if a.code in seen:
                self._problem(a.span.start, f"action {a.code} appears twice")
            seen.add(a.code)
            if int(a.code.split(".")[0]) != a.cluster:
                self._problem(a.span.start, f"action {a.code} stands under cluster {a.cluster}")

    # -- one action block -----------------------------------------------------------------------

    def _find(self, pattern: re.Pattern[str], start: int, end: int) -> int | None:
        for i in range(start, end + 1):
            if pattern.match(self._line(i)):
                return i
        return None

    def _action(self, start: int, end: int, cluster: int) -> ActionRecord | None:
        m = ACTION.match(self._line(start))
        assert m is not None
        code = f"{int(m.group(1))}.{int(m.group(2))}"
        status_at = self._find(STATUS, start, end)
        ministers_at = self._find(MINISTERS, start, end)
        domains_at = self._find(DOMAINS, start, end)
        if status_at is None or ministers_at is None or domains_at is None:
            self._problem(
                start,
                f"action {code}: missing 'Status actie', 'Verantwoordelijke ministers' or 'Beleidsdomeinen'",
            )
            return None
        involved_at = self._find(INVOLVED, domains_at, end)
        reporting_at = self._find(REPORTING, domains_at, end) or end + 1

        # Action text: everything from after the code to the status line.
        first = m.group(3)
        numbered = [(start, first)] + [
            (i, self._line(i)) for i in range(start + 1, status_at) if not is_noise(self._line(i))
        ]
        body = [line for _, line in numbered]
        description = join_lines(body)
        title = first_sentence(description)
        title_end = start
        consumed = len(collapse(first))
        for i in range(start + 1, status_at):
            if consumed >= len(title):
                break
            consumed += len(collapse(self._line(i))) + 1
            title_end = i
        title_span = self.text.span(start, max(title_end, start))

        status_value = STATUS.match(self._line(status_at)).group(1)  # type: ignore[union-attr]
        status_line = status_at
        if not status_value:
            nxt = self._next_content(status_at + 1, ministers_at - 1)
            status_value = self._content(nxt) if nxt else ""
            status_line = nxt or status_at
        if not status_value:
            self._problem(status_at, f"action {code}: empty status")
        status = Named(collapse(status_value), self.text.span(status_line))

        # Ministers: "Verantwoordelijke" may be followed by "ministers" on the next line.
        mm = MINISTERS.match(self._line(ministers_at))
        assert mm is not None
        list_from = ministers_at + 1
        if not mm.group(1):
            nxt = self._next_content(ministers_at + 1, domains_at - 1)
            if nxt is None or not self._content(nxt).lower().startswith("ministers"):
                self._problem(ministers_at, f"action {code}: 'Verantwoordelijke' is not followed by 'ministers'")
            else:
                list_from = nxt + 1
        ministers = []
        if mm.group(2):
            ministers.append(Named(collapse(mm.group(2)), self.text.span(ministers_at)))
        ministers += [
            Named(collapse(self._content(i)), self.text.span(i))
            for i in range(list_from, domains_at)
            if self._content(i)
        ]

        dm = DOMAINS.match(self._line(domains_at))
        assert dm is not None
        domain_end = (involved_at or reporting_at) - 1
        domain_items: list[tuple[str, int]] = []
        if dm.group(1):
            domain_items.append((dm.group(1), domains_at))
        domain_items += [(self._content(i), i) for i in range(domains_at + 1, domain_end + 1) if self._content(i)]
        domains = []
        for item, line in domain_items:
            for part in item.split(","):
                part = part.strip()
                if not part:
                    continue
                coordinating = bool(COORDINATING.search(part))
                name = collapse(COORDINATING.sub("", part))
                domains.append(DomainRecord(name, coordinating, self.text.span(line)))

        involved: list[Named] = []
        if involved_at is not None:
            im = INVOLVED.match(self._line(involved_at))
            assert im is not None
            pieces: list[tuple[str, int]] = []
            if im.group(1):
                pieces.append((im.group(1), involved_at))
            pieces += [(self._content(i), i) for i in range(involved_at + 1, reporting_at) if self._content(i)]
            involved = self._split_parties(pieces)

        rows, budgets = self._table(code, reporting_at, end)
        return ActionRecord(
            code=code,
            cluster=cluster,
            title=title,
            description=description,
            title_span=title_span,
            description_span=self.text.span(start, max(start, status_at - 1)),
            description_lines=tuple(numbered),
            status=status,
            ministers=tuple(ministers),
            domains=tuple(domains),
            involved=tuple(involved),
            rows=tuple(rows),
            budgets=tuple(budgets),
            span=self.text.span(start, end),
        )

    def _split_parties(self, pieces: list[tuple[str, int]]) -> list[Named]:
        """Split the 'Andere betrokkenen' field into parties.

        A comma anywhere means the field is a comma-separated list that may wrap over lines
        ("Groep \\nIntro vzw"); without commas each line is one party.
        """
        if any("," in text for text, _ in pieces):
            joined = ""
            owners: list[int] = []
            for text, line in pieces:
                if joined:
                    joined += " "
                    owners.append(line)
                joined += text
                owners.extend([line] * len(text))
            parties = []
            position = 0
            for chunk in joined.split(","):
                start = position
                position += len(chunk) + 1
                name = collapse(chunk)
                if not name:
                    continue
                offset = start + (len(chunk) - len(chunk.lstrip()))
                lines = owners[offset : offset + len(chunk.strip())]
                parties.append(Named(name, self.text.span(min(lines), max(lines))))
            return parties
        return [Named(collapse(text), self.text.span(line)) for text, line in pieces]

    # -- the reporting table --------------------------------------------------------------------

    def _label_at(self, n: int, end: int) -> tuple[tuple[str, ...], int, str | None] | None:
        """If line ``n`` holds a competence label, return (labels, last line used, text after it)."""
        content = self._content(n)
        if not content:
            return None
        key = collapse(content).lower()
        if key in self._competence_keys:
            return (self._competence_keys[key],), n, None
        nxt = self._next_content(n + 1, min(n + 1, end))
        if nxt is not None:
            joined = collapse(f"{content} {self._content(nxt)}").lower()
            if joined in self._competence_keys:
                return (self._competence_keys[joined],), nxt, None
        for label in self.competences:
            if content.startswith(label + " ") or content.startswith(label + "\t"):
                rest = content[len(label) :].strip()
                if rest and (rest[0].isupper() or rest[0].isdigit() or rest[0] in "‘“'\"("):
                    return (label,), n, rest
        return None

    def _budget_lines(self, start: int, end: int, label_lines: set[int]) -> list[list[int]]:
        """Runs of budget-column lines in ``start..end``: short lines holding an amount or VTE."""
        runs: list[list[int]] = []
        current: list[int] = []

        def close() -> None:
            while current and not self._content(current[-1]):
                current.pop()
            text = " ".join(self._content(i) for i in current)
            if current and (find_amounts(text) or re.search(r"\bVTE\b", text)):
                runs.append(list(current))
            current.clear()

        previous_content = ""
        for i in range(start, end + 1):
            content = self._content(i)
            if not content:
                if current:
                    current.append(i)
                continue
            is_list_tail = bool(
                re.match(r"^\(?[\d.,]+\s*euro\)?\s*[;,.]\s*$", content) and LIST_MARKER.match(previous_content)
            )
            short = len(content) <= BUDGET_WIDTH and not LIST_MARKER.match(content) and not is_list_tail
            # A short line right under a long line that has not finished its sentence is that
            # paragraph's last line, not the start of a budget run.
            above = self._content(i - 1) if i > start else ""
            tail = not current and len(above) > BUDGET_WIDTH and not SENTENCE_END.search(above)
            if short and not tail and i not in label_lines:
                if not current:
                    current = [i]
                else:
                    current.append(i)
            else:
                close()
                current = []
            previous_content = content
        close()
        return runs

    def _table(self, code: str, reporting_at: int, end: int) -> tuple[list[ReportRowRecord], list[BudgetRecord]]:
        if reporting_at > end:
            return [], []
        header_at = None
        for i in range(reporting_at, end + 1):
            if TABLE_HEADER.search(self._line(i)):
                header_at = i
                break
        if header_at is None:
            self._problem(reporting_at, f"action {code}: no 'Bevoegdheden Beschrijving Budget' table header")
            return [], []
        first, last = header_at + 1, end
        labels: dict[int, tuple[tuple[str, ...], int, str | None]] = {}
        i = first
        while i <= last:
            found = self._label_at(i, last)
            if found:
                labels[i] = found
                i = found[1] + 1
            else:
                i += 1
        label_lines = {j for i, (_, used, _) in labels.items() for j in range(i, used + 1)}
        runs = self._budget_lines(first, last, label_lines)
        budget_line_set = {i for run in runs for i in run}
        # A label+text line only starts a row at a row boundary; inside a sentence it is just text.
        for i in sorted(labels):
            rest = labels[i][2]
            if rest is not None and not self._at_boundary(i, first, budget_line_set):
                del labels[i]
        label_lines = {j for i, (_, used, rest) in labels.items() if rest is None for j in range(i, used + 1)}
        starts = self._row_starts(first, last, labels, budget_line_set)
        rows: list[ReportRowRecord] = []
        budgets: list[BudgetRecord] = []
        for index, row in enumerate(starts):
            row_end = starts[index + 1].start - 1 if index + 1 < len(starts) else last
            numbered: list[tuple[int, str]] = []
            if row.first_text:
                numbered.append((row.start, row.first_text))
            body_from = row.start + 1 if row.first_text else row.start
            for j in range(body_from, row_end + 1):
                if j in budget_line_set or j in label_lines or j in labels or is_noise(self._line(j)):
                    continue
                numbered.append((j, self._line(j)))
            text_lines = [line for _, line in numbered]
            row_runs = [run for run in runs if row.start <= run[0] <= row_end]
            budget_text = "\n".join(" ".join(self._content(j) for j in run if self._content(j)) for run in row_runs)
            spanned = [j for j in range(row.start, row_end + 1) if self._content(j) and j not in label_lines]
            span = self.text.span(min(spanned), max(spanned)) if spanned else self.text.span(row.start)
            rows.append(ReportRowRecord(index, row.labels, join_lines(text_lines), budget_text, span, tuple(numbered)))
            for run in row_runs:
                budgets.extend(self._parse_budget_run(run, row.labels, index, len(budgets)))
        return rows, budgets

    def _previous_text(self, n: int, first: int, skip: set[int]) -> str | None:
        for j in range(n - 1, first - 1, -1):
            if j in skip:
                continue
            content = self._content(j)
            if content:
                return content
        return None

    def _at_boundary(self, n: int, first: int, budget_lines: set[int]) -> bool:
        """True if line ``n`` begins after a finished sentence (or at the top of the table)."""
        previous = self._previous_text(n, first, budget_lines)
        return previous is None or bool(SENTENCE_END.search(previous)) or previous in self._competence_keys.values()

    def _paragraph_start(self, n: int, last: int, first: int, skip: set[int]) -> int:
        """The first line from ``n`` on that opens a paragraph after a finished sentence."""
        for j in range(n, last + 1):
            if j in skip or not self._content(j):
                continue
            blank_before = j - 1 >= first and not self._content(j - 1)
            previous = self._previous_text(j, first, skip)
            if previous is None or (blank_before and SENTENCE_END.search(previous)):
                return j
        return last + 1

    def _row_starts(
        self,
        first: int,
        last: int,
        labels: dict[int, tuple[tuple[str, ...], int, str | None]],
        budget: set[int],
    ) -> list[_Row]:
        """Where each table row starts.

        Labels stacked on consecutive lines share one cell. Labels printed one above another with
        blank lines between them are separate rows whose descriptions follow all the labels; the
        vertical distance between the labels is the length of each row's description, as the PDF
        laid it out. A label met in the middle of a sentence (a page break) starts its row at the
        next paragraph.
        """
        label_positions = sorted(labels)
        skip = budget | {j for i, (_, used, rest) in labels.items() if rest is None for j in range(i, used + 1)}
        rows: list[_Row] = []
        top = self._next_content(first, last)
        while top is not None and top in budget:
            top = self._next_content(top + 1, last)
        if top is not None and top not in labels:
            rows.append(_Row(top, ()))
        index = 0
        while index < len(label_positions):
            at = label_positions[index]
            labs, used, rest = labels[at]
            if rest is not None:
                rows.append(_Row(at, labs, rest))
                index += 1
                continue
            # Collect a group of label-only lines with no description text between them.
            cells: list[tuple[int, list[str]]] = [(at, list(labs))]
            j = index + 1
            cursor = used
            while j < len(label_positions):
                nxt_at = label_positions[j]
                nxt_labs, nxt_used, nxt_rest = labels[nxt_at]
                between = [k for k in range(cursor + 1, nxt_at) if self._content(k) and k not in budget]
                if nxt_rest is not None or between:
                    break
                blank_lines = nxt_at - cursor - 1
                if blank_lines <= 1:
                    cells[-1][1].extend(nxt_labs)
                else:
                    cells.append((nxt_at, list(nxt_labs)))
                cursor = nxt_used
                j += 1
            desc_start = self._next_content(cursor + 1, last)
            while desc_start is not None and desc_start in skip:
                desc_start = self._next_content(desc_start + 1, last)
            if desc_start is None:
                rows.append(_Row(at, tuple(cells[0][1])))
                index = j
                continue
            mid_sentence = rows and not self._at_boundary(at, first, budget)
            for position, (cell_at, cell_labels) in enumerate(cells):
                if position == 0:
                    start = self._paragraph_start(desc_start, last, first, skip) if mid_sentence else desc_start
                else:
                    start = self._paragraph_start(desc_start + (cell_at - at), last, first, skip)
                rows.append(_Row(start, tuple(cell_labels)))
            index = j
        rows.sort(key=lambda r: r.start)
        merged: list[_Row] = []
        for row in rows:
            if merged and merged[-1].start == row.start:
                merged[-1] = replace(merged[-1], labels=merged[-1].labels + row.labels)
            else:
                merged.append(row)
        return merged

    # -- the budget column ----------------------------------------------------------------------

    def _parse_budget_run(
        self, run: list[int], row_labels: tuple[str, ...], row: int, offset: int
    ) -> list[BudgetRecord]:
        """Amounts of one run of the budget column, with recipient, period and note where stated."""
        chunks = [(self._content(i), i) for i in run if self._content(i)]
        text = ""
        owner: list[int] = []
        for chunk, line in chunks:
            if text:
                text += " "
                owner.append(line)
            text += chunk
            owner.extend([line] * len(chunk))
        try:
            amounts = find_amounts(text, require_currency=False)
        except AmountError as exc:
            self._problem(run[0], f"budget column: {exc}")
            return []
        records: list[BudgetRecord] = []
        sticky_recipient: Named | None = None
        sticky_period: str | None = None
        cursor = 0
        open_total: tuple[int, int] | None = None  # (index of a total, end of its parenthesis)
        for amount in amounts:
            span = self.text.span(owner[amount.start], owner[amount.end - 1])
            if open_total is not None and amount.start < open_total[1]:
                # An amount inside the parenthesis of a total: one part of that total's breakdown.
                label_match = re.match(r"\s*(?:euro\b)?\s*([^,)(]*)", text[amount.end :])
                label = collapse(label_match.group(1)) if label_match else ""
                records.append(
                    BudgetRecord(
                        amount.value,
                        span,
                        row_labels,
                        row,
                        note=label or None,
                        breakdown_of=offset + open_total[0],
                    )
                )
                continue
            if open_total is not None:
                cursor = max(cursor, open_total[1])
                open_total = None
            prefix = text[cursor : amount.start]
            after_euro = re.match(r"\s*(euro\b)?\s*", text[amount.end :])
            consumed = amount.end + (after_euro.end() if after_euro else 0)
            recipient, prefix_period, note = self._read_prefix(prefix, cursor, owner)
            period = prefix_period
            competences = row_labels
            cursor = consumed
            if text[consumed : consumed + 1] == "(":
                close = _matching_paren(text, consumed)
                paren_text = collapse(text[consumed + 1 : close])
                if find_amounts(paren_text):
                    open_total = (len(records), close + 1)
                else:
                    cursor = close + 1
                    if paren_text.lower() in self._competence_keys:
                        competences = (self._competence_keys[paren_text.lower()],)
                    elif recipient is None and self.is_actor(paren_text):
                        lines = owner[consumed + 1 : close] or [owner[consumed]]
                        recipient = Named(paren_text, self.text.span(min(lines), max(lines)))
                    elif _is_period(paren_text):
                        period = paren_text
                    else:
                        note = f"{note}; {paren_text}" if note else paren_text
            if recipient is not None:
                sticky_recipient = recipient
            elif not prefix.strip(" ,;"):
                recipient = sticky_recipient
            if prefix_period is not None:
                sticky_period = prefix_period
            if period is None:
                period = sticky_period
            records.append(
                BudgetRecord(amount.value, span, competences, row, recipient=recipient, period=period, note=note)
            )
        return records

    def _read_prefix(self, prefix: str, offset: int, owner: list[int]) -> tuple[Named | None, str | None, str | None]:
        """Split the text before an amount into a recipient, a period and a note."""
        cleaned = prefix.strip(" ,;")
        if not cleaned:
            return None, None, None
        words = [(m.group(0), m.start()) for m in re.finditer(r"\S+", prefix)]
        recipient = None
        yearly = False
        rest_end = len(words)
        for size in range(len(words), 0, -1):
            tail_words = words[len(words) - size :]
            phrase = " ".join(w for w, _ in tail_words)
            lead = re.match(r"^(jaarlijks\s+)?voor\s+", phrase.strip(" :–-,;"), flags=re.IGNORECASE)
            candidate = phrase.strip(" :–-,;")[lead.end() if lead else 0 :].strip(" :–-,;")
            if candidate and self.is_actor(candidate):
                if lead and lead.group(1):
                    yearly = True
                first_char = offset + tail_words[0][1]
                last_char = offset + tail_words[-1][1] + len(tail_words[-1][0]) - 1
                recipient = Named(candidate, self.text.span(owner[first_char], owner[last_char]))
                rest_end = len(words) - size
                break
        rest = collapse(" ".join(w for w, _ in words[:rest_end])).strip(" :–-,;")
        period = None
        note = None
        if rest:
            if YEAR.search(rest) or PERIOD_WORDS.search(rest):
                period = rest
                year = YEAR.search(rest)
                if year and re.fullmatch(r"(?:middelen|voor)?\s*(19|20)\d\d", rest, re.IGNORECASE):
                    period = year.group(0)
            else:
                note = rest
        if yearly and period is None:
            period = "jaarlijks"
        return recipient, period, note


def _matching_paren(text: str, open_at: int) -> int:
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return len(text)


def _is_period(text: str) -> bool:
    return bool(YEAR.search(text) or PERIOD_WORDS.search(text))


def parse(text: Text, competences: Sequence[str], is_actor: Callable[[str], bool]) -> ProgressReportRecord:
    """Parse a progress report; see :class:`ProgressReportParser`."""
    return ProgressReportParser(text, competences, is_actor).parse()


def total_of(budgets: Sequence[BudgetRecord]) -> Decimal:
    """Sum of the amounts that are not breakdowns of another amount."""
    return sum((b.amount for b in budgets if b.breakdown_of is None), Decimal(0))
