"""Typography folded away so only words count: what quotes, names and the article index compare."""

_TYPO = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        "…": "...",
    }
)


def fold(text: str) -> tuple[str, list[int]]:
    """Fold typography so only words count: returns the folded text and, per character, its offset.

    Quote marks go (apostrophes inside words stay), dashes become '-', whitespace runs one
    space, no space before punctuation or around dashes, and letters are lower case.
    """
    out: list[str] = []
    where: list[int] = []
    pending_space = -1
    n = len(text)
    for i, raw in enumerate(text):
        for ch in raw.translate(_TYPO):
            if ch.isspace():
                pending_space = i if pending_space < 0 else pending_space
                continue
            if ch in "'\"" and not (0 < i < n - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()):
                continue
            if pending_space >= 0 and out and ch not in ".,;:!?-" and out[-1] != "-":
                out.append(" ")
                where.append(pending_space)
            pending_space = -1
            low = ch.lower()
            out.append(low if len(low) == 1 else ch)
            where.append(i)
    return "".join(out), where
