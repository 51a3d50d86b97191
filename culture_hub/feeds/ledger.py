"""Feed identity that never changes: a small ledger of what was published when.

Schedulers post an item again when its GUID changes, and skip it when its date
is older than their last poll. So each article gets, once, a GUID and the
moment it first appeared in a build, kept in a JSON ledger in the content
folder (commit it with the content; the publish workflow does). A GUID is the
``id`` front matter if given, else derived from the file's path at its first
publication; a renamed file is recognised by its unchanged body or its title
and date.

Each entry also remembers every address (site-relative URL) the article was
published at: when a title change moves a story, its old addresses redirect
to the new one (see ``redirects.py``), so every link already posted keeps
working. Ledgers written before addresses were kept simply lack the field.
No Pelican import.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from culture_hub.reserved import RESERVED, is_reserved_step

NAMESPACE = uuid.UUID("6f1d1f0e-8a57-4c55-9d0b-9a4c1e2b7c11")


@dataclass
class Entry:
    guid: str
    path: str
    first_seen: str
    body: str
    key: str
    addresses: list[str] = field(default_factory=list)


FIELDS = {"guid", "path", "first_seen", "body", "key"}  # every entry has these strings
# An address is where a story was published: a pretty folder of at least two steps
# (``stories/old-title/``), each step plain ASCII letters, digits and . _ ~ - (as
# Pelican's slugs are; the deploy step's ``_redirects`` check takes the same), not "."
# or "..", no leading "/". Never a file (``robots.txt``, ``feeds/all.json``,
# ``404.html``, ``_redirects``): those are the site's own, and a redirect there would
# take them over. (Folders the site writes are kept out in ``redirects``.)
_ADDRESS = re.compile(r"^(?!.*(?:^|/)\.\.?/)(?:[A-Za-z0-9._~-]+/){2,}\Z")


class LedgerError(ValueError):
    """The ledger file cannot be read; ``line`` is where (1-based)."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def _reserved(address: str) -> bool:
    """Whether an address passes through the publisher's reserved folder (any case): a
    redirect from there would claim the place the object store keeps its release record."""
    return any(is_reserved_step(step) for step in address.split("/"))


def _entry(item: object) -> Entry | None:
    """An entry from its JSON, or ``None`` when a field is missing or wrong."""
    if not isinstance(item, dict) or set(item) - {"addresses"} != FIELDS:
        return None
    if not all(isinstance(item[name], str) for name in FIELDS):
        return None
    addresses = item.get("addresses", [])
    if not isinstance(addresses, list) or not all(
        isinstance(a, str) and _ADDRESS.match(a) and not _reserved(a) for a in addresses
    ):
        return None
    try:
        seen = datetime.fromisoformat(item["first_seen"])
    except ValueError:
        return None
    return Entry(**{**item, "addresses": list(addresses)}) if seen.tzinfo is not None else None


def is_address(text: str) -> bool:
    """Whether ``text`` is a safe site-relative address (see ``_ADDRESS``)."""
    return bool(_ADDRESS.match(text)) and not _reserved(text)


def _bad_address(item: object) -> object | None:
    """The first address in ``item`` that is not a safe site-relative path, if any."""
    addresses = item.get("addresses", []) if isinstance(item, dict) else []
    if not isinstance(addresses, list):
        return None
    for address in addresses:
        if not isinstance(address, str) or not _ADDRESS.match(address) or _reserved(address):
            return address
    return None


@dataclass(frozen=True)
class Identity:
    guid: str
    first_seen: datetime


