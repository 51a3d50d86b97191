"""The output-folder rules, leftovers of killed builds and plain failure messages, without Pelican."""

from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

import pytest

from culture_hub.atomic_output.copies import Copy, incomplete, theme_copies
from culture_hub.atomic_output.failures import failed_file, shown, with_file, write_failure
from culture_hub.atomic_output.plugin import settings_files
from culture_hub.atomic_output.safety import Protected, leftovers, refusal, repository_in, running


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project: settings, content, theme, plugins and a Git repository; a home beside it."""
    root = tmp_path / "home" / "me" / "hub"
    for folder in ("content/stories", "theme/templates", "plugins/one", ".git/objects"):
        (root / folder).mkdir(parents=True)
    (root / "publishconf.py").write_text("PATH = 'content'\n")
    (root / "content" / "stories" / "a.md").write_text("story\n")
    return root


def rules(project: Path, **changes: object) -> Protected:
    base: dict[str, object] = {
        "content": project / "content",
        "theme": project / "theme",
        "projects": (project,),
        "plugins": (project / "plugins",),
        "home": project.parent,
    }
    return Protected(**{**base, **changes})  # type: ignore[arg-type]


DANGEROUS = {
    ".": "it holds the content folder",
    "..": "it is your home folder",
    "../..": "it holds your home folder",
    "content": "it is the content folder",
    "content/stories": "it is inside the content folder",
    "content/new-site": "it is inside the content folder",
    "theme": "it is the theme folder",
    "plugins": "it is the plugins folder",
    ".git": "it is inside a Git folder (.git)",
    ".git/objects": "it is inside a Git folder (.git)",
    "publishconf.py": "it is a file, not a folder",
    "content/stories/a.md": "it is a file, not a folder",
}


@pytest.mark.parametrize("relative", DANGEROUS)
def test_a_dangerous_output_folder_is_refused_with_its_reason(project: Path, relative: str) -> None:
    message = refusal(project / relative, rules(project))
    assert message is not None
    assert message.startswith(f"Refusing to build into {(project / relative).resolve()}: ")
    assert DANGEROUS[relative] in message
    assert message.endswith("(choose another folder, such as output/, and build again).")
    assert "\n" not in message


@pytest.mark.parametrize("relative", ["output", "dev-output", "../elsewhere", "build/site"])
def test_an_ordinary_output_folder_is_allowed(project: Path, relative: str) -> None:
    assert refusal(project / relative, rules(project)) is None


def test_the_project_folder_counts_without_content_in_it(tmp_path: Path) -> None:
    """The settings' folder is the project even when the content lives elsewhere."""
    project, content = tmp_path / "code" / "hub", tmp_path / "shared" / "content"
    project.mkdir(parents=True)
    content.mkdir(parents=True)
    protected = Protected(content=content, projects=(project,))
    assert "it is the project folder" in (refusal(project, protected) or "")
    assert "it holds the project folder" in (refusal(tmp_path / "code", protected) or "")
    assert refusal(project / "output", protected) is None


def test_the_root_of_the_file_system_is_refused() -> None:
    message = refusal("/", Protected(content=Path("/nonexistent/content")))
    assert message is not None and "it is the root of the file system" in message


def test_links_are_resolved_before_the_rules(project: Path) -> None:
    (project / "site").symlink_to(project / "content")
    message = refusal(project / "site", rules(project))
    assert message is not None
    assert message.startswith(f"Refusing to build into {(project / 'content').resolve()}: ")
    assert "it is the content folder" in message


def test_a_repository_is_refused_unless_its_git_is_retained(tmp_path: Path) -> None:
    """gh-pages style: the output folder is a checkout whose .git Pelican keeps."""
    output = tmp_path / "output"
    (output / ".git").mkdir(parents=True)
    protected = Protected(content=tmp_path / "content")
    assert "it is a Git repository (it holds .git)" in (refusal(output, protected) or "")
    kept = Protected(content=tmp_path / "content", retained=frozenset({".git"}))
    assert refusal(output, kept) is None


def _looks_built(folder: Path) -> None:
    (folder / "feeds").mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text("<p>a built site</p>\n")


def test_a_folder_holding_other_files_is_refused_unless_it_is_the_projects(
    tmp_path: Path,
) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "letter.txt").write_text("keep me\n")
    protected = Protected(content=tmp_path / "hub" / "content", owned=(tmp_path / "hub",))
    message = refusal(documents, protected, deep=False)
    assert message is not None and "it holds files and is not a site the culture hub built" in (
        message
    )
    assert refusal(tmp_path / "new", protected) is None  # a new folder
    (tmp_path / "empty").mkdir()
    assert refusal(tmp_path / "empty", protected) is None
    _looks_built(documents)
    assert refusal(documents, protected) is None  # a site built before
    own = tmp_path / "hub" / "dev-output"
    own.mkdir(parents=True)
    (own / "half.html").write_text("half\n")
    assert refusal(own, protected) is None  # inside the project: its own folder


def test_a_folder_holding_a_repository_deep_down_is_refused(tmp_path: Path) -> None:
    repository = tmp_path / "work" / "clients" / "acme"
    (repository / ".git").mkdir(parents=True)
    (tmp_path / "work" / "notes").mkdir()
    _looks_built(tmp_path / "work")  # else it is refused for holding other files
    message = refusal(tmp_path / "work", Protected(content=tmp_path / "content"))
    assert message is not None and f"it holds the Git repository {repository}" in message
    # The first check, at Pelican's start, looks only at the top (the walk comes later).
    assert refusal(tmp_path / "work", Protected(content=tmp_path / "content"), deep=False) is None
    # A worktree or submodule has a .git file, not a folder: the same.
    (repository / ".git").rmdir()
    (repository / ".git").write_text("gitdir: ../../.git/worktrees/acme\n")
    assert repository_in(tmp_path / "work") == repository


