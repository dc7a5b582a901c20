"""The options (briefer/cli/options.py): every settings flag names a Settings field and its real default."""

import pytest

from briefer.cli import options
from briefer.config import Settings

SETTINGS = [*options.ENGINE, *options.RUN]


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_each_settings_flag_sets_a_field_and_names_its_default(setting: options.Setting) -> None:
    assert setting.field in Settings.model_fields
    default = Settings.model_fields[setting.field].default
    if isinstance(default, bool):
        assert setting.shown == (setting.name if default else f"no-{setting.name}")
    elif isinstance(default, float):
        assert setting.shown == f"{default:g}"
    elif default is not None:
        assert str(default) in setting.shown


def test_each_flag_is_defined_once() -> None:
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names)) and options.MODEL in options.ENGINE
    assert options.PROMPTS_DIR in options.ENGINE
