"""Human notation for cell numbers and schedules: 1.0×10⁶ cells/kg, weekly ×4."""

from __future__ import annotations

import math
import re

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_POWERS = {exponent: str(exponent).translate(_SUPERSCRIPT) for exponent in range(-30, 31)}  # the usual powers, written


def format_cells(value: float | None, unit: str | None = None) -> str:
    """1000000.0 -> '1.0×10⁶' (plus the unit when given); '' for no value."""
    if value is None or not math.isfinite(value) or value <= 0:
        return ""
    exponent = math.floor(math.log10(value))
    mantissa = round(value / 10**exponent, 2)
    if mantissa >= 10:
        mantissa, exponent = mantissa / 10, exponent + 1
    digits = f"{mantissa:.2f}".rstrip("0")
    digits = digits + "0" if digits.endswith(".") else digits
    power = _POWERS.get(exponent) or str(exponent).translate(_SUPERSCRIPT)
    text = f"{digits}×10{power}"
    return f"{text} {unit}" if unit else text


def format_dose_range(low: float, high: float, unit: str | None = None) -> str:
    """'1.0–2.0×10⁶ cells/kg' when both ends share a power of ten, else both in full."""
    low_text, high_text = format_cells(low), format_cells(high)
    low_mantissa, _, low_power = low_text.partition("×")
    _, _, high_power = high_text.partition("×")
    text = f"{low_mantissa}–{high_text}" if low_power == high_power else f"{low_text}–{high_text}"
    return f"{text} {unit}" if unit else text


def markdown_literal(text: str) -> str:
    """Record text made inert for a Markdown renderer: every punctuation mark backslash-escaped, and a word joiner
    (U+2060, invisible) inside each bare address, which GitHub-flavoured Markdown would otherwise make a link
    however its punctuation is escaped."""
    text = _AUTOLINKED.sub(lambda found: found.group(0)[:-1] + WORD_JOINER + found.group(0)[-1], text)
    return "".join(f"\\{c}" if c in _MARKDOWN_PUNCTUATION else c for c in text)


WORD_JOINER = "\u2060"
_MARKDOWN_PUNCTUATION = set("\\`*_{}[]()<>#+-.!|~:$=\"'&")
# Where GFM's autolink-literal rule starts a link: "http://", "https://", "www." and the "@" of an e-mail address.
_AUTOLINKED = re.compile(r"(?i)(?:https?:/|www\.|[\w.+-]@)")


def plotly_literal(text: str) -> str:
    """Record text made inert for plotly, whose labels and hovers read a subset of HTML (<a href>, <b>, <br>): its
    angle brackets and ampersands written as entities, which plotly shows as the characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def format_schedule(administrations: int | None, interval_days: float | None, days: tuple[float, ...] = ()) -> str:
    """'single', 'weekly ×4', 'every 3 months ×4', '×3 (days 0, 3, 10)', or 'schedule not stated'."""
    if administrations == 1:
        return "single"
    count = f" ×{administrations}" if administrations else ""
    if interval_days:
        return f"{format_interval(interval_days)}{count}"
    if days and administrations:
        return f"×{administrations} (days {', '.join(f'{d:g}' for d in days)})"
    if administrations:
        return f"×{administrations}, days not stated"
    return "schedule not stated"


def format_interval(interval_days: float) -> str:
    """7 -> 'weekly', 90 -> 'every 3 months', 3 -> 'every 3 days'."""
    named = {1: "daily", 7: "weekly", 30: "monthly", 365: "yearly"}
    if interval_days in named:
        return named[int(interval_days)]
    for unit_days, unit in ((365, "year"), (30, "month"), (7, "week")):
        if interval_days % unit_days == 0:
            return f"every {interval_days / unit_days:g} {unit}s"
    return f"every {interval_days:g} days"
