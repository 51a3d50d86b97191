"""One compile per template per run, shared by every generator's Jinja environment.

Pelican gives each generator an environment of its own, and each compiles
the templates it renders: ``base.html`` and its partials were compiled four
times a build, a tenth of a second of the parent's serial time before any
page is rendered. Jinja's bytecode cache is the documented way to share the
compiled code; this one keeps it in memory, for the run only (a part of
``culture_hub.run.Run``), keyed by the template's source and everything in
the environment that changes what the source compiles to, so two
environments configured differently never share code.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import pickle
import select
import signal
import time
from collections.abc import MutableMapping
from functools import partial
from pathlib import Path
from types import CodeType
from typing import Any

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache

from culture_hub.run import Run

from .forking import die_with_parent, interrupts_held, run_and_leave


def compile_options(environment: Environment) -> tuple[Any, ...]:
    """What, besides its source, decides a template's compiled code."""
    return (
        environment.block_start_string, environment.block_end_string,
        environment.variable_start_string, environment.variable_end_string,
        environment.comment_start_string, environment.comment_end_string,
        environment.line_statement_prefix, environment.line_comment_prefix,
        environment.trim_blocks, environment.lstrip_blocks, environment.newline_sequence,
        environment.keep_trailing_newline, environment.optimized, environment.is_async,
        repr(environment.autoescape), repr(environment.finalize),
        tuple(sorted(environment.extensions)), environment.code_generator_class,
        environment.context_class,
    )  # fmt: skip


class SharedTemplates(BytecodeCache):
    """Compiled templates of one run, by source and compile options."""

    def __init__(self) -> None:
        self.code: dict[str, CodeType] = {}

    @classmethod
    def of(cls, settings: MutableMapping[str, Any]) -> SharedTemplates:
        return Run.of(settings).part(cls)

    def get_bucket(
        self, environment: Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        key = repr((compile_options(environment), name, filename))
        checksum = self.get_source_checksum(source)
        bucket = Bucket(environment, hashlib.sha256(key.encode()).hexdigest(), checksum)
        bucket.code = self.code.get(f"{bucket.key}:{checksum}")
        return bucket

    def set_bucket(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self.code[f"{bucket.key}:{bucket.checksum}"] = bucket.code

    def load_bytecode(self, bucket: Bucket) -> None:
        """Not used: ``get_bucket`` reads the dict itself."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Not used: ``set_bucket`` writes the dict itself."""


def share_compiled_templates(environment: Environment, settings: MutableMapping[str, Any]) -> None:
    """Let ``environment`` use (and add to) the run's compiled templates, unless it has a
    bytecode cache of its own (``JINJA_ENVIRONMENT``)."""
    if environment.bytecode_cache is None:
        environment.bytecode_cache = SharedTemplates.of(settings)


def theme_folders(settings: MutableMapping[str, Any]) -> list[Path]:
    """Where Pelican looks for the theme's templates, in its order (its documented
    ``THEME_TEMPLATES_OVERRIDES``, then the theme's ``templates`` folder)."""
    overrides = [
        Path(folder).expanduser() for folder in settings.get("THEME_TEMPLATES_OVERRIDES", ())
    ]
    return [*overrides, Path(settings["THEME"]).expanduser() / "templates"]


def template_names(folders: list[Path]) -> list[str]:
    """Every template in ``folders``, by the name Jinja loads it with."""
    return sorted({
        path.relative_to(folder).as_posix()
        for folder in folders if folder.is_dir()
        for path in folder.rglob("*") if path.is_file() and not path.name.startswith(".")
    })  # fmt: skip


# Seconds the build waits for the templates compiled aside (it takes a tenth of one).
COMPILE_TIMEOUT = 30


class Compiling:
    """The theme's templates, compiled by a forked child while the build goes on.

    Each page writer compiled every template it rendered when it began, 0.06 s
    of each one's time at 500 stories. Between reading and writing the build
    runs in one process, with a core idle: a child forked there compiles every
    template of the theme and sends the code back (``marshal``, as Jinja's own
    bytecode caches keep it); ``take`` puts it in the run's ``SharedTemplates``
    before the writers fork. A template the child cannot compile (a filter its
    environment lacks, a mistake) is compiled where it is rendered, as before,
    and fails there if it fails.
    """

    def __init__(self, pid: int, pipe: int, shared: SharedTemplates) -> None:
        self.pid = pid
        self.pipe = pipe
        self.shared = shared

    @classmethod
    def start(
        cls, environment: Environment, names: list[str], shared: SharedTemplates
    ) -> Compiling:
        read_end, write_end = os.pipe()
        with interrupts_held():
            pid = os.fork()
            if pid == 0:  # the child: never returns
                os.close(read_end)
                run_and_leave(partial(_compile, environment, names, shared, write_end))
        os.close(write_end)
        return cls(pid, read_end, shared)

    def take(self, timeout: float = COMPILE_TIMEOUT) -> int:
        """Wait for the child's code and keep it; how many templates it sent. A child
        still at it after ``timeout`` seconds is stopped: the writers compile."""
        chunks = []
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.pipe], [], [], left)[0]:
                self.stop()
                return 0
            chunk = os.read(self.pipe, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        self._close()
        status = os.waitpid(self.pid, 0)[1]
        data = b"".join(chunks)
        if status != 0 or not data:  # it failed: the writers compile, as without it
            return 0
        sent: dict[str, bytes] = pickle.loads(data)  # our own child's data
        for key, code in sent.items():
            self.shared.code.setdefault(key, marshal.loads(code))
        return len(sent)

    def stop(self) -> None:
        """The run failed or ended first: the child goes, unheard."""
        self._close()
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)

    def _close(self) -> None:
        if self.pipe >= 0:
            os.close(self.pipe)
            self.pipe = -1


def _compile(environment: Environment, names: list[str], shared: SharedTemplates, pipe: int) -> int:
    die_with_parent()
    for name in names:
        with contextlib.suppress(Exception):  # compiled, and reported, where it is rendered
            environment.get_template(name)
    sent = {key: marshal.dumps(code) for key, code in shared.code.items()}
    with os.fdopen(pipe, "wb") as out:
        pickle.dump(sent, out, protocol=pickle.HIGHEST_PROTOCOL)
    return 0
