"""Run the W3C Feed Validation Service's own code over a built site's feeds.

The validator (https://github.com/w3c/feedvalidator) is not on PyPI and CI
has no GitHub access, so it is not a test dependency: ``invoke
validate-feeds --validator <checkout> [--python <interpreter>]`` runs this
file, as a script, with an interpreter that has the validator's own
requirements (its ``requirements.txt``: lxml, html5lib, rdflib), e.g. a
scratch virtual environment beside the checkout. Every feed is validated as
it would be at its published address, at the online service's level
("AA"), and any error or warning fails. Standard library only, so it runs
in any environment.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any


def load(validator: Path) -> Any:
    """The ``feedvalidator`` package from a checkout of w3c/feedvalidator."""
    source = validator / "src"
    if not (source / "feedvalidator" / "__init__.py").is_file():
        raise SystemExit(
            f"{validator}: not a checkout of w3c/feedvalidator (no src/feedvalidator); "
            "clone https://github.com/w3c/feedvalidator and pass its folder"
        )
    sys.path.insert(0, str(source))
    try:
        import feedvalidator  # noqa: PLC0415 - found only at run time, in the checkout
        import feedvalidator.validators  # noqa: PLC0415 - imports html5lib
    except ModuleNotFoundError as error:
        raise SystemExit(
            f"the validator needs {error.name}: install {validator}/requirements.txt into "
            "the interpreter given with --python (e.g. a scratch virtual environment)"
        ) from None

    return feedvalidator


def validate(output: Path, siteurl: str, validator: Path) -> list[str]:
    """``path:line: message`` for every error and warning in ``output``'s feeds."""
    feedvalidator = load(validator)
    from feedvalidator import compatibility  # noqa: PLC0415
    from feedvalidator.formatter.text_plain import Formatter  # noqa: PLC0415

    problems: list[str] = []
    feeds = sorted((output / "feeds").rglob("*.xml"))
    if not feeds:
        return [f"{output}/feeds: no feeds to validate (build with an absolute SITEURL first)"]
    for path in feeds:
        base = f"{siteurl.rstrip('/')}/{path.relative_to(output).as_posix()}"
        try:
            with path.open("rb") as stream:
                events = feedvalidator.validateStream(stream, firstOccurrenceOnly=1, base=base)[
                    "loggedEvents"
                ]
        except feedvalidator.logging.ValidationFailure as failure:
            events = [failure.event]
        for line in Formatter(compatibility.AA(events)):
            problems.append(f"{path.relative_to(output)}: {line}")
    return problems


def main(argv: list[str]) -> int:
    """``w3c.py OUTPUT SITEURL VALIDATOR``: print the problems; exit 1 if any."""
    output, siteurl, validator = argv
    problems = validate(Path(output), siteurl, Path(validator))
    for problem in problems:
        print(problem)
    if not problems:
        print(f"every feed in {output}/feeds is valid, with no errors or warnings")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
