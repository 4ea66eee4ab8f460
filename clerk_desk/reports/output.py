"""Writing the PDF so that a failure never leaves half a file behind, and a file open in a viewer is
reported as such."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from clerk_desk.errors import ClerkDeskError, ValidationError


def check_output(out: Path) -> Path:
    """The path to write, or a ValidationError (``out``) when it is a folder or its folder is missing."""
    out = Path(out).expanduser()
    if out.is_dir():
        raise ValidationError("out", f"{out} is a folder; give the name of the PDF file to write")
    if not out.parent.is_dir():
        raise ValidationError("out", f"the folder {out.parent} does not exist")
    return out


def write_atomically(out: Path, write: Callable[[Path], None]) -> Path:
    """Write the file through a temporary file in the same folder, then put it in place in one step.

    Nothing is left behind when writing fails, and a PDF open in a viewer (which Windows locks) is
    reported as such rather than half overwritten.
    """
    out = check_output(out)
    folder = out.parent
    temp = folder / f".{out.name}.{secrets.token_hex(4)}.part"
    try:
        # O_EXCL: never write through a file (or link) someone else put there; the mode follows the umask.
        handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        os.close(handle)
    except OSError as exc:
        raise ValidationError("out", f"cannot write to the folder {folder}: {exc.strerror}") from exc
    try:
        try:
            write(temp)
        except OSError as exc:  # e.g. the disk is full
            raise ClerkDeskError(f"Cannot write {out}: {exc.strerror or exc}") from exc
        try:
            os.replace(temp, out)
        except PermissionError as exc:
            raise ClerkDeskError(
                f"{out} is open in another program (a PDF viewer?), so it cannot be replaced. "
                "Close it there and create the report again."
            ) from exc
        except OSError as exc:
            raise ClerkDeskError(f"Cannot write {out}: {exc.strerror or exc}") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return out
