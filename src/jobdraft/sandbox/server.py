"""Serve the sandbox over HTTP with waitress.

waitress rather than wsgiref: it is threaded, handles keep-alive and slow
clients, and is already a dependency.  Its own logging is kept quiet (the
"Task queue depth" warning fires on every burst of requests and would flood
the terminal); instead a small middleware prints one line per request.
"""

from __future__ import annotations

import ipaddress
import logging
import queue
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any

from jobdraft.inert import inert
from jobdraft.sandbox import API_PREFIX, SANDBOX_TOKEN
from jobdraft.sandbox.app import SandboxApp, SandboxConfig
from jobdraft.sandbox.web import Environ, StartResponse, WSGIApp

__all__ = ["AccessLog", "BindError", "is_loopback", "serve"]


class BindError(OSError):
    """The address cannot be bound.  ``strerror`` is the system's reason
    ("Address already in use"); ``str()`` says which address."""

    def __init__(self, host: str, port: int, cause: OSError) -> None:
        super().__init__(cause.errno, cause.strerror or str(cause))
        self.where = f"{host}:{port}"

    def __str__(self) -> str:
        return f"cannot listen on {self.where}: {self.strerror}"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # any other host name might resolve anywhere


class AccessLog:
    """WSGI middleware: ``METHOD /path STATUS 1.2ms <request id>`` per request,
    and the app's one-line error reports (``note``) in the same stream.

    Lines go through a bounded queue to one writer thread, so a slow or
    blocked terminal (a parent that stopped reading our stdout pipe) can never
    stall request threads: past the bound, lines are counted and dropped.
    """

    BATCH_SECONDS = 0.05

    def __init__(self, app: WSGIApp, echo: Callable[[str], None], bound: int = 10_000) -> None:
        self.app = app
        self.echo = echo
        self._lines: queue.Queue[str | None] = queue.Queue(maxsize=bound)
        self._dropped = 0
        self._writer = threading.Thread(target=self._write, name="sandbox-log", daemon=True)
        self._writer.start()

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        status = ["-"]

        def capture(
            status_line: str, headers: list[tuple[str, str]], exc_info: Any = None, /
        ) -> Callable[[bytes], object]:
            status[0] = status_line.split(" ", 1)[0]
            return start_response(status_line, headers, exc_info)

        body = self.app(environ, capture)
        path = str(environ.get("PATH_INFO", ""))
        query = str(environ.get("QUERY_STRING", ""))
        if query:
            path = f"{path}?{query}"
        # PATH_INFO is percent-decoded: %1b]52;... is a real escape sequence
        # by now, and the method is the client's too.  Shown inert.
        path = inert(path)
        millis = (time.perf_counter() - started) * 1000
        request_id = environ.get("jobdraft.request_id", "-")
        method = inert(environ.get("REQUEST_METHOD", "-"))
        try:
            self._lines.put_nowait(f"{method} {path} {status[0]} {millis:.1f}ms {request_id}")
        except queue.Full:
            self._dropped += 1  # racy count; only ever a hint
        return body

    def note(self, line: str) -> None:
        """Log a line of the app's own (an error report), in order with the rest."""
        try:
            self._lines.put_nowait(line)
        except queue.Full:
            self._dropped += 1

    def _write(self) -> None:
        # Lines go out in batches, a few times a second at most: one write and
        # one thread switch per batch rather than per request (per request,
        # they cost about a tenth of a PATCH's CPU under load).
        while True:
            batch = [self._lines.get()]
            time.sleep(self.BATCH_SECONDS)
            while not self._lines.empty() and len(batch) < 2048:
                batch.append(self._lines.get_nowait())
            stop = None in batch
            lines = [line for line in batch if line is not None]
            if self._dropped:
                dropped, self._dropped = self._dropped, 0
                lines.insert(0, f"({dropped} log lines dropped: output was not being read)")
            if lines:
                self.echo("\n".join(lines))
            if stop:
                return

    def close(self, timeout: float = 2.0) -> None:
        """Write what is queued (within ``timeout``), then stop the writer."""
        try:
            self._lines.put(None, timeout=timeout)
        except queue.Full:
            return
        self._writer.join(timeout)


