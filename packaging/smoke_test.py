"""Smoke-test the frozen Clerk Desk in ``dist/clerk-desk``: ``uv run python packaging/smoke_test.py``.

Runs the built executable (never the source) in a scratch folder with its own data folder:
``--version``, ``demo``, ``check``, ``report``, ``reminders --ics``, ``export``, a JPEG council logo,
the window opened offscreen with every page painted (``--smoke-test``), a database of the oldest schema
migrated by the frozen app, and ``self-test``, whose password-store check stores, reads back and
removes an entry in the real keyring: on Linux a GNOME Keyring started for the purpose under
``dbus-run-session``, on Windows the Credential Manager. With ``--postgres``, also a PostgreSQL
database. On Linux it first checks that every bundled library finds the libraries it links to.
Exits 1 if anything failed or is missing.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import APP_DIR, ROOT, executable

OLDEST_DATABASE = ROOT / "tests" / "data" / "schema_0001.db"
TIMEOUT = 120
LINUX = sys.platform.startswith("linux")
POSTGRES_ENV = "CLERK_DESK_TEST_POSTGRES"
#: The demo council's account whose password the smoke test seals and opens again.
ACCOUNT = "Facebook:@LittleAshcombeTC"


class Failed(Exception):
    pass


class SmokeTest:
    def __init__(self, app: Path, scratch: Path) -> None:
        self.app = app
        self.scratch = scratch
        self.failures: list[str] = []
        self.env = {
            key: value
            for key, value in os.environ.items()
            # Nothing from a developer's Python may leak into the frozen app.
            if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "CLERK_DESK_DATABASE")
        }
        self.env.update(
            CLERK_DESK_DATA_DIR=str(scratch / "data"),
            QT_QPA_PLATFORM="offscreen",
            # A machine without a keyring for the steps outside the Secret Service session: they must
            # work (and say so) without one.
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        )
        self.env.setdefault("XDG_RUNTIME_DIR", str(self._private_dir("runtime")))
        self.database = f"sqlite:///{scratch / 'council.db'}"

    def _private_dir(self, name: str) -> Path:
        folder = self.scratch / name
        folder.mkdir(mode=0o700, exist_ok=True)
        return folder

    def run(self, *args: str, expect: int = 0, env: dict[str, str] | None = None, stdin: str = "") -> str:
        """Run the frozen app; its output, or Failed when the exit status is not ``expect``."""
        command = [str(self.app), *args]
        result = subprocess.run(
            command,
            input=f"{stdin}\n" if stdin else None,
            cwd=self.scratch,
            env=env or self.env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=TIMEOUT,
            check=False,
        )
        if result.returncode != expect or "Traceback" in result.stderr:
            raise Failed(
                f"`{' '.join(args)}` exited {result.returncode} (expected {expect})\n"
                f"--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
            )
        return result.stdout

    def app_db(self, *args: str, expect: int = 0) -> str:
        return self.run("--database", self.database, *args, expect=expect)

    def step(self, name: str, action: Callable[[], str]) -> None:
        start = time.monotonic()
        try:
            detail = action()
        except (Failed, AssertionError, OSError, subprocess.TimeoutExpired, ValueError) as exc:
            self.failures.append(name)
            print(f"FAILED  {name}: {exc}", flush=True)
            return
        print(f"ok      {name} ({time.monotonic() - start:.1f} s): {detail}", flush=True)

    # --- the steps --------------------------------------------------------------------------------

    def version(self) -> str:
        expected = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
        out = self.run("--version").strip()
        assert out == f"clerk-desk {expected}", out
        return out

    def demo(self) -> str:
        out = self.app_db("demo")
        assert "8 people, 8 accounts" in out, out
        return out.splitlines()[0]

    def check(self) -> str:
        out = self.app_db("check", expect=1)  # the demo council has findings on purpose
        findings = json.loads(self.app_db("check", "--json", expect=1))
        assert findings and {"rule", "clause", "severity"} <= set(findings[0]), findings[:1]
        assert "password-missing" in out, "no finding about the (missing) password store"
        return out.strip().splitlines()[-1]

    def report(self) -> str:
        pdf, html = self.scratch / "review.pdf", self.scratch / "review-public.html"
        period = ("--from", "2026-01-01", "--to", "2026-12-31")
        out = self.app_db("report", *period, "--out", str(pdf))
        self.app_db("report", *period, "--public", "--html", str(html))
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-"), "not a PDF"
        assert b"DejaVuSans" in data, "the report's font (resources/fonts) is not in the PDF"
        if shutil.which("pdftotext"):
            text = subprocess.run(
                ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            assert "Little Ashcombe" in text, "the council's name is not in the PDF's text"
        page = html.read_text(encoding="utf-8")
        assert 'lang="en-GB"' in page and "<svg" in page, "the HTML review has no language or charts"
        a10 = self.app_db("assertion10", *period)
        assert "Assertion 10" in a10, a10
        return f"{out.strip()} ({len(data) // 1024} KB); the public HTML review; assertion10"

    def reminders(self) -> str:
        ics = self.scratch / "due.ics"
        out = self.app_db("reminders", "--ics", str(ics))
        text = ics.read_text(encoding="utf-8")
        assert text.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in text, text[:200]
        return out.strip().splitlines()[-1]

    def export(self) -> str:
        target = self.scratch / "accounts.csv"
        self.app_db("export", "accounts", str(target))
        rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
        assert len(rows) == 8 and rows[0]["platform"], rows[:1]
        people = list(csv.DictReader(io.StringIO(self.app_db("export", "people", "-"))))
        assert any(row["name"] == "Zoë Hartley" for row in people), "Zoë Hartley is not in the export"
        return f"{len(rows)} accounts to a file, {len(people)} people to the screen"

    def logo(self) -> str:
        from PIL import Image  # reportlab's dependency, in the development environment

        path = self.scratch / "crest.jpg"
        Image.new("RGB", (120, 80), (30, 90, 160)).save(path, "JPEG")
        return self.app_db("settings", "logo", str(path)).strip()

    def window(self) -> str:
        out = self.app_db("--smoke-test")
        for expected in ("page Settings: painted", "council logo", "image formats"):
            assert f"ok      {expected}" in out, f"{expected!r} missing from:\n{out}"
        return f"{out.count('painted')} pages painted, JPEG logo shown"

    def oldest_database(self) -> str:
        old = self.scratch / "old" / "council.db"
        old.parent.mkdir()
        shutil.copyfile(OLDEST_DATABASE, old)
        url = f"sqlite:///{old}"
        self.run("--database", url, "check", expect=1)
        copies = list(old.parent.glob("council.before-*.from-0001.*.db"))
        assert len(copies) == 1, f"no copy set aside before migrating: {sorted(old.parent.iterdir())}"
        verified = self.run("--database", url, "audit", "--verify")
        conn = sqlite3.connect(old)
        try:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            noted = conn.execute("SELECT version FROM app_version").fetchone()[0]
        finally:
            conn.close()
        version = self.run("--version").split()[-1]
        assert noted == version, f"the database notes version {noted}, not {version}"
        return f"0001 -> {revision}, copy {copies[0].name}; {verified.strip()}; notes version {noted}"

    def password_store(self) -> str:
        if not LINUX:
            return self.password_store_of_this_pc()
        for tool in ("dbus-run-session", "gnome-keyring-daemon"):
            if not shutil.which(tool):
                raise Failed(f"{tool} is not installed (Debian: dbus, gnome-keyring)")
        # A private session bus with a fresh, unlocked "login" keyring, as .ci/run's Secret Service step.
        env = {
            key: value
            for key, value in self.env.items()
            if key not in ("PYTHON_KEYRING_BACKEND", "DBUS_SESSION_BUS_ADDRESS", "GNOME_KEYRING_CONTROL")
        }
        env.update(HOME=str(self._private_dir("home")), XDG_RUNTIME_DIR=str(self._private_dir("ss-runtime")))
        for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            env.pop(variable, None)
        # The window runs last, so that it finds a key and a sealed password in the store.
        script = """
            set -eu
            printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
            app=$0 db=$1 sheet=$2
            "$app" self-test
            "$app" --database "$db" key init --emergency-sheet "$sheet"
            printf '%s\\n' "$SMOKE_SECRET" | "$app" --database "$db" password set "$3" --existing
            echo "read back: $("$app" --database "$db" password get "$3")"
            printf '%s\\n' "$SMOKE_PASSPHRASE" | "$app" --database "$db" password export --kdbx "$4"
            "$app" --database "$db" --smoke-test
        """
        sheet = self.scratch / "emergency-sheet.pdf"
        kdbx = self.scratch / "passwords.kdbx"
        secret = "Zoë's smoke-test pässword 7"
        passphrase = "correct horse battery staple 42"
        result = subprocess.run(
            [
                *("dbus-run-session", "--", "sh", "-c", script),
                *(str(self.app), self.database, str(sheet), ACCOUNT, str(kdbx)),
            ],
            cwd=self.scratch,
            env=env | {"SMOKE_SECRET": secret, "SMOKE_PASSPHRASE": passphrase},
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=TIMEOUT,
            check=False,
        )
        # The password is a throwaway, but it is still kept out of what the smoke test prints.
        out = result.stdout.replace(secret, "<the password>")
        if result.returncode != 0 or "Traceback" in result.stderr:
            raise Failed(f"exited {result.returncode}\n--- stdout\n{out}--- stderr\n{result.stderr}")
        assert "ok      password store: SecretService Keyring: a test entry was stored" in out, out
        assert "read back: <the password>" in out, f"the sealed password did not come back:\n{out}"
        assert sheet.read_bytes().startswith(b"%PDF-"), "no emergency sheet"
        assert kdbx.read_bytes()[:4] == b"\x03\xd9\xa2\x9a", "the KeePass export is not a KeePass file"
        if shutil.which("keepassxc-cli"):
            listed = subprocess.run(
                ["keepassxc-cli", "ls", "-R", "-f", str(kdbx)],
                input=f"{passphrase}\n",
                capture_output=True,
                text=True,
                check=False,
            )
            assert "LittleAshcombeTC" in listed.stdout, (
                f"keepassxc-cli does not list the account: {listed.stderr}"
            )
        database = self.scratch / "council.db"
        for path in (database, database.with_name("council.db-wal")):
            if path.exists():
                assert secret.encode() not in path.read_bytes(), f"the password is readable in {path.name}"
        assert "(Password store: ready)" in out, "the window did not find the keyring ready"
        return (
            "self-test stored, read back and removed an entry in GNOME Keyring; a key made (with its "
            "emergency sheet), a password sealed and opened again, not readable in the database, "
            "exported to KeePass; the window found the store ready"
        )

    def password_store_of_this_pc(self) -> str:
        """Windows and macOS: the real store of the user running the test (Credential Manager, Keychain)."""
        env = {key: value for key, value in self.env.items() if key != "PYTHON_KEYRING_BACKEND"}
        out = self.run("self-test", env=env)
        assert "stored, read back and removed" in out, out
        if not os.environ.get("CI"):
            # A key made here would stay in this user's own store: only on a throwaway CI machine.
            return out.strip().splitlines()[-2]
        secret = "Zoë's smoke-test pässword 7"
        sheet = self.scratch / "emergency-sheet.pdf"
        self.run("--database", self.database, "key", "init", "--emergency-sheet", str(sheet), env=env)
        self.run("--database", self.database, "password", "set", ACCOUNT, "--existing", env=env, stdin=secret)
        got = self.run("--database", self.database, "password", "get", ACCOUNT, env=env)
        assert got.strip() == secret, "the sealed password did not come back"
        assert sheet.read_bytes().startswith(b"%PDF-"), "no emergency sheet"
        return "self-test round trip; a key made, a password sealed and opened again"

    def backup(self) -> str:
        folder = self.scratch / "backups"
        out = self.app_db("backup", "--to", str(folder))
        made = sorted(folder.glob("clerk-desk-*.db"))
        assert len(made) == 1, f"no backup in {folder}: {out}"
        archive = self.scratch / "council.zip"
        self.app_db("archive", "--out", str(archive))
        assert zipfile.is_zipfile(archive), "the archive is not a zip file"
        return f"{made[0].name} checked and kept; the council archived ({archive.stat().st_size // 1024} KB)"

    def evidence(self) -> str:
        evidence = self.scratch / "screenshot.jpg"
        shutil.copyfile(self.scratch / "crest.jpg", evidence)
        self.app_db("evidence", "add", "INC-2026-004", str(evidence))
        copy = self.scratch / "copy.jpg"
        self.app_db("evidence", "get", "INC-2026-004", evidence.name, "--out", str(copy))
        assert copy.read_bytes() == evidence.read_bytes(), "the evidence file came back different"
        return f"{evidence.name} attached to INC-2026-004 and written out again, checked"

    def libraries(self) -> str:
        """Every library in the folder finds the libraries it links to (Linux: the X11 window, too)."""
        internal = self.app.parent / "_internal"
        binaries = [path for path in internal.rglob("*.so*") if path.is_file() and not path.is_symlink()]
        env = self.env | {"LD_LIBRARY_PATH": str(internal)}
        missing = set()
        for path in binaries:
            result = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env, check=False)
            missing |= {
                f"{path.name}: {line.split()[0]}"
                for line in result.stdout.splitlines()
                if "not found" in line
            }
        if missing:
            raise Failed(
                "libraries not found (install them on the build machine and rebuild):\n  "
                + "\n  ".join(sorted(missing))
            )
        plugins = sorted(
            str(p.relative_to(internal / "PySide6" / "Qt" / "plugins")) for p in internal.rglob("plugins/*/*")
        )
        return f"{len(binaries)} libraries all resolve; Qt plugins: {', '.join(plugins)}"

    def postgres(self) -> str:
        url = os.environ.get(POSTGRES_ENV, "")
        if not url:
            raise Failed(f"{POSTGRES_ENV} is not set (run under bash .ci/with-postgres.sh)")
        self.run("--database", url, "demo")
        out = self.run("--database", url, "check", expect=1)
        verified = self.run("--database", url, "audit", "--verify")
        return f"demo, check ({out.strip().splitlines()[-1]}), {verified.strip()}"

    def all(self, postgres: bool = False) -> int:
        print(f"Smoke test of {self.app} in {self.scratch}", flush=True)
        steps: list[tuple[str, Callable[[], str]]] = [("bundled libraries", self.libraries)] if LINUX else []
        for name, action in [
            *steps,
            ("--version", self.version),
            ("demo", self.demo),
            ("check", self.check),
            ("report", self.report),
            ("reminders --ics", self.reminders),
            ("export", self.export),
            ("settings logo (JPEG)", self.logo),
            ("window, offscreen", self.window),
            ("evidence", self.evidence),
            ("backup and archive", self.backup),
            ("oldest database migrated", self.oldest_database),
            ("password store and sealed passwords", self.password_store),
            *([("PostgreSQL", self.postgres)] if postgres else []),
        ]:
            self.step(name, action)
        if self.failures:
            print(f"SMOKE TEST FAILED: {', '.join(self.failures)}", flush=True)
            return 1
        print("Smoke test passed.", flush=True)
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", type=Path, default=APP_DIR, help=f"the built folder (default {APP_DIR})")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder to look at")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help=f"also use the empty PostgreSQL database named by {POSTGRES_ENV} (.ci/with-postgres.sh)",
    )
    args = parser.parse_args(argv)
    app = executable(args.app)
    if not app.is_file():
        print(f"smoke_test.py: {app} does not exist; build it first (packaging/build.py)", file=sys.stderr)
        return 1
    if sys.platform == "win32" and not (args.app / "Clerk Desk.exe").is_file():
        print(f"smoke_test.py: the windowed 'Clerk Desk.exe' is missing from {args.app}", file=sys.stderr)
        return 1
    scratch = Path(tempfile.mkdtemp(prefix="clerk-desk-smoke."))
    try:
        return SmokeTest(app, scratch).all(postgres=args.postgres)
    finally:
        if args.keep:
            print(f"(kept {scratch})")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
