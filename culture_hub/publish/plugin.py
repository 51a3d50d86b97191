"""Pelican glue: the ``asset()`` template global and the hashed copies of theme files.

Only the names are worked out during the build (a handful of theme files);
compression and server configurations are the deploy step's (``deploy.py``),
so the build itself costs nothing more per page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals
from pelican.generators import Generator

from culture_hub.pelican_internals import add_template_global
from culture_hub.run import Run

from .assets import Assets


def _assets(settings: Any) -> Assets:
    def scan() -> Assets:
        theme = Path(settings["THEME"])
        folders = tuple(theme / path for path in settings.get("THEME_STATIC_PATHS", ["static"]))
        return Assets.scan(folders, settings.get("THEME_STATIC_DIR", "theme"))

    return Run.of(settings).part(Assets, scan)


def add_asset_global(generator: Any) -> None:
    """Give every template ``asset('css/site.css')``: the file's address by its hashed name."""
    add_template_global(generator, "asset", _assets(generator.settings).url)


class HashedThemeFiles(Generator):
    """Writes each theme file under its hashed name, beside Pelican's copy of it.

    Written with the output (Pelican runs plugin generators before its static
    files are copied), so a full disk is met, and reported, like any other copy.
    """

    def generate_output(self, writer: Any) -> None:
        _assets(self.settings).write(Path(self.output_path))


def get_generators(pelican: Any) -> type[Generator]:
    return HashedThemeFiles


def register() -> None:
    signals.generator_init.connect(add_asset_global)
    signals.get_generators.connect(get_generators)
