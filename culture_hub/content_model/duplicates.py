"""Duplicate URLs and ids across articles: the later file is the one reported."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .addresses import address_line
from .problems import Problem
from .registry import display_path


def duplicate_problems(articles: Iterable[Any]) -> tuple[list[Problem], list[Any]]:
    """Problems for repeated URLs and ids, and the articles that repeat a URL.

    Those articles must be left out of the build: Pelican refuses to write two
    pages to one file, and a dev build should still finish.
    """
    problems = []
    repeated = []
    seen_urls: dict[str, Any] = {}
    seen_ids: dict[str, Any] = {}
    for article in sorted(articles, key=lambda a: (a.date, a.source_path)):  # newer one is the copy
        lines = getattr(article, "source_lines", {})
        first = seen_urls.setdefault(article.url, article)
        if first is not article:
            repeated.append(article)
            problems.append(
                Problem(
                    display_path(Path(article.source_path)),
                    address_line(article),
                    f"this story has the same address /{article.url} as "
                    f"{display_path(Path(first.source_path))}",
                    "change the title or add a different 'slug:'",
                )
            )
        ident = getattr(article, "id", "")
        if ident:
            first = seen_ids.setdefault(ident, article)
            if first is not article:
                problems.append(
                    Problem(
                        display_path(Path(article.source_path)),
                        lines.get("id", 1),
                        f"the id '{ident}' is already used by "
                        f"{display_path(Path(first.source_path))}",
                        "every story needs its own id; change this one",
                    )
                )
    return problems, repeated
