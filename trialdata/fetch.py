"""Fetch one study's record from ClinicalTrials.gov (API v2) when the machine is online."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path

from .errors import RecordError
from .readers.ctgov import read_study, studies_in

API = "https://clinicaltrials.gov/api/v2/studies/{nct_id}?format=json"
NCT_ID = re.compile(r"^NCT[0-9]{8}$")  # ASCII digits: \d would take fullwidth ones, which no URL can carry
TIMEOUT_SECONDS = 30
MAX_BYTES = 20 * 1024 * 1024


class FetchError(Exception):
    """The study could not be fetched; the message says why and what to do."""


def fetch_study(nct_id: str, out_dir: Path) -> Path:
    """Download `nct_id`'s JSON into `out_dir`/NCT….json, after checking it reads as a study."""
    nct_id = nct_id.strip().upper()
    if not NCT_ID.match(nct_id):
        raise ValueError(f"'{nct_id.encode('ascii', 'backslashreplace').decode()}' is not an NCT number (NCT "
                         "followed by 8 digits 0-9)")
    request = urllib.request.Request(API.format(nct_id=nct_id), headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            raise FetchError(f"ClinicalTrials.gov has no study {nct_id}") from error
        raise FetchError(f"ClinicalTrials.gov answered {error.code} {error.reason} for {nct_id}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(f"cannot reach ClinicalTrials.gov ({reason}); this machine looks offline") from error
    if len(data) > MAX_BYTES:
        raise FetchError(f"the response for {nct_id} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        [study] = studies_in(data.decode("utf-8"))
        trial = read_study(study, f"{nct_id}.json")
    except (RecordError, UnicodeDecodeError, ValueError) as error:
        raise FetchError(f"ClinicalTrials.gov sent something that is not a readable study: {error}") from error
    if trial.trial_id != nct_id:
        raise FetchError(f"asked for {nct_id}, ClinicalTrials.gov sent {trial.trial_id}")
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{nct_id}.json"
    path.write_bytes(data)
    return path
