"""``invoke check``: every rule, on a whole content folder, without publishing.

The checker runs the real build (same reader, same plugins, same rules) into a
throwaway folder, with staff, draft and scheduled content included so they
are checked too, and nothing written back into the content folder. So what
passes the check builds, and what fails it fails the publish build.
"""

from __future__ import annotations

import contextlib
import io
import logging
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from culture_hub.declare import FILE_KEY
from culture_hub.run import Run

from .build import BuildState
from .problems import Problem
from .registry import display_path

OVERRIDES = {
    "AUDIENCE": "staff",
    "PREVIEW_UNPUBLISHED": True,
    "STRICT_CONTENT": False,
    "PRINT_PROBLEMS": False,
    "ATOMIC_OUTPUT": False,
    "DELETE_OUTPUT_DIRECTORY": False,
    "FEED_LEDGER_UPDATE": False,  # the ledger is read (and checked), never written
    "SKIP_UNCHANGED_BUILD": False,
}


def _github_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def github_annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command that annotates the pull request's diff."""
    message = f"{problem.message} ({problem.fix})" if problem.fix else problem.message
    return (
        f"::{problem.level} file={_github_escape(problem.path, prop=True)},"
        f"line={problem.line},title={_github_escape('Culture hub check', prop=True)}"
        f"::{_github_escape(message)}"
    )


def collect(settings_file: Path, content: Path) -> list[Problem]:
    """Run the build on ``content`` and return every problem it found."""
    from pelican import Pelican  # noqa: PLC0415 - the checker's only Pelican entry point
    from pelican.settings import read_settings  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="culture-check-") as scratch:
        settings = read_settings(
            str(settings_file),
            override={
                **OVERRIDES,
                "PATH": str(content.resolve()),
                "OUTPUT_PATH": scratch,
                FILE_KEY: str(settings_file),
            },
        )
        pelican = Pelican(settings)
        run = Run.of(settings)  # held here: the run's state is dropped when the build ends
        quiet = logging.getLogger("pelican")
        level = quiet.level
        quiet.setLevel(logging.ERROR)  # our problems say it better, with lines
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                pelican.run()
        finally:
            quiet.setLevel(level)
        return list(run.part(BuildState).problems)


def select(problems: Iterable[Problem], files: Sequence[str]) -> list[Problem]:
    if not files:
        return sorted(problems)
    wanted = {display_path(Path(f)) for f in files}
    return sorted(p for p in problems if p.path in wanted)


def main(settings_file: Path, content: Path, files: Sequence[str], fmt: str) -> int:
    """Print the problems; return 1 when any is an error (2 if the check itself broke)."""
    if not content.is_dir():
        print(f"{content}: no such content folder", file=sys.stderr)
        return 2
    missing = [f for f in files if not Path(f).is_file()]
    if missing:
        print(f"{', '.join(missing)}: no such file", file=sys.stderr)
        return 2
    try:
        problems = select(collect(settings_file, content), files)
    except Exception as exc:
        print(
            f"{content}: the check could not finish: {type(exc).__name__}: {exc}", file=sys.stderr
        )
        print(
            "This is a bug in the culture hub, not in your story: please report it.",
            file=sys.stderr,
        )
        return 2
    for problem in problems:
        print(github_annotation(problem) if fmt == "github" else str(problem))
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    checked = ", ".join(files) if files else str(content)
    print(f"{checked}: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if errors else 0
