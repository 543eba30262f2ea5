"""A sentence, a route or a product's words read once and remembered: every later reading of the same words gives
what a first reading gives, in its own place, and the memory holds only texts of ordinary length."""

from __future__ import annotations

from pathlib import Path

from trialdata.grammar.text import short_text_cache
from trialdata.load import read_file
from trialdata.reading.paragraph import read_paragraph

GOLD = Path(__file__).parent / "data" / "gold" / "cell-therapies"

# NCT00990717, intervention description (ClinicalTrials.gov, copied into tests/data/gold/cell-therapies).
NK92_CYCLES = (
    "Cells are administered as an intravenous infusion over one hour on days 1, 3 and 5 of each cycle of treatment. "
    "Patients can receive up to 6 cycles, which are administered monthly. Cell dosage is as follows:\n"
    "Level I: 1x10^9 cells/m^2\nLevel II: 3x10^9 cells/m^2\nLevel III: 5x10^9 cells/m^2"
)


def test_a_record_read_again_gives_the_same_trial() -> None:
    """The cycles of NCT00990717 are composed from two sentences after the grammar has read them; a second reading
    of the record (a second upload, an export after the dashboard) must not find them composed already."""
    data = (GOLD / "NCT00990717.json").read_bytes()
    first, second = read_file("NCT00990717.json", data), read_file("NCT00990717.json", data)
    assert first.trials == second.trials
    regimens = second.trials[0].arms[0].regimens
    assert {r.administrations for r in regimens} == {18}


def test_the_same_words_in_two_places_are_quoted_from_each() -> None:
    """An arm and an intervention sharing their words: each regimen's source names where it was read."""
    in_arm = read_paragraph(NK92_CYCLES, "arm 'NK-92'")
    in_intervention = read_paragraph(NK92_CYCLES, "intervention 'NK-92 cells'")
    assert [r.regimen.dose.value for r in in_arm.readings] == [1e9, 3e9, 5e9]  # type: ignore[union-attr]
    assert [r.regimen for r in in_arm.readings] != [r.regimen for r in in_intervention.readings]
    assert {r.regimen.dose.source.location for r in in_arm.readings} == {"arm 'NK-92'"}  # type: ignore[union-attr]
    assert {r.regimen.dose.source.location for r in in_intervention.readings} == {  # type: ignore[union-attr]
        "intervention 'NK-92 cells'"}


def test_only_texts_of_ordinary_length_are_remembered() -> None:
    reads: list[str] = []

    @short_text_cache(maxsize=4, max_chars=10)
    def length(text: str) -> int:
        reads.append(text)
        return len(text)

    assert [length("ten cells"), length("ten cells")] == [9, 9]
    assert reads == ["ten cells"]  # read once
    long = "x" * 11
    assert [length(long), length(long)] == [11, 11]
    assert reads == ["ten cells", long, long]  # read each time, never held
