"""What a Batch API run keeps in its output directory, so that nothing submitted is ever lost.

``batch-api.json`` lists every file uploaded and batch created, with the ``custom_id``s each
carries; it is rewritten atomically the moment a new id exists, so Ctrl-C or a crash between
two calls leaves at worst an uploaded file that the next run turns into its batch.
``batch-answers.jsonl`` keeps every answer downloaded, appended whole: the articles' steps are
replayed over it on the next run, which re-attaches to the batches still open instead of
submitting again, and pays for nothing twice.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from briefer.engines.llm.exchange import ChatAnswer, ContextOverflow, ModeRejected, Rejected
from briefer.errors import ConfigError
from briefer.fileio import append_whole, cannot_write, write_atomic
from briefer.models import Usage

STATE_FILE = "batch-api.json"
ANSWERS_FILE = "batch-answers.jsonl"
FINAL_STATUSES = frozenset({"completed", "failed", "expired", "cancelled"})


class Submitted(BaseModel):
    """One input file and the batch made from it (``batch_id`` None: uploaded, not yet created)."""

    input_file_id: str
    batch_id: str | None = None
    requests: dict[str, str] = Field(description="custom_id -> sha256 of the request body it carries.")
    tokens: int = Field(0, description="Prompt tokens enqueued by this batch (the model's queue limit).")
    round: int = 1
    status: str = "uploaded"
    completed: int = 0
    failed: int = 0
    output_file_id: str | None = None
    error_file_id: str | None = None
    collected: bool = Field(False, description="Its output and error files are downloaded and stored.")

    def update(self, batch: Any) -> None:
        """What the Batch API now says of this batch (an SDK ``Batch``)."""
        counts = batch.request_counts
        self.status = batch.status
        self.completed, self.failed = (counts.completed, counts.failed) if counts else (0, 0)
        self.output_file_id, self.error_file_id = batch.output_file_id, batch.error_file_id


class BatchState(BaseModel):
    model: str
    completion_window: str = "24h"
    submitted: list[Submitted] = Field(default_factory=list)

    def open(self) -> list[Submitted]:
        """Batches whose results are not yet stored."""
        return [s for s in self.submitted if not s.collected]

    def sent(self) -> dict[str, str]:
        """custom_id -> body sha256 of every request in a batch still open: never sent again."""
        return {c: sha for s in self.open() for c, sha in s.requests.items()}

    def enqueued_tokens(self) -> int:
        return sum(s.tokens for s in self.open() if s.status not in FINAL_STATUSES)


class StoredAnswer(BaseModel):
    """An answer for one custom_id, for the request whose body had ``body_sha256``."""

    custom_id: str
    body_sha256: str
    content: str | None = None
    finish_reason: str | None = None
    refusal: str | None = None
    usage: Usage = Field(default_factory=Usage)
    rejected: Literal["mode", "context"] | None = None  # the server refused this way of asking
    message: str | None = None
    window: int | None = None
    live: bool = Field(False, description="Asked live (--repair-live), so billed at live rates.")

    @classmethod
    def of(
        cls, custom_id: str, body_sha256: str, answer: ChatAnswer | Rejected, *, live: bool = False
    ) -> StoredAnswer:
        if isinstance(answer, Rejected):
            kind = "context" if isinstance(answer, ContextOverflow) else "mode"
            window = answer.window if isinstance(answer, ContextOverflow) else None
            return cls(
                custom_id=custom_id,
                body_sha256=body_sha256,
                rejected=kind,
                message=str(answer),
                window=window,
                live=live,
            )
        return cls(
            custom_id=custom_id,
            body_sha256=body_sha256,
            content=answer.content,
            finish_reason=answer.finish_reason,
            refusal=answer.refusal,
            usage=answer.usage,
            live=live,
        )

    def answer(self) -> ChatAnswer | Rejected:
        """What the steps are sent (or have thrown in) when they ask this again."""
        if self.rejected == "context":
            return ContextOverflow(self.message or "", self.window)
        if self.rejected == "mode":
            return ModeRejected(self.message or "")
        return ChatAnswer(
            content=self.content, finish_reason=self.finish_reason, refusal=self.refusal, usage=self.usage
        )


class BatchStore:
    """The state and the answers of the Batch API run in ``directory``."""

    def __init__(self, directory: Path, model: str, completion_window: str) -> None:
        self.directory = directory
        self.path = directory / STATE_FILE
        self.state = (
            load_state(directory)
            if self.path.exists()
            else BatchState(model=model, completion_window=completion_window)
        )
        self.answers: dict[str, StoredAnswer] = {}
        answers = directory / ANSWERS_FILE
        try:
            self._fd = os.open(answers, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o666)
            with answers.open(encoding="utf-8", errors="replace") as handle:
                for line in handle:  # a half-written last line (kill -9) is skipped
                    with contextlib.suppress(ValueError):
                        stored = StoredAnswer.model_validate_json(line)
                        self.answers[stored.custom_id] = stored
        except OSError as exc:
            raise cannot_write(answers, exc) from exc

    def save(self) -> None:
        write_atomic(self.path, self.state.model_dump_json(indent=2) + "\n")

    def stored(self, custom_id: str, body_sha256: str) -> StoredAnswer | None:
        """The answer stored for this very request (a changed prompt or option asks again)."""
        found = self.answers.get(custom_id)
        return found if found is not None and found.body_sha256 == body_sha256 else None

    def keep(self, answers: list[StoredAnswer]) -> None:
        if not answers:
            return
        data = "".join(a.model_dump_json() + "\n" for a in answers).encode()
        append_whole(self._fd, data, self.directory / ANSWERS_FILE)
        self.answers.update((a.custom_id, a) for a in answers)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._fd)


def load_state(directory: Path) -> BatchState:
    """The state of the Batch API run in ``directory`` (``briefer batch status|cancel DIR``)."""
    path = directory / STATE_FILE
    if not path.exists():
        raise ConfigError(f"{directory}: no Batch API run here (no {STATE_FILE}); give the --out of one")
    try:
        return BatchState.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
        raise ConfigError(
            f"{path}: cannot read the Batch API state ({type(exc).__name__}); it names the batches "
            "under way: restore it, or use another --out"
        ) from exc
