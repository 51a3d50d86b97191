"""The object store's release record, kept in the store itself.

An object store has no links to switch and no folders to keep releases in,
so what a rollback needs lives beside the site under a reserved prefix
(``_culture-hub/``) that no page may use and no generated config serves:

- ``_culture-hub/releases.json``: the releases kept, oldest first, each with
  its files (path and SHA-256 of the bytes), and which one is being served;
- ``_culture-hub/objects/<sha256>``: each distinct file's bytes once, so a
  rollback can put an older release's files back from any machine.

The record is written last, in one upload (a single object is replaced whole
by every store), so a deploy that fails half-way never makes a half release
current: the record still names the release before, and the next deploy or
rollback puts things right. A deploy or rollback reads the record again
before it sends the site and before it writes the record, and stops if
another one changed it meanwhile (``RcloneTarget._still_as_read``): the
last record written would otherwise win, and the store would forget the
other release. Any machine (a maintainer's, CI) reads the same
record, so a second machine's deploy knows what is live and sends only what
changed, and ``invoke rollback`` works from anywhere.

Pure: JSON text in and out, no rclone; the record read from the store is
checked like any other input, since a hand-edited one must not write outside
a temporary folder.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .releases import RELEASE_NAME, release_names
from .serving import RESERVED
from .settings import PublishError

RECORD = f"{RESERVED}/releases.json"
OBJECTS = f"{RESERVED}/objects"
FORMAT = 1
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


def digest_of(path: Path) -> str:
    """The SHA-256 of a file's bytes (the name of its object in the store)."""
    hasher = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def files_of(site: Path) -> dict[str, str]:
    """Every file of a prepared site: its path (``/``-separated) and digest."""
    return {
        path.relative_to(site).as_posix(): digest_of(path)
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def _safe_path(path: object) -> bool:
    """A relative path inside the site (a record never names ``..`` or the reserved prefix)."""
    if not isinstance(path, str) or not path or "\\" in path or "\x00" in path:
        return False
    parts = PurePosixPath(path).parts
    return (
        not path.startswith("/")
        and all(part not in ("", ".", "..") for part in parts)
        and parts[0] != RESERVED
    )


@dataclass
class Record:
    """The releases kept (oldest first), each one's files, and the one served."""

    current: str = ""
    releases: dict[str, dict[str, str]] = field(default_factory=dict)

    def names(self) -> list[str]:
        return release_names(list(self.releases))

    def files(self, release: str) -> dict[str, str]:
        return self.releases.get(release, {})

    def digests(self) -> set[str]:
        """Every object some kept release needs."""
        return {digest for files in self.releases.values() for digest in files.values()}

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "written_by": "culture-hub invoke publish; do not edit",
                "current": self.current,
                "releases": [
                    {"id": name, "files": dict(sorted(self.releases[name].items()))}
                    for name in self.names()
                ],
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str, where: str) -> Record:
        """Read a record; anything unexpected is one line saying how to start afresh."""
        fix = (
            f"{where} is not a release record culture-hub wrote ({{}}); delete it to start a "
            "new history (the site stays as it is; the next publish makes a first release)"
        )
        try:
            data = json.loads(text)
        except ValueError as error:
            raise PublishError(fix.format(f"not JSON: {error}")) from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise PublishError(fix.format(f"format is not {FORMAT}"))
        releases: dict[str, dict[str, str]] = {}
        entries = data.get("releases") or []
        if not isinstance(entries, list):
            raise PublishError(fix.format("the releases are not a list"))
        for entry in entries:
            name = entry.get("id") if isinstance(entry, dict) else None
            files = entry.get("files") if isinstance(entry, dict) else None
            if not isinstance(name, str) or not RELEASE_NAME.fullmatch(name):
                raise PublishError(fix.format(f"release id {name!r}"))
            if not isinstance(files, dict) or not all(
                _safe_path(path) and isinstance(d, str) and _DIGEST.fullmatch(d)
                for path, d in files.items()
            ):
                raise PublishError(fix.format(f"a file of release {name} is not a site path"))
            releases[name] = files
        current = data.get("current", "")
        if not isinstance(current, str) or (current and current not in releases):
            raise PublishError(fix.format(f"the current release {current!r} is not listed"))
        return cls(current, releases)
