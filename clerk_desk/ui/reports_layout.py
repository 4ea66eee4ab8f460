"""The Reports page's layout: its fields in a form, the actions under it, and the tab order."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from clerk_desk.ui import plain
from clerk_desk.ui.form import Field


def _label(text: str, buddy: QWidget) -> QLabel:
    label = plain.label(f"{text}:")
    label.setBuddy(buddy)
    return label


def _with_error(row: QHBoxLayout, *fields: Field) -> QVBoxLayout:
    column = QVBoxLayout()
    column.setSpacing(2)
    column.addLayout(row)
    for f in fields:
        column.addWidget(f.error)
    return column


def arrange(page: Any, heading: QLabel, intro: QLabel, public_help: QLabel) -> None:
    """Lay the Reports page's widgets out and set the order Tab moves through them.

    ``page`` is the ReportsPage (not imported here: the page imports this module).
    """
    form = QFormLayout()
    form.addRow(_label("Period", page.preset), page.preset)
    dates = QHBoxLayout()
    for f in (page.start, page.end):  # room for a date at any text size
        f.widget.setFixedWidth(f.widget.fontMetrics().horizontalAdvance("0000-00-00") + 32)
    dates.addWidget(page.start.widget)
    dates.addSpacing(12)
    dates.addWidget(_label("To", page.end.widget))
    dates.addWidget(page.end.widget)
    dates.addStretch(1)
    form.addRow(_label("From", page.start.widget), _with_error(dates, page.start, page.end))
    meeting_column = QVBoxLayout()
    meeting_column.setSpacing(2)
    meeting_column.addWidget(page.meeting.widget)
    meeting_column.addWidget(page.meeting.error)
    form.addRow(_label(page.meeting.label, page.meeting.widget), meeting_column)
    public_column = QVBoxLayout()
    public_column.setSpacing(2)
    public_column.addWidget(page.public.widget)
    public_column.addWidget(public_help)
    form.addRow("", public_column)
    form.addRow(_label(page.format.label, page.format.widget), page.format.widget)
    assessment_column = QVBoxLayout()
    assessment_column.addWidget(page.assessment.widget)
    note_row = QHBoxLayout()
    note_row.addWidget(page.assessment_note, 1)
    note_row.addWidget(page.save_button)
    assessment_column.addLayout(note_row)
    assessment_column.addWidget(page.assessment.error)
    form.addRow(_label(page.assessment.label, page.assessment.widget), assessment_column)

    actions = QHBoxLayout()
    actions.addWidget(page.preview_button)
    actions.addWidget(page.create_button)
    actions.addWidget(page.print_button)
    actions.addWidget(page.progress, 1)
    actions.addStretch(1)  # keeps the button its own size while the progress bar is hidden

    body = QWidget()
    body.setMaximumWidth(body.fontMetrics().averageCharWidth() * 120)  # grows with the text size
    body_layout = QVBoxLayout(body)
    body_layout.addWidget(intro)
    body_layout.addLayout(form)
    body_layout.addLayout(actions)
    body_layout.addWidget(page.status)
    body_layout.addWidget(page.message)
    body_layout.addWidget(page.preview, 1)
    body_layout.addStretch(1)
    layout = QVBoxLayout(page)
    layout.addWidget(heading)
    layout.addWidget(body, 1)

    page.setTabOrder(page.preset, page.start.widget)
    page.setTabOrder(page.start.widget, page.end.widget)
    page.setTabOrder(page.end.widget, page.meeting.widget)
    page.setTabOrder(page.meeting.widget, page.public.widget)
    page.setTabOrder(page.public.widget, page.format.widget)
    page.setTabOrder(page.format.widget, page.assessment.widget)
    page.setTabOrder(page.assessment.widget, page.save_button)
    page.setTabOrder(page.save_button, page.preview_button)
    page.setTabOrder(page.preview_button, page.create_button)
    page.setTabOrder(page.create_button, page.print_button)
    page.setTabOrder(page.print_button, page.preview)
