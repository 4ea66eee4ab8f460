"""A table model over rows loaded in one query, described by column specs."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from clerk_desk import council_time
from clerk_desk.ui import plain

R = TypeVar("R")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: its header, the text shown, and optionally a sort key and tooltip."""

    header: str
    text: Callable[[R], Any]
    sort: Callable[[R], Any] | None = None
    tooltip: Callable[[R], str | None] | None = None
    align_right: bool = False


def show(value: Any, zone: ZoneInfo | None) -> str:
    """How a value reads in a table cell; a moment on the council's clock (``zone``), never the PC's."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        if zone is None:
            raise TypeError("a table that shows moments needs the council's time zone (zone=)")
        return council_time.show(value, zone)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class RowTableModel(QAbstractTableModel, Generic[R]):
    """Read-only rows; editing happens in dialogs that call the services.

    The model sorts itself (``sort``), in Python with each column's key computed once per row, so that
    a view over thousands of rows never asks ``data`` for every comparison; and it keeps, per row, the
    text of all its cells for the search box (``matches``), built on the first search after a reload.

    ``zone`` tells the council's time zone (``Context.zone``), asked when a moment is shown, so a change
    of the setting shows at the next repaint.
    """

    def __init__(
        self,
        columns: Sequence[Column[R]],
        parent: Any = None,
        *,
        zone: Callable[[], ZoneInfo] | None = None,
    ) -> None:
        super().__init__(parent)
        self._zone = zone
        self._columns = list(columns)
        self._given: list[R] = []  # in the order given; sorting starts from it, so ties keep it
        self._order: list[int] = []  # for each shown row, its position in ``_given``
        self._rows: list[R] = []
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._texts: list[str] | None = None  # by position in ``_given``
        self._texts_zone: ZoneInfo | None = None

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._given = list(rows)
        self._texts = None
        self._arrange()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column`` (-1: the order the rows were given in), keeping selections on their rows."""
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        before = self._order
        self._arrange()
        now = {given: row for row, given in enumerate(self._order)}
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent,
            [self.index(now[before[index.row()]], index.column()) for index in persistent],
        )
        self.layoutChanged.emit()

    def _arrange(self) -> None:
        order = list(range(len(self._given)))
        if 0 <= self._sort_column < len(self._columns):
            column = self._columns[self._sort_column]
            key = column.sort or column.text
            keys = [_sort_key(key(row)) for row in self._given]
            descending = self._sort_order == Qt.SortOrder.DescendingOrder
            order.sort(key=keys.__getitem__, reverse=descending)
        self._order = order
        self._rows = [self._given[i] for i in order]

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def rows(self) -> list[R]:
        """Every row, in the order shown (sorted)."""
        return list(self._rows)

    def matches(self, row: int, needle: str) -> bool:
        """Whether the text of any cell of ``row`` contains ``needle`` (already case-folded)."""
        zone = self._zone() if self._zone else None
        if self._texts is None or zone != self._texts_zone:  # a new time zone shows moments anew
            self._texts_zone = zone
            self._texts = [
                "\n".join(self._display(column, item, zone) for column in self._columns).casefold()
                for item in self._given
            ]
        return needle in self._texts[self._order[row]]

    @staticmethod
    def _display(column: Column[R], row: R, zone: ZoneInfo | None) -> str:
        value = column.text(row)
        return show(value, zone if isinstance(value, datetime) else None)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = column.text(row)
            return show(value, self._zone() if self._zone and isinstance(value, datetime) else None)
        if role == SORT_ROLE:
            key = column.sort(row) if column.sort else column.text(row)
            return _sortable(key)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return plain.tooltip(column.tooltip(row))
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ROW_ROLE:
            return row
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section].header
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None


def _sortable(value: Any) -> Any:
    """Sort keys Qt can compare: text folded, dates as ISO text, blanks last."""
    if value is None or value == "":
        return "\uffff"
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, int | float):
        return value
    return sort_text(str(value))


def _sort_key(value: Any) -> tuple[int, Any]:
    """``_sortable`` made comparable across types: numbers, then text, then blanks (as Qt orders them)."""
    key = _sortable(value)
    if key == "\uffff":
        return (2, "")
    if isinstance(key, int | float):
        return (0, key)
    return (1, key)


# Letters that do not decompose into a base letter and an accent.
_BASE_LETTERS = str.maketrans(
    {"ł": "l", "đ": "d", "ø": "o", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "ß": "ss"}
)


def sort_text(text: str) -> str:
    """A key that files Łukasz under L and Zoë under Z, as a clerk expects, in any system locale."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_BASE_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
