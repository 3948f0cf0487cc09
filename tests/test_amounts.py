from decimal import Decimal

import pytest

from policykg.amounts import AmountError, decimal_lexical, find_amounts, parse_amount


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("344.575,62", "344575.62"),
        ("1.606.641,63", "1606641.63"),
        ("3000", "3000"),
        ("15.910", "15910"),
        ("0,5", "0.5"),
    ],
)
def test_dutch_numbers(text, value):
    assert parse_amount(text) == Decimal(value)


def test_malformed_grouping_is_an_error():
    with pytest.raises(AmountError):
        parse_amount("1.60.641")


def test_find_amounts_with_and_without_currency():
    text = "Vilvoorde (85.000 euro); 190.000 (vierde periode) in 2017 voor 12 scholen"
    assert [a.value for a in find_amounts(text)] == [Decimal("85000")]
    assert [a.value for a in find_amounts(text, require_currency=False)] == [
        Decimal("85000"),
        Decimal("190000"),
    ]


def test_dates_are_not_amounts():
    assert find_amounts("op 20/09/2018 en 15 januari 2017", require_currency=False) == []


def test_lexical_form_has_no_exponent():
    assert decimal_lexical(Decimal("15910")) == "15910"
    assert decimal_lexical(Decimal("56450.80")) == "56450.8"
