"""Section settings: declared here once (``SETTINGS``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from culture_hub.declare import Setting, read_all, whole


def _mapping(value: object) -> str | None:
    return None if isinstance(value, dict) else f"{value!r} is not a dict"


SETTINGS = (
    Setting(
        "CONTRIBUTIONS_MONTHS", 12, "months covered by `/contributions/`",
        whole(1, 60), "set a number of months from 1 to 60",
    ),
    Setting(
        "PAGINATED_TEMPLATES", None,
        "Pelican's; with a `department` entry, department pages paginate by "
        "`DEFAULT_PAGINATION` (pelicanconf has one)",
        _mapping, "use a dict such as {\"department\": None}",
        shown="Pelican's", pelican=True,
    ),
)  # fmt: skip


@dataclass(frozen=True)
class SectionSettings:
    months: int = 12

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> SectionSettings:
        return cls(months=read_all(settings, SETTINGS)["CONTRIBUTIONS_MONTHS"])
