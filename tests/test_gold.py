"""The library against the gold standard: real studies read by hand (tests/data/gold/README.md).

A scientist checks arms against their sources; these tests hold the regimens they would check (dose, unit and
number of administrations) to an F1 of 0.95, and every miss to a flag that warned the user.
"""

import csv
import io
from pathlib import Path

import pytest

from trialdata.__main__ import main
from trialdata.bulk import load_arms_frame
from trialdata.scoring import ArmRegimens, Regimen, library_arms, read_gold, score

GOLD = Path(__file__).parent / "data" / "gold"
MSC = GOLD / "msc-2022"


@pytest.fixture(scope="module")
def msc_score():
    table = load_arms_frame([MSC]).arms
    return score(read_gold(GOLD / "gold.csv"), library_arms(table))


def test_the_gold_covers_at_least_120_studies_and_200_arms() -> None:
    gold = read_gold(GOLD / "gold.csv")
    assert len({arm.trial_id for arm in gold}) >= 120
    assert len(gold) >= 200
    assert {arm.trial_id for arm in gold} == {path.stem for path in MSC.glob("NCT*.json")}


def test_every_arm_of_every_gold_study_is_annotated() -> None:
    import json
    for path in MSC.glob("NCT*.json"):
        study = json.loads(path.read_text(encoding="utf-8"))["protocolSection"]
        labels = {group["label"].strip() for group in study["armsInterventionsModule"]["armGroups"]}
        annotated = {arm.arm for arm in read_gold(GOLD / "gold.csv") if arm.trial_id == path.stem}
        assert labels == annotated, path.stem


def test_regimens_are_read_with_an_f1_of_at_least_0_95(msc_score) -> None:
    assert msc_score.regimens.f1 >= 0.95, msc_score.report()
    assert msc_score.doses.f1 >= 0.95, msc_score.report()
    assert msc_score.days_accuracy >= 0.85, msc_score.report()


def test_every_miss_carries_a_flag(msc_score) -> None:
    """A wrong number the product presents as read is the failure that loses a user's trust."""
    assert msc_score.unflagged == [], msc_score.report()


def test_no_gold_study_fails_to_load_and_every_arm_is_matched(msc_score) -> None:
    assert msc_score.missing_trials == []
    assert msc_score.unknown_arms == []


# --- other cell products: CAR-T, NK, TIL and other T cells, dendritic cells, cord blood and CD34+, islets, tissue ---

CELL_THERAPIES = GOLD / "cell-therapies"


@pytest.fixture(scope="module")
def products_score():
    table = load_arms_frame([CELL_THERAPIES]).arms
    return score(read_gold(GOLD / "gold-cell-therapies.csv"), library_arms(table))


def test_the_other_products_gold_covers_at_least_40_real_trials_of_every_kind() -> None:
    import json
    gold = read_gold(GOLD / "gold-cell-therapies.csv")
    trials = {arm.trial_id for arm in gold}
    assert trials == {path.stem for path in CELL_THERAPIES.glob("NCT*.json")}
    assert len(trials) >= 40
    kinds: dict[str, set[str]] = {}
    for path in CELL_THERAPIES.glob("NCT*.json"):
        study = json.loads(path.read_text(encoding="utf-8"))["protocolSection"]
        text = json.dumps(study).lower()
        for kind, words in (("car-t", ("chimeric antigen receptor", "car t", "car-t", "cart", "ctl019")),
                            ("nk", ("natural killer", "nk cell", "nk-")),
                            ("dendritic", ("dendritic", "sipuleucel")),
                            ("cord blood or cd34", ("cord blood", "cd34")),
                            ("islet or tissue", ("islet", "chondrocyte", "keratinocyte", "fibroblast", "hepatocyte"))):
            if any(word in text for word in words):
                kinds.setdefault(kind, set()).add(path.stem)
    assert len(kinds["car-t"]) >= 8
    assert all(len(trials) >= 4 for trials in kinds.values()), {k: len(v) for k, v in kinds.items()}


def test_every_arm_of_every_other_product_trial_is_annotated() -> None:
    import json
    gold = read_gold(GOLD / "gold-cell-therapies.csv")
    for path in CELL_THERAPIES.glob("NCT*.json"):
        study = json.loads(path.read_text(encoding="utf-8"))["protocolSection"]
        labels = {group["label"].strip() for group in study["armsInterventionsModule"]["armGroups"]}
        assert labels == {arm.arm for arm in gold if arm.trial_id == path.stem}, path.stem


