"""Files Pelican itself left out of the build, turned into problems at the file.

When making a page of a file fails in Pelican itself (not in our reader,
which reports its own problems), Pelican logs "Could not process <path>",
without the reason, marks the file as failed and builds on without it: the
publish build would go out without the story. What Pelican records is the
failure (``None`` in the context's ``generated_content``); the reason is
kept as the exception passes through the generator's readers
(``culture_hub.pelican_internals.record_read_failures``). Both are read here
and each left-out file becomes an error at its file, which fails a strict
build before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from .problems import Problem
from .registry import display_path


def left_out(
    failed: Iterable[str],
    reasons: Mapping[str, BaseException],
    content: Path,
    mandatory: Iterable[str],
    already_reported: set[str],
) -> list[Problem]:
    """A problem for each file Pelican left out that nobody reported yet.

    ``failed`` are paths relative to the content folder; ``reasons`` the
    exception each failed read raised, by the same path; ``mandatory`` the
    properties Pelican requires of a page (a read that raised nothing failed
    for lack of one of them).
    """
    needed = " or a ".join(mandatory)
    problems = []
    for path in sorted(failed):
        shown = display_path(content / path)
        if shown in already_reported:
            continue  # our reader said why, at the line
        error = reasons.get(path)
        if error is not None:
            problems.append(
                Problem(
                    shown,
                    1,
                    f"Pelican could not make a page of this file: {error}",
                    "correct what the message names; `invoke check --file` lists every problem",
                )
            )
        else:
            problems.append(
                Problem(
                    shown,
                    1,
                    f"the page has no {needed}, so Pelican left it out",
                    "add "
                    + " and ".join(f"`{name}:`" for name in mandatory)
                    + " to the front matter",
                )
            )
    return problems
