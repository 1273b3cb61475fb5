"""Links to a page (`/<page>?plan=…`) that open fast and survive signing in; used by server.py through st.App.

Opened at `/<page>`, Streamlit's frontend first asks `/<page>/_stcore/health` whether that is the app's
base address and, after the 404, waits 100 ms before asking `/`. It skips the question when
`window.__streamlit.BACKEND_BASE_URL` names the base address, which it reads before it connects. So
`routes` serve Streamlit's own index.html with that one line added at each page's path: `st.App`
routes come before Streamlit's static files.

Streamlit's sign-in always ends at the app's root. `SignInReturn` remembers, when sign-in starts, the
page it started from (the Referer of `/auth/login`, if it is one of the app's pages) in a short-lived
cookie, and points the redirect at the end of sign-in back there.

`streamlit run app.py` serves the same app without either: one probe slower, and sign-in ends at `/`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit import config, file_util

from planner.settings import SettingsError, load_settings
from planner.ui.navigation import SPECS

# A page's path has one segment, so the base address is the folder the page sits in; relative, so that
# it also holds behind a proxy that serves the app under a prefix of its own.
BASE_SCRIPT = '<script>window.__streamlit = {BACKEND_BASE_URL: new URL(".", location.href).href}</script>'
HEAD = "<head>"
RETURN_COOKIE = "planner_return"
RETURN_SECONDS = 600  # time enough to sign in; the cookie is spent at the end of sign-in anyway
REDIRECTS = (302, 303, 307)


def _prefix(base_url_path: str | None = None) -> str:
    """The server's base path (default: `server.baseUrlPath`) as a prefix of paths: "" or "/name"."""
    base = (config.get_option("server.baseUrlPath") if base_url_path is None else base_url_path).strip("/")
    return f"/{base}" if base else ""


def index_html(static_dir: str | None = None) -> str:
    """Streamlit's index.html with the base address named; unchanged (probe and all) if it has no <head>."""
    page = (Path(static_dir or file_util.get_static_dir()) / "index.html").read_text(encoding="utf-8")
    return page.replace(HEAD, f"{HEAD}\n    {BASE_SCRIPT}", 1)


def page_paths(url_paths: Iterable[str] | None = None, base_url_path: str | None = None) -> list[str]:
    """The full path of each page (default: every page but the root) under `server.baseUrlPath`."""
    names = [spec.url_path for spec in SPECS if spec.url_path] if url_paths is None else url_paths
    return [f"{_prefix(base_url_path)}/{name}" for name in names]


def routes(url_paths: Iterable[str] | None = None, static_dir: str | None = None,
           base_url_path: str | None = None) -> list[Route]:  # fmt: skip
    """One route per page path, serving index.html with the base address named (for `st.App(routes=…)`)."""
    page = index_html(static_dir)

    async def index(_: Request) -> HTMLResponse:
        return HTMLResponse(page, headers={"Cache-Control": "no-cache"})  # as Streamlit serves index.html

    return [Route(path, index, methods=["GET", "HEAD"]) for path in page_paths(url_paths, base_url_path)]


def return_target(referer: str | None, pages: Iterable[str]) -> str | None:
    """The page and query a Referer names, if it is one of `pages`; only a local path, never another site."""
    if not referer:
        return None
    parts = urlsplit(referer)
    if parts.path not in set(pages) or any(c in referer for c in "\r\n"):
        return None
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _over_https(scope: Scope) -> bool:
    """Whether browsers reach the app over HTTPS: this request's scheme, or, behind a proxy, the public URL's."""
    try:
        public = load_settings().public_url
    except SettingsError:  # the app itself reports it
        public = ""
    return scope.get("scheme") == "https" or public.startswith("https://")


def _cookie(value: str, max_age: int, scope: Scope) -> str:
    secure = "; Secure" if _over_https(scope) else ""
    return f"{RETURN_COOKIE}={value}; Max-Age={max_age}; Path={_prefix() or '/'}; HttpOnly; SameSite=Lax{secure}"


class SignInReturn:
    """ASGI middleware: sign-in started on a page (`/auth/login`) ends on that page (`/oauth2callback`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path == f"{_prefix()}/auth/login":
            await self.app(scope, receive, self._remembering(scope, send))
        elif path == f"{_prefix()}/oauth2callback":
            await self.app(scope, receive, self._returning(scope, send))
        else:
            await self.app(scope, receive, send)

    def _remembering(self, scope: Scope, send: Send) -> Send:
        target = return_target(Headers(scope=scope).get("referer"), page_paths())
        cookie = _cookie(quote(target, safe=""), RETURN_SECONDS, scope) if target else None

        async def remember(message: Message) -> None:
            if message["type"] == "http.response.start" and cookie and message["status"] in REDIRECTS:
                MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        return remember

    def _returning(self, scope: Scope, send: Send) -> Send:
        cookie = Request(scope).cookies.get(RETURN_COOKIE)
        target = return_target(unquote(cookie), page_paths()) if cookie else None

        async def go_back(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in REDIRECTS:
                headers = MutableHeaders(scope=message)
                if target and headers.get("location") in (f"{_prefix()}/", "/"):
                    headers["location"] = target
                if cookie:
                    headers.append("set-cookie", _cookie("", 0, scope))
            await send(message)

        return go_back
