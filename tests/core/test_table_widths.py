"""table_widths gives rich the widths it would choose itself: the same table, drawn unmeasured.

Each generated table is drawn twice at the same width, by rich alone and
through ``print_table``, and the bytes must be equal.  Equal output would
also come from a fast path never taken: the tests after it hold that a
table that fits does get its widths, and one that must shrink does not.
"""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from jobdraft.table_widths import natural_widths, print_table

# Words of one and two cells per character (CJK), spaces, line breaks, empties.
WORD = st.text(alphabet="abcdefghij漢字é", min_size=1, max_size=14)
CELL = st.lists(WORD, max_size=8).flatmap(
    lambda words: st.sampled_from([" ", "\n"]).map(lambda sep: sep.join(words))
)
COLUMN = st.fixed_dictionaries(
    {
        "header": st.sampled_from(["", "Field", "State", "What is needed", "Value"]),
        "overflow": st.sampled_from(["fold", "ellipsis"]),
        "no_wrap": st.booleans(),
        "min_width": st.one_of(st.none(), st.integers(0, 12)),
        "max_width": st.one_of(st.none(), st.integers(1, 30)),
        "ratio": st.one_of(st.none(), st.just(1)),
    }
)
TABLE = st.fixed_dictionaries(
    {
        "columns": st.lists(COLUMN, min_size=1, max_size=4),
        "rows": st.integers(0, 6),
        "cells": st.lists(CELL, min_size=24, max_size=24),
        "box": st.sampled_from([box.HEAVY_HEAD, box.SIMPLE, None]),
        "show_edge": st.booleans(),
        "show_header": st.booleans(),
        "padding": st.sampled_from([(0, 1), (0, 0), (0, 2)]),
        "title": st.sampled_from([None, "Your job post"]),
    }
)


def build(spec: dict) -> Table:  # type: ignore[type-arg]
    table = Table(
        title=spec["title"],
        title_justify="left",
        expand=False,
        box=spec["box"],
        show_edge=spec["show_edge"],
        show_header=spec["show_header"],
        padding=spec["padding"],
    )
    for column in spec["columns"]:
        options = {k: v for k, v in column.items() if k != "header"}
        table.add_column(Text(column["header"]), **options)
    cells = iter(spec["cells"])
    for _ in range(spec["rows"]):
        table.add_row(*(Text(next(cells), style="bold") for _ in spec["columns"]))
    return table


def console(width: int) -> Console:
    return Console(file=io.StringIO(), width=width, force_terminal=True, color_system="truecolor")


def drawn(spec: dict, width: int, *, fast: bool) -> str:  # type: ignore[type-arg]
    screen = console(width)
    table = build(spec)
    if fast:
        print_table(screen, table)
    else:
        screen.print(table)
    output = screen.file.getvalue()
    assert isinstance(output, str)
    return output


@settings(max_examples=400, deadline=None)
@given(spec=TABLE, width=st.integers(1, 120))
def test_the_table_is_drawn_as_rich_draws_it(spec: dict, width: int) -> None:  # type: ignore[type-arg]
    assert drawn(spec, width, fast=True) == drawn(spec, width, fast=False)


def test_a_table_that_fits_gets_its_widths_without_measuring() -> None:
    table = Table()
    table.add_column("Field", max_width=24)
    table.add_column("Value", ratio=1)
    table.add_row(Text("Number of AI trainers and more words"), Text("3 (just set)"))
    table.add_row(Text("Languages"), Text("Spanish\nEnglish, with a longer second line"))
    # The label is held to 24; the value column is its widest line.
    assert natural_widths(table, 100) == [24, 34]
    # 24 + 34, a cell of padding each side of both, three rules.
    assert natural_widths(table, 24 + 34 + 4 + 3) == [24, 34]
    assert natural_widths(table, 24 + 34 + 4 + 3 - 1) is None


def test_what_rich_must_lay_out_itself_is_left_to_rich() -> None:
    markup = Table()
    markup.add_column("[b]Field[/b]")  # a header rich would parse as markup
    markup.add_row("x")
    assert natural_widths(markup, 80) is None
    expanded = Table(expand=True)
    expanded.add_column("Field")
    assert natural_widths(expanded, 80) is None
    tabbed = Table()
    tabbed.add_column("Field")
    tabbed.add_row(Text("a\tb"))
    assert natural_widths(tabbed, 80) is None
