"""Frames -> plotly figures: dose, schedule and cumulative cells/kg, one colour per arm everywhere.

Each chart names its arms itself (trial · phase · dose · schedule · code), so a
picture saved from its toolbar stands alone on a slide; the short code (A1,
A2, ...) ties a row to the key table and the exports. Codes and colours are
fixed from the full set of loaded arms, so filtering never re-colours or
renumbers an arm; a trial has one hue and its arms shades of it. Doses with
no cells/kg equivalent (per cm² of a lesion, islet equivalents) are drawn on
an axis of their own unit (`unit=`), never on the cells/kg one.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from ..frames import DEFAULT_BSA_M2, DEFAULT_WEIGHT_KG
from ..notation import format_cells, plotly_literal
from .style import (
    AXIS,
    AXIS_POWER,
    AXIS_TITLE_FONT,
    MARGIN,
    NOTE_GREY,
    OTHER_FONTS,
    PALETTE,
    TICK_SIZE,
    base_layout,
    figure,
    label_width,
    row_note,
)
from .texts import PER_KG, dose_hover, schedule_text, short_dose

ROW_HEIGHT = 46  # pixels per arm row while there are few arms
DENSE_ROW_HEIGHT = 28  # ... and when there are many, so the row of charts stays readable on one screen
MIN_HEIGHT = 260
TIMELINE_PX = 2.2  # thickness of an arm's timeline bar on the schedule, as of the 2 px line it replaces
LEGEND_LIMIT = 18  # step lines that each get a trace and a legend entry; past it, lines share traces
TRIAL_LEGEND_LIMIT = 40  # ... a trace and a legend entry per trial, up to this many trials




_CATEGORY_LEFT = 22  # margin beside the widest arm label: the pad and the gap to the axis
_NUMBER_LEFT = 100  # margin of a numeric cells/kg axis: its tick labels and rotated title
# How a converted dose's bar is hatched: flat doses with slashes, per-m² doses with crosses.
CONVERSION_PATTERN = {"cells": "/", "cells/m2": "x"}
# ... and, on a log axis, which marker a converted dose gets: squares for flat doses, diamonds for per-m² doses.
CONVERSION_SYMBOL = {"cells": "square", "cells/m2": "diamond"}


def split_charted(arms: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(arms with a dose or a schedule to draw, arms with neither), so charts are not rows of blanks."""
    drawable = arms["dose_per_administration"].notna() | arms["administration_days"].map(len).gt(0)
    return arms[drawable], arms[~drawable]


def own_axis_units(arms: pd.DataFrame) -> list[str]:
    """The units among `arms` that are charted on an axis of their own (cells/cm2, IEQ/kg), in first-seen order."""
    return [unit for unit in dict.fromkeys(arms["dose_axis"]) if unit and unit != PER_KG]


def dose_values(arms: pd.DataFrame, unit: str = PER_KG) -> pd.Series:
    """Each row's dose on the axis of `unit`: cells/kg (stated or converted), or the stated dose of that unit."""
    if unit == PER_KG:
        return arms["dose_cells_per_kg"]
    return arms["dose_per_administration"].where(arms["dose_axis"] == unit)


