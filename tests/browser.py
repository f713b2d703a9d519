"""Headless Chromium for the tests that open pages as a person would (Debian's package).

Starting Chromium costs about a second of CPU, so each pytest worker starts one (the `browser`
fixture) and opens every page in a fresh browser context of it, driven over the DevTools
protocol on a pipe (`--remote-debugging-pipe`: JSON commands, NUL-terminated, read on fd 3,
answers and events written on fd 4). A page there is what `--dump-dom` shows of it.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
HEADLESS = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
"""The start of every command line: no window, no sandbox (root), no first-run dialogs."""

STEP_TIMEOUT = 60.0
"""Seconds one protocol step may take (the budget of a page included) before the browser is
deemed hung; generous, the machine's cores are shared by many processes."""


SPLIT_WORDS = """function splitWords(element) {
  const split = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/[^\\s-]+-?/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (tops.size > 1) split.push(match[0]);
    }
  }
  return split;
}
"""
"""A measuring script's function: the words of an element's text laid out over two lines
(a word broken inside itself; a hyphen ends a word, so « a-b » may break after it)."""


def with_script(page: Path, copy: Path, script: str) -> str:
    """`page` written to `copy` without its Content-Security-Policy (which refuses inline
    scripts) and with `script` at the end of its body: the address to open."""
    copy.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "",
                           page.read_text("utf-8")).replace("</body>", script + "</body>"),
                    "utf-8")
    return copy.as_uri()


