"""Across trials: arms of many trials on one cells/kg axis, chosen by their trials' facts.

Records are built as ClinicalTrials.gov API v2 JSON in memory and read by the real reader, so every
expectation below is derived from registry text written here (or, for the seeds, read from the seed file).
"""

from __future__ import annotations

import csv
import io
import json
import statistics
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tests.chart_points import points
from trialdata.across import (
    NOT_STATED,
    AcrossFilter,
    across_frame,
    across_options,
    apply_across,
    arm_cell_source,
    start_year,
    summarize,
)
from trialdata.export import ACROSS_COLUMNS, to_csv, to_json, to_xlsx
from trialdata.frames import arm_codes, arm_key, arms_frame, cumulative_frame
from trialdata.grammar.products import find_cell_sources
from trialdata.load import load_paths, read_file
from trialdata.models import Trial
from trialdata.notation import format_cells
from trialdata.presentation.across_charts import across_cumulative_chart, across_dose_chart
from trialdata.presentation.style import arm_colors
from trialdata.presentation.tables import across_table, summary_table
from trialdata.presentation.texts import default_focus, focus_summary

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_ID = "NCT06740149"


# --- Building registry records ---------------------------------------------------------------------


def group(label: str, description: str, *interventions: str, kind: str = "EXPERIMENTAL") -> dict:
    """An armGroup, linked to its interventions the way the registry does ("Biological: name")."""
    return {"label": label, "type": kind, "description": description,
            "interventionNames": [f"Biological: {name}" for name in interventions]}


def intervention(name: str, description: str, *labels: str) -> dict:
    return {"type": "BIOLOGICAL", "name": name, "description": description, "armGroupLabels": list(labels)}


def study(nct: str, groups: list[dict], interventions: list[dict] = (), *, official: str = "", brief: str = "",
          summary: str = "", status: str | None = "RECRUITING", start: str | None = "2021-05-01",
          conditions: tuple[str, ...] = ("Liver Cirrhosis",), phases: tuple[str, ...] = ("PHASE1",)) -> dict:
    identification = {"nctId": nct, "briefTitle": brief or f"Cell Therapy Study {nct[-3:]}"}
    if official:
        identification["officialTitle"] = official
    status_module: dict = {}
    if status:
        status_module["overallStatus"] = status
    if start:
        status_module["startDateStruct"] = {"date": start}
    return {"protocolSection": {
        "identificationModule": identification,
        "statusModule": status_module,
        "conditionsModule": {"conditions": list(conditions)},
        "designModule": {"phases": list(phases)},
        "descriptionModule": {"briefSummary": summary},
        "armsInterventionsModule": {"armGroups": groups, "interventions": list(interventions)},
    }}


def read(*studies: dict) -> list[Trial]:
    """The trials of the studies, read through the registry JSON reader as one uploaded file."""
    result = read_file("studies.json", json.dumps(list(studies), ensure_ascii=False).encode("utf-8"))
    assert result.problems == []
    return result.trials


