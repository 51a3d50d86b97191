"""Every culture-hub setting, declared once: name, default, check, one line of docs.

Each capability lists its settings in its ``settings.py`` as ``SETTINGS``, a
tuple of :class:`Setting`. From those declarations, and nowhere else:

- the defaults are written into Pelican's settings when Pelican starts
  (``initialized``, before any other receiver reads them), so
  ``pelican --print-settings`` shows every culture-hub setting with the
  value the build will use;
- every value is checked at the same moment, so a bad one stops the build
  before anything is written, with one line naming the settings file, the
  setting, what is wrong and how to fix it;
- the README's settings table is generated (``invoke settings-doc``; a test
  fails when it is out of date).

Code that reads a setting asks its declaration (``SEARCH_INDEX.read(settings)``)
rather than repeating a default: a capability listed on its own in
``PLUGINS`` (without the package's ``register``) still gets the same value.

A few of Pelican's own settings are declared too (``pelican=True``), because
the culture hub requires something of them (``INTRASITE_LINK_REGEX``) or
reads them with a meaning of its own (``FEED_MAX_ITEMS``): Pelican supplies
their defaults, the declaration checks them and documents what they do here.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

# What is wrong with a value, in words (``None``: nothing).
Check = Callable[[Any], str | None]


def anything(value: Any) -> str | None:
    """Every value is accepted (a setting whose shape Pelican itself checks)."""
    return None


def boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"{value!r} is not True or False"


def whole(low: int, high: int | None = None) -> Check:
    """A whole number from ``low`` (to ``high``, when given)."""
    shown = f"from {low} to {high}" if high is not None else f"of {low} or more"

    def check(value: Any) -> str | None:
        number = isinstance(value, int) and not isinstance(value, bool)
        if number and value >= low and (high is None or value <= high):
            return None
        return f"{value!r} is not a whole number {shown}"

    return check


def one_of(*choices: Any) -> Check:
    def check(value: Any) -> str | None:
        if value in choices:
            return None
        return f"{value!r} is not one of {', '.join(map(repr, choices))}"

    return check


def text(pattern: str | None = None, what: str = "text") -> Check:
    """A string (matching ``pattern`` in full, when given); ``what`` names it in the message."""
    matcher = re.compile(pattern) if pattern else None

    def check(value: Any) -> str | None:
        if isinstance(value, str) and (matcher is None or matcher.fullmatch(value)):
            return None
        return f"{value!r} is not {what}"

    return check


def optional(inner: Check) -> Check:
    """``None`` (the setting is off) or a value ``inner`` accepts."""
    return lambda value: None if value is None else inner(value)


def items(inner: Check, what: str = "a list") -> Check:
    """A list or tuple of values ``inner`` accepts."""

    def check(value: Any) -> str | None:
        if not isinstance(value, list | tuple):
            return f"{value!r} is not {what}"
        for item in value:
            problem = inner(item)
            if problem:
                return problem
        return None

    return check


@dataclass(frozen=True)
class Setting:
    """One setting: its name, its default, what it accepts, and a line for the README.

    ``fix`` says how to correct a bad value; ``shown`` is the default as the
    README shows it when ``repr(default)`` would not say it (a computed or
    Pelican's default); ``compute`` works a default out from the other
    settings; ``pelican`` marks Pelican's own settings (Pelican supplies the
    default, the culture hub checks it).
    """

    name: str
    default: Any
    doc: str
    check: Check = anything
    fix: str = ""
    shown: str = ""
    compute: Callable[[Mapping[str, Any]], Any] | None = None
    pelican: bool = False

    def default_for(self, settings: Mapping[str, Any]) -> Any:
        return self.compute(settings) if self.compute else self.default

    def read(self, settings: Mapping[str, Any]) -> Any:
        """The value the build uses: the one set, else the declared default."""
        if self.name in settings:
            return settings[self.name]
        return self.default_for(settings)

    def problem(self, value: Any) -> str | None:
        """What is wrong with ``value`` and how to fix it, in one line (``None``: nothing)."""
        wrong = self.check(value)
        if wrong is None:
            return None
        return f"{wrong}; {self.fix}" if self.fix else wrong

    @property
    def shown_default(self) -> str:
        return self.shown or f"`{python(self.default)}`"


def python(value: Any) -> str:
    """``value`` as one would write it in a settings file (``"public"``, ``1_000_000``)."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:
        return f"{value:_}"
    if isinstance(value, tuple):
        inner = ", ".join(map(python, value))
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(map(python, value)) + "]"
    return repr(value)


class SettingsError(ValueError):
    """A setting has a value the plugin cannot work with."""


def read_all(settings: Mapping[str, Any], declared: Iterable[Setting]) -> dict[str, Any]:
    """Every declared setting's value (set or default), checked: the ``from_settings`` helper.

    Raises :class:`SettingsError` naming the first bad one (callers that build
    a capability's settings themselves, such as tests, see the same words as
    the build).
    """
    values = {}
    for setting in declared:
        value = setting.read(settings)
        problem = setting.problem(value)
        if problem:
            raise SettingsError(f"{setting.name}: {problem}")
        values[setting.name] = value
    return values


