"""The one URL fetcher: the same rules through ``fetch_page`` and ``afetch_page`` (every test runs
both), against a local web server; the public internet is never reached."""

from __future__ import annotations

import asyncio
import gzip
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from support import hostile
from support.local_web import PAGE, SEED, Reply, Site, redirect, serving

from briefer.errors import InputError
from briefer.loading import fetch
from briefer.loading.fetch import Page, afetch_page, fetch_page

Fetch = Callable[..., Page]
LEGACY = SEED.replace("—", "-")  # curly quotes stay: windows-1252 has them


def _sync(url: str, **options: Any) -> Page:
    return fetch_page(url, **options)


def _async(url: str, **options: Any) -> Page:
    return asyncio.run(afetch_page(url, **options))


@pytest.fixture(params=[_sync, _async], ids=["sync", "async"])
def get(request: pytest.FixtureRequest) -> Fetch:
    return request.param


@pytest.fixture
def site() -> Iterator[Site]:
    routes = {
        "/story": Reply(200, PAGE, "text/html; charset=utf-8"),
        "/plain": Reply(200, SEED),
        "/cp1252": Reply(200, LEGACY.encode("cp1252"), "text/plain; charset=windows-1252"),
        "/unlabelled": Reply(200, LEGACY.encode("cp1252"), "text/plain"),
        "/mislabelled": Reply(200, LEGACY.encode("cp1252"), "text/plain; charset=utf-8"),
        "/image": Reply(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),
        "/big": Reply(200, "<p>word word word</p>" * 100, "text/html"),
        "/slow": Reply(200, SEED, delay_s=1.0),
        "/hop": redirect("/hop-2", 301),
        "/hop-2": redirect("/story", 307),
        "/loop": redirect("/loop"),
        "/to-file": redirect("file:///etc/passwd"),
        "/to-metadata": redirect("http://169.254.169.254/latest/meta-data/"),
        "/to-intranet": redirect("http://10.0.0.8/"),
    }
    with serving(routes) as served:
        yield served


def test_pages_are_fetched_and_say_what_they_are(get: Fetch, site: Site) -> None:
    page = get(site.url("/story"), allow_private=True)
    assert page.url == site.url("/story") and page.is_html and "Khawaja Asif" in page.text
    plain = get(site.url("/plain"), allow_private=True)
    assert plain.text == SEED and not plain.is_html
    assert site.requests[0][1]["User-Agent"].startswith("briefer")


@pytest.mark.parametrize("path", ["/cp1252", "/unlabelled", "/mislabelled"])
def test_text_is_decoded_by_the_charset_named_or_detected(get: Fetch, site: Site, path: str) -> None:
    assert get(site.url(path), allow_private=True).text == LEGACY


def test_private_addresses_are_refused_unless_the_caller_allows_them(get: Fetch, site: Site) -> None:
    with pytest.raises(InputError, match="refusing to fetch a private, loopback"):
        get(site.url("/story"))
    assert site.requests == []  # refused before connecting
    assert "Khawaja Asif" in get(site.url("/story"), allow_private=True).text


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/admin",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.8/",
        "http://192.168.1.1/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
    ],
)
def test_non_public_addresses_are_refused_by_default(get: Fetch, url: str) -> None:
    with pytest.raises(InputError, match="refusing"):
        get(url)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.com/story", "http:///story", "story.html"]
)
def test_only_http_urls_are_fetched(get: Fetch, url: str) -> None:
    with pytest.raises(InputError, match="only http"):
        get(url, allow_private=True)