def strings(value: object) -> list[str]:
    """Every text in a JSON record, to check that a quoted sentence is really in it."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def across(trials: list[Trial], weight_kg: float = 70) -> pd.DataFrame:
    return across_frame(trials, arms_frame(trials, weight_kg))


def row(frame: pd.DataFrame, trial_id: str, arm: str) -> pd.Series:
    rows = frame[(frame["trial_id"] == trial_id) & (frame["arm"] == arm)]
    assert len(rows) == 1, f"expected one row for {trial_id} · {arm}, found {len(rows)}"
    return rows.iloc[0]


def trial_ids(frame: pd.DataFrame) -> set[str]:
    return set(frame["trial_id"])


# --- 1. A flat dose converted to cells/kg, everywhere it is shown ----------------------------------

FLAT_CELLS = 1.5e8  # "1.5×10^8" in FLAT_TEXT
FLAT_TEXT = "Participants receive a single intravenous infusion of 1.5×10^8 umbilical cord MSCs."
PER_KG_CELLS = 1.0e6  # "1.0×10^6" in PER_KG_TEXT
PER_KG_TEXT = ("Patients receive 1.0×10^6 cells/kg autologous bone marrow mesenchymal stem cells by intravenous "
               "infusion once a week for a total of 4 administrations.")
FLAT_ID, PER_KG_ID = "NCT09000001", "NCT09000002"


@pytest.fixture(scope="module")
def flat_trials() -> list[Trial]:
    return read(
        study(FLAT_ID, [group("hUC-MSC", FLAT_TEXT, "Umbilical cord MSC")],
              [intervention("Umbilical cord MSC", "Allogeneic umbilical cord mesenchymal stem cells.", "hUC-MSC")]),
        study(PER_KG_ID, [group("BM-MSC", PER_KG_TEXT, "BM-MSC"),
                          group("Standard medical treatment", "Standard medical treatment alone, without cell therapy.",
                                kind="ACTIVE_COMPARATOR")],
              [intervention("BM-MSC", "Autologous bone marrow mesenchymal stem cells.", "BM-MSC")],
              start="2016-09", status="COMPLETED", phases=("PHASE2",)),
    )


def test_flat_dose_is_converted_at_the_reference_weight(flat_trials):
    frame = across(flat_trials, 70)
    flat = row(frame, FLAT_ID, "hUC-MSC")
    assert flat["dose_cells_per_kg"] == pytest.approx(FLAT_CELLS / 70)
    assert flat["dose_cells_per_kg"] == pytest.approx(2.142857e6)
    assert bool(flat["dose_converted"]) is True
    per_kg = row(frame, PER_KG_ID, "BM-MSC")
    assert per_kg["dose_cells_per_kg"] == pytest.approx(PER_KG_CELLS)
    assert bool(per_kg["dose_converted"]) is False


@pytest.mark.parametrize("weight_kg, shown", [(70, "2.14×10⁶ cells/kg (converted)"),
                                               (60, "2.5×10⁶ cells/kg (converted)")])
def test_across_table_marks_a_converted_dose(flat_trials, weight_kg, shown):
    frame = across(flat_trials, weight_kg)
    codes = arm_codes(frame["arm_key"])
    table = across_table(frame, codes, weight_kg)
    flat = table[(table["Trial"] == FLAT_ID) & (table["Arm"] == "hUC-MSC")].iloc[0]
    assert flat["Dose (cells/kg)"] == shown
    assert flat["Cell source"] == "umbilical cord"
    per_kg = table[(table["Trial"] == PER_KG_ID) & (table["Arm"] == "BM-MSC")].iloc[0]
    assert per_kg["Dose (cells/kg)"] == format_cells(PER_KG_CELLS, "cells/kg")  # no "(converted)"
    control = table[(table["Trial"] == PER_KG_ID) & (table["Arm"] == "Standard medical treatment")].iloc[0]
    assert (control["Cell source"], control["Dose (cells/kg)"]) == ("no cells", "—")


def test_across_table_shows_each_trials_facts(flat_trials):
    frame = across(flat_trials)
    table = across_table(frame, arm_codes(frame["arm_key"]), 70)
    per_kg = table[table["Trial"] == PER_KG_ID].iloc[0]
    assert (per_kg["Condition"], per_kg["Trial phase"], per_kg["Status"], per_kg["Start"]) == (
        "Liver Cirrhosis", "2", "Completed", "2016")
    assert per_kg["Code"] == arm_codes(frame["arm_key"])[arm_key(PER_KG_ID, "BM-MSC")]


def test_dose_chart_draws_a_converted_dose_with_an_open_marker(flat_trials):
    frame = across(flat_trials)
    colors, codes = arm_colors(frame["arm_key"]), arm_codes(frame["arm_key"])
    figure = across_dose_chart(frame, colors, codes, 70)
    markers = {point["data"][1]: point for point in points(figure.to_dict()["data"])}
    assert set(markers) == {"hUC-MSC", "BM-MSC"}  # the arm without cells has no marker
    assert markers["hUC-MSC"]["symbol"] == "circle-open"
    assert markers["BM-MSC"]["symbol"] == "circle"
    assert markers["hUC-MSC"]["x"] == pytest.approx(FLAT_CELLS / 70)
    assert markers["hUC-MSC"]["color"] == colors[arm_key(FLAT_ID, "hUC-MSC")]
    assert markers["BM-MSC"]["color"] == colors[arm_key(PER_KG_ID, "BM-MSC")]
    assert markers["hUC-MSC"]["text"] == codes[arm_key(FLAT_ID, "hUC-MSC")]
    assert "converted from a flat 1.5×10⁸ cells at 70 kg" in markers["hUC-MSC"]["data"][2]


def test_chart_colours_do_not_change_when_trials_are_filtered_out(flat_trials):
    everything = across(flat_trials)
    colors, codes = arm_colors(everything["arm_key"]), arm_codes(everything["arm_key"])
    chosen = apply_across(everything, AcrossFilter(cell_sources=("bone marrow",)))
    figure = across_dose_chart(chosen, colors, codes, 70)
    [marker] = points(figure.to_dict()["data"])
    assert marker["color"] == colors[arm_key(PER_KG_ID, "BM-MSC")]
    assert marker["text"] == codes[arm_key(PER_KG_ID, "BM-MSC")]


def test_cumulative_chart_dashes_a_converted_dose(flat_trials):
    frame = across(flat_trials)
    colors, codes = arm_colors(frame["arm_key"]), arm_codes(frame["arm_key"])
    figure = across_cumulative_chart(cumulative_frame(frame), frame, colors, codes)
    lines = {trace.name: trace for trace in figure.data}
    flat = lines[f"{codes[arm_key(FLAT_ID, 'hUC-MSC')]} · {FLAT_ID}"]
    per_kg = lines[f"{codes[arm_key(PER_KG_ID, 'BM-MSC')]} · {PER_KG_ID}"]
    assert flat.line.dash == "dash"
    assert per_kg.line.dash == "solid"
    assert flat.line.color == colors[arm_key(FLAT_ID, "hUC-MSC")]
    assert per_kg.line.color == colors[arm_key(PER_KG_ID, "BM-MSC")]
    # "once a week for a total of 4 administrations": four steps up to 4 × the dose
    assert max(per_kg.y) == pytest.approx(4 * PER_KG_CELLS)
    assert max(flat.y) == pytest.approx(FLAT_CELLS / 70)  # "a single ... infusion"


def test_csv_download_gives_the_converted_dose(flat_trials):
    frame = across(flat_trials)
    data = to_csv(frame, ACROSS_COLUMNS).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(data, newline="")))
    assert list(rows[0]) == ACROSS_COLUMNS
    flat = next(r for r in rows if r["trial_id"] == FLAT_ID)
    assert float(flat["dose_cells_per_kg"]) == pytest.approx(FLAT_CELLS / 70)
    assert flat["dose_converted"] == "true"
    assert float(flat["dose_per_administration"]) == FLAT_CELLS
    assert flat["dose_unit"] == "cells"
    assert flat["cell_source"] == "umbilical cord"
    assert FLAT_TEXT in flat["cell_source_quote"]
    per_kg = next(r for r in rows if r["arm"] == "BM-MSC")
    assert per_kg["dose_converted"] == "false"
    assert float(per_kg["dose_cells_per_kg"]) == PER_KG_CELLS


# --- 2. Where the cells come from, as registries phrase it ------------------------------------------

CELL_SOURCE_PHRASINGS = [
    ("Participants receive hUC-MSCs at 1×10^6 cells/kg by intravenous infusion.", "umbilical cord"),
    ("Human umbilical cord mesenchymal stem cells (hUC-MSCs) are infused through a peripheral vein.",
     "umbilical cord"),
    ("Wharton's jelly-derived MSCs, 1×10^6 cells/kg, are infused intravenously.", "umbilical cord"),
    ("Allogeneic UC-MSCs are given once a week for 4 weeks.", "umbilical cord"),
    ("Autologous bone marrow mononuclear cells (BMMNCs) are infused into the hepatic artery.", "bone marrow"),
    ("Allogeneic bone marrow-derived mesenchymal stromal cells (BM-MSCs) are given intravenously.", "bone marrow"),
    ("Autologous BM-MNCs, 1×10^8 cells, are injected into the portal vein.", "bone marrow"),
    ("Umbilical cord blood mononuclear cells are transplanted intravenously.", "cord blood"),
    ("Human umbilical cord blood-derived MSCs (hUCB-MSCs) are injected intra-articularly.", "cord blood"),
    ("Autologous adipose-derived stromal vascular fraction cells are injected intra-articularly.", "adipose"),
    ("Allogeneic ADSCs (1×10^8 cells) are given by intravenous infusion.", "adipose"),
    ("Adipose tissue-derived mesenchymal stem cells (AD-MSCs) are infused intravenously.", "adipose"),
    ("Placenta-derived mesenchymal stromal cells are infused intravenously.", "placenta"),
    ("Human amniotic epithelial cells (hAECs) are infused intravenously.", "placenta"),
    ("Menstrual blood stem cells are infused through a peripheral vein.", "menstrual blood"),
    ("Dental pulp stem cells, 1×10^6 cells/kg, are given intravenously.", "dental pulp"),
    ("Stem cells from human exfoliated deciduous teeth (SHED) are infused intravenously.", "dental pulp"),
    ("iPSC-derived dopaminergic progenitor cells are implanted into the putamen.", "induced pluripotent"),
    ("Human induced pluripotent stem cell-derived cardiomyocytes are injected intramyocardially.",
     "induced pluripotent"),
    ("G-CSF-mobilized autologous peripheral blood stem cells are infused via the hepatic artery.",
     "peripheral blood"),
    ("Autologous CD34+ cells collected by leukapheresis are infused intravenously.", "peripheral blood"),
    ("Wharton’s jelly-derived mesenchymal stromal cells are infused intravenously.", "umbilical cord"),
    ("WJ-MSCs (1×10^6 cells/kg) are given once a week for 3 weeks.", "umbilical cord"),
    ("hUMSCs are infused through the peripheral vein every 4 weeks.", "umbilical cord"),
    ("Allogeneic cord-derived MSCs are infused intravenously.", "umbilical cord"),
    ("AT-MSCs, 5×10^7 cells, are injected into the knee joint.", "adipose"),
    ("Autologous ADRCs are injected intramyocardially.", "adipose"),
    ("Allogeneic ASCs (120 million cells) are injected into the fistula tract.", "adipose"),
    ("Autologous stromal vascular fraction (SVF) cells are injected intra-articularly.", "adipose"),
    ("MenSCs are infused at 1×10^6 cells/kg.", "menstrual blood"),
    ("PD-MSCs are infused intravenously on day 0 and day 7.", "placenta"),
    ("hAMSCs, 1×10^6 cells/kg, are infused intravenously.", "placenta"),
    ("Decidual stromal cells are given for acute GVHD.", "placenta"),
    ("Autologous PB-MNCs are injected intramuscularly into the ischemic limb.", "peripheral blood"),
    ("Bone marrow aspirate concentrate (BMAC) is injected into the knee.", "bone marrow"),
    ("iPS cell-derived dopaminergic progenitors are implanted bilaterally.", "induced pluripotent"),
    ("Patients receive hUC-MSCs and hBM-MSCs, 1×10^6 cells/kg each, intravenously.", "umbilical cord + bone marrow"),
]


@pytest.mark.parametrize("text, expected", CELL_SOURCE_PHRASINGS, ids=[e for _, e in CELL_SOURCE_PHRASINGS])
def test_cell_source_phrasings(text, expected):
    found = find_cell_sources(text)
    assert " + ".join(tissue for tissue, _ in found) == expected
    assert all(words in text for _, words in found)  # the matched words are quoted from the text


@pytest.mark.parametrize("text, expected", CELL_SOURCE_PHRASINGS, ids=[e for _, e in CELL_SOURCE_PHRASINGS])
def test_cell_source_of_an_arm_read_from_a_registry_record(text, expected):
    """The same phrasings as an arm's description, through the JSON reader, the arms frame and the across frame."""
    [trial] = read(study("NCT09100001", [group("Cell therapy", text)]))
    [arm] = trial.arms
    assert arm.cellular
    frame = across([trial])
    assert list(frame["cell_source"]) == [expected]
    [source] = frame["cell_source_source"]
    assert source.text == text and source.location == "arm 'Cell therapy'"
    assert across_options(frame).cell_sources == tuple(sorted(expected.split(" + ")))


