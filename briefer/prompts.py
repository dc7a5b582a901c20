"""Versioned prompts: ``prompts/<name>/v<N>.toml`` files, immutable once released.

Every brief records ``name@version`` and the sha256 of the prompt file, so a result can be
traced to the exact words the model saw. A user directory (``--prompts-dir`` /
``BRIEFER_PROMPTS_DIR``) adds versions or overrides built-in ones.
"""

from __future__ import annotations

import hashlib
import re
import string
import tomllib
from dataclasses import dataclass
from pathlib import Path

from briefer.errors import ConfigError

_FILE_NAME = re.compile(r"^v(\d+)\.toml$")
_REQUIRED_KEYS = ("system", "user")


def builtin_prompts_dir() -> Path:
    """Prompts shipped in the wheel (``briefer/_prompts``) or, in a source checkout, ``prompts/``."""
    package = Path(__file__).resolve().parent
    shipped = package / "_prompts"
    return shipped if shipped.is_dir() else package.parent / "prompts"


@dataclass(frozen=True)
class Prompt:
    name: str
    version: int
    system: str
    user: str
    notes: str
    sha256: str
    path: Path

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def placeholders(self) -> set[str]:
        return {
            field
            for text in (self.system, self.user)
            for _, field, _, _ in string.Formatter().parse(text)
            if field
        }

    def render(self, **values: str) -> tuple[str, str]:
        """(system, user) messages with ``values`` filled in; every placeholder must be given."""
        missing = self.placeholders - values.keys()
        if missing:
            raise ConfigError(f"prompt {self.ref} needs values for: {', '.join(sorted(missing))}")
        return self.system.format(**values).strip(), self.user.format(**values).strip()


def fence(text: str, tag: str) -> str:
    """Make untrusted ``text`` safe to put between ``<tag>`` fences: it cannot close the fence itself."""
    return re.sub(rf"<\s*/\s*{re.escape(tag)}\s*>", f"</ {tag}>", text, flags=re.IGNORECASE)


def _load(path: Path, name: str, version: int) -> Prompt:
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"prompt file {path} is not valid TOML: {exc}") from exc
    missing = [key for key in _REQUIRED_KEYS if not isinstance(data.get(key), str)]
    if missing:
        raise ConfigError(f"prompt file {path} lacks {', '.join(missing)}")
    if data.get("version", version) != version or data.get("name", name) != name:
        raise ConfigError(
            f"prompt file {path} says {data.get('name')}@{data.get('version')}, its path says {name}@{version}"
        )
    return Prompt(
        name=name,
        version=version,
        system=data["system"],
        user=data["user"],
        notes=str(data.get("notes", "")).strip(),
        sha256=hashlib.sha256(raw).hexdigest(),
        path=path,
    )


class PromptRegistry:
    """All prompt versions visible from the built-in directory and an optional user directory."""

    def __init__(self, user_dir: Path | None = None) -> None:
        if user_dir is not None and not user_dir.is_dir():
            raise ConfigError(f"prompts directory not found: {user_dir}")
        self._files: dict[tuple[str, int], Path] = {}
        for root in (builtin_prompts_dir(), user_dir):  # user files override built-in ones
            if root is None:
                continue
            for path in sorted(root.glob("*/v*.toml")):
                match = _FILE_NAME.match(path.name)
                if match:
                    self._files[(path.parent.name, int(match.group(1)))] = path

    def names(self) -> list[str]:
        return sorted({name for name, _ in self._files})

    def versions(self, name: str) -> list[int]:
        return sorted(version for n, version in self._files if n == name)

    def all(self) -> list[Prompt]:
        return [self._get(name, version) for name, version in sorted(self._files)]

    def get(self, spec: str) -> Prompt:
        """``NAME`` (latest version) or ``NAME@VERSION`` (``brief@1`` or ``brief@v1``)."""
        name, _, version_text = spec.partition("@")
        versions = self.versions(name)
        if not versions:
            raise ConfigError(f"unknown prompt {name!r}; known: {', '.join(self.names()) or 'none'}")
        if not version_text:
            return self._get(name, versions[-1])
        version_text = version_text.removeprefix("v")
        if not version_text.isdigit() or int(version_text) not in versions:
            raise ConfigError(
                f"prompt {name} has no version {version_text!r}; versions: {', '.join(map(str, versions))}"
            )
        return self._get(name, int(version_text))

    def _get(self, name: str, version: int) -> Prompt:
        return _load(self._files[(name, version)], name, version)
