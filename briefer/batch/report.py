"""What a batch run was asked to do and what it did: options, counts, failures (``report.json``)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, computed_field

from briefer.choices import Route
from briefer.models import BriefResult, Failure, Usage


class Counts(BaseModel):
    seen: int = 0
    done: int = Field(0, description="Briefed in this run.")
    cached: int = Field(0, description="Found in the cache, written to the output.")
    already_done: int = Field(0, description="Already in briefs.jsonl from an earlier run.")
    failed: int = 0
    skipped_failed: int = Field(
        0, description="Failed in an earlier run; not retried without --retry-failed."
    )

    @computed_field  # type: ignore[prop-decorator]  # pydantic documents this ignore for @computed_field on a property
    @property
    def left(self) -> int:
        """Seen but not finished: a stopped or interrupted run leaves them for the next one. With
        it the counts add up to the articles seen, in report.json, on stderr and in the API."""
        return max(
            0, self.seen - self.done - self.cached - self.already_done - self.failed - self.skipped_failed
        )


class BatchReport(BaseModel):
    engine: str
    model: str
    via: Route = "live"
    started_at: datetime
    finished_at: datetime | None = None
    wall_s: float = 0.0
    interrupted: bool = False
    aborted: str | None = Field(None, description="Why the run stopped early: an error no retry can fix.")
    aborted_exit_code: int | None = Field(
        None, description="The exit code that error calls for: 1 the LLM or its server, 2 the output place."
    )
    counts: Counts = Field(default_factory=Counts)
    failures: list[Failure] = Field(default_factory=list)
    unanswered: list[str] = Field(
        default_factory=list,
        description="Ids among the failures that only the server's unavailability failed (5xx, timeouts, "
        "lost connections after every retry): the next run tries them again without --retry-failed.",
    )
    duplicate_ids: list[str] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    requests: int = Field(0, description="HTTP requests sent, retries included.")
    retries: int = 0
    cost_usd: float | None = Field(
        0.0, description="What the briefs cost; at batch rates through the Batch API."
    )
    articles_per_s: float = 0.0
    batches: list[str] = Field(
        default_factory=list, description="The Batch API's batch ids this run followed."
    )
    waiting: int = Field(
        0, description="Articles whose answers the Batch API has not given yet: the next run collects them."
    )

    def add_cost(self, result: BriefResult) -> None:
        """Count a brief's tokens and cost in; one unknown price makes the total unknown."""
        self.usage = self.usage + result.provenance.usage
        cost = result.provenance.cost_usd
        self.cost_usd = None if cost is None or self.cost_usd is None else self.cost_usd + cost

    def close(self, duplicates: list[str] | None, wall_s: float) -> None:
        """The figures known once the run ends: when, how long, how fast."""
        self.duplicate_ids = duplicates or []
        self.finished_at = datetime.now(UTC)
        self.wall_s = round(wall_s, 3)
        finished = self.counts.done + self.counts.cached
        self.articles_per_s = round(finished / self.wall_s, 2) if self.wall_s else 0.0


class BatchOptions(BaseModel):
    out: Path | None = Field(None, description="Output directory; None streams BriefResult JSONL to stdout.")
    formats: list[Literal["json", "md"]] = ["json"]
    concurrency: int = Field(8, ge=1, le=1024)
    rpm: float | None = Field(None, gt=0)
    tpm: float | None = Field(None, gt=0)
    max_attempts: int = Field(6, ge=1, le=50)
    retry_failed: bool = False
    ordered: bool = False
    workers: int | None = Field(
        None, ge=1, description="Processes for the extractive engine (default: all cores)."
    )
    via: Route = "live"
    completion_window: str = Field("24h", pattern=r"^\d+h$", description="The Batch API's completion window.")
    repair_live: bool = Field(False, description="Through the Batch API, send repair requests live instead.")
    batch_tokens: int = Field(
        2_000_000,
        ge=1000,
        description="Prompt tokens one model may have enqueued in the Batch API at once (your account's limit).",
    )
    wait: bool = Field(
        True, description="Through the Batch API: follow the batches to the end (False: submit, return)."
    )
