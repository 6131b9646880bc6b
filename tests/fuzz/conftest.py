"""Fuzz tests: print the entry point table after the run; save the counts under make fuzz."""
from __future__ import annotations

import pytest


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    from fuzz.harness import save_counts

    save_counts(finished=True)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from fuzz.harness import entry_points, table

    points = {n: e.to_dict() for n, e in entry_points().items() if e.inputs}
    if points:
        terminalreporter.write_sep("-", "fuzzed entry points")
        terminalreporter.write_line(table(points))
