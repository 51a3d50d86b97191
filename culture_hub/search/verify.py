"""Check what Pagefind wrote before the build publishes it. No Pelican import.

Pagefind 1.5 ignores its failed writes: on a full disk it still exits 0,
leaving an empty ``pagefind-entry.json``, scripts cut short at a block
boundary and index files that end mid-stream. So after each run every
bundle (``pagefind/``, ``pagefind-2/``...) is read back:

- ``pagefind-entry.json`` must parse and name each language's metadata;
- every compressed file (``*.pf_meta``, ``*.pf_index``, ``*.pf_fragment``,
  ``*.pf_filter``, ``wasm.*.pagefind``: gzip streams of Pagefind's
  ``pagefind_dcd`` format) must decompress to its end;
- every file a language's metadata names (a fragment per page, the word
  index chunks, the filter chunks) and its WebAssembly must be there;
- Pagefind's own scripts and styles must be byte for byte what this
  Pagefind produces, which it hands over in memory through its service mode
  (:class:`Assets`, fetched while the index is being built).

Reading back costs about 0.1 s of CPU for 5,000 stories (14 MB of index),
spread over the indexing threads.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import threading
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"
COMPRESSED = (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter", ".pagefind")
SERVICE_TIMEOUT = 120  # seconds; it answers in a few hundredths


class IncompleteIndex(Exception):
    """A file Pagefind should have written whole is missing or cut short."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def decompressed(path: str) -> bytes:
    """The whole content of one of Pagefind's compressed files, or ``IncompleteIndex``."""
    try:
        with open(path, "rb") as file:  # noqa: PTH123 - thousands of files: no Path objects
            data = file.read()
    except OSError as error:
        raise IncompleteIndex(Path(path), error.strerror or "it cannot be read") from None
    stream = zlib.decompressobj(wbits=31)  # gzip
    try:
        content = stream.decompress(data)
    except zlib.error:
        raise IncompleteIndex(Path(path), "it is not a whole compressed file") from None
    if not data or not stream.eof or stream.unused_data or not content.startswith(SIGNATURE):
        raise IncompleteIndex(Path(path), "it is cut short")
    return content


def files_in(folder: str) -> Iterator[str]:
    """Every file under ``folder``, as a path string (a bundle holds thousands)."""
    pending = [folder]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                else:
                    yield entry.path


def verify_bundle(folder: Path, assets: Mapping[str, bytes] | None) -> dict[str, str | None] | None:
    """Raise ``IncompleteIndex`` naming the first file of the bundle not written whole.

    ``assets`` are Pagefind's own files as it makes them (``None`` when they
    could not be had: those files are then only required not to be empty).
    Returns the fragments the bundle's metadata names, by file name, with
    the address each holds (``None``: one it does not say), read while
    every file is decompressed; ``None`` when the metadata has a layout
    this code does not know (a newer Pagefind).
    """
    entry_path = folder / ENTRY
    try:
        entry = json.loads(entry_path.read_bytes())
    except (OSError, ValueError):
        raise IncompleteIndex(entry_path, "it is missing or cut short") from None
    languages = entry.get("languages") if isinstance(entry, dict) else None
    if not isinstance(languages, dict):
        raise IncompleteIndex(entry_path, "it names no languages")
    root = str(folder)
    present = set(files_in(root))
    urls: dict[str, str | None] = {}
    metas: dict[str, bytes] = {}
    for path in present:
        if path.endswith(COMPRESSED):
            content = decompressed(path)
            if path.endswith(".pf_fragment"):
                urls[path] = fragment_url(content)
            elif path.endswith(".pf_meta"):
                metas[path] = content
    fragments: dict[str, str | None] | None = {}
    for language in languages.values():
        named, pages = _named_by(root, language, metas)
        for path in named:
            if path not in present:
                raise IncompleteIndex(Path(path), "it is missing")
        if pages is None or fragments is None:
            fragments = None
        else:
            fragments.update({path.rpartition("/")[2]: urls.get(path) for path in pages})
    _compare(folder, present, assets)
    return fragments


