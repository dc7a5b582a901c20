"""The house rules, checked: callers decide by engine capabilities, modules stay one stage each."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "briefer"
MAX_LINES = 400
# A comparison against an engine's name: `== "openai"`, `!= "extractive"`, `in ("openai", ...)`.
NAME_CHECK = re.compile(
    r"""(?:==|!=)\s*["'](?:openai|extractive|function)["']|\bin\s*\(\s*["'](?:openai|extractive)"""
)


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_nothing_outside_engines_branches_on_an_engine_name() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}:{n}: {line.strip()}"
        for path in _modules()
        if "engines" not in path.relative_to(PACKAGE).parts
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if NAME_CHECK.search(line)
    ]
    assert not offenders, "decide by engine.capabilities instead:\n" + "\n".join(offenders)


def test_no_module_holds_more_than_one_stage() -> None:
    large = {
        str(p.relative_to(PACKAGE)): n
        for p in _modules()
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert not large, f"modules over {MAX_LINES} lines: {large}"