def dose_chart(arms: pd.DataFrame, colors: dict[str, str], codes: dict[str, str], log: bool = False,
               unit: str = PER_KG, weight_kg: float = DEFAULT_WEIGHT_KG, bsa_m2: float = DEFAULT_BSA_M2) -> go.Figure:
    """Dose per administration by arm, in cells/kg (or in `unit`, for doses with no cells/kg equivalent); ranges as
    error bars. On a linear axis a bar per arm, converted flat doses hatched with slashes and per-m² doses with
    crosses; on a log axis a marker per arm (a bar on a log axis starts at an arbitrary value, so its length
    misleads), converted doses drawn as squares (flat) and diamonds (per m²).

    One trace for every arm (colours, hatching and hover per point), so hundreds of arms draw as fast as
    a few: plotly's cost grows with the number of traces, not of points.
    """
    rows = list(arms.itertuples())
    labels = arm_names(arms, codes)
    values = list(dose_values(arms, unit))
    doses = [value if pd.notna(value) else None for value in values]
    colours = [colors[row.arm_key] for row in rows]
    hover = {"customdata": [[plotly_literal(row.arm), _trial_line(row), dose_hover(row, unit, weight_kg, bsa_m2)]
                            for row in rows],
             "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>"}
    ranges = [range_on_axis(row, value) if pd.notna(row.dose_low) and pd.notna(value) else None
              for row, value in zip(rows, values, strict=True)]
    error_x = {"type": "data", "symmetric": False, "color": "#333", "thickness": 1.5, "width": 6,
               "array": [r[1] - v if r else 0 for r, v in zip(ranges, values, strict=True)],
               "arrayminus": [v - r[0] if r else 0 for r, v in zip(ranges, values, strict=True)]}
    if log:
        traces = [{
            "type": "scatter", "mode": "markers", "x": doses, "y": labels, "showlegend": False, **hover,
            "marker": {"color": colours, "size": 12, "line": {"width": 1, "color": "white"},
                       "symbol": [CONVERSION_SYMBOL.get(row.dose_unit, "circle") if row.dose_converted else "circle"
                                  for row in rows]},
            **({"error_x": error_x} if any(ranges) else {}),
        }]
    else:
        traces = [{
            "type": "bar", "x": doses, "y": labels, "orientation": "h", "showlegend": False, **hover,
            "marker": {"color": colours,
                       "pattern": {"shape": [CONVERSION_PATTERN.get(row.dose_unit, "") if row.dose_converted else ""
                                             for row in rows]}},
        }]
        ranged = [(label, value, r) for label, value, r in zip(labels, values, ranges, strict=True) if r]
        if ranged:
            traces.append({
                "type": "scatter", "x": [v for _, v, _ in ranged], "y": [label for label, _, _ in ranged],
                "mode": "markers", "marker": {"size": 1, "color": "#333"}, "showlegend": False, "hoverinfo": "skip",
                "error_x": {**error_x, "array": [r[1] - v for _, v, r in ranged],
                            "arrayminus": [v - r[0] for _, v, r in ranged]},
            })
    heading = "Dose per administration" if unit == PER_KG else f"Dose per administration, {unit}"
    layout = _layout(heading, f"{unit} per administration", log, chart_height(arms))
    if log:
        layout["xaxis"].update(dtick=1, tickangle=0, showgrid=True, gridcolor="#eef0f4")
    _arm_axis(layout, labels)
    layout["annotations"] = [row_note(label, _missing_dose(row, unit))
                             for label, row, value in zip(labels, rows, values, strict=True) if pd.isna(value)]
    return figure(traces, layout)


def _missing_dose(row: object, unit: str) -> str:
    """Why a row has no bar on this axis: no cells, no dose, or a dose in another unit drawn elsewhere."""
    if not row.cellular:  # type: ignore[attr-defined]
        return "no cells"
    axis = row.dose_axis  # type: ignore[attr-defined]
    if axis and axis != unit:
        return f"in {axis}: own chart"
    return "dose not stated"


@dataclass(frozen=True)
class DayScale:
    """How days sit on the schedule and cumulative charts' x axis: as they are, or compressed (log-like: 1 + day on
    a log scale, ticks still in days), so an arm dosed weekly for a month and one dosed quarterly for a year can
    both be read on one axis instead of the weekly one shrinking to a blob at day 0."""

    compressed: bool = False

    def x(self, day: float) -> float:
        """Where `day` is drawn."""
        return math.copysign(math.log10(1 + abs(day)), day) if self.compressed else day

    def title(self) -> str:
        return "day (0 = first dose)" + (", compressed scale" if self.compressed else "")

    def axis(self, last_day: float) -> dict:
        """The x axis range and ticks for days 0 to `last_day`."""
        end = self.x(last_day)
        if not self.compressed:
            pad = max(1.0, last_day * 0.06)
            axis: dict = {"range": [-pad, last_day + pad]}
            if last_day < 2:  # single doses, or none: plotly's own ticks would read −1, −0.5, 0.5, days no one gives
                axis["tickvals"] = sorted({0.0, last_day})
            return axis
        ticks: list[float] = []
        for day in _COMPRESSED_TICKS:  # in order of how much an analyst reads into them: weeks, months, years
            if day <= last_day * 1.02 and all(abs(self.x(day) - self.x(t)) >= 0.08 * max(end, 1.0) for t in ticks):
                ticks.append(day)
        ticks.sort()
        pad = max(0.08, end * 0.04)
        return {"range": [-pad, end + pad], "tickvals": [self.x(d) for d in ticks],
                "ticktext": [f"{d:g}" for d in ticks]}


