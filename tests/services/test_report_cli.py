"""The ``report --html`` and ``assertion10`` commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from clerk_desk import cli
from clerk_desk.storage.db import Database
from services.test_report import ACTOR, council, pdf_info, pdf_text  # noqa: F401 (the fixture)

BASE = ["report", "--from", "2025-05-01", "--to", "2026-04-30"]


def test_report_writes_the_pdf_and_the_accessible_html_and_notes_both(
    council: Database,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = council.url
    council.dispose()
    pdf, page = tmp_path / "review.pdf", tmp_path / "review.html"
    args = ["--database", url, "--actor", ACTOR, *BASE, "--public", "--out", str(pdf), "--html", str(page)]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert f"(PDF) to {pdf}" in out and f"(accessible HTML) to {page}" in out
    assert pdf_info(pdf)["Title"] == "Social media annual review 2025–26 — Little Ashcombe Town Council"
    assert page.read_text(encoding="utf-8").startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    assert cli.main(["--database", url, "--actor", ACTOR, "audit", "--limit", "5"]) == 0
    trail = capsys.readouterr().out
    assert "Review written public html, 2025-05-01 to 2026-04-30" in trail
    assert "Review written public pdf, 2025-05-01 to 2026-04-30" in trail
    # The accessible version now exists for the period, so Assertion 10 says so.
    assert (
        cli.main(
            ["--database", url, "--actor", ACTOR, "assertion10", "--from", "2025-05-01", "--to", "2026-04-30"]
        )
        == 0
    )
    evidence = capsys.readouterr().out
    assert "[Met] The council's published documents are accessible" in evidence
    assert "as accessible HTML (review.html)" in evidence


def test_report_needs_a_file_to_write(council: Database, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    url = council.url
    council.dispose()
    assert cli.main(["--database", url, *BASE]) == 2
    assert "give --out FILE.pdf, --html FILE.html, or both" in capsys.readouterr().err


def test_assertion10_on_the_demo_council_names_what_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert cli.main(["--database", url, "--actor", ACTOR, "demo"]) == 0
    capsys.readouterr()
    out_pdf, out_html = tmp_path / "a10.pdf", tmp_path / "a10.html"
    assert cli.main(["--database", url, "--actor", ACTOR, "assertion10", "--out", str(out_pdf)]) == 0
    text = capsys.readouterr().out
    for status in ("[Met]", "[Not met]", "[Not recorded]"):
        assert status in text
    for requirement in (
        "Council business is done with email addresses on a domain the council owns",
        "An IT and social-media policy is adopted, and reviewed at least once a year",
        "Everyone who holds access has acknowledged the policy",
        "Two-factor sign-in is on for every account that offers it",
        "UK GDPR is complied with, including a log of data breaches",
        "The council's published documents are accessible",
        "Credentials are handed over when the clerk changes",
    ):
        assert requirement in text, requirement
    assert "as summarised from the Practitioners' Guide 2025" in text
    assert "Still missing: " in text
    assert "has no two-factor sign-in" in text and "(Thornbury 9.5; " in text
    assert "No passwords are kept in Clerk Desk and no recovery key has been made" in text
    info = pdf_info(out_pdf)
    assert info["Title"].startswith("AGAR Assertion 10 evidence")
    assert "Not recorded" in pdf_text(out_pdf)
    assert cli.main(["--database", url, "--actor", ACTOR, "assertion10", "--out", str(out_html)]) == 0
    assert "<title>AGAR Assertion 10 evidence" in out_html.read_text(encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["--database", url, "assertion10", "--out", str(tmp_path / "no" / "a10.pdf")]) == 2
    assert "does not exist" in capsys.readouterr().err
