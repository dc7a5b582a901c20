"""Settings from flags, environment (BRIEFER_*, OPENAI_*) and defaults, in that order of precedence."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, SecretStr, ValidationError

from briefer.choices import EngineChoice, EngineName, ServerChoice
from briefer.errors import ConfigError

StructuredMode = Literal["auto", "json_schema", "json_object", "text"]
DEFAULT_MODEL = "gpt-4o-mini"


class Settings(BaseModel):
    """How to produce a brief. Build with ``Settings.from_env(**overrides)``."""

    engine: EngineChoice = "auto"
    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: SecretStr | None = Field(default=None, repr=False)
    prompt: str = Field(
        default="brief", description="NAME or NAME@VERSION; the latest version when none given."
    )
    prompts_dir: Path | None = None
    max_chunk_tokens: int | None = Field(
        default=None, gt=200, description="None: derived from the model's context."
    )
    structured: StructuredMode = "auto"
    server: ServerChoice = Field(
        default="auto", description="The kind of OpenAI-compatible server; auto asks it (GET /models)."
    )
    max_repairs: int = Field(default=2, ge=0, le=10)
    repair_grounding: bool = Field(default=True, description="One LLM round to fix items grounding flags.")
    statements: bool = Field(
        default=False,
        description="Grounding also flags claims the statement check doubts (off: it flags right ones too).",
    )
    timeout_s: float | None = Field(
        default=None,
        gt=0,
        description="Seconds per LLM answer; None: 120 for a hosted API, 600 for a local server.",
    )
    max_retries: int = Field(default=2, ge=0, le=10)
    rpm: float | None = Field(default=None, gt=0, description="Requests per minute allowed (None: unpaced).")
    tpm: float | None = Field(default=None, gt=0, description="Tokens per minute allowed (None: unpaced).")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Defaults < environment < explicit overrides (``None`` overrides are ignored)."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for key, name in [
            ("engine", "BRIEFER_ENGINE"),
            ("model", "BRIEFER_MODEL"),
            ("base_url", "OPENAI_BASE_URL"),
            ("api_key", "OPENAI_API_KEY"),
            ("prompt", "BRIEFER_PROMPT"),
            ("prompts_dir", "BRIEFER_PROMPTS_DIR"),
            ("max_chunk_tokens", "BRIEFER_MAX_CHUNK_TOKENS"),
            ("structured", "BRIEFER_STRUCTURED"),
            ("server", "BRIEFER_SERVER"),
            ("statements", "BRIEFER_STATEMENTS"),  # pydantic reads true/false, 1/0, yes/no, on/off
        ]:
            if env.get(name):
                values[key] = env[name]
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls.model_validate(values)
        except ValueError as exc:  # pydantic.ValidationError is a ValueError
            first = exc.errors()[0] if isinstance(exc, ValidationError) else {"loc": (), "msg": str(exc)}
            where = ".".join(str(p) for p in first["loc"])
            raise ConfigError(f"invalid setting {where}: {first['msg']}") from exc

    @property
    def offline_by_default(self) -> bool:
        """No engine asked for and no key or server configured: the offline engine runs, and says so."""
        return self.engine == "auto" and not (self.api_key or self.base_url)

    @property
    def engine_name(self) -> EngineName:
        """``auto`` means: the hybrid for a server on this machine or network, the LLM engine for
        another base URL or a key alone, else the offline engine (why: docs/hybrid.md's figures)."""
        if self.engine != "auto":
            return self.engine
        if not (self.api_key or self.base_url):
            return "extractive"
        return "hybrid" if is_local(self.base_url) else "openai"


def is_local(base_url: str | None) -> bool:
    """A server on this machine or its network: a timeout there means a slow model, not a flaky
    link, and `auto` gives it the hybrid engine."""
    if not base_url:
        return False
    host = urlsplit(base_url).hostname or ""
    if host == "localhost" or host.endswith(".local"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local