def test_a_link_to_a_repository_inside_the_output_is_not_followed(tmp_path: Path) -> None:
    """Emptying the output removes the link, never the repository it points to."""
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "output").mkdir()
    _looks_built(tmp_path / "output")
    (tmp_path / "output" / "repo").symlink_to(tmp_path / "repo")
    assert refusal(tmp_path / "output", Protected(content=tmp_path / "content")) is None


def _dead_pid() -> int:
    done = subprocess.Popen(["true"])
    done.wait()
    return done.pid


def test_leftovers_are_only_this_outputs_folders_of_dead_builds(tmp_path: Path) -> None:
    dead, alive = _dead_pid(), os.getpid()
    names = [
        f".output.staging-{dead}",
        f".output.old-{dead}",
        f".output.search-{dead}-k2j3h4",
        f".output.staging-{alive}",
        f".output.old-{alive}",
        f".other.staging-{dead}",
        ".output.staging-abc",
        f"output.staging-{dead}",
        "output",
        "notes.txt",
    ]
    for name in names:
        (tmp_path / name).mkdir()
    found = sorted(path.name for path in leftovers(tmp_path / "output"))
    assert found == sorted(names[:3])
    assert running(alive) and not running(dead)


def test_the_settings_file_is_read_from_the_command_line(tmp_path: Path) -> None:
    conf = tmp_path / "conf.py"
    conf.write_text("")
    for argv in (["c", "-s", str(conf)], [f"--settings={conf}"], [f"-s{conf}", "-o", "x"]):
        assert settings_files(argv) == [conf]
    assert settings_files(["content", "-o", "out"]) == []
    assert settings_files(["-s", str(tmp_path / "missing.py")]) == []


def _write_into(path: Path) -> None:
    """Fail as ``write()`` does on a full disk: an OSError without a file name."""
    target = path  # noqa: F841 - the traceback names the file through this local
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_write_that_names_no_file_is_named_from_its_traceback(tmp_path: Path) -> None:
    staging = tmp_path / ".output.staging-12"
    try:
        _write_into(staging / "stories" / "a" / "index.html")
    except OSError as error:
        assert failed_file(error, [staging]) == str(staging / "stories" / "a" / "index.html")
        named = with_file(error, [staging])
    assert named.filename == str(staging / "stories" / "a" / "index.html")
    assert named.errno == errno.ENOSPC


def test_a_failed_copy_is_named_by_its_target(tmp_path: Path) -> None:
    error = OSError(errno.ENOSPC, "No space left on device")
    error.filename, error.filename2 = "/content/images/a.png", str(tmp_path / "out" / "a.png")
    assert failed_file(error, [tmp_path / "out"]) == str(tmp_path / "out" / "a.png")


def test_failure_messages_are_one_plain_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    final, staging = tmp_path / "output", tmp_path / f".output.staging-{os.getpid()}"
    page = staging / "stories" / "a" / "index.html"
    full = OSError(errno.ENOSPC, "No space left on device", str(page))
    folders = [final, staging]
    assert write_failure(full, output=final, folders=folders, atomic=True) == (
        "The build could not write output/stories/a/index.html: No space left on device; "
        "nothing was published (free some space and build again)."
    )
    assert write_failure(full, output=final, folders=[final], atomic=False).endswith(
        "; the site in output is incomplete (free some space and build again)."
    )
    unnamed = OSError(errno.EROFS, "Read-only file system")
    assert write_failure(unnamed, output=final, folders=folders, atomic=True) == (
        "The build could not write into output: Read-only file system; nothing was "
        "published (the disk is read-only; choose an output folder you can write to)."
    )
    elsewhere = PermissionError(errno.EACCES, "Permission denied", "/srv/cache/x.json")
    assert write_failure(elsewhere, output=final, folders=folders, atomic=True).startswith(
        "The build could not use /srv/cache/x.json: Permission denied; nothing was published"
    )
    assert shown(staging / "pagefind") == "output/pagefind"


def test_short_or_missing_copies_are_found(tmp_path: Path) -> None:
    source = tmp_path / "src.png"
    source.write_bytes(b"x" * 100)
    whole, short, missing = tmp_path / "whole.png", tmp_path / "short.png", tmp_path / "none.png"
    whole.write_bytes(b"x" * 100)
    short.write_bytes(b"x" * 40)
    found = list(incomplete([Copy(source, whole), Copy(source, short), Copy(source, missing)]))
    assert found == [
        (Copy(source, short), "only 40 of its 100 bytes were copied"),
        (Copy(source, missing), "it was not copied"),
    ]


def test_theme_copies_go_where_pelican_puts_them(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    (theme / "static" / "css").mkdir(parents=True)
    (theme / "static" / "css" / "site.css").write_text("a{}")
    (theme / "static" / ".#lock").write_text("")
    (theme / "extra.txt").write_text("x")
    copies = set(theme_copies(theme, ["static", "extra.txt"], "theme", tmp_path / "out", [".#*"]))
    assert copies == {
        Copy(
            theme / "static" / "css" / "site.css", tmp_path / "out" / "theme" / "css" / "site.css"
        ),
        Copy(theme / "extra.txt", tmp_path / "out" / "theme" / "extra.txt"),
    }
