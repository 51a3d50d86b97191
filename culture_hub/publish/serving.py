"""How each file is served, and the server configurations that say so.

One table of rules serves every target: the object store's per-file
``Content-Type``/``Content-Encoding``/``Cache-Control``, the nginx config, and
the ``_headers`` file Netlify and Cloudflare Pages read. Hashed theme files
(``theme/css/site.<hash>.css``) are cached for a year (``immutable``);
everything else (HTML, feeds, search index, images) is revalidated, so a new
release shows at once.

Redirects for old addresses come from the built site's ``_redirects`` file
(Netlify's format: ``/old/path/ /new/path/ 301`` per line). Every line is
checked before it reaches a configuration: a path with a quote, a space, a
semicolon or a brace could otherwise end the nginx directive and start another.

Pure: text in, text out; no Pelican import.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote_to_bytes

from culture_hub.reserved import RESERVED

from .assets import HASHED_NAME
from .settings import PublishError

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=0, must-revalidate"
REFERRER_POLICY = "strict-origin-when-cross-origin"
COMPRESSIBLE = frozenset({".html", ".css", ".js", ".xml", ".json", ".svg"})
ENCODINGS = {".br": "br", ".gz": "gzip"}
# Files the deploy adds for the server, never pages: nginx answers 404 for them.
SERVER_FILES = ("_headers", "_redirects")
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".wasm": "application/wasm",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".woff2": "font/woff2",
}
_FEED_TYPES = {
    ".rss.xml": "application/rss+xml; charset=utf-8",
    ".atom.xml": "application/atom+xml; charset=utf-8",
}
# A path nginx and Netlify can take as it is: no spaces, quotes, ;, {, }, $, \ or #.
_SAFE_PATH = re.compile(r"^/[A-Za-z0-9._~%/!*+,=:@&()-]*$")
_SAFE_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[A-Za-z0-9._~%/!*+,=:@&()-]*)?$")
REDIRECT_CODES = (301, 302, 307, 308)


@dataclass(frozen=True)
class Headers:
    """What one file is sent with."""

    content_type: str
    cache_control: str
    content_encoding: str = ""


def is_hashed(relative: str, prefix: str = "theme") -> bool:
    """A theme file under its content-hash name (safe to cache for a year)."""
    return relative.startswith(f"{prefix}/") and bool(HASHED_NAME.search(relative))


def headers_for(relative: str, prefix: str = "theme") -> Headers:
    """The headers of one file of the deployed site (``.br``/``.gz`` twins included)."""
    encoding = ""
    name = relative
    suffix = PurePosixPath(relative).suffix
    if suffix in ENCODINGS and PurePosixPath(relative[: -len(suffix)]).suffix in COMPRESSIBLE:
        encoding = ENCODINGS[suffix]
        name = relative[: -len(suffix)]
    return Headers(
        content_type=content_type(name),
        cache_control=IMMUTABLE if is_hashed(name, prefix) else REVALIDATE,
        content_encoding=encoding,
    )


def content_type(relative: str) -> str:
    """A file's Content-Type by its name (feeds by their double suffix)."""
    lowered = relative.lower()
    for suffix, kind in _FEED_TYPES.items():
        if lowered.endswith(suffix):
            return kind
    if lowered.endswith("feeds/all.json"):
        return "application/feed+json"
    suffix = PurePosixPath(lowered).suffix
    if suffix == ".gz":  # a download, not a twin: its bytes are gzip, sent as they are
        return "application/gzip"
    if suffix in _TYPES:
        return _TYPES[suffix]
    guessed, _ = mimetypes.guess_type(lowered)
    return guessed or "application/octet-stream"


@dataclass(frozen=True)
class Redirect:
    source: str
    target: str
    code: int = 301

    @property
    def matched(self) -> str:
        """The path nginx compares with ``source``: it decodes ``%XX`` in a request before
        matching a location, so ``/caf%C3%A9/`` must be written ``/café/`` to match what
        browsers send (checked by :func:`read_redirects`)."""
        return unquote_to_bytes(self.source).decode("utf-8")


def _decoded_problem(source: str) -> str:
    """Why ``source`` can never be matched once its ``%XX`` are decoded and nginx has
    normalised it ('' when it can)."""
    try:
        decoded = unquote_to_bytes(source).decode("utf-8")
    except UnicodeDecodeError:
        return "its %XX do not decode to UTF-8 text"
    which = f"it decodes to {decoded!r}, which" if "%" in source else "it is a path"
    if any(c.isspace() or not c.isprintable() or c in "\"'\\;{}$#?%" for c in decoded):
        return f"{which} holds a character no address should"
    # nginx also merges // and resolves . and .. after decoding: such a source never matches
    if "//" in decoded or re.search(r"/\.\.?(?:/|$)", decoded):
        return f"{which} a server reads as another path"
    return ""


