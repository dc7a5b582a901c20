"""briefer against a server nobody here wrote: llama-cpp-python with SmolLM2-135M-Instruct.

Fakes agree with each other; this is what a newsroom running a model on its own machine gets.
Temperature 0 and a fixed model make the answers repeatable, so the assertions are exact about
what briefer must do and honest about what a 135M model can: a schema-valid brief (the
server's grammar enforces the schema) that grounding then checks like any other.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from llama_server import MODEL, SERVER_PYTHON, RealServer, ServerDied, running_server

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
SAMPLE = REPO / "tests" / "data" / "eval_sample.jsonl"  # 20 real CNN/DailyMail articles with highlights
ROWS = [json.loads(line) for line in SAMPLE.read_text().splitlines()]
SMALL_CONTEXT = 2048  # llama-cpp-python's default n_ctx


@pytest.fixture(scope="module")
def real_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealServer]:
    with running_server(tmp_path_factory.mktemp("llama") / "server.log") as server:
        yield server


@pytest.fixture(scope="module")
def small_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealServer]:
    with running_server(tmp_path_factory.mktemp("llama") / "server.log", n_ctx=SMALL_CONTEXT) as server:
        yield server


def briefer(server: RealServer, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI against ``server``; if the server died meanwhile, that is the failure to report."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFER_"))}
    env["BRIEFER_ENGINE"] = "openai"  # the LLM engine unless --engine says otherwise (auto: the hybrid)
    done = subprocess.run(
        [sys.executable, "-m", "briefer", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=1800,
    )
    server.check_alive()
    return done


def test_the_server_says_what_it_is(real_server: RealServer) -> None:
    transport = OpenAITransport(Settings(base_url=real_server.base_url, model=real_server.model))
    transport.prepare()
    assert transport.identity is not None and transport.identity.server.name == "llama-cpp-python"


def test_the_llm_engine_asks_this_server_for_json_its_own_way(real_server: RealServer) -> None:
    """No json_schema request (the server 500s on it): json_object with the schema as a grammar,
    chosen by ``--server auto`` from what the server says it is."""
    done = briefer(
        real_server, "brief", str(SEED), "--base-url", real_server.base_url, "--model", real_server.model,
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


def test_a_long_article_is_map_reduced_under_a_2048_token_context(
    small_server: RealServer, tmp_path: Path
) -> None:
    """The longest article of the sample (1,599 words, about 2,000 tokens with the prompt more than the
    context holds): the server says so, and briefer answers with chunks, notes and a combine that fit."""
    longest = max(ROWS, key=lambda row: len(row["text"]))
    article = tmp_path / "long.txt"
    article.write_text(longest["text"])
    done = briefer(
        small_server, "brief", str(article), "--base-url", small_server.base_url, "--model", small_server.model,
        "--format", "json", "--timeout", "900", "--no-repair", "--max-repairs", "1",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    p = BriefResult.model_validate_json(done.stdout).provenance
    assert p.chunks > 1 and p.prompt is not None and p.prompt.startswith("chunk_notes@1+")
    assert p.usage.requests >= p.chunks + 1
    print(json.dumps({"chunks": p.chunks, "requests": p.usage.requests, "elapsed_s": p.elapsed_s}))


def default_brief(server: RealServer, article: Path) -> tuple[BriefResult, list[str]]:
    """``briefer brief`` as a new user of the LLM engine runs it: no flag beyond the server and the
    model (``briefer()`` names the engine; ``auto`` would give a local server the hybrid)."""
    done = briefer(
        server, "brief", str(article), "--base-url", server.base_url, "--model", server.model, "--format", "json"
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "internal error" not in done.stderr and "bug in briefer" not in done.stderr
    steps = [line for line in done.stderr.splitlines() if line.startswith("briefer: step: ")]
    assert steps, "progress names each step on stderr"
    return BriefResult.model_validate_json(done.stdout), steps


def test_the_seed_with_default_flags_in_a_2048_token_context(small_server: RealServer) -> None:
    """Default flags add the repairs: each fits the window or ends, and the brief comes back."""
    result, steps = default_brief(small_server, SEED)
    p = result.provenance
    assert result.brief.key_takeaways and p.usage.requests >= 1
    print(
        json.dumps(
            {"requests": p.usage.requests, "chunks": p.chunks, "elapsed_s": p.elapsed_s, "steps": steps}
        )
    )


def test_the_long_article_with_default_flags_in_a_2048_token_context(
    small_server: RealServer, tmp_path: Path
) -> None:
    """The sample's longest article, no flags: the server's overflow sets the chunks, every later
    request (notes, merges, combine, repairs) is sized to the window it named."""
    article = tmp_path / "long.txt"
    article.write_text(max(ROWS, key=lambda row: len(row["text"]))["text"])
    result, steps = default_brief(small_server, article)
    p = result.provenance
    assert p.chunks > 1 and p.prompt is not None and p.prompt.startswith("chunk_notes@1+")
    print(
        json.dumps(
            {"requests": p.usage.requests, "chunks": p.chunks, "elapsed_s": p.elapsed_s, "steps": steps}
        )
    )


@pytest.mark.parametrize("which", ["seed", "longest"])
def test_the_hybrid_writes_from_evidence_in_one_request_under_a_2048_token_context(
    small_server: RealServer, tmp_path: Path, which: str
) -> None:
    """The hybrid engine: the seed and the longest article alike are one short request, no map-reduce;
    quotes are extraction's (verbatim), and fields grounding rejects are named in provenance."""
    article = SEED
    if which == "longest":
        article = tmp_path / "long.txt"
        article.write_text(max(ROWS, key=lambda row: len(row["text"]))["text"])
    done = briefer(
        small_server, "brief", str(article), "--engine", "hybrid", "--base-url", small_server.base_url,
        "--model", small_server.model, "--format", "json", "--timeout", "900", "--max-repairs", "1",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = BriefResult.model_validate_json(done.stdout)
    p = result.provenance
    assert (p.engine, p.prompt, p.chunks, p.structured_output) == ("hybrid", "hybrid@1", 1, "json_object")
    assert p.usage.requests <= 2 and p.usage.prompt_tokens < SMALL_CONTEXT * p.usage.requests
    assert all(q.supported for q in result.grounding.quotes)
    print(
        json.dumps(
            {
                "article": which,
                "extracted": p.extracted,
                "elapsed_s": p.elapsed_s,
                "usage": p.usage.model_dump(),
            }
        )
    )


def test_a_batch_of_ten_through_the_real_server_loses_nothing(
    real_server: RealServer, tmp_path: Path
) -> None:
    """Ten real CNN articles: each briefed or listed with its reason; a re-run asks the server nothing."""
    ten = sorted(ROWS, key=lambda row: len(row["text"]))[:10]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in ten))
    out, cache = tmp_path / "out", tmp_path / "cache.sqlite3"
    args = [
        "batch", str(feed), "--out", str(out), "--cache", str(cache), "--base-url", real_server.base_url,
        "--model", real_server.model, "--timeout", "900", "--no-repair", "--max-repairs", "1", "--concurrency", "1",
    ]  # fmt: skip
    first = briefer(real_server, *args)
    assert first.returncode in (0, 1), first.stderr
    report = json.loads((out / "report.json").read_text())
    briefed = {json.loads(line)["id"] for line in (out / "briefs.jsonl").read_text().splitlines()}
    failed = {f["id"] for f in report["failures"]}
    assert briefed | failed == {r["id"] for r in ten} and not briefed & failed
    assert all(f["reason"] for f in report["failures"]), "every failure says why"
    assert report["counts"]["done"] == len(briefed) and report["requests"] >= 10

    again = briefer(real_server, *args)  # done ones are in briefs.jsonl, failed ones wait for --retry-failed
    assert again.returncode == 0, again.stderr
    rerun = json.loads((out / "report.json").read_text())
    assert rerun["requests"] == 0
    assert (rerun["counts"]["already_done"], rerun["counts"]["skipped_failed"]) == (len(briefed), len(failed))
    print(json.dumps({"briefed": len(briefed), "failed": len(failed)}))


