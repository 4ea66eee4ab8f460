"""Where Clerk Desk keeps its data, and which database it opens."""

from __future__ import annotations

import json
import os
from pathlib import Path

import platformdirs

APP_NAME = "clerk-desk"
DATABASE_ENV = "CLERK_DESK_DATABASE"
DATA_DIR_ENV = "CLERK_DESK_DATA_DIR"


def data_dir() -> Path:
    """The per-user data folder (``CLERK_DESK_DATA_DIR`` overrides it)."""
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The per-user folder for choices that belong to this PC, not to the council's database."""
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def default_database_url() -> str:
    """The embedded SQLite database in the data folder."""
    return f"sqlite:///{data_dir() / 'clerk_desk.db'}"


def resolve_database_url(given: str | None) -> str:
    """``--database`` if given, else ``CLERK_DESK_DATABASE``, else the default SQLite file.

    A bare file path is accepted as a SQLite database.
    """
    url = given or os.environ.get(DATABASE_ENV) or default_database_url()
    if "://" not in url:
        url = f"sqlite:///{Path(url).expanduser().resolve()}"
    return url


def remembered_actor(database_url: str) -> str | None:
    """The person chosen on this PC in the "Who is using Clerk Desk?" prompt for this database."""
    try:
        data = json.loads((config_dir() / "actor.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get(database_url) if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def remember_actor(database_url: str, name: str) -> None:
    """Remember who uses Clerk Desk on this PC, so the prompt is shown only once."""
    path = config_dir() / "actor.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            data = {}
    except (OSError, ValueError):
        data = {}
    data[database_url] = name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def _pc_settings() -> dict[str, object]:
    try:
        data = json.loads((config_dir() / "pc.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def default_backup_folder() -> Path:
    """``backups`` in the data folder."""
    return data_dir() / "backups"


def backup_folder() -> Path:
    """Where this PC puts the automatic backups (Settings; a OneDrive or network folder is usual)."""
    value = _pc_settings().get("backup_folder")
    return Path(value) if isinstance(value, str) and value else default_backup_folder()


def set_backup_folder(folder: Path | None) -> None:
    """Choose this PC's backups folder; None goes back to the default."""
    data = _pc_settings()
    if folder is None:
        data.pop("backup_folder", None)
    else:
        data["backup_folder"] = str(Path(folder).expanduser().resolve())
    path = config_dir() / "pc.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
