"""How much each department published per month: numbers and an SVG chart.

Pure: the plugin passes the articles and "today"; the chart is built with
ElementTree (never string templates) and carries a title and description for
screen readers; the same numbers go into an HTML table beside it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from culture_hub.content_model.colours import badge_colours

SVG = "http://www.w3.org/2000/svg"
# Not a setting: the page says "Quiet this quarter", so a quarter it is.
QUIET_MONTHS = 3


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def label(self) -> str:
        return date(self.year, self.month, 1).strftime("%b %Y")

    @property
    def short(self) -> str:
        return date(self.year, self.month, 1).strftime("%b")


@dataclass(frozen=True)
class Row:
    department: Any  # a Department record
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def quiet(self) -> bool:
        """Nothing published in the last quarter."""
        return sum(self.counts[-QUIET_MONTHS:]) == 0


@dataclass(frozen=True)
class Contributions:
    months: tuple[Month, ...]
    rows: tuple[Row, ...]

    @property
    def totals(self) -> tuple[int, ...]:
        return (
            tuple(sum(col) for col in zip(*(r.counts for r in self.rows), strict=True))
            if self.rows
            else tuple(0 for _ in self.months)
        )

    @property
    def quiet(self) -> list[Any]:
        return [r.department for r in self.rows if r.quiet]


def last_months(today: date, count: int) -> tuple[Month, ...]:
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(Month(year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return tuple(reversed(months))


def count_contributions(
    departments: Sequence[Any], articles: Sequence[Any], today: date, months: int = 12
) -> Contributions:
    """Stories and leadership pieces per department per month, last ``months`` months."""
    window = last_months(today, months)
    index = {m: i for i, m in enumerate(window)}
    rows = []
    for dept in departments:
        counts = [0] * len(window)
        for article in articles:
            slot = index.get(Month(article.date.year, article.date.month))
            if slot is not None and dept in article.departments:
                counts[slot] += 1
        rows.append(Row(dept, tuple(counts)))
    return Contributions(window, tuple(rows))


def chart_svg(data: Contributions, width: int = 720, height: int = 300) -> str:
    """A stacked bar chart, one bar per month, one colour per department."""
    ET.register_namespace("", SVG)
    left, bottom, top = 36, 40, 16
    plot_w, plot_h = width - left - 8, height - bottom - top
    peak = max([*data.totals, 1])
    svg = ET.Element(
        f"{{{SVG}}}svg",
        {
            "viewBox": f"0 0 {width} {height}",
            "role": "img",
            "aria-labelledby": "contrib-title contrib-desc",
            "class": "contrib-chart",
        },
    )
    ET.SubElement(
        svg, f"{{{SVG}}}title", {"id": "contrib-title"}
    ).text = "Stories published per month by department"
    busiest = ", ".join(f"{r.department.name} {r.total}" for r in data.rows if r.total)
    ET.SubElement(svg, f"{{{SVG}}}desc", {"id": "contrib-desc"}).text = (
        f"Stacked bars for {data.months[0].label} to {data.months[-1].label}. "
        f"Totals by department: {busiest or 'none'}. The table beside the chart has every number."
    )
    axis = ET.SubElement(svg, f"{{{SVG}}}g", {"class": "axis"})
    for step in range(peak + 1) if peak <= 10 else range(0, peak + 1, max(1, peak // 5)):
        y = top + plot_h - plot_h * step / peak
        ET.SubElement(
            axis,
            f"{{{SVG}}}line",
            {
                "x1": str(left),
                "x2": str(width - 8),
                "y1": f"{y:.1f}",
                "y2": f"{y:.1f}",
                "stroke": "currentColor",
                "stroke-opacity": "0.15",
            },
        )
        ET.SubElement(
            axis,
            f"{{{SVG}}}text",
            {
                "x": str(left - 6),
                "y": f"{y + 4:.1f}",
                "text-anchor": "end",
                "font-size": "11",
                "fill": "currentColor",
            },
        ).text = str(step)
    slot = plot_w / len(data.months)
    bar_w = slot * 0.7
    for i, month in enumerate(data.months):
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h
        group = ET.SubElement(svg, f"{{{SVG}}}g", {"class": "bar", "data-month": month.label})
        for row in data.rows:
            count = row.counts[i]
            if not count:
                continue
            h = plot_h * count / peak
            y -= h
            rect = ET.SubElement(
                group,
                f"{{{SVG}}}rect",
                {
                    "x": f"{x:.1f}",
                    "y": f"{y:.1f}",
                    "width": f"{bar_w:.1f}",
                    "height": f"{h:.1f}",
                    "fill": badge_colours(row.department.colour)[0],
                    "data-department": row.department.id,
                    "data-count": str(count),
                },
            )
            ET.SubElement(
                rect, f"{{{SVG}}}title"
            ).text = f"{row.department.name}, {month.label}: {count}"
        ET.SubElement(
            svg,
            f"{{{SVG}}}text",
            {
                "x": f"{x + bar_w / 2:.1f}",
                "y": str(height - bottom + 16),
                "text-anchor": "middle",
                "font-size": "11",
                "fill": "currentColor",
            },
        ).text = month.short
    return ET.tostring(svg, encoding="unicode")
