"""briefer against a server nobody here wrote: llama-cpp-python with SmolLM2-135M-Instruct.

Fakes agree with each other; this is what a newsroom running a model on its own machine gets.
Temperature 0 and a fixed model make the answers repeatable, so the assertions are exact about
what briefer must do and honest about what a 135M model can: a schema-valid brief (the
server's grammar enforces the schema) that grounding then checks like any other.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from llama_server import MODEL, SERVER_PYTHON, RealServer, running_server

from briefer.config import Settings
from briefer.engines.llm.openai import OpenAITransport
from briefer.models import BriefResult

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not (SERVER_PYTHON and MODEL), reason="needs the real server and model: run `make e2e`"
    ),
]

REPO = Path(__file__).parents[2]
SEED = REPO / "seeds" / "pakistan-taliban-warning.txt"


@pytest.fixture(scope="module")
def real_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealServer]:
    with running_server(tmp_path_factory.mktemp("llama") / "server.log") as server:
        yield server


def briefer(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFER_"))}
    return subprocess.run(
        [sys.executable, "-m", "briefer", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=1800,
    )


def test_the_server_says_what_it_is(real_server: RealServer) -> None:
    transport = OpenAITransport(Settings(base_url=real_server.base_url, model=real_server.model))
    transport.prepare()
    assert transport.identity is not None and transport.identity.server.name == "llama-cpp-python"


def test_the_seed_is_briefed_in_auto_mode(real_server: RealServer) -> None:
    """No json_schema request (the server 500s on it): json_object with the schema as a grammar."""
    done = briefer(
        "brief", str(SEED), "--base-url", real_server.base_url, "--model", real_server.model,
        "--format", "json", "--timeout", "900", "--no-repair", "--max-repairs", "1",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = BriefResult.model_validate_json(done.stdout)
    p = result.provenance
    assert (p.engine, p.model, p.structured_output, p.cost_usd) == ("openai", "smollm2", "json_object", None)
    assert p.usage.requests >= 1 and p.usage.completion_tokens > 0
    assert result.brief.key_takeaways and result.grounding is not None
    # A 135M model invents; what matters is that the editor is told, item by item.
    flagged = result.grounding.flagged()
    assert flagged and done.stderr.count("not backed by the article") == 1
    assert f"{len(flagged)} item(s) not backed by the article" in done.stderr
    sent = real_server.log.read_text()
    assert '"POST /v1/chat/completions HTTP/1.1" 500' not in sent, "json_schema was never sent"
    print(json.dumps({"flagged": len(result.grounding.flagged()), "elapsed_s": p.elapsed_s}))


def test_a_batch_through_the_real_server_loses_nothing(real_server: RealServer, tmp_path: Path) -> None:
    """Three real CNN articles: each briefed or listed with its reason; a re-run asks the server nothing."""
    rows = [
        json.loads(line) for line in (REPO / "tests" / "data" / "eval_sample.jsonl").read_text().splitlines()
    ]
    shortest = sorted(rows, key=lambda row: len(row["text"]))[:3]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in shortest))
    out, cache = tmp_path / "out", tmp_path / "cache.sqlite3"
    args = [
        "batch", str(feed), "--out", str(out), "--cache", str(cache), "--base-url", real_server.base_url,
        "--model", real_server.model, "--timeout", "900", "--no-repair", "--max-repairs", "1", "--concurrency", "1",
    ]  # fmt: skip
    first = briefer(*args)
    assert first.returncode in (0, 1), first.stderr
    report = json.loads((out / "report.json").read_text())
    briefed = {json.loads(line)["id"] for line in (out / "briefs.jsonl").read_text().splitlines()}
    failed = {f["id"] for f in report["failures"]}
    assert briefed | failed == {r["id"] for r in shortest} and not briefed & failed
    assert report["counts"]["done"] == len(briefed) and report["requests"] >= 3

    again = briefer(*args)  # done ones are in briefs.jsonl, failed ones wait for --retry-failed
    assert again.returncode == 0, again.stderr
    rerun = json.loads((out / "report.json").read_text())
    assert rerun["requests"] == 0
    assert (rerun["counts"]["already_done"], rerun["counts"]["skipped_failed"]) == (len(briefed), len(failed))
