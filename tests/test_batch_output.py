"""Where a batch's results go (briefer/batch/output.py): a half-written last line of briefs.jsonl
is cut off on resume; without --out, JSONL streams to stdout, in input order with --ordered."""

import json
from pathlib import Path

import pytest
from batch_cases import feed, lines, run, sample_rows
from openai_server import slow


@pytest.fixture(autouse=True)
def _env(env_clean, fresh_engine_state) -> None:
    pass


def test_stream_mode_reads_stdin_and_writes_jsonl_to_stdout_in_order(openai_server, tmp_path: Path) -> None:
    rows = sample_rows(5)
    openai_server.script(slow(0.4))  # the first article finishes last
    stdin = "".join(json.dumps(r) + "\n" for r in rows)
    result = run(["-", "--out", "-", "--ordered", "--concurrency", "5"], openai_server, tmp_path, input=stdin)
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [r["id"] for r in rows]


def test_a_truncated_last_line_is_repaired_on_resume(openai_server, tmp_path: Path) -> None:
    source = feed(tmp_path / "feed.jsonl", sample_rows(3))
    out = tmp_path / "out"
    assert run([str(source), "--out", str(out)], openai_server, tmp_path).exit_code == 0
    jsonl = out / "briefs.jsonl"
    content = jsonl.read_text().splitlines(keepends=True)
    jsonl.write_text("".join(content[:2]) + content[2][:50])  # as if killed mid-write
    assert run([str(source), "--out", str(out)], openai_server, tmp_path).exit_code == 0
    assert sorted(r["id"] for r in lines(jsonl)) == sorted(r["id"] for r in sample_rows(3))
