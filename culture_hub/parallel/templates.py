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

import hashlib
from collections.abc import MutableMapping
from types import CodeType
from typing import Any

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache

from culture_hub.run import Run


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
