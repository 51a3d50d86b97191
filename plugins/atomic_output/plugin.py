"""Pelican glue: refuse a dangerous output folder, build aside, swap in when finalized.

- ``initialized`` (the first signal of a run, before anything is written or
  deleted): the output folder is checked (``safety``) and a dangerous one
  ends the build with one line and exit code 1.
- ``get_generators``: folders left beside the output by killed builds go;
  with ``ATOMIC_OUTPUT`` the run is pointed at a staging folder.
- ``finalized``: the staging folder is swapped in.
"""

from __future__ import annotations

import atexit
import sys
from pathlib import Path
from typing import Any, ClassVar

from pelican import signals

from .failures import fail
from .safety import Protected, real, refusal
from .swap import Staging, remove_leftovers


class _Runs:
    """The staging of each Pelican instance's current run (by instance id)."""

    active: ClassVar[dict[int, Staging]] = {}


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
    return Protected(
        content=Path(pelican.path),
        theme=theme if theme.is_dir() else None,
        projects=(*(path.resolve().parent for path in settings_files()), Path.cwd()),
        plugins=tuple(Path(p) for p in settings.get("PLUGIN_PATHS", ()) if Path(p).is_dir()),
        home=home,
        retained=frozenset(settings.get("OUTPUT_RETENTION", ())),
    )


def check_output(pelican: Any) -> None:
    """Sent when Pelican starts: refuse a dangerous output folder."""
    message = refusal(pelican.output_path, protected(pelican))
    if message:
        fail(message)


def start_run(pelican: Any) -> None:
    previous = _Runs.active.get(id(pelican))
    final = previous.final if previous else Path(pelican.output_path)
    remove_leftovers(real(final))
    if not pelican.settings.get("ATOMIC_OUTPUT", False):
        return
    staging = Staging.beside(final)
    pelican.output_path = str(staging.prepare())
    _Runs.active[id(pelican)] = staging
    # A failed run raises past `finalized`: remove its half-written folder.
    atexit.register(staging.abandon)


def finish_run(pelican: Any) -> None:
    staging = _Runs.active.get(id(pelican))
    if staging is None or not staging.staging.exists():
        return
    staging.commit(tuple(pelican.settings.get("OUTPUT_RETENTION", ())))
    pelican.output_path = str(staging.final)


def register() -> None:
    signals.initialized.connect(check_output)
    signals.get_generators.connect(start_run)
    signals.finalized.connect(finish_run)
