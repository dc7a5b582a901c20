"""Articles from bytes, text, HTML, files, stdin and URLs.

Every way in (the CLI, batch items, the HTTP service) ends in ``article_from``, so an article is
decoded, extracted and checked the same way whoever loads it; everything here ends in an
``Article`` or an ``InputError`` with one line a user can act on.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from briefer.errors import InputError
from briefer.loading.decode import MAX_INPUT_BYTES, decode_bytes
from briefer.models import Article

if TYPE_CHECKING:
    from briefer.loading.fetch import Page

_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_MIN_WORDS = 5


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def check_article_text(text: str, where: str) -> None:
    """Refuse text that cannot be an article (empty, or too short to say anything)."""
    if not text.strip():
        raise InputError(f"{where}: input is empty")
    if len(text.split()) < _MIN_WORDS:
        raise InputError(f"{where}: input has fewer than {_MIN_WORDS} words; not an article")


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def article_from_html(html: str, source: str) -> Article:
    """Main text and title of a web page (trafilatura), without navigation, ads and comments."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text or not text.strip():
        raise InputError(f"{source}: no article text found in the HTML")
    metadata = trafilatura.extract_metadata(html)
    if metadata is None:
        return Article(text=text.strip(), source=source)
    published = metadata.date if metadata.date and _ISO_DATE.fullmatch(metadata.date) else None
    return Article(
        text=text.strip(), title=metadata.title, source=source, published=published, site=metadata.sitename
    )


def article_from(
    content: str, source: str, *, html: bool, title: str | None = None, check: bool = True
) -> Article:
    """The one place text becomes an Article: HTML extracted, the caller's title kept, then checked.

    ``check=False`` accepts empty or very short text (for token counting).
    """
    article = article_from_html(content, source) if html else Article(text=content.strip(), source=source)
    if title:
        article = article.model_copy(update={"title": title})
    if check:
        check_article_text(article.text, source)
    return article


def article_from_page(page: Page, *, title: str | None = None, check: bool = True) -> Article:
    """The article in a fetched page: HTML by its content type or its look, else plain text."""
    is_html = page.is_html or looks_like_html(page.text)
    return article_from(page.text, page.url, html=is_html, title=title, check=check)


def _read_limited(stream: BinaryIO, where: str) -> bytes:
    data = stream.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{where}: input is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB")
    return data


def _read_file(source: str) -> bytes:
    path = Path(source)
    if not path.exists():
        raise InputError(f"{source}: no such file")
    if path.is_dir():
        raise InputError(f"{source}: is a directory (use 'briefer batch' for folders)")
    try:
        with path.open("rb") as handle:
            return _read_limited(handle, source)
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror or exc})") from exc


def load_article(
    source: str, *, title: str | None = None, check: bool = True, allow_private: bool = False
) -> Article:
    """An article from a path, ``-`` (stdin) or an http(s) URL.

    ``allow_private=True`` lets a URL reach private, loopback and link-local addresses; only a
    caller whose user typed the URL themselves (a terminal, not a server) should pass it.
    ``check=False`` accepts empty or very short text (for token counting), never binary data.
    """
    if is_url(source):
        from briefer.loading.fetch import fetch_page

        return article_from_page(fetch_page(source, allow_private=allow_private), title=title, check=check)
    if source == "-":
        text = decode_bytes(_read_limited(sys.stdin.buffer, "stdin"), "stdin")
        return article_from(text, source, html=looks_like_html(text), title=title, check=check)
    text = decode_bytes(_read_file(source), source)
    is_html = Path(source).suffix.lower() in _HTML_SUFFIXES or looks_like_html(text)
    return article_from(text, source, html=is_html, title=title, check=check)
