"""The public summary of an incident: written by the clerk in the incident's edit form."""

from __future__ import annotations

from clerk_desk.ui.main_window import MainWindow


def test_the_clerk_writes_an_incidents_public_summary_in_its_edit_form(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    from clerk_desk.incidents import lifecycle as incidents
    from clerk_desk.ui.incident_dialogs import edit_dialog

    context = window.context
    incident = context.read(lambda s: incidents.all_incidents(s)[0])
    dialog = edit_dialog(context, incident, window)
    qtbot.addWidget(dialog)
    field = dialog.fields["public_summary"]
    assert field.widget.accessibleName() == "Public summary"
    qtbot.keyClicks(field.widget, "A fake page was reported and removed.")
    dialog.try_save()
    assert dialog.result() == dialog.DialogCode.Accepted
    saved = context.read(lambda s: incidents.get(s, incident.id).public_summary)
    assert saved == "A fake page was reported and removed."
    too_long = edit_dialog(context, context.read(lambda s: incidents.get(s, incident.id)), window)
    qtbot.addWidget(too_long)
    too_long.fields["public_summary"].set_value("x" * 601)
    too_long.try_save()
    assert "at most 600" in too_long.fields["public_summary"].error.text()
