"""What every command shares: errors handled in one place (with ``--verbose``), settings, output.

Every command is wrapped in ``@command()`` (``briefer.cli`` registers it), which adds
``--verbose`` and the settings groups it is given, so a command neither declares nor forwards
them: it takes ``settings`` (a validated ``Settings``) when it was given groups, and raises
``BrieferError`` for anything the user can fix. Exit codes: 0 ok, 1 the engine failed (or a
bug), 2 bad input, flag or configuration, 3 grounding flagged items (set by the command), 130
interrupted.
"""

import functools
import inspect
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from briefer.cli.options import Setting, Verbose
from briefer.errors import BrieferError

if TYPE_CHECKING:
    from briefer.config import Settings

F = TypeVar("F", bound=Callable[..., Any])
_VERBOSE = inspect.Parameter("verbose", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=Verbose)


def command(*groups: Setting | tuple[Setting, ...], **defaults: object) -> Callable[[F], F]:
    """Add ``--verbose`` and the settings in ``groups`` to a command; ``defaults``: its own defaults."""
    settings = [s for group in groups for s in (group if isinstance(group, tuple) else (group,))]

    def decorate(func: F) -> F:
        own = inspect.signature(func)
        params = [p for p in own.parameters.values() if p.name != "settings"]
        params += [s.parameter(defaults.get(s.name)) for s in settings] + [_VERBOSE]

        @functools.wraps(func)
        def run(**kwargs: Any) -> Any:
            with errors_reported(kwargs.pop("verbose")):
                if settings:
                    kwargs["settings"] = make_settings({s.field: kwargs.pop(s.name) for s in settings})
                return func(**kwargs)

        run.__signature__ = own.replace(parameters=params)  # type: ignore[attr-defined]  # what typer reads
        run.__annotations__ = {p.name: p.annotation for p in params}
        return run  # type: ignore[return-value]  # wraps func: same call, flags folded into settings

    return decorate


def make_settings(flags: dict[str, Any]) -> "Settings":
    """Flags over the environment over the defaults (a flag left out is None)."""
    from briefer.config import Settings

    return Settings.from_env(**flags)


@contextmanager
def errors_reported(verbose: bool) -> Iterator[None]:
    """One line on stderr and an exit code for any error; ``verbose`` adds the traceback."""
    try:
        yield
    except (typer.Exit, typer.Abort, typer.TyperException):
        raise  # an exit a command chose, or a usage error: typer reports those itself
    except BrieferError as exc:
        if verbose:
            traceback.print_exc()
        raise fail(str(exc), exc.exit_code) from None
    except KeyboardInterrupt:
        raise fail("interrupted", 130) from None
    except BrokenPipeError:  # `briefer ... | head`: the reader left; not an error of ours
        sys.stderr.close()  # nor worth the "Exception ignored" Python would print at exit
        raise typer.Exit(0) from None
    except Exception as exc:
        if verbose:
            traceback.print_exc()
        hint = "" if verbose else "; run again with --verbose for the traceback"
        raise fail(
            f"internal error ({type(exc).__name__}: {exc}): this is a bug in briefer{hint}", 1
        ) from None


def fail(message: str, code: int) -> typer.Exit:
    """Say ``message`` as an error on stderr; raise what this returns to exit with ``code``."""
    say(f"error: {message}")
    return typer.Exit(code)


def say(message: str) -> None:
    """A diagnostic on stderr (stdout stays machine-readable), one line: messages quote servers,
    articles and models, so their line breaks are spaces and their control characters visible."""
    from briefer.render import visible
    from briefer.text.lines import flatten_lines

    typer.echo(f"briefer: {visible(flatten_lines(message))}", err=True)


def write_output(text: str, out: Path | None = None) -> None:
    """The command's result: to stdout, or atomically to ``out``."""
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from briefer.fileio import write_atomic

    write_atomic(out, text)
    say(f"wrote {out}")


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def write_markdown(text: str, out: Path | None = None) -> None:
    """Markdown for a person at a terminal is rendered (rich), not shown with its escapes
    ('\\[Khawaja Asif\\]'); piped or written to ``out`` it stays exact Markdown."""
    if out is not None or not stdout_is_terminal():
        write_output(text, out)
        return
    from rich.console import Console
    from rich.markdown import Markdown

    Console(file=sys.stdout).print(Markdown(text))


def announce_engine(settings: "Settings") -> None:
    """Say that the offline engine runs because nothing else is configured (not when asked for)."""
    if settings.offline_by_default:
        say(
            "no OPENAI_API_KEY or --base-url set, so using the offline extractive engine; set one to use an LLM."
        )
