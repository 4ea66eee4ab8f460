"""The architecture as a test: no import cycles, small modules, one table of clauses.

The layers themselves (ui above the services above the models, no Qt below the window, the keyring only
in ``credentials.vault``) are import-linter contracts in pyproject.toml, run by ``lint-imports`` in CI.
"""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest

from clerk_desk import clauses, demo
from clerk_desk.checks import engine
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database

PACKAGE = Path(__file__).resolve().parent.parent / "clerk_desk"
MAX_LINES = 400
# Being split as part of the window's accessibility and the reports work; removed from here then.
NOT_YET_SPLIT = {"clerk_desk/ui/reports_page.py"}


def test_no_module_imports_itself_through_others() -> None:
    graph = grimp.build_graph("clerk_desk")
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            # A package's own __init__ importing its children is not a cycle of modules.
            if imported.startswith(module + ".") or module.startswith(imported + "."):
                continue
            chain = graph.find_shortest_chain(importer=imported, imported=module)
            if chain:
                cycles.append(" -> ".join((module, *chain)))
    assert cycles == []


def test_no_module_is_over_400_lines() -> None:
    sizes = {
        str(path.relative_to(PACKAGE.parent)): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    over = {path: lines for path, lines in sizes.items() if lines > MAX_LINES}
    assert {path: lines for path, lines in over.items() if path not in NOT_YET_SPLIT} == {}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_finding_cites_its_rule_clause_from_the_one_table(db: Database, clock: FixedClock) -> None:
    with db.transaction("Demo") as session:
        demo.fill(session, clock.today(), "clerk-login")
    with db.read() as session:
        findings = engine.run(session, clock)
    assert findings
    assert {f.rule for f in findings} <= set(clauses.RULES)
    assert [f for f in findings if f.clause != clauses.RULES[f.rule]] == []