def _flushing_print(line: str) -> None:
    # Flushed so that a parent process reading a pipe sees each line at once.
    print(line, flush=True)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def serve(
    config: SandboxConfig,
    host: str = "127.0.0.1",
    port: int = 8765,
    *,
    allow_remote: bool = False,
    echo: Callable[[str], None] = print,
) -> None:
    """Serve until Ctrl-C or SIGTERM.  Port 0 picks a free port (printed).

    Raises ValueError for a port out of range or a non-loopback host without
    ``allow_remote``, and OSError when the address cannot be bound (port in
    use...).  Each unexpected error of the app is logged in one line, with
    its request id.
    """
    if echo is print:
        echo = _flushing_print
    if not 0 <= port <= 65535:
        raise ValueError(f"port must be between 0 and 65535, not {port}")
    if not is_loopback(host) and not allow_remote:
        raise ValueError(
            f"refusing to listen on {host}: not a loopback address. The sandbox accepts "
            "any well-formed token; pass --allow-remote to expose it anyway."
        )
    # "localhost" may resolve to two addresses (and with port 0, two ports).
    bind_host = "127.0.0.1" if host == "localhost" else host.strip("[]")

    # Imported here, not at module level: only serving needs it.
    import waitress  # type: ignore[import-untyped,unused-ignore]

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    if not is_loopback(host):
        echo(
            f"WARNING: listening on {host}, beyond this machine. Anyone who can reach "
            "it can use the sandbox with any well-formed token."
        )
    # Bind first, ourselves: a port in use then fails before waitress starts
    # its threads and pipes, and leaves nothing open behind it.
    sock = _bind(bind_host, port)
    try:
        app = SandboxApp(config)
    except BaseException:
        sock.close()
        raise
    logged = AccessLog(app, echo)
    app.on_error = logged.note
    try:
        try:
            server = waitress.create_server(
                logged,
                sockets=[sock],
                threads=_threads(config),
                ident="jobdraft-sandbox",
                **connection_limits(),
            )
        except BaseException:
            sock.close()
            raise
        origin = f"http://{_url_host(bind_host)}:{server.effective_port}"

        def announce() -> None:
            echo(f"jobdraft sandbox listening on {origin} (API base {origin}{API_PREFIX})")
            echo(
                f"token: {SANDBOX_TOKEN} (any ot_pat_<id>_<secret> works; each is its own account)"
            )
            echo(f"store: {config.db_path or 'in memory'}{_mode(config)}. Ctrl-C to stop.")

        _run_until_signal(server, announce)
        logged.close()
        echo("jobdraft sandbox stopped.")
    finally:
        logged.close()
        app.close()


# Slow or idle clients must not starve the rest.  waitress's defaults (100
# connections, idle ones closed after 120 s) let 100 half-open sockets stop
# the server from accepting anyone else for two minutes.  Instead: room for
# many connections, and one idle (no request in progress) for CHANNEL_TIMEOUT
# seconds is closed at the next sweep, every CLEANUP_INTERVAL seconds.  A
# request being read or answered is never cut.  poll() rather than select(),
# which fails past file descriptor 1024.  Figures in docs/sandbox.md.
CONNECTION_LIMIT = 1000
CHANNEL_TIMEOUT = 10
CLEANUP_INTERVAL = 2
# Descriptors kept free for the store, the log and the listening socket.
_SPARE_FDS = 64


def connection_limits() -> dict[str, Any]:
    """waitress's adjustments for connections: see CONNECTION_LIMIT."""
    limit = CONNECTION_LIMIT
    try:
        import resource

        soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != resource.RLIM_INFINITY:
            # Past the process's descriptor limit accept() fails; stay below it.
            limit = max(100, min(limit, soft - _SPARE_FDS))
    except (ImportError, OSError, ValueError):
        pass  # no resource module (Windows): waitress's own accept errors apply
    return {
        "connection_limit": limit,
        "channel_timeout": CHANNEL_TIMEOUT,
        "cleanup_interval": CLEANUP_INTERVAL,
        "asyncore_use_poll": True,
    }


def _threads(config: SandboxConfig) -> int:
    """Worker threads for waitress.

    The app is pure Python and runs one request at a time (see SandboxApp),
    so extra workers only contend for the GIL: one worker served about a
    third more PATCHes per second than four, with less CPU per request.
    waitress's main thread still reads and writes all sockets meanwhile.
    With --latency the delay is slept outside the app's lock, so there are
    workers enough for delayed requests to overlap.
    """
    return 16 if config.latency_ms else 1


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        # As waitress does: a restarted sandbox may reuse a port in TIME_WAIT
        # (this never lets two servers listen on one port).
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise BindError(host, port, error) from error
    return sock


def _mode(config: SandboxConfig) -> str:
    parts = []
    if config.minimal:
        parts.append("minimal")
    parts.extend(sorted(config.variants))
    if config.chaos:
        parts.append(f"chaos {config.chaos:g}")
    if config.latency_ms:
        parts.append(f"latency {config.latency_ms}ms")
    parts.extend(f"{name} disabled" for name in sorted(config.disabled_features))
    if config.block_words:
        parts.append("moderation on")
    if config.claimed:
        parts.append("claimed")
    return f"; mode: {', '.join(parts)}" if parts else ""


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _run_until_signal(server: Any, announce: Callable[[], None]) -> None:
    """Run waitress; SIGTERM and SIGINT both end in the same clean stop.

    SIGINT gets a handler of its own too: a process started in the background
    by a non-interactive shell inherits SIGINT ignored, and Python then never
    installs its KeyboardInterrupt handler.  The handlers go in before the
    banner is printed, so whoever waits for "listening on" and then sends a
    signal cannot beat them to it.
    """
    in_main = threading.current_thread() is threading.main_thread()
    previous = {}
    if in_main:
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, _interrupt)
    try:
        announce()
        # waitress's run() stops its worker threads itself on KeyboardInterrupt.
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        server.close()
        # Also drop kept-alive client connections, not just the listener.
        from waitress import wasyncore  # type: ignore[import-untyped,unused-ignore]

        wasyncore.close_all(getattr(server, "_map", None))
