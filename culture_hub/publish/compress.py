"""``.br`` and ``.gz`` twins of text files, made once per content.

Done when a site is deployed, not in the build: compressing every page at
the strongest level costs more than rendering it, and the build's speed is
what writers wait for. The twins are cached by the SHA-256 of the file, so a
second deploy compresses only the files that changed. Both encoders are
deterministic (gzip without a timestamp), so an unchanged page has
byte-identical twins and rsync, rclone and git see nothing to upload.

A twin that is not smaller than its file is not written: the server then
sends the file itself.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import brotli

from .serving import COMPRESSIBLE

BROTLI_QUALITY = 11
GZIP_LEVEL = 9


@dataclass
class Compressed:
    """What a run of :func:`add_twins` did."""

    made: list[str] = field(default_factory=list)  # compressed now
    reused: list[str] = field(default_factory=list)  # taken from the cache


def _encode(data: bytes, kind: str) -> bytes:
    if kind == "br":
        return brotli.compress(data, quality=BROTLI_QUALITY)
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


def _store(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    Path(temporary).replace(path)


def add_twins(site: Path, cache: Path) -> Compressed:
    """Write ``name.br`` and ``name.gz`` beside every HTML, CSS, JS, XML, JSON and SVG file.

    Cache entries this run did not use are removed, so the cache holds one
    site's worth of twins, not every version ever deployed.
    """
    done = Compressed()
    used: set[Path] = set()
    for path in sorted(site.rglob("*")):
        if path.suffix not in COMPRESSIBLE or not path.is_file() or path.is_symlink():
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        relative = path.relative_to(site).as_posix()
        fresh = False
        for kind in ("br", "gz"):
            cached = cache / digest[:2] / f"{digest}.{kind}"
            used.add(cached)
            if cached.is_file():
                twin = cached.read_bytes()
            else:
                twin = _encode(data, kind)
                _store(cached, twin)
                fresh = True
            if len(twin) < len(data):
                (path.parent / f"{path.name}.{kind}").write_bytes(twin)
        (done.made if fresh else done.reused).append(relative)
    if cache.is_dir():
        for entry in cache.rglob("*"):
            if entry.is_file() and entry not in used:
                entry.unlink()
    return done
