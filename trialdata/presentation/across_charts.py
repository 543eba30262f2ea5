"""Across-trial figures: every selected arm on one cells/kg axis, a row per trial, and one
cumulative-exposure chart; doses with no cells/kg equivalent (per cm², islet equivalents) get the
same two charts on an axis of their own unit.

Arms keep the colour and code (A1, A2, ...) they have on every other page. A flat or per-m² dose is
drawn as an open marker and a dashed line, because its cells/kg depend on the reference patient.
The trial in focus is shaded and drawn boldly, so its regimens read against their peers.
"""

from __future__ import annotations

import collections
import math

import pandas as pd
import plotly.graph_objects as go

from ..frames import DEFAULT_BSA_M2
from ..notation import format_cells, plotly_literal
from .arm_charts import LEGEND_LIMIT, StepLine, dose_values, line_traces, no_days_note, range_on_axis, step_lines
from .style import AXIS_POWER, base_layout, row_note, themed
from .texts import PER_KG, dose_hover, schedule_text

TRIAL_ROW_HEIGHT = 64
MIN_HEIGHT = 320
FOCUS_SHADE = "rgba(255, 196, 0, 0.16)"
ACROSS_MARGIN = {"l": 10, "r": 20, "t": 64, "b": 10}  # the trial labels set the left margin themselves
_OFFSET_SPAN = 0.6  # share of a trial's row that its arms spread over


def trial_order(arms: pd.DataFrame, focus: str | None) -> list[str]:
    """Trials top to bottom: the one in focus first, then the rest in load order."""
    trials = list(dict.fromkeys(arms["trial_id"]))
    return ([focus] if focus in trials else []) + [t for t in trials if t != focus]


MAX_CHARTED_TRIALS = 30  # rows on one dose axis before the chart stops being readable (and fast)


def charted_trials(arms: pd.DataFrame, focus: str | None, limit: int = MAX_CHARTED_TRIALS) -> pd.DataFrame:
    """The arms of the trials the charts draw: all, or the one in focus and the first others up to `limit`."""
    keep = trial_order(arms, focus)[:limit]
    return arms[arms["trial_id"].isin(set(keep))]


def across_height(arms: pd.DataFrame) -> int:
    return max(MIN_HEIGHT, 150 + TRIAL_ROW_HEIGHT * arms["trial_id"].nunique())


def across_dose_chart(
    arms: pd.DataFrame, colors: dict[str, str], codes: dict[str, str], weight_kg: float,
    focus: str | None = None, log: bool = False, unit: str = PER_KG, bsa_m2: float = DEFAULT_BSA_M2,
) -> go.Figure:
    """Dose per administration in cells/kg (or `unit`), one row per trial and a labelled marker per arm regimen.

    Markers share a trace per look (stated or converted, in focus or not, with a range or not), so
    hundreds of trials draw fast.
    """
    values = dose_values(arms, unit)
    dosed = arms.assign(axis_dose=values)[values.notna()]
    order = trial_order(arms, focus)
    rows = {trial: len(order) - 1 - i for i, trial in enumerate(order)}  # first trial at the top
    looks: dict[tuple[bool, bool, bool], dict[str, list]] = {}
    for trial, regimens in dosed.groupby("trial_id", sort=False):
        for offset, row in zip(_offsets(len(regimens)), regimens.itertuples(), strict=True):
            bold = focus is None or trial == focus
            ranged = pd.notna(row.dose_low)  # apart, so a marker without a range draws no error-bar caps
            points = looks.setdefault((bool(row.dose_converted), bold, ranged), collections.defaultdict(list))
            points["x"].append(row.axis_dose)
            points["y"].append(rows[trial] + offset)
            points["text"].append(codes.get(row.arm_key, "?"))
            points["color"].append(colors[row.arm_key])
            low, high = range_on_axis(row, row.axis_dose)
            points["plus"].append(high - row.axis_dose)
            points["minus"].append(row.axis_dose - low)
            points["customdata"].append([plotly_literal(str(trial)), plotly_literal(row.arm),
                                         dose_hover(row, unit, weight_kg, bsa_m2), schedule_text(row)])
    traces: list[go.BaseTraceType] = []
    for (converted, bold, ranged), points in looks.items():
        traces.append(go.Scatter(
            x=points["x"], y=points["y"], mode="markers+text", text=points["text"], textposition="middle right",
            textfont={"size": 11, "color": "#222" if bold else "#666"}, showlegend=False,
            marker={"color": points["color"], "size": 14 if bold else 11, "opacity": 1.0 if bold else 0.7,
                    "symbol": "circle-open" if converted else "circle",
                    "line": {"width": 2.5 if converted else 1, "color": points["color"]}},
            error_x={"type": "data", "symmetric": False, "array": points["plus"], "arrayminus": points["minus"],
                     "color": "#333", "thickness": 1.5, "width": 5, "visible": ranged},
            customdata=points["customdata"],
            hovertemplate="<b>%{customdata[0]} · %{customdata[1]}</b><br>%{customdata[2]}"
                          "<br>%{customdata[3]}<extra></extra>",
        ))
    figure = go.Figure(data=traces)
    _symbol_legend(figure, weight_kg, unit, bsa_m2)
    if not dosed.empty:
        median = float(dosed["axis_dose"].median())
        figure.add_vline(x=median, line={"color": "#888", "dash": "dot", "width": 1.5})
        # annotations on a log axis take the power of ten, not the value
        figure.add_annotation(x=math.log10(median) if log else median, y=1, yref="paper", yanchor="bottom",
                              text=f"median {format_cells(median)}", showarrow=False,
                              font={"size": 11, "color": "#555"})
    with_dose = set(dosed["trial_id"])
    elsewhere = arms[arms["dose_axis"].ne("") & arms["dose_axis"].ne(unit)].groupby("trial_id")["dose_axis"].first()
    figure.update_layout(annotations=[*figure.layout.annotations, *(
        row_note(rows[trial], f"dose in {elsewhere[trial]}: own chart" if trial in elsewhere else "no cell dose stated")
        for trial in order if trial not in with_dose)])
    _trial_axis(figure, order, rows, arms, focus)
    heading = "Dose per administration, trial by trial" + ("" if unit == PER_KG else f", {unit}")
    _layout(figure, heading, across_height(arms))
    figure.update_xaxes(title_text=f"{unit} per administration", type="log" if log else "linear",
                        range=_dose_range(dosed, log), gridcolor="#e5e5e5", zeroline=False, **AXIS_POWER)
    return figure


