"""The shape every register page shares: a title, actions, a search box and a sortable table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clerk_desk.ui import a11y, plain
from clerk_desk.ui.table_model import ROW_ROLE, SORT_ROLE, RowTableModel

#: How many rows a column's width is measured on: enough to see typical values, never all of them.
SAMPLE_ROWS = 50


class SearchProxy(QSortFilterProxyModel):
    """Case-insensitive search across every column, plus an optional row predicate (e.g. a status).

    Sorting is the source model's own (``RowTableModel.sort``), and the search reads each row's text
    from it in one piece: neither asks ``data`` cell by cell, so both stay quick on thousands of rows.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._predicate: Callable[[Any], bool] | None = None
        self._needle = ""

    def set_predicate(self, predicate: Callable[[Any], bool] | None) -> None:
        self.beginFilterChange()
        self._predicate = predicate
        self.endFilterChange()

    def set_search(self, text: str) -> None:
        """Show the rows with ``text`` in any column, ignoring case; all of them when it is empty."""
        self.beginFilterChange()
        self._needle = text.casefold()
        self.endFilterChange()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if isinstance(model, RowTableModel):
            model.sort(column, order)
        else:
            super().sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self._predicate is None and not self._needle:
            return True
        model = self.sourceModel()
        if not isinstance(model, RowTableModel):
            return super().filterAcceptsRow(source_row, source_parent)
        if self._predicate is not None and not self._predicate(model.row_at(source_row)):
            return False
        return not self._needle or model.matches(source_row, self._needle)


class ActivatingTableView(a11y.Table):
    """A table where Enter opens the current row, as a double-click does."""

    enter_pressed = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.enter_pressed.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)


def button(text: str, tip: str | None = None) -> QPushButton:
    """A push button whose accessible name is its text (the accessibility contract).

    An ``&`` in ``text`` marks its access key (Alt+letter, shown underlined).
    """
    widget = QPushButton(text)
    widget.setAccessibleName(text.replace("&", ""))
    if tip:
        widget.setToolTip(plain.tooltip(tip))
    return widget


def caption(text: str, buddy: QWidget) -> QLabel:
    """A visible label for a control (``&`` marks its access key), tied to it for screen readers."""
    label = plain.label(f"{text}:")
    label.setBuddy(buddy)
    buddy.setAccessibleName(text.replace("&", ""))
    return label


def _row_id(row: Any) -> Any:
    """The id of the record a row shows (a row may wrap it, e.g. an account row)."""
    record = getattr(row, "account", row) if not hasattr(row, "id") else row
    return getattr(record, "id", None)


class TablePage(QWidget):
    """A page with a heading, an action bar, a search box (Ctrl+F) and a table; double-click edits."""

    activated = Signal(object)  # the row object that was double-clicked or had Enter pressed
    selection_changed = Signal()

    def __init__(self, title: str, model: RowTableModel[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = SearchProxy(self)
        self.proxy.setSourceModel(model)

        self.heading = a11y.heading(title)
        self.summary = plain.label()
        self.summary.setObjectName("pageSummary")

        self.search = QLineEdit()
        self.search.setPlaceholderText("Ctrl+F")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(self.search.fontMetrics().averageCharWidth() * 14)  # never squeezed away
        self.search.textChanged.connect(self.proxy.set_search)
        self.search.textChanged.connect(self._update_summary)

        self.table = ActivatingTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(title)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        # Fit columns to the first rows only: measuring every row of a large table costs more than it shows.
        self.table.horizontalHeader().setResizeContentsPrecision(SAMPLE_ROWS)
        self._fitted = False
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.doubleClicked.connect(self._activate)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed.emit())
        self.table.enter_pressed.connect(self._activate)

        self.actions_bar = QHBoxLayout()
        self.filters_bar = QHBoxLayout()
        # A visible label, not only a placeholder (1.4.3, 3.3.2).
        self.filters_bar.addWidget(caption("&Search", self.search))
        self.filters_bar.addWidget(self.search, 1)

        self.summary.setWordWrap(True)
        header = QVBoxLayout()
        header.setSpacing(2)
        header.addWidget(self.heading)
        header.addWidget(self.summary)

        layout = QVBoxLayout(self)
        self.body = layout
        layout.addLayout(header)
        layout.addLayout(self.actions_bar)
        layout.addLayout(self.filters_bar)
        layout.addWidget(self.table, 1)
        model.modelReset.connect(self._update_summary)

    def add_action(self, widget: QWidget) -> None:
        """Add a button (or any widget) to the action bar, left to right."""
        self.actions_bar.addWidget(widget)

    def finish_actions(self) -> None:
        self.actions_bar.addStretch(1)

    def add_filter(self, label: str, widget: QWidget) -> None:
        """A filter beside the search box, with its visible label (``&`` marks the access key)."""
        self.filters_bar.addWidget(caption(label, widget))
        self.filters_bar.addWidget(widget)

    def clear_filters(self) -> None:
        """Show every row: the search box emptied and each filter at its first choice."""
        self.search.clear()

    def show_record(self, subject: object) -> bool:
        """Show the record with id ``subject``: clear what hides it, select it, put the focus on it."""
        self.clear_filters()
        found = self.select_where(lambda row: _row_id(row) == subject)
        if found:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        return found

    def show_message(self, text: str) -> None:
        """The result of an action, in the summary line, announced to a screen reader (4.1.3)."""
        a11y.show_message(self.summary, text)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def current(self) -> Any:
        """The selected row object, or None."""
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        return self.proxy.data(index, ROW_ROLE)

    def run_dialog(self, dialog: QDialog, *, select: bool = True) -> bool:
        """Run an add/edit dialog; on save reload the page and select what was saved (by its id).

        Either way the focus goes back to the control that opened the dialog (2.4.3).
        """
        opener = QApplication.focusWidget()
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if accepted:
            saved = getattr(dialog, "result_value", None)
            self.reload()
            saved_id = getattr(saved, "id", None)
            if select and saved_id is not None:
                self.select_where(lambda row: _row_id(row) == saved_id)
        a11y.restore_focus(opener, self)
        return accepted

    def reload(self) -> None:
        """Load the rows again; each page says how."""
        raise NotImplementedError

    def replace_rows(self, rows: list[Any], key: Callable[[Any], Any]) -> None:
        """Show new rows, keeping the selected one (matched by ``key``) selected."""
        selected = self.current()
        wanted = key(selected) if selected is not None else None
        self.model.set_rows(rows)
        if wanted is not None:
            self.select_where(lambda row: key(row) == wanted)

    def select_where(self, predicate: Callable[[Any], bool]) -> bool:
        """Select and show the first visible row matching ``predicate``."""
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if predicate(self.proxy.data(index, ROW_ROLE)):
                self.table.selectionModel().setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.table.scrollTo(index)
                return True
        return False

    def fit_columns(self) -> None:
        """Size columns to their header and a sample of rows, within reason, the first time there are
        rows; a reload keeps the widths (and any the clerk set), so it costs nothing however long the
        table is."""
        if self._fitted or self.model.rowCount() == 0:
            return
        self._fitted = True
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount() - 1):
            self.table.resizeColumnToContents(column)
            header.resizeSection(column, min(header.sectionSize(column), 260))

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.activated.emit(self.proxy.data(index, ROW_ROLE))

    def _update_summary(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.summary.setText(f"{total} shown" if shown == total else f"{shown} of {total} shown")
