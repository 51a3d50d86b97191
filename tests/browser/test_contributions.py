"""The contributions chart looks right in Chromium at desktop and phone widths."""

from __future__ import annotations

import pytest
from conftest import ARTIFACTS


@pytest.mark.parametrize(("name", "width"), [("desktop", 1280), ("phone", 375)])
def test_chart_renders_and_fits(page, served_site: str, name: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{served_site}/contributions/")
    chart = page.locator("svg.contrib-chart")
    box = chart.bounding_box()
    assert box is not None and box["width"] > 0.8 * min(width, 768) - 40
    assert box["height"] > 100
    bars = page.locator("svg.contrib-chart rect")
    assert bars.count() > 0
    assert all(bars.nth(i).bounding_box()["height"] > 0 for i in range(bars.count()))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.get_by_role("img", name="Stories published per month by department").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"contributions-{name}.png", full_page=True)
    assert page.console_errors == []
    assert page.offsite_requests == []