_COMPRESSED_TICKS = (0, 7, 28, 90, 180, 365, 730, 1095, 1825, 3650, 1, 3, 14, 56, 270, 545, 1460, 21, 42)
DAY_AXES = ("fit", "linear", "compressed")  # what the user may ask of the day axis; "fit" chooses per page
SQUASH_RATIO = 6  # the longest schedule this many times the shortest: a linear axis squashes the short ones


def day_scale(arms: pd.DataFrame, mode: str = "fit") -> DayScale:
    """The day axis for `arms`: compressed when asked, or, to fit, when the longest span of administrations is
    SQUASH_RATIO times the shortest (weekly ×4 beside quarterly ×4)."""
    if mode != "fit":
        return DayScale(compressed=mode == "compressed")
    spans = [max(days) - min(days) for days in arms["administration_days"] if len(days) > 1]
    spans = [span for span in spans if span > 0]
    return DayScale(compressed=bool(spans) and max(spans) >= SQUASH_RATIO * max(min(spans), 1.0))


def schedule_chart(arms: pd.DataFrame, colors: dict[str, str], codes: dict[str, str],
                   scale: DayScale | None = None) -> go.Figure:
    """A timeline per arm with a mark on each administration day (day 0 = first dose).

    Two traces whatever the number of arms, for speed: the timelines are one bar trace (a thin bar per arm
    from its first to its last administration, in the arm's colour), the marks one scatter trace. Drawn as
    lines they took a trace per colour, and each trace costs plotly more than its points.
    """
    scale = scale or day_scale(arms)
    rows = list(arms.itertuples())
    labels = arm_names(arms, codes)
    timed = [(row, label) for row, label in zip(rows, labels, strict=True) if len(row.administration_days)]
    marks: dict[str, list] = {"x": [], "y": [], "color": [], "customdata": []}
    spans: dict[str, list] = {"y": [], "base": [], "x": [], "color": []}
    for row, label in timed:
        days = list(row.administration_days)
        schedule = schedule_text(row)
        trial = _trial_line(row)
        marks["x"] += [scale.x(day) for day in days]
        marks["y"] += [label] * len(days)
        marks["color"] += [colors[row.arm_key]] * len(days)
        marks["customdata"] += [[plotly_literal(row.arm), n, schedule, f"{day:g}", trial]
                                for n, day in enumerate(days, start=1)]
        spans["y"].append(label)
        spans["base"].append(scale.x(min(days)))
        spans["x"].append(scale.x(max(days)) - scale.x(min(days)))
        spans["color"].append(colors[row.arm_key])
    traces = [{
        "type": "bar", "orientation": "h", "y": spans["y"], "base": spans["base"], "x": spans["x"],
        "width": _timeline_width(chart_height(arms), len(arms)),
        "marker": {"color": spans["color"], "line": {"width": 0}}, "showlegend": False, "hoverinfo": "skip",
    }] if timed else []
    traces.append({
        "type": "scatter", "x": marks["x"], "y": marks["y"], "mode": "markers", "showlegend": False,
        "marker": {"color": marks["color"], "size": 11, "symbol": "diamond"}, "customdata": marks["customdata"],
        "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[4]}<br>administration %{customdata[1]} on day "
                         "%{customdata[3]}<br>%{customdata[2]}<extra></extra>",
    })
    layout = _layout("Schedule", scale.title(), False, chart_height(arms))
    last_day = max((max(days) for days in arms["administration_days"] if len(days)), default=0.0)
    layout["xaxis"].update(scale.axis(last_day))
    if not timed:  # no day to draw: no day axis either
        layout["xaxis"].update(showticklabels=False, title={"text": ""})
    _arm_axis(layout, labels)
    layout["annotations"] = [row_note(label, "schedule not stated")
                             for row, label in zip(rows, labels, strict=True) if not len(row.administration_days)]
    return figure(traces, layout)


