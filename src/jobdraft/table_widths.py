"""A rich table's column widths, found once from its text when the table fits the terminal.

Before drawing a table, rich measures every cell through a chain of generic
calls (Measurement.get, Padding, Text) that costs about as much as the
drawing itself: 2.5 of the 5.4 ms of the wizard's ten-row summary, drawn
between the Enter that sends and "Publish it now?".  When each column's
widest line fits beside the others, the widths rich chooses are exactly
those widest lines, held within the column's min_width and max_width: given
to rich as fixed widths, the table is drawn the same, unmeasured.  A table
that has to shrink is left to rich, whose folding rules are the reference.
tests/core/test_table_widths.py compares both layouts over generated tables.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text


def _widest_line(cell: object) -> int | None:
    """The widest line of a cell's text in terminal cells; None for what is not plain text."""
    if isinstance(cell, Text):
        plain = cell.plain
    elif isinstance(cell, str) and "[" not in cell:  # a str with "[" may be rich markup
        plain = cell
    else:
        return None
    if "\t" in plain:  # rich expands tabs when drawing, not when measuring
        return None
    return max((cell_len(line) for line in plain.splitlines()), default=0)


def natural_widths(table: Table, width: int) -> list[int] | None:
    """What rich would give each column at ``width``, if nothing has to shrink; else None."""
    if (
        table.expand
        or table.width is not None
        or table.min_width is not None
        or table.collapse_padding
        or not table.pad_edge
        or not table.columns
    ):
        return None  # layouts where rich stretches, pads or squeezes: its own rules apply
    _, pad_right, _, pad_left = table.padding
    # The rules between columns, and the two edges, as rich counts them.
    border = ((2 if table.show_edge else 0) + len(table.columns) - 1) if table.box else 0
    widths: list[int] = []
    for column in table.columns:
        cells: list[object] = list(column.cells)
        if table.show_header:
            cells.append(column.header)
        if table.show_footer:
            cells.append(column.footer)
        lines = [_widest_line(cell) for cell in cells]
        if not lines or None in lines or column.width is not None:
            return None
        widest = max(line for line in lines if line is not None)
        if column.min_width is not None:
            widest = max(widest, column.min_width)
        if column.max_width is not None:
            widest = min(widest, column.max_width)
        widths.append(widest)
    # rich draws a column of no width at all one cell wide.
    if sum(max(w + pad_left + pad_right, 1) for w in widths) + border > width:
        return None
    return widths


def print_table(console: Console, table: Table) -> None:
    """``console.print(table)``, with the column widths given when the table fits."""
    widths = natural_widths(table, console.width)
    if widths is not None:
        for column, column_width in zip(table.columns, widths, strict=True):
            column.width = column_width
    console.print(table)
