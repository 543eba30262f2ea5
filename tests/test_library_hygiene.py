"""The library reads any record the same way: no record's names in it, no UI code in it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LIBRARY = Path(__file__).resolve().parents[1] / "trialdata"
SOURCES = sorted(LIBRARY.rglob("*.py"))
# Names and wording found only in the bundled records; the grammar must not know them.
RECORD_SPECIFIC = ["NCT06740149", "NCT0", "CG-BM1", "Sun Yat", "ACLF", "acute-on-chronic", "solubilizer of",
                   "Cellgenes", "hUC-MSCs treatment", "Alliancells", "Jinling", "40ml"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_library_names_no_record(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [word for word in RECORD_SPECIFIC if word.lower() in text.lower()]
    assert found == [], f"{path.name} mentions {found}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_library_does_not_import_streamlit(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "streamlit" not in imported
