"""The request/answer pair between the LLM steps and a transport (briefer/engines/llm/exchange.py)."""

from __future__ import annotations

from briefer.engines.fake import FunctionTransport
from briefer.engines.llm.exchange import (
    ChatAnswer,
    ChatRequest,
    ContextOverflow,
    Message,
    ModeRejected,
    Rejected,
)
from briefer.engines.llm.limits import EXPECTED_OUTPUT_TOKENS, Limits
from briefer.errors import BrieferError
from briefer.models import Brief
from briefer.tokens import count_tokens

# A validation repair: the answer that failed goes back with what was wrong with it.
REPAIR = ChatRequest(
    messages=(
        Message("system", "Brief the article as JSON."),
        Message("user", "<article>Pakistan warned the Afghan Taliban on Wednesday.</article>"),
        Message("assistant", '{"headline": "Pakistan warns the Taliban"}'),
        Message("user", "Your answer did not validate: key_takeaways: Field required. Answer again."),
    ),
    output=Brief,
    mode="json_object",
)


class _Units:
    """Stands in for a Pacer: records the units each request is charged."""

    def __init__(self) -> None:
        self.charged: list[float] = []

    def acquire_sync(self, units: float = 1.0) -> None:
        self.charged.append(units)


def test_text_is_every_message_the_model_reads_in_order() -> None:
    assert REPAIR.text().splitlines() == [m.content for m in REPAIR.messages]


def test_the_text_is_what_token_pacing_charges_with_room_for_the_answer() -> None:
    limits = Limits(tpm=200_000)
    limits.tokens = _Units()  # type: ignore[assignment]
    transport = limits.wrap(FunctionTransport(lambda request: "{}", model="gpt-4o-mini"))

    transport.complete(REPAIR)

    expected = count_tokens(REPAIR.text(), "gpt-4o-mini") + EXPECTED_OUTPUT_TOKENS
    assert limits.tokens.charged == [expected]  # type: ignore[attr-defined]


def test_an_answer_without_usage_still_counts_as_one_request() -> None:
    answer = ChatAnswer(content="{}")
    assert (answer.finish_reason, answer.usage.requests, answer.usage.prompt_tokens) == ("stop", 1, 0)


def test_refusals_the_steps_answer_by_asking_again_are_rejections_not_errors() -> None:
    """The engine hands a ``Rejected`` back to the steps (next mode, smaller chunks); errors end the article."""
    overflow = ContextOverflow("maximum context length is 2048 tokens", 2048)
    assert isinstance(overflow, Rejected) and overflow.window == 2048
    assert isinstance(ModeRejected("json_schema is not supported"), Rejected)
    assert not issubclass(Rejected, BrieferError)
