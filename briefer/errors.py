"""Errors a user can cause or fix: each carries one clear line and the process exit code.

The CLI prints ``str(error)`` on stderr and exits with ``error.exit_code``; anything that is
not a ``BrieferError`` is a bug and gets a traceback.
"""

from __future__ import annotations


class BrieferError(Exception):
    """Base class: a one-line, user-facing message."""

    exit_code = 1


class InputError(BrieferError):
    """The input cannot be read or is not an article (missing, empty, binary, bad URL)."""

    exit_code = 2


class ConfigError(BrieferError):
    """Settings are wrong or missing (bad flag value, no key for the engine asked for, unknown prompt)."""

    exit_code = 2


class EngineError(BrieferError):
    """The LLM or its server failed in a way the user has to act on (auth, quota, outage, refusal).

    ``retryable``: the same request may succeed later (rate limits, 5xx, timeouts).
    ``fatal``: no later request can succeed either (bad key, unknown model, out of credit), so a
    batch stops instead of failing every remaining article the same way.
    ``rate_limited``: the account's limit was hit (429): every request of a run should pause,
    for ``retry_after_s`` when the server said how long.
    ``raw_answer``: what the model said when its answer could not be used, so nothing it wrote
    is lost (``--verbose`` shows it; batch reports and the service's error body keep it).
    """

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        retryable: bool = False,
        fatal: bool = False,
        rate_limited: bool = False,
        retry_after_s: float | None = None,
        raw_answer: str | None = None,
    ) -> None:
        super().__init__(message)
        self.raw_answer = raw_answer
        self.retryable = retryable
        self.fatal = fatal
        self.rate_limited = rate_limited
        self.retry_after_s = retry_after_s