# How serde writes a fragment: its ``url`` first, a JSON string.
FRAGMENT_URL = re.compile(rb'\{"url":("(?:[^"\\]|\\.)*")')


def fragment_url(content: bytes) -> str | None:
    """The address a decompressed fragment holds (``None``: it holds none)."""
    data = content[len(SIGNATURE) :]
    found = FRAGMENT_URL.match(data)
    try:
        if found:
            url = json.loads(found[1])
        else:  # another field order: read it whole
            whole = json.loads(data)
            url = whole.get("url") if isinstance(whole, dict) else None
    except (ValueError, RecursionError):
        return None
    return url if isinstance(url, str) else None


def _compare(folder: Path, present: set[str], assets: Mapping[str, bytes] | None) -> None:
    """Pagefind's own files, as it makes them (only not empty, without ``assets``)."""
    if assets is None:
        for path in present:
            if path.endswith((".js", ".css")) and os.stat(path).st_size == 0:  # noqa: PTH116
                raise IncompleteIndex(Path(path), "it is empty")
        return
    for name, content in assets.items():
        path = folder / name
        if str(path) not in present:
            raise IncompleteIndex(path, "it is missing")
        if path.read_bytes() != content:
            raise IncompleteIndex(path, "it is not the file Pagefind makes (cut short?)")


def _named_by(
    root: str, language: Any, metas: Mapping[str, bytes]
) -> tuple[list[str], list[str] | None]:
    """The files one language of a bundle needs: its metadata, WebAssembly and what the
    metadata names (``[version, [[page hash, words]...], [[from, to, hash]...],
    [[filter, hash]...], ...]``, CBOR after the signature); and of those, the pages'
    fragments (``None`` for metadata laid out otherwise). ``metas``: the metadata files
    already decompressed, by path."""
    if not isinstance(language, dict) or "hash" not in language:
        raise IncompleteIndex(Path(root, ENTRY), "it does not name a language's files")
    meta_path = f"{root}/pagefind.{language['hash']}.pf_meta"
    needed = [meta_path]
    if language.get("wasm"):
        needed.append(f"{root}/wasm.{language['wasm']}.pagefind")
    if meta_path not in metas:
        return needed, None  # reported as missing by the caller
    try:
        meta = decode_cbor(metas[meta_path][len(SIGNATURE) :])
    except ValueError:
        raise IncompleteIndex(Path(meta_path), "its contents end early") from None
    known = isinstance(meta, list) and len(meta) >= 4
    if not (known and all(isinstance(part, list) for part in meta[1:4])):
        return needed, None  # another layout (a newer Pagefind): the files were still decompressed
    pages, chunks, filters = meta[1], meta[2], meta[3]
    if isinstance(language.get("page_count"), int) and language["page_count"] != len(pages):
        raise IncompleteIndex(Path(meta_path), "it does not list every page")
    fragments = [f"{root}/fragment/{page[0]}.pf_fragment" for page in pages]
    needed += fragments
    needed += [f"{root}/index/{chunk[2]}.pf_index" for chunk in chunks]
    needed += [f"{root}/filter/{each[1]}.pf_filter" for each in filters]
    return needed, fragments


def decode_cbor(data: bytes) -> Any:
    """The value CBOR-encoded in ``data`` (definite lengths: what Pagefind writes).

    ``ValueError`` when the data ends early or holds more than one value.
    """
    value, end = _item(data, 0)
    if end != len(data):
        raise ValueError("data after the value")
    return value


def _length(data: bytes, at: int, info: int) -> tuple[int, int]:
    if info < 24:
        return info, at
    sizes = {24: 1, 25: 2, 26: 4, 27: 8}
    if info not in sizes:
        raise ValueError("indefinite or reserved length")
    end = at + sizes[info]
    if end > len(data):
        raise ValueError("ends early")
    return int.from_bytes(data[at:end], "big"), end


