"""``briefer serve`` (briefer/cli/serve.py): what reaches the workers; the service itself is in test_service."""

import os
from pathlib import Path
from typing import Any

import pytest
import typer
import uvicorn
from typer.testing import CliRunner

from briefer import service
from briefer.cli import app


@pytest.fixture
def served(env_clean: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """uvicorn.run recorded instead of run; the variables serve sets are restored afterwards."""
    calls: list[dict[str, Any]] = []
    env_clean.setattr(uvicorn, "run", lambda app, **kwargs: calls.append({"app": app, **kwargs}))
    for name in (service.CONFIG_ENV, "BRIEFER_PROMPTS_DIR", "BRIEFER_MAX_CHUNK_TOKENS"):
        env_clean.setenv(name, "")  # recorded, so the test's value is undone
        env_clean.delenv(name)
    return calls


def test_the_workers_get_prompts_dir_and_max_chunk_tokens(
    served: list[dict[str, Any]], tmp_path: Path
) -> None:
    args = ["serve", "--engine", "extractive", "--cache", str(tmp_path / "c.sqlite3")]
    result = CliRunner().invoke(app, [*args, "--prompts-dir", str(tmp_path), "--max-chunk-tokens", "4000"])
    assert result.exit_code == 0, result.output
    assert len(served) == 1
    # What each worker builds (service.app_from_env) from what it inherits:
    settings = service.ServeConfig.model_validate_json(os.environ[service.CONFIG_ENV]).settings()
    assert (settings.engine, settings.prompts_dir, settings.max_chunk_tokens) == (
        "extractive",
        tmp_path,
        4000,
    )


def test_the_limits_default_to_the_services_own() -> None:
    """serve cannot import the service to show --help quickly, so its defaults are copies: kept equal here."""
    serve = typer.main.get_command(app).commands["serve"]
    defaults = {param.name: param.default for param in serve.params}
    assert (defaults["max_body_bytes"], defaults["max_in_flight"], defaults["request_timeout"]) == (
        service.DEFAULT_MAX_BODY_BYTES,
        service.DEFAULT_MAX_IN_FLIGHT,
        service.DEFAULT_REQUEST_TIMEOUT_S,
    )
