"""Invoke tasks for the culture hub: build, serve, publish, test and friends.

Settings are loaded when a task runs (``_settings``), never at import, so
``invoke --list`` works anywhere and each task sees the current files.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
PYTHON = shlex.quote(sys.executable)
AUDIENCES = ("public", "staff")


def _settings(settings_file: str) -> dict:
    """Pelican's settings from a file, read now (not at import)."""
    from pelican.settings import read_settings  # noqa: PLC0415 - load on use

    return read_settings(str(ROOT / settings_file))


def _pelican(c, content: str, settings_file: str, output: str, *extra: str) -> None:
    args = [
        "-m",
        "pelican",
        content,
        "-s",
        str(ROOT / settings_file),
        "-o",
        output,
        "--log-handler",
        "plain",
        *extra,
    ]
    result = c.run(" ".join([PYTHON, *map(shlex.quote, args)]), pty=False, warn=True)
    if result.failed:
        # Pelican already printed path:line messages; exit with its code, no traceback.
        raise Exit(code=result.exited)


@task(
    help={
        "audience": "public (default) or staff: staff includes internal stories, marked",
        "content": "the content folder to build (default: content)",
        "output": "where to write the site (default: output)",
    }
)
def build(c, audience="public", content="content", output="output"):
    """Build the site as it is published, into output/."""
    if audience not in AUDIENCES:
        sys.exit(f"--audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    _pelican(c, content, "publishconf.py", output, "-e", f'AUDIENCE="{audience}"')


@task(help={"content": "the content folder (default: content)"})
def rebuild(c, content="content"):
    """Clean output/ and build again."""
    clean(c)
    build(c, content=content)


@task(
    help={
        "port": "port to serve on (default 8000)",
        "content": "the content folder (default: content)",
    }
)
def serve(c, port=8000, content="content"):
    """Build with drafts and scheduled stories shown, serve on localhost, rebuild on change."""
    output = _settings("pelicanconf.py")["OUTPUT_PATH"]
    _pelican(
        c,
        content,
        "pelicanconf.py",
        output,
        "--autoreload",
        "--listen",
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
    )


@task(
    help={
        "content": "the content folder (default: content)",
        "output": "where the site goes (default: output)",
    }
)
def publish(c, content="content", output="output"):
    """Build the public site with publishconf.py (strict: any content error stops it)."""
    build(c, content=content, output=output)


@task
def clean(c):
    """Remove the generated site and caches."""
    for name in ("output", "cache"):
        shutil.rmtree(ROOT / name, ignore_errors=True)


@task(help={"args": "extra arguments for pytest, e.g. -k feeds"})
def test(c, args=""):
    """Run the whole test suite (unit, integration, browser)."""
    env = {"PYTHONDONTWRITEBYTECODE": "1"}
    c.run(f"{PYTHON} -m pytest -n auto {args}", env=env, pty=False)


@task
def lint(c):
    """ruff check and format check."""
    c.run(f"{PYTHON} -m ruff check .", pty=False)
    c.run(f"{PYTHON} -m ruff format --check .", pty=False)
