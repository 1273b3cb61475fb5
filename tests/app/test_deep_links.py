"""Page paths served with the base address named, so that the frontend skips its probe (deep_links)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from starlette.responses import Response
from streamlit import file_util
from streamlit.web.server.app_discovery import discover_asgi_app

from planner.settings import PROJECT_ROOT
from planner.ui import deep_links
from planner.ui.navigation import SPECS

STREAMLIT_INDEX = (Path(file_util.get_static_dir()) / "index.html").read_text(encoding="utf-8")
PAGES = [spec.url_path for spec in SPECS if spec.url_path]


def _served(path: str, **options) -> Response | None:
    """What the routes answer to a GET of `path`, or None when no route takes it (Streamlit's files do)."""
    for route in deep_links.routes(**options):
        if route.path == path and "GET" in route.methods:
            return asyncio.run(route.endpoint(None))
    return None


@pytest.mark.parametrize("path", PAGES)
def test_every_page_path_serves_streamlit_index_with_the_base_address(path: str) -> None:
    response = _served(f"/{path}", base_url_path="")
    assert response is not None and response.status_code == 200
    assert response.media_type == "text/html"
    assert response.headers["cache-control"] == "no-cache"
    text = response.body.decode()
    assert text.count(deep_links.BASE_SCRIPT) == 1
    assert text.index(deep_links.BASE_SCRIPT) < text.index('<script type="module"')
    assert text.replace(f"\n    {deep_links.BASE_SCRIPT}", "") == STREAMLIT_INDEX


def test_only_page_paths_are_served() -> None:
    paths = {route.path for route in deep_links.routes(base_url_path="")}
    assert paths == {f"/{path}" for path in PAGES}
    assert "/" not in paths  # the plan list at the root never probes
    assert all(route.methods >= {"GET", "HEAD"} for route in deep_links.routes(base_url_path=""))


def test_page_paths_sit_under_the_servers_base_path() -> None:
    assert _served("/planner/summary", base_url_path="/planner/") is not None
    assert _served("/summary", base_url_path="/planner/") is None
    assert deep_links.page_paths(["frame"], base_url_path="") == ["/frame"]


def test_an_index_without_head_is_served_unchanged(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<html><body>bare</body></html>", encoding="utf-8")
    assert deep_links.index_html(str(tmp_path)) == "<html><body>bare</body></html>"


def test_streamlit_run_finds_the_app_in_server_py() -> None:
    found = discover_asgi_app(PROJECT_ROOT / "server.py")
    assert found.is_asgi_app and found.app_name == "app"
    source = (PROJECT_ROOT / "server.py").read_text()
    assert 'st.App("app.py",' in source  # the browser tests check what the routes and middleware do, through it
    assert "routes=deep_links.routes()" in source and "Middleware(deep_links.SignInReturn)" in source


@pytest.mark.parametrize(
    ("referer", "target"),
    [
        ("http://planner.example/initiatives?plan=4", "/initiatives?plan=4"),
        ("http://planner.example/summary", "/summary"),
        ("https://elsewhere.example/summary?plan=4", "/summary?plan=4"),  # a local path, whoever sent it
        ("http://planner.example/", None),  # sign-in ends at the root anyway
        ("http://planner.example/nonsense?plan=4", None),
        ("http://planner.example/summary/../../evil", None),
        ("http://planner.example/summary?plan=4\r\nSet-Cookie: x=1", None),
        (None, None),
    ],
)
def test_sign_in_returns_only_to_one_of_the_apps_pages(referer: str | None, target: str | None) -> None:
    assert deep_links.return_target(referer, deep_links.page_paths(base_url_path="")) == target


@pytest.fixture(autouse=True)
def _plain_http(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cookie's Secure flag follows PLANNER_PUBLIC_URL: keep a developer's own setting out of these tests."""
    monkeypatch.setenv("PLANNER_PUBLIC_URL", "http://localhost:8501")


def _through_middleware(path: str, headers: dict[str, str], location: str = "/") -> dict[str, list[str]]:
    """The response headers of a redirect to `location` at `path`, after SignInReturn."""
    sent: list[dict] = []

    async def app(scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": 302, "headers": [(b"location", location.encode())]})
        await send({"type": "http.response.body", "body": b""})

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "path": path, "scheme": "http",
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}  # fmt: skip
    asyncio.run(deep_links.SignInReturn(app)(scope, None, send))
    answer: dict[str, list[str]] = {}
    for name, value in sent[0]["headers"]:
        answer.setdefault(name.decode(), []).append(value.decode())
    return answer


def test_sign_in_started_on_a_page_ends_on_it() -> None:
    started = _through_middleware("/auth/login", {"Referer": "http://h/means?plan=4"}, location="http://idp/authorize")
    [cookie] = started["set-cookie"]
    assert cookie.startswith(f"{deep_links.RETURN_COOKIE}=%2Fmeans%3Fplan%3D4; Max-Age=600; Path=/; HttpOnly")
    returned = _through_middleware("/oauth2callback", {"Cookie": cookie.split(";")[0]})
    assert returned["location"] == ["/means?plan=4"]
    assert returned["set-cookie"] == [f"{deep_links.RETURN_COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"]


def test_sign_in_from_the_root_or_elsewhere_is_left_alone() -> None:
    assert "set-cookie" not in _through_middleware("/auth/login", {"Referer": "http://h/"})
    assert _through_middleware("/oauth2callback", {})["location"] == ["/"]
    forged = f"{deep_links.RETURN_COOKIE}={'https%3A%2F%2Fevil.example%2F'}"
    assert _through_middleware("/oauth2callback", {"Cookie": forged})["location"] == ["/"]
    assert _through_middleware("/summary", {"Cookie": f"{deep_links.RETURN_COOKIE}=%2Fmeans"}) == {"location": ["/"]}


def test_the_return_cookie_is_secure_when_the_public_address_is_https(monkeypatch: pytest.MonkeyPatch) -> None:
    referer = {"Referer": "http://h/means?plan=4"}
    assert "Secure" not in _through_middleware("/auth/login", referer, location="http://idp/")["set-cookie"][0]
    monkeypatch.setenv("PLANNER_PUBLIC_URL", "https://planner.example")  # TLS ends at the proxy: the app sees http
    assert _through_middleware("/auth/login", referer, location="http://idp/")["set-cookie"][0].endswith("; Secure")