def read_redirects(text: str, shown: str = "_redirects") -> list[Redirect]:
    """Parse a ``_redirects`` file; any line a server could misread stops the deploy."""
    redirects: list[Redirect] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{shown}:{number}"
        fields = line.split()
        if len(fields) not in (2, 3):
            raise PublishError(
                f"{where}: expected '/old/path/ /new/path/ 301', found {len(fields)} fields"
            )
        source, target = fields[0], fields[1]
        if (
            not _SAFE_PATH.fullmatch(source)
            or "*" in source
            or "/:" in source
            or source.startswith("//")
        ):
            raise PublishError(
                f"{where}: {source!r} is not a plain site path (it must start with / and hold "
                "no spaces, quotes, ;, {{ }}, $, \\, # or Netlify placeholders)"
            )
        if (
            not (_SAFE_PATH.fullmatch(target) or _SAFE_URL.fullmatch(target))
            or "*" in target
            or target.startswith("//")  # a browser reads //host/ as another site
        ):
            raise PublishError(f"{where}: {target!r} is not a plain site path or http(s) address")
        code = 301
        if len(fields) == 3:
            if not fields[2].isdigit() or int(fields[2]) not in REDIRECT_CODES:
                raise PublishError(
                    f"{where}: status {fields[2]!r} is not one of "
                    f"{', '.join(map(str, REDIRECT_CODES))}"
                )
            code = int(fields[2])
        problem = _decoded_problem(source)  # also a plain /./ or /../: never matched either
        if problem:
            raise PublishError(
                f"{where}: {source!r} cannot be redirected: {problem}; write the address as "
                "browsers send it (UTF-8, each byte outside A-Z a-z 0-9 . _ ~ - as %XX)"
            )
        source_key = unquote_to_bytes(source).decode("utf-8")
        if source_key.split("/")[1] == RESERVED:
            raise PublishError(
                f"{where}: {source} is under /{RESERVED}/, which is reserved for the release "
                "record; redirect another address"
            )
        if source_key in seen:  # /a%2Db/ is /a-b/: one address, one redirect
            raise PublishError(
                f"{where}: {source} is already redirected on line {seen[source_key]}; keep one"
            )
        seen[source_key] = number
        redirects.append(Redirect(source, target, code))
    return redirects


def security_headers(csp: str) -> list[tuple[str, str]]:
    """Headers every response carries."""
    return [
        ("Content-Security-Policy", csp),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", REFERRER_POLICY),
    ]


def netlify_headers(csp: str, hashed: list[str]) -> str:
    """``_headers`` for Netlify and Cloudflare Pages.

    Both merge every rule that matches a path, so the long cache is given to
    each hashed file by its own path, never to a wildcard that HTML also matches.
    """
    lines = ["# Generated by `invoke publish`: security headers, and long caching", "/*"]
    lines += [f"  {name}: {value}" for name, value in security_headers(csp)]
    for relative in sorted(hashed):
        lines += [f"/{relative}", f"  Cache-Control: {IMMUTABLE}"]
    return "\n".join(lines) + "\n"


def nginx_config(
    *,
    root: str,
    csp: str,
    redirects: list[Redirect],
    server_name: str = "_",
    listen: str = "80",
    prefix: str = "theme",
) -> str:
    """An nginx ``server`` block serving the deployed site (include it inside ``http``).

    nginx drops a server's ``add_header`` lines in any location that has its
    own, so each location repeats the security headers.
    """
    if any(c in root for c in "\"'{};$\\\n") or not root.startswith("/"):
        raise PublishError(f"the served folder {root!r} must be an absolute path without quotes")
    security = [f'add_header {name} "{value}" always;' for name, value in security_headers(csp)]

    def block(header: str, *body: str) -> list[str]:
        return [f"    {header} {{", *(f"        {line}" for line in body), "    }"]

    lines = [
        "# Generated by `invoke publish`. Include it inside nginx's http { } block; the",
        "# brotli_static module is Debian's libnginx-mod-http-brotli-static.",
        "server {",
        f"    listen {listen};",
        f"    server_name {server_name};",
        f'    root "{root}";',
        "    index index.html;",
        "    charset utf-8;",
        "    absolute_redirect off;",
        "    server_tokens off;",
        "    gzip_static on;",
        "    brotli_static on;",
        "    gzip_vary on;",
        "    error_page 404 /404.html;",
    ]
    revalidate = [*security, f'add_header Cache-Control "{REVALIDATE}" always;']
    lines += block(
        f'location ~ "^/{re.escape(prefix)}/.+\\.[0-9a-f]{{10}}\\.[A-Za-z0-9]+$"',
        *security,
        f'add_header Cache-Control "{IMMUTABLE}" always;',
        "try_files $uri =404;",
    )
    lines += block("location /", *revalidate, "try_files $uri $uri/ =404;")
    # nginx types files by their last suffix only: feeds get theirs by location.
    for suffix, kind in _FEED_TYPES.items():
        pattern = re.escape(suffix)
        lines += block(
            f'location ~ "{pattern}$"',
            "types { }",
            f'default_type "{kind}";',
            *revalidate,
            "try_files $uri =404;",
        )
    lines += block("location ~ ^/(_headers|_redirects)$", "return 404;")
    lines += block(f"location ^~ /{RESERVED}/", "return 404;")
    for redirect in redirects:
        target = redirect.target
        lines += block(
            f'location = "{redirect.matched}"', *security, f'return {redirect.code} "{target}";'
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def hashed_files(site: Path, prefix: str = "theme") -> list[str]:
    """The site's hashed theme files, relative to its root."""
    folder = site / prefix
    if not folder.is_dir():
        return []
    return sorted(
        f"{prefix}/{path.relative_to(folder).as_posix()}"
        for path in folder.rglob("*")
        if path.is_file() and is_hashed(f"{prefix}/{path.relative_to(folder).as_posix()}")
    )
