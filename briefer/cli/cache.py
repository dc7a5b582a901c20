"""``cache stats`` and ``cache clear``: the SQLite store that batch, brief and serve share."""

from briefer.cli import options as o
from briefer.cli.command import command, say, write_output


@command()
def stats(cache: o.CachePath = None) -> None:
    """Entries, size and age of the cache (oldest and newest entry in ISO 8601, UTC).

    Example:

    \b
        briefer cache stats --cache ./briefs.sqlite3
    """
    import json
    from dataclasses import asdict
    from datetime import UTC, datetime

    from briefer.cache import BriefCache

    with BriefCache(cache) as db:
        stats = asdict(db.stats())
    for key in ("oldest", "newest"):
        if stats[key] is not None:
            stats[key] = datetime.fromtimestamp(stats[key], UTC).isoformat(timespec="seconds")
    write_output(json.dumps(stats, indent=2) + "\n")


@command()
def clear(older_than: o.OlderThan = None, cache: o.CachePath = None) -> None:
    """Delete cached briefs (all, or those older than N days).

    Examples:

    \b
        briefer cache clear --older-than 30
        briefer cache clear
    """
    from briefer.cache import BriefCache

    with BriefCache(cache) as db:
        deleted = db.clear(older_than)
    say(f"deleted {deleted} cached brief(s)")
