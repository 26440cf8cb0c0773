"""The cost of rendering Markdown is bounded: crafted texts are refused or render cheaply.

Work is measured as the number of Python function calls the profiler sees while rendering (the
same on any machine, unlike a clock). A plain 50,000-character text costs about 240,000 calls;
before the budget a 500-column table cost 1.85 million and 20,000 "[" more than 700,000.
"""

from __future__ import annotations

import cProfile
import pstats
import re

import pytest

from forum.markup import (
    AUTOLINKS_MAX,
    INLINE_STEPS_MAX,
    TABLE_COLUMNS_MAX,
    MarkupTooComplex,
    RenderBudget,
    mentioned_handles,
    plain_text,
    render_markdown,
)

LENGTH = 50_000  # the longest post
WORK_MAX = 1_000_000  # calls: four times a plain text of that length


def _table(columns: int, rows: int) -> str:
    row = "|" + "x|" * columns + "\n"
    return row + "|" + "-|" * columns + "\n" + row * rows


# The pathological inputs of CommonMark's own test suite (test/pathological_tests.py), the
# issue's reports, and the costs found in this renderer (tables, autolinks), at full length.
CRAFTED = {
    "table 500 x 40": _table(500, 40),
    "table 2 columns, many rows": _table(2, LENGTH // 6),
    "six wide tables": "\n\n".join(_table(30, 60) for _ in range(6)),
    "nested strong emphasis": "*a **a " * LENGTH,
    "emphasis closers without openers": "a_ " * LENGTH,
    "emphasis openers without closers": "_a " * LENGTH,
    "mismatched openers and closers": "*a_ " * LENGTH,
    "openers and closers multiple of 3": "a**b c* " * LENGTH,
    "link closers without openers": "a]" * LENGTH,
    "link openers without closers": "[a" * LENGTH,
    "link openers and emphasis closers": "[ a_" * LENGTH,
    "brackets": "[" * LENGTH,
    "nested brackets": "[" * (LENGTH // 2) + "a" + "]" * (LENGTH // 2),
    "pattern [ (](": "[ (](" * LENGTH,
    "unclosed links A": "[a](<b" * LENGTH,
    "unclosed links B": "[a](b" * LENGTH,
    "many references": "".join(f"[{i}]: /u{i}\n" for i in range(3000))
    + "".join(f"[{i}] " for i in range(3000)),
    "backticks": "".join("e" + "`" * i for i in range(1, 300)),
    "nested block quotes": ">" * LENGTH + "a",
    "nested lists": "".join("  " * i + "- a\n" for i in range(300)),
    "autolinks": "<a" * LENGTH,
    "bare domains": "a.se " * LENGTH,
    "www addresses": "www.a.se " * LENGTH,
    "e-mail addresses": "a@b.se " * LENGTH,
    "entities": "&amp;" * LENGTH,
    "escapes": "\\*" * LENGTH,
    "strikethrough": "~~a " * LENGTH,
}


def _work(text: str) -> tuple[int, str | None]:
    """(calls, refusal) of rendering ``text``."""
    profile, refusal = cProfile.Profile(), None
    profile.enable()
    try:
        render_markdown(text)
    except MarkupTooComplex as error:
        refusal = str(error.message)
    finally:
        profile.disable()
    return pstats.Stats(profile).total_calls, refusal


@pytest.mark.parametrize("name", CRAFTED)
def test_crafted_markdown_is_refused_or_renders_cheaply(name):
    calls, _refusal = _work(CRAFTED[name][:LENGTH])
    assert calls <= WORK_MAX


def test_a_plain_long_text_renders_and_costs_far_less_than_the_bound():
    text = (
        "Dagvatten i Augustenborg: öppna diken, gröna tak och [en länk](https://malmo.se). " * 700
    )[:LENGTH]
    calls, refusal = _work(text)
    assert refusal is None and calls < WORK_MAX / 2


def test_a_table_wider_than_the_limit_is_refused_before_parsing():
    calls, refusal = _work(_table(TABLE_COLUMNS_MAX + 1, 2))
    assert refusal == f"A table may have at most {TABLE_COLUMNS_MAX} columns." and calls < 200
    assert "<table>" in render_markdown(_table(TABLE_COLUMNS_MAX, 20))


def test_too_many_cells_are_refused_before_parsing():
    _calls, refusal = _work(_table(20, 200))
    assert refusal == "The tables may have at most 2000 cells in all."


def test_too_much_inline_markup_and_too_many_addresses_are_refused():
    with pytest.raises(MarkupTooComplex, match="too much markup"):
        render_markdown("[a" * INLINE_STEPS_MAX)
    with pytest.raises(MarkupTooComplex, match="links and addresses"):
        render_markdown("www.a.se " * (AUTOLINKS_MAX + 1))
    # Addresses inside code cost linkify nothing and are not counted.
    assert "<pre>" in render_markdown("```\n" + "www.a.se\n" * (AUTOLINKS_MAX + 1) + "```")


def test_a_refusal_names_the_field():
    with pytest.raises(MarkupTooComplex) as refused:
        render_markdown(_table(200, 2), field="summary")
    assert refused.value.field == "summary" and refused.value.status == 422


def test_nesting_stops_at_twenty_levels():
    html = render_markdown(">" * 5000 + " djup")
    assert html.count("<blockquote>") == 20


def test_texts_sharing_a_budget_are_bounded_together():
    section = _table(20, 60)  # 1,240 cells: one fits the budget, two do not
    render_markdown(section)
    budget = RenderBudget()
    render_markdown(section, budget=budget)
    with pytest.raises(MarkupTooComplex, match="cells"):
        render_markdown(section, budget=budget)


def test_snippets_and_mentions_of_an_over_budget_text_do_not_fail():
    text = "@anna " + "[a" * INLINE_STEPS_MAX
    assert mentioned_handles(text) == []
    snippet = plain_text(text, 40)
    assert snippet.startswith("@anna [a") and len(snippet) == 40
    assert re.fullmatch(r"[^<>]*", plain_text("<b>" + _table(100, 2), 60))