@pytest.mark.parametrize("text", [
    "Mesenchymal stem cells, 1×10^6 cells/kg, are infused intravenously.",
    "Allogeneic mesenchymal stromal cells (MSCs) are given once a week for 4 weeks.",
    "Bone mineral density is measured by DXA at baseline and 12 months.",
    "Patients with chronic spinal cord injury receive intrathecal mesenchymal stem cells.",
    "Cord clamping is not part of this study.",
    "Extracellular vesicles shed by the cells are measured in plasma.",
    "Patients with GVHD after allogeneic bone marrow transplantation receive 1×10^6 cells/kg MSCs.",
    "Mesenchymal stromal cells are instilled into the endometrial cavity of women with thin endometrium.",
])
def test_texts_naming_no_cell_source(text):
    assert find_cell_sources(text) == []


def test_spinal_cord_does_not_hide_an_umbilical_cord_source():
    assert find_cell_sources("hUC-MSCs are given intrathecally to patients with spinal cord injury.") == [
        ("umbilical cord", "hUC-MSCs")]


def test_combined_sources_are_offered_as_separate_choices():
    [trial] = read(study("NCT09100001", [group("Combined", CELL_SOURCE_PHRASINGS[-1][0])]))
    frame = across([trial])
    assert across_options(frame).cell_sources == ("bone marrow", "umbilical cord")
    for tissue in ("bone marrow", "umbilical cord"):
        assert trial_ids(apply_across(frame, AcrossFilter(cell_sources=(tissue,)))) == {"NCT09100001"}


