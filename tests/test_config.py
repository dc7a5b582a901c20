"""Settings (briefer/config.py): flags over the environment over defaults; one line for a bad value."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from briefer.config import DEFAULT_MODEL, Settings
from briefer.errors import ConfigError


def test_flags_beat_the_environment_which_beats_the_defaults() -> None:
    env = {"BRIEFER_MODEL": "gpt-4.1", "BRIEFER_STRUCTURED": "json_object"}
    assert Settings.from_env(env={}).model == DEFAULT_MODEL
    assert Settings.from_env(env=env).model == "gpt-4.1"
    flagged = Settings.from_env(env=env, model="gpt-4o")
    assert (flagged.model, flagged.structured) == ("gpt-4o", "json_object")


def test_a_flag_left_out_leaves_the_environment_in_charge() -> None:
    assert Settings.from_env(env={"BRIEFER_MODEL": "gpt-4.1"}, model=None).model == "gpt-4.1"


def test_an_empty_variable_is_not_set() -> None:
    assert Settings.from_env(env={"BRIEFER_MODEL": "", "OPENAI_BASE_URL": ""}).base_url is None


@pytest.mark.parametrize(
    ("variable", "value", "field", "expected"),
    [
        ("BRIEFER_ENGINE", "extractive", "engine", "extractive"),
        ("BRIEFER_MODEL", "gpt-4.1-mini", "model", "gpt-4.1-mini"),
        ("OPENAI_BASE_URL", "http://127.0.0.1:8080/v1", "base_url", "http://127.0.0.1:8080/v1"),
        ("OPENAI_API_KEY", "sk-test", "api_key", SecretStr("sk-test")),
        ("BRIEFER_PROMPT", "brief@1", "prompt", "brief@1"),
        ("BRIEFER_PROMPTS_DIR", "my-prompts", "prompts_dir", Path("my-prompts")),
        ("BRIEFER_MAX_CHUNK_TOKENS", "3000", "max_chunk_tokens", 3000),
        ("BRIEFER_STRUCTURED", "text", "structured", "text"),
        ("BRIEFER_SERVER", "vllm", "server", "vllm"),
        ("BRIEFER_STATEMENTS", "true", "statements", True),
        ("BRIEFER_STATEMENTS", "1", "statements", True),
        ("BRIEFER_STATEMENTS", "on", "statements", True),
        ("BRIEFER_STATEMENTS", "no", "statements", False),
    ],
)
def test_each_variable_sets_its_setting(variable: str, value: str, field: str, expected: object) -> None:
    assert getattr(Settings.from_env(env={variable: value}), field) == expected


def test_the_process_environment_is_read_when_no_env_is_given(env_clean: pytest.MonkeyPatch) -> None:
    env_clean.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")
    env_clean.setenv("BRIEFER_MODEL", "llama3.1")
    settings = Settings.from_env()
    assert (settings.base_url, settings.model) == ("http://127.0.0.1:11434/v1", "llama3.1")


@pytest.mark.parametrize(
    ("env", "flags", "line"),
    [
        (
            {"BRIEFER_ENGINE": "gpt"},
            {},
            "invalid setting engine: Input should be 'auto', 'openai', 'extractive' or 'hybrid'",
        ),
        (
            {"BRIEFER_MAX_CHUNK_TOKENS": "100"},
            {},
            "invalid setting max_chunk_tokens: Input should be greater than 200",
        ),
        ({}, {"timeout_s": 0}, "invalid setting timeout_s: Input should be greater than 0"),
        (
            {"BRIEFER_STATEMENTS": "sometimes"},
            {},
            "invalid setting statements: Input should be a valid boolean, unable to interpret input",
        ),
    ],
)
def test_a_bad_value_is_one_config_error_line_naming_the_setting(
    env: dict[str, str], flags: dict[str, object], line: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(env=env, **flags)
    assert str(caught.value) == line and caught.value.exit_code == 2


def test_with_nothing_configured_the_offline_engine_runs_by_default() -> None:
    settings = Settings.from_env(env={})
    assert settings.offline_by_default and settings.engine_name == "extractive"
    assert not settings.statements, "the statement check flags right claims too: asked for, never by default"


@pytest.mark.parametrize(
    ("env", "flags", "engine"),
    [
        ({"OPENAI_API_KEY": "sk-test"}, {}, "openai"),
        ({"OPENAI_BASE_URL": "http://127.0.0.1:8080/v1"}, {}, "hybrid"),  # a local server: docs/hybrid.md
        ({"OPENAI_BASE_URL": "https://llm.example.com/v1"}, {}, "openai"),
        ({}, {"engine": "extractive"}, "extractive"),
        ({"OPENAI_API_KEY": "sk-test"}, {"engine": "extractive"}, "extractive"),
        ({}, {"engine": "openai"}, "openai"),  # asked for without a key: the engine says what is missing
    ],
)
def test_a_key_a_server_or_an_engine_asked_for_is_not_the_offline_default(
    env: dict[str, str], flags: dict[str, object], engine: str
) -> None:
    settings = Settings.from_env(env=env, **flags)
    assert not settings.offline_by_default and settings.engine_name == engine


def test_the_key_never_shows() -> None:
    settings = Settings.from_env(env={"OPENAI_API_KEY": "sk-secret-123"})
    for shown in (repr(settings), str(settings), settings.model_dump_json(), str(settings.model_dump())):
        assert "sk-secret-123" not in shown
    assert settings.api_key is not None and settings.api_key.get_secret_value() == "sk-secret-123"