def cumulative_chart(
    cumulative: pd.DataFrame, arms: pd.DataFrame, colors: dict[str, str], codes: dict[str, str], log: bool = False,
    unit: str = PER_KG, scale: DayScale | None = None,
) -> go.Figure:
    """Cumulative cells/kg (or `unit`) over days, one step line per arm regimen, held to the last day shown.

    Each line is named in the legend as on the other charts' rows. Lines that coincide (two arms at the same
    dose on the same days) are drawn dashed and with larger open markers, one style per repeat, so every arm in
    the legend can be seen. Up to LEGEND_LIMIT lines each get a trace and a legend entry; beyond, lines of one
    trial share a trace and a legend entry naming the trial (the hover still names each arm), as a legend of
    hundreds helps no one and each trace costs plotly time on every filter change.
    """
    scale = scale or day_scale(arms)
    names = dict(zip(arms["series"], arm_names(arms, codes, literal=False), strict=True))  # line_traces escapes
    steps = step_lines(cumulative, unit)
    heading = "Cumulative dose" if unit == PER_KG else f"Cumulative dose, {unit}"
    layout = _layout(heading, scale.title(), False, chart_height(arms))
    layout["yaxis"].update(title={**layout["yaxis"]["title"], "text": f"cumulative {unit}"},
                           type="log" if log else "linear", rangemode="tozero", gridcolor="#e6eaf1", zeroline=True,
                           zerolinecolor="#e6eaf1", **AXIS_POWER)
    last_day = max((max(line.days) for line in steps), default=0.0)
    layout["xaxis"].update(scale.axis(last_day))
    layout.update(showlegend=len(steps) <= LEGEND_LIMIT or len({line.trial_id for line in steps}) <= TRIAL_LEGEND_LIMIT,
                  legend={"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top",
                          "font": {"size": 11, "color": "#262730"}})
    if layout["showlegend"]:  # each line named, or, past a legend's worth of lines, each trial
        widest = max((label_width(names.get(line.series, line.arm) if len(steps) <= LEGEND_LIMIT else line.trial_id,
                                   11) for line in steps), default=0.0)
        layout["margin"]["r"] = round(widest * OTHER_FONTS) + 64  # the legend's symbols and gaps
    if not steps:  # a note, not empty axes running 0 to 6
        layout["annotations"] = [no_days_note(arms, codes, unit)]
        layout["xaxis"].update(visible=False)
        layout["yaxis"].update(visible=False)
    return figure(line_traces(steps, colors, lambda line: names.get(line.series, line.arm), style=repeat_styles(steps),
                               unit=unit, scale=scale), layout)


# How the second, third ... of several coinciding step lines are drawn, so none hides another.
REPEAT_STYLES = (
    {},
    {"line": {"dash": "dash"}, "marker": {"symbol": "circle-open", "size": 12, "line": {"width": 2}}},
    {"line": {"dash": "dot"}, "marker": {"symbol": "diamond-open", "size": 16, "line": {"width": 2}}},
    {"line": {"dash": "dashdot"}, "marker": {"symbol": "square-open", "size": 19, "line": {"width": 2}}},
)


def repeat_styles(lines: list[StepLine]) -> Callable[[StepLine], dict]:
    """A style per line: plain for the first of its shape, then REPEAT_STYLES in turn for each line that
    coincides with earlier ones (same days, same totals)."""
    seen: dict[tuple, int] = {}
    styles: dict[str, dict] = {}
    for line in lines:
        shape = (tuple(line.days[:-1]), tuple(round(t, 6) for t in line.totals))
        repeat = seen.get(shape, 0)
        seen[shape] = repeat + 1
        styles[line.series] = REPEAT_STYLES[1 + (repeat - 1) % (len(REPEAT_STYLES) - 1)] if repeat else {}
    return lambda line: styles.get(line.series, {})


def no_days_note(arms: pd.DataFrame, codes: dict[str, str], unit: str = PER_KG) -> dict:
    """A chart without steps says why (no arm gives its administration days) and gives the totals it can."""
    column = "cumulative_cells_per_kg" if unit == PER_KG else "cumulative_dose"
    on_axis = arms[arms[column].notna() & (arms["dose_axis"] == unit)]
    names = dict(zip(arms["series"], arm_names(arms, codes), strict=True))
    totals = [f"{names[row.series]}: {format_cells(getattr(row, column), unit)}"
              for row in on_axis.head(6).itertuples()]
    text = "No administration days stated" + (";<br>cumulative doses:<br>" + "<br>".join(totals) if totals else "")
    return {"x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper", "showarrow": False, "text": text,
            "font": {"color": NOTE_GREY, "size": 12}}



@dataclass(frozen=True)
class StepLine:
    """One arm regimen's cumulative cells/kg, as days and running totals held to the last day shown."""

    series: str
    arm_key: str
    trial_id: str
    arm: str
    converted: bool
    days: list[float]
    totals: list[float]


