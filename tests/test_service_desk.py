"""The desk and the docs pages: served from the package with no outside origin, under a
Content-Security-Policy that lets no inline script run, and built without any HTML from data."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from support.service_server import TOKEN, serve

from briefer.service.desk import STATIC, swagger_assets

ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    with serve(tmp_path_factory.mktemp("desk"), token=TOKEN) as c:
        yield c


def csp(response: httpx.Response) -> dict[str, str]:
    policy = response.headers["content-security-policy"]
    return {d.split()[0]: d.partition(" ")[2] for d in (p.strip() for p in policy.split(";")) if d}


@pytest.mark.parametrize("page", ["/", "/docs"])
def test_pages_load_everything_from_this_server(client: httpx.Client, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assets = [a for a in ASSET.findall(response.text) if not a.startswith("#")]  # in-page links
    assert assets, "the page links its script and stylesheet"
    for asset in assets:
        assert asset.startswith("/") and not asset.startswith("//"), f"{asset}: not on this server"
        assert client.get(asset).status_code == 200, asset
    assert "<script>" not in response.text, "no inline script"
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", response.text), "no inline event handler"


def test_every_answer_forbids_inline_scripts_and_other_origins(client: httpx.Client) -> None:
    for response in (client.get("/"), client.get("/static/desk/desk.js"), client.get("/v1/options")):
        policy = csp(response)
        assert policy["default-src"] == "'none'"
        assert policy["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval', no host
        assert policy["connect-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
        assert not any("http" in value or "*" in value for value in policy.values())
        assert response.headers["x-content-type-options"] == "nosniff"


def test_the_pages_scripts_never_turn_data_into_html() -> None:
    """Article text and model output reach the page as text only; these are the ways they would not."""
    sinks = re.compile(
        r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|\.href\s*="
    )
    for script in STATIC.glob("*.js"):
        assert not sinks.search(script.read_text()), script.name


def test_no_asset_names_an_outside_origin() -> None:
    for asset in STATIC.iterdir():
        text = asset.read_text()
        assert not re.search(r"""(?:src|href|url)\s*[=(]\s*["']?(?:https?:)?//""", text), asset.name


def test_swagger_ui_ships_in_a_package_not_a_cdn(client: httpx.Client) -> None:
    for name in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert (swagger_assets() / name).stat().st_size > 10_000
        assert client.get(f"/static/swagger/{name}").status_code == 200


def test_the_statement_check_is_offered_off_and_says_what_it_costs(client: httpx.Client) -> None:
    page = client.get("/").text
    (box,) = re.findall(r"<input[^>]*\bid=\"statements\"[^>]*>", page)
    assert 'type="checkbox"' in box and "checked" not in box, "off unless the editor ticks it"
    assert '<label for="statements">Statement check</label>' in page
    (hint,) = re.findall(r'<p id="statements-hint"[^>]*>([^<]*)</p>', page)
    assert 'aria-describedby="statements-hint"' in box, "read out with the box"
    assert "catches more wrong claims" in hint and "flags more right ones" in hint
