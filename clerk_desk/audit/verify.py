"""``audit --verify``: the chain, the checkpoints and the replay together, in words an internal auditor
can read: what was checked, what was found, and what could not be checked."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from clerk_desk.audit import chain, checkpoints, replay


@dataclass
class Report:
    """The outcome of a verification."""

    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    not_checked: list[str] = field(default_factory=list)
    entries: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            return f"The audit trail is intact and the register matches it ({_count(self.entries, 'entry')})."
        return (
            f"The audit trail or the register has been altered: {_count(len(self.problems), 'problem')} "
            f"found in {_count(self.entries, 'entry')}."
        )

    def lines(self) -> list[str]:
        """The report as lines of text, for the command line and the Audit trail page."""
        out = ["Checked:"]
        out += [f"  - {line}" for line in self.checked]
        if self.problems:
            out.append("Found:")
            out += [f"  TAMPERED: {line}" for line in self.problems]
        if self.not_checked:
            out.append("Could not check:")
            out += [f"  - {line}" for line in self.not_checked]
        out.append(self.summary())
        return out


def verify(session: Session, actor: str | None = None) -> Report:
    """Check the chain, compare it with every checkpoint, and replay it against the current rows.

    ``actor`` is who verifies: a holder of the council audit key on this PC can also check the keyed
    hashes. Nothing is written.
    """
    if actor:
        session.info["actor"] = actor
    report = Report()
    found = chain.verify(session)
    report.entries = found.entries
    keyed = (
        f"; {found.keyed} keyed with the council audit key"
        if found.keyed
        else "; none keyed with an audit key"
    )
    report.checked.append(
        f"{_count(found.entries, 'entry')}, each chained to the one before by its hash{keyed}"
    )
    report.problems += found.problems
    report.not_checked += found.not_checked
    if found.entries and not found.keyed:
        report.not_checked.append(
            "whether a chain was recomputed from scratch: without the council audit key a plain SHA-256 can "
            "be recomputed by anyone, so only the checkpoints and the replay below catch that"
        )
    points = checkpoints.check(session, found.hashes, found.head_seq)
    if points.checked:
        report.checked.append(
            f"{_count(points.checked, 'checkpoint')} in the database and this PC's anchor file "
            f"({points.signed} signed by a key holder)"
        )
    else:
        report.not_checked.append(
            "whether the newest entries were removed: there is no checkpoint yet (one is made at each annual "
            "report and when the window closes)"
        )
    report.problems += points.problems or []
    report.not_checked += points.not_checked or []
    replayed = replay.replay(session)
    report.checked.append(
        f"{_count(replayed.rows, 'row')} in {_count(len(replayed.tables), 'table')} "
        f"({', '.join(replayed.tables)}) against the values the trail recorded"
    )
    report.problems += replayed.problems
    report.not_checked += replayed.not_checked
    return report


def _count(number: int, noun: str) -> str:
    if number == 1:
        return f"1 {noun}"
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{number} {plural}"
