"""What a Batch API run keeps in its output directory (briefer/batch/state.py)."""

from pathlib import Path

import pytest

from briefer.batch.state import (
    ANSWERS_FILE,
    STATE_FILE,
    BatchStore,
    StoredAnswer,
    Submitted,
    load_state,
)
from briefer.engines.llm.exchange import ChatAnswer, ContextOverflow, ModeRejected
from briefer.errors import ConfigError
from briefer.models import Usage


def test_answers_come_back_for_the_very_request_they_answered(tmp_path: Path) -> None:
    store = BatchStore(tmp_path, "gpt-4o-mini", "24h")
    answer = ChatAnswer(content='{"a": 1}', usage=Usage(prompt_tokens=10, completion_tokens=5, requests=1))
    store.keep(
        [
            StoredAnswer.of("a#0", "sha-a", answer),
            StoredAnswer.of("b#0", "sha-b", ModeRejected("json_schema is not supported")),
            StoredAnswer.of("c#0", "sha-c", ContextOverflow("too long", window=2048), live=True),
        ]
    )
    store.close()
    again = BatchStore(tmp_path, "gpt-4o-mini", "24h")
    assert again.stored("a#0", "sha-a").answer() == answer
    assert isinstance(again.stored("b#0", "sha-b").answer(), ModeRejected)
    overflow = again.stored("c#0", "sha-c")
    assert overflow.live and overflow.answer().window == 2048
    assert again.stored("a#0", "another body") is None, "a changed request is asked again"


def test_a_half_written_last_answer_is_skipped(tmp_path: Path) -> None:
    store = BatchStore(tmp_path, "m", "24h")
    store.keep([StoredAnswer.of("a#0", "sha", ChatAnswer(content="{}"))])
    store.close()
    with (tmp_path / ANSWERS_FILE).open("a") as handle:
        handle.write('{"custom_id": "b#0", "body_sh')  # kill -9 mid-line
    assert set(BatchStore(tmp_path, "m", "24h").answers) == {"a#0"}


def test_the_state_is_saved_whole_and_knows_what_is_open(tmp_path: Path) -> None:
    store = BatchStore(tmp_path, "gpt-4o-mini", "24h")
    store.state.submitted = [
        Submitted(
            input_file_id="file-1",
            batch_id="batch_1",
            requests={"a#0": "x"},
            tokens=100,
            status="in_progress",
        ),
        Submitted(
            input_file_id="file-2", batch_id="batch_2", requests={"b#0": "y"}, tokens=50, collected=True
        ),
    ]
    store.save()
    state = load_state(tmp_path)
    assert state.sent() == {"a#0": "x"} and state.enqueued_tokens() == 100
    assert not list(tmp_path.glob(".*.tmp")), "written atomically"


def test_no_or_a_damaged_state_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no Batch API run here"):
        load_state(tmp_path)
    (tmp_path / STATE_FILE).write_text("{not json")
    with pytest.raises(ConfigError, match="names the batches under way"):
        BatchStore(tmp_path, "m", "24h")
