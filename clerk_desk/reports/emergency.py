"""The emergency sheet: the council's recovery key on paper, for the council's safe.

It carries the council's name, the date, the recovery key and its fingerprint, and what to do with
it; never a password. Written once, when the recovery key is made (the key itself is kept nowhere else).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from clerk_desk.reports import layout, output
from clerk_desk.reports.layout import ACCENT, BOLD, MARGIN, RULE, fact, para


def _key_table(recovery_key: str) -> Table:
    groups = recovery_key.split("-")
    cells = [[group for group in groups[:4]], [group for group in groups[4:]]]
    table = Table(cells, colWidths=[32 * mm] * 4, rowHeights=[14 * mm] * 2)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), BOLD),
                ("FONTSIZE", (0, 0), (-1, -1), 18),
                ("TEXTCOLOR", (0, 0), (-1, -1), ACCENT),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BOX", (0, 0), (-1, -1), 1, RULE),
                ("INNERGRID", (0, 0), (-1, -1), 0.5, RULE),
            ]
        )
    )
    return table


def write(
    out: Path, council_name: str, made_on: date, recovery_key: str, fingerprint: str, made_by: str
) -> Path:
    """Write the emergency sheet PDF (through a temporary file, so a failure leaves nothing behind)."""
    layout.register_fonts()
    council = council_name or "The council"
    story = [
        para(council, "cover_council"),
        para("Clerk Desk emergency sheet", "h1"),
        Paragraph(fact("Made on", made_on.isoformat()), layout.STYLES["body"]),
        Paragraph(fact("Made by", made_by), layout.STYLES["body"]),
        Paragraph(fact("Recovery key fingerprint", fingerprint), layout.STYLES["body"]),
        para("Recovery key", "h2"),
        _key_table(recovery_key),
        Spacer(1, 6 * mm),
        para("What this is for", "h2"),
        para(
            "Clerk Desk keeps the council's social-media passwords sealed, so that only the clerk and the "
            "deputy clerk, each on their own PC, can open them (Thornbury 9.1). This recovery key opens them "
            "too. Keep this sheet in the council's safe; do not photograph it, copy it or keep it with a PC."
        ),
        para("When to use it", "h2"),
        para(
            "Only when no clerk or deputy clerk can open the passwords any more: a PC has died and no one "
            "else holds a key, or the clerk has left and no deputy holds one. The new clerk or deputy, "
            "recorded in Clerk Desk's People with their login, runs on their own PC:"
        ),
        para("clerk-desk key recover", "h3"),
        para(
            "and types the recovery key in (or uses Recover with the recovery key in the window). Check "
            "first that the fingerprint Clerk Desk shows for the recovery key is the one printed above. "
            "Afterwards every account is due for a password change, as the key has left the safe: change "
            "them all, then make a new recovery key and put its sheet here in place of this one."
        ),
        para(
            "This sheet holds no password. Letters and digits only: A-Z and 2-7; the hyphens between groups "
            "may be typed or left out."
        ),
    ]

    def build(path: Path) -> None:
        os.chmod(path, 0o600)  # it holds the recovery key: readable by this user only
        doc = SimpleDocTemplate(
            str(path),
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=f"{council}: Clerk Desk emergency sheet",
            author=made_by,
        )
        doc.build(story)

    return output.write_atomically(out, build)
