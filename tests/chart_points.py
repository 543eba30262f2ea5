"""The points a plotly chart draws, whether each arm has a trace or arms share one (as at scale)."""

from __future__ import annotations

from typing import Any


def points(traces: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One dict per drawn point that carries hover data: its customdata, x, text, colour and symbol."""
    out = []
    for trace in traces:
        data = trace.get("customdata")
        if data is None:
            continue
        marker = trace.get("marker", {})
        for i, item in enumerate(data):
            if item is None or item[0] is None:
                continue  # the gap between two arms sharing a line trace
            out.append({"data": list(item), "x": _nth(trace.get("x"), i), "text": _nth(trace.get("text"), i),
                        "color": _nth(marker.get("color"), i), "symbol": _nth(marker.get("symbol"), i),
                        "name": trace.get("name")})
    return out


def _nth(value: Any, i: int) -> Any:
    return value[i] if isinstance(value, list | tuple) else value
