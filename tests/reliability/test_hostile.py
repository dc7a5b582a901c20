"""Hostile input at full size: HTML and compression bombs, 50 MB lines, broken encodings, hostile
model answers and prompt injections, each through a real ``briefer`` process whose time and peak
memory are measured; and the property tests of ``make test`` with ten times the examples.

Every case: exit 0 or 2 (1 when a model's answer is unusable: the engine failed), one line on
stderr, no traceback, no control character on stdout, bounded time and memory.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from support import hostile
from support.injection_cases import PROBES, injected, obedient_server_turn
from support.local_web import PAGE, Reply, serving
from support.openai_server import OpenAIServer, author_brief
from support.openai_server import hostile as hostile_answer
from support.processes import HAS_PROC, memory_mb
from support.service_server import serve_process
from typer.testing import CliRunner

from briefer.cli import app

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not HAS_PROC, reason="Linux: wait4 and /proc")]

SEED = hostile.SEED
MAX_S, MAX_MB = 30.0, 600.0  # what "bounded" means here, for any one process
MANY = settings(max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck))


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float


# Waits for briefer and writes its peak memory: wait4 counts what a child held before exec too,
# so a child of this (large) test process would report this process's size, not its own.
_LAUNCHER = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[2:]); "
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
    "sys.exit(code)"
)


LLM_ENGINE = {"OPENAI_API_KEY": "sk-test", "BRIEFER_ENGINE": "openai"}  # auto: the hybrid locally


def briefer(*args: str, input: bytes = b"", env: dict[str, str] | None = None) -> Run:
    """``briefer ARGS`` as a process; its exit code, output, wall time and peak resident memory."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFER_"))}
    with tempfile.TemporaryDirectory() as folder:
        peak = Path(folder) / "peak"
        command = [sys.executable, "-c", _LAUNCHER, str(peak), sys.executable, "-m", "briefer", *args]
        started = time.perf_counter()
        done = subprocess.run(command, env=clean | (env or {}), input=input, capture_output=True, timeout=120)
        seconds = time.perf_counter() - started
        peak_mb = int(peak.read_text()) / 1024
    return Run(
        done.returncode,
        done.stdout.decode(errors="replace"),
        done.stderr.decode(errors="replace"),
        seconds,
        peak_mb,
    )


def held(run: Run, codes: set[int]) -> None:
    """The promise: an allowed exit, ``briefer:`` lines only (besides the progress lines naming each
    step, one ``error:`` line on failure), no traceback, nothing a terminal would obey on stdout,
    bounded time and memory."""
    assert run.code in codes, (run.code, run.stderr[-500:])
    lines = run.stderr.splitlines()
    assert all(line.startswith("briefer: ") for line in lines), run.stderr[-500:]
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    said = [line for line in lines if not line.startswith("briefer: step: ")]
    if run.code not in (0, 3):
        assert len(said) == 1 and said[0].startswith("briefer: error: "), run.stderr[-500:]
    assert not hostile.CONTROLS & set(run.stdout.replace("\n", ""))
    assert run.seconds < MAX_S and run.peak_mb < MAX_MB, (run.seconds, run.peak_mb)


def attempt(case, run_it, codes: set[int]) -> Run:
    with case.attempt():
        run = run_it()
        case.memory(run.peak_mb)
        held(run, codes)
    return run


def test_html_bombs_and_huge_lines(tmp_path: Path, figures) -> None:
    nested = tmp_path / "nested.html"
    nested.write_text("<html><body>" + "<div>" * 100_000 + PAGE + "</div>" * 100_000 + "</body></html>")
    case = figures("hostile: 100,000 nested HTML elements")
    run = attempt(case, lambda: briefer("brief", str(nested), "--engine", "extractive"), {0, 2})
    case.note(f"exit {run.code}: {run.stderr.strip().rsplit(': ', 1)[-1] if run.code else 'briefed'}")

    case = figures("hostile: a 50 MB single line on stdin")
    line = ("Talks resumed in Doha on Monday with officials " * 1_100_000)[: 50 * 1024 * 1024].encode()
    attempt(case, lambda: briefer("brief", "-", "--engine", "extractive", input=line), {2})

    case = figures("hostile: a 9 MB single line (under the cap)")
    attempt(
        case, lambda: briefer("brief", "-", "--engine", "extractive", input=line[: 9 * 1024 * 1024]), {0, 2}
    )


ENCODINGS = {
    "NUL bytes": ("Officials said the talks would resume. " * 300).encode() + b"\x00 and more",
    "a lone surrogate (CESU-8)": b"Officials said the talks would resume next week in Doha. "
    + b"\xed\xa0\x80 then",
    "mixed UTF-8 and cp1252": "Officials in Zürich said talks resume. ".encode()
    + "Les “négociations” reprendront à Genève.".encode("cp1252"),
    "UTF-8 BOM": b"\xef\xbb\xbf" + SEED.encode(),
    "UTF-16 BOM": SEED.encode("utf-16"),
    "UTF-32 BOM": SEED.encode("utf-32"),
    "terminal escapes": (
        "Officials said \x1b[2J\x1b]8;;http://evil.example\x1b\\talks\x1b]8;;\x1b\\ resume. " + SEED
    ).encode(),
}


def test_broken_encodings_and_control_characters(figures) -> None:
    case = figures(f"hostile: {len(ENCODINGS)} broken encodings × 3 formats")
    for data in ENCODINGS.values():
        for fmt in ("md", "text", "json"):
            attempt(
                case,
                lambda data=data, fmt=fmt: briefer(
                    "brief", "-", "--engine", "extractive", "-f", fmt, input=data
                ),
                {0, 2},
            )


