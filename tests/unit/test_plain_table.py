"""`holdtight score FILE`'s table drawn without Rich is Rich's text exactly (or None,
and Rich draws it): random sources, organizations, titles, labels and warnings, wide and
combining characters, long words and long lines included."""

from __future__ import annotations

import functools
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from holdtight.engine import score
from holdtight.model import Result, Rulebook
from holdtight.reports.plain_table import result_table_plain, wrap
from holdtight.reports.terminal import render_text, result_table_text
from holdtight.rulebook import load_rulebook
from holdtight.rulecheck import random_answers
from tests.helpers import examples

TEXT = st.lists(
    st.sampled_from(
        ["a", "B", "7", " ", "  ", "-", "'", "…", "—", "●", "é", "界", "\u0301", "\t", "\n",
         "x" * 40, "word ", "\x1b"]
    ),
    max_size=12,
).map("".join)  # fmt: skip


class _Labels:
    """A rulebook's labels, changed."""

    def __init__(self, rulebook: Rulebook, setting: str, posture: str) -> None:
        self.rulebook = rulebook
        self.setting = setting
        self.posture = posture

    def setting_label(self, setting: str) -> str:
        return self.setting + self.rulebook.setting_label(setting)

    def posture_text(self, posture: str) -> str:
        return self.posture + self.rulebook.posture_text(posture)

    def __getattr__(self, name: str) -> object:  # questions, conditional: the rulebook's
        return getattr(self.rulebook, name)


@functools.cache
def _results() -> tuple[Rulebook, list[Result]]:
    import random

    rulebook = load_rulebook()
    rng = random.Random(5)
    return rulebook, [score(rulebook, random_answers(rulebook, rng)) for _ in range(20)]


@settings(max_examples=examples(40), deadline=None)
@given(
    pick=st.integers(0, 19),
    source=TEXT,
    organization=st.one_of(TEXT, st.integers()),
    title=TEXT,
    setting=TEXT,
    posture=TEXT,
    warnings=st.lists(st.one_of(TEXT, TEXT.map(lambda t: t * 9)), max_size=3),
    width=st.sampled_from([100, 80, 60, 45]),
    short=st.booleans(),
)
def test_plain_table_is_richs_text(
    pick: int,
    source: str,
    organization: Any,
    title: str,
    setting: str,
    posture: str,
    warnings: list[str],
    width: int,
    short: bool,
) -> None:
    rulebook, results = _results()
    result = results[pick]
    domains = (result.domains[0]._replace(title=title + result.domains[0].title),)
    result = result._replace(domains=domains + result.domains[1:], warnings=tuple(warnings))
    labels = cast(Rulebook, _Labels(rulebook, setting, posture))
    meta = {"organization": organization}
    for spectrum in (True, False):
        plain = result_table_plain(labels, source, result, meta, width, short, spectrum)
        if plain is not None:
            assert plain == result_table_text(labels, source, result, meta, width, short, spectrum)


def test_the_common_table_is_drawn_plain() -> None:
    rulebook, results = _results()
    for result in results:
        assert result_table_plain(rulebook, "a.toml", result, {"organization": "A"}) is not None


def test_a_narrow_terminal_gets_short_names_and_a_table_that_fits() -> None:
    from holdtight.reports.plain_table import short_names_needed

    rulebook, results = _results()
    result = results[0]
    assert not short_names_needed(rulebook, result, 100)
    for width in (80, 60):
        assert short_names_needed(rulebook, result, width)
        text = result_table_plain(rulebook, "a.toml", result, {}, width, short=True)
        assert text is not None and max(map(len, text.splitlines())) <= width
        assert "Prof. learning" in text and rulebook.domains[6].title not in text


def test_below_sixty_columns_the_spectrum_gives_way_to_the_names() -> None:
    """At 50 columns the short names were folded a few letters a line ("Domai", "n")."""
    from holdtight.reports.plain_table import table_layout

    rulebook, results = _results()
    result = results[0]
    assert table_layout(rulebook, result, 100) == (False, True)
    assert table_layout(rulebook, result, 60) == (True, True)
    for width in (50, 46):
        assert table_layout(rulebook, result, width) == (True, False)
        text = result_table_plain(rulebook, "a.toml", result, {}, width, True, False)
        assert text is not None and max(map(len, text.splitlines())) <= width
        assert "tight…loose" not in text and "Prof. learning" in text
        assert all(f"│ {d.short}" in text for d in rulebook.domains)


@given(st.lists(st.sampled_from(["a", "bb", " ", "  ", "c" * 30, "-"]), max_size=60).map("".join))
def test_wrap_is_richs(text: str) -> None:
    from rich.text import Text

    assert "\n".join(wrap(text, 37)) == render_text(Text(text), width=37)


@pytest.mark.parametrize(
    "text",
    ["abcd efghi", "abcd efghij", "abcd efghi jk", "abcdefghij", "abcdefghijk lm", "a " * 12,
     "abcd      efgh", "abcdefghijabcdefghijabc de", " lead", "tail  "],
)  # fmt: skip
def test_wrap_at_the_edge_is_richs(text: str) -> None:
    from rich.text import Text

    assert "\n".join(wrap(text, 10)) == render_text(Text(text), width=10)


def test_at_forty_columns_no_name_is_folded_inside_a_word() -> None:
    """At 40 columns the short names were folded ("Curriculu"/"m"): the domain column
    is as wide as its longest word, and "Leave loose" wraps between its words instead."""
    from holdtight.reports.plain_table import table_layout

    rulebook, results = _results()
    for result in results:
        short, spectrum = table_layout(rulebook, result, 40)
        text = result_table_text(rulebook, "a.toml", result, {}, 40, short, spectrum)
        assert max(map(len, text.splitlines())) <= 40
        cells = [line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│")]
        words = {word for cell in cells for word in cell.split()}
        for domain in rulebook.domains:
            assert set(domain.short.split()) <= words, (domain.short, cells)
