"""Errors a user can cause or fix (briefer/errors.py): the exit code each kind ends with, and what
an engine failure tells the code that catches it."""

from __future__ import annotations

import pytest

from briefer.errors import BrieferError, ConfigError, EngineError, InputError


@pytest.mark.parametrize(
    ("error", "exit_code"),
    [(InputError("no such file"), 2), (ConfigError("bad flag"), 2), (EngineError("quota exceeded"), 1)],
    ids=["input", "config", "engine"],
)
def test_each_kind_is_a_briefer_error_with_its_exit_code(error: BrieferError, exit_code: int) -> None:
    assert isinstance(error, BrieferError) and error.exit_code == exit_code


def test_an_engine_error_is_final_unless_it_says_otherwise() -> None:
    error = EngineError("the model refused to brief this article")
    assert not (error.retryable or error.fatal or error.rate_limited)
    assert error.retry_after_s is None and error.raw_answer is None


def test_an_engine_error_carries_what_the_model_said_and_how_to_retry() -> None:
    error = EngineError(
        "rate limited (429)", retryable=True, rate_limited=True, retry_after_s=1.5, raw_answer='{"head'
    )
    assert str(error) == "rate limited (429)"
    assert (error.retryable, error.rate_limited, error.retry_after_s, error.raw_answer) == (
        True,
        True,
        1.5,
        '{"head',
    )
