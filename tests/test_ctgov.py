"""ClinicalTrials.gov API v2 JSON: every container form, every way arms and interventions link."""

from __future__ import annotations

import copy
import io
import json
import urllib.error
import zipfile
from pathlib import Path

import pytest

from trialdata import load_paths
from trialdata.__main__ import main
from trialdata.load import read_file
from trialdata.models import Trial

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
RECORDED = ROOT / "tests" / "data" / "recorded_NCT01724398.json"


def study(nct: str) -> dict:
    return json.loads((SEEDS / f"{nct}.json").read_text(encoding="utf-8"))


def one(result) -> Trial:
    assert result.problems == []
    [trial] = result.trials
    return trial


def regimens(trial: Trial) -> list[tuple]:
    return sorted(
        (r.phase or "", r.dose.value if r.dose else 0.0, r.dose.unit if r.dose else "", r.administrations or 0,
         tuple(r.administration_days))
        for arm in trial.arms for r in arm.regimens
    )


def arm(trial: Trial, label: str):
    return next(a for a in trial.arms if a.label == label)


def test_json_seed_gives_the_text_seeds_regimens_with_registry_labels() -> None:
    from_json = one(read_file("NCT06740149.json", (SEEDS / "NCT06740149.json").read_bytes()))
    from_text = one(read_file("NCT06740149.txt", (SEEDS / "NCT06740149.txt").read_bytes()))
    assert regimens(from_json) == regimens(from_text)
    assert [a.label_from_record for a in from_json.arms] == [True] * 6
    assert arm(from_json, "Control group").type == "PLACEBO_COMPARATOR"
    assert arm(from_json, "Phase II low dose group").regimens[0].administration_days == (0, 7, 14, 21)
    assert arm(from_json, "Phase I dose group 1 (1.0×10^6 cells/kg)").regimens[0].administrations == 1
    flagged = {a.label for a in from_json.arms if any(f.code == "label-contradicts-dose" for f in a.flags)}
    assert flagged == {"Phase I dose group 2 (2.0×10^6 cells/kg)", "Phase I dose group 3 (4.0×10^6 cells/kg)"}
    assert (from_json.phases, from_json.enrollment, from_json.sites) == (("Phase 1", "Phase 2"), 90, 1)
    assert from_json.sponsor == "Sun Yat-sen University"


def test_text_and_json_of_one_trial_merge_and_show_both_statuses() -> None:
    result = load_paths([SEEDS / "NCT06740149.txt", SEEDS / "NCT06740149.json"])
    [trial] = result.trials
    assert trial.status == "Recruiting / Completed"
    assert trial.phases == ("Phase 1", "Phase 2")
    assert len(trial.arms) == 6 and all(a.label_from_record for a in trial.arms)
    messages = [f.message for f in trial.flags if f.code == "records-disagree"]
    assert any("status" in m and "Recruiting" in m and "Completed" in m for m in messages)
    assert any("phase" in m for m in messages)
    assert not any("enrollment" in m for m in messages)  # both say 90


def test_an_api_page_of_studies_is_read_whole() -> None:
    page = {"studies": [study("NCT01724398"), study("NCT01573923")], "nextPageToken": "abc", "totalCount": 2}
    result = read_file("page.json", json.dumps(page).encode())
    assert [t.trial_id for t in result.trials] == ["NCT01724398", "NCT01573923"]
    assert result.problems == []


def test_a_json_array_of_studies_is_read_whole() -> None:
    result = read_file("array.json", json.dumps([study("NCT01724398"), study("NCT01342250")]).encode())
    assert [t.trial_id for t in result.trials] == ["NCT01724398", "NCT01342250"]


