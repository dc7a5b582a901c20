"""Sizing a request to the model's context window before it is sent.

A server refuses a prompt longer than its context (llama-cpp-python: 400 ``context_length_exceeded``)
and cuts an answer where the context ends. Both cost a request, and on a CPU-bound local model a
cut answer costs minutes. So every request's messages are counted first, and its answer bound is
what the window leaves, never more: when that is too little for a useful answer, the request is not
sent, and the steps plan differently (smaller chunks, a shorter repair, no repair).
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from briefer.engines.llm.exchange import ContextOverflow, Message
from briefer.models import Brief, ChunkNotes
from briefer.tokens import count_tokens

# The server counts with the model's own tokenizer, not tiktoken: SmolLM2's reads the seed's prompt
# as 1,460 tokens where tiktoken counts 1,371. A tenth more, and the chat template's role markers.
TOKENIZER_MARGIN = 1.1
TEMPLATE_TOKENS_PER_MESSAGE = 8
# The least answer worth asking for: a brief of a few takeaways, a chunk's main facts. Below this,
# a small model's JSON is cut before it says anything, and the request only spends time.
MIN_ANSWER_TOKENS: dict[type[BaseModel], int] = {Brief: 512, ChunkNotes: 256}
DEFAULT_MIN_ANSWER_TOKENS = 512


def prompt_tokens(messages: Sequence[Message], model: str) -> int:
    """What the server will count for ``messages``, erring on the high side."""
    text = "\n".join(m.content for m in messages)
    return int(count_tokens(text, model) * TOKENIZER_MARGIN) + TEMPLATE_TOKENS_PER_MESSAGE * len(messages)


def answer_room(messages: Sequence[Message], model: str, window: int | None) -> int | None:
    """Tokens ``window`` leaves for the answer after ``messages``; None when the window is unknown."""
    if window is None:
        return None
    return window - prompt_tokens(messages, model)


def fits(messages: Sequence[Message], output: type[BaseModel], model: str, window: int | None) -> bool:
    """Whether ``messages`` leave room for at least the least useful answer (unknown windows: yes)."""
    room = answer_room(messages, model, window)
    return room is None or room >= MIN_ANSWER_TOKENS.get(output, DEFAULT_MIN_ANSWER_TOKENS)


def fitted_bound(
    messages: Sequence[Message], output: type[BaseModel], bound: int, model: str, window: int | None
) -> int:
    """``bound``, lowered to what the window leaves after the messages; ContextOverflow when that is
    less than the least useful answer (the request is then not sent)."""
    room = answer_room(messages, model, window)
    if room is None or window is None:
        return bound
    if not fits(messages, output, model, window):
        raise ContextOverflow(
            f"the prompt (about {window - room} tokens) leaves {max(room, 0)} of the model's "
            f"{window}-token context for the answer",
            window=window,
        )
    return min(bound, room)
