"""Where a batch's results go (briefer/batch/output.py): the output directory knows what is done
(cache or not), a half-written last line of briefs.jsonl is cut off on resume, a full disk stops
the run with nothing torn; without --out, JSONL streams to stdout, in input order with --ordered."""

import errno
import json
import os
import sqlite3
from pathlib import Path

import pytest
from support.batch_cases import feed, lines, run, sample_rows
from support.openai_server import slow

pytestmark = pytest.mark.usefixtures("env_clean", "fresh_engine_state")


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


def test_temporary_files_of_a_run_killed_mid_write_are_cleared_on_resume(
    openai_server, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".story.json.k3j2a1.tmp").write_text('{"brief": {"headl')  # write_atomic's, cut off by kill -9
    assert (
        run(
            [str(feed(tmp_path / "f.jsonl", sample_rows(1))), "--out", str(out)], openai_server, tmp_path
        ).exit_code
        == 0
    )
    assert not list(out.glob(".*.tmp"))


def test_without_a_cache_the_output_directory_knows_what_is_done(openai_server, tmp_path: Path) -> None:
    rows = sample_rows(6)
    out = tmp_path / "out"
    # As if the first run was interrupted after three articles.
    first = run(
        [str(feed(tmp_path / "f.jsonl", rows[:3])), "--out", str(out), "--no-cache"], openai_server, tmp_path
    )
    assert first.exit_code == 0, first.stderr
    again = run(
        [str(feed(tmp_path / "f.jsonl", rows)), "--out", str(out), "--no-cache"], openai_server, tmp_path
    )
    assert again.exit_code == 0, again.stderr
    assert len(openai_server.completions) == 6, "the three done before were not briefed again"
    assert sorted(r["id"] for r in lines(out / "briefs.jsonl")) == sorted(r["id"] for r in rows)
    report = json.loads((out / "report.json").read_text())
    assert report["counts"] | {"done": 3, "already_done": 3} == report["counts"]
    assert not (tmp_path / "cache.sqlite3").exists()


def test_a_changed_article_under_a_done_id_is_briefed_again(openai_server, tmp_path: Path) -> None:
    rows = sample_rows(2)
    out, changed = tmp_path / "out", rows[1]["id"]
    run([str(feed(tmp_path / "f.jsonl", rows)), "--out", str(out), "--no-cache"], openai_server, tmp_path)
    before = json.loads((out / f"{changed}.json").read_text())["provenance"]["input_sha256"]
    rows[1]["text"] += " An update: the talks resumed on Friday."
    again = run(
        [str(feed(tmp_path / "f.jsonl", rows)), "--out", str(out), "--no-cache"], openai_server, tmp_path
    )
    assert again.exit_code == 0 and len(openai_server.completions) == 3, "only the changed one again"
    assert json.loads((out / f"{changed}.json").read_text())["provenance"]["input_sha256"] != before


def test_a_full_disk_stops_the_run_in_one_line_and_the_next_run_resumes(
    openai_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = sample_rows(6)
    source, out = feed(tmp_path / "f.jsonl", rows), tmp_path / "out"
    synced = []

    def fills_up(fd: int) -> None:  # the disk takes two files, then no more
        synced.append(fd)
        if len(synced) > 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", fills_up)
    full = run([str(source), "--out", str(out), "--concurrency", "1"], openai_server, tmp_path)
    monkeypatch.undo()

    assert full.exit_code == 2
    last = full.stderr.splitlines()[-1]
    assert last.startswith("briefer: error: stopped the run: ") and last.endswith(
        ": cannot write (No space left on device); free some space, then run the same command again to resume"
    )
    assert "Traceback" not in full.stderr and "internal error" not in full.stderr
    assert not list(out.glob(".*.tmp")), "no temporary file left behind"
    written = lines(out / "briefs.jsonl")  # every line whole
    assert len(written) == 2 and all((out / f"{r['id']}.json").exists() for r in written)
    with sqlite3.connect(tmp_path / "cache.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    # Space freed: the same command finishes the rest, each article once.
    resumed = run([str(source), "--out", str(out)], openai_server, tmp_path)
    assert resumed.exit_code == 0, resumed.stderr
    assert sorted(r["id"] for r in lines(out / "briefs.jsonl")) == sorted(r["id"] for r in rows)


def test_a_file_where_the_output_folder_should_be_is_one_line(openai_server, tmp_path: Path) -> None:
    (tmp_path / "out").write_text("notes\n")
    result = run(
        [str(feed(tmp_path / "f.jsonl", sample_rows(1))), "--out", str(tmp_path / "out")],
        openai_server,
        tmp_path,
    )
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"briefer: error: {tmp_path / 'out'}: is a file, not a folder; give --out a folder (or - for stdout)\n"
    )
