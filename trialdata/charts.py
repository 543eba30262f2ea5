"""Frames -> plotly figures: dose, schedule and cumulative cells/kg, one colour per arm everywhere.

Arms are named on the axes by a short code (A1, A2, ...) that, like the
colour, is fixed from the full set of loaded arms, so filtering never
re-colours or renumbers an arm; the full label is in the hover and the key.
Doses with no cells/kg equivalent (per cm² of a lesion, islet equivalents) are
drawn on an axis of their own unit (`unit=`), never on the cells/kg one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from .notation import format_cells, format_schedule, plotly_literal

PALETTE = (
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#393b79", "#ad494a", "#637939", "#7b4173", "#e6550d", "#3182bd", "#31a354", "#756bb1",
)
ROW_HEIGHT = 46  # pixels per arm row while there are few arms
DENSE_ROW_HEIGHT = 28  # ... and when there are many, so the row of charts stays readable on one screen
MIN_HEIGHT = 260
TIMELINE_PX = 2.2  # thickness of an arm's timeline bar on the schedule, as of the 2 px line it replaces
LEGEND_LIMIT = 18  # step lines that each get a trace and a legend entry; past it, lines share traces
AXIS_POWER = {"exponentformat": "power", "showexponent": "all"}

# The look Streamlit's chart theme gave these figures, set on the figures themselves (draw them with
# st.plotly_chart(..., theme=CHART_THEME)). With the theme, the browser drew each chart three times: once,
# again when its automargin had measured the tick labels, and again in full on Streamlit's second
# Plotly.react (the theme's template is a new object each time); that was most of a filter change.
CHART_THEME = None
# The toolbar of the Compare and Across trials charts: no plotly logo, a picture saved at twice the size for slides.
CHART_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}
_FAMILY = '"Source Sans", "Source Sans Pro", sans-serif'  # the font Streamlit loads for the page
_GREY = "#808495"
_TICK_SIZE = 12
_STYLE = {
    "font": {"family": _FAMILY, "size": 13, "color": _GREY},
    "paper_bgcolor": "white", "plot_bgcolor": "white",
    "hoverlabel": {"align": "left", "bgcolor": "white", "bordercolor": "rgba(47, 45, 43, 0.2)",
                   "font": {"family": _FAMILY, "size": 12, "color": _GREY}},
}
_AXIS = {"tickfont": {"size": _TICK_SIZE, "color": _GREY},
         "automargin": True}  # kept: should a label outgrow the margin reserved for it, plotly widens it
_AXIS_TITLE_FONT = {"size": 14, "color": _GREY}
TITLE_FONT = {"family": _FAMILY, "size": 16, "color": "#2F2D2B", "weight": "bold"}
_MARGIN = {"t": 40, "r": 16, "b": 68, "pad": 8}  # b: x tick labels and title; r: a last tick label
_CATEGORY_LEFT = 22  # margin beside the widest arm label: the pad and the gap to the axis
_NUMBER_LEFT = 100  # margin of a numeric cells/kg axis: its tick labels and rotated title
# Advance widths of Source Sans (em), rounded up, so a label's margin is not short of what plotly measures.
_EM = {"digit": 0.5, "upper": 0.62, "lower": 0.5, "space": 0.2, "other": 0.36}


PER_KG = "cells/kg"
# How a converted dose's bar is hatched: flat doses with slashes, per-m² doses with crosses.
CONVERSION_PATTERN = {"cells": "/", "cells/m2": "x"}


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


def arm_colors(arm_keys: Sequence[str]) -> dict[str, str]:
    """A colour per arm, by its position among all loaded arms."""
    unique = list(dict.fromkeys(arm_keys))
    return {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(unique)}


def arm_codes(arm_keys: Sequence[str]) -> dict[str, str]:
    """A short axis code per arm (A1, A2, ...), by its position among all loaded arms."""
    unique = list(dict.fromkeys(arm_keys))
    return {key: f"A{i}" for i, key in enumerate(unique, start=1)}


def dose_chart(arms: pd.DataFrame, colors: dict[str, str], codes: dict[str, str], log: bool = False,
               unit: str = PER_KG) -> go.Figure:
    """Dose per administration by arm, in cells/kg (or in `unit`, for doses with no cells/kg equivalent); ranges as
    error bars, converted flat doses hatched with slashes and per-m² doses with crosses.

    One bar trace for every arm (colours, hatching and hover per bar), so hundreds of arms draw as fast as
    a few: plotly's cost grows with the number of traces, not of points.
    """
    rows = list(arms.itertuples())
    labels = [_axis_label(row, codes) for row in rows]
    values = list(dose_values(arms, unit))
    doses = [value if pd.notna(value) else None for value in values]
    bars = {
        "type": "bar", "x": doses, "y": labels, "orientation": "h", "showlegend": False,
        "marker": {"color": [colors[row.arm_key] for row in rows],
                   "pattern": {"shape": [CONVERSION_PATTERN.get(row.dose_unit, "") if row.dose_converted else ""
                                         for row in rows]}},
        "customdata": [[plotly_literal(row.arm), _dose_hover(row, unit)] for row in rows],
        "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
    }
    ranged = [(label, row, value) for label, row, value in zip(labels, rows, values, strict=True)
              if pd.notna(row.dose_low) and pd.notna(value)]
    traces = [bars]
    if ranged:
        dose = [value for _, _, value in ranged]
        low, high = zip(*(range_on_axis(row, value) for _, row, value in ranged), strict=True)
        traces.append({
            "type": "scatter", "x": dose, "y": [label for label, _, _ in ranged], "mode": "markers",
            "marker": {"size": 1, "color": "#333"}, "showlegend": False, "hoverinfo": "skip",
            "error_x": {"type": "data", "symmetric": False, "array": [h - d for h, d in zip(high, dose, strict=True)],
                        "arrayminus": [d - lo for d, lo in zip(dose, low, strict=True)], "color": "#333",
                        "thickness": 1.5, "width": 6},
        })
    title = "Dose per administration" if unit == PER_KG else f"Dose per administration, {unit}"
    layout = _layout(title, f"{unit} per administration", log, chart_height(arms))
    _arm_axis(layout, labels)
    layout["annotations"] = [row_note(label, _missing_dose(row, unit))
                             for label, row, value in zip(labels, rows, values, strict=True) if pd.isna(value)]
    return _figure(traces, layout)


def _missing_dose(row: object, unit: str) -> str:
    """Why a row has no bar on this axis: no cells, no dose, or a dose in another unit drawn elsewhere."""
    if not row.cellular:  # type: ignore[attr-defined]
        return "no cells"
    axis = row.dose_axis  # type: ignore[attr-defined]
    if axis and axis != unit:
        return f"in {axis}: own chart"
    return "dose not stated"


def schedule_chart(arms: pd.DataFrame, colors: dict[str, str], codes: dict[str, str]) -> go.Figure:
    """A timeline per arm with a mark on each administration day (day 0 = first dose).

    Two traces whatever the number of arms, for speed: the timelines are one bar trace (a thin bar per arm
    from its first to its last administration, in the arm's colour), the marks one scatter trace. Drawn as
    lines they took a trace per colour, and each trace costs plotly more than its points.
    """
    rows = list(arms.itertuples())
    labels = [_axis_label(row, codes) for row in rows]
    timed = [(row, label) for row, label in zip(rows, labels, strict=True) if len(row.administration_days)]
    marks = {"x": [], "y": [], "color": [], "customdata": []}
    spans = {"y": [], "base": [], "x": [], "color": []}
    for row, label in timed:
        days = list(row.administration_days)
        schedule = schedule_text(row)
        marks["x"] += days
        marks["y"] += [label] * len(days)
        marks["color"] += [colors[row.arm_key]] * len(days)
        marks["customdata"] += [[plotly_literal(row.arm), n, schedule] for n in range(1, len(days) + 1)]
        spans["y"].append(label)
        spans["base"].append(min(days))
        spans["x"].append(max(days) - min(days))
        spans["color"].append(colors[row.arm_key])
    traces = [{
        "type": "bar", "orientation": "h", "y": spans["y"], "base": spans["base"], "x": spans["x"],
        "width": _timeline_width(chart_height(arms), len(arms)),
        "marker": {"color": spans["color"], "line": {"width": 0}}, "showlegend": False, "hoverinfo": "skip",
    }] if timed else []
    traces.append({
        "type": "scatter", "x": marks["x"], "y": marks["y"], "mode": "markers", "showlegend": False,
        "marker": {"color": marks["color"], "size": 11, "symbol": "diamond"}, "customdata": marks["customdata"],
        "hovertemplate": "<b>%{customdata[0]}</b><br>administration %{customdata[1]} on day %{x}"
                         "<br>%{customdata[2]}<extra></extra>",
    })
    layout = _layout("Schedule", "day (0 = first dose)", False, chart_height(arms))
    last_day = max((max(days) for days in arms["administration_days"] if len(days)), default=0.0)
    pad = max(1.0, last_day * 0.06)
    layout["xaxis"]["range"] = [-pad, last_day + pad]
    if last_day < 2:  # single doses, or none: plotly's own ticks would read −1, −0.5, 0.5, days no one gives
        layout["xaxis"]["tickvals"] = sorted({0.0, last_day})
    _arm_axis(layout, labels)
    layout["annotations"] = [row_note(label, "schedule not stated")
                             for row, label in zip(rows, labels, strict=True) if not len(row.administration_days)]
    return _figure(traces, layout)


def cumulative_chart(
    cumulative: pd.DataFrame, arms: pd.DataFrame, colors: dict[str, str], codes: dict[str, str], log: bool = False,
    unit: str = PER_KG,
) -> go.Figure:
    """Cumulative cells/kg (or `unit`) over days, one step line per arm regimen, held to the last day shown.

    Up to LEGEND_LIMIT lines each get a trace and a legend entry; beyond, lines of one colour share a
    trace (the hover still names each arm), as a legend of hundreds helps no one and costs seconds.
    """
    labels = {row.series: _axis_label(row, codes) for row in arms.itertuples()}
    steps = step_lines(cumulative, unit)
    title = "Cumulative dose" if unit == PER_KG else f"Cumulative dose, {unit}"
    layout = _layout(title, "day (0 = first dose)", False, chart_height(arms))
    layout["yaxis"].update(title={**layout["yaxis"]["title"], "text": f"cumulative {unit}"},
                           type="log" if log else "linear", rangemode="tozero", gridcolor="#e6eaf1", zeroline=True,
                           zerolinecolor="#e6eaf1", **AXIS_POWER)
    layout.update(showlegend=len(steps) <= LEGEND_LIMIT,
                  legend={"orientation": "h", "y": -0.25, "x": 0, "font": {"size": 11, "color": "#262730"}})
    if not steps:
        layout["annotations"] = [no_days_note(arms, codes, unit)]
    return _figure(line_traces(steps, colors, lambda line: labels.get(line.series, line.arm), unit=unit), layout)


def no_days_note(arms: pd.DataFrame, codes: dict[str, str], unit: str = PER_KG) -> dict:
    """A chart without steps says why (no arm gives its administration days) and gives the totals it can."""
    column = "cumulative_cells_per_kg" if unit == PER_KG else "cumulative_dose"
    on_axis = arms[arms[column].notna() & (arms["dose_axis"] == unit)]
    totals = [f"{_axis_label(row, codes)}: {format_cells(getattr(row, column), unit)}"
              for row in on_axis.head(6).itertuples()]
    text = "No administration days stated" + (";<br>cumulative doses:<br>" + "<br>".join(totals) if totals else "")
    return {"x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper", "showarrow": False, "text": text,
            "font": {"color": "#777", "size": 12}}



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
    unit: str = PER_KG,
) -> list[dict]:
    """A step-line trace per line, or, past LEGEND_LIMIT lines, one per colour and style with gaps between.

    Traces are plain dicts, validated once by the go.Figure they go into (a go.Scatter is validated when
    made, then copied and validated again by the figure)."""
    hover = "<b>%{customdata[0]}</b><br>day %{x}: %{customdata[1]} in total<extra></extra>"
    def trace(color: str, look: dict, xs: list, ys: list, data: list, **named: object) -> dict:
        return {
            "type": "scatter", "x": xs, "y": ys, "mode": "lines+markers", "connectgaps": False, "customdata": data,
            "line": {"color": color, "width": 2.5, "shape": "hv", **look.get("line", {})}, "hovertemplate": hover,
            "marker": {"color": color, "size": 7, **look.get("marker", {})}, "opacity": look.get("opacity", 1.0),
            **named,
        }

    def hovers(line: StepLine) -> list[list[str]]:
        return [[plotly_literal(hover_name(line)), format_cells(t, unit)] for t in line.totals]

    if len(lines) <= LEGEND_LIMIT:
        return [trace(colors[line.arm_key], style(line), line.days, line.totals, hovers(line),
                      name=plotly_literal(name(line)))
                for line in lines]
    groups: dict[tuple[str, str], tuple[dict, list, list, list]] = {}
    for line in lines:
        look = style(line)
        _, xs, ys, data = groups.setdefault((colors[line.arm_key], repr(look)), (look, [], [], []))
        xs += [*line.days, None]
        ys += [*line.totals, None]
        data += [*hovers(line), [None, None]]
    return [trace(color, look, xs, ys, data, showlegend=False) for (color, _), (look, xs, ys, data) in groups.items()]


def row_note(y: object, text: str) -> dict:
    """A grey note at the left of an arm's (or trial's) row, where a value would be drawn."""
    return {"x": 0, "xref": "x domain", "xanchor": "left", "y": y, "showarrow": False, "text": text,
            "font": {"color": "#777", "size": 11}}


def chart_height(arms: pd.DataFrame) -> int:
    """One height for the three side-by-side charts, growing with the number of arm rows."""
    row = ROW_HEIGHT if len(arms) <= 8 else DENSE_ROW_HEIGHT
    return max(MIN_HEIGHT, 140 + row * len(arms))


def _timeline_width(height: int, rows: int) -> float:
    """TIMELINE_PX as a bar width in category units (a fraction of a row) on a chart `height` px tall."""
    plot = height - _MARGIN["t"] - _MARGIN["b"]
    return min(1.0, TIMELINE_PX * max(rows, 1) / max(plot, 1))


def _layout(title: str, x_title: str, log: bool, height: int) -> dict:
    """The layout the three charts share, as one dict: plotly validates a layout given whole to go.Figure
    some ten times faster than one built up by update_layout on a figure holding the default template."""
    return {
        "title": {"text": title, "x": 0, "xanchor": "left", "pad": {"l": 4},
                  "font": TITLE_FONT},
        "height": height, "margin": {**_MARGIN, "l": _NUMBER_LEFT}, "barmode": "overlay", **_STYLE,
        "xaxis": {"title": {"text": x_title, "standoff": 20, "font": _AXIS_TITLE_FONT}, "showgrid": False,
                  "zeroline": False, "type": "log" if log else "linear", **_AXIS, **AXIS_POWER},
        "yaxis": {"title": {"standoff": 24, "font": _AXIS_TITLE_FONT}, **_AXIS},
    }


def _arm_axis(layout: dict, labels: list[str]) -> None:
    """A category axis of the arm rows, top to bottom, with a left margin as wide as its widest label."""
    order = list(dict.fromkeys(labels))
    layout["yaxis"].update(categoryorder="array", categoryarray=order[::-1], type="category",
                           range=[-0.5, max(len(order), 1) - 0.5], title=None, gridcolor="#f0f0f0")
    widest = max((_label_width(label, _TICK_SIZE) for label in order), default=0.0)
    layout["margin"]["l"] = round(widest) + _CATEGORY_LEFT


def _label_width(text: str, size: float) -> float:
    """About how wide `text` draws in the charts' font at `size` px, a little over rather than under."""
    def em(char: str) -> float:
        if char.isdigit():
            return _EM["digit"]
        if char.isupper():
            return _EM["upper"]
        if char.islower():
            return _EM["lower"]
        return _EM["space"] if char == " " else _EM["other"]
    return sum(em(char) for char in text) * size


