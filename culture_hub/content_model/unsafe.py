"""Located problems for HTML the sanitizer removes. No Pelican import.

Stories, pages, department descriptions and person bios all go through the
same allow-list; a writer whose markup was removed learns where, the same
way for each.
"""

from __future__ import annotations

from culture_hub.sanitize import unsafe_parts

from .problems import Problem

FIX = "use Markdown for links and images; scripts, event handlers and embeds cannot be published"


def unsafe_problems(path: str, body: str, body_line: int, html: str) -> list[Problem]:
    """A problem for each part of ``html`` (rendered from ``body``) that is not allowed.

    ``body_line`` is the file line the body starts on; each problem points at
    the line where the removed part first appears in the body.
    """
    problems = []
    lowered = body.lower()
    for part in unsafe_parts(html):
        at = lowered.find(part.needle.lower())
        line = body_line + body.count("\n", 0, at) if at >= 0 else body_line
        problems.append(
            Problem(path, line, f"unsafe HTML: {part.what} is not allowed and was removed", FIX)
        )
    return problems