def step_lines(cumulative: pd.DataFrame, unit: str = PER_KG) -> list[StepLine]:
    """The cumulative frame as one step line per arm regimen on the axis of `unit`, each held to the last day any
    line reaches."""
    if unit == PER_KG:
        on_axis = cumulative[cumulative["cumulative_cells_per_kg"].notna()]
        column = "cumulative_cells_per_kg"
    else:
        on_axis = cumulative[cumulative["dose_axis"] == unit]
        column = "cumulative_dose"
    last_day = float(on_axis["day"].max()) if not on_axis.empty else 0.0
    lines = []
    for series, steps in on_axis.groupby("series", sort=False):
        totals = list(steps[column])
        lines.append(StepLine(
            series=str(series), arm_key=steps["arm_key"].iloc[0], trial_id=steps["trial_id"].iloc[0],
            arm=steps["arm"].iloc[0], converted=bool(steps["dose_converted"].iloc[0]),
            days=[*steps["day"], max(last_day, float(steps["day"].max()))], totals=[*totals, totals[-1]],
        ))
    return lines


def line_traces(
    lines: list[StepLine], colors: dict[str, str], name: Callable[[StepLine], str],
    style: Callable[[StepLine], dict] = lambda line: {}, hover_name: Callable[[StepLine], str] = lambda line: line.arm,
    unit: str = PER_KG, scale: DayScale = DayScale(),
) -> list[dict]:
    """A step-line trace per line, or, past LEGEND_LIMIT lines, one per trial and style with gaps between (in
    the colour of the trial's first arm; the hover names each arm).

    Traces are plain dicts, validated once by the go.Figure they go into (a go.Scatter is validated when
    made, then copied and validated again by the figure)."""
    hover = ("<b>%{customdata[0]}</b><br>%{customdata[3]}<br>day %{customdata[2]}: %{customdata[1]} in total"
             "<extra></extra>")

    def trace(color: str, look: dict, xs: list, ys: list, data: list, **named: object) -> dict:
        return {
            "type": "scatter", "x": xs, "y": ys, "mode": "lines+markers", "connectgaps": False, "customdata": data,
            "line": {"color": color, "width": 2.5, "shape": "hv", **look.get("line", {})}, "hovertemplate": hover,
            "marker": {"color": color, "size": 7, **look.get("marker", {})}, "opacity": look.get("opacity", 1.0),
            **named,
        }

    def hovers(line: StepLine) -> list[list[str]]:
        trial = plotly_literal(line.trial_id)
        return [[plotly_literal(hover_name(line)), format_cells(t, unit), f"{d:g}", trial]
                for d, t in zip(line.days, line.totals, strict=True)]

    if len(lines) <= LEGEND_LIMIT:
        return [trace(colors[line.arm_key], style(line), [scale.x(d) for d in line.days], line.totals, hovers(line),
                      name=plotly_literal(name(line)))
                for line in lines]
    trials = {trial: i for i, trial in enumerate(dict.fromkeys(line.trial_id for line in lines))}
    by_trial = len(trials) <= TRIAL_LEGEND_LIMIT
    groups: dict[tuple[str, str], tuple[str, dict, list, list, list]] = {}
    for line in lines:
        look = style(line)  # past a legend's worth of trials, the trials of one palette hue share a trace
        group = line.trial_id if by_trial else f"hue {trials[line.trial_id] % len(PALETTE)}"
        _, _, xs, ys, data = groups.setdefault((group, repr(look)), (colors[line.arm_key], look, [], [], []))
        xs += [*(scale.x(d) for d in line.days), None]
        ys += [*line.totals, None]
        data += [*hovers(line), [None, None, None, None]]
    named: set[str] = set()
    traces = []
    for (group, _), (color, look, xs, ys, data) in groups.items():
        first = group not in named
        named.add(group)
        traces.append(trace(color, look, xs, ys, data, name=plotly_literal(group), showlegend=by_trial and first,
                            legendgroup=group))
    return traces


def chart_height(arms: pd.DataFrame) -> int:
    """One height for the three side-by-side charts, growing with the number of arm rows."""
    row = ROW_HEIGHT if len(arms) <= 8 else DENSE_ROW_HEIGHT
    return max(MIN_HEIGHT, 140 + row * len(arms))


