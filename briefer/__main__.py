"""``python -m briefer`` runs the CLI."""

from briefer.cli import main

if __name__ == "__main__":  # a process pool's workers import this module too: run nothing then
    main()
