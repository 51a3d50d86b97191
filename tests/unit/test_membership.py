"""``Members``: the same answers as a list's ``in``, from a set."""

from __future__ import annotations

from culture_hub.parallel.membership import Members, index_memberships


class Story:
    """Like Pelican's content objects: no ``__eq__``, so identity decides."""


def test_in_answers_as_a_list_does_and_follows_every_change() -> None:
    a, b, c = Story(), Story(), Story()
    members = Members([a, b])
    assert a in members and b in members and c not in members
    members.append(c)
    assert c in members
    members.remove(a)
    assert a not in members
    members[0] = a
    assert a in members and b not in members
    del members[0]
    assert a not in members
    members += [b]
    assert b in members
    members.pop()
    assert b not in members
    members.extend([a])
    members.insert(0, b)
    assert a in members and b in members
    members.clear()
    assert a not in members and list(members) == []


def test_the_generator_keeps_its_lists_in_order_and_its_context_sees_them() -> None:
    a, b = Story(), Story()

    class Generator:
        tags = {"tea": [b, a]}  # noqa: RUF012 - a stand-in for Pelican's generator
        categories = [("stories", [a, b])]  # noqa: RUF012
        authors = [("ada", [a])]  # noqa: RUF012

    generator = Generator()
    context = {"tags": generator.tags, "categories": generator.categories}
    index_memberships(generator)
    assert isinstance(context["tags"]["tea"], Members)
    assert list(context["tags"]["tea"]) == [b, a]
    assert context["categories"][0] == ("stories", [a, b])
    assert isinstance(context["categories"][0][1], Members)
    assert b not in generator.authors[0][1]
