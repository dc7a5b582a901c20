"""``briefer batch --via batch-api`` (briefer/batch/api.py) against the local Batch API server.

The server (``tests/support/openai_batch_server.py``) takes files and batches through the real SDK and
HTTP stack, moves each batch one status per look and answers its lines with the same script
of turns as live chat completions, so every path of a run is exercised for real: rounds,
repairs, errors in the error file, expired, failed and cancelled batches, limits, re-attaching.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.batch_cases import SEEDS, feed, lines, run, sample_rows
from support.openai_batch_server import BatchServer, Ending
from support.openai_server import ok, reject_json_schema, status
from typer.testing import CliRunner

import briefer.batch.api as batch_api
import briefer.batch.client as batch_client
from briefer.batch.api import BatchApiRun
from briefer.batch.report import BatchOptions
from briefer.batch.state import STATE_FILE
from briefer.cli import app
from briefer.config import Settings
from briefer.loading.inputs import UniqueIds, iter_items
from briefer.models import Brief

VIA = ["--via", "batch-api"]
TROOPS = "Pakistan has moved 90,000 troops to the Afghan border."  # a number the seed never gives


@pytest.fixture(autouse=True)
def _env(env_clean, fresh_engine_state, fast_retries, monkeypatch) -> None:
    env_clean.setenv("BRIEFER_ENGINE", "openai")  # auto would pick the hybrid for a local server
    monkeypatch.setattr(batch_api, "FIRST_POLL_S", 0.0)  # a look at every batch, then the next at once


def _batch_calls(server: BatchServer) -> list[str]:
    """The files and batches calls the server received, as ``METHOD /path`` with ids replaced."""
    calls = []
    for request in server.requests:
        parts = request.path.split("/")
        path = "/".join("{id}" if part.startswith(("batch_", "file-")) else part for part in parts)
        if "/files" in path or "/batches" in path:
            calls.append(f"{request.method} {path}")
    return calls


def _uploads(server: BatchServer) -> list[list[dict]]:
    """The request lines of every uploaded input file, in upload order."""
    found = []
    for file, data in server.files.values():
        if file["purpose"] == "batch":
            found.append([json.loads(line) for line in data.decode().splitlines()])
    return found


def _report(out: Path) -> dict:
    return json.loads((out / "report.json").read_text())


def test_a_batch_api_run_writes_what_a_live_run_writes_and_sends_no_live_request(tmp_path: Path) -> None:
    source = feed(tmp_path / "feed.jsonl", sample_rows(3))
    out = tmp_path / "out"
    with BatchServer() as server:
        result = run([str(source), "--out", str(out), "-f", "json", "-f", "md", *VIA], server, tmp_path)
        assert result.exit_code == 0, result.stderr
        assert server.completions == [], "every answer came through the Batch API"
        calls = _batch_calls(server)
        assert calls[:2] == ["POST /v1/files", "POST /v1/batches"]
        assert calls[-1] == "GET /v1/files/{id}/content" and "GET /v1/batches/{id}" in calls
        (upload,) = _uploads(server)
    ids = sorted(row["id"] for row in sample_rows(3))
    assert sorted(line["custom_id"] for line in upload) == [f"{i}#0" for i in ids]
    first = upload[0]
    assert first["method"] == "POST" and first["url"] == "/v1/chat/completions"
    assert first["body"]["response_format"]["json_schema"]["name"] == "Brief"
    assert sorted(p.stem for p in out.glob("*.md")) == ids
    records = lines(out / "briefs.jsonl")
    assert sorted(r["id"] for r in records) == ids
    Brief.model_validate(records[0]["brief"])
    assert records[0]["provenance"]["usage"]["requests"] == 1
    report = _report(out)
    assert report["via"] == "batch-api" and report["counts"]["done"] == 3 and len(report["batches"]) == 1
    assert report["requests"] == 3
    assert "in_progress, 0/3 done" in result.stderr and "completed, 3/3 done, 0 failed" in result.stderr


def test_a_rerun_makes_zero_requests_and_a_new_out_comes_from_the_cache(tmp_path: Path) -> None:
    source = feed(tmp_path / "feed.jsonl", sample_rows(2))
    with BatchServer() as server:
        assert run([str(source), "--out", str(tmp_path / "out"), *VIA], server, tmp_path).exit_code == 0
        before = len(server.requests)
        assert run([str(source), "--out", str(tmp_path / "out"), *VIA], server, tmp_path).exit_code == 0
        assert _report(tmp_path / "out")["counts"]["already_done"] == 2
        assert run([str(source), "--out", str(tmp_path / "other"), *VIA], server, tmp_path).exit_code == 0
        assert _report(tmp_path / "other")["counts"]["cached"] == 2
        assert len(server.requests) == before, "nothing asked twice"


def test_a_long_article_is_map_reduced_in_successive_rounds(tmp_path: Path) -> None:
    text = "\n\n".join(row["text"] for row in sample_rows(4))
    source = feed(tmp_path / "feed.jsonl", [{"id": "long", "text": text}])
    out = tmp_path / "out"
    with BatchServer() as server:
        result = run([str(source), "--out", str(out), "--max-chunk-tokens", "800", *VIA], server, tmp_path)
        assert result.exit_code == 0, result.stderr
        rounds = _uploads(server)
    names = [[line["body"]["response_format"]["json_schema"]["name"] for line in r] for r in rounds]
    assert names[0] == ["ChunkNotes"] * len(names[0]) and len(names[0]) > 1
    assert names[-1] == ["Brief"]
    (record,) = lines(out / "briefs.jsonl")
    assert record["provenance"]["chunks"] == len(names[0]) and "combine@1" in record["provenance"]["prompt"]
    assert len(_report(out)["batches"]) == len(rounds)


def test_an_invalid_answer_gets_its_repair_round_as_a_further_batch(tmp_path: Path) -> None:
    source = feed(tmp_path / "feed.jsonl", sample_rows(1))
    out = tmp_path / "out"
    with BatchServer(ok('{"headline": "only a headline"}')) as server:
        assert run([str(source), "--out", str(out), *VIA], server, tmp_path).exit_code == 0
        first, repair = _uploads(server)
    assert [line["custom_id"] for line in repair] == [first[0]["custom_id"].replace("#0", "#1")]
    assert "Field required" in repair[0]["body"]["messages"][-1]["content"]
    assert lines(out / "briefs.jsonl")[0]["provenance"]["repairs"] == 1


def test_repair_live_sends_the_repair_round_as_a_chat_completion(tmp_path: Path) -> None:
    source = feed(tmp_path / "feed.jsonl", sample_rows(1))
    out = tmp_path / "out"
    with BatchServer(ok('{"headline": "only a headline"}')) as server:
        result = run([str(source), "--out", str(out), *VIA, "--repair-live"], server, tmp_path)
        assert result.exit_code == 0, result.stderr
        assert len(_uploads(server)) == 1 and len(server.completions) == 1
        assert "Field required" in server.completions[0].messages[-1]["content"]
    assert _report(out)["requests"] == 2


def test_a_refused_response_format_moves_down_the_ladder_in_the_next_round(tmp_path: Path) -> None:
    source = feed(tmp_path / "feed.jsonl", sample_rows(1))
    out = tmp_path / "out"
    with BatchServer(reject_json_schema(times=5)) as server:
        assert run([str(source), "--out", str(out), *VIA], server, tmp_path).exit_code == 0
        first, second = _uploads(server)
    assert first[0]["body"]["response_format"]["type"] == "json_schema"
    assert second[0]["body"]["response_format"]["type"] == "json_object"
    assert lines(out / "briefs.jsonl")[0]["provenance"]["structured_output"] == "json_object"


def test_errors_in_the_error_file_fail_only_their_articles_and_retry_failed_asks_again(
    tmp_path: Path,
) -> None:
    source = feed(tmp_path / "feed.jsonl", sample_rows(3))
    out = tmp_path / "out"
    with BatchServer(ok(), status(500)) as server:
        result = run([str(source), "--out", str(out), *VIA], server, tmp_path)
        assert result.exit_code == 1
        report = _report(out)
        assert report["counts"] == {**report["counts"], "done": 2, "failed": 1}
        (failure,) = report["failures"]
        assert "the server failed (500)" in failure["reason"]
        assert run([str(source), "--out", str(out), *VIA], server, tmp_path).exit_code == 0
        assert _report(out)["counts"]["skipped_failed"] == 1, "not asked again without --retry-failed"
        retried = run([str(source), "--out", str(out), *VIA, "--retry-failed"], server, tmp_path)
        assert retried.exit_code == 0, retried.stderr
        assert [line["custom_id"] for line in _uploads(server)[-1]] == [f"{failure['id']}#0"]
    assert len(lines(out / "briefs.jsonl")) == 3


def test_an_expired_batch_keeps_what_was_answered_and_lists_the_rest(tmp_path: Path) -> None:
    source = feed(tmp_path / "feed.jsonl", sample_rows(3))
    out = tmp_path / "out"
    with BatchServer(endings=[Ending("expired", answered=1)]) as server:
        assert run([str(source), "--out", str(out), *VIA], server, tmp_path).exit_code == 1
        report = _report(out)
        assert report["counts"]["done"] == 1 and report["counts"]["failed"] == 2
        assert all(
            "batch_expired" in f["reason"] and "--retry-failed" in f["reason"] for f in report["failures"]
        )
        assert run([str(source), "--out", str(out), *VIA, "--retry-failed"], server, tmp_path).exit_code == 0
    assert len(lines(out / "briefs.jsonl")) == 3


def test_a_batch_the_api_refuses_fails_its_articles_with_openais_reason(tmp_path: Path) -> None:
    source = feed(tmp_path / "feed.jsonl", sample_rows(2))
    out = tmp_path / "out"
    with BatchServer(endings=[Ending("failed")]) as server:
        result = run([str(source), "--out", str(out), *VIA], server, tmp_path)
    assert result.exit_code == 1
    reasons = [f["reason"] for f in _report(out)["failures"]]
    assert len(reasons) == 2 and all("token_limit_exceeded" in r for r in reasons)


def test_status_and_cancel_then_the_next_run_collects_and_lists_the_cancelled(tmp_path: Path) -> None:
    source = feed(tmp_path / "feed.jsonl", sample_rows(2))
    out = tmp_path / "out"
    with BatchServer(endings=[Ending(looks=1000)]) as server:
        options = BatchOptions(out=out, via="batch-api", wait=False, repair_live=False)
        settings = Settings.from_env(
            env={}, engine="openai", base_url=server.base_url, repair_grounding=False
        )
        report = BatchApiRun(settings, options, None).run(iter_items([str(source)], unique=UniqueIds()))
        assert report.waiting == 2 and report.counts.done == 0
        status_run = _batch_api("status", out, server)
        assert status_run.exit_code == 0 and "\tround 1\tvalidating\t0/2 done, 0 failed" in status_run.stdout
        cancel = _batch_api("cancel", out, server)
        assert cancel.exit_code == 0 and "cancelling" in cancel.stderr
        collected = run([str(source), "--out", str(out), *VIA], server, tmp_path)
        assert collected.exit_code == 1
        assert _batch_api("cancel", out, server).stderr.count("nothing to cancel") == 1
    failures = _report(out)["failures"]
    assert len(failures) == 2 and all("batch_cancelled" in f["reason"] for f in failures)


def _batch_api(action: str, out: Path, server: BatchServer):
    return CliRunner().invoke(app, ["batch-api", action, str(out), "--base-url", server.base_url])


def test_the_old_spelling_batch_status_dir_still_works_and_says_it_is_deprecated(tmp_path: Path) -> None:
    source = feed(tmp_path / "feed.jsonl", sample_rows(1))
    out = tmp_path / "out"
    with BatchServer(endings=[Ending(looks=1000)]) as server:
        options = BatchOptions(out=out, via="batch-api", wait=False, repair_live=False)
        settings = Settings.from_env(env={}, engine="openai", base_url=server.base_url)
        BatchApiRun(settings, options, None).run(iter_items([str(source)], unique=UniqueIds()))
        old = run(["status", str(out)], server, tmp_path)
        new = _batch_api("status", out, server)
    assert old.exit_code == 0 and "deprecated: use `briefer batch-api status DIR`" in old.stderr
    assert old.stdout == new.stdout and "\tround 1\t" in new.stdout


def test_requests_are_split_within_the_file_and_queue_limits(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(batch_client, "REQUESTS_PER_FILE", 2)
    source = feed(tmp_path / "feed.jsonl", sample_rows(5))
    out = tmp_path / "out"
    tokens = 2500  # about two of these articles' requests: the queue holds one file at a time
    with BatchServer(token_limit=tokens) as server:
        result = run([str(source), "--out", str(out), *VIA, "--batch-tokens", str(tokens)], server, tmp_path)
        assert result.exit_code == 0, result.stderr
        sizes = [len(u) for u in _uploads(server)]
        assert sum(sizes) == 5 and max(sizes) <= 2 and len(sizes) >= 3
        assert all(b.status == "completed" for b in server.batches.values()), "the queue was never overfilled"


def test_a_request_larger_than_the_queue_fails_its_article_before_anything_is_sent(tmp_path: Path) -> None:
    source = feed(
        tmp_path / "feed.jsonl", [{"id": "big", "text": "\n\n".join(r["text"] for r in sample_rows(3))}]
    )
    with BatchServer() as server:
        result = run(
            [str(source), "--out", str(tmp_path / "out"), *VIA, "--batch-tokens", "1000"], server, tmp_path
        )
        assert result.exit_code == 1 and _batch_calls(server) == []
    assert "more than the 1,000 the Batch API may hold" in _report(tmp_path / "out")["failures"][0]["reason"]


def test_an_interrupted_run_keeps_its_batch_and_the_next_run_reattaches(tmp_path: Path) -> None:
    source = feed(tmp_path / "feed.jsonl", sample_rows(2))
    out = tmp_path / "out"

    def interrupt(seconds: float) -> None:
        raise KeyboardInterrupt

    with BatchServer() as server:
        settings = Settings.from_env(
            env={}, engine="openai", base_url=server.base_url, repair_grounding=False
        )
        options = BatchOptions(out=out, via="batch-api")
        report = BatchApiRun(settings, options, None, sleep=interrupt).run(
            iter_items([str(source)], unique=UniqueIds())
        )
        assert report.interrupted and report.waiting == 2 and len(report.batches) == 1
        state = json.loads((out / STATE_FILE).read_text())
        assert [s["batch_id"] for s in state["submitted"]] == report.batches
        again = run([str(source), "--out", str(out), *VIA], server, tmp_path)
        assert again.exit_code == 0, again.stderr
        assert len(server.batches) == 1 and len(_uploads(server)) == 1, "re-attached, not submitted again"
    assert len(lines(out / "briefs.jsonl")) == 2


@pytest.mark.parametrize("created", [False, True], ids=["before-create", "before-its-id-was-saved"])
def test_a_run_stopped_right_after_its_upload_never_submits_twice(tmp_path: Path, created: bool) -> None:
    """Killed after the upload, or after the server made the batch but before its id was saved:
    the next run makes the batch from the saved file id, or finds the one made from it."""
    source = feed(tmp_path / "feed.jsonl", sample_rows(1))
    out = tmp_path / "out"
    with BatchServer() as server:
        settings = Settings.from_env(
            env={}, engine="openai", base_url=server.base_url, repair_grounding=False
        )
        first = BatchApiRun(settings, BatchOptions(out=out, via="batch-api"), None)
        create = first.client.create

        def stopped(*args):
            if created:
                create(*args)
            raise KeyboardInterrupt

        first.client.create = stopped
        assert first.run(iter_items([str(source)], unique=UniqueIds())).interrupted
        assert json.loads((out / STATE_FILE).read_text())["submitted"][0]["batch_id"] is None
        assert len(server.batches) == int(created)
        assert run([str(source), "--out", str(out), *VIA], server, tmp_path).exit_code == 0
        assert len(_uploads(server)) == 1 and len(server.batches) == 1
    assert len(lines(out / "briefs.jsonl")) == 1


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_exits_130_and_the_same_command_finishes(tmp_path: Path, stop: signal.Signals) -> None:
    source = feed(tmp_path / "feed.jsonl", sample_rows(2))
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFER_"))}
    env["BRIEFER_ENGINE"] = "openai"  # auto would pick the hybrid for a local server
    with BatchServer(endings=[Ending(looks=1000)]) as server:
        command = [sys.executable, "-m", "briefer", "batch", str(source), "--out", str(out), *VIA]
        command += ["--base-url", server.base_url, "--cache", str(tmp_path / "cache.sqlite3"), "--no-repair"]
        process = subprocess.Popen(
            command, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True
        )
        deadline = time.monotonic() + 30
        while '"batch_id": "batch_' not in (
            (out / STATE_FILE).read_text() if (out / STATE_FILE).exists() else ""
        ):
            assert time.monotonic() < deadline, "no batch id was saved"
            time.sleep(0.05)
        os.killpg(process.pid, stop)
        _, stderr = process.communicate(timeout=15)
        assert process.returncode == 130, stderr
        assert "interrupted; the batches go on" in stderr
        (batch,) = server.batches.values()
        batch.ending.looks = 1
        resumed = run([str(source), "--out", str(out), *VIA], server, tmp_path)  # quick looks in-process
        assert resumed.exit_code == 0, resumed.stderr
        assert len(server.batches) == 1
    assert len(lines(out / "briefs.jsonl")) == 2


def test_the_cost_is_at_batch_rates(tmp_path: Path, monkeypatch) -> None:
    """Priced as api.openai.com (the local server has no price of its own): half the live price."""
    import briefer.engines.llm.costs

    live_price = briefer.engines.llm.costs.cost_usd
    monkeypatch.setattr(
        briefer.engines.llm.costs,
        "cost_usd",
        lambda model, usage, base_url=None, **kw: live_price(model, usage, **kw),
    )
    source = feed(tmp_path / "feed.jsonl", sample_rows(1))
    out = tmp_path / "out"
    with BatchServer() as server:
        assert run([str(source), "--out", str(out), *VIA], server, tmp_path).exit_code == 0
    (record,) = lines(out / "briefs.jsonl")
    usage = briefer.models.Usage.model_validate(record["provenance"]["usage"])
    assert record["provenance"]["cost_usd"] == pytest.approx(live_price("gpt-4o-mini", usage) / 2)
    assert _report(out)["cost_usd"] == pytest.approx(record["provenance"]["cost_usd"])


def test_engines_without_the_batch_api_and_stdout_are_refused_in_one_line(tmp_path: Path) -> None:
    source = feed(tmp_path / "feed.jsonl", sample_rows(1))
    with BatchServer() as server:
        offline = run(
            [str(source), "--out", str(tmp_path / "o"), *VIA, "--engine", "extractive"], server, tmp_path
        )
        stdout = run([str(source), "--out", "-", *VIA], server, tmp_path)
        nowhere = run([str(source), *VIA], server, tmp_path)
    assert offline.exit_code == 2 and "needs the openai engine" in offline.stderr
    assert stdout.exit_code == 2 and "needs --out DIR" in stdout.stderr
    assert nowhere.exit_code == 2 and "give --out DIR" in nowhere.stderr
    assert _batch_api("status", tmp_path, server).exit_code == 2


def test_seed_folders_work_as_with_a_live_batch(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEEDS:
        (folder / seed.name).write_text(seed.read_text())
    with BatchServer() as server:
        assert run([str(folder), "--out", str(tmp_path / "out"), *VIA], server, tmp_path).exit_code == 0
    assert sorted(r["id"] for r in lines(tmp_path / "out" / "briefs.jsonl")) == sorted(s.stem for s in SEEDS)


@pytest.mark.parametrize("live", [False, True], ids=["in-a-batch", "repair-live"])
def test_flagged_items_get_their_grounding_repair_round(
    tmp_path: Path, good_brief: Brief, live: bool
) -> None:
    """Grounding runs on the batch's answer; the repair (prompt repair@1) is a further batch, or live."""
    careless = good_brief.model_copy(update={"key_takeaways": [*good_brief.key_takeaways[:2], TROOPS]})
    source = feed(tmp_path / "feed.jsonl", [{"id": "seed", "text": SEEDS[-1].read_text()}])
    out = tmp_path / "out"
    extra = ["--repair-live"] if live else []
    with BatchServer(ok(careless.model_dump_json())) as server:
        args = [str(source), "--out", str(out), *VIA, *extra, "--cache", str(tmp_path / "c.sqlite3")]
        result = CliRunner().invoke(app, ["batch", *args, "--base-url", server.base_url])
        assert result.exit_code == 0, result.stderr
        uploads, chats = _uploads(server), server.completions
    repair = chats[0].messages if live else uploads[1][0]["body"]["messages"]
    assert len(uploads) == (1 if live else 2) and len(chats) == int(live)
    assert TROOPS in repair[-1]["content"] and "90,000" in repair[-1]["content"]
    (record,) = lines(out / "briefs.jsonl")
    assert record["provenance"]["grounding_repairs"] == 1 and "repair@1" in record["provenance"]["prompt"]


def test_a_changed_request_is_sent_anew_and_the_old_batch_is_not_waited_on(tmp_path: Path) -> None:
    """Same --out, another model: the open batch of the first run holds other requests."""
    source = feed(tmp_path / "feed.jsonl", sample_rows(1))
    out = tmp_path / "out"
    with BatchServer(endings=[Ending(looks=1000)]) as server:
        settings = Settings.from_env(
            env={}, engine="openai", base_url=server.base_url, repair_grounding=False
        )
        options = BatchOptions(out=out, via="batch-api", wait=False)
        assert (
            BatchApiRun(settings, options, None).run(iter_items([str(source)], unique=UniqueIds())).waiting
            == 1
        )
        again = run([str(source), "--out", str(out), *VIA, "-m", "gpt-4o"], server, tmp_path)
        assert again.exit_code == 0, again.stderr
        first, second = server.batches.values()
        assert (first.status, second.status) == ("validating", "completed")
        assert second.lines[0]["body"]["model"] == "gpt-4o"
    assert lines(out / "briefs.jsonl")[0]["provenance"]["model"] == "gpt-4o"
