"""The council's settings and logo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFileDialog, QFormLayout, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from clerk_desk.errors import ClerkDeskError, ValidationError
from clerk_desk.register import authority
from clerk_desk.register import settings as council_settings
from clerk_desk.ui import a11y, plain
from clerk_desk.ui.backup_panel import BackupPanel
from clerk_desk.ui.context import Context
from clerk_desk.ui.form import Field, line_field
from clerk_desk.ui.table_page import button


class SettingsPage(QWidget):
    """Edit every setting; errors appear beside the field and nothing is saved until all are right."""

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        heading = a11y.heading("Settings")

        self.fields: dict[str, Field] = {}
        form = QFormLayout()
        for spec in council_settings.SPECS.values():
            f = line_field(spec.key, spec.label, spec.help)
            f.widget.setToolTip(plain.tooltip(spec.help))
            self.fields[spec.key] = f
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(f.widget)
            column.addWidget(f.error)
            label = plain.label(f"{spec.label}:")
            label.setBuddy(f.widget)
            form.addRow(label, column)

        self.logo_preview = plain.label()
        self.logo_preview.setFixedSize(160, 80)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setAccessibleName("Council logo")
        self.logo_name = plain.label()
        self.logo_button = button("Choose &logo…", "A PNG or JPEG printed on the annual review's cover")
        self.logo_button.clicked.connect(self.choose_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_preview)
        logo_row.addWidget(self.logo_name, 1)
        logo_row.addWidget(self.logo_button)
        form.addRow(plain.label("Council logo:"), logo_row)

        self.message = plain.label()
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.save_button = button("&Save settings")
        self.save_button.clicked.connect(self.save)
        self.save_button.setDefault(True)
        actions = QHBoxLayout()
        actions.addWidget(self.save_button)
        actions.addWidget(self.message, 1)

        body = QWidget()
        body.setMaximumWidth(body.fontMetrics().averageCharWidth() * 120)  # grows with the text size
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(form)
        body_layout.addLayout(actions)
        self.backups = BackupPanel(context)
        self.backups.restored.connect(self.reload)
        body_layout.addWidget(self.backups)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(scroll, 1)
        for f in self.fields.values():
            f.widget.returnPressed.connect(self.save)  # type: ignore[attr-defined]

    def reload(self) -> None:
        def load(session):  # type: ignore[no-untyped-def]
            return (
                council_settings.load(session),
                council_settings.get_logo(session),
                authority.actor_may_manage(session, self.context.actor.name, self.context.clock.today()),
            )

        current, logo, manage = self.context.read(load)
        for key, f in self.fields.items():
            f.set_value(current[key])
            f.error.setVisible(False)
            f.widget.setEnabled(manage)
        self.save_button.setEnabled(manage)
        self.logo_button.setEnabled(manage)
        self.message.setText(
            "" if manage else "Only the clerk or deputy clerk may change the settings (Thornbury 9.1)."
        )
        self._show_logo(logo)
        self.backups.reload(manage)

    def _show_logo(self, logo: council_settings.Logo | None) -> None:
        if logo is None:
            self.logo_preview.clear()
            self.logo_name.setText("No logo chosen")
            return
        pixmap = QPixmap()
        pixmap.loadFromData(logo.data)
        self.logo_preview.setPixmap(
            pixmap.scaled(
                self.logo_preview.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.logo_name.setText(logo.filename)

    def save(self) -> bool:
        for f in self.fields.values():
            f.clear_error()
        values = {key: f.value() for key, f in self.fields.items()}
        try:
            with self.context.write() as session:
                council_settings.update(session, values)
        except ValidationError as exc:
            target = self.fields.get(exc.field)
            if target is not None:
                target.show_error(f"{target.label}: {exc.message}")
                target.widget.setFocus()
                self.message.setText("Nothing was saved; correct the field marked above.")
                a11y.announce(target.widget, f"{target.label}: {exc.message}", assertive=True)
            else:
                a11y.show_message(self.message, str(exc), assertive=True)
            return False
        except ClerkDeskError as exc:
            a11y.show_message(self.message, str(exc), assertive=True)
            return False
        self.context.settings_changed()
        self.reload()
        a11y.show_message(self.message, "Settings saved.")
        return True

    def show_record(self, subject: object) -> bool:
        """Settings have one record: put the focus on its first field."""
        first = next(iter(self.fields.values()))
        first.widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose the council's logo", "", "Pictures (*.png *.jpg *.jpeg)"
        )
        if path:
            self.set_logo(Path(path))

    def set_logo(self, path: Path) -> bool:
        try:
            with self.context.write() as session:
                logo = council_settings.set_logo(session, path)
        except ClerkDeskError as exc:
            a11y.show_message(self.message, str(exc), assertive=True)
            return False
        self._show_logo(logo)
        a11y.show_message(self.message, "Logo saved.")
        return True
