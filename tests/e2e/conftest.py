"""Browser fixtures: the real app under uvicorn on a free loopback port, driven by Debian's
Chromium through Playwright's sync API.

Test modules skip themselves when Chromium or Playwright is missing; when the environment
requires browser tests (``SHOPGEN_REQUIRE_BROWSER=1``) they run on, and the ``browser``
fixture fails with the reason from ``browser_missing``.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 900}


def browser_missing() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium fonts-noto-cjk)"
    return None


REQUIRED = os.environ.get("SHOPGEN_REQUIRE_BROWSER") == "1" or "browser" in os.environ.get("SHOPGEN_REQUIRE", "")


def skip_unless_browser() -> None:
    """Call at the top of a browser test module, before importing playwright: skips the module
    with the reason when Chromium or Playwright is missing, unless browser tests are required."""
    why = browser_missing()
    if why and not REQUIRED:
        pytest.skip(f"browser tests skipped: {why}", allow_module_level=True)


PASSWORD = "e2e-passw0rd"
# one account per role the browser tests sign in as, created when the live server starts
USERS = {"e2e-operator": "operator", "e2e-admin": "admin", "e2e-host": "host", "e2e-agent-xiaomei": "agent"}


@dataclass
class LiveServer:
    url: str
    app: object

    @property
    def db(self):
        return self.app.state.db

    def login(self, page, name: str, password: str = PASSWORD) -> None:
        """Log in through the studio's login form, as a person would."""
        page.goto(f"{self.url}/login")
        page.fill('input[name="name"]', name)
        page.fill('input[name="password"]', password)
        with page.expect_navigation():
            page.click('#login-form button[type="submit"]')


def wait_until(page, expression: str, timeout: float = 15.0):
    """Poll ``expression`` in the page from here until it is truthy. ``page.wait_for_function``
    compiles a string predicate with ``new Function`` inside the page, which the studio's CSP
    (no 'unsafe-eval') refuses; ``page.evaluate`` goes through the debugger protocol instead."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still falsy after {timeout} s: {expression}")
        time.sleep(0.1)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The studio with the fake LLM on a temporary SQLite shop (demo loaded when present)."""
    import uvicorn

    from shopgen.core.settings import Settings
    from shopgen.demo import loader
    from shopgen.server import create_app

    # one server for the whole browser suite: every test logs in from 127.0.0.1, so the login
    # limit (10 a minute per address; tested in tests/security) would trip on the suite itself
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("shop"), llm_backend="fake", embed_backend="fake", rate_login_per_minute=10_000
    )
    app = create_app(settings)
    if all((loader.DATA / f).exists() for f in ("products.jsonl", "kb.jsonl", "orders.jsonl")):
        loader.load_demo(app.state.db)
    from shopgen.security import users
    from shopgen.security.principal import CLI

    with app.state.db.session() as s:
        for name, role in USERS.items():
            users.create(s, CLI, name, role, PASSWORD)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))  # bound before the thread starts: no race for the port
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", ws="none", lifespan="off"))
    # uvicorn only installs signal handlers on the main thread; older versions need telling
    server.install_signal_handlers = lambda: None
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start within 30 s")
        time.sleep(0.05)
    yield LiveServer(f"http://127.0.0.1:{port}", app)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
    app.state.db.dispose()


@pytest.fixture(scope="session")
def browser():
    missing = browser_missing()
    if missing:
        pytest.fail(f"browser tests are required here but {missing}")
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    except Exception:
        pw.stop()
        raise
    yield chromium
    chromium.close()
    pw.stop()


@pytest.fixture
def anon_page(browser):
    """A browser tab with no login. Whatever the Content-Security-Policy blocks on the way (an
    inline script, a foreign fetch) fails the test: the studio must work under its own CSP."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(15_000)
    p = context.new_page()
    blocked: list[str] = []
    p.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    yield p
    context.close()
    assert blocked == [], blocked


@pytest.fixture
def page(anon_page, live_server):
    """A browser tab logged into the studio as an operator (through the login form)."""
    live_server.login(anon_page, "e2e-operator")
    return anon_page


@pytest.fixture
def screenshot(tmp_path):
    """``screenshot(page, "name.png")``: full-page PNG in tmp_path, also copied to
    ``$SHOPGEN_SCREENSHOT_DIR`` when that is set. Returns the tmp_path file."""
    target = os.environ.get("SHOPGEN_SCREENSHOT_DIR")

    def take(p, name: str) -> Path:
        path = tmp_path / name
        # grow the viewport to the whole page first, so sticky bars sit where a reader expects
        height = p.evaluate("document.documentElement.scrollHeight")
        p.set_viewport_size({"width": VIEWPORT["width"], "height": max(height, VIEWPORT["height"])})
        p.screenshot(path=str(path), full_page=True)
        p.set_viewport_size(VIEWPORT)
        if target:
            Path(target).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(target) / name)
        return path

    return take