def require_chromium() -> Path:
    """A missing browser fails the test, never skips it: a run that skipped the browser tests
    would report success without having checked what a person sees. scripts/test.sh installs
    Chromium first."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium absent ({CHROMIUM}) : bash scripts/test.sh l'installe, "
                    "ou en root : apt-get update && apt-get install -y chromium")
    return CHROMIUM


@pytest.fixture
def chromium() -> Path:
    """For the tests that start their own Chromium (browser-wide flags)."""
    return require_chromium()


class BrowserError(AssertionError):
    """The browser crashed, hung or refused a command: the test fails with what it said."""


class Browser:
    """One headless Chromium over a DevTools pipe, started at the first page and after a fault.

    A page that fails (a step timing out, a crash, an error) kills the process, so the next
    page gets a sound browser instead of a half-answered conversation.
    """

    def __init__(self, folder: Path) -> None:
        self._profile = folder / "profil"
        self._stderr = folder / "stderr.log"
        self._process: subprocess.Popen[bytes] | None = None
        self._commands = -1
        self._answers = -1
        self._buffer = b""
        self._events: list[dict[str, Any]] = []
        self._last_id = 0

    def dump_dom(self, url: str, *, window: tuple[int, int] | None = None,
                 virtual_time_ms: int = 3000) -> str:
        """What `--dump-dom` prints: the page's DOM once its timers have run `virtual_time_ms`
        of virtual time; in a context of its own (no storage or cookie shared with another page).
        """
        if self._process is None:
            self._start()
        self._events.clear()  # the last page's
        try:
            return self._dump_dom(url, window, virtual_time_ms)
        except BaseException:  # a fault, or pytest-timeout stopping the test mid-step
            self._kill()  # which disposes of the page's context too
            raise

    def _dump_dom(self, url: str, window: tuple[int, int] | None, virtual_time_ms: int) -> str:
        context = self.call("Target.createBrowserContext")["browserContextId"]
        target = self.call("Target.createTarget",
                           {"url": "about:blank", "browserContextId": context})["targetId"]
        session = self.call("Target.attachToTarget",
                            {"targetId": target, "flatten": True})["sessionId"]
        self.call("Inspector.enable", session=session)  # reports a renderer crash
        if window is not None:
            width, height = window
            self.call("Emulation.setDeviceMetricsOverride",
                      {"width": width, "height": height, "deviceScaleFactor": 1,
                       "mobile": False}, session=session)
        self.call("Emulation.setVirtualTimePolicy", {"policy": "pause"}, session=session)
        navigated = self.call("Page.navigate", {"url": url}, session=session)
        if "errorText" in navigated:
            raise BrowserError(f"Chromium n'a pas ouvert {url} : {navigated['errorText']}")
        self.call("Emulation.setVirtualTimePolicy",
                  {"policy": "pauseIfNetworkFetchesPending", "budget": virtual_time_ms},
                  session=session)
        self.wait_event("Emulation.virtualTimeBudgetExpired", session)
        found = self.call("Runtime.evaluate",
                          {"expression": "document.documentElement.outerHTML",
                           "returnByValue": True}, session=session)
        if "exceptionDetails" in found:
            raise BrowserError(f"lecture du DOM de {url} : {found['exceptionDetails']}")
        self.call("Target.disposeBrowserContext", {"browserContextId": context})
        dom: str = found["result"]["value"]
        return dom

    def call(self, method: str, params: dict[str, Any] | None = None, *,
             session: str | None = None) -> dict[str, Any]:
        """Sends one command and returns its result; events read meanwhile wait in a queue."""
        self._last_id += 1
        message: dict[str, Any] = {"id": self._last_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        try:
            os.write(self._commands, json.dumps(message).encode() + b"\0")
        except BrokenPipeError:
            raise BrowserError(f"Chromium s'est arrêté ({method}) : {self._crash()}") from None
        deadline = time.monotonic() + STEP_TIMEOUT
        while True:
            answer = self._receive(deadline, method, session)
            if answer.get("id") == self._last_id:
                if "error" in answer:
                    raise BrowserError(f"{method} refusé par Chromium : {answer['error']}")
                result: dict[str, Any] = answer["result"]
                return result
            self._events.append(answer)

    def wait_event(self, method: str, session: str) -> dict[str, Any]:
        """The next event `method` of the page `session`, read or queued."""
        deadline = time.monotonic() + STEP_TIMEOUT
        while True:
            for event in self._events:
                if event.get("method") == method and event.get("sessionId") == session:
                    self._events.remove(event)
                    return event
            self._events.append(self._receive(deadline, method, session))

    def _receive(self, deadline: float, waiting_for: str, session: str | None) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            readable, _, _ = select.select([self._answers], [], [], max(left, 0))
            if not readable:
                self._kill()
                raise BrowserError(f"Chromium n'a pas répondu en {STEP_TIMEOUT:.0f} s "
                                   f"({waiting_for}) ; tué.")
            chunk = os.read(self._answers, 1 << 16)
            if not chunk:
                raise BrowserError(f"Chromium s'est arrêté ({waiting_for}) : {self._crash()}")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        if message.get("method") == "Inspector.targetCrashed" and \
                message.get("sessionId") == session:
            raise BrowserError(f"le moteur de rendu a planté ({waiting_for})")
        return message

    def _start(self) -> None:
        commands_read, commands_write = os.pipe()
        answers_read, answers_write = os.pipe()
        # Above 4, so that the child's dup2 onto 3 and 4 overwrites none of them.
        ends = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 5)
                for fd in (commands_read, answers_write)]
        for fd in (commands_read, answers_write):
            os.close(fd)

        def onto_3_and_4() -> None:
            os.dup2(ends[0], 3)
            os.dup2(ends[1], 4)

        stderr = os.open(self._stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC)
        # pass_fds keeps 3 and 4 open in the child (they exist here: two pipes were just made).
        self._process = subprocess.Popen(
            [*HEADLESS, f"--user-data-dir={self._profile}", "--remote-debugging-pipe"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
            pass_fds=(3, 4), preexec_fn=onto_3_and_4)
        for fd in (*ends, stderr):
            os.close(fd)
        self._commands, self._answers = commands_write, answers_read
        self._buffer, self._events = b"", []

    def _crash(self) -> str:
        assert self._process is not None
        try:
            code = self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            code = None
        said = self._stderr.read_bytes()[-2000:].decode(errors="replace")
        self._kill()
        return f"code {code}, stderr : {said}"

    def close(self) -> None:
        """Closes the browser as it asks (Browser.close), killing it if it lingers."""
        if self._process is not None and self._process.poll() is None:
            try:
                os.write(self._commands, b'{"id":0,"method":"Browser.close"}\0')
                self._process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self._kill()

    def _kill(self) -> None:
        """Ends the process at once (a fault: it may be hung) and frees its pipes."""
        if self._process is None:
            return
        process, self._process = self._process, None
        if process.poll() is None:
            process.kill()
        process.wait()
        for fd in (self._commands, self._answers):
            os.close(fd)


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """One Chromium per pytest worker, closed at the end of the session."""
    require_chromium()
    opened = Browser(tmp_path_factory.mktemp("chromium"))
    yield opened
    opened.close()
