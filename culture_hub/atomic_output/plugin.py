"""Pelican glue: refuse a dangerous output folder, build aside, swap in only what is whole.

- ``initialized`` (the first signal of a run, before anything is written or
  deleted): the output folder is checked (``safety``) and a dangerous one
  ends the build with one line and exit code 1. The run is then guarded: an
  ``OSError`` from any step (a full disk, a read-only disk) ends the build
  with one plain line (``failures``) instead of Pelican's traceback.
- ``get_generators`` (the first signal of ``Pelican.run``, still before
  anything is written or deleted): the output folder is searched for Git
  repositories below its top, which walks an existing site (an unchanged
  build, stopped by ``uptodate`` at ``initialized``, is spared it); folders
  left beside the output by killed builds go; with ``ATOMIC_OUTPUT`` the run
  is pointed at a staging folder.
- ``finalized`` (after the pages, the feeds and the search index are
  written; this capability comes after them in ``culture_hub.CAPABILITIES``): Pelican's static
  copies are checked (``copies``), then the staging folder is swapped in.
"""

from __future__ import annotations

import atexit
import signal
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican import signals

from culture_hub import pelican_internals
from culture_hub.declare import value
from culture_hub.run import Run

from .copies import Copy, incomplete, theme_copies
from .failures import absolute, consequence, fail, shown, write_failure
from .safety import Protected, real, refusal
from .settings import ATOMIC_OUTPUT
from .swap import Staging, remove_leftovers

# A folder holding one of these is a culture-hub project (the live preview and
# `invoke check` run Pelican without naming a settings file on the command line).
PROJECT_FILES = ("pelicanconf.py", "publishconf.py")
# The plugins' own code, which no output folder may be or hold.
PACKAGE = Path(__file__).resolve().parent.parent


@dataclass
class AtomicRun:
    """This capability's part of a run (``culture_hub.run``): where it writes
    aside, whether it was swapped in, its static generator, and the copies
    Pelican reported as failed (by target)."""

    staging: Staging | None = None
    published: bool = False
    statics: Any = None
    copy_errors: dict[str, OSError] = field(default_factory=dict)


def _run(pelican: Any) -> AtomicRun:
    return Run.of(pelican.settings).part(AtomicRun)


def settings_files(argv: list[str] | None = None) -> list[Path]:
    """The settings file given on the command line (``-s``/``--settings``), if any.

    Pelican does not keep the name of the file it read its settings from; the
    folder holding it is the project, which the output must never be or hold.
    """
    args = sys.argv[1:] if argv is None else argv
    found = []
    for index, arg in enumerate(args):
        value = ""
        if arg in {"-s", "--settings"} and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith("--settings="):
            value = arg.partition("=")[2]
        elif arg.startswith("-s") and not arg.startswith("--") and len(arg) > 2:
            value = arg[2:]
        if value and Path(value).is_file():
            found.append(Path(value))
    return found


def protected(pelican: Any) -> Protected:
    """The folders this run's output must keep clear of, from its settings."""
    settings = pelican.settings
    theme = Path(pelican.theme)
    try:
        home: Path | None = Path.home()
    except RuntimeError:  # no home folder known
        home = None
    try:
        here: tuple[Path, ...] = (Path.cwd(),)
    except OSError:  # the current folder was deleted
        here = ()
    return Protected(
        content=Path(pelican.path),
        theme=theme if theme.is_dir() else None,
        projects=(*(path.resolve().parent for path in settings_files()), *here),
        plugins=(
            PACKAGE,
            *(Path(p) for p in settings.get("PLUGIN_PATHS", ()) if Path(p).is_dir()),
        ),
        home=home,
        retained=frozenset(settings.get("OUTPUT_RETENTION", ())),
        owned=(
            *(path.resolve().parent for path in settings_files()),
            *(folder for folder in here if any((folder / n).is_file() for n in PROJECT_FILES)),
        ),
    )


def check_output(pelican: Any) -> None:
    """Sent when Pelican starts: refuse a dangerous output folder, then guard the run."""
    message = refusal(pelican.output_path, protected(pelican), deep=False)
    if message:
        fail(message)
    if not value(pelican.settings, "LIVE_PREVIEW"):  # the preview reports and serves on
        guard(pelican)


INTERRUPTED = 130  # a shell's exit code for a command stopped by Ctrl-C (128 + SIGINT)
TERMINATED = 143  # and for one stopped by SIGTERM (128 + SIGTERM)


