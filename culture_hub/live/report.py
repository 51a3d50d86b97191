"""What the preview tells the writer in the browser. No Pelican import.

The live server (``__main__``) adds two things to every HTML page it sends,
never to the files on disk, so the public build and a cold build never
contain them: a banner listing the content errors the publish build would
refuse (``path:line: message (fix)``), and a small script that asks the
server for the preview's version twice a second and reloads the tab when a
saved change has been applied. A story that cannot be built gets, at its
address, a page saying why (``error_page``), until it is fixed.

Problem texts carry writers' input (file names, field values), so every
piece is HTML-escaped here; the script only compares numbers.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

from culture_hub.content_model.problems import Problem

STATE_PATH = "/__live__/state.json"
SCRIPT_PATH = "/__live__/live.js"
SHOWN = 20  # problems listed in the banner; the rest are counted

# Reloads the tab when the preview's version moves on from the one the page
# was served with; polling (not a socket) so it works through any proxy.
SCRIPT = b"""(function () {
  var me = document.currentScript;
  var version = me && me.getAttribute("data-version");
  function poll() {
    fetch("/__live__/state.json", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (state) {
        if (String(state.version) !== version) { location.reload(); return; }
        setTimeout(poll, 500);
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, 500);
})();
"""

_STYLE = (
    "position:sticky;top:0;z-index:1000;margin:0;padding:.75rem 1rem;"
    "background:#8b0000;color:#fff;font:16px/1.4 system-ui,sans-serif"
)


def errors(problems: Sequence[Problem]) -> list[Problem]:
    """The problems the publish build would refuse, in file and line order."""
    return sorted(p for p in problems if p.is_error)


def _items(problems: Sequence[Problem]) -> str:
    rows = [
        f"<li><code>{html.escape(p.path)}:{p.line}</code>: {html.escape(p.message)}"
        + (f" ({html.escape(p.fix)})" if p.fix else "")
        + "</li>"
        for p in problems[:SHOWN]
    ]
    if len(problems) > SHOWN:
        rows.append(f"<li>and {len(problems) - SHOWN} more: run <code>invoke check</code></li>")
    return "".join(rows)


def banner(problems: Sequence[Problem]) -> str:
    """The banner for every page: empty when nothing would stop the publish build."""
    found = errors(problems)
    if not found:
        return ""
    noun = "problem" if len(found) == 1 else "problems"
    return (
        f'<div id="live-problems" role="alert" style="{_STYLE}">'
        f"<strong>{len(found)} {noun} to fix before this can be published</strong>"
        f'<ul style="margin:.25rem 0 0;padding-left:1.25rem">{_items(found)}</ul></div>'
    )


def inject(page: str, problems: Sequence[Problem], version: int) -> str:
    """``page`` with the banner after ``<body …>`` and the reload script before ``</body>``."""
    script = f'<script src="{SCRIPT_PATH}" data-version="{version}"></script>'
    top = banner(problems)
    body = page.find("<body")
    opened = page.find(">", body) + 1 if body >= 0 else 0
    page = page[:opened] + top + page[opened:]
    closing = page.rfind("</body>")
    if closing < 0:
        return page + script
    return page[:closing] + script + page[closing:]


def error_page(path: str, problems: Sequence[Problem]) -> str:
    """The page shown at a story's address while its file cannot be built."""
    mine = sorted(p for p in problems if p.path == path) or list(errors(problems))
    shown = html.escape(path)
    return (
        '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Cannot show {shown} yet</title></head>\n<body>\n<main>"
        f"<h1>This story cannot be shown yet</h1>"
        f"<p>Fix these lines of <code>{shown}</code> and save: this page reloads by itself.</p>"
        f"<ul>{_items(mine)}</ul></main>\n</body>\n</html>\n"
    )


def state(version: int, problems: Sequence[Problem]) -> bytes:
    """What the script asks for: the version, and the errors as text."""
    return json.dumps({"version": version, "problems": [str(p) for p in errors(problems)]}).encode()
