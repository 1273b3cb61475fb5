"""Two replicas on one PostgreSQL database behind nginx, configured by deploy/nginx.conf: each browser stays on
its own replica, and an edit made through one replica shows on the summary served by the other within 5 s."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from planner.settings import PROJECT_ROOT

from ..conftest import PG_URL, pg_database
from .conftest import FIGURE, Server, _free_port, browser_required
from .test_app import _open
from .test_transport import upgrade

pytestmark = pytest.mark.browser

NGINX = Path(os.environ.get("PLANNER_NGINX", "/usr/sbin/nginx"))
EXAMPLE = PROJECT_ROOT / "deploy" / "nginx.conf"
ROUTE = "planner_route"
LIVE_WITHIN_MS = 5_000

# The example goes inside `http { }`: this main configuration wraps it, with every file nginx writes in the test folder.
MAIN_CONF = """daemon off;
{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log info;
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    log_format replicas '$upstream_addr $status $cookie_planner_route "$request"';
    access_log {prefix}/access.log replicas;
    include {prefix}/planner.conf;
}}
"""


def _swap(text: str, old: str, new: str) -> str:
    """Replace a line of the example that must be there exactly once (so a changed example fails loudly)."""
    assert text.count(old) == 1, f"deploy/nginx.conf no longer has exactly one {old.strip()!r}"
    return text.replace(old, new)


def site_config(ports: list[int], listen: int) -> str:
    """deploy/nginx.conf with the replicas and the listening port of this test, and the upstream in a header."""
    text = _swap(EXAMPLE.read_text(), "    server 10.0.0.12:8501;\n", "")
    text = _swap(text, "    server 10.0.0.11:8501;\n", "".join(f"    server 127.0.0.1:{port};\n" for port in ports))
    text = _swap(text, "    listen 80;\n", f"    listen 127.0.0.1:{listen};\n")
    header = "    add_header Set-Cookie $planner_route_cookie always;"
    return _swap(text, header, f"{header}\n    add_header X-Upstream $upstream_addr always;")


@dataclass
class Proxy:
    """nginx on loopback in front of the replicas, everything it writes inside `prefix`."""

    prefix: Path
    ports: list[int]
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self, *extra: str) -> list[str]:
        return [str(NGINX), "-c", str(self.prefix / "nginx.conf"), "-p", f"{self.prefix}/",
                "-e", str(self.prefix / "error.log"), *extra]  # fmt: skip

    def start(self) -> None:
        self.prefix.mkdir(parents=True, exist_ok=True)
        user = "user root;" if os.geteuid() == 0 else ""  # workers as `nobody` could not enter the 0700 temp folder
        (self.prefix / "nginx.conf").write_text(MAIN_CONF.format(user=user, prefix=self.prefix))
        (self.prefix / "planner.conf").write_text(site_config(self.ports, self.port))
        checked = subprocess.run(self.command("-t"), capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0, f"nginx -t refused the configuration:\n{checked.stderr}"
        self.process = subprocess.Popen(self.command(), stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        self._wait_listening()

    def _wait_listening(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"nginx did not start; error log:\n{(self.prefix / 'error.log').read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: fast shutdown, open WebSockets included
            self.process.wait(timeout=20)

    def visit(self, route: str | None = None) -> tuple[str, str | None]:
        """One request through the proxy: the replica that served it, and the route cookie it set (if any)."""
        headers = {"Cookie": f"{ROUTE}={route}"} if route else {}
        request = urllib.request.Request(f"{self.url}/_stcore/health", headers=headers)
        with urllib.request.urlopen(request, timeout=10) as response:
            cookies = [c for c in response.headers.get_all("Set-Cookie", []) if c.startswith(f"{ROUTE}=")]
            return response.headers["X-Upstream"], cookies[0] if cookies else None

    def logged(self) -> list[tuple[str, str, str, str]]:
        """The access log as (upstream, status, route cookie, request line)."""
        lines = (self.prefix / "access.log").read_text().splitlines()
        return [tuple(line.split(" ", 3)) for line in lines]  # type: ignore[misc]


class Replica(Server):
    """A replica as deployed: it does not watch the source (other work on this tree must not rerun or reload it)."""

    def env(self) -> dict[str, str]:
        return {**super().env(), "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}


@dataclass
class Replicas:
    """Two streamlit servers on one PostgreSQL database, and nginx in front of them."""

    servers: list[Replica]
    proxy: Proxy
    demo_id: int

    @property
    def addresses(self) -> list[str]:
        return [f"127.0.0.1:{server.port}" for server in self.servers]


def _nginx_or_skip() -> None:
    if NGINX.exists():
        return
    if browser_required():
        pytest.fail(f"nginx is required here (CI) but {NGINX} is missing: apt-get install nginx")
    pytest.skip(f"no nginx at {NGINX}: apt-get install nginx to run the replica test")


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory, chromium: str) -> Iterator[Replicas]:
    if not PG_URL:
        pytest.skip("PLANNER_TEST_POSTGRES_URL not set: the replica test needs a PostgreSQL server")
    _nginx_or_skip()
    tmp = tmp_path_factory.mktemp("replicas")
    with pg_database() as url:
        servers = [Replica(url, tmp / f"replica-{name}.log") for name in "ab"]
        servers[0].cli("migrate")  # the deploy step, run once before the replicas start
        demo_id = int(servers[0].cli("demo"))
        proxy = Proxy(tmp / "nginx", [server.port for server in servers])
        try:
            for server in servers:
                server.start()
            proxy.start()
            yield Replicas(servers, proxy, demo_id)
        finally:
            proxy.stop()
            for server in servers:
                server.stop()


def _routes(replicas: Replicas) -> dict[str, str]:
    """A route cookie value pinned to each replica, found by asking the proxy (the hash decides, not the test)."""
    routes: dict[str, str] = {}
    for number in range(64):
        upstream, _cookie = replicas.proxy.visit(f"route-{number}")
        routes.setdefault(upstream, f"route-{number}")
        if len(routes) == len(replicas.servers):
            break
    assert sorted(routes) == sorted(replicas.addresses), f"64 route values reached only {sorted(routes)}"
    return routes


def test_a_first_visit_gets_a_route_cookie_that_keeps_it_on_its_replica(replicas: Replicas) -> None:
    served: set[str] = set()
    for _ in range(24):
        upstream, cookie = replicas.proxy.visit()
        assert cookie is not None and "HttpOnly" in cookie
        route = cookie.split(";")[0].split("=", 1)[1]
        for _ in range(3):
            assert replicas.proxy.visit(route) == (upstream, None)  # same replica, and no new cookie
        served.add(upstream)
    assert served == set(replicas.addresses)  # new visitors are spread over both replicas


def test_the_proxy_passes_the_streams_compression_through(replicas: Replicas) -> None:
    answer = upgrade(replicas.proxy.port)

    assert answer.startswith("HTTP/1.1 101")
    assert "sec-websocket-extensions: permessage-deflate" in answer.lower()


def _pinned(browser: Browser, replicas: Replicas, route: str, served: set[str]) -> BrowserContext:
    """A browser context whose requests carry `route`; every upstream that answers it is added to `served`."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_cookies([{"name": ROUTE, "value": route, "url": replicas.proxy.url}])
    context.on("response", lambda response: served.add(response.headers.get("x-upstream", "none")))
    return context


