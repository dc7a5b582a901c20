"""One article's LLM steps under way in a Batch API run: the requests it waits on and their answers.

Each time the steps ask (one request, or a ``Fanout`` of a long article's chunks), every
request gets a ``custom_id`` (article id, step number, and its place in a fan-out) and the body
the live path would send. An answer stored by an earlier run for that very body is used at once,
so a re-run replays the steps up to where they wait, and pays for nothing twice.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

from briefer.batch.client import Outcome, request_line
from briefer.batch.state import BatchStore
from briefer.engines.llm.exchange import ChatAnswer, ChatRequest, Fanout, ModeRejected
from briefer.loading.inputs import BatchItem
from briefer.models import Article, Usage


@dataclass
class Ask:
    """One request waited on: what it asks, its JSONL line, the hash of its body, its prompt tokens."""

    custom_id: str
    request: ChatRequest
    line: bytes
    sha: str
    tokens: int = 0

    @property
    def is_repair(self) -> bool:
        """A validation repair (the answer and its errors fed back) or a grounding repair."""
        return self.request.repair > 0 or self.request.prompt.startswith("repair@")


@dataclass
class Work:
    """An article whose steps run over Batch API answers (see the module docstring)."""

    index: int
    item: BatchItem
    article: Article
    briefing: Any  # engines.llm.engine.ArticleRun
    started: float = field(default_factory=time.monotonic)
    step: int = 0
    fanout: bool = False
    order: list[str] = field(default_factory=list)  # custom_ids of the current step, in order
    asks: dict[str, Ask] = field(default_factory=dict)  # those still unanswered
    got: dict[str, Outcome] = field(default_factory=dict)
    live_usage: Usage = field(default_factory=Usage)  # --repair-live's answers, billed at live rates

    def advance(self, transport: Any, store: BatchStore) -> bool:
        """Send the answers gathered, then stored ones while there are any: True when the steps wait
        on ``asks``, False when they ended (``briefing.result``). Raises the steps' BrieferError."""
        while True:
            if self.order:
                answers = tuple(self.got[custom_id] for custom_id in self.order)
                self.briefing.answer = answers if self.fanout else answers[0]
            asked = self.briefing.next_request()
            if asked is None:
                return False
            self.fanout = isinstance(asked, Fanout)
            requests = asked.requests if isinstance(asked, Fanout) else (asked,)
            part = [f".{k}" for k in range(len(requests))] if self.fanout else [""]
            self.order = [f"{self.item.id}#{self.step}{p}" for p in part]
            self.step, self.asks, self.got = self.step + 1, {}, {}
            for custom_id, request in zip(self.order, requests, strict=True):
                try:
                    body = transport.body(request)
                except (
                    ModeRejected
                ) as exc:  # the server lacks the mode: nothing sent, the steps ask another way
                    self.got[custom_id] = exc
                    continue
                sha = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
                stored = store.stored(custom_id, sha)
                if stored is None:
                    self.asks[custom_id] = Ask(custom_id, request, request_line(custom_id, body), sha)
                else:
                    self.take(custom_id, stored.answer(), live=stored.live)
            if self.asks:
                return True

    def take(self, custom_id: str, outcome: Outcome, *, live: bool) -> bool:
        """Keep the answer to ``custom_id``: True once every request of the step is answered."""
        self.asks.pop(custom_id, None)
        self.got[custom_id] = outcome
        if live and isinstance(outcome, ChatAnswer):
            self.live_usage = self.live_usage + outcome.usage
        return not self.asks

    def batch_usage(self, total: Usage) -> Usage:
        """What of ``total`` went through the Batch API (billed at batch rates)."""
        live = self.live_usage
        return Usage(
            prompt_tokens=total.prompt_tokens - live.prompt_tokens,
            completion_tokens=total.completion_tokens - live.completion_tokens,
            requests=total.requests - live.requests,
        )
