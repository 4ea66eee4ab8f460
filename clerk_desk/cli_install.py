"""The command line about the installation itself: ``--version``, ``self-test``, and ``--smoke-test``."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence


class VersionAction(argparse.Action):
    """``--version``, looked up only when asked for (the package metadata is slow to import)."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(
            option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, nargs=0, help=help
        )

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: object, values: object, option: object = None
    ) -> None:
        from clerk_desk.storage.app_version import version

        print(f"clerk-desk {version() or 'unknown'}")
        parser.exit()


def add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action=VersionAction, help="print the version of Clerk Desk and exit")
    # For the packaging smoke test (README, "Build it yourself"): open the window, show every page, check
    # that it painted, and quit. Not for clerks, so not in --help.
    parser.add_argument("--smoke-test", action="store_true", help=argparse.SUPPRESS)


def add_commands(commands: argparse._SubParsersAction) -> None:
    commands.add_parser(
        "self-test",
        help="check this installation: upgrade scripts, fonts, and the password store "
        "(stores, reads back and removes a test entry); exit 1 on a problem",
    )


def cmd_self_test(url: str, args: argparse.Namespace) -> int:
    from clerk_desk import selftest

    results = selftest.run()
    for check in results:
        print(f"{'ok' if check.ok else 'FAILED':<7} {check.name}: {check.detail}")
    failed = [check.name for check in results if not check.ok]
    print(f"Problems: {', '.join(failed)}." if failed else "Everything Clerk Desk needs is in place.")
    return 1 if failed else 0


COMMANDS: dict[str, Callable[[str, argparse.Namespace], int]] = {"self-test": cmd_self_test}
