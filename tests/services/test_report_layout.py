"""The review's fast tables and the collector's pause: the pages look as before, only quicker to make."""

from __future__ import annotations

import gc
import subprocess
import threading
from pathlib import Path

import pytest

from clerk_desk import collector
from clerk_desk.reports import layout


def test_the_collector_runs_less_often_within_and_as_before_after() -> None:
    before = gc.get_threshold()
    with collector.fewer_collections():
        assert gc.get_threshold()[0] == max(before[0], collector.FIRST_THRESHOLD)
        assert gc.get_threshold()[1:] == before[1:]
        with collector.fewer_collections():  # nested: the inner block leaves it raised
            pass
        assert gc.get_threshold()[0] == max(before[0], collector.FIRST_THRESHOLD)
    assert gc.get_threshold() == before


def test_the_collector_is_put_back_after_an_error() -> None:
    before = gc.get_threshold()
    with pytest.raises(ZeroDivisionError), collector.fewer_collections():
        1 / 0  # noqa: B018
    assert gc.get_threshold() == before


def test_the_collector_is_put_back_when_the_last_of_two_threads_leaves() -> None:
    """Two reviews at once: the first to finish must not put the thresholds back under the second."""
    before = gc.get_threshold()
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[tuple[int, ...]] = []

    def first() -> None:
        with collector.fewer_collections():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with collector.fewer_collections():
            second_in.set()
            first_out.wait(5)
            seen.append(gc.get_threshold())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == [(max(before[0], collector.FIRST_THRESHOLD), *before[1:])]
    assert gc.get_threshold() == before


def test_cycles_are_still_collected_within() -> None:
    class Node:
        other: object = None

    with collector.fewer_collections():
        gc.collect()
        for _ in range(200_000):  # four times the raised threshold: the collector still runs
            a, b = Node(), Node()
            a.other, b.other = b, a
        assert gc.get_count()[0] < collector.FIRST_THRESHOLD + 1_000


def test_a_long_fact_runs_on_in_rows_without_a_gap() -> None:
    """A value longer than FACT_LINES lines carries on in the next row: no padding between the two."""
    layout.register_fonts()
    lines = layout.FACT_LINES + 3
    value = "\n".join(f"line {n}" for n in range(lines))
    table = layout.fact_table("INC-1", [("Reported", "today"), ("Description", value), ("Outcome", "done")])
    leading = 9 + 2.5
    assert table._rowHeights == pytest.approx(
        [
            11.5 + 3 + 3.5,  # the title
            leading + 1.2 + 1.8,
            layout.FACT_LINES * leading + 1.2 + 0,  # the first part: no gap below
            3 * leading + 0 + 1.8,  # the rest: no gap above
            leading + 1.2 + 1.8,
        ]
    )
    assert [row[0] for row in table._cellvalues] == ["INC-1", "Reported", "Description", "", "Outcome"]


def test_a_fact_tables_cells_are_drawn_in_reading_order(tmp_path: Path) -> None:
    """All of a table's text is one text object, still label then value, row by row, in the file."""
    from reportlab.platypus import SimpleDocTemplate

    layout.register_fonts()
    out = tmp_path / "facts.pdf"
    facts = [("Reported", "1 Jul 2026 02:11 BST"), ("People involved", "Zoë Hartley"), ("Outcome", "Łódź")]
    grid = layout.table(["Reference", "Title"], [["INC-1", "Spam"], ["INC-2", "Ĳssel"]], [100, 200])
    SimpleDocTemplate(str(out)).build([layout.fact_table("INC-1 · Spam", facts), grid])
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout.split()
    expected = "INC-1 · Spam Reported 1 Jul 2026 02:11 BST People involved Zoë Hartley Outcome Łódź"
    expected += " Reference Title INC-1 Spam INC-2 Ĳssel"
    assert text == expected.split()
