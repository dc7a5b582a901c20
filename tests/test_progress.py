"""Progress bars (briefer/progress.py): drawn on the console they are given (stderr in briefer's
commands, so stdout stays machine-readable), animated only on a terminal.

The module draws; whether to draw at all is its callers' choice (``briefer batch`` draws nothing
when stderr is not a terminal)."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from briefer.progress import progress_bar


def run_bar(console: Console, *, status: bool = False, transient: bool = False) -> None:
    with progress_bar(console, "briefing", status=status, transient=transient) as bar:
        task = bar.add_task("batch", total=3, status="done 3 · failed 0")
        for _ in range(3):
            bar.advance(task)


def test_the_bar_goes_to_stderr_never_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    run_bar(Console(stderr=True, force_terminal=True, width=120), status=True)
    out, err = capsys.readouterr()
    assert out == ""
    assert "briefing" in err and "3/3" in err and "done 3 · failed 0" in err


def test_the_status_column_is_shown_only_when_asked_for() -> None:
    plain = io.StringIO()
    run_bar(Console(file=plain, force_terminal=False, width=120))
    assert "3/3" in plain.getvalue() and "failed 0" not in plain.getvalue()


@pytest.mark.parametrize("transient", [False, True])
def test_off_a_terminal_there_is_no_animation_at_most_the_final_line(transient: bool) -> None:
    log = io.StringIO()
    run_bar(Console(file=log, force_terminal=False, width=120), status=True, transient=transient)
    text = log.getvalue()
    assert "\r" not in text and "\x1b" not in text, "no cursor movement or colour codes in a log"
    assert len(text.strip().splitlines()) <= 1
