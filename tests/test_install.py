"""What `pip install -e .` must bring, whatever pip: every import and every extra is declared.

The pip bundled with Python 3.11 (23.2.1) resolved lxml 6 without the ``html_clean`` extra
that justext asks for, so trafilatura could not be imported on a fresh install. These checks
need no network; `make install-check` does the real thing (a fresh venv with that old pip,
then `sokbo run` on the demo corpus).
"""
from __future__ import annotations

import ast
import importlib
import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, distribution, packages_distributions
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src" / "sokbo"


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _name(requirement: str) -> str:
    return _norm(re.split(r"[\s;<>=!~\[(]", requirement.strip(), maxsplit=1)[0])


def _declared() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    return {_name(r) for r in project["dependencies"]}


def _imported_top_level() -> set[str]:
    names: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "sokbo"}


def test_every_imported_package_is_declared() -> None:
    owners = packages_distributions()
    declared = _declared()
    missing = {}
    for module in sorted(_imported_top_level()):
        dists = {_norm(d) for d in owners.get(module, [module])}
        if not dists & declared:
            missing[module] = sorted(dists)
    assert not missing, f"imported but not in pyproject dependencies: {missing}"


def _requirements(dist_name: str) -> list[str]:
    try:
        reqs = distribution(dist_name).requires or []
    except PackageNotFoundError:
        return []
    # only what is installed unconditionally (no "extra ==" marker)
    return [r for r in reqs if "extra ==" not in r and "extra==" not in r]


def test_every_extra_in_the_dependency_tree_is_declared() -> None:
    """An ``x[extra]`` anywhere below us: the extra's own requirements must be ours too."""
    declared = _declared()
    seen: set[str] = set()
    todo = sorted(declared)
    undeclared: dict[str, list[str]] = {}
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for req in _requirements(name):
            head = req.split(";")[0]
            if ";" in req:
                continue  # old Pythons and other platforms (backports, colorama on Windows)
            todo.append(_name(req))
            m = re.search(r"\[([^\]]+)\]", head)
            if not m:
                continue
            base = _name(req)
            for extra in (e.strip() for e in m.group(1).split(",")):
                for extra_req in _extra_requirements(base, extra):
                    if _name(extra_req) not in declared:
                        undeclared.setdefault(f"{name} -> {head.strip()}", []).append(
                            _name(extra_req))
    assert not undeclared, f"extras that old pip may drop, not declared: {undeclared}"


def _extra_requirements(dist_name: str, extra: str) -> list[str]:
    try:
        reqs = distribution(dist_name).requires or []
    except PackageNotFoundError:
        return []
    pattern = re.compile(rf"""extra\s*==\s*["']{re.escape(extra)}["']""".replace("_", "[-_]"))
    return [r for r in reqs if pattern.search(r.replace("-", "_")) or pattern.search(r)]


@pytest.mark.parametrize("module", [
    "trafilatura", "justext", "lxml.html.clean", "lxml_html_clean", "htmldate", "courlan",
    "feedparser", "kiwipiepy", "kiwipiepy_model", "html5lib", "zoneinfo",
])
def test_runtime_pieces_we_use_import(module: str) -> None:
    importlib.import_module(module)


def test_korean_time_zone_is_available() -> None:
    from datetime import datetime, timedelta

    from sokbo.dates import KST

    assert datetime(2026, 1, 1, tzinfo=KST).utcoffset() == timedelta(hours=9)
