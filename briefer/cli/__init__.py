"""The ``briefer`` command: argument parsing and rendering over the library API, nothing else.

This module is the command map. Each command group lives in its own module (``brief``,
``batch``, ``evaluate``, ``serve``, ``cache``, ``prompts``), every option is defined once in
``options``, and errors, ``--verbose`` and settings are handled once in ``command``. Output goes
to stdout, diagnostics to stderr, so pipes stay clean. Showing ``--help`` imports typer and
these modules only; each command imports what it runs when it runs.
"""

from collections.abc import Callable

import typer

from briefer.cli import batch, brief, cache, evaluate, prompts, serve


def _add(group: typer.Typer, *commands: Callable[..., None]) -> None:
    """Each command named after its function (``eval_`` is ``eval``: the _ keeps off a builtin; ``eval_factuality`` is ``eval-factuality``)."""
    for run in commands:
        group.command(run.__name__.rstrip("_").replace("_", "-"))(run)


app = typer.Typer(
    name="briefer",
    help="Turn news articles into briefs an editor can trust: key takeaways and a validated structured brief.\n\n"
    "With OPENAI_API_KEY (or --base-url for any OpenAI-compatible server) briefer uses an LLM; "
    "without, it runs its offline extractive engine.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # plain help: rich would add ~100 ms to every --help
    context_settings={"help_option_names": ["-h", "--help"]},
)
_add(app, brief.brief, brief.verify, brief.tokens, brief.schema, evaluate.eval_, evaluate.eval_factuality)
_add(app, batch.batch, batch.estimate, serve.serve)
prompts_group = typer.Typer(help="List and show the versioned prompts.", no_args_is_help=True)
_add(prompts_group, prompts.list_, prompts.show)
app.add_typer(prompts_group, name="prompts")
cache_group = typer.Typer(help="Inspect or clear the SQLite cache of briefs.", no_args_is_help=True)
_add(cache_group, cache.stats, cache.clear)
app.add_typer(cache_group, name="cache")


def main() -> None:
    """The console script ``briefer`` (and ``python -m briefer``)."""
    app()


__all__ = ["app", "main"]
