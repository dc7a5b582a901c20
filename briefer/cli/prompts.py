"""``prompts list`` and ``prompts show``: the versioned prompt files briefs record by name@version."""

from typing import TYPE_CHECKING

from briefer.cli import options as o
from briefer.cli.command import command, write_output

if TYPE_CHECKING:
    from briefer.config import Settings


@command(o.PROMPTS_DIR)
def list_(*, settings: "Settings") -> None:
    """Names, versions, hashes and files of every prompt.

    Example:

    \b
        briefer prompts list --prompts-dir ./my-prompts
    """
    from briefer.prompts import PromptRegistry

    prompts = PromptRegistry(settings.prompts_dir).all()
    write_output("".join(f"{p.ref:<16} sha256:{p.sha256[:16]}  {p.path}\n" for p in prompts))


@command(o.PROMPTS_DIR)
def show(spec: o.PromptSpec, *, settings: "Settings") -> None:
    """Show one prompt: its file's hash, notes, system and user templates.

    Examples:

    \b
        briefer prompts show brief
        briefer prompts show chunk_notes@1
    """
    from briefer.prompts import PromptRegistry

    p = PromptRegistry(settings.prompts_dir).get(spec)
    write_output(
        f"# {p.ref}  sha256:{p.sha256}\n# {p.path}\n\n"
        f"## notes\n{p.notes}\n\n## system\n{p.system.strip()}\n\n## user\n{p.user.strip()}\n"
    )