class Ledger:
    def __init__(self, path: Path | None, entries: dict[str, Entry], fresh: bool) -> None:
        self.path = path
        self.entries = entries
        self.fresh = fresh
        self.changed = False
        self._by_path: dict[str, list[Entry]] = {}
        for entry in entries.values():
            self._by_path.setdefault(entry.path, []).append(entry)
        self._orphans: list[Entry] | None = None  # entries whose file is gone, found once

    @classmethod
    def load(cls, path: Path | None) -> Ledger:
        """The ledger at ``path`` (empty if there is none yet).

        Raises :class:`LedgerError` at the line of the first thing wrong: a
        ledger that cannot be trusted must stop a publish build, not reissue
        every GUID (schedulers would post everything again).
        """
        if path is None or not path.is_file():
            return cls(path, {}, fresh=True)
        text = path.read_text(encoding="utf-8")
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as error:
            raise LedgerError(error.lineno, f"it is not valid JSON ({error.msg})") from None
        items = raw.get("items") if isinstance(raw, dict) else None
        if not isinstance(items, list):
            raise LedgerError(1, 'it is not an object with a list of "items"')
        entries: dict[str, Entry] = {}
        for item in items:
            entry = _entry(item)
            bad = _bad_address(item)
            if bad is not None:
                at = text.find(json.dumps(bad, ensure_ascii=False))
                reason = (
                    f"the address {bad!r} uses '{RESERVED}', a name the site keeps for its "
                    "own publishing records, so nothing may redirect from there"
                    if isinstance(bad, str) and _reserved(bad)
                    else f"the address {bad!r} is not a story's address (like "
                    "'stories/my-story/': folders of plain letters, digits and - ending "
                    "in '/', no '..', no leading '/', never a file)"
                )
                raise LedgerError(text.count("\n", 0, at) + 1 if at >= 0 else 1, reason)
            if entry is None:
                guid = item.get("guid") if isinstance(item, dict) else None
                at = text.find(json.dumps(guid)) if isinstance(guid, str) else -1
                line = text.count("\n", 0, at) + 1 if at >= 0 else 1
                raise LedgerError(
                    line,
                    f"the item {guid!r} is not a complete ledger entry (guid, path, first_seen, "
                    "body, key, and addresses: a list of site-relative addresses)",
                )
            entries[entry.guid] = entry
        return cls(path, entries, fresh=False)

    def save(self) -> None:
        if self.path is None or not self.changed:
            return
        items = [
            {k: v for k, v in asdict(e).items() if k != "addresses" or v}
            for e in sorted(self.entries.values(), key=lambda e: e.guid)
        ]
        text = json.dumps({"version": 1, "items": items}, indent=1, ensure_ascii=False) + "\n"
        self.path.write_text(text, encoding="utf-8")

    def _remember(self, entry: Entry, address: str) -> Identity:
        previous = self.entries.get(entry.guid)
        entry.addresses = list(previous.addresses) if previous else []
        if address and is_address(address) and address not in entry.addresses:
            entry.addresses.append(address)
        if previous != entry:
            self.entries[entry.guid] = entry
            self._by_path.setdefault(entry.path, []).append(entry)
            self.changed = True
        return Identity(entry.guid, datetime.fromisoformat(entry.first_seen))

    def identify(
        self,
        *,
        path: str,
        body: str,
        key: str,
        date: datetime,
        now: datetime,
        explicit_id: str = "",
        address: str = "",
        prefix: str = "urn:culture-hub:",
        exists: Callable[[str], bool] = lambda _path: True,
    ) -> Identity:
        """The GUID and first appearance of one article, recorded if new.

        ``address`` (site-relative URL) joins the addresses the article was published at.
        """
        body_print = body  # already a digest of the source text (content_model's reader)
        # A brand-new ledger is a new site: nothing was seen before, use the dates.
        first = (date if self.fresh else max(date, now)).isoformat()
        if explicit_id:
            guid = f"{prefix}{explicit_id}"
            known = self.entries.get(guid)
            seen = known.first_seen if known else first
            return self._remember(Entry(guid, path, seen, body_print, key), address)
        same_path = list(self._by_path.get(path, []))
        if not same_path:
            if self._orphans is None:
                self._orphans = [e for e in self.entries.values() if not exists(e.path)]
            same_path = [e for e in self._orphans if e.body == body_print or e.key == key]
        if same_path:
            known = min(same_path, key=lambda e: e.guid)
            return self._remember(
                Entry(known.guid, path, known.first_seen, body_print, key), address
            )
        guid = f"{prefix}{uuid.uuid5(NAMESPACE, f'{path}|{first}')}"
        return self._remember(Entry(guid, path, first, body_print, key), address)

    def first_address(self, guid: str) -> str:
        """The address ``guid`` was first published at (``""`` if none is known)."""
        entry = self.entries.get(guid)
        return entry.addresses[0] if entry and entry.addresses else ""

    def addresses(self) -> dict[str, list[str]]:
        """Every address each GUID was published at, oldest first."""
        return {guid: list(e.addresses) for guid, e in self.entries.items() if e.addresses}
