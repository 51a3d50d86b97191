"""Theme files named by their content: ``css/site.css`` is served as ``css/site.<hash>.css``.

A name that changes whenever the bytes change can be cached for a year
(``immutable``): a changed stylesheet gets a new name, so no visitor keeps a
stale one. Templates ask for the name with ``asset('css/site.css')``; the build
writes each theme file under its hashed name beside the plain one (feeds,
link-preview images and anything else linked from outside keep stable names).

Pure: no Pelican import. The plugin hands in the theme's static folders.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

# CSS, JavaScript and the theme's images: the files a page loads on every visit.
HASHED_SUFFIXES = frozenset(
    {".css", ".js", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico", ".woff2"}
)
HASH_LENGTH = 10
# What the server configurations treat as a hashed (immutable) name.
HASHED_NAME = re.compile(rf"\.[0-9a-f]{{{HASH_LENGTH}}}\.[A-Za-z0-9]+$")


class AssetError(LookupError):
    """A template asked for a theme file that does not exist."""


def hashed_name(relative: str, data: bytes) -> str:
    """``css/site.css`` with these bytes -> ``css/site.<first 10 hex of sha256>.css``."""
    path = PurePosixPath(relative)
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


@dataclass
class Assets:
    """The theme's files that get hashed names: plain relative name -> hashed one."""

    folders: tuple[Path, ...]
    prefix: str = "theme"
    names: dict[str, str] = field(default_factory=dict)
    sources: dict[str, Path] = field(default_factory=dict)

    @classmethod
    def scan(cls, folders: tuple[Path, ...], prefix: str = "theme") -> Assets:
        """Hash every CSS, JS and image file under the theme's static folders (a later folder
        wins, as in Pelican's copy)."""
        assets = cls(folders, prefix)
        for folder in folders:
            if not folder.is_dir():
                continue
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.is_symlink() and path.suffix in HASHED_SUFFIXES:
                    relative = path.relative_to(folder).as_posix()
                    assets.names[relative] = hashed_name(relative, path.read_bytes())
                    assets.sources[relative] = path
        return assets

    def url(self, relative: str) -> str:
        """The site-relative address of a theme file by its hashed name."""
        key = relative.lstrip("/")
        if key.startswith(f"{self.prefix}/"):
            key = key[len(self.prefix) + 1 :]
        found = self.names.get(key)
        if found is None:
            raise AssetError(
                f"asset({relative!r}): the theme has no such CSS, JavaScript or image file "
                f"(known: {', '.join(sorted(self.names)) or 'none'}); fix the name in the template"
            )
        return f"{self.prefix}/{found}"

    def write(self, output: Path) -> list[Path]:
        """Copy each file to its hashed name under ``output/<prefix>/``."""
        written = []
        for relative, hashed in self.names.items():
            target = output / self.prefix / hashed
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.sources[relative], target)
            written.append(target)
        return written
