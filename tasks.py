"""Invoke tasks for the culture hub: build, serve, publish, test and friends.

Settings are loaded when a task runs (``_settings``), never at import, so
``invoke --list`` works anywhere and each task sees the current files.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
PYTHON = shlex.quote(sys.executable)
AUDIENCES = ("public", "staff")
DEV_OUTPUT = "dev-output"  # invoke serve's folder, apart from the public output/
STAFF_OUTPUT = "staff-output"  # the staff build's folder: never output/, never committed


def _ask(prompt: str, default: str = "") -> str:
    """One answer from the writer on standard input (the default when empty)."""
    shown = f"{prompt} [{default}]: " if default else f"{prompt}: "
    try:
        answer = input(shown).strip()
    except EOFError:
        answer = ""
    return answer or default


def _ids(values: list[str] | None, prompt: str) -> list[str]:
    if values:
        return [v for value in values for v in value.replace(",", " ").split()]
    return _ask(prompt).replace(",", " ").split()


def _settings(settings_file: str) -> dict:
    """Pelican's settings from a file, read now (not at import)."""
    from pelican.settings import read_settings  # noqa: PLC0415 - load on use

    return read_settings(str(ROOT / settings_file))


def _content_folder(content: str) -> None:
    """Stop with one line when ``--content`` is not a folder (Pelican would raise)."""
    if not Path(content).is_dir():
        what = "is a file, not a folder" if Path(content).exists() else "does not exist"
        raise Exit(
            f"--content {content}: the folder {what}; give the folder that holds your "
            "stories, e.g. --content content (run from the project's folder)",
            code=1,
        )


def _pelican(c, content: str, settings_file: str, output: str, *extra: str) -> None:
    _content_folder(content)
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
        "output": "where to write the site (default: output, or staff-output for staff)",
    }
)
def build(c, audience="public", content="content", output=""):
    """Build the site as it is published, into output/ (staff: staff-output/).

    The feed ledger is read, not written: only `invoke publish` records
    newly published items, so a local build leaves committed files alone.
    """
    _build(c, audience, content, output, record=False)