def themed(figure: go.Figure) -> go.Figure:
    """`figure` in the look the charts give themselves (see CHART_THEME), for figures built up piece by piece:
    the same fonts, greys and hover labels on every page."""
    figure.layout.template = None
    figure.update_layout(**_STYLE)
    figure.update_xaxes(_AXIS, title_font=_AXIS_TITLE_FONT)
    figure.update_yaxes(_AXIS, title_font=_AXIS_TITLE_FONT)
    return figure


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    """The figure, without a template (styled by `layout`, see CHART_THEME) and stamped with a digest of its
    data as `datarevision`.

    Streamlit hands a chart to plotly twice, the second time as a copy; with a data revision that did not
    change, plotly keeps what it computed instead of recomputing and redrawing every trace. A digest, not a
    constant, so that any change of data is still drawn.
    """
    data = json.dumps(traces, sort_keys=True, default=str)
    figure = go.Figure(data=traces, layout={**layout, "datarevision": hashlib.sha256(data.encode()).hexdigest()[:16]})
    figure.layout.template = None  # the default (Streamlit's) template: a new object to diff on every draw
    return figure


def _axis_label(row: object, codes: dict[str, str]) -> str:
    code = codes.get(row.arm_key, "?")  # type: ignore[attr-defined]
    regimen = row.series.removeprefix(row.arm_key).removeprefix(" · ")  # type: ignore[attr-defined]
    return f"{code} · {regimen}" if regimen else code


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