# --- 3. Which text decides an arm's cell source -----------------------------------------------------

PRECEDENCE_ID = "NCT09200001"
ARM_SAYS = "Participants receive 1×10^6 cells/kg intravenously once. The cells are Wharton's jelly-derived MSCs."
INTERVENTION_SAYS = "Mesenchymal stem cells isolated from bone marrow aspirates and expanded in culture."
PRECEDENCE_TITLE = "Adipose-derived Mesenchymal Stem Cells for Decompensated Liver Cirrhosis"


@pytest.fixture(scope="module")
def precedence() -> tuple[dict, Trial]:
    record = study(PRECEDENCE_ID, [
        group("Arm names it", ARM_SAYS, "MSC-A"),
        group("Intervention names it", "Participants receive 1×10^6 cells/kg mesenchymal stem cells intravenously.",
              "MSC-B"),
        group("Intervention name names it", "Participants receive 2×10^6 cells/kg of the cells intravenously.",
              "hUC-MSC injection"),
        group("Title names it", "Participants receive 4×10^6 cells/kg mesenchymal stem cells intravenously.",
              "MSC-D"),
        group("Standard care", "Standard medical treatment alone.", kind="NO_INTERVENTION"),
    ], [
        intervention("MSC-A", INTERVENTION_SAYS, "Arm names it"),
        intervention("MSC-B", INTERVENTION_SAYS, "Intervention names it"),
        intervention("hUC-MSC injection", "Cells are thawed and infused over 30 minutes.",
                     "Intervention name names it"),
        intervention("MSC-D", "Mesenchymal stem cells, thawed at the bedside.", "Title names it"),
    ], official=PRECEDENCE_TITLE, summary="This study tests placenta-derived cells in cirrhosis.")
    [trial] = read(record)
    return record, trial


def _arm(trial: Trial, label: str):
    return next(a for a in trial.arms if a.label == label)


@pytest.mark.parametrize("label, tissue, location", [
    ("Arm names it", "umbilical cord", "arm 'Arm names it'"),
    ("Intervention names it", "bone marrow", "intervention 'MSC-B'"),
    ("Intervention name names it", "umbilical cord", "intervention name"),
    ("Title names it", "adipose", "title"),
])
def test_arm_text_then_interventions_then_title(precedence, label, tissue, location):
    record, trial = precedence
    found, source = arm_cell_source(trial, _arm(trial, label))
    assert found == tissue
    assert source.location == location
    assert any(source.text in text for text in strings(record))


def test_the_quoted_source_is_the_sentence_that_names_the_tissue(precedence):
    _, trial = precedence
    _, source = arm_cell_source(trial, _arm(trial, "Arm names it"))
    assert source.text == ARM_SAYS.split(". ", 1)[1]  # the second sentence, not the whole description
    assert source.text in ARM_SAYS
    _, source = arm_cell_source(trial, _arm(trial, "Intervention names it"))
    assert source.text == INTERVENTION_SAYS


def test_an_arm_without_cells_has_no_cell_source(precedence):
    _, trial = precedence
    standard = _arm(trial, "Standard care")
    assert not standard.cellular
    assert arm_cell_source(trial, standard) == ("", None)
    frame = across([trial])
    assert row(frame, PRECEDENCE_ID, "Standard care")["cell_source"] == ""


def test_summary_speaks_last_and_silence_is_not_stated():
    cells = "Participants receive 1×10^6 cells/kg mesenchymal stem cells intravenously."
    summary = "This study tests placenta-derived decidual stromal cells in liver failure. Patients are followed."
    [from_summary, silent] = read(
        study("NCT09200002", [group("MSC", cells)], summary=summary),
        study("NCT09200003", [group("MSC", cells)], summary="Patients are followed for one year."),
    )
    tissue, source = arm_cell_source(from_summary, from_summary.arms[0])
    assert (tissue, source.location) == ("placenta", "summary")
    assert source.text == summary.split(" Patients")[0]
    assert arm_cell_source(silent, silent.arms[0]) == (NOT_STATED, None)


def test_a_trial_of_cord_blood_and_bone_marrow_gives_each_arm_its_own():
    title = "Umbilical Cord Blood Versus Bone Marrow Mononuclear Cells in Decompensated Cirrhosis"
    record = study("NCT09200004", [
        group("Cord blood", "Patients receive umbilical cord blood mononuclear cells, 1×10^6 cells/kg, "
                            "intravenously.", "UCB-MNC"),
        group("Bone marrow", "Patients receive autologous bone marrow mononuclear cells (BMMNCs), 1×10^6 cells/kg, "
                             "intravenously.", "BMMNC"),
        group("Control", "Standard medical treatment alone.", kind="NO_INTERVENTION"),
    ], [intervention("UCB-MNC", "Cord blood mononuclear cells.", "Cord blood"),
        intervention("BMMNC", "Bone marrow mononuclear cells.", "Bone marrow")], official=title)
    [trial] = read(record)
    frame = across([trial])
    texts = strings(record)
    assert row(frame, "NCT09200004", "Cord blood")["cell_source"] == "cord blood"
    assert row(frame, "NCT09200004", "Bone marrow")["cell_source"] == "bone marrow"
    assert row(frame, "NCT09200004", "Control")["cell_source"] == ""
    for arm in ("Cord blood", "Bone marrow"):
        source = row(frame, "NCT09200004", arm)["cell_source_source"]
        assert source.location == f"arm '{arm}'"
        assert any(source.text in text for text in texts)


# --- 4. Choosing trials by their facts -------------------------------------------------------------