def _item(data: bytes, at: int) -> tuple[Any, int]:  # noqa: PLR0911 - one per CBOR type
    if at >= len(data):
        raise ValueError("ends early")
    kind, info = data[at] >> 5, data[at] & 0x1F
    if kind == 7:  # simple values and floats: Pagefind writes none that matter here
        size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info, 0)
        if at + 1 + size > len(data):
            raise ValueError("ends early")
        return {20: False, 21: True, 22: None}.get(info), at + 1 + size
    number, at = _length(data, at + 1, info)
    if kind == 0:
        return number, at
    if kind == 1:
        return -1 - number, at
    if kind in {2, 3}:
        if at + number > len(data):
            raise ValueError("ends early")
        chunk = data[at : at + number]
        return (chunk.decode("utf-8", "replace") if kind == 3 else chunk), at + number
    if kind == 4:
        items = []
        for _ in range(number):
            item, at = _item(data, at)
            items.append(item)
        return items, at
    if kind == 5:
        mapping = {}
        for _ in range(number):
            key, at = _item(data, at)
            mapping[repr(key)], at = _item(data, at)
        return mapping, at
    return _item(data, at)  # kind 6: a tag, then its value


class Assets:
    """Pagefind's own files (scripts, styles, the fallback WebAssembly) as this
    Pagefind makes them, fetched once per process in the background."""

    cache: ClassVar[dict[str, dict[str, bytes] | None]] = {}
    lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, executable: str) -> None:
        self.executable = executable
        self.thread = threading.Thread(target=self._fetch, daemon=True)
        self.thread.start()

    def _fetch(self) -> None:
        with Assets.lock:
            if self.executable not in Assets.cache:
                try:
                    Assets.cache[self.executable] = service_files(self.executable)
                except (OSError, ValueError, KeyError, subprocess.SubprocessError):
                    Assets.cache[self.executable] = None

    def get(self) -> dict[str, bytes] | None:
        """The files by name (``None`` if Pagefind's service mode did not give them)."""
        self.thread.join()
        return Assets.cache.get(self.executable)


def service_files(executable: str) -> dict[str, bytes]:
    """The files Pagefind writes for every site, from an empty index in its service
    mode (messages are base64-encoded JSON, each followed by a comma)."""
    process = subprocess.Popen(
        [executable, "--service"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    timer = threading.Timer(SERVICE_TIMEOUT, process.kill)
    timer.start()
    try:
        assert process.stdin is not None and process.stdout is not None
        reader = _Messages(process.stdout)
        _send(process.stdin, {"message_id": 1, "payload": {"type": "NewIndex"}})
        index = reader.answer(1)["index_id"]
        _send(process.stdin, {"message_id": 2, "payload": {"type": "GetFiles", "index_id": index}})
        files = reader.answer(2)["files"]
        process.stdin.close()
    finally:
        timer.cancel()
        process.kill()
        process.wait()
    return {
        item["path"]: base64.b64decode(item["content"])
        for item in files
        if item["path"] != ENTRY  # each index has its own
    }


def _send(pipe: Any, message: dict[str, Any]) -> None:
    pipe.write(base64.b64encode(json.dumps(message).encode()) + b",")
    pipe.flush()


class _Messages:
    """Pagefind service answers, read from its standard output."""

    def __init__(self, pipe: Any) -> None:
        self.pipe = pipe
        self.buffer = b""

    def answer(self, message_id: int) -> dict[str, Any]:
        while True:
            while b"," not in self.buffer:
                chunk = self.pipe.read1(1 << 20)
                if not chunk:
                    raise ValueError("Pagefind's service stopped")
                self.buffer += chunk
            raw, _, self.buffer = self.buffer.partition(b",")
            message = json.loads(base64.b64decode(raw))
            payload = message.get("payload", {})
            if payload.get("type") == "Error":
                raise ValueError(f"Pagefind's service: {payload.get('message')}")
            if message.get("message_id") == message_id:
                return payload


def disk_full(folder: Path, margin: int = 1 << 20) -> bool:
    """Whether the disk holding ``folder`` has (almost) no space left for this user:
    the likely reason why Pagefind, which ignores its failed writes, left a file short."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        stats = os.statvfs(probe)
    except (OSError, AttributeError):  # no statvfs (Windows): unknown
        return False
    blocks = stats.f_bfree if hasattr(os, "geteuid") and os.geteuid() == 0 else stats.f_bavail
    return blocks * stats.f_frsize < margin
