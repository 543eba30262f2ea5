"""The one look of every chart and table chip: fonts, greys, margins, the toolbar, and a colour per arm.

Compare arms, Arm detail and Across trials draw with these, so a picture saved from any chart's toolbar
matches the others on a slide, and an arm has the same colour on every page and in every table's chip.
"""

from __future__ import annotations

import colorsys
import hashlib
import json
from collections.abc import Sequence

import plotly.graph_objects as go

# One hue per trial, chosen to stay apart from each other and from the grey of notes and axes.
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#bcbd22")
SHADES = (0.30, 0.68)  # lightness of a trial's darkest and lightest arm

AXIS_POWER = {"exponentformat": "power", "showexponent": "all"}
# The look Streamlit's chart theme gave these figures, set on the figures themselves (draw them with
# st.plotly_chart(..., theme=CHART_THEME)). With the theme, the browser drew each chart three times: once,
# again when its automargin had measured the tick labels, and again in full on Streamlit's second
# Plotly.react (the theme's template is a new object each time); that was most of a filter change.
CHART_THEME = None
# The toolbar of every chart: no plotly logo, a picture saved at twice the size for slides.
CHART_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}
# A font every system has under one of these names: a picture saved from the toolbar is drawn outside the page,
# without the fonts the page loads, and plotly sizes legends and margins by the font it measured in the page.
FAMILY = 'Arial, "Liberation Sans", Helvetica, sans-serif'

GREY = "#808495"
NOTE_GREY = "#777"
TICK_SIZE = 12
STYLE = {
    "font": {"family": FAMILY, "size": 13, "color": GREY},
    "paper_bgcolor": "white", "plot_bgcolor": "white",
    "hoverlabel": {"align": "left", "bgcolor": "white", "bordercolor": "rgba(47, 45, 43, 0.2)",
                   "font": {"family": FAMILY, "size": 12, "color": GREY}},
}
AXIS = {"tickfont": {"size": TICK_SIZE, "color": GREY},
        "automargin": True}  # kept: should a label outgrow the margin reserved for it, plotly widens it
AXIS_TITLE_FONT = {"size": 14, "color": GREY}
TITLE_FONT = {"family": FAMILY, "size": 16, "color": "#2F2D2B", "weight": "bold"}
MARGIN = {"t": 40, "r": 16, "b": 68, "pad": 8}  # b: x tick labels and title; r: a last tick label
# Advance widths of Source Sans (em), rounded up, so a label's margin is not short of what plotly measures.
_EM = {"digit": 0.5, "upper": 0.62, "lower": 0.5, "space": 0.2, "other": 0.36}
# ... and how much wider the charts' own font (FAMILY: Arial or its metric twin) draws than those widths.
OTHER_FONTS = 1.12


def title(text: str) -> dict:
    """A chart title as every chart has it: bold, left-aligned over the plot."""
    return {"text": text, "x": 0, "xanchor": "left", "pad": {"l": 4}, "font": TITLE_FONT}


def base_layout(heading: str, height: int, margin: dict) -> dict:
    """What every chart's layout starts from: its title, height and margins, and the common fonts and background."""
    return {"title": title(heading), "height": height, "margin": margin, **STYLE}


def row_note(y: object, text: str) -> dict:
    """A grey note at the left of an arm's (or trial's) row, where a value would be drawn."""
    return {"x": 0, "xref": "x domain", "xanchor": "left", "y": y, "showarrow": False, "text": text,
            "font": {"color": NOTE_GREY, "size": 11}}


def label_width(text: str, size: float) -> float:
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
    figure.update_layout(**STYLE)
    figure.update_xaxes(AXIS, title_font=AXIS_TITLE_FONT)
    figure.update_yaxes(AXIS, title_font=AXIS_TITLE_FONT)
    return figure


def figure(traces: list[dict], layout: dict) -> go.Figure:
    """The figure, without a template (styled by `layout`, see CHART_THEME) and stamped with a digest of its
    data as `datarevision`.

    Streamlit hands a chart to plotly twice, the second time as a copy; with a data revision that did not
    change, plotly keeps what it computed instead of recomputing and redrawing every trace. A digest, not a
    constant, so that any change of data is still drawn.
    """
    data = json.dumps(traces, sort_keys=True, default=str)
    drawn = go.Figure(data=traces, layout={**layout, "datarevision": hashlib.sha256(data.encode()).hexdigest()[:16]})
    drawn.layout.template = None  # the default (Streamlit's) template: a new object to diff on every draw
    return drawn


def arm_colors(arm_keys: Sequence[str]) -> dict[str, str]:
    """A colour per arm, never the same for two arms: its trial's hue (by the trial's position among all loaded
    trials), in a shade set by the arm's position within the trial, dark to light. Past the palette, hues turn a
    little each round, and a shade already taken is nudged until it is free."""
    trials: dict[str, list[str]] = {}
    for key in dict.fromkeys(arm_keys):
        trials.setdefault(trial_of(key), []).append(key)
    colors: dict[str, str] = {}
    taken: set[str] = set()
    for position, keys in enumerate(trials.values()):
        hue, _, saturation = colorsys.rgb_to_hls(*_rgb(PALETTE[position % len(PALETTE)]))
        hue = (hue + 0.031 * (position // len(PALETTE))) % 1.0
        darkest, lightest = SHADES
        for index, key in enumerate(keys):
            lightness = 0.45 if len(keys) == 1 else darkest + (lightest - darkest) * index / (len(keys) - 1)
            color = _hex(colorsys.hls_to_rgb(hue, lightness, saturation))
            while color in taken:
                lightness = darkest + (lightness - darkest + 0.011) % (lightest - darkest)
                hue = (hue + 0.002) % 1.0
                color = _hex(colorsys.hls_to_rgb(hue, lightness, saturation))
            taken.add(color)
            colors[key] = color
    return colors


def trial_of(arm_key: str) -> str:
    """The trial id an arm key starts with (see frames.arm_key)."""
    return arm_key.split(" · ", 1)[0]


def text_color(background: str) -> str:
    """Black or white, whichever reads better on `background` (a light shade takes black text)."""
    red, green, blue = _rgb(background)
    return "#262730" if 0.299 * red + 0.587 * green + 0.114 * blue > 0.6 else "white"


def _rgb(color: str) -> tuple[float, float, float]:
    return tuple(int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02x}" for c in rgb)
