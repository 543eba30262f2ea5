"""Frames -> plotly figures: dose, schedule and cumulative cells/kg, one colour per arm everywhere.

Arms are named on the axes by a short code (A1, A2, ...) that, like the
colour, is fixed from the full set of loaded arms, so filtering never
re-colours or renumbers an arm; the full label is in the hover and the key.
"""

from __future__ import annotations

from collections.abc import Sequence

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
    """Dose per administration by arm, in cells/kg; ranges as error bars, converted flat doses hatched."""
    figure = go.Figure()
    for key, rows in arms.groupby("arm_key", sort=False):
        for row in rows.itertuples():
            dose = row.dose_cells_per_kg
            has_dose = pd.notna(dose)
            low = row.dose_low / _flat_divisor(row) if pd.notna(row.dose_low) else None
            high = row.dose_high / _flat_divisor(row) if pd.notna(row.dose_high) else None
            figure.add_bar(
                x=[dose if has_dose else None], y=[_axis_label(row, codes)], orientation="h",
                name=row.arm, legendgroup=key, showlegend=False,
                marker={"color": colors[key], "pattern": {"shape": "/" if row.dose_converted else ""}},
                error_x=_range_bar(dose, low, high),
                customdata=[[row.arm, _dose_hover(row)]],
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
            )
    _layout(figure, "Dose per administration", "cells/kg per administration", log, chart_height(arms))
    _arm_axis(figure, arms, codes)
    for row in arms.itertuples():
        if pd.isna(row.dose_cells_per_kg):
            figure.add_annotation(x=0, xref="x domain", xanchor="left", y=_axis_label(row, codes), showarrow=False,
                                  text="no cells" if not row.cellular else "dose not stated",
                                  font={"color": "#777", "size": 11})
    return figure


def schedule_chart(arms: pd.DataFrame, colors: dict[str, str], codes: dict[str, str]) -> go.Figure:
    """A timeline per arm with a mark on each administration day (day 0 = first dose)."""
    figure = go.Figure()
    for row in arms.itertuples():
        days = list(row.administration_days)
        if not days:
            continue
        label = _axis_label(row, codes)
        figure.add_scatter(
            x=days, y=[label] * len(days), mode="lines+markers", name=row.arm, showlegend=False,
            line={"color": colors[row.arm_key], "width": 2},
            marker={"color": colors[row.arm_key], "size": 11, "symbol": "diamond"},
            customdata=[[row.arm, n, format_schedule(_count(row), _interval(row), row.administration_days)]
                        for n in range(1, len(days) + 1)],
            hovertemplate="<b>%{customdata[0]}</b><br>administration %{customdata[1]} on day %{x}"
                          "<br>%{customdata[2]}<extra></extra>",
        )
    _layout(figure, "Schedule", "day (0 = first dose)", False, chart_height(arms))
    last_day = max((max(days) for days in arms["administration_days"] if len(days)), default=0.0)
    pad = max(1.0, last_day * 0.06)
    figure.update_xaxes(range=[-pad, last_day + pad])
    _arm_axis(figure, arms, codes)
    for row in arms.itertuples():
        if not len(row.administration_days):
            figure.add_annotation(x=0, xref="x domain", xanchor="left", y=_axis_label(row, codes), showarrow=False,
                                  text="schedule not stated", font={"color": "#777", "size": 11})
    return figure


def cumulative_chart(
    cumulative: pd.DataFrame, arms: pd.DataFrame, colors: dict[str, str], codes: dict[str, str], log: bool = False
) -> go.Figure:
    """Cumulative cells/kg over days, one step line per arm regimen, held to the last day shown."""
    figure = go.Figure()
    last_day = float(cumulative["day"].max()) if not cumulative.empty else 0.0
    labels = {row.series: _axis_label(row, codes) for row in arms.itertuples()}
    for series, steps in cumulative.groupby("series", sort=False):
        days = [*steps["day"], max(last_day, float(steps["day"].max()))]
        totals = [*steps["cumulative_cells_per_kg"], steps["cumulative_cells_per_kg"].iloc[-1]]
        key = steps["arm_key"].iloc[0]
        arm = steps["arm"].iloc[0]
        figure.add_scatter(
            x=days, y=totals, mode="lines+markers", line_shape="hv", name=labels.get(series, arm),
            line={"color": colors[key], "width": 2.5}, marker={"color": colors[key], "size": 7},
            customdata=[[arm, format_cells(t, "cells/kg")] for t in totals],
            hovertemplate="<b>%{customdata[0]}</b><br>day %{x}: %{customdata[1]} in total<extra></extra>",
        )
    _layout(figure, "Cumulative dose", "day (0 = first dose)", False, chart_height(arms))
    figure.update_yaxes(title_text="cumulative cells/kg", type="log" if log else "linear", rangemode="tozero",
                        **AXIS_POWER)
    figure.update_layout(showlegend=True, legend={"orientation": "h", "y": -0.25, "x": 0, "font": {"size": 11}})
    return figure


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
    return f"{code} · {row.phase}" if row.series != row.arm_key and row.phase else code  # type: ignore[attr-defined]


def _range_bar(dose: float, low: float | None, high: float | None) -> dict:
    if low is None or high is None or pd.isna(dose):
        return {"visible": False}
    return {"type": "data", "symmetric": False, "array": [high - dose], "arrayminus": [dose - low],
            "color": "#333", "thickness": 1.5, "width": 6}


def _flat_divisor(row: object) -> float:
    if not row.dose_converted:  # type: ignore[attr-defined]
        return 1.0
    return row.dose_per_administration / row.dose_cells_per_kg  # type: ignore[attr-defined]


def _dose_hover(row: object) -> str:
    if pd.isna(row.dose_cells_per_kg):  # type: ignore[attr-defined]
        return "no cell dose stated"
    text = format_cells(row.dose_cells_per_kg, "cells/kg")  # type: ignore[attr-defined]
    if row.dose_converted:  # type: ignore[attr-defined]
        text += f" (flat {format_cells(row.dose_per_administration, 'cells')}, converted)"  # type: ignore[attr-defined]
    if pd.notna(row.dose_low):  # type: ignore[attr-defined]
        text += " — midpoint of a range"
    return text


def _count(row: object) -> int | None:
    count = row.administrations  # type: ignore[attr-defined]
    return None if pd.isna(count) else int(count)


def _interval(row: object) -> float | None:
    interval = row.interval_days  # type: ignore[attr-defined]
    return None if pd.isna(interval) else float(interval)