def _timeline_width(height: int, rows: int) -> float:
    """TIMELINE_PX as a bar width in category units (a fraction of a row) on a chart `height` px tall."""
    plot = height - MARGIN["t"] - MARGIN["b"]
    return min(1.0, TIMELINE_PX * max(rows, 1) / max(plot, 1))


def _layout(heading: str, x_title: str, log: bool, height: int) -> dict:
    """The layout the three charts share, as one dict: plotly validates a layout given whole to go.Figure
    some ten times faster than one built up by update_layout on a figure holding the default template."""
    return {
        **base_layout(heading, height, {**MARGIN, "l": _NUMBER_LEFT}), "barmode": "overlay",
        "xaxis": {"title": {"text": x_title, "standoff": 20, "font": AXIS_TITLE_FONT}, "showgrid": False,
                  "zeroline": False, "type": "log" if log else "linear", **AXIS, **AXIS_POWER},
        "yaxis": {"title": {"standoff": 24, "font": AXIS_TITLE_FONT}, **AXIS},
    }


def _arm_axis(layout: dict, labels: list[str]) -> None:
    """A category axis of the arm rows, top to bottom, with a left margin as wide as its widest label."""
    order = list(dict.fromkeys(labels))
    layout["yaxis"].update(categoryorder="array", categoryarray=order[::-1], type="category",
                           range=[-0.5, max(len(order), 1) - 0.5], title=None, gridcolor="#f0f0f0")
    widest = max((label_width(label, TICK_SIZE) for label in order), default=0.0)
    layout["margin"]["l"] = round(widest * OTHER_FONTS) + _CATEGORY_LEFT


NAME_PART_LIMIT = 28  # characters of a regimen's own name (a weight band, a dose level) on a chart row


def arm_names(arms: pd.DataFrame, codes: dict[str, str], literal: bool = True) -> list[str]:
    """What each row of `arms` is called on the charts, in row order: trial · phase · regimen · dose · schedule
    · code ("NCT… · Ph 2 · 4.0×10⁶/kg · weekly ×4 · A7"). Escaped for plotly (shown as literal text, never as
    markup) unless `literal` is False, for a caller that escapes it itself."""
    names = []
    for row in arms.itertuples():
        parts = [row.trial_id]
        if row.phase:
            parts.append(row.phase.replace("Phase ", "Ph "))
        regimen = row.series.removeprefix(row.arm_key).removeprefix(" · ")
        if row.phase and regimen.startswith(row.phase):  # "Phase 1 (2)" beside "Ph 1": the phase once
            regimen = regimen.removeprefix(row.phase).strip(" ·")
            regimen = f"regimen {regimen.strip('()')}" if regimen.startswith("(") else regimen
        if regimen:
            parts.append(regimen if len(regimen) <= NAME_PART_LIMIT else regimen[:NAME_PART_LIMIT - 1] + "…")
        parts.append(short_dose(row))
        schedule = schedule_text(row)
        if schedule != "schedule not stated":
            parts.append(schedule.split(" (days")[0].removesuffix(", days not stated"))
        parts.append(codes.get(row.arm_key, "?"))
        name = " · ".join(parts)
        names.append(plotly_literal(name) if literal else name)
    return names


def _trial_line(row: object) -> str:
    """The hover's line naming the arm's trial and phase."""
    phase = row.phase or "phase not stated"  # type: ignore[attr-defined]
    if row.phase_from_trial:  # type: ignore[attr-defined]
        phase += " (the trial's)"
    return plotly_literal(f"{row.trial_id} · {phase}")  # type: ignore[attr-defined]


def range_per_kg(row: object) -> tuple[float, float]:
    """The ends of an arm's dose range in cells/kg (a flat range converted like its midpoint), or the dose
    itself twice when it states no range."""
    return range_on_axis(row, row.dose_cells_per_kg)  # type: ignore[attr-defined]


def range_on_axis(row: object, dose: float) -> tuple[float, float]:
    """The ends of an arm's dose range on the axis where its midpoint is `dose`, converted like the midpoint."""
    low, high = row.dose_low, row.dose_high  # type: ignore[attr-defined]
    if pd.isna(low) or pd.isna(high):
        return dose, dose
    scale = dose / row.dose_per_administration  # type: ignore[attr-defined]  # 1, or the conversion factor
    return low * scale, high * scale
