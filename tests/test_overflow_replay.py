"""A real server's overflow answer at every step that can overflow: never an internal error.

The answer is llama-cpp-python 0.3.36's own 400 ``context_length_exceeded`` body, recorded once
from the real server at ``--n_ctx 2048`` (``cassettes/llama_cpp_python_overflow.json``) and
replayed here by the scripted server in place of the answer to one request after another: first
answer, chunk notes, collapse, combine, validation repair, grounding repair.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from support.openai_server import OpenAIServer, Reply, Turn, ok
from test_cli_brief import CARELESS_JSON
from typer.testing import CliRunner

from briefer.cli import app

REPO = Path(__file__).parents[1]
SEED = REPO / "seeds" / "pakistan-taliban-warning.txt"
RECORDED = json.loads((REPO / "cassettes" / "llama_cpp_python_overflow.json").read_text())
ROWS = [json.loads(line) for line in (REPO / "tests" / "data" / "eval_sample.jsonl").read_text().splitlines()]
STEP = re.compile(r"^briefer: step: (.+?) \(\d+ s so far\)$", re.M)
AN_INVALID_BRIEF = json.dumps({"headline": "Pakistan warns the Taliban", "key_takeaways": []})


def recorded_overflow() -> Turn:
    """The real server's overflow answer, byte for byte the body it sent."""
    return Turn("recorded overflow", lambda request: Reply(RECORDED["status"], RECORDED["body"]))


@pytest.fixture
def runner(env_clean, fresh_engine_state) -> CliRunner:
    env_clean.setenv("BRIEFER_ENGINE", "openai")  # auto would pick the hybrid for a local server
    return CliRunner()


def brief(runner: CliRunner, server: OpenAIServer, article: Path, *extra: str):
    return runner.invoke(
        app, ["brief", str(article), "--base-url", server.base_url, "-m", "smollm2", "-f", "json", *extra]
    )


def assert_no_internal_error(result) -> None:
    """A brief (exit 0, or 3 for flags) or one line saying what to do (exit 1): never a bug report."""
    said = [line for line in result.stderr.splitlines() if not line.startswith("briefer: step: ")]
    assert "internal error" not in result.stderr and "bug in briefer" not in result.stderr, result.stderr
    if result.exit_code == 1:
        assert len(said) == 1 and said[0].startswith("briefer: error: "), result.stderr
    else:
        assert result.exit_code in (0, 3) and json.loads(result.stdout)["brief"], result.stderr


def test_the_recorded_overflow_names_the_window() -> None:
    import httpx
    import openai

    from briefer.engines.llm.openai_errors import _context_overflow

    response = httpx.Response(
        400, json=RECORDED["body"], request=httpx.Request("POST", "http://127.0.0.1/v1")
    )
    error = openai.BadRequestError("Error code: 400", response=response, body=RECORDED["body"])
    assert (overflow := _context_overflow(error)) is not None and overflow.window == 2048


def test_an_overflow_at_every_step_of_a_long_article(runner: CliRunner, tmp_path: Path) -> None:
    """The longest sample article, the overflow in place of each answer in turn: after the first
    (the whole article), briefer knows the window and plans chunk notes, merges and a combine to fit."""
    article = tmp_path / "long.txt"
    article.write_text(max(ROWS, key=lambda row: len(row["text"]))["text"])
    with OpenAIServer(recorded_overflow()) as server:
        first = brief(runner, server, article)
    steps = STEP.findall(first.stderr)
    assert first.exit_code in (0, 3) and steps[:2] == ["brief", "chunk notes 1/5"], first.stderr
    hit = set()
    for position in range(1, len(steps)):
        with OpenAIServer(recorded_overflow(), *[ok()] * (position - 1), recorded_overflow()) as server:
            result = brief(runner, server, article)
        assert_no_internal_error(result)
        hit.add(re.sub(r" [\d/-]+$", "", STEP.findall(result.stderr)[position]))
    assert {"chunk notes", "combine"} <= hit, hit


@pytest.mark.parametrize(
    ("first_answer", "step"),
    [(AN_INVALID_BRIEF, "brief: validation repair 1"), (CARELESS_JSON, "grounding repair")],
)
def test_an_overflow_of_a_repair_ends_the_repair_not_the_brief(
    runner: CliRunner, first_answer: str, step: str
) -> None:
    with OpenAIServer(ok(first_answer), recorded_overflow()) as server:
        result = brief(runner, server, SEED)
    assert_no_internal_error(result)
    assert STEP.findall(result.stderr)[1] == step
    assert "repair was not asked" in result.stderr, result.stderr


# -- the window, remembered for the next run -------------------------------------------------------


def a_new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget what this process learned of each server, as a new ``briefer`` run starts without it."""
    import briefer.engines.llm.openai
    import briefer.engines.llm.windows

    monkeypatch.setattr(briefer.engines.llm.openai, "_IDENTITIES", {})
    monkeypatch.setattr(briefer.engines.llm.windows, "_LEARNED", {})


def test_the_next_run_plans_its_first_request_to_the_window_the_refusal_named(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """llama-cpp-python names its window only in a refusal: remembered per base URL and model, the
    next run sends chunk notes first instead of the whole article to be refused again."""
    article = tmp_path / "long.txt"
    article.write_text(max(ROWS, key=lambda row: len(row["text"]))["text"])
    with OpenAIServer(recorded_overflow()) as server:
        first = brief(runner, server, article)
        a_new_process(monkeypatch)
        second = brief(runner, server, article)
        refused = [c for c in server.completions if len(c.messages[-1]["content"]) > len(article.read_text())]
    assert (first.exit_code, second.exit_code) == (0, 0), second.stderr
    assert STEP.findall(first.stderr)[:2] == ["brief", "chunk notes 1/5"], first.stderr
    assert STEP.findall(second.stderr)[0].startswith("chunk notes 1/"), second.stderr
    assert len(refused) == 1, "only the first run sent the whole article"
    assert remembered() == {f"{server.base_url} smollm2": 2048}


def remembered() -> dict[str, int]:
    from briefer.engines.llm.windows import windows_path

    return json.loads(windows_path().read_text()) if windows_path().exists() else {}


def test_a_window_the_context_cut_an_answer_at_is_remembered_for_that_server_and_model(
    runner: CliRunner,
) -> None:
    """llama-cpp-python shortens a bound past its window without a word: the cut answer shows it."""
    from support.openai_server import context_full

    with OpenAIServer(context_full(1900)) as server:
        result = brief(runner, server, SEED, "--no-repair")
    assert_no_internal_error(result)
    assert remembered() == {f"{server.base_url} smollm2": 1900}


def test_a_cache_directory_that_cannot_be_written_costs_nothing_but_the_memory(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(not_a_directory))
    with OpenAIServer(recorded_overflow()) as server:
        result = brief(runner, server, SEED, "--no-repair")
    assert_no_internal_error(result)
    assert result.exit_code == 0 and STEP.findall(result.stderr)[1] == "chunk notes 1/2", result.stderr
    assert remembered() == {}
