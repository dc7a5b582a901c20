"""``briefer serve`` (briefer/cli/serve.py): what reaches the workers; the service itself is in test_service_*."""

import os
from pathlib import Path
from typing import Any

import pytest
import typer
import uvicorn
from typer.testing import CliRunner

from briefer import service
from briefer.cli import app
from briefer.service.briefing import DEFAULT_REQUEST_TIMEOUT_S
from briefer.service.guard import DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_IN_FLIGHT
from briefer.service.run import DEFAULT_GRACE_S


@pytest.fixture
def served(env_clean: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """uvicorn.run recorded instead of run; the variables serve sets are restored afterwards."""
    calls: list[dict[str, Any]] = []
    env_clean.setattr(uvicorn, "run", lambda app, **kwargs: calls.append({"app": app, **kwargs}))
    env_clean.setenv(service.CONFIG_ENV, "")  # recorded, so the test's value is undone
    env_clean.delenv(service.CONFIG_ENV)
    return calls


def test_the_workers_get_every_engine_setting_but_the_key(
    served: list[dict[str, Any]], tmp_path: Path, env_clean: pytest.MonkeyPatch
) -> None:
    env_clean.setenv("OPENAI_API_KEY", "sk-never-in-the-config")
    args = [
        "serve",
        "--engine",
        "extractive",
        "--cache",
        str(tmp_path / "c.sqlite3"),
        "--prompts-dir",
        str(tmp_path),
    ]
    args += ["--max-chunk-tokens", "4000", "--server", "vllm", "--timeout", "30", "--no-repair"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert len(served) == 1
    assert "sk-never" not in os.environ[service.CONFIG_ENV]
    # What each worker builds (service.app_from_env) from what it inherits:
    settings = service.ServeConfig.model_validate_json(os.environ[service.CONFIG_ENV]).settings()
    assert (settings.engine, settings.prompts_dir, settings.max_chunk_tokens, settings.server) == (
        "extractive",
        tmp_path,
        4000,
        "vllm",
    )
    assert (settings.timeout_s, settings.repair_grounding) == (30.0, False)
    assert settings.api_key is not None, "the key comes from the worker's own environment"


def test_the_limits_default_to_the_services_own() -> None:
    """serve cannot import the service to show --help quickly, so its defaults are copies: kept equal here."""
    serve = typer.main.get_command(app).commands["serve"]
    defaults = {param.name: param.default for param in serve.params}
    assert (
        defaults["max_body_bytes"],
        defaults["max_in_flight"],
        defaults["request_timeout"],
        defaults["grace"],
    ) == (DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_IN_FLIGHT, DEFAULT_REQUEST_TIMEOUT_S, DEFAULT_GRACE_S)