A, B, C, M = "NCT09300001", "NCT09300002", "NCT09300003", "NCT09300004"


@pytest.fixture(scope="module")
def cohort(tmp_path_factory) -> pd.DataFrame:
    """Four trials: A (cirrhosis, phase 1, recruiting, 2021, cord MSCs IV, with a standard-care arm), B (ACLF,
    phase 2, completed, 2015, bone-marrow cells into the hepatic artery, two doses), C (nothing stated), and
    M (cirrhosis, phase 2, 2018, cord blood IV) whose two records disagree on status."""
    folder = tmp_path_factory.mktemp("across")
    a = study(A, [group("hUC-MSC", FLAT_TEXT, "hUC-MSC"),
                  group("Standard medical treatment", "Standard medical treatment alone, without cell therapy.",
                        kind="ACTIVE_COMPARATOR")],
              [intervention("hUC-MSC", "Human umbilical cord mesenchymal stem cells.", "hUC-MSC")],
              status="RECRUITING", start="2021-05-01", conditions=("Liver Cirrhosis",), phases=("PHASE1",))
    b = study(B, [group("BM-MSC low dose", "Patients receive 1.0×10^6 cells/kg autologous bone marrow mesenchymal "
                                           "stem cells through the hepatic artery once.", "BM-MSC"),
                  group("BM-MSC high dose", "Patients receive 2.0×10^6 cells/kg autologous bone marrow mesenchymal "
                                            "stem cells through the hepatic artery once.", "BM-MSC")],
              [intervention("BM-MSC", "Autologous bone marrow mesenchymal stem cells.", "BM-MSC low dose",
                            "BM-MSC high dose")],
              status="COMPLETED", start="2015-03", conditions=("Acute-On-Chronic Liver Failure",), phases=("PHASE2",))
    c = study(C, [group("Cell therapy", "Patients receive mesenchymal stem cells.")],
              status=None, start=None, conditions=(), phases=())

    def m(status: str) -> dict:
        return study(M, [group("UCB-MNC", "Umbilical cord blood mononuclear cells, 2×10^6 cells/kg, are infused "
                                          "intravenously once a week for 4 weeks.", "UCB-MNC"),
                         group("Standard care", "Standard medical treatment alone.", kind="NO_INTERVENTION")],
                     [intervention("UCB-MNC", "Umbilical cord blood mononuclear cells.", "UCB-MNC")],
                     status=status, start="2018-01", conditions=("Liver Cirrhosis",), phases=("PHASE2",))

    (folder / "a-cohort.json").write_text(json.dumps([a, b, c], ensure_ascii=False), encoding="utf-8")
    (folder / "b-registry.json").write_text(json.dumps(m("RECRUITING"), ensure_ascii=False), encoding="utf-8")
    (folder / "c-update.json").write_text(json.dumps(m("COMPLETED"), ensure_ascii=False), encoding="utf-8")
    result = load_paths([folder])
    assert result.problems == []
    [merged] = [t for t in result.trials if t.trial_id == M]
    assert merged.status == "Recruiting / Completed"
    return across(result.trials)


def chosen(frame: pd.DataFrame, **criteria) -> set[str]:
    return trial_ids(apply_across(frame, AcrossFilter(**criteria)))


def test_the_cohort_reads_as_written(cohort):
    assert row(cohort, A, "hUC-MSC")["route"] == "intravenous"
    assert row(cohort, B, "BM-MSC low dose")["route"] == "intra-arterial (hepatic artery)"
    assert row(cohort, C, "Cell therapy")["route"] == ""
    assert row(cohort, M, "UCB-MNC")["status"] == ("Recruiting", "Completed")
    assert row(cohort, C, "Cell therapy")["cell_source"] == NOT_STATED
    assert pd.isna(row(cohort, C, "Cell therapy")["start_year"])
    assert row(cohort, B, "BM-MSC low dose")["start_year"] == 2015


def test_options_list_every_fact_with_not_stated_last(cohort):
    options = across_options(cohort)
    assert options.conditions == ("Acute-On-Chronic Liver Failure", "Liver Cirrhosis", NOT_STATED)
    assert options.phases == ("Phase 1", "Phase 2", NOT_STATED)
    assert options.statuses == ("Completed", "Recruiting", NOT_STATED)  # the merged status split in two
    assert options.cell_sources == ("bone marrow", "cord blood", "umbilical cord", NOT_STATED)
    assert options.routes[-1] == NOT_STATED
    assert {"intravenous", "intra-arterial (hepatic artery)"} <= set(options.routes)
    assert options.years == (2015, 2018, 2021)


def test_no_criterion_chooses_every_arm(cohort):
    assert apply_across(cohort, AcrossFilter()).equals(cohort)


@pytest.mark.parametrize("criteria, expected", [
    ({"conditions": ("Liver Cirrhosis",)}, {A, M}),
    ({"conditions": ("Acute-On-Chronic Liver Failure", "Liver Cirrhosis")}, {A, B, M}),
    ({"phases": ("Phase 2",)}, {B, M}),
    ({"phases": ("Phase 1",)}, {A}),
    ({"statuses": ("Completed",)}, {B, M}),
    ({"statuses": ("Recruiting",)}, {A, M}),
    ({"cell_sources": ("bone marrow",)}, {B}),
    ({"cell_sources": ("cord blood",)}, {M}),
    ({"cell_sources": ("umbilical cord", "bone marrow")}, {A, B}),
    ({"routes": ("intra-arterial (hepatic artery)",)}, {B}),
    ({"routes": ("intravenous",)}, {A, M}),
    ({"years": (2014, 2019)}, {B, M}),
    ({"years": (2021, 2021)}, {A}),
    ({"conditions": ("Liver Cirrhosis",), "statuses": ("Completed",)}, {M}),
    ({"conditions": ("Liver Cirrhosis",), "cell_sources": ("bone marrow",)}, set()),
])
def test_trials_are_chosen_by_their_facts(cohort, criteria, expected):
    assert chosen(cohort, **criteria) == expected


