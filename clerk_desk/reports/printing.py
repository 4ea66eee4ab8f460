"""Sending a PDF to the system's printing: CUPS' ``lp`` (or ``lpr``) on Linux and macOS, the "print"
action of the PDF's own application on Windows.

Qt cannot print a PDF by itself here (its PDF module is not part of the Qt the app ships with), and
rasterising pages would lose the text; the system print keeps the PDF as it is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from clerk_desk.errors import ClerkDeskError

#: How long the print command may take to queue the file.
TIMEOUT_SECONDS = 60


def _command() -> list[str] | None:
    for name in ("lp", "lpr"):
        found = shutil.which(name)
        if found:
            return [found]
    return None


def available() -> bool:
    """Whether this PC has a way to print a PDF."""
    return sys.platform == "win32" or _command() is not None


def unavailable_reason() -> str:
    return "This PC has no print command (lp or lpr, from CUPS); open the PDF and print it from the viewer."


def send(path: Path) -> str:
    """Queue the PDF on the default printer; returns what was done, in words."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        try:
            os.startfile(str(path), "print")  # type: ignore[attr-defined]
        except OSError as exc:
            raise ClerkDeskError(f"Windows could not print {path.name}: {exc.strerror}") from exc
        return f"Sent {path.name} to the printer."
    command = _command()
    if command is None:
        raise ClerkDeskError(unavailable_reason())
    try:
        done = subprocess.run(
            [*command, "--", str(path)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ClerkDeskError(f"The print command did not work: {exc}") from exc
    if done.returncode != 0:
        why = (done.stderr or done.stdout).strip().splitlines()
        raise ClerkDeskError(f"The printer refused {path.name}: {why[0] if why else 'no reason given'}")
    queued = done.stdout.strip().splitlines()
    return f"Sent {path.name} to the printer." + (f" ({queued[0]})" if queued else "")