def _edit_organisation(page: Page, replicas: Replicas, organisation: str) -> float:
    """Change the plan's organisation in the plan details dialog; return when Save was clicked."""
    _open(page, replicas.proxy.url + "/")
    page.get_by_role("button", name="Manage").first.click()
    page.get_by_role("button", name="Edit details").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Organisation").fill(organisation)
    dialog.get_by_role("button", name="Save changes").click()
    return time.monotonic()


def _streams(replicas: Replicas, routes: set[str], timeout: float = 10) -> dict[str, set[str]]:
    """Per route cookie, the replicas its WebSockets were proxied to (nginx logs one when it closes)."""
    deadline = time.monotonic() + timeout
    while True:
        found: dict[str, set[str]] = {}
        for upstream, status, route, request in replicas.proxy.logged():
            if status == "101" and "/_stcore/stream" in request and route in routes:  # this test's contexts
                found.setdefault(route, set()).add(upstream)
        if set(found) >= routes or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_an_edit_through_one_replica_shows_on_the_summary_served_by_the_other(
    replicas: Replicas, browser: Browser
) -> None:
    routes = _routes(replicas)
    first, second = replicas.addresses
    served: dict[str, set[str]] = {first: set(), second: set()}
    viewer = _pinned(browser, replicas, routes[second], served[second]).new_page()
    _open(viewer, f"{replicas.proxy.url}/summary?plan={replicas.demo_id}")
    expect(viewer.locator(FIGURE)).to_have_count(6)
    editor = _pinned(browser, replicas, routes[first], served[first]).new_page()
    organisation = f"Northshire and Westmere Health {time.monotonic_ns()}"

    saved = _edit_organisation(editor, replicas, organisation)
    expect(viewer.get_by_text(organisation).first).to_be_visible(timeout=LIVE_WITHIN_MS)
    shown_after = time.monotonic() - saved

    expect(editor.get_by_text("Plan details saved.")).to_be_visible()
    print(f"\nedit through {first} shown on the summary served by {second} after {shown_after:.2f} s")
    assert shown_after < LIVE_WITHIN_MS / 1000
    assert served == {first: {first}, second: {second}}  # every HTTP response came from the context's own replica
    viewer.context.close()
    editor.context.close()
    streams = _streams(replicas, set(routes.values()))
    assert streams == {routes[first]: {first}, routes[second]: {second}}  # and so did each WebSocket