def schedule_text(row: object) -> str:
    """'weekly ×4', 'single', ... for an arms-frame row."""
    count, interval = row.administrations, row.interval_days  # type: ignore[attr-defined]
    return format_schedule(None if pd.isna(count) else int(count), None if pd.isna(interval) else float(interval),
                           tuple(row.administration_days))  # type: ignore[attr-defined]


def _dose_hover(row: object, unit: str = PER_KG) -> str:
    if pd.isna(row.dose_per_administration):  # type: ignore[attr-defined]
        return "no cell dose stated"
    if unit != PER_KG or pd.isna(row.dose_cells_per_kg):  # type: ignore[attr-defined]
        text = format_cells(row.dose_per_administration, row.dose_unit)  # type: ignore[attr-defined]
        if unit == PER_KG:
            text += " (no cells/kg equivalent: drawn in its own chart)"
    else:
        text = format_cells(row.dose_cells_per_kg, "cells/kg")  # type: ignore[attr-defined]
        if row.dose_converted:  # type: ignore[attr-defined]
            stated = "flat" if row.dose_unit == "cells" else "per m²"  # type: ignore[attr-defined]
            text += f" ({stated} {format_cells(row.dose_per_administration, row.dose_unit)}, converted)"  # type: ignore[attr-defined]
    if row.population:  # type: ignore[attr-defined]
        text += f"<br>counted: {row.population}"  # type: ignore[attr-defined]
    if pd.notna(row.dose_low):  # type: ignore[attr-defined]
        text += " — midpoint of a range"
    return text
