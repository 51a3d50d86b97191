"""``python -m culture_hub.live``: build, serve on localhost, and apply every saved edit at once.

Run by ``invoke serve`` (``python -m culture_hub.live``). Prints one
line per change, starting with ``->``; ``Serving`` when the site is up.
Every HTML page is sent with the problems banner and the reload script of
``report`` added on the way out; the files on disk are left as built.
"""

from __future__ import annotations

import argparse
import json
import queue
import threading
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import watchfiles
from pelican.server import ComplexHTTPRequestHandler
from pelican.utils import FileChangeFilter

from . import report
from .site import LiveSite, log


def _override(text: str) -> tuple[str, Any]:
    name, _, value = text.partition("=")
    try:
        return name, json.loads(value)
    except json.JSONDecodeError:
        return name, value  # a bare word is a string, as Pelican's own -e takes it


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m live", description=__doc__)
    parser.add_argument("content", help="the content folder")
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("-o", "--output", help="where to write the site (default: the settings')")
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument(
        "-e", "--extra-settings", nargs="*", default=[], metavar="KEY=VALUE",
        help="settings to override, values in JSON (as pelican -e)",
    )  # fmt: skip
    return parser.parse_args(argv)


class _Handler(ComplexHTTPRequestHandler):
    site: LiveSite

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not worth a line each next to the build messages."""

    def do_GET(self) -> None:
        """The preview's state and script, pages with the banner and script added,
        anything else as Pelican's server sends it."""
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        version, problems = self.site.view
        if path == report.STATE_PATH:
            self._send(report.state(version, problems), "application/json")
            return
        if path == report.SCRIPT_PATH:
            self._send(report.SCRIPT, "text/javascript; charset=utf-8")
            return
        found = self.get_path_that_exists(path)
        if found is None:
            self.send_error(404, "Not found (the preview has no page at this address)")
            return
        file = Path(self.translate_path(found))
        if file.is_dir() and not found.endswith("/"):
            self.send_response(301)  # as SimpleHTTPRequestHandler: relative links need the /
            self.send_header("Location", found + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if file.is_dir():
            file = file / "index.html"
        if file.suffix != ".html" or not file.is_file():
            self.path = found
            super().do_GET()
            return
        page = file.read_text(encoding="utf-8", errors="replace")
        self._send(report.inject(page, problems, version).encode(), "text/html; charset=utf-8")

    def _send(self, body: bytes, mime: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def serve(site: LiveSite, bind: str, port: int) -> ThreadingHTTPServer:
    """Serve the output folder (pretty URLs resolved as Pelican's server does) in a thread."""
    handler = partial(_Handler, directory=str(site.output))
    _Handler.base_path = str(site.output)
    _Handler.site = site
    httpd = ThreadingHTTPServer((bind, port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def watch(paths: list[str], ignore: FileChangeFilter, changes: queue.Queue[set[Any]]) -> None:
    """Queue every batch of changes; started before the first build, so none is missed."""
    for batch in watchfiles.watch(*paths, watch_filter=ignore, step=20):
        changes.put({(change.name, path) for change, path in batch})


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    overrides = dict(map(_override, args.extra_settings))
    overrides["PATH"] = str(Path(args.content).resolve())
    if args.output:
        overrides["OUTPUT_PATH"] = str(Path(args.output).resolve())
    site = LiveSite(str(Path(args.settings).resolve()), overrides)
    ignore = FileChangeFilter(ignore_file_patterns=site.settings.get("IGNORE_FILES", []))
    changes: queue.Queue[set[Any]] = queue.Queue()
    threading.Thread(target=watch, args=(site.watched(), ignore, changes), daemon=True).start()
    site.build()
    httpd = serve(site, args.bind, args.port)
    host, port = httpd.server_address[:2]
    log(f"Serving {site.output} at http://{host}:{port}/ - saved edits show at once; Ctrl-C stops")
    try:
        while True:
            batch = changes.get()
            while not changes.empty():  # edits saved while the last update ran: one update
                batch |= changes.get()
            line = site.update(batch)
            if line:
                log(line)
    except KeyboardInterrupt:
        pass
    finally:
        httpd.shutdown()


if __name__ == "__main__":
    main()