def test_eval_scores_the_real_model_next_to_the_baselines(real_server: RealServer) -> None:
    """`briefer eval --engine openai` on ten CNN articles: ROUGE for the model, Lead-3 and the others."""
    done = briefer(
        real_server, "eval", str(SAMPLE), "--limit", "10", "--engine", "openai", "--base-url", real_server.base_url,
        "--model", real_server.model, "--timeout", "900", "--no-repair", "--max-repairs", "1", "--format", "json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    scores = json.loads(done.stdout)
    systems = {row["kind"]: row for row in scores["systems"] if row["kind"] == "engine"}
    names = [row["system"] for row in scores["systems"]]
    assert scores["articles"] == 10 and "Lead-3" in names, "the baselines are scored in the same run"
    engine = systems["engine"]
    assert engine["failures"] == len(scores["failures"]) and engine["articles"] + engine["failures"] == 10
    assert all(f["reason"] for f in scores["failures"])
    print(json.dumps({row["system"]: (row["rouge1"], row["failures"]) for row in scores["systems"]}))


def test_a_server_that_dies_is_reported_with_its_signal_and_log(tmp_path: Path) -> None:
    """A crashed server (as a llama.cpp built for another CPU crashes) is named, not "cannot connect"."""
    with running_server(tmp_path / "server.log", n_ctx=SMALL_CONTEXT) as server:
        server.process.send_signal(signal.SIGSEGV)
        server.process.wait(timeout=30)
        with pytest.raises(
            ServerDied, match=r"died \(signal SIGSEGV\); the last lines of .*server\.log"
        ) as died:
            briefer(server, "brief", str(SEED), "--base-url", server.base_url, "--model", server.model)
    assert "POST /v1/chat/completions" in str(died.value), "the log's last lines come with it"
