"""Articles load from files, stdin, HTML and URLs the same way whoever asks; bad input is refused
with one clear line."""

import io
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from support.local_web import PAGE, SEED, SEED_PATH, Reply, Site, serving

import briefer
from briefer.errors import InputError
from briefer.loading import articles
from briefer.loading.articles import article_from, load_article


def test_text_file_is_read_as_is() -> None:
    article = load_article(str(SEED_PATH))
    assert article.text == SEED.strip() and article.source == str(SEED_PATH)
    assert len(article.sha256) == 64
    assert briefer.load_article is load_article


def test_html_main_text_is_extracted_without_boilerplate(tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text(PAGE)
    article = load_article(str(page))
    assert article.title == "Pakistan warns the Taliban"
    assert "Khawaja Asif issued a strong warning" in article.text
    assert "Khaama Press" in article.text
    assert "Cookie settings" not in article.text and "Subscribe now" not in article.text


def test_html_is_recognised_by_its_look_whatever_the_file_is_called(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(PAGE)
    assert "Cookie settings" not in load_article(str(path)).text


def test_stdin_is_read_when_the_source_is_a_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", SimpleNamespace(buffer=io.BytesIO(PAGE.encode())))
    article = load_article("-")
    assert article.source == "-" and article.title == "Pakistan warns the Taliban"


def test_legacy_encodings_are_detected(tmp_path: Path) -> None:
    text = SEED.replace("—", "-")  # cp1252 has curly quotes; keep the rest of the seed intact
    path = tmp_path / "story-cp1252.txt"
    path.write_bytes(text.encode("cp1252"))
    assert load_article(str(path)).text == text.strip()
    path.write_bytes(text.encode("utf-16"))
    assert load_article(str(path)).text == text.strip()


STORY = "Officials in Zürich said the talks would resume on Monday, and négociations continue."


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + STORY.encode(),  # UTF-8 with a BOM
        STORY.encode("utf-16"),  # UTF-16 with its BOM
        STORY.encode("utf-32"),  # UTF-32 little-endian with its BOM
        b"\x00\x00\xfe\xff" + STORY.encode("utf-32-be"),  # and big-endian
    ],
)
def test_byte_order_marks_are_read_and_dropped(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(data)
    assert load_article(str(path)).text == STORY


def test_mixed_encodings_keep_the_utf8_and_read_stray_bytes_as_cp1252(tmp_path: Path) -> None:
    """A UTF-8 story with a paragraph pasted from a Windows-1252 or Latin-1 page."""
    path = tmp_path / "mixed.txt"
    pasted = "Les “négociations” reprendront à Genève."
    path.write_bytes(STORY.encode() + b"\n" + pasted.encode("cp1252"))
    assert load_article(str(path)).text == STORY + "\n" + pasted


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (("Words enough for an article here. " * 400).encode() + b"\x00", "binary"),  # NUL past 8 KiB
        (b"  \n\t\n", "empty"),
        (b"Too short.", "fewer than 5 words"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00", "binary"),
    ],
)
def test_unusable_files_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        load_article(str(path))


def test_missing_file_and_directory_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_article(str(tmp_path / "absent.txt"))
    with pytest.raises(InputError, match="is a directory"):
        load_article(str(tmp_path))


def test_oversized_input_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(articles, "MAX_INPUT_BYTES", 100)
    with pytest.raises(InputError, match="larger than"):
        load_article(str(SEED_PATH))


def test_short_text_is_allowed_when_not_checking(tmp_path: Path) -> None:
    path = tmp_path / "short.txt"
    path.write_text("Hi.")
    assert load_article(str(path), check=False).text == "Hi."


def test_a_given_title_wins_over_the_pages_own(tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text(PAGE)
    assert load_article(str(page), title="Asif's warning").title == "Asif's warning"
    assert article_from(PAGE, "feed:3", html=True, title="Asif's warning").title == "Asif's warning"


def test_text_and_html_given_directly_are_checked_like_files() -> None:
    article = article_from(f"  {SEED}  ", "a1", html=False)
    assert article.text == SEED.strip() and article.source == "a1"
    with pytest.raises(InputError, match=r"^a1: input has fewer than 5 words"):
        article_from("Too short.", "a1", html=False)
    with pytest.raises(InputError, match=r"^a2: no article text found in the HTML"):
        article_from("<html><body><script>track()</script></body></html>", "a2", html=True)


@pytest.fixture
def web() -> Iterator[Site]:
    routes = {
        "/story": Reply(200, PAGE, "text/html; charset=utf-8"),
        "/plain": Reply(200, SEED),
        "/image": Reply(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),
    }
    with serving(routes) as site:
        yield site


def test_urls_are_fetched_and_extracted_when_private_addresses_are_allowed(web: Site) -> None:
    article = load_article(web.url("/story"), allow_private=True)
    assert article.source == web.url("/story") and article.title == "Pakistan warns the Taliban"
    assert "Abdul Mateen Qani" in article.text and "Cookie settings" not in article.text
    assert load_article(web.url("/plain"), allow_private=True).text == SEED.strip()


def test_urls_to_private_addresses_are_refused_by_default(web: Site) -> None:
    with pytest.raises(InputError, match="refusing to fetch"):
        load_article(web.url("/story"))
    assert web.requests == []


@pytest.mark.parametrize(("path", "message"), [("/missing", "HTTP 404"), ("/image", "not an article")])
def test_bad_urls_are_refused(web: Site, path: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_article(web.url(path), allow_private=True)


def test_unreachable_url_is_refused() -> None:
    with pytest.raises(InputError, match="cannot fetch"):
        load_article("http://127.0.0.1:9/story", allow_private=True)


STAMPED_PAGE = (
    "<html><head><title>Storm hits the coast</title>"
    '<meta property="article:published_time" content="2024-03-01T10:00:00Z">'
    '<meta property="og:site_name" content="Coast News"></head><body><article><h1>Storm hits the coast</h1>'
    + "".join(
        f"<p>The storm hit the coast of Devon on Friday and {n} homes lost power as the wind rose to "
        f"ninety miles an hour, the council said in a statement.</p>"
        for n in range(100, 700, 100)
    )
    + "</article></body></html>"
)


def test_a_pages_published_time_and_site_name_feed_the_dateline_and_grounding_backs_them(
    tmp_path: Path,
) -> None:
    page = tmp_path / "storm.html"
    page.write_text(STAMPED_PAGE)
    article = load_article(str(page))
    assert (article.published, article.site) == ("2024-03-01", "Coast News")
    result = briefer.brief(article)
    assert (result.brief.dateline.date, result.brief.dateline.outlet) == ("2024-03-01", "Coast News")
    assert not [c for c in result.grounding.claims if c.field == "dateline" and not c.supported]
    plain = briefer.brief(briefer.Article(text=article.text))
    assert plain.brief.dateline.date is None  # the text alone gives no date