def test_other_products_are_read_with_an_f1_of_at_least_0_90(products_score) -> None:
    assert products_score.regimens.f1 >= 0.90, products_score.report()
    assert products_score.doses.f1 >= 0.90, products_score.report()


def test_every_miss_on_other_products_carries_a_flag(products_score) -> None:
    assert products_score.unflagged == [], products_score.report()
    assert products_score.missing_trials == []
    assert products_score.unknown_arms == []


def test_the_gold_writes_only_the_units_the_table_uses() -> None:
    units = {row["unit"] for row in csv.DictReader((GOLD / "gold-cell-therapies.csv").open(encoding="utf-8"))}
    assert units <= {"", "cells/kg", "cells", "cells/m2", "cells/cm2", "IEQ/kg"}
    assert {"cells/m2", "cells/cm2", "IEQ/kg"} <= units


# --- the scorer itself -------------------------------------------------------------------------------------------

def _arm(regimens: list[Regimen], flags: tuple[str, ...] = ()) -> ArmRegimens:
    return ArmRegimens("NCT00000001", "A", regimens, flags)


def test_a_regimen_needs_dose_unit_and_count_to_match() -> None:
    gold = [_arm([Regimen(1e6, "cells/kg", 4), Regimen(2e6, "cells/kg", 4)])]
    library = [_arm([Regimen(1.0005e6, "cells/kg", 4), Regimen(2e6, "cells/kg", 1)], flags=("count-assumed",))]
    result = score(gold, library)
    assert (result.regimens.matched, result.regimens.library, result.regimens.gold) == (1, 2, 2)
    assert (result.doses.matched, result.doses.library, result.doses.gold) == (2, 2, 2)
    assert result.regimens.f1 == pytest.approx(0.5)
    assert [(miss.kind, miss.regimen.count) for miss in result.misses] == [("missed", 4), ("extra", 1)]
    assert result.unflagged == []


def test_a_wrong_unit_or_a_dose_off_by_more_than_a_thousandth_is_a_miss() -> None:
    gold = [_arm([Regimen(1e6, "cells/kg", 1)])]
    for wrong in (Regimen(1e6, "cells", 1), Regimen(1.01e6, "cells/kg", 1)):
        result = score(gold, [_arm([wrong])])
        assert result.regimens.matched == 0
        assert [miss.flagged for miss in result.misses] == [False, False]


def test_a_routine_conversion_is_no_warning() -> None:
    result = score([_arm([Regimen(1e8, "cells", 1)])], [_arm([Regimen(1e7, "cells", 1)], flags=("dose-converted",))])
    assert len(result.unflagged) == 2


def test_days_are_scored_on_dose_matched_regimens() -> None:
    gold = [_arm([Regimen(1e6, "cells/kg", 4, (0, 7, 14, 21))])]
    assert score(gold, [_arm([Regimen(1e6, "cells/kg", 4, (0, 7, 14, 21))])]).days_accuracy == 1.0
    assert score(gold, [_arm([Regimen(1e6, "cells/kg", 4, (0, 30, 60, 90))])]).days_accuracy == 0.0


def test_the_gold_reads_ranges_as_their_midpoint(tmp_path: Path) -> None:
    path = tmp_path / "gold.csv"
    header = ("trial_id,arm,regimen,cellular,dose,dose_low,dose_high,dose_bound,unit,count,count_stated,days,route,"
              "source,note")
    path.write_text(header + "\nNCT00000001,A,1,true,,1000000,2000000,,cells/kg,1,no,0,,,\n"
                    "NCT00000001,B,1,false,,,,,,,,,,,\n", encoding="utf-8")
    [ranged, control] = read_gold(path)
    assert ranged.regimens == [Regimen(1.5e6, "cells/kg", 1, (0.0,))]
    assert control.regimens == []


def test_the_score_command_prints_the_figures_and_every_miss(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(GOLD / "gold.csv"), str(MSC)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1].startswith("regimen    precision")
    assert "F1" in out and "days       accuracy" in out
    rows = list(csv.DictReader(io.StringIO((GOLD / "gold.csv").read_text(encoding="utf-8"))))
    assert f"{len({(r['trial_id'], r['arm']) for r in rows})} arms" in out


def test_the_score_command_names_a_gold_it_cannot_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "gold.csv").write_text("not,a,gold\n1,2,3\n", encoding="utf-8")
    assert main(["score", str(tmp_path / "gold.csv"), str(MSC)]) == 1
    assert "cannot read the gold standard" in capsys.readouterr().err
