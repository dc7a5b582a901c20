"""Text brought onto one line: for a rendered field, or clipped for an error message."""


def flatten_lines(text: str) -> str:
    """Line breaks (and runs of spaces) as one space: an item cannot forge a line of its own."""
    return " ".join(text.split())


def clip_line(text: object, limit: int = 200) -> str:
    """``text`` flattened onto one line and cut to ``limit`` characters (``…`` marks the cut)."""
    flat = flatten_lines(str(text))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
