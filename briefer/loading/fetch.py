"""The one URL fetcher, for the terminal and the HTTP service alike.

``fetch_page`` and ``afetch_page`` share every rule: http(s) only, no credentials sent, a
timeout, a size cap (on the page as unpacked: gzip and deflate are undone here, a layer at a
time, each stopping at the cap, so a compression bomb never unpacks further), at most
``MAX_REDIRECTS`` redirects, text content types only, the charset the server names (else
detected), and, on every hop, the address check:

- the host is resolved once, and the connection goes to that checked address with the
  original Host header and TLS server name, so DNS rebinding cannot send it elsewhere;
- unless the caller passes ``allow_private=True``, every address the host stands for must be
  public (not private, loopback, link-local, reserved or multicast), so a URL someone else
  supplied cannot reach the network the fetcher sits in (SSRF). Servers never pass it; a
  terminal user fetching their own intranet may.

Proxies from the environment are ignored: a proxy would connect wherever it likes, past the check.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from briefer.errors import InputError
from briefer.loading.decode import MAX_INPUT_BYTES, decode_bytes

URL_TIMEOUT_S = 20.0
MAX_REDIRECTS = 5
USER_AGENT = "briefer (+https://github.com/briefer)"
_TEXT_TYPES = ("text/", "application/xhtml")
_WBITS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}
ACCEPT_ENCODING = "gzip, deflate"  # what _Unpacked undoes; httpx would also offer br and zstd


@dataclass(frozen=True)
class Page:
    """A fetched page, decoded: ``url`` is the one asked for (the article's source)."""

    url: str
    text: str
    content_type: str

    @property
    def is_html(self) -> bool:
        return "html" in self.content_type


def is_public(address: str) -> bool:
    """Whether an IP address is on the public internet (``::ffff:127.0.0.1`` is loopback too)."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast
    )


def resolve(host: str) -> list[str]:
    """Every address ``host`` stands for: itself when it is one, else all that DNS gives."""
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(f"cannot resolve {host}") from exc
    return [str(info[4][0]) for info in infos]


def _pinned(request: httpx.Request, addresses: list[str], allow_private: bool) -> httpx.Request:
    """``request`` sent to the first checked address of its host, Host header and TLS name kept."""
    url = request.url
    if not addresses:
        raise InputError(f"cannot resolve {url.host}")
    if not allow_private and not all(is_public(address) for address in addresses):
        raise InputError(f"{url}: refusing to fetch a private, loopback, link-local or reserved address")
    extensions = dict(request.extensions)
    if url.scheme == "https":
        extensions["sni_hostname"] = url.host
    pinned = url.copy_with(host=addresses[0])
    return httpx.Request(
        request.method, pinned, headers=request.headers, stream=request.stream, extensions=extensions
    )


class _Pinning(httpx.HTTPTransport):
    """Checks and pins every request, redirect hops included (httpx sends each through here)."""

    def __init__(self, allow_private: bool) -> None:
        super().__init__()
        self.allow_private = allow_private

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        addresses = resolve(request.url.host)
        return super().handle_request(_pinned(request, addresses, self.allow_private))


class _AsyncPinning(httpx.AsyncHTTPTransport):
    """``_Pinning`` for the async client; the name is resolved in a thread, off the event loop."""

    def __init__(self, allow_private: bool) -> None:
        super().__init__()
        self.allow_private = allow_private

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        addresses = await asyncio.to_thread(resolve, request.url.host)
        return await super().handle_async_request(_pinned(request, addresses, self.allow_private))


def _target(url: str) -> httpx.URL:
    """The URL to ask for: http(s) with a host, and without credentials (they are never sent)."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise InputError(f"{url}: not a valid URL") from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise InputError(f"{url}: only http(s) URLs can be fetched")
    return parsed.copy_with(userinfo=b"")


def _client_options(transport: httpx.BaseTransport | httpx.AsyncBaseTransport) -> dict[str, Any]:
    """What both clients share; read at each fetch, so the limits above apply as they stand."""
    return {
        "transport": transport,
        "timeout": URL_TIMEOUT_S,
        "follow_redirects": True,
        "max_redirects": MAX_REDIRECTS,
        "trust_env": False,
        "headers": {"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
    }


@contextlib.contextmanager
def _fetch_errors(url: str) -> Iterator[None]:
    """httpx's failures as one line a user can act on (never the server's own words)."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise InputError(f"{url}: no answer within {URL_TIMEOUT_S:g} s") from exc
    except httpx.TooManyRedirects as exc:
        raise InputError(f"{url}: more than {MAX_REDIRECTS} redirects") from exc
    except httpx.UnsupportedProtocol as exc:
        raise InputError(f"{url}: redirected to a URL that is not http(s)") from exc
    except httpx.HTTPError as exc:
        raise InputError(f"{url}: cannot fetch ({type(exc).__name__})") from exc


def _too_large(url: str) -> InputError:
    return InputError(f"{url}: page is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB")


class _Unpacked:
    """The body's Content-Encoding undone, innermost layer last; every layer's output is capped, so
    neither a gigabyte of zeros in a megabyte nor gzip inside gzip unpacks past the cap."""

    def __init__(self, url: str, content_encoding: str) -> None:
        names = [n.strip().lower() for n in content_encoding.split(",")]
        names = [n for n in names if n and n != "identity"]
        if unknown := [n for n in names if n not in _WBITS]:
            raise InputError(
                f"{url}: content encoding {unknown[0]!r} is not supported (want gzip or deflate)"
            )
        self.url, self.names = url, names[::-1]
        self.layers = [zlib.decompressobj(_WBITS[name]) for name in self.names]
        self.sizes = [0] * len(self.layers)

    def feed(self, data: bytes) -> bytes:
        for i in range(len(self.layers)):
            data = self._layer(i, data)
        return data

    def finish(self) -> bytes:
        data = b""
        for i in range(len(self.layers)):
            data = self._layer(i, data) + self.layers[i].flush()
        return data

    def _layer(self, i: int, data: bytes) -> bytes:
        room = MAX_INPUT_BYTES - self.sizes[i]
        try:
            out = self.layers[i].decompress(data, room + 1)  # more than ``room`` only when too large
        except zlib.error:
            if self.names[i] != "deflate" or self.sizes[i]:
                raise InputError(f"{self.url}: the page's {self.names[i]} body is damaged") from None
            self.layers[i] = zlib.decompressobj(-zlib.MAX_WBITS)  # "deflate" sent raw, as some servers do
            return self._layer(i, data)
        self.sizes[i] += len(out)
        if self.sizes[i] > MAX_INPUT_BYTES:
            raise _too_large(self.url)
        return out


class _Body:
    """The body of a final response: its status and type checked before a byte is read, then capped."""

    def __init__(self, url: str, response: httpx.Response) -> None:
        if response.status_code >= 400:
            raise InputError(f"{url}: the server answered HTTP {response.status_code}")
        content_type = response.headers.get("content-type", "").lower()
        if content_type and not content_type.startswith(_TEXT_TYPES):
            raise InputError(
                f"{url}: content type {content_type.split(';')[0]!r} is not an article (want HTML or text)"
            )
        self.url, self.content_type, self.charset = url, content_type, response.charset_encoding
        self.unpacked = _Unpacked(url, response.headers.get("content-encoding", ""))
        self.data = bytearray()

    def add(self, raw: bytes) -> None:
        """Bytes as they came over the wire (``iter_raw``: httpx's own decoders have no cap)."""
        self._keep(self.unpacked.feed(raw))

    def _keep(self, part: bytes) -> None:
        self.data += part
        if len(self.data) > MAX_INPUT_BYTES:
            raise _too_large(self.url)

    def page(self) -> Page:
        """The page decoded with the charset the server named; detected when it named none or lied."""
        self._keep(self.unpacked.finish())
        data = bytes(self.data)
        try:
            text = data.decode(self.charset) if self.charset else decode_bytes(data, self.url)
        except (LookupError, UnicodeDecodeError):
            text = decode_bytes(data, self.url)
        return Page(self.url, text, self.content_type)


def fetch_page(url: str, *, allow_private: bool = False) -> Page:
    """The page at ``url`` (see the module's rules); ``InputError`` when it cannot be had."""
    target = _target(url)
    client = httpx.Client(**_client_options(_Pinning(allow_private)))
    with _fetch_errors(url), client, client.stream("GET", target) as response:
        body = _Body(url, response)
        for part in response.iter_raw():
            body.add(part)
        return body.page()


async def afetch_page(url: str, *, allow_private: bool = False) -> Page:
    """``fetch_page`` for event loops: the async client, and no thread held while waiting."""
    target = _target(url)
    client = httpx.AsyncClient(**_client_options(_AsyncPinning(allow_private)))
    with _fetch_errors(url):
        async with client, client.stream("GET", target) as response:
            body = _Body(url, response)
            async for part in response.aiter_raw():
                body.add(part)
            return body.page()
