"""Frames -> plotly figures: dose, schedule and cumulative cells/kg, one colour per arm everywhere.

Arms are named on the axes by a short code (A1, A2, ...) that, like the
colour, is fixed from the full set of loaded arms, so filtering never
re-colours or renumbers an arm; the full label is in the hover and the key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from .notation import format_cells, format_schedule

PALETTE = (
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#393b79", "#ad494a", "#637939", "#7b4173", "#e6550d", "#3182bd", "#31a354", "#756bb1",
)
ROW_HEIGHT = 46  # pixels per arm row while there are few arms
DENSE_ROW_HEIGHT = 28  # ... and when there are many, so the row of charts stays readable on one screen
MIN_HEIGHT = 260
LEGEND_LIMIT = 18  # step lines that each get a trace and a legend entry; past it, lines share traces
FONT = {"family": "Source Sans Pro, sans-serif", "size": 13}
AXIS_POWER = {"exponentformat": "power", "showexponent": "all"}


def split_charted(arms: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(arms with a dose or a schedule to draw, arms with neither), so charts are not rows of blanks."""
    drawable = arms["dose_cells_per_kg"].notna() | arms["administration_days"].map(len).gt(0)
    return arms[drawable], arms[~drawable]


def arm_colors(arm_keys: Sequence[str]) -> dict[str, str]:
    """A colour per arm, by its position among all loaded arms."""
    unique = list(dict.fromkeys(arm_keys))
    return {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(unique)}


def arm_codes(arm_keys: Sequence[str]) -> dict[str, str]:
    """A short axis code per arm (A1, A2, ...), by its position among all loaded arms."""
    unique = list(dict.fromkeys(arm_keys))
    return {key: f"A{i}" for i, key in enumerate(unique, start=1)}


def dose_chart(arms: pd.DataFrame, colors: dict[str, str], codes: dict[str, str], log: bool = False) -> go.Figure:
    """Dose per administration by arm, in cells/kg; ranges as error bars, converted flat doses hatched.

    One bar trace for every arm (colours, hatching and hover per bar), so hundreds of arms draw as fast as
    a few: plotly's cost grows with the number of traces, not of points.
    """
    rows = list(arms.itertuples())
    labels = [_axis_label(row, codes) for row in rows]
    doses = [row.dose_cells_per_kg if pd.notna(row.dose_cells_per_kg) else None for row in rows]
    bars = go.Bar(
        x=doses, y=labels, orientation="h", showlegend=False,
        marker={"color": [colors[row.arm_key] for row in rows],
                "pattern": {"shape": ["/" if row.dose_converted else "" for row in rows]}},
        customdata=[[row.arm, _dose_hover(row)] for row in rows],
        hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
    )
    ranged = [(label, row) for label, row in zip(labels, rows, strict=True) if pd.notna(row.dose_low)]
    traces: list[go.BaseTraceType] = [bars]
    if ranged:
        dose = [row.dose_cells_per_kg for _, row in ranged]
        low, high = zip(*(range_per_kg(row) for _, row in ranged), strict=True)
        traces.append(go.Scatter(
            x=dose, y=[label for label, _ in ranged], mode="markers", marker={"size": 1, "color": "#333"},
            showlegend=False, hoverinfo="skip",
            error_x={"type": "data", "symmetric": False, "array": [h - d for h, d in zip(high, dose, strict=True)],
                     "arrayminus": [d - lo for d, lo in zip(dose, low, strict=True)], "color": "#333",
                     "thickness": 1.5, "width": 6},
        ))
    figure = go.Figure(data=traces)
    _layout(figure, "Dose per administration", "cells/kg per administration", log, chart_height(arms))
    _arm_axis(figure, arms, codes)
    _row_notes(figure, [(label, "no cells" if not row.cellular else "dose not stated")
                        for label, row in zip(labels, rows, strict=True) if pd.isna(row.dose_cells_per_kg)])
    return figure