def test_not_stated_chooses_the_trials_that_state_nothing(cohort):
    assert chosen(cohort, conditions=(NOT_STATED,)) == {C}
    assert chosen(cohort, phases=(NOT_STATED,)) == {C}
    assert chosen(cohort, statuses=(NOT_STATED,)) == {C}
    assert chosen(cohort, cell_sources=(NOT_STATED,)) == {C}
    assert C in chosen(cohort, routes=(NOT_STATED,))
    assert B not in chosen(cohort, routes=(NOT_STATED,))  # every arm of B states its route
    assert chosen(cohort, conditions=(NOT_STATED, "Acute-On-Chronic Liver Failure")) == {B, C}


def test_a_narrowed_year_range_drops_undated_trials_and_the_full_range_keeps_them(cohort):
    years = across_options(cohort).years
    assert C not in chosen(cohort, years=(years[0], years[-1] - 1))
    assert chosen(cohort, years=None) == {A, B, C, M}  # None is the full range, as the page passes it


def test_every_arm_of_a_chosen_trial_comes_back(cohort):
    result = apply_across(cohort, AcrossFilter(cell_sources=("umbilical cord",), routes=("intravenous",)))
    assert list(result["arm"]) == ["hUC-MSC", "Standard medical treatment"]  # the control arm too, in order
    result = apply_across(cohort, AcrossFilter(cell_sources=("cord blood",)))
    assert list(result["arm"]) == ["UCB-MNC", "Standard care"]
    assert result.equals(cohort[cohort["trial_id"] == M])


def test_a_trial_is_chosen_when_any_arm_matches(cohort):
    # B's two arms share a source and a route; the low-dose arm alone matching is enough for both to show.
    result = apply_across(cohort, AcrossFilter(cell_sources=("bone marrow",)))
    assert list(result["arm"]) == ["BM-MSC low dose", "BM-MSC high dose"]


# --- 5. Median and range, with the arms behind them ------------------------------------------------

LADDER, FLAT, PEER = "NCT09400001", "NCT09400002", "NCT09400003"
LADDER_DOSES = {"Low dose": 1.0e6, "Medium dose": 2.0e6, "High dose": 4.0e6}  # as written in LADDER_TEXT
LADDER_TEXT = {
    "Low dose": "Patients receive 1.0×10^6 cells/kg hUC-MSCs intravenously once a week for a total of 4 "
                "administrations.",
    "Medium dose": "Patients receive 2.0×10^6 cells/kg hUC-MSCs by a single intravenous infusion.",
    "High dose": "Patients receive 4.0×10^6 cells/kg hUC-MSCs by a single intravenous infusion.",
}
LADDER_COUNTS = {"Low dose": 4, "Medium dose": 1, "High dose": 1}
PEER_DOSE = 5.0e5


@pytest.fixture(scope="module")
def dosed() -> pd.DataFrame:
    trials = read(
        study(LADDER, [group(label, text) for label, text in LADDER_TEXT.items()]
              + [group("Placebo", "Saline placebo infused intravenously.", kind="PLACEBO_COMPARATOR")]),
        study(FLAT, [group("hUC-MSC", FLAT_TEXT)]),
        study(PEER, [group("BM-MSC", "Patients receive 5×10^5 cells/kg bone marrow MSCs by a single intravenous "
                                     "infusion.")]),
    )
    return across(trials)


def series(trial_id: str, arm: str) -> str:
    return arm_key(trial_id, arm)  # each arm here has one regimen, so its series is its key


def by_measure(frame: pd.DataFrame) -> dict:
    return {s.measure: s for s in summarize(frame)}


def test_the_dose_ladder_reads_as_written(dosed):
    for label, dose in LADDER_DOSES.items():
        assert row(dosed, LADDER, label)["dose_cells_per_kg"] == pytest.approx(dose)
        assert row(dosed, LADDER, label)["administrations"] == LADDER_COUNTS[label]
    assert row(dosed, FLAT, "hUC-MSC")["dose_cells_per_kg"] == pytest.approx(FLAT_CELLS / 70)
    assert not row(dosed, LADDER, "Placebo")["cellular"]


def test_summary_of_an_odd_count_names_the_middle_arm(dosed):
    ladder = dosed[dosed["trial_id"] == LADDER]
    dose = by_measure(ladder)["Dose per administration"]
    assert dose.arms == tuple(series(LADDER, label) for label in LADDER_DOSES)  # not the placebo
    assert dose.median == pytest.approx(statistics.median(LADDER_DOSES.values()))
    assert (dose.low, dose.high) == (pytest.approx(1.0e6), pytest.approx(4.0e6))
    assert dose.median_arms == (series(LADDER, "Medium dose"),)
    assert dose.low_arms == (series(LADDER, "Low dose"),)
    assert dose.high_arms == (series(LADDER, "High dose"),)
    assert dose.converted_arms == ()
    cumulative = by_measure(ladder)["Cumulative dose"]
    totals = {label: LADDER_DOSES[label] * LADDER_COUNTS[label] for label in LADDER_DOSES}
    assert cumulative.median == pytest.approx(statistics.median(totals.values()))
    assert cumulative.high_arms == tuple(series(LADDER, lb) for lb in totals if totals[lb] == max(totals.values()))


def test_summary_of_an_even_count_names_both_middle_arms(dosed):
    pair = dosed[dosed["trial_id"].isin([LADDER, FLAT])]
    values = {series(LADDER, label): dose for label, dose in LADDER_DOSES.items()}
    values[series(FLAT, "hUC-MSC")] = FLAT_CELLS / 70
    ordered = sorted(values, key=values.get)
    dose = by_measure(pair)["Dose per administration"]
    assert len(dose.arms) == 4
    assert dose.median == pytest.approx((values[ordered[1]] + values[ordered[2]]) / 2)
    assert set(dose.median_arms) == {ordered[1], ordered[2]} == {series(LADDER, "Medium dose"), series(FLAT, "hUC-MSC")}
    assert dose.low_arms == (ordered[0],) and dose.high_arms == (ordered[-1],)
    assert dose.converted_arms == (series(FLAT, "hUC-MSC"),)
    assert by_measure(pair)["Cumulative dose"].converted_arms == (series(FLAT, "hUC-MSC"),)


