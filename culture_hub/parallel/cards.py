"""A story's card, rendered once per process and shown on every listing that lists it.

A story is a card on a dozen listing pages (its section's pages, its tags',
departments' and authors'): 30,000 cards at 5,000 stories, each the same
HTML for the same arguments. The theme's ``story_card`` macro asks
``remembered_card`` for it; the first call renders it, the others reuse it.

Only for builds that render each page once: the live preview re-renders the
pages whose fields an edit changed, learning which fields a page read while
it renders it, so a card taken from memory would hide those reads and leave
the page stale. There (and wherever ``LIVE_PREVIEW`` is on) every card is
rendered where it is shown.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

from culture_hub.declare import value
from culture_hub.run import Run


class RememberedCards:
    """This run's rendered cards (per process: forked renderers fill their own)."""

    def __init__(self) -> None:
        self.cards: dict[tuple[Any, ...], Any] = {}

    @classmethod
    def of(cls, settings: MutableMapping[str, Any]) -> RememberedCards:
        return Run.of(settings).part(cls)

    def card(self, render: Callable[..., Any], item: Any, *arguments: Any, siteurl: str) -> Any:
        """``render(item, *arguments)``, from memory when it was rendered before.

        ``arguments`` are every other value the card is made of, and ``siteurl``
        the page's ``SITEURL`` (which differs between pages with relative URLs).
        The item is known by identity: it lives as long as the run, as the cards do.
        """
        key = (id(item), siteurl, *arguments)
        found = self.cards.get(key)
        if found is None:
            found = self.cards[key] = render(item, *arguments)
        return found


def _render_each_time(render: Callable[..., Any], item: Any, *arguments: Any, siteurl: str) -> Any:
    return render(item, *arguments)


def card_function(settings: MutableMapping[str, Any]) -> Callable[..., Any]:
    """The theme's ``remembered_card`` for this run (no memory in the live preview)."""
    if value(settings, "LIVE_PREVIEW"):
        return _render_each_time
    return RememberedCards.of(settings).card