def _build(
    c, audience: str, content: str, output: str, *, record: bool,
    settings_file: str = "publishconf.py",
) -> None:  # fmt: skip
    if audience not in AUDIENCES:
        sys.exit(f"--audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    output = output or (STAFF_OUTPUT if audience == "staff" else "output")
    overrides = [f'AUDIENCE="{audience}"']
    if record:
        overrides.append("FEED_LEDGER_UPDATE=true")
    _pelican(c, content, settings_file, output, "-e", *overrides)


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
    """Build with drafts and scheduled stories shown, serve on localhost, show edits at once.

    A saved change to a story's words re-renders only the pages that show
    it (well under a second on thousands of stories); anything else rebuilds.
    The preview goes to its own folder, dev-output/: drafts and staff stories
    never sit in output/, where the public build goes.
    """
    from culture_hub.live.__main__ import main  # noqa: PLC0415 - load on use

    _content_folder(content)
    settings = str(ROOT / "pelicanconf.py")
    main([content, "-s", settings, "-o", DEV_OUTPUT, "--port", str(port)])


@task(
    help={
        "target": "folder (default), rsync, object-store or github-pages (publishconf.py's "
        "PUBLISH_TARGET when not given)",
        "content": "the content folder (default: content)",
        "output": "where the site is built (default: output)",
        "settings": "the settings file (default: publishconf.py)",
        "build": "build first (default); --no-build deploys the site already in --output",
    }
)
def publish(c, target="", content="content", output="output", settings="publishconf.py",
            build=True):  # fmt: skip
    """Build the public site (strict) and deploy it to a target as a new release (none if
    nothing changed).

    The build records newly published items in the feed ledger
    (content/feed-ledger.json); the publish workflow commits it. The deploy adds
    .br/.gz twins, _headers and the nginx config (see README, Publishing).
    """
    from culture_hub.publish.deploy import check_target  # noqa: PLC0415 - load on use
    from culture_hub.publish.deploy import publish as deploy  # noqa: PLC0415

    _publishing(settings, lambda found: check_target(found, target))  # before a long build
    if build:
        _build(c, "public", content, output, record=True, settings_file=settings)

    for line in _publishing(settings, lambda found: deploy(Path(output), found, target)):
        print(line)


@task(
    help={
        "target": "the target to roll back (publishconf.py's PUBLISH_TARGET when not given)",
        "settings": "the settings file (default: publishconf.py)",
    }
)
def rollback(c, target="", settings="publishconf.py"):
    """Serve the release before the current one again (every target keeps releases)."""
    from culture_hub.publish.deploy import rollback as back  # noqa: PLC0415 - load on use

    print(_publishing(settings, lambda found: back(found, target)))


def _publishing(settings_file: str, action):
    """Run a deploy step with the settings read; any mistake is one line, exit 1."""
    from culture_hub.publish.settings import (  # noqa: PLC0415 - load on use
        PublishError,
        PublishSettings,
    )

    path = Path(settings_file)
    if not (ROOT / path).is_file():
        raise Exit(f"{settings_file}: no such settings file", code=1)
    try:
        read = _settings(settings_file)
    except Exception as error:  # any way a settings file fails: one line, no traceback
        raise Exit(f"{settings_file}: cannot be read ({error})", code=1) from None
    try:
        # Releases, caches and the git repository are the settings file's folder's.
        found = PublishSettings.from_settings(read, (ROOT / path).parent)
        return action(found)
    except PublishError as error:
        raise Exit(f"{settings_file}: {error}", code=1) from None
    except OSError as error:  # a full disk, a folder we may not write: one line
        message = f"the deploy stopped: {error} (check the space and permissions)"
        raise Exit(message, code=1) from None


@task(
    iterable=["file"],
    help={
        "content": "the content folder to check (default: content)",
        "file": "check only this file (repeat for several); the folder is still read",
        "format": "text (default) or github (GitHub Actions annotations)",
    },
)
def check(c, content="content", file=None, format="text"):
    """Check every story, page, person and department: path:line: level: message (fix)."""
    if format not in ("text", "github"):
        raise Exit(f"--format must be text or github, not {format!r}", code=2)
    from culture_hub.content_model.check import main  # noqa: PLC0415 - load on use

    code = main(ROOT / "publishconf.py", Path(content), file or [], format)
    if code:
        raise Exit(code=code)


@task(
    iterable=["author", "department", "tag"],
    help={
        "title": "the story's title (asked if missing)",
        "author": "your person id, the file name in content/people/ (repeatable)",
        "department": "a department id, the file name in content/departments/ (repeatable)",
        "tag": "a tag (repeatable)",
        "summary": "one or two sentences for cards and feeds",
        "date": "publication date, YYYY-MM-DD [HH:MM] (default: now)",
        "create_person": "create content/people/<author>.md when the author is new",
        "content": "the content folder (default: content)",
    },
)
def new_story(
    c,
    title="",
    author=None,
    department=None,
    tag=None,
    summary="",
    date="",
    create_person=False,
    content="content",
):
    """Start a story: writes content/stories/<date>-<slug>.md with valid front matter."""
    from culture_hub.content_model.unfinished import (  # noqa: PLC0415 - load on use
        SUMMARY_PLACEHOLDER,
    )
    from culture_hub.content_model.workflow import (  # noqa: PLC0415 - load on use
        ScaffoldError,
        create_story,
        parse_date,
    )

    folder = Path(content)
    try:  # before any question: a wrong date is known at once
        when = parse_date(date) if date else datetime.now().replace(second=0, microsecond=0)
    except ScaffoldError as error:
        raise Exit(str(error), code=1) from None
    title = title or _ask("Title")
    if not title:
        raise Exit("A story needs a title (--title).", code=1)
    authors = _ids(author, "Your person id (file name in content/people/)")
    departments = _ids(department, "Departments, separated by commas")
    tags = (
        [t for value in (tag or []) for t in value.split(",") if t.strip()]
        if tag
        else [
            t.strip() for t in _ask("Tags, separated by commas (optional)").split(",") if t.strip()
        ]
    )
    summary = summary or _ask("Summary (one or two sentences)", SUMMARY_PLACEHOLDER)
    try:
        made = create_story(
            folder, title=title, authors=authors, departments=departments, tags=tags,
            summary=summary, when=when, create_person=create_person,
        )  # fmt: skip
    except ScaffoldError as error:
        raise Exit(str(error), code=1) from None
    for person in made.people:
        print(f"created {person}: add your role and a line about yourself")
    print(f"created {made.story}")
    if folder.resolve() == (ROOT / "content").resolve():
        codeowners(c)  # route the new story's review to its departments' leads
    print("next: write your story, then `.venv/bin/invoke check` and `.venv/bin/invoke serve`")


@task(help={"content": "the content folder (default: content)"})
def calendar(c, content="content"):
    """Scheduled (future-dated) stories and drafts, by date and department."""
    from culture_hub.content_model.workflow import calendar as planned  # noqa: PLC0415

    _content_folder(content)
    zone = ZoneInfo(_settings("pelicanconf.py")["TIMEZONE"])
    rows = planned(Path(content), datetime.now(zone))
    if not rows:
        print("Nothing scheduled and no drafts.")
    for row in rows:
        print(
            f"{row.when:%Y-%m-%d %H:%M}  {row.state:<9}  {', '.join(row.departments):<28}  "
            f"{row.title}  ({row.path})"
        )


@task(
    help={
        "check": "only verify .github/CODEOWNERS is up to date (exit 1 if stale)",
        "content": "the content folder (default: content)",
    }
)
def codeowners(c, check=False, content="content"):
    """Write .github/CODEOWNERS: each story is reviewed by its departments' leads."""
    from culture_hub.content_model.registry import load_registry  # noqa: PLC0415
    from culture_hub.content_model.workflow import codeowners as generate  # noqa: PLC0415

    registry, _ = load_registry(Path(content))
    from culture_hub.content_model.settings import CODEOWNERS_DEFAULT  # noqa: PLC0415

    default = CODEOWNERS_DEFAULT.read(_settings("pelicanconf.py"))
    problem = CODEOWNERS_DEFAULT.problem(default)
    if problem:
        raise Exit(f"pelicanconf.py: CODEOWNERS_DEFAULT: {problem}", code=1)
    text = generate(registry, Path(content), default)
    target = ROOT / ".github" / "CODEOWNERS"
    if check:
        if not target.is_file() or target.read_text() != text:
            raise Exit(f"{target} is out of date: run `invoke codeowners` and commit it", code=1)
        print(f"{target} is up to date")
        return
    target.write_text(text)
    print(f"wrote {target}")


@task(help={"export": "the WordPress export file (WXR)", "content": "the content folder"})
def import_wordpress(c, export, content="content"):
    """Convert a WordPress export into stories; report every post it could not convert."""
    from culture_hub.content_model.registry import load_registry  # noqa: PLC0415
    from culture_hub.wordpress_import import (  # noqa: PLC0415 - load on use
        ExportError,
        convert,
        read_posts,
    )

    _content_folder(content)
    folder = Path(content)
    try:
        posts, authors, notes = read_posts(Path(export).expanduser())
    except ExportError as error:
        raise Exit(str(error), code=1) from None
    registry, _ = load_registry(folder)
    report = convert(posts, authors, folder, set(registry.departments), set(registry.people))
    report.notes.extend(notes)
    for line in report.lines():
        print(line)
    if report.failed:
        raise Exit(code=1)


@task(help={"port": "port to serve on (default 8000)", "content": "the content folder"})
def preview(c, port=8000, content="content"):
    """Build the public site exactly as it will be published, and serve it on localhost."""
    url = f"http://127.0.0.1:{port}"
    _pelican(
        c,
        content,
        "publishconf.py",
        "preview",
        "-e",
        f'SITEURL="{url}"',
        'AUDIENCE="public"',
        "FEED_LEDGER=null",
    )
    print(f"Serving the public site at {url}/ (Ctrl-C to stop)")
    c.run(f"{PYTHON} -m http.server {port} --bind 127.0.0.1 --directory preview", pty=False)


@task(
    help={
        "sizes": "comma-separated site sizes (default 500,2000,5000)",
        "repeat": "builds of each kind per size, alternating (default 1; the median is shown)",
        "edit": "also measure the edit-preview latency at the largest size (default on)",
    }
)
def bench(c, sizes="500,2000,5000", repeat=1, edit=True):
    """Benchmark our build against plain Pelican on generated sites; print ratios."""
    sys.path.insert(0, str(ROOT))
    from bench.run import main  # noqa: PLC0415

    main([int(size) for size in sizes.split(",")], int(repeat), edit)


@task(help={"check": "only verify the README's table is up to date (exit 1 if stale)"})
def settings_doc(c, check=False):
    """Write the README's settings table from the declarations in each settings.py."""
    import culture_hub  # noqa: F401, PLC0415 - every capability's settings
    from culture_hub.declare import declarations, with_table  # noqa: PLC0415

    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    generated = with_table(text, declarations())
    if check:
        if generated != text:
            raise Exit("README.md's settings table is out of date: run `invoke settings-doc`", 1)
        print("README.md's settings table is up to date")
        return
    readme.write_text(generated, encoding="utf-8")
    print(f"wrote the settings table in {readme}")


@task(
    help={
        "validator": "a checkout of https://github.com/w3c/feedvalidator",
        "output": "the built site (default: output, from `invoke build`)",
        "python": "an interpreter with the validator's requirements.txt (default: this one)",
    }
)
def validate_feeds(c, validator, output="output", python=""):
    """Validate every feed with the W3C Feed Validation Service's code; any warning fails."""
    siteurl = _settings("publishconf.py").get("SITEURL", "")
    script = ROOT / "culture_hub" / "feeds" / "w3c.py"
    args = [python or sys.executable, str(script), output, siteurl, validator]
    if c.run(shlex.join(args), warn=True, pty=False).failed:
        raise Exit("the W3C feed validator found problems (above)", code=1)


@task
def clean(c):
    """Remove the generated site and caches."""
    for name in ("output", DEV_OUTPUT, STAFF_OUTPUT, "preview", "cache", "bench-sites"):
        # deploy/ is not removed: it holds the releases a rollback goes back to
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
