"""``python -m briefer`` runs the CLI."""

from briefer.cli import main

main()
