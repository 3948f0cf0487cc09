"""Money amounts as Dutch texts write them ("344.575,62 euro", "1.550.000 euro", "3000 euro").

Parsing goes through Babel's Belgian-Dutch locale data in strict mode, so a malformed grouping
("1.60.641") is an error rather than a wrong number. Amounts stay :class:`~decimal.Decimal`
end to end; they become ``xsd:decimal`` literals in the graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import NumberFormatError, parse_decimal

# A number in Dutch notation: grouped with dots ("1.550.000"), or plain ("3000"), optionally with
# a decimal comma ("344.575,62"). The look-arounds stop it from matching inside dates or codes.
NUMBER = r"(?<![\d.,/])(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?(?![\d/]|\.\d|,\d)"
NUMBER_RE = re.compile(NUMBER)
EURO_AMOUNT_RE = re.compile(rf"({NUMBER})\s*(?:euro\b|EUR\b|€)", re.IGNORECASE)


class AmountError(ValueError):
    """A string that looks like an amount but is not a well-formed Dutch number."""


def parse_amount(text: str) -> Decimal:
    """Parse one Dutch-formatted number ("344.575,62" → 344575.62)."""
    try:
        return parse_decimal(text.strip(), locale="nl_BE", strict=True)
    except NumberFormatError as exc:
        raise AmountError(f"not a Dutch-formatted amount: {text!r} ({exc})") from exc


@dataclass(frozen=True)
class AmountMatch:
    """An amount found in a string: its value, the text matched and where."""

    value: Decimal
    text: str
    start: int
    end: int
    has_currency: bool


def find_amounts(text: str, *, require_currency: bool = True) -> list[AmountMatch]:
    """Every amount in ``text``; without ``require_currency`` bare numbers ≥ 1000 count too.

    Bare numbers below 1000 are left out because in running text they are counts, years of a
    school year, or list numbers far more often than money.
    """
    found: list[AmountMatch] = []
    taken: list[tuple[int, int]] = []
    for m in EURO_AMOUNT_RE.finditer(text):
        found.append(AmountMatch(parse_amount(m.group(1)), m.group(0), m.start(), m.end(), True))
        taken.append((m.start(), m.end()))
    if not require_currency:
        for m in NUMBER_RE.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            value = parse_amount(m.group(0))
            if value >= 1000 and not _looks_like_year(m.group(0)):
                found.append(AmountMatch(value, m.group(0), m.start(), m.end(), False))
    return sorted(found, key=lambda a: a.start)


def _looks_like_year(token: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d", token))


def decimal_lexical(value: Decimal) -> str:
    """Canonical ``xsd:decimal`` lexical form: no exponent, no trailing zeros ("344575.62", "15910")."""
    text = format(value.normalize(), "f")
    return text
