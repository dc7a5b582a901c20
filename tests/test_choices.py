"""Each list of choices is defined once (``briefer.choices``) and every surface accepts exactly it."""

import re
from typing import get_args

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from briefer.choices import EngineChoice, EngineName, Route, ServerChoice, ServerName
from briefer.cli import app
from briefer.config import Settings
from briefer.engines.llm.servers import SERVERS
from briefer.service.schemas import BriefOptions


def _cli_choices(command: str, option: str) -> set[str]:
    """The values ``briefer COMMAND --help`` offers for ``--OPTION`` (``--engine <auto|...>``)."""
    result = CliRunner().invoke(app, [command, "--help"], terminal_width=200)
    offered = re.search(rf"--{option} <([^>]*)>", result.output)
    assert offered, f"briefer {command} --{option} offers no list of choices"
    return set(offered.group(1).split("|"))


def test_the_choices_nest_as_documented() -> None:
    assert set(get_args(EngineChoice)) == {"auto", *get_args(EngineName)}
    assert set(get_args(ServerChoice)) == {"auto", *get_args(ServerName)}


@pytest.mark.parametrize("command", ["brief", "batch", "estimate", "serve"])
def test_the_cli_offers_exactly_the_engines_and_servers(command: str) -> None:
    assert _cli_choices(command, "engine") == set(get_args(EngineChoice))
    assert _cli_choices(command, "server") == set(get_args(ServerChoice))


def test_the_cli_offers_exactly_the_routes() -> None:
    assert _cli_choices("batch", "via") == set(get_args(Route))
    assert _cli_choices("estimate", "via") == set(get_args(Route))


@pytest.mark.parametrize(("field", "choices"), [("engine", EngineChoice), ("server", ServerChoice)])
def test_settings_accept_exactly_the_choices(field: str, choices: object) -> None:
    for value in get_args(choices):
        assert getattr(Settings(**{field: value}), field) == value
    with pytest.raises(ValidationError):
        Settings(**{field: "not-a-choice"})


def test_every_server_kind_has_its_server_and_no_other_does() -> None:
    assert set(SERVERS) == set(get_args(ServerName))
    assert all(server.name == name for name, server in SERVERS.items())


def test_the_service_accepts_exactly_the_named_engines() -> None:
    for name in get_args(EngineName):
        assert BriefOptions(engine=name).engine == name
    for other in ("auto", "not-an-engine"):
        with pytest.raises(ValidationError):
            BriefOptions(engine=other)


def test_every_engine_name_is_registered_and_builds_an_engine_of_that_name() -> None:
    from briefer.engines import ENGINES, Engine, make_engine

    assert set(ENGINES) == set(get_args(EngineName))
    for name in ENGINES:
        engine = make_engine(Settings(engine=name), planning=True)
        assert isinstance(engine, Engine) and engine.name == name