@pytest.mark.parametrize("path", ["/to-metadata", "/to-intranet"])
def test_every_redirect_hop_is_checked(
    get: Fetch, site: Site, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    """A public page that redirects inward is refused at the inward hop."""
    monkeypatch.setattr(fetch, "is_public", lambda address: address == "127.0.0.1")
    with pytest.raises(InputError, match="refusing"):
        get(site.url(path))
    assert site.paths == [path]


def test_redirects_are_followed_up_to_a_limit(get: Fetch, site: Site) -> None:
    assert "Khawaja Asif" in get(site.url("/hop"), allow_private=True).text
    assert site.paths == ["/hop", "/hop-2", "/story"]
    with pytest.raises(InputError, match="more than 5 redirects"):
        get(site.url("/loop"), allow_private=True)
    assert site.paths.count("/loop") == 6
    with pytest.raises(InputError, match="not http"):
        get(site.url("/to-file"), allow_private=True)


def test_the_connection_goes_to_the_address_that_was_checked(
    get: Fetch, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No DNS rebinding: each hop's name is resolved once, by the check, and the request goes to
    that address with the original Host header (a second lookup would hit the no-network guard)."""
    lookups: list[str] = []

    def resolve(host: str) -> list[str]:
        lookups.append(host)
        return ["127.0.0.1"]

    monkeypatch.setattr(fetch, "resolve", resolve)
    page = get(f"http://news.example:{site.port}/hop", allow_private=True)
    assert page.url == f"http://news.example:{site.port}/hop" and "Khawaja Asif" in page.text
    assert lookups == ["news.example"] * 3  # one check per hop
    assert {headers["Host"] for _, headers in site.requests} == {f"news.example:{site.port}"}


def test_credentials_in_a_url_are_never_sent(get: Fetch, site: Site) -> None:
    get(f"http://editor:s3cret@127.0.0.1:{site.port}/story", allow_private=True)
    ((_, headers),) = site.requests
    assert "Authorization" not in headers


def test_proxies_from_the_environment_are_not_used(
    get: Fetch, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A proxy would connect wherever it likes, past the address check."""
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    assert get(site.url("/plain"), allow_private=True).text == SEED


@pytest.mark.parametrize(
    ("path", "message"),
    [("/missing", "HTTP 404"), ("/image", "'image/png' is not an article"), ("/big", "larger than")],
)
def test_unusable_pages_are_refused(
    get: Fetch, site: Site, monkeypatch: pytest.MonkeyPatch, path: str, message: str
) -> None:
    monkeypatch.setattr(fetch, "MAX_INPUT_BYTES", 1000)
    with pytest.raises(InputError, match=message):
        get(site.url(path), allow_private=True)


def test_a_slow_server_times_out(get: Fetch, site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "URL_TIMEOUT_S", 0.2)
    with pytest.raises(InputError, match=r"no answer within 0\.2 s"):
        get(site.url("/slow"), allow_private=True)


def test_an_unreachable_server_is_one_clear_line(get: Fetch) -> None:
    with pytest.raises(InputError, match=r"127.0.0.1:9/story: cannot fetch \(ConnectError\)"):
        get("http://127.0.0.1:9/story", allow_private=True)


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, 9)


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize(
    ("encoding", "pack"),
    [
        ("gzip", _gzip),
        ("deflate", zlib.compress),
        ("deflate", _raw_deflate),
        ("gzip, gzip", lambda d: _gzip(_gzip(d))),
    ],
)
def test_compressed_pages_are_unpacked(get: Fetch, encoding: str, pack: Callable[[bytes], bytes]) -> None:
    reply = Reply(200, pack(PAGE.encode()), "text/html; charset=utf-8", {"Content-Encoding": encoding})
    with serving({"/story": reply}) as web:
        assert get(web.url("/story"), allow_private=True).text == PAGE
        assert web.requests[0][1]["Accept-Encoding"] == "gzip, deflate"


@pytest.mark.parametrize("layers", [1, 2])
def test_a_compression_bomb_stops_at_the_size_cap_in_bounded_memory(get: Fetch, layers: int) -> None:
    """256 MiB of spaces in 256 KiB of gzip, or gzip inside gzip in far less: unpacked only up to the cap."""
    body = hostile.spaces_gzipped(256)
    if layers == 2:
        body = _gzip(body)
    encoding = ", ".join(["gzip"] * layers)
    with serving({"/bomb": Reply(200, body, "text/html", {"Content-Encoding": encoding})}) as web:
        tracemalloc.start()
        try:
            with pytest.raises(InputError, match="larger than 10 MiB"):
                get(web.url("/bomb"), allow_private=True)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peak < 64 * 1024 * 1024, f"{peak / 1e6:.0f} MB allocated while unpacking"


@pytest.mark.parametrize(
    ("encoding", "body", "message"),
    [
        ("br", b"\x0b\x02\x80hello\x03", "content encoding 'br' is not supported"),
        ("gzip", b"\x1f\x8b\x08\x00 not really gzip", "gzip body is damaged"),
    ],
)
def test_encodings_we_cannot_unpack_are_one_line(
    get: Fetch, encoding: str, body: bytes, message: str
) -> None:
    reply = Reply(200, body, "text/html", {"Content-Encoding": encoding})
    with serving({"/x": reply}) as web, pytest.raises(InputError, match=message):
        get(web.url("/x"), allow_private=True)
