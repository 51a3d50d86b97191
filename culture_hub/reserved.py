"""The folder the object-store publisher keeps for itself: shared by the checks and the deploy.

The publisher stores its release record under ``/_culture-hub/`` beside the
site (``publish/record.py``), so no page may be written there and no old
address may redirect from there. The content check refuses such a story or
page at its line (``content_model/addresses.py``), the feed ledger refuses
such an address (``feeds/ledger.py``), and the deploy still refuses a built
site that has one. A leaf module (no imports), so every capability can use it
without importing another's plugin.
"""

from __future__ import annotations

RESERVED = "_culture-hub"


def is_reserved_step(step: str) -> bool:
    """Whether one step of an address is the reserved folder, in any case.

    Compared without case: a store on a case-insensitive disk (or a reader
    typing the address) would not tell ``_Culture-Hub`` from ``_culture-hub``.
    """
    return step.casefold() == RESERVED.casefold()
