"""Requests sized to the model's window before they are sent (``engines/llm/fitting.py``)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from briefer.engines.llm.exchange import ContextOverflow, Message
from briefer.engines.llm.fitting import MIN_ANSWER_TOKENS, fitted_bound, prompt_tokens
from briefer.engines.llm.repairs import fitting_repair
from briefer.models import Brief, ChunkNotes

ARTICLE = "Pakistan's Defence Minister Khawaja Asif warned the Afghan Taliban on Wednesday. " * 40


def test_the_bound_is_what_the_window_leaves_and_never_more() -> None:
    messages = [Message("system", "You write briefs."), Message("user", ARTICLE)]
    used = prompt_tokens(messages, "smollm2")
    assert fitted_bound(messages, Brief, 1500, "smollm2", None) == 1500, "an unknown window bounds nothing"
    assert fitted_bound(messages, Brief, 1500, "smollm2", used + 4000) == 1500
    assert fitted_bound(messages, Brief, 1500, "smollm2", used + 700) == 700


def test_a_prompt_that_leaves_less_than_a_useful_answer_is_not_sent() -> None:
    messages = [Message("user", ARTICLE)]
    window = prompt_tokens(messages, "smollm2") + MIN_ANSWER_TOKENS[ChunkNotes] - 1
    with pytest.raises(ContextOverflow, match=f"of the model's {window}-token context") as caught:
        fitted_bound(messages, ChunkNotes, 800, "smollm2", window)
    assert caught.value.window == window, "the steps re-plan for the window named"


def test_a_repair_that_would_not_fit_goes_without_the_task_and_its_article() -> None:
    try:
        Brief.model_validate({"headline": "Asif warns the Taliban"})
    except ValidationError as exc:
        missing = exc
    task = f"Write the brief of this article.\n\n<article>\n{ARTICLE}\n</article>"
    answer = '{"headline": "Asif warns the Taliban"}'
    roomy = fitting_repair(task, answer, missing, "", (Brief, "smollm2", None))
    assert ARTICLE in roomy[-1].content, "a missing field is written from the article when it fits"
    window = prompt_tokens(roomy, "smollm2")  # the whole repair would leave no room for the answer
    tight = fitting_repair(task, answer, missing, "", (Brief, "smollm2", window))
    assert ARTICLE not in tight[-1].content and answer in tight[-1].content