def test_administrations_are_counted_not_converted(dosed):
    pair = dosed[dosed["trial_id"].isin([LADDER, FLAT])]
    counts = {series(LADDER, label): n for label, n in LADDER_COUNTS.items()}
    counts[series(FLAT, "hUC-MSC")] = 1  # "a single ... infusion"
    administrations = by_measure(pair)["Administrations"]
    assert administrations.unit == ""
    assert administrations.converted_arms == ()  # a count of infusions does not depend on body weight
    assert administrations.median == statistics.median(counts.values())
    assert set(administrations.low_arms) == {s for s, n in counts.items() if n == min(counts.values())}
    assert administrations.high_arms == (series(LADDER, "Low dose"),)


def test_summary_of_no_dosed_arm_is_empty(dosed):
    placebo = dosed[dosed["arm"] == "Placebo"]
    assert all(s.median is None and s.arms == () for s in summarize(placebo))
    assert set(summary_table(placebo, {})["Range"]) == {"—"}


def test_summary_table_names_arms_by_their_codes(dosed):
    pair = dosed[dosed["trial_id"].isin([LADDER, FLAT])]
    codes = arm_codes(dosed["arm_key"])
    table = summary_table(pair, codes).set_index("Figure")
    dose = table.loc["Dose per administration (cells/kg)"]
    assert dose["Arms"] == 4
    assert dose["Range"] == f"{format_cells(1.0e6)} – {format_cells(4.0e6)}"
    flat_code = codes[arm_key(FLAT, "hUC-MSC")]
    assert dose["Converted flat doses"] == f"{flat_code} {series(FLAT, 'hUC-MSC')}"
    assert f"{flat_code} " in dose["Median from"] and codes[arm_key(LADDER, "Medium dose")] in dose["Median from"]
    assert table.loc["Administrations"]["Converted flat doses"] == "none"


# --- 6. The trial in focus ------------------------------------------------------------------------


def test_default_focus_is_the_trial_with_most_dosed_arms(dosed):
    assert default_focus(dosed) == LADDER  # three dosed arms, the others one each
    assert default_focus(dosed[dosed["trial_id"] != LADDER]) == FLAT  # a tie goes to the first loaded
    assert default_focus(dosed[dosed["arm"] == "Placebo"]) is None


def test_focus_summary_places_the_trial_among_its_peers(dosed):
    sentence = focus_summary(dosed, LADDER)
    low, high = min(LADDER_DOSES.values()), max(LADDER_DOSES.values())
    assert sentence.startswith(f"{LADDER} gives {format_cells(low)} to {format_cells(high, 'cells/kg')} "
                               "per administration")
    assert f"×{min(LADDER_COUNTS.values())} to ×{max(LADDER_COUNTS.values())}" in sentence
    peers = [FLAT_CELLS / 70, PEER_DOSE]
    assert "2 dosed arm(s) of 2 other trial(s)" in sentence
    assert f"(median {format_cells(statistics.median(peers), 'cells/kg')})" in sentence
    assert f"give {format_cells(min(peers))} to {format_cells(max(peers), 'cells/kg')}" in sentence


def test_default_focus_counts_arms_not_their_doses():
    # The peer's one arm has two doses (a row each); the ladder's three arms have one each: the ladder leads.
    arms = across(read(
        study(PEER, [group("BM-MSC", "For phase I: 5×10^5 cells/kg by a single intravenous infusion. "
                                     "For phase II: 1×10^6 cells/kg once a week for 4 weeks. "
                                     "For phase III: 2×10^6 cells/kg once a week for 4 weeks. "
                                     "For phase IV: 4×10^6 cells/kg once a week for 4 weeks.")]),
        study(LADDER, [group(label, text) for label, text in LADDER_TEXT.items()]),
    ))
    assert (arms["trial_id"] == PEER).sum() > arms.loc[arms["trial_id"] == LADDER, "arm_key"].nunique()
    assert default_focus(arms) == LADDER


def test_focus_summary_counts_a_peer_arm_with_a_dose_per_phase_once():
    # One peer arm, two doses (a row each): the sentence must not report more dosed arms than are loaded.
    arms = across(read(
        study(LADDER, [group(label, text) for label, text in LADDER_TEXT.items()]),
        study(PEER, [group("BM-MSC", "For phase I: 5×10^5 cells/kg by a single intravenous infusion. "
                                     "For phase II: 1×10^6 cells/kg once a week for 4 weeks.")]),
    ))
    peer_rows = arms[(arms["trial_id"] == PEER) & arms["dose_cells_per_kg"].notna()]
    assert len(peer_rows) == 2 and peer_rows["arm_key"].nunique() == 1
    sentence = focus_summary(arms, LADDER)
    assert "; 1 dosed arm(s) of 1 other trial(s) give " in sentence
    assert f"give {format_cells(5e5)} to {format_cells(1e6, 'cells/kg')}" in sentence


def test_focus_summary_of_a_trial_alone_or_without_a_dose(dosed):
    ladder = dosed[dosed["trial_id"] == LADDER]
    assert focus_summary(ladder, LADDER).endswith("; no other selected trial states a dose.")
    [trial] = read(study("NCT09400009", [group("MSC", "Patients receive mesenchymal stem cells.")]))
    undosed = pd.concat([dosed, across([trial])], ignore_index=True)
    assert focus_summary(undosed, "NCT09400009") == (
        "NCT09400009 states no cell dose, so it has no place on the dose axis.")
    assert focus_summary(dosed, None) == ""