def test_compression_bombs_on_url_fetches_and_service_bodies(tmp_path: Path, figures) -> None:
    one_gib = hostile.spaces_gzipped(1024)
    deflated = zlib.compressobj(9)
    deflate_bomb = b"".join(deflated.compress(b" " * 1024 * 1024) for _ in range(1024)) + deflated.flush()
    bombs = {
        "/gzip": Reply(200, one_gib, "text/html", {"Content-Encoding": "gzip"}),
        "/deflate": Reply(200, deflate_bomb, "text/html", {"Content-Encoding": "deflate"}),
        "/gzip-gzip": Reply(200, gzip.compress(one_gib), "text/html", {"Content-Encoding": "gzip, gzip"}),
    }
    case = figures("hostile: gzip/deflate bombs (1 GiB) on URL fetches")
    with serving(bombs) as site:
        for path in bombs:
            run = attempt(
                case, lambda path=path: briefer("brief", site.url(path), "--engine", "extractive"), {2}
            )
            assert "larger than 10 MiB" in run.stderr
    case.note(
        f"gzip {len(one_gib) // 1024} KiB, gzip inside gzip {len(bombs['/gzip-gzip'].body) // 1024} KiB, each stopped at the 10 MiB cap"
    )

    case = figures("hostile: gzip/deflate bodies on the service")

    with serve_process("--engine", "extractive", "--cache", str(tmp_path / "c.sqlite3")) as served:
        for encoding, body in (
            ("gzip", one_gib),
            ("deflate", deflate_bomb),
            ("gzip", gzip.compress(one_gib)),
        ):
            with case.attempt():
                answer = httpx.post(
                    served.url + "/v1/briefs",
                    content=body,
                    headers={"content-type": "application/json", "content-encoding": encoding},
                    timeout=30,
                )
                assert (
                    answer.status_code == 415 and answer.json()["error"]["type"] == "unsupported_media_type"
                )
        case.memory(memory_mb(served.process.pid, "VmHWM"))


def test_hostile_model_answers(figures) -> None:
    brief = author_brief(SEED).model_dump()
    tricks = "<script>alert(1)</script> \x1b[2J \x1b]8;;http://evil.example\x1b\\see\x1b]8;;\x1b\\ \x9b6n"
    answers = {
        "10 MB of content": (hostile_answer("x" * 10_000_000), {1}),
        "JSON nested 10,000 deep": (hostile_answer("[" * 10_000 + "]" * 10_000), {1}),
        "invalid UTF-8": (
            hostile_answer(json.dumps(brief), transform=lambda b: b.replace(b"headline", b"head\xffline", 1)),
            {1},
        ),
        "<script> and terminal escapes": (
            hostile_answer(json.dumps(brief | {"headline": tricks, "sources": [tricks]})),
            {0},
        ),
    }
    case = figures(f"hostile: {len(answers)} model answers × 3 formats")
    for answer, codes in answers.values():
        with OpenAIServer(default=answer) as server:
            for fmt in ("md", "text", "json"):
                args = ("brief", "-", "--base-url", server.base_url, "-f", fmt, "--no-repair")
                attempt(
                    case,
                    lambda args=args: briefer(*args, input=SEED.encode(), env=LLM_ENGINE),
                    codes,
                )


def test_prompt_injection_probes(tmp_path: Path, figures) -> None:
    case = figures(f"hostile: {len(PROBES)} prompt-injection probes, an obedient model, --strict")
    with OpenAIServer(default=obedient_server_turn()) as server:
        for instruction, _ in PROBES.values():
            article = injected(instruction).encode()
            args = ("brief", "-", "--base-url", server.base_url, "--strict", "-f", "json")
            run = attempt(
                case,
                lambda args=args, article=article: briefer(*args, input=article, env=LLM_ENGINE),
                {3},
            )
            assert not json.loads(run.stdout)["grounding"]["ok"]


def test_random_bytes_and_unicode_at_length(figures) -> None:
    """The property tests of ``make test``, with ten times the examples, in this process."""
    case = figures("hostile: random bytes/Unicode through brief - (hypothesis)")

    @MANY
    @given(data=hostile.raw_bytes)
    def brief_any(data: bytes) -> None:
        with case.attempt():
            hostile.assert_clean_exit(
                CliRunner().invoke(app, ["brief", "-", "--engine", "extractive"], input=data), {0, 2}
            )

    brief_any()


def test_random_bodies_to_the_service(tmp_path: Path, figures) -> None:
    """Random bytes, random JSON and articles of random Unicode to the three briefing POSTs of a real
    ``briefer serve``: a brief or a 4xx JSON error, never a 5xx."""
    case = figures("hostile: random bodies to the service's POSTs (hypothesis)")
    routes = [("/v1/briefs", "application/json"), ("/v1/verify", "application/json")]
    routes.append(("/v1/briefs/stream", "application/x-ndjson"))
    with serve_process("--engine", "extractive", "--cache", str(tmp_path / "c.sqlite3")) as served:
        with httpx.Client(base_url=served.url, timeout=60) as client:

            @MANY
            @given(body=hostile.bodies)
            def answered(body: bytes) -> None:
                for path, media_type in routes:
                    with case.attempt():
                        response = client.post(path, content=body, headers={"content-type": media_type})
                        assert response.status_code < 500 and '"internal_error"' not in response.text

            answered()
        case.memory(memory_mb(served.process.pid, "VmHWM"))
