"""A real HTTP proxy for the tests: Debian's tinyproxy, started on a free 127.0.0.1 port
with a generated configuration (optionally BasicAuth), its log read by the tests.

tinyproxy logs every request line at level Connect: `GET http://…` for a forwarded
request, `CONNECT host:port` for a tunnel. .ci/run installs it (apt); locally a test
without it is skipped with the reason.
"""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

BINARY = shutil.which("tinyproxy") or shutil.which("tinyproxy", path="/usr/bin:/usr/sbin")
MISSING = "tinyproxy is not installed (apt-get install tinyproxy; .ci/run installs it)"
# Set by .ci/run: there, a missing tinyproxy fails the tests instead of skipping them.
SKIP = BINARY is None and os.environ.get("ISSUEBRIDGE_CI_REQUIRE_TINYPROXY") != "1"
# A bound on a hang at start, not a speed test.
START_DEADLINE = 20.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Tinyproxy:
    def __init__(self, directory: Path, basic_auth: tuple[str, str] | None = None) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.basic_auth = basic_auth
        self.log_path = directory / "tinyproxy.log"
        self.port = 0
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _config(self) -> str:
        lines = [
            f"Port {self.port}",
            "Listen 127.0.0.1",
            "Timeout 60",
            f'LogFile "{self.log_path}"',
            "LogLevel Connect",
            "MaxClients 50",
            "Allow 127.0.0.1",
            "DisableViaHeader Yes",
        ]
        if self.basic_auth:
            lines.append(f"BasicAuth {self.basic_auth[0]} {self.basic_auth[1]}")
        return "\n".join(lines) + "\n"

    def start(self) -> "Tinyproxy":
        assert BINARY, MISSING
        for _attempt in range(3):  # another process may take the free port first
            self.port = _free_port()
            config = self.directory / "tinyproxy.conf"
            config.write_text(self._config())
            output = (self.directory / "tinyproxy.out").open("wb")
            self._proc = subprocess.Popen(
                [BINARY, "-d", "-c", str(config)], stdout=output, stderr=subprocess.STDOUT
            )
            output.close()
            if self._wait_listening():
                return self
            self.stop()
        raise AssertionError(f"tinyproxy did not start: {self.output()}")

    def _wait_listening(self) -> bool:
        deadline = time.monotonic() + START_DEADLINE
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return True
            except OSError:
                time.sleep(0.05)
        return False

    def output(self) -> str:
        path = self.directory / "tinyproxy.out"
        return path.read_text(errors="replace") if path.exists() else ""

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def requests(self) -> list[str]:
        """The request lines tinyproxy received, e.g. `CONNECT 127.0.0.1:4431 HTTP/1.1`."""
        marker = "): "
        return [
            line.split(marker, 1)[1]
            for line in self.log().splitlines()
            if "Request (file descriptor" in line and marker in line
        ]

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(5)
        self._proc = None

    def __enter__(self) -> "Tinyproxy":
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