def schedule_chart(arms: pd.DataFrame, colors: dict[str, str], codes: dict[str, str]) -> go.Figure:
    """A timeline per arm with a mark on each administration day (day 0 = first dose).

    The marks are one trace; the lines one trace per colour, arms apart by gaps (None), for speed.
    """
    timed = [row for row in arms.itertuples() if len(row.administration_days)]
    marks = {"x": [], "y": [], "color": [], "customdata": []}
    lines: dict[str, tuple[list, list]] = {}
    for row in timed:
        days = list(row.administration_days)
        label = _axis_label(row, codes)
        schedule = schedule_text(row)
        marks["x"] += days
        marks["y"] += [label] * len(days)
        marks["color"] += [colors[row.arm_key]] * len(days)
        marks["customdata"] += [[row.arm, n, schedule] for n in range(1, len(days) + 1)]
        xs, ys = lines.setdefault(colors[row.arm_key], ([], []))
        xs += [*days, None]
        ys += [*([label] * len(days)), None]
    traces: list[go.BaseTraceType] = [
        go.Scatter(x=xs, y=ys, mode="lines", line={"color": color, "width": 2}, showlegend=False,
                   hoverinfo="skip", connectgaps=False) for color, (xs, ys) in lines.items()
    ]
    traces.append(go.Scatter(
        x=marks["x"], y=marks["y"], mode="markers", showlegend=False,
        marker={"color": marks["color"], "size": 11, "symbol": "diamond"}, customdata=marks["customdata"],
        hovertemplate="<b>%{customdata[0]}</b><br>administration %{customdata[1]} on day %{x}"
                      "<br>%{customdata[2]}<extra></extra>",
    ))
    figure = go.Figure(data=traces)
    _layout(figure, "Schedule", "day (0 = first dose)", False, chart_height(arms))
    last_day = max((max(days) for days in arms["administration_days"] if len(days)), default=0.0)
    pad = max(1.0, last_day * 0.06)
    figure.update_xaxes(range=[-pad, last_day + pad])
    _arm_axis(figure, arms, codes)
    _row_notes(figure, [(_axis_label(row, codes), "schedule not stated")
                        for row in arms.itertuples() if not len(row.administration_days)])
    return figure


def cumulative_chart(
    cumulative: pd.DataFrame, arms: pd.DataFrame, colors: dict[str, str], codes: dict[str, str], log: bool = False
) -> go.Figure:
    """Cumulative cells/kg over days, one step line per arm regimen, held to the last day shown.

    Up to LEGEND_LIMIT lines each get a trace and a legend entry; beyond, lines of one colour share a
    trace (the hover still names each arm), as a legend of hundreds helps no one and costs seconds.
    """
    labels = {row.series: _axis_label(row, codes) for row in arms.itertuples()}
    steps = step_lines(cumulative)
    figure = go.Figure(data=line_traces(steps, colors, lambda line: labels.get(line.series, line.arm)))
    _layout(figure, "Cumulative dose", "day (0 = first dose)", False, chart_height(arms))
    figure.update_yaxes(title_text="cumulative cells/kg", type="log" if log else "linear", rangemode="tozero",
                        **AXIS_POWER)
    figure.update_layout(showlegend=len(steps) <= LEGEND_LIMIT,
                         legend={"orientation": "h", "y": -0.25, "x": 0, "font": {"size": 11}})
    return figure



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


def step_lines(cumulative: pd.DataFrame) -> list[StepLine]:
    """The cumulative frame as one step line per arm regimen, each held to the last day any line reaches."""
    last_day = float(cumulative["day"].max()) if not cumulative.empty else 0.0
    lines = []
    for series, steps in cumulative.groupby("series", sort=False):
        totals = list(steps["cumulative_cells_per_kg"])
        lines.append(StepLine(
            series=str(series), arm_key=steps["arm_key"].iloc[0], trial_id=steps["trial_id"].iloc[0],
            arm=steps["arm"].iloc[0], converted=bool(steps["dose_converted"].iloc[0]),
            days=[*steps["day"], max(last_day, float(steps["day"].max()))], totals=[*totals, totals[-1]],
        ))
    return lines


