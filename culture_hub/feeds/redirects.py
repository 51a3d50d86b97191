"""Addresses that never die: old addresses of a story lead to its new one. No Pelican import.

A story's address comes from its title, so a title change moves it, and
every link already posted would break. The feed ledger remembers every
address each story was published at; every build then writes, for each old
address no other page now uses:

- a static redirect page at the old address (works on any static host), and
- a line in ``_redirects`` at the site's root, in Netlify's format
  (``/old/path/ /new/path/ 301``), which the publishing work turns into
  server configs (nginx) so the redirect is a real 301.

Paths in ``_redirects`` are site-relative (they start at the site's root, as
Netlify reads them); the redirect page points at the absolute new address.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from markupsafe import escape

from .ledger import is_address

REDIRECTS_FILE = "_redirects"


@dataclass(frozen=True, order=True)
class Redirect:
    old: str  # site-relative, without a leading "/"
    new: str

    def line(self) -> str:
        return f"/{self.old} /{self.new} 301"


def redirects(
    known: Mapping[str, list[str]], current: Mapping[str, str], taken: Iterable[str] = ()
) -> list[Redirect]:
    """Old address → current address, for every GUID still published.

    ``known``: every address each GUID was published at; ``current``: each
    published GUID's address now; ``taken``: other addresses the site uses
    now (pages). An old address not shaped like a story's now (another
    first folder, or another depth) is never redirected: the site's own
    folders (``search/``, ``tags/x/``) keep their pages. An old address that a
    page uses now is that page's, not a
    redirect; one that two stories once held goes to the first GUID in sorted
    order (the ledger does not say which held it last; this way every build
    agrees). A current address that could
    break a ``_redirects`` line (a space, a quote) is never a target.
    """
    used = set(current.values()) | set(taken)
    current = {guid: new for guid, new in current.items() if is_address(new)}
    # Only an address shaped like a story's (in a folder stories live in, as deep) is
    # redirected: anything else the site writes (search/, tags/x/, feeds/...) stays its own.
    shapes = {(new.split("/", 1)[0], new.count("/")) for new in current.values()}
    found: dict[str, Redirect] = {}
    for guid in sorted(known):
        new = current.get(guid)
        if new is None:
            continue  # no longer published: nothing to lead to
        for old in known[guid]:
            shaped = (old.split("/", 1)[0], old.count("/")) in shapes
            if shaped and old != new and old not in used and old not in found:
                found[old] = Redirect(old, new)
    return sorted(found.values())


def redirects_file(found: Iterable[Redirect]) -> str:
    """The ``_redirects`` file: one ``/old/ /new/ 301`` line per redirect."""
    return "".join(f"{r.line()}\n" for r in found)


def page_path(address: str) -> str:
    """The output file that serves ``address`` (``a/b/`` → ``a/b/index.html``)."""
    return f"{address}index.html" if address.endswith("/") or not address else address


def redirect_page(target: str, title: str) -> str:
    """A page that sends browsers and crawlers on at once (and people, by a link)."""
    url, name = escape(target), escape(title)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">\n'
        f"<title>{name}</title>\n"
        f'<link rel="canonical" href="{url}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={url}">\n'
        "</head><body>\n"
        f'<p>This story has moved: <a href="{url}">{name}</a>.</p>\n'
        "</body></html>\n"
    )