class Terminated(KeyboardInterrupt):
    """SIGTERM (a scheduler's time limit, a service manager, a cancelled CI job): the
    build stops as it does at Ctrl-C, through the same clean-up (forked children
    stopped, Pagefind stopped, the staging folder removed). Python's own SIGTERM
    ends the process at once, leaving Pagefind writing on into a staging folder
    nobody removes."""


def _terminated(_signal: int, _frame: Any) -> None:
    raise Terminated


def stop_on_sigterm() -> None:
    """In a command-line build's main thread: SIGTERM raises ``Terminated``."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminated)


def guard(pelican: Any) -> None:
    """Make a failed write end the run in one plain line, not Pelican's traceback."""

    def on_failure(error: OSError) -> None:
        state = _run(pelican)
        staging = state.staging
        final = staging.final if staging else real(pelican_internals.final_output(pelican))
        folders = [final, *([staging.staging] if staging else [])]
        atomic = ATOMIC_OUTPUT.read(pelican.settings)
        message = write_failure(
            error, output=final, folders=folders, atomic=atomic, published=state.published
        )
        fail(message, error, debug=bool(pelican.settings.get("DEBUG", False)))

    pelican_internals.guard_run(pelican, OSError, on_failure)

    def on_interrupt(error: KeyboardInterrupt) -> None:
        # Pelican reports Ctrl-C and exits 0: a deploy script would publish on.
        if _run(pelican).published:
            outcome = "the new site had already been published"
        elif ATOMIC_OUTPUT.read(pelican.settings):
            outcome = "nothing was published; the last output is as it was"
        else:
            outcome = "the output folder may be incomplete; build again"
        how = "SIGTERM" if isinstance(error, Terminated) else "Ctrl-C"
        print(f"The build was stopped before it finished ({how}): {outcome}.", file=sys.stderr)
        raise SystemExit(TERMINATED if isinstance(error, Terminated) else INTERRUPTED)

    pelican_internals.guard_run(pelican, KeyboardInterrupt, on_interrupt)
    stop_on_sigterm()


def start_run(pelican: Any) -> None:
    final = Path(pelican_internals.final_output(pelican))
    message = refusal(final, protected(pelican))  # now with the repositories below its top
    if message:
        fail(message)
    state = _run(pelican)
    pelican_internals.watch_failed_copies(state.copy_errors.__setitem__)
    remove_leftovers(real(final))
    if not ATOMIC_OUTPUT.read(pelican.settings):
        return
    staging = Staging.beside(final)
    pelican_internals.write_run_into(pelican, str(staging.prepare()))
    state.staging = staging
    # A failed run raises past `finalized`: remove its half-written folder.
    atexit.register(staging.abandon)


def remember_statics(generator: Any) -> None:
    Run.of(generator.settings).part(AtomicRun).statics = generator


def check_copies(pelican: Any) -> None:
    """Every static file Pelican copied is whole, or the build fails (before any swap)."""
    state = _run(pelican)
    generator, state.statics = state.statics, None
    if generator is None:
        return
    settings = pelican.settings
    output = Path(pelican.output_path)
    copies = [
        Copy(Path(generator.path) / static.source_path, output / static.save_as)
        for static in generator.context.get("staticfiles", ())
        if static.save_as  # an empty save_as: not copied
    ]
    copies += theme_copies(
        Path(generator.theme), settings.get("THEME_STATIC_PATHS", ()),
        settings.get("THEME_STATIC_DIR", "theme"), output, settings.get("IGNORE_FILES", ()),
    )  # fmt: skip
    for copy, problem in incomplete(copies):
        error = state.copy_errors.get(str(absolute(copy.target)))
        staging = state.staging
        final = staging.final if staging else output
        atomic = ATOMIC_OUTPUT.read(settings)
        if error is not None:
            fail(write_failure(error, output=final, folders=[output], atomic=atomic))
        fail(
            f"The build could not copy {shown(copy.source)} to {shown(copy.target)}: {problem}; "
            f"{consequence(final, atomic=atomic, published=False)} "
            "(check the space and permissions of the output folder and build again)."
        )


def finish_run(pelican: Any) -> None:
    check_copies(pelican)
    state = _run(pelican)
    pelican_internals.watch_failed_copies(None)
    staging = state.staging
    if staging is None or not staging.staging.exists():
        return
    staging.commit(tuple(pelican.settings.get("OUTPUT_RETENTION", ())))
    state.published = True
    pelican_internals.write_run_into(pelican, str(staging.final))


def register() -> None:
    signals.initialized.connect(check_output)
    signals.get_generators.connect(start_run)
    signals.static_generator_finalized.connect(remember_statics)
    signals.finalized.connect(finish_run)
