"""Requests into batches: JSONL files within the Batch API's limits, uploaded and created as the
model's queue allows, each id saved the moment it exists so a stop between the two steps is
resumed, never paid twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from briefer.batch.client import BatchClient, within_limits
from briefer.batch.report import BatchOptions, BatchReport
from briefer.batch.state import BatchStore, Submitted
from briefer.batch.work import Ask


class Submitter:
    """Uploads and creates the batches of one run's requests into ``store``."""

    def __init__(self, client: BatchClient, model: str, options: BatchOptions, report: BatchReport) -> None:
        self.client, self.model, self.report = client, model, report
        self.completion_window, self.batch_tokens = options.completion_window, options.batch_tokens

    def resume(self, store: BatchStore) -> None:
        """Create the batches of files uploaded before a stop (or find the one already made)."""
        for submitted in store.state.submitted:
            if submitted.batch_id is None:
                self._create(submitted, store, self.client.made_from(submitted.input_file_id))

    def submit(self, fresh: list[Ask], store: BatchStore, round_of: Callable[[Ask], int]) -> None:
        """Send ``fresh`` requests in files as the queue allows; the rest waits for a batch to end."""
        for group in within_limits(fresh, self.batch_tokens):
            queued = store.state.enqueued_tokens()
            if queued and queued + sum(a.tokens for a in group) > self.batch_tokens:
                return  # the queue is full: the rest goes once a batch ends
            rounds = max(round_of(a) for a in group)
            file_id = self.client.upload(b"".join(a.line for a in group), f"briefer-round-{rounds}.jsonl")
            submitted = Submitted(
                input_file_id=file_id,
                requests={a.custom_id: a.sha for a in group},
                tokens=sum(a.tokens for a in group),
                round=rounds,
            )
            store.state.submitted.append(submitted)
            store.save()
            self._create(submitted, store)
            self.report.requests += len(group)

    def _create(self, submitted: Submitted, store: BatchStore, batch: Any = None) -> None:
        batch = batch or self.client.create(
            submitted.input_file_id,
            self.completion_window,
            {"briefer": f"round {submitted.round}", "model": self.model},
        )
        submitted.batch_id, submitted.status = batch.id, batch.status
        store.save()