def test_a_bulk_download_zip_is_read_in_memory_with_subfolders(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("98/NCT01724398.json", json.dumps(study("NCT01724398")))
        archive.writestr("NCT01573923.json", json.dumps(study("NCT01573923")))
        archive.writestr("notes/NCT06740149.txt", (SEEDS / "NCT06740149.txt").read_bytes())
        archive.writestr("../../escape.json", json.dumps(study("NCT01342250")))
        archive.writestr("README.md", "not a record")
    before = set(tmp_path.parent.rglob("*"))
    result = read_file(str(tmp_path / "ctg-studies.json.zip"), buffer.getvalue())
    assert sorted(t.trial_id for t in result.trials) == ["NCT01573923", "NCT01724398", "NCT06740149"]
    assert [p.path.rsplit("/", 3)[-3:] for p in result.problems] == [["..", "..", "escape.json"]]
    assert set(tmp_path.parent.rglob("*")) == before, "reading a zip must write no file"
    assert any(f.endswith("ctg-studies.json.zip/98/NCT01724398.json") for t in result.trials for f in t.record_files)


def test_a_folder_may_mix_text_json_and_zip(tmp_path: Path) -> None:
    (tmp_path / "NCT01854125.txt").write_bytes((SEEDS / "NCT01854125.txt").read_bytes())
    (tmp_path / "NCT01724398.json").write_bytes((SEEDS / "NCT01724398.json").read_bytes())
    with zipfile.ZipFile(tmp_path / "bulk.zip", "w") as archive:
        archive.writestr("23/NCT01573923.json", json.dumps(study("NCT01573923")))
    result = load_paths([tmp_path])
    assert sorted(t.trial_id for t in result.trials) == ["NCT01573923", "NCT01724398", "NCT01854125"]
    assert result.problems == []


def test_arms_linked_only_through_arm_group_labels() -> None:
    data = study("NCT01724398")
    for group in data["protocolSection"]["armsInterventionsModule"]["armGroups"]:
        group.pop("interventionNames")
    trial = one(read_file("x.json", json.dumps(data).encode()))
    msc = arm(trial, "Conventional plus UC-MSC treatment")
    assert msc.interventions == ("Conventional plus UC-MSC treatment",)
    assert msc.regimens[0].dose.value == pytest.approx(1e5)


def test_arms_linked_only_through_intervention_names() -> None:
    data = study("NCT01724398")
    for intervention in data["protocolSection"]["armsInterventionsModule"]["interventions"]:
        intervention.pop("armGroupLabels")
    trial = one(read_file("x.json", json.dumps(data).encode()))
    both = arm(trial, "Conventional plus UC-MSC and PE therapy")
    assert both.interventions == ("Conventional plus UC-MSC and PE therapy",)
    [regimen] = both.regimens
    assert (regimen.dose.value, regimen.administrations, regimen.interval_days) == (pytest.approx(1e5), 4, 7)


def test_two_interventions_of_one_name_each_go_to_the_arm_their_labels_name() -> None:
    """NCT01020825 lists "Drug: ASCs" twice, once for each cell arm, each with its own text: each arm reads its own
    intervention once, not both (which gave every dose twice)."""
    groups = [{"label": "ASCs", "interventionNames": ["Drug: ASCs"]},
              {"label": "ASCs + Fibrin Glue", "interventionNames": ["Drug: ASCs"]}]
    interventions = [
        {"type": "DRUG", "name": "ASCs", "armGroupLabels": ["ASCs"], "otherNames": ["Cx401 (company code)"],
         "description": "Intralesional injection of adult-stem-cells at a dose of 20 and 40 million."},
        {"type": "DRUG", "name": "ASCs", "armGroupLabels": ["ASCs + Fibrin Glue"],
         "otherNames": ["Cx401 (company code)"],
         "description": "Intralesional injection of adult-stem-cells at a dose of 20 and 40 million in combination "
                        "with fibrin glue."},
    ]
    data = {"protocolSection": {"identificationModule": {"nctId": "NCT01020825"},
                                "armsInterventionsModule": {"armGroups": groups, "interventions": interventions}}}
    trial = one(read_file("NCT01020825.json", json.dumps(data).encode()))
    for label in ("ASCs", "ASCs + Fibrin Glue"):
        assert len(arm(trial, label).interventions) == 1
        assert [r.dose.value for r in arm(trial, label).regimens] == [2e7, 4e7]


def test_an_arm_whose_dose_is_only_in_its_intervention() -> None:
    trial = one(read_file("x.json", (SEEDS / "NCT01724398.json").read_bytes()))
    msc = arm(trial, "Conventional plus UC-MSC treatment")
    assert "1×105" not in msc.description
    [regimen] = msc.regimens
    assert regimen.dose.unit == "cells/kg" and regimen.cumulative_dose == pytest.approx(4e5)
    assert regimen.dose.source.location == "intervention 'Conventional plus UC-MSC treatment'"
    assert regimen.route == "intravenous"


def test_an_arm_and_its_intervention_that_disagree() -> None:
    data = study("NCT01724398")
    groups = data["protocolSection"]["armsInterventionsModule"]["armGroups"]
    groups[1]["description"] = "Participants receive 2×10^5 cells/kg UC-MSC once a week, 4 times."
    trial = one(read_file("x.json", json.dumps(data).encode()))
    msc = arm(trial, "Conventional plus UC-MSC treatment")
    assert msc.regimens[0].dose.value == pytest.approx(2e5)
    [flag] = [f for f in msc.flags if f.code == "dose-disagreement"]
    assert "2.0×10⁵ cells/kg" in flag.message and "1.0×10⁵ cells/kg" in flag.message


def test_unlinked_arms_are_linked_by_dose_level_and_flagged() -> None:
    trial = one(read_file("x.json", (SEEDS / "NCT01591200.json").read_bytes()))
    high = arm(trial, "Stem cells high dose")
    assert high.interventions == ("Allogeneic Mesenchymal Stem Cells",)
    assert high.regimens[0].route == "intra-arterial (hepatic artery)"
    assert {"linked-by-content", "no-dose"} <= {f.code for f in high.flags}
    assert arm(trial, "Stem cells low dose").interventions == ("Allogeneic Mesenchymal Stem Cells (3)",)
    assert not arm(trial, "Control").cellular


def test_a_study_without_arms_is_reported_and_the_others_load() -> None:
    broken = copy.deepcopy(study("NCT01573923"))
    del broken["protocolSection"]["armsInterventionsModule"]
    empty = copy.deepcopy(study("NCT01342250"))
    empty["protocolSection"]["armsInterventionsModule"]["armGroups"] = []
    page = {"studies": [broken, study("NCT01724398"), empty]}
    result = read_file("page.json", json.dumps(page).encode())
    assert [t.trial_id for t in result.trials] == ["NCT01724398"]
    messages = [str(p) for p in result.problems]
    assert messages == [
        "page.json: study NCT01573923 has no armsInterventionsModule, so it describes no arms",
        "page.json: study NCT01342250 lists no arms (armGroups is empty or missing)",
    ]


@pytest.mark.parametrize("data, message", [
    (b'{"protocolSection": {"identificationModule": ', "not valid JSON"),
    (b'{"hello": "world"}', "JSON of the wrong shape"),
    (b"[1, 2]", "study 1: an entry is not a study"),
])
def test_broken_json_is_named_with_what_is_wrong(data: bytes, message: str) -> None:
    result = read_file("bad.json", data)
    assert result.trials == []
    assert result.problems and result.problems[0].path == "bad.json"
    assert message in result.problems[0].message


class _Recorded:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def __enter__(self) -> _Recorded:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def read(self, limit: int = -1) -> bytes:
        return self.data


def test_fetch_saves_a_recorded_study(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    asked: list[str] = []

    def recorded(request, timeout):
        asked.append(request.full_url)
        return _Recorded(RECORDED.read_bytes())

    monkeypatch.setattr("urllib.request.urlopen", recorded)
    assert main(["fetch", "NCT01724398", "--out", str(tmp_path)]) == 0
    assert asked == ["https://clinicaltrials.gov/api/v2/studies/NCT01724398?format=json"]
    saved = tmp_path / "NCT01724398.json"
    assert saved.read_bytes() == RECORDED.read_bytes()
    assert one(read_file(saved.name, saved.read_bytes())).trial_id == "NCT01724398"
    assert "saved" in capsys.readouterr().out


def test_fetch_offline_says_so_and_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    def offline(request, timeout):
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr("urllib.request.urlopen", offline)
    assert main(["fetch", "NCT01724398", "--out", str(tmp_path)]) == 1
    assert "offline" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_fetch_rejects_what_is_not_an_nct_number(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fetch", "12345"]) == 2
    assert "not an NCT number" in capsys.readouterr().err


def test_fetch_reports_a_study_the_registry_does_not_have(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    def missing(request, timeout):
        raise urllib.error.HTTPError(request.full_url, 404, "Not Found", {}, None)

    monkeypatch.setattr("urllib.request.urlopen", missing)
    assert main(["fetch", "NCT09999999", "--out", str(tmp_path)]) == 1
    assert "has no study NCT09999999" in capsys.readouterr().err
