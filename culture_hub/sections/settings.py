"""Section settings.

- ``CONTRIBUTIONS_MONTHS`` (``12``): how many months the contributions page covers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from culture_hub.content_model.settings import SettingsError


@dataclass(frozen=True)
class SectionSettings:
    months: int = 12

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> SectionSettings:
        months = settings.get("CONTRIBUTIONS_MONTHS", 12)
        if not isinstance(months, int) or not 1 <= months <= 60:
            raise SettingsError(f"CONTRIBUTIONS_MONTHS is {months!r}; use a number from 1 to 60")
        return cls(months=months)