# --- 7. The bundled seeds ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds() -> tuple[list[Trial], pd.DataFrame]:
    result = load_paths([SEEDS])
    assert result.problems == []
    return result.trials, across(result.trials)


def test_the_seeds_give_seven_trials(seeds):
    _, frame = seeds
    expected = {path.stem for path in SEEDS.glob("NCT*.json")} | {path.stem for path in SEEDS.glob("NCT*.txt")}
    assert frame["trial_id"].nunique() == len(expected) == 7
    assert trial_ids(frame) == expected


def test_every_cellular_arm_of_the_seed_is_bone_marrow(seeds):
    _, frame = seeds
    record = json.loads((SEEDS / f"{SEED_ID}.json").read_text(encoding="utf-8"))
    texts = strings(record)
    assert any("Bone Marrow Mesenchymal Stem Cells" in t for t in texts)  # CG-BM1, as the record says
    seed = frame[frame["trial_id"] == SEED_ID]
    cellular = seed[seed["cellular"].astype(bool)]
    assert len(cellular) == 5
    assert set(cellular["cell_source"]) == {"bone marrow"}
    for source in cellular["cell_source_source"]:
        assert any(source.text in text for text in texts)
    assert set(seed.loc[~seed["cellular"].astype(bool), "cell_source"]) == {""}


def test_the_seed_start_year_is_offered(seeds):
    _, frame = seeds
    record = json.loads((SEEDS / f"{SEED_ID}.json").read_text(encoding="utf-8"))
    year = int(record["protocolSection"]["statusModule"]["startDateStruct"]["date"][:4])
    assert year in across_options(frame).years
    assert set(frame.loc[frame["trial_id"] == SEED_ID, "start_year"]) == {year}
    assert SEED_ID in chosen(frame, years=(year, year))
    assert SEED_ID not in chosen(frame, years=(year - 1, year - 1))


def test_the_seed_merged_status_is_offered_as_both(seeds):
    trials, frame = seeds
    [seed] = [t for t in trials if t.trial_id == SEED_ID]
    statuses = [s.strip() for s in seed.status.split(" / ")]
    assert len(statuses) == 2  # the JSON and text records disagree, and both are shown
    for status in statuses:
        assert status in across_options(frame).statuses
        assert SEED_ID in chosen(frame, statuses=(status,))


# --- 8. Downloads ----------------------------------------------------------------------------------


def test_json_download_keeps_lists_and_booleans(cohort):
    records = json.loads(to_json(cohort, ACROSS_COLUMNS))
    assert len(records) == len(cohort)
    assert all(list(record) == ACROSS_COLUMNS for record in records)
    merged = next(r for r in records if r["trial_id"] == M and r["arm"] == "UCB-MNC")
    assert merged["status"] == ["Recruiting", "Completed"]
    assert merged["conditions"] == ["Liver Cirrhosis"]
    assert merged["trial_phases"] == ["Phase 2"]
    assert merged["start_year"] == 2018
    assert merged["cell_source"] == "cord blood"
    flat = next(r for r in records if r["trial_id"] == A and r["arm"] == "hUC-MSC")
    assert flat["dose_converted"] is True
    assert flat["dose_cells_per_kg"] == pytest.approx(FLAT_CELLS / 70)
    undated = next(r for r in records if r["trial_id"] == C)
    assert (undated["conditions"], undated["status"], undated["trial_phases"]) == ([], [], [])
    assert undated["start_year"] is None
    for record in records:
        assert isinstance(record["dose_converted"], bool) and isinstance(record["cellular"], bool)


def test_xlsx_download_has_the_across_headers(cohort):
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(cohort, ACROSS_COLUMNS)))
    sheet = workbook["Arms"]
    header = [cell.value for cell in sheet[1]]
    assert [h.split(" ")[0] for h in header] == ACROSS_COLUMNS
    assert "dose_cells_per_kg (cells/kg)" in header
    assert sheet.max_row - 1 == len(cohort)
    column = {name.split(" ")[0]: i + 1 for i, name in enumerate(header)}
    rows = {(sheet.cell(r, column["trial_id"]).value, sheet.cell(r, column["arm"]).value): r
            for r in range(2, sheet.max_row + 1)}
    flat = rows[(A, "hUC-MSC")]
    dose = sheet.cell(flat, column["dose_cells_per_kg"])
    assert dose.data_type == "n" and dose.value == pytest.approx(FLAT_CELLS / 70)
    assert sheet.cell(flat, column["dose_converted"]).value is True  # a workbook holds yes/no as booleans
    assert sheet.cell(rows[(M, "UCB-MNC")], column["status"]).value == "Recruiting; Completed"


# --- Start years ------------------------------------------------------------------------------------


@pytest.mark.parametrize("date, year", [("2023-03-01", 2023), ("March 2023", 2023), ("2015-03", 2015),
                                        ("2009", 2009), (None, None), ("", None), ("not yet known", None)])
def test_start_year(date, year):
    assert start_year(date) == year


def test_an_earlier_transplant_is_not_the_source_of_the_cells_given():
    text = "Allogeneic peripheral blood stem cell transplantation patients receive hUC-MSCs for chronic GVHD."
    assert find_cell_sources(text) == [("umbilical cord", "hUC-MSCs")]


def test_route_choices_follow_the_arms_that_give_cells():
    trials = read(study("NCT09500001", [
        group("BM-MSC", "Patients receive 1.0×10^6 cells/kg bone marrow MSCs through the hepatic artery once."),
        group("Placebo", "Saline placebo infused intravenously.", kind="PLACEBO_COMPARATOR"),
    ]))
    frame = across(trials)
    assert row(frame, "NCT09500001", "Placebo")["route"] == "intravenous"  # the placebo does state a route
    assert across_options(frame).routes == ("intra-arterial (hepatic artery)",)
    assert chosen(frame, routes=("intravenous",)) == set()
    assert chosen(frame, routes=("intra-arterial (hepatic artery)",)) == {"NCT09500001"}