@cache
def declarations() -> tuple[Setting, ...]:
    """Every capability's ``SETTINGS``, in the package's order."""
    from culture_hub import CAPABILITIES  # noqa: PLC0415 - the package imports this module

    found: list[Setting] = []
    for capability in CAPABILITIES:
        module = f"culture_hub.{capability}.settings"
        if importlib.util.find_spec(module) is None:
            continue
        found.extend(getattr(importlib.import_module(module), "SETTINGS", ()))
    return tuple(found)


# Where an in-process caller that read the settings itself (``invoke check``)
# names the file it read: Pelican keeps no record of it. Lower case, so no
# settings file can set it.
FILE_KEY = "_culture_hub_settings_file"


def value(settings: Mapping[str, Any], name: str) -> Any:
    """``name``'s value (set, else its declared default), for code of another capability.

    A capability reads its own settings with their declarations
    (``SEARCH_INDEX.read(settings)``); reading another's by name keeps the
    capabilities from importing one another's packages just for a default.
    """
    return _by_name()[name].read(settings)


@cache
def _by_name() -> dict[str, Setting]:
    return {setting.name: setting for setting in declarations()}


def settings_file(
    argv: Sequence[str] | None = None, settings: Mapping[str, Any] | None = None
) -> str:
    """The settings file Pelican was given (``-s``), as typed; Pelican does not keep it."""
    if settings and settings.get(FILE_KEY):
        return _shown(str(settings[FILE_KEY]))
    args = list(sys.argv[1:] if argv is None else argv)
    for index, arg in enumerate(args):
        if arg in {"-s", "--settings"} and index + 1 < len(args):
            return _shown(args[index + 1])
        if arg.startswith("--settings="):
            return _shown(arg.partition("=")[2])
        if arg.startswith("-s") and not arg.startswith("--") and len(arg) > 2:
            return _shown(arg[2:])
    return "pelicanconf.py" if Path("pelicanconf.py").is_file() else "the settings"


def _shown(path: str) -> str:
    """A settings file's path, relative to the current folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return path


def given_on_command_line(name: str, argv: Sequence[str] | None = None) -> bool:
    """Whether ``name`` was set with ``-e NAME=…`` (Pelican's overrides)."""
    args = list(sys.argv[1:] if argv is None else argv)
    return any(arg.startswith(f"{name}=") for arg in args)


def located(
    name: str, problem: str, settings: Mapping[str, Any], argv: Sequence[str] | None = None
) -> str:
    """``<settings file>: NAME: what is wrong; how to fix it`` (``-e`` when set there)."""
    where = "-e" if given_on_command_line(name, argv) else settings_file(argv, settings)
    return f"{where}: {name}: {problem}"


def problems(settings: Mapping[str, Any], declared: Iterable[Setting]) -> list[tuple[str, str]]:
    """(name, what is wrong; how to fix it) for every bad value, in declaration order."""
    found = []
    for setting in declared:
        problem = setting.problem(setting.read(settings))
        if problem:
            found.append((setting.name, problem))
    return found


def apply(settings: MutableMapping[str, Any], declared: Iterable[Setting]) -> None:
    """Write every missing default into ``settings`` (what is set is kept)."""
    for setting in declared:
        if setting.name not in settings and not setting.pelican:
            settings[setting.name] = setting.default_for(settings)


def apply_settings(pelican: Any) -> None:
    """Sent when Pelican starts, before any other receiver reads a setting.

    Every culture-hub default is written into the settings (so
    ``--print-settings`` shows it), then every value is checked: the first
    bad one stops the build, before anything is written, in one line.
    """
    from culture_hub.content_model.problems import refuse  # noqa: PLC0415 - no import cycle

    declared = declarations()
    apply(pelican.settings, declared)
    found = problems(pelican.settings, declared)
    if found:
        name, problem = found[0]
        refuse(located(name, problem, pelican.settings))


def table(declared: Iterable[Setting]) -> str:
    """The README's settings table (Markdown), one row per declaration."""
    rows = [
        "| setting | default | capability | meaning |",
        "|---|---|---|---|",
    ]
    for setting, capability in _with_capability(declared):
        doc = setting.doc.replace("|", "\\|")
        shown = setting.shown_default.replace("|", "\\|")
        rows.append(f"| `{setting.name}` | {shown} | {capability} | {doc} |")
    return "\n".join(rows) + "\n"


def _with_capability(declared: Iterable[Setting]) -> list[tuple[Setting, str]]:
    owners = {}
    from culture_hub import CAPABILITIES  # noqa: PLC0415

    for capability in CAPABILITIES:
        module = sys.modules.get(f"culture_hub.{capability}.settings")
        for setting in getattr(module, "SETTINGS", ()):
            owners[setting.name] = capability
    return [(setting, owners.get(setting.name, "")) for setting in declared]


BEGIN = "<!-- settings table: generated by `invoke settings-doc` from each settings.py -->"
END = "<!-- end of settings table -->"


def with_table(readme: str, declared: Iterable[Setting]) -> str:
    """``readme`` with the text between the markers replaced by the generated table."""
    start, end = readme.find(BEGIN), readme.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the README has no settings table markers ({BEGIN} … {END})")
    return readme[: start + len(BEGIN)] + "\n\n" + table(declared) + "\n" + readme[end:]
