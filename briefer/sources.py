"""Loading articles: files (.txt/.md/.html), stdin, http(s) URLs.

Everything here ends in an ``Article`` or an ``InputError`` with one line a user can act on.
"""

from __future__ import annotations

import sys
from pathlib import Path

from briefer.errors import InputError
from briefer.models import Article

MAX_INPUT_BYTES = 10 * 1024 * 1024
URL_TIMEOUT_S = 20.0
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_MIN_WORDS = 5


def check_article_text(text: str, where: str) -> None:
    """Refuse text that cannot be an article (empty, or too short to say anything)."""
    if not text.strip():
        raise InputError(f"{where}: input is empty")
    if len(text.split()) < _MIN_WORDS:
        raise InputError(f"{where}: input has fewer than {_MIN_WORDS} words; not an article")


def decode_bytes(data: bytes, where: str) -> str:
    """Text from bytes in any common encoding; binary data is refused, not guessed at."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            f"{where}: input looks binary (contains NUL bytes); give a text, Markdown or HTML file"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{where}: cannot detect the text encoding; the input looks binary")
    return str(best)


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


def article_from_html(html: str, source: str) -> Article:
    """Main text and title of a web page (trafilatura), without navigation, ads and comments."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text or not text.strip():
        raise InputError(f"{source}: no article text found in the HTML")
    metadata = trafilatura.extract_metadata(html)
    title = metadata.title if metadata is not None else None
    return Article(text=text.strip(), title=title, source=source)


def _read_limited(stream, where: str) -> bytes:
    data = stream.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{where}: input is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB")
    return data


def fetch_url(url: str) -> Article:
    """Fetch a page with a timeout and a size cap, then extract its article."""
    import httpx

    try:
        with httpx.stream(
            "GET",
            url,
            timeout=URL_TIMEOUT_S,
            follow_redirects=True,
            headers={"User-Agent": "briefer (+https://github.com/briefer)"},
        ) as response:
            if response.status_code >= 400:
                raise InputError(f"{url}: the server answered HTTP {response.status_code}")
            body = bytearray()
            for part in response.iter_bytes():
                body += part
                if len(body) > MAX_INPUT_BYTES:
                    raise InputError(f"{url}: page is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB")
            content_type = response.headers.get("content-type", "")
            encoding = response.encoding
    except httpx.TimeoutException as exc:
        raise InputError(f"{url}: no answer within {URL_TIMEOUT_S:.0f} s") from exc
    except httpx.HTTPError as exc:
        raise InputError(f"{url}: cannot fetch ({exc.__class__.__name__}: {exc})") from exc
    return article_from_page(bytes(body), content_type, url, encoding)


def article_from_page(body: bytes, content_type: str, url: str, encoding: str | None = None) -> Article:
    """The article in a fetched page: HTML extracted, text decoded, anything else refused."""
    if content_type and not content_type.startswith(("text/", "application/xhtml")):
        raise InputError(
            f"{url}: content type {content_type.split(';')[0]!r} is not an article (want HTML or text)"
        )
    try:
        text = body.decode(encoding or "utf-8")
    except (LookupError, UnicodeDecodeError):
        text = decode_bytes(body, url)
    if "html" in content_type or looks_like_html(text):
        return article_from_html(text, url)
    return Article(text=text.strip(), source=url)


def load_article(source: str, *, check: bool = True) -> Article:
    """An article from a path, ``-`` (stdin) or an http(s) URL.

    ``check=False`` accepts empty or very short text (for token counting), never binary data.
    """
    if source.startswith(("http://", "https://")):
        article = fetch_url(source)
    else:
        if source == "-":
            data, where = _read_limited(sys.stdin.buffer, "stdin"), "stdin"
        else:
            path = Path(source)
            where = source
            if not path.exists():
                raise InputError(f"{source}: no such file")
            if path.is_dir():
                raise InputError(f"{source}: is a directory (use 'briefer batch' for folders)")
            try:
                with path.open("rb") as handle:
                    data = _read_limited(handle, where)
            except OSError as exc:
                raise InputError(f"{source}: cannot read ({exc.strerror or exc})") from exc
        text = decode_bytes(data, where)
        is_html = (source != "-" and Path(source).suffix.lower() in _HTML_SUFFIXES) or looks_like_html(text)
        article = article_from_html(text, source) if is_html else Article(text=text.strip(), source=source)
    if check:
        check_article_text(article.text, article.source or source)
    return article
