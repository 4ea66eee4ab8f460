"""The large council every benchmark uses: design.md's "Quality bars" size, built through the real import.

1,000 people, 300 accounts, 5,000 grants and 50,000 incidents over ten years (95% of them closed), as a
district council's history looks. ``scale`` shrinks or grows every count together (``scale=0.1`` is
about the demo council's size). Everything goes through ``imports.import_rows``, the path
``clerk-desk import`` takes, so every record is audited as in real use.

usage: uv run python bench/council.py OUT.db [--scale 1.0]
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CLERK = "Bench Clerk"
CLERK_LOGIN = "bench-clerk"
SIZES = {"people": 1000, "accounts": 300, "grants": 5000, "incidents": 50_000}
PLATFORMS = ("Facebook", "X", "Instagram", "YouTube", "LinkedIn", "TikTok")
CATEGORIES = ("account_compromise", "personal_data", "impersonation", "harassment", "policy_breach", "other")


def sizes(scale: float) -> dict[str, int]:
    return {kind: max(2, round(count * scale)) for kind, count in SIZES.items()}


def as_csv(columns: Iterable[str], rows: Iterable[Mapping[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def people_rows(count: int, today: date) -> list[dict[str, str]]:
    roles = ("employee", "volunteer", "councillor", "contractor")
    rows = [
        {
            "name": CLERK,
            "role": "clerk",
            "email": "clerk@bench.gov.uk",
            "job_title": "Clerk",
            "login": CLERK_LOGIN,
            "started_on": (today - timedelta(days=4000)).isoformat(),
        }
    ]
    for i in range(count - 1):
        left = today - timedelta(days=10 + i % 3000) if i % 9 == 0 else None
        rows.append(
            {
                "name": f"Person {i:04d}",
                "role": roles[i % 4],
                "email": f"person{i}@bench.gov.uk",
                "job_title": "Officer",
                "login": f"login{i}",
                "started_on": (today - timedelta(days=3100 + i)).isoformat(),
                "left_on": left.isoformat() if left else "",
            }
        )
    return rows


def account_rows(count: int, today: date) -> list[dict[str, str]]:
    statuses = ("active", "active", "suspended", "proposed", "closed")
    rows = []
    for i in range(count):
        status = statuses[i % 5]
        approved = status != "proposed"
        rows.append(
            {
                "platform": PLATFORMS[i % 6],
                "handle": f"@bench{i:04d}",
                "url": f"https://example.org/bench{i}",
                "purpose": f"Service {i}",
                "status": status,
                "sign_in_email": f"social{i % 7}@bench.gov.uk",
                "two_factor": ("none", "sms", "app", "hardware_key", "not_offered")[i % 5],
                "approved_by": CLERK if approved else "",
                "approved_on": (today - timedelta(days=3650)).isoformat() if approved else "",
                "business_case": "Service channel",
                "complaints_info": "yes" if i % 3 else "no",
                "last_rotated_on": (today - timedelta(days=i % 400)).isoformat(),
                "opened_on": (today - timedelta(days=3650)).isoformat(),
                "closed_on": (today - timedelta(days=5)).isoformat() if status == "closed" else "",
                "suspended_from": (today - timedelta(days=3)).isoformat() if status == "suspended" else "",
            }
        )
    return rows


def grant_rows(count: int, n_people: int, n_accounts: int, today: date) -> list[dict[str, str]]:
    rows = []
    for i in range(count):
        person = i % (n_people - 1)
        # Councillors hold no access (Thornbury 9.2), and a leaver gets no new grant.
        while person % 4 == 2 or person % 9 == 0:
            person = (person + 1) % (n_people - 1)
        granted = today - timedelta(days=3000 - (i % 2900))
        revoked = granted + timedelta(days=30) if i % 10 else None  # most grants ended long ago
        rows.append(
            {
                "person": f"Person {person % (n_people - 1):04d}",
                "account": f"{PLATFORMS[i % n_accounts % 6]}:@bench{i % n_accounts:04d}",
                "level": "post",
                "business_case": "Posts events",
                "approved_by": CLERK,
                "granted_on": granted.isoformat(),
                "revoked_on": revoked.isoformat() if revoked and revoked <= today else "",
                "revoke_reason": "Project ended" if revoked and revoked <= today else "",
            }
        )
    return rows


def incident_rows(count: int, n_accounts: int, now: datetime) -> list[dict[str, str]]:
    rows = []
    for i in range(count):
        reported = now - timedelta(hours=1 + (i * 7919) % (10 * 365 * 24))
        closed = i % 20 != 0 and reported < now - timedelta(days=3)  # 95% closed
        category = CATEGORIES[i % len(CATEGORIES)]
        done = (reported + timedelta(days=2)).isoformat(timespec="minutes") if closed else ""
        row = {
            "reference": f"INC-{reported.year}-{i:05d}",
            "category": category,
            "severity": ("low", "medium", "high", "critical")[i % 4],
            "title": f"Incident {i}",
            "description": f"What happened in incident {i}, and what was done about it.",
            "reported_by": CLERK,
            "reported_at": reported.isoformat(timespec="minutes"),
            "discovered_at": reported.isoformat(timespec="minutes"),
            "accounts": f"{PLATFORMS[i % n_accounts % 6]}:@bench{i % n_accounts:04d}",
            "status": "closed" if closed else "open",
            "resolved_at": done,
            "outcome": "Dealt with." if closed else "",
        }
        if closed:
            for column in (
                "change_passwords_at",
                "review_access_at",
                "platform_notified_at",
                "public_notified_at",
                "reported_to_clerk_at",
                "referral_at",
            ):
                row[column] = done
            if category == "personal_data":
                row["risk_likelihood"] = row["risk_severity"] = "low"
                row["mitigation"] = "Contained the same day."
                row["ico_decision"] = "not_notifiable"
                row["outcome"] = "No risk to anyone: not notifiable."
        rows.append(row)
    return rows


def build(path: Path, scale: float = 1.0, *, report: bool = True) -> str:
    """Build the council into a new SQLite file; returns its URL."""
    from clerk_desk import imports
    from clerk_desk.access import grants
    from clerk_desk.incidents import records
    from clerk_desk.register import accounts, people, settings
    from clerk_desk.storage.clock import FixedClock
    from clerk_desk.storage.db import open_database

    n = sizes(scale)
    now = datetime.now(UTC).replace(microsecond=0)
    today = now.date()
    url = f"sqlite:///{path}"
    database = open_database(url, FixedClock(now))
    steps = (
        ("people", people.COLUMNS, people_rows(n["people"], today)),
        (
            "accounts",
            tuple(dict.fromkeys((*accounts.COLUMNS, "suspended_from"))),
            account_rows(n["accounts"], today),
        ),
        ("grants", grants.COLUMNS, grant_rows(n["grants"], n["people"], n["accounts"], today)),
        ("incidents", records.COLUMNS, incident_rows(n["incidents"], n["accounts"], now)),
    )
    with database.transaction(CLERK) as session:
        settings.update(
            session, {"council_name": "Benchmark District Council", "email_domains": "bench.gov.uk"}
        )
    for kind, columns, rows in steps:
        started = time.perf_counter()
        with database.transaction(CLERK) as session:
            imports.import_rows(session, kind, as_csv(columns, rows), today)
        if report:
            elapsed = time.perf_counter() - started
            print(
                f"imported {len(rows):>6} {kind:<9} in {elapsed:6.2f} s ({len(rows) / elapsed:,.0f} rows/s)"
            )
    database.dispose()
    return url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    if args.out.exists():
        sys.exit(f"{args.out} exists; give a new file")
    build(args.out, args.scale)
    return 0


if __name__ == "__main__":
    sys.exit(main())
