"""The documentation, checked: configuration.md lists exactly the settings there are, links lead
somewhere, the README stays one page, and the Python examples of the README and docs/ run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import types
import typing
from pathlib import Path

import pytest
from pydantic import SecretStr

from briefer.cli import options
from briefer.config import Settings

REPO = Path(__file__).parents[1]
DOCS = REPO / "docs"
CONFIGURATION = DOCS / "configuration.md"
SETTINGS_HEADING = "## Engine settings"
NONE = "—"


def _settings_rows() -> dict[str, list[str]]:
    """field -> its row's cells, from the table under SETTINGS_HEADING."""
    section = CONFIGURATION.read_text().split(SETTINGS_HEADING, 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]
    return {row[0].strip("`"): row for row in cells}


def _settings_table() -> dict[str, tuple[set[str], str | None]]:
    """field -> (flags, variable) as configuration.md lists them."""
    return {
        field: (set(re.findall(r"`([^`]+)`", row[1])), None if row[2] == NONE else row[2].strip("`"))
        for field, row in _settings_rows().items()
    }


class _ReadRecorder(dict[str, str]):
    """An environment that remembers every variable asked for."""

    def __init__(self, values: dict[str, str] | None = None) -> None:
        super().__init__(values or {})
        self.asked: set[str] = set()

    def get(self, key: str, default: typing.Any = None) -> typing.Any:
        self.asked.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> str:
        self.asked.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.asked.add(str(key))
        return super().__contains__(key)


def _a_value_for(field: str) -> tuple[str, object]:
    """A valid non-default value of ``field`` as a variable's text and as the parsed setting."""
    annotation = Settings.model_fields[field].annotation
    optional = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    kind = next(k for k in typing.get_args(annotation) if k is not type(None)) if optional else annotation
    default = Settings.model_fields[field].default
    if typing.get_origin(kind) is typing.Literal:
        choice = next(c for c in typing.get_args(kind) if c != default)
        return choice, choice
    samples: dict[object, tuple[str, object]] = {
        str: ("docs-check", "docs-check"),
        Path: ("docs-prompts", Path("docs-prompts")),
        bool: ("true", True),
        int: ("4321", 4321),
        float: ("12.5", 12.5),
        SecretStr: ("sk-docs", "sk-docs"),
    }
    return samples[kind]


def test_configuration_lists_exactly_the_settings_fields() -> None:
    assert set(_settings_table()) == set(Settings.model_fields)


def test_configuration_names_exactly_the_variables_settings_reads() -> None:
    documented = {variable for _, variable in _settings_table().values() if variable}
    recorder = _ReadRecorder()
    Settings.from_env(env=recorder)
    assert documented == {name for name in recorder.asked if name.startswith(("BRIEFER_", "OPENAI_"))}


@pytest.mark.parametrize("field", sorted(f for f, (_, v) in _settings_table().items() if v))
def test_each_documented_variable_sets_its_field(field: str) -> None:
    variable = _settings_table()[field][1]
    assert variable is not None
    text, expected = _a_value_for(field)
    value = getattr(Settings.from_env(env={variable: text}), field)
    assert (value.get_secret_value() if isinstance(value, SecretStr) else value) == expected


def test_configuration_names_exactly_the_flags_of_each_setting() -> None:
    flags_of: dict[str, set[str]] = {}
    for value in vars(options).values():
        for setting in value if isinstance(value, tuple) else (value,):
            if isinstance(setting, options.Setting):
                flags_of[setting.field] = set(setting.flags)
    documented = {field: flags for field, (flags, _) in _settings_table().items()}
    assert documented == {field: flags_of.get(field, set()) for field in Settings.model_fields}


def test_configuration_names_every_choice_of_a_setting() -> None:
    rows = _settings_rows()
    missing = {
        field: sorted(set(typing.get_args(info.annotation)) - set(re.findall(r"`([^`]+)`", rows[field][-1])))
        for field, info in Settings.model_fields.items()
        if typing.get_origin(info.annotation) is typing.Literal
    }
    assert not any(missing.values()), missing


def test_library_lists_exactly_what_briefer_exports() -> None:
    import briefer

    section = (DOCS / "library.md").read_text().split("## Everything `briefer` exports", 1)[1]
    listed = set(re.findall(r"`(\w+)`", section.split("\n## ", 1)[0]))
    assert listed == set(briefer.__all__)


def _markdown_files() -> list[Path]:
    return [REPO / "README.md", REPO / "CONTRIBUTING.md", REPO / "CHANGELOG.md", *sorted(DOCS.glob("*.md"))]


def _anchors(page: Path) -> set[str]:
    """The fragment each heading of ``page`` gets on GitHub (lower case, punctuation dropped)."""
    headings = re.findall(r"^#+ (.+)$", page.read_text(), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def test_relative_links_lead_to_files_and_headings_that_exist() -> None:
    broken = []
    for page in _markdown_files():
        for target in re.findall(r"\]\(([^)\s]+)\)|src=\"([^\"]+)\"", page.read_text()):
            link, _, fragment = (target[0] or target[1]).partition("#")
            if re.match(r"[a-z]+:", link):
                continue
            linked = (page.parent / link) if link else page
            if not linked.exists() or (fragment and fragment not in _anchors(linked)):
                broken.append(f"{page.relative_to(REPO)}: {link}#{fragment}")
    assert not broken, broken


def test_readme_is_a_first_page() -> None:
    assert len((REPO / "README.md").read_text().splitlines()) <= 150


def test_python_examples_run(tmp_path: Path) -> None:
    """Every ```python block of the README and docs/ runs as written, offline, from the repository root."""
    blocks = [
        block
        for page in [REPO / "README.md", *sorted(DOCS.glob("*.md"))]
        for block in re.findall(r"```python\n(.*?)```", page.read_text(), re.DOTALL)
    ]
    assert blocks
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFER_"))}
    env["BRIEFER_CACHE"] = str(tmp_path / "cache.sqlite3")
    for block in blocks:
        done = subprocess.run(
            [sys.executable, "-c", block], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, f"docs example failed:\n{block}\n{done.stderr[-2000:]}"
