"""Build the frozen Clerk Desk: ``uv run python packaging/build.py``.

Runs PyInstaller on ``packaging/clerk_desk.spec`` and leaves the app in ``dist/clerk-desk/`` (and
``dist/Clerk Desk.app`` on macOS). Prints how long it took and how big the folder is. ``--clean``
throws away PyInstaller's cache first (``build/pyinstaller``), which makes the build slower.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "clerk_desk.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
APP_DIR = DIST / "clerk-desk"


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def executable(folder: Path = APP_DIR) -> Path:
    """The command-line executable inside a built folder."""
    return folder / ("clerk-desk.exe" if sys.platform == "win32" else "clerk-desk")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", action="store_true", help="rebuild from scratch (no PyInstaller cache)")
    args = parser.parse_args(argv)

    import PyInstaller.__main__

    if args.clean and WORK.exists():
        shutil.rmtree(WORK)
    start = time.monotonic()
    PyInstaller.__main__.run(
        [str(SPEC), "--noconfirm", "--log-level=WARN", f"--distpath={DIST}", f"--workpath={WORK}"]
    )
    seconds = time.monotonic() - start
    built = executable()
    if not built.is_file():
        print(f"build.py: PyInstaller finished but {built} is missing", file=sys.stderr)
        return 1
    size = folder_size(APP_DIR)
    files = sum(1 for path in APP_DIR.rglob("*") if path.is_file())
    print(f"Built {APP_DIR} in {seconds:.0f} s: {size / 1_000_000:.0f} MB in {files} files.")
    bundle = DIST / "Clerk Desk.app"
    if bundle.is_dir():
        print(f"Built {bundle}: {folder_size(bundle) / 1_000_000:.0f} MB.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
