"""The accessible HTML review: its structure, and axe-core's WCAG 2.0/2.1/2.2 A and AA rules run in headless
Chromium with no violations (public and confidential versions, and the Assertion 10 evidence)."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from clerk_desk.reports import annual, assertion10, source
from clerk_desk.storage.db import Database
from services.test_report import ACTOR, PERIOD, council  # noqa: F401 (the fixture)

#: The axe-core script to inject (axe.min.js from the npm package); CI installs it and sets this.
AXE_ENV = "CLERK_DESK_AXE_JS"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
RUNNER = """
axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]})
  .then(function (r) {
    document.documentElement.setAttribute("data-axe-result", JSON.stringify({
      version: axe.version,
      rules: axe.getRules(%s).length,
      violations: r.violations.map(function (v) {
        var nodes = v.nodes.map(function (n) { return n.html; });
        return {id: v.id, impact: v.impact, help: v.help, nodes: nodes};
      })
    }));
  })
  .catch(function (e) { document.documentElement.setAttribute("data-axe-error", String(e)); });
"""


def axe_script() -> Path | None:
    named = os.environ.get(AXE_ENV)
    if named:
        return Path(named)
    for candidate in (
        Path("node_modules/axe-core/axe.min.js"),
        Path("/usr/lib/node_modules/axe-core/axe.min.js"),
        Path("/usr/local/lib/node_modules/axe-core/axe.min.js"),
    ):
        if candidate.is_file():
            return candidate
    return None


def browser() -> str | None:
    return next((found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None)


def run_axe(page: Path, scratch: Path) -> dict[str, object]:
    """axe-core's result for ``page``: the page is copied with axe and a runner added before ``</body>``,
    loaded by headless Chromium, and the result read back from the DOM Chromium dumps."""
    script, chrome = axe_script(), browser()
    if script is None or not script.is_file() or chrome is None:
        pytest.skip(f"needs Chromium and axe-core ({AXE_ENV}=.../axe-core/axe.min.js); CI installs both")
    tags = json.dumps(WCAG_TAGS)
    injected = f"<script>{script.read_text()}</script><script>{RUNNER % (tags, tags)}</script></body>"
    text = page.read_text(encoding="utf-8")
    assert text.count("</body>") == 1
    copy = scratch / f"axe-{page.name}"
    copy.write_text(text.replace("</body>", injected), encoding="utf-8")
    profile = scratch / "chromium-profile"
    command = [
        chrome,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=60000",
        "--dump-dom",
        copy.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    error = re.search(r'data-axe-error="([^"]*)"', done.stdout)
    assert error is None, html.unescape(error.group(1)) if error else ""
    found = re.search(r'data-axe-result="([^"]*)"', done.stdout)
    assert found, f"axe-core gave no result (Chromium exit {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(html.unescape(found.group(1)))  # type: ignore[no-any-return]


def write(db: Database, out: Path, *, public: bool) -> Path:
    with db.read() as session:
        return annual.create(session, db.clock, PERIOD, out, public=public, prepared_by=ACTOR)


class Outline(HTMLParser):
    """The page's headings, tables and their parts, as a screen reader would meet them."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.tables = 0
        self.captions = 0
        self.header_cells: list[str | None] = []
        self.lang: str | None = None
        self.svgs: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "table":
            self.tables += 1
        elif tag == "caption":
            self.captions += 1
        elif tag == "th":
            self.header_cells.append(values.get("scope"))
        elif tag == "svg":
            self.svgs.append(values)


@pytest.mark.parametrize("public", [True, False], ids=["public", "confidential"])
def test_the_html_review_is_structured_for_screen_readers(
    council: Database,  # noqa: F811
    tmp_path: Path,
    public: bool,
) -> None:
    page = write(council, tmp_path / "review.html", public=public)
    text = page.read_text(encoding="utf-8")
    outline = Outline()
    outline.feed(text)
    assert outline.lang == "en-GB"
    assert "<title>Social media annual review 2025–26 — Little Ashcombe Town Council</title>" in text
    assert outline.headings[0] == 1 and outline.headings.count(1) == 1
    steps = list(zip(outline.headings, outline.headings[1:], strict=False))
    assert all(after <= before + 1 for before, after in steps), outline.headings  # no level skipped
    assert outline.tables == outline.captions > 3
    assert outline.header_cells and all(scope in ("col", "row", "rowgroup") for scope in outline.header_cells)
    assert len(outline.svgs) == 2 and all(svg.get("role") == "img" for svg in outline.svgs)
    assert all(svg.get("aria-labelledby") for svg in outline.svgs)
    assert "<desc id=" in text and "The figures behind the chart" in text  # text alternative and table
    assert "@media print" in text
    assert "<script" not in text and "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    assert ("PUBLIC" in text) == public and ("CONFIDENTIAL" in text) == (not public)


def test_markup_in_a_record_is_printed_as_text(council: Database, tmp_path: Path) -> None:  # noqa: F811
    from clerk_desk.incidents import lifecycle as incidents

    with council.transaction(ACTOR) as session:
        record = incidents.by_reference(session, "INC-2025-001")
        assert record is not None
        record.title = '<script>alert("x")</script> & <b>bold</b>'
    text = write(council, tmp_path / "review.html", public=False).read_text(encoding="utf-8")
    assert "<script>" not in text and "<b>bold</b>" not in text
    assert '&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;' in text


@pytest.mark.axe
@pytest.mark.parametrize("public", [True, False], ids=["public", "confidential"])
def test_axe_core_finds_no_wcag_violation_in_the_html_review(
    council: Database,  # noqa: F811
    tmp_path: Path,
    public: bool,
) -> None:
    page = write(council, tmp_path / "review.html", public=public)
    result = run_axe(page, tmp_path)
    assert int(result["rules"]) > 50  # type: ignore[call-overload]  # the tags really selected rules
    assert result["violations"] == [], json.dumps(result["violations"], indent=2)


@pytest.mark.axe
def test_axe_core_finds_no_wcag_violation_in_the_assertion_10_evidence(
    council: Database,  # noqa: F811
    tmp_path: Path,
) -> None:
    with council.read() as session:
        evidence = assertion10.evaluate(session, source.load(session, council.clock, PERIOD))
    page = annual.write(assertion10.document(evidence, ACTOR), tmp_path / "assertion10.html", "html")
    result = run_axe(page, tmp_path)
    assert result["violations"] == [], json.dumps(result["violations"], indent=2)


@pytest.mark.axe
def test_axe_check_catches_a_real_violation(tmp_path: Path) -> None:
    """The check itself can fail: a page with an unlabelled image and faint text has violations."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en-GB"><head><title>Bad</title></head><body><main><h1>Bad</h1>'
        '<p style="color:#bbbbbb">faint</p><img src="x.png"></main></body></html>',
        encoding="utf-8",
    )
    found = {v["id"] for v in run_axe(page, tmp_path)["violations"]}  # type: ignore[attr-defined]
    assert {"color-contrast", "image-alt"} <= found
