"""Convert legacy ClinicalTrials.gov XML records (the registry's pre-2023 download) to API v2 JSON files.

    python scripts/ctgov_xml_to_json.py RECORD.xml [...] --out FOLDER

The library reads the XML itself (`trialdata.readers.ctgov_xml`); this writes the API v2 study it reads, for a
record to be kept, annotated or compared in the registry's current layout.
"""

from __future__ import annotations

import argparse
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from trialdata.readers.ctgov_xml import convert


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in args.records:
        study = convert(ET.parse(path).getroot())
        target = args.out / f"{study['protocolSection']['identificationModule']['nctId']}.json"
        target.write_text(json.dumps(study, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(target)


if __name__ == "__main__":
    main()
