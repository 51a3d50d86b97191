"""What a quote card draws: characters no font has (emoji) are left out, never boxes."""

from __future__ import annotations

import pytest

from culture_hub.feeds.cards import CardSpec, draw, drawable, drawn


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("We did it 🎉!", "We did it!"),
        ("Coding 👩🏽\u200d💻 all night.", "Coding all night."),
        ("Thumbs up 👍🏿, then home", "Thumbs up, then home"),
        ("plain text, no emoji.", "plain text, no emoji."),
        ("Team ❤️ forever", "Team ❤ forever"),  # the font has the heart: kept, its selector not
        ("  spaces   as written  ", "  spaces   as written  "),  # nothing left out: untouched
    ],
)
def test_drawn_leaves_out_what_no_font_has(text: str, shown: str) -> None:
    assert drawn(text) == shown


def _spec(quote: str) -> CardSpec:
    return CardSpec(quote, "Ada Quill", "Finance", "#0b5d7a", "Lanternfield Culture Hub")


def test_a_quote_with_an_emoji_gets_its_card_and_one_of_emoji_only_does_not() -> None:
    assert drawable(_spec("Small wins, every week 🎉"))
    assert not drawable(_spec("🎉🎉 👍"))
    card = draw(_spec("Small wins, every week 🎉"))
    assert card.size == (1200, 630)


def test_a_letter_no_font_has_is_never_left_out_of_a_card() -> None:
    """A script no font here has (Linear B) would lose words: no card, not a card with gaps."""
    assert not drawable(_spec("We say \U00010000\U00010001 to every guest"))