def line_traces(
    lines: list[StepLine], colors: dict[str, str], name: Callable[[StepLine], str],
    style: Callable[[StepLine], dict] = lambda line: {}, hover_name: Callable[[StepLine], str] = lambda line: line.arm,
) -> list[go.BaseTraceType]:
    """A step-line trace per line, or, past LEGEND_LIMIT lines, one per colour and style with gaps between."""
    hover = "<b>%{customdata[0]}</b><br>day %{x}: %{customdata[1]} in total<extra></extra>"
    def trace(color: str, look: dict, xs: list, ys: list, data: list, **named: object) -> go.Scatter:
        return go.Scatter(
            x=xs, y=ys, mode="lines+markers", line_shape="hv", connectgaps=False, customdata=data,
            line={"color": color, "width": 2.5, **look.get("line", {})}, hovertemplate=hover,
            marker={"color": color, "size": 7, **look.get("marker", {})}, opacity=look.get("opacity", 1.0), **named,
        )

    def hovers(line: StepLine) -> list[list[str]]:
        return [[hover_name(line), format_cells(t, "cells/kg")] for t in line.totals]

    if len(lines) <= LEGEND_LIMIT:
        return [trace(colors[line.arm_key], style(line), line.days, line.totals, hovers(line), name=name(line))
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


def _row_notes(figure: go.Figure, notes: list[tuple[object, str]]) -> None:
    # all at once: add_annotation copies the whole list each time, so hundreds of rows took seconds
    figure.update_layout(annotations=[*figure.layout.annotations, *(row_note(y, text) for y, text in notes)])


def chart_height(arms: pd.DataFrame) -> int:
    """One height for the three side-by-side charts, growing with the number of arm rows."""
    row = ROW_HEIGHT if len(arms) <= 8 else DENSE_ROW_HEIGHT
    return max(MIN_HEIGHT, 140 + row * len(arms))


def _layout(figure: go.Figure, title: str, x_title: str, log: bool, height: int) -> None:
    figure.update_layout(
        title={"text": title, "x": 0, "font": {"size": 16}}, height=height, font=FONT,
        margin={"l": 10, "r": 10, "t": 40, "b": 10}, barmode="overlay", plot_bgcolor="white",
        hoverlabel={"align": "left"},
    )
    figure.update_xaxes(title_text=x_title, gridcolor="#e5e5e5", zeroline=False,
                        type="log" if log else "linear", **AXIS_POWER)


def _arm_axis(figure: go.Figure, arms: pd.DataFrame, codes: dict[str, str]) -> None:
    order = list(dict.fromkeys(_axis_label(row, codes) for row in arms.itertuples()))
    figure.update_yaxes(categoryorder="array", categoryarray=order[::-1], type="category",
                        range=[-0.5, max(len(order), 1) - 0.5], title_text=None, gridcolor="#f0f0f0")


def _axis_label(row: object, codes: dict[str, str]) -> str:
    code = codes.get(row.arm_key, "?")  # type: ignore[attr-defined]
    regimen = row.series.removeprefix(row.arm_key).removeprefix(" · ")  # type: ignore[attr-defined]
    return f"{code} · {regimen}" if regimen else code


def range_per_kg(row: object) -> tuple[float, float]:
    """The ends of an arm's dose range in cells/kg (a flat range converted like its midpoint), or the dose
    itself twice when it states no range."""
    dose, low, high = row.dose_cells_per_kg, row.dose_low, row.dose_high  # type: ignore[attr-defined]
    if pd.isna(low) or pd.isna(high):
        return dose, dose
    scale = dose / row.dose_per_administration  # type: ignore[attr-defined]  # 1, or 1/weight for a flat dose
    return low * scale, high * scale


def schedule_text(row: object) -> str:
    """'weekly ×4', 'single', ... for an arms-frame row."""
    count, interval = row.administrations, row.interval_days  # type: ignore[attr-defined]
    return format_schedule(None if pd.isna(count) else int(count), None if pd.isna(interval) else float(interval),
                           tuple(row.administration_days))  # type: ignore[attr-defined]


def _dose_hover(row: object) -> str:
    if pd.isna(row.dose_cells_per_kg):  # type: ignore[attr-defined]
        return "no cell dose stated"
    text = format_cells(row.dose_cells_per_kg, "cells/kg")  # type: ignore[attr-defined]
    if row.dose_converted:  # type: ignore[attr-defined]
        text += f" (flat {format_cells(row.dose_per_administration, 'cells')}, converted)"  # type: ignore[attr-defined]
    if pd.notna(row.dose_low):  # type: ignore[attr-defined]
        text += " — midpoint of a range"
    return text
