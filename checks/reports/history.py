"""The history page: per appliance, its écarts by severity over time, and what changed.

The chart is inline SVG drawn here, with no script: it shows without JavaScript, prints, and
each point carries its figures in a <title> (the browser's own tooltip). Series differ by
line pattern as well as colour, so that a black-and-white print still tells them apart; the
same figures follow in a table, for screen readers and for copying.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from markupsafe import Markup

from checks import __version__
from checks.audit.timeline import SEVERITIES, ApplianceHistory, Point
from checks.french import dates
from checks.french.numbers import count as counted
from checks.reports.common import clean, french_date
from checks.reports.jinja import templates

WIDTH, HEIGHT = 720, 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 44, 30, 40
_STYLE = {"critique": ("#b3261e", ""), "majeure": ("#e8710a", "7 4"),
          "mineure": ("#8a7300", "2 3")}
_MAX_LABELS = 8


def short_date(moment: datetime) -> str:
    """« 08/12 05:14 »: an axis label, in Paris time as every date of the page."""
    return dates.short(moment)


def when(moment: datetime) -> str:
    """A date in the page's tables and tooltips: the page names the zone once, above."""
    return french_date(moment, zone=False)


def _plural(count: int, severity: str) -> str:
    return f"{severity} : {counted(count, 'écart')}"


def _ceiling(points: tuple[Point, ...]) -> int:
    highest = max((p.counts[s] for p in points for s in SEVERITIES), default=0)
    return max(highest, 1)


def _ticks(ceiling: int) -> list[int]:
    step = max(1, -(-ceiling // 5))
    return list(range(0, ceiling + step, step))


def chart(history: ApplianceHistory) -> str:
    """The SVG chart of one appliance's écarts by severity, one point per audit and series."""
    points = history.points
    ticks = _ticks(_ceiling(points))
    top = ticks[-1]
    inner_w, inner_h = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM

    def x(index: int) -> float:
        return _LEFT + (inner_w / 2 if len(points) == 1 else inner_w * index / (len(points) - 1))

    def y(count: int) -> float:
        return _TOP + inner_h - inner_h * count / top

    name = escape(clean(history.name, 120))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="datis-historique" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'aria-labelledby="titre-{escape(history.key)}">',
        f'<title id="titre-{escape(history.key)}">Écarts par gravité, audit après audit — '
        f'{name}</title>',
        f"<desc>{counted(len(points), 'audit')}, du {escape(when(points[0].date))} au "
        f"{escape(when(points[-1].date))} ({dates.ZONE}).</desc>",
    ]
    for tick in ticks:
        parts.append(f'<line x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{y(tick):.1f}" '
                     f'y2="{y(tick):.1f}" stroke="#dadce0" stroke-width="1"/>')
        parts.append(f'<text x="{_LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" '
                     f'font-size="11" fill="#5f6368">{tick}</text>')
    every = max(1, -(-len(points) // _MAX_LABELS))
    for index, point in enumerate(points):
        if index % every == 0 or index == len(points) - 1:
            parts.append(f'<text x="{x(index):.1f}" y="{HEIGHT - _BOTTOM + 18}" '
                         f'text-anchor="middle" font-size="11" fill="#5f6368">'
                         f"{escape(short_date(point.date))}</text>")
    for rank, severity in enumerate(SEVERITIES):
        color, dash = _STYLE[severity]
        coordinates = " ".join(f"{x(i):.1f},{y(p.counts[severity]):.1f}"
                               for i, p in enumerate(points))
        pattern = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<g class="serie serie-{severity}">')
        parts.append(f'<polyline points="{coordinates}" fill="none" stroke="{color}" '
                     f'stroke-width="2"{pattern}/>')
        for index, point in enumerate(points):
            count = point.counts[severity]
            parts.append(f'<circle class="point" data-audit="{index + 1}" cx="{x(index):.1f}" '
                         f'cy="{y(count):.1f}" r="{4 - rank * 0.5:.1f}" fill="{color}">'
                         f"<title>{escape(when(point.date))} : "
                         f"{escape(_plural(count, severity))}</title></circle>")
        parts.append("</g>")
        legend_x = _LEFT + rank * 150
        parts.append(f'<line x1="{legend_x}" x2="{legend_x + 28}" y1="12" y2="12" '
                     f'stroke="{color}" stroke-width="2"{pattern}/>')
        parts.append(f'<text x="{legend_x + 34}" y="16" font-size="12" fill="#202124">'
                     f"{severity}</text>")
    parts.append("</svg>")
    return "\n".join(parts)


def to_html(histories: list[ApplianceHistory]) -> str:
    appliances = [{"history": h, "name": clean(h.name, 120), "chart": Markup(chart(h)),
                   "steps": h.steps()} for h in histories]
    return templates().get_template("history.html.j2").render(
        appliances=appliances, severities=SEVERITIES, when=when, clean=clean,
        date=french_date(datetime.now(UTC)), version=__version__)