def _dose_range(dosed: pd.DataFrame, log: bool) -> list[float] | None:
    """Room on the right for the last marker's code; from zero on a linear axis."""
    if dosed.empty:
        return None
    high = float((dosed["dose_high"] * dosed["axis_dose"] / dosed["dose_per_administration"])
                 .fillna(0).max())
    high = max(high, float(dosed["axis_dose"].max()))
    if log:
        low = float(dosed["axis_dose"].min())
        return [math.log10(low) - 0.3, math.log10(high) + 0.35]
    return [0, high * 1.15]


def across_cumulative_chart(
    cumulative: pd.DataFrame, arms: pd.DataFrame, colors: dict[str, str], codes: dict[str, str],
    focus: str | None = None, log: bool = False, unit: str = PER_KG,
) -> go.Figure:
    """Cumulative cells/kg (or `unit`) over days since the first dose, a step line per arm regimen (shared traces
    past a legend's worth, as on the Compare page)."""
    lines = step_lines(cumulative, unit)

    def style(line: StepLine) -> dict:
        bold = focus is None or line.trial_id == focus
        return {"opacity": 1.0 if bold else 0.6, "marker": {"size": 7 if bold else 5},
                "line": {"width": 3 if bold else 1.5, "dash": "dash" if line.converted else "solid"}}

    figure = go.Figure(data=line_traces(lines, colors, lambda line: f"{codes.get(line.arm_key, '?')} · "
                                        f"{line.trial_id}", style, lambda line: f"{line.trial_id} · {line.arm}",
                                        unit=unit))
    _layout(figure, "Cumulative dose" + ("" if unit == PER_KG else f", {unit}"), across_height(arms))
    figure.update_xaxes(title_text="day (0 = first dose)", gridcolor="#e5e5e5", zeroline=False)
    figure.update_yaxes(title_text=f"cumulative {unit}", type="log" if log else "linear",
                        rangemode="tozero" if not log else "normal", gridcolor="#e5e5e5", **AXIS_POWER)
    figure.update_layout(showlegend=len(lines) <= LEGEND_LIMIT,
                         legend={"orientation": "h", "y": -0.18, "x": 0, "font": {"size": 11}})
    if not lines:
        figure.add_annotation(no_days_note(arms, codes, unit))
    return figure


def _offsets(count: int) -> list[float]:
    """Vertical offsets that spread a trial's arms over its row, so equal doses do not hide each other."""
    if count == 1:
        return [0.0]
    step = _OFFSET_SPAN / (count - 1)
    return [_OFFSET_SPAN / 2 - i * step for i in range(count)]


def _trial_axis(figure: go.Figure, order: list[str], rows: dict[str, int], arms: pd.DataFrame,
                focus: str | None) -> None:
    conditions = arms.drop_duplicates("trial_id").set_index("trial_id")["conditions"]
    labels = []
    for trial in order:
        condition = "; ".join(conditions.get(trial, ()) or ())
        condition = plotly_literal(condition if len(condition) <= 30 else condition[:29] + "…")
        name = f"<b>{plotly_literal(trial)}</b>" if trial == focus else plotly_literal(trial)
        labels.append(f"{name}<br><span style='font-size:10px;color:#666'>{condition}</span>")
    figure.update_yaxes(tickvals=[rows[t] for t in order], ticktext=labels, range=[-0.6, len(order) - 0.4],
                        showgrid=False, zeroline=False, title_text=None)
    shapes = [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": rows[t] - 0.5, "y1": rows[t] - 0.5,
               "line": {"color": "#eee", "width": 1}} for t in order]  # all at once, as for the notes
    if focus in rows:
        shapes.append({"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "y0": rows[focus] - 0.45,
                       "y1": rows[focus] + 0.45, "fillcolor": FOCUS_SHADE, "line": {"width": 0}, "layer": "below"})
    figure.update_layout(shapes=[*figure.layout.shapes, *shapes])


def _symbol_legend(figure: go.Figure, weight_kg: float, unit: str = PER_KG, bsa_m2: float = DEFAULT_BSA_M2) -> None:
    if unit != PER_KG:
        return  # every dose on an axis of its own unit is stated in it: nothing to tell apart
    for name, symbol in (("dose stated in cells/kg", "circle"),
                         (f"flat or per-m² dose, converted at {weight_kg:g} kg ({bsa_m2:g} m²)", "circle-open")):
        figure.add_scatter(x=[None], y=[None], mode="markers", name=name, showlegend=True,
                           marker={"color": "#555", "size": 11, "symbol": symbol,
                                   "line": {"width": 2, "color": "#555"}})
    figure.update_layout(legend={"orientation": "h", "y": -0.18, "x": 0, "font": {"size": 11}})


def _layout(figure: go.Figure, heading: str, height: int) -> None:
    figure.update_layout(base_layout(heading, height, ACROSS_MARGIN))
    themed(figure)
