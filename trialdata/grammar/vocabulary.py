"""The words registries use for cell doses and schedules, as tables.

Every pattern of the grammar is built from these tables (`patterns.words`), and
every gate that lets a reader skip a sentence is derived from them too, so a new
notation is one row here and one test row quoting the registry sentence it came
from (`tests/test_vocabulary.py` reads every row in every position it can take).
"""

from __future__ import annotations

# --- numbers ---------------------------------------------------------------------------------------------------

# A scale word after a number: "100 million cells", "5 lakh cells/kg". A plural "s" is always allowed.
SCALE_WORDS: dict[str, float] = {
    "million": 1e6,
    "mil": 1e6,
    "billion": 1e9,
}
# A scale letter glued to its number ("2M cells/kg", "24M cell/kg"): read only before cells or a per-body unit,
# since "20m" is also twenty metres.
SCALE_LETTERS: dict[str, float] = {"M": 1e6}
# Written-out counts: "four infusions", "once every three months".
NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "eighteen": 18, "twenty": 20, "twenty-four": 24, "thirty": 30,
}
# "the first dose ... the second dose", "a fourth, optional dose", "on the 1st, 8th and 15th day".
ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "8th": 8, "15th": 15,
    "initial": 1,
}

# --- time ------------------------------------------------------------------------------------------------------

# The length of a time unit in days; a month is 30 days and a year 365, as registry summaries count them.
TIME_UNITS: dict[str, float] = {
    "day": 1.0, "d": 1.0,
    "week": 7.0, "wk": 7.0,
    "month": 30.0,
    "year": 365.0,
}
# One word for an interval: "weekly for 4 weeks", "quarterly for 4 doses".
INTERVAL_ADVERBS: dict[str, float] = {
    "daily": 1.0,
    "weekly": 7.0,
    "bi-weekly": 14.0,
    "monthly": 30.0,
    "quarterly": 90.0,
}
# How many times, in one word: "twice at 4 weeks apart".
MULTIPLES: dict[str, int] = {"once": 1, "twice": 2}
# What registries count administrations in: "4 infusions", "a total of 3 doses". Plurals are added.
ADMINISTRATION_NOUNS: tuple[str, ...] = (
    "dose", "time", "administration", "infusion", "injection", "transfusion", "transplantation", "transplant",
    "treatment", "course", "cycle", "application", "session", "implantation", "instillation", "inoculation",
    "shot", "round", "bolus", "boluses", "procedure", "dosis", "dosing",
)
# Injections into several places in one procedure: "15 injections in the anterior wall", "20 injection sites".
SITE_WORDS: tuple[str, ...] = (
    "site", "point", "puncture", "deposit", "location", "spot", "area", "region", "segment", "quadrant", "part",
)
# What makes several injections one procedure: they go into one organ in one sitting.
PROCEDURE_WORDS: tuple[str, ...] = (
    "intramyocardial", "intra-myocardial", "transendocardial", "trans-endocardial", "endocardial", "epicardial",
    "myocardium", "myocardial", "catheterization", "catheterisation", "surgery", "surgical", "operation",
    "procedure", "colonoscopy", "endoscopy", "endoscopic", "intramuscular", "intra-muscular", "muscle", "sites",
    "points", "around the", "into the", "along the", "cabg", "noga", "sitting", "session", "lesion", "wall",
    "o'clock",
)

# Word stems that say something is given to the patient: a sentence without one speaks of something else (a yield,
# a follow-up visit, a literature figure), so its numbers are not read as the trial's doses where that matters.
GIVING_STEMS: tuple[str, ...] = (
    "receiv", "administ", "infus", "inject", "transplant", "given", "give", "dose", "dosage", "deliver", "implant",
    "transfus", "treated with", "instill", "apply", "applied", "application", "therap", "treatment",
)

# Treatments given beside the cells: "Three cycles of HRT following MSC transplantation" counts cycles of HRT.
OTHER_THERAPIES: tuple[str, ...] = (
    "chemotherapy", "chemo", "hrt", "hormone", "hormonal", "radiotherapy", "radiation", "antibiotic", "antibiotics",
    "steroid", "steroids", "corticosteroid", "corticosteroids", "plasma exchange", "pe", "dialysis", "hemodialysis",
    "physiotherapy", "rehabilitation", "exercise", "fludarabine", "cyclophosphamide", "il-2", "interleukin-2",
    "rituximab", "placebo", "saline", "conditioning", "lymphodepletion", "lymphodepleting",
)

# --- what a number is counted in -------------------------------------------------------------------------------

# The body measure after "/" or "per": the dose unit it makes.
BODY_UNITS: dict[str, str] = {
    "kg": "cells/kg",
    "kilogram": "cells/kg",
    "kilo": "cells/kg",
    "weight range": "cells/kg",  # "1x10^6 cells/weight range per administration": a per-weight dose (flagged)
}
# What may follow "per kg" and still be part of it: "per kg of body weight", "/kg BW", "/kg of ideal body weight".
BODY_WEIGHT_WORDS: tuple[str, ...] = (
    "body weight", "bodyweight", "body", "bw", "b.w.", "weight", "ideal body weight", "actual body weight",
    "recipient body weight", "recipient weight", "patient weight", "patient's weight", "of the recipient",
)
# Volumes, in mL: "in 40 mL", "/3mL", "(2ml)".
VOLUME_UNITS: dict[str, float] = {
    "ml": 1.0, "milliliter": 1.0, "cc": 1.0, "cm3": 1.0, "cubic centimeter": 1.0,
    "µl": 1e-3, "μl": 1e-3, "ul": 1e-3,
}
# "cells per infusion", "cells/time": a flat number given at once.
FLAT_MARKS: tuple[str, ...] = (
    "time", "infusion", "dose", "administration", "patient", "subject", "participant", "treatment", "session",
    "transplant", "transplantation", "course", "bag", "vial", "eye", "knee", "joint", "side", "limb", "kidney",
    "disc", "procedure", "application", "person", "recipient", "cycle", "each time", "injection",
)
# "cells per injection site": one of several injections of a procedure.
PER_SITE_MARKS: tuple[str, ...] = ("injection site", "site", "point", "injection point", "puncture", "deposit", "unit")
# Rates are not doses: "5.0 x 10^6 hMSC/minute".
RATE_UNITS: tuple[str, ...] = ("min", "minute", "hour", "hr", "h", "second", "sec")
# Numbers in these are not cells: drugs, vectors, particles, volumes, lengths.
OTHER_UNITS: tuple[str, ...] = (
    "mg", "g", "gram", "µg", "μg", "ug", "mcg", "ng", "pg", "iu", "u", "unit", "units", "copies", "copy", "vg", "gc",
    "pfu", "tcid50", "cfu", "mmol", "µmol", "nmol", "mol", "meq", "%", "fold", "particle", "particles",
    "nanoparticle", "vesicle", "exosome", "ev", "evs", "platelet", "plt", "ml", "cc", "mm", "cm", "m", "ms", "kda",
    "gy", "mgy", "mci", "mbq", "bq", "nm", "µm", "μm", "beads", "cluster", "clusters", "patients", "subjects",
    "participants", "people", "persons", "times", "kcal", "mmhg", "bpm", "rpm", "x g", "dollars", "euros", "usd",
    "eur", "yuan", "rmb", "deaths", "cases", "years", "people",
)
# A word naming the cells counted: "2 x 10^6 MSCs/kg", "40 millions of autologous MSC", "1.5 million (aMBMC)".
# A word ending in one of these (case-insensitive) names cells.
CELL_NOUN_ENDINGS: tuple[str, ...] = (
    "cell", "cells", "msc", "mscs", "sc", "scs", "mnc", "mncs", "bmc", "bmcs", "cytes", "cyte", "blasts", "blast",
    "islets", "islet", "ieq", "tnc", "tncs", "pbmc", "pbmcs", "car-t", "cart", "tils", "til", "ctl", "ctls",
    "vsts", "vst", "svf", "csm", "cme", "admcs", "mapc", "mapcs", "mpc", "mpcs", "ecfc", "ecfcs",
)

# --- what stands before a number ---------------------------------------------------------------------------------

# A bound on a dose, and which: "up to 2x10^6 per kg" (at most), "a minimum of 50 million" (at least).
BOUND_WORDS: dict[str, str] = {
    "up to": "at most",
    "maximum": "at most",
    "maximum of": "at most",
    "maximum dose of": "at most",
    "a maximum of": "at most",
    "max": "at most",
    "max.": "at most",
    "not more than": "at most",
    "no more than": "at most",
    "not exceeding": "at most",
    "not to exceed": "at most",
    "at most": "at most",
    "≤": "at most",
    "<=": "at most",
    "at least": "at least",
    "a minimum of": "at least",
    "minimum": "at least",
    "minimum of": "at least",
    "not less than": "at least",
    "no less than": "at least",
    "in excess of": "at least",
    "more than": "at least",
    "≥": "at least",
    ">=": "at least",
}
# After a number: "10 or more million CD34+ cells", "50 million cells or more".
TRAILING_BOUNDS: dict[str, str] = {"or more": "at least", "or less": "at most", "or fewer": "at most"}
# A number that is the total of several doses or injections: "for a total of 2 x 10^7 cells".
TOTAL_WORDS: tuple[str, ...] = ("total", "in total", "cumulative", "overall", "altogether", "total dose")

# --- what a schedule may leave out ------------------------------------------------------------------------------

# Doses given only if something happens are not counted: "If needed a second dose", "a fourth, optional dose".
OPTIONAL_PHRASES: tuple[str, ...] = (
    r"optional(?:ly)?",
    r"if\s+(?:needed|necessary|required|indicated|appropriate|warranted|clinically\s+indicated|tolerated\s+and\s+needed)",
    r"as\s+needed",
    r"on\s+demand",
    r"may\s+(?:also\s+)?(?:be\s+)?(?:receive|given|repeated|administered|re-?treated|offered|re-?dosed|"
    r"re-?injected|injected|infused)",
    r"at\s+the\s+(?:investigator'?s?\s+)?discretion",
    r"possible\s+(?:repeat|additional|second|further)",
    r"if\s+(?:the\s+)?(?:\w+\s+){0,4}?(?:not|no|fails?|persists?|insufficient|incomplete|relapses?|recurs?|worsens?)\b",
    r"in\s+case\s+of",
    r"(?:with\s+)?the\s+option\s+of",
    r"cross(?:-|\s)?over",
    r"could\s+(?:be\s+)?(?:receive|given|repeated)",
)
# A schedule without an end: "every 3 months until progression".
OPEN_ENDED_PHRASES: tuple[str, ...] = (
    r"until\s+(?:\w+\s+){0,3}?(?:progression|relapse|toxicity|death|intolerance|withdrawal|recovery|remission)",
    r"indefinitely",
    r"as\s+long\s+as",
)

# --- what is not cells -------------------------------------------------------------------------------------------

# Products made from cells that are not cells (convention 5.1).
CELL_FREE_WORDS: tuple[str, ...] = (
    "exosome", "exosomes", "exos", "extracellular vesicle", "extracellular vesicles", "microvesicle",
    "microvesicles", "evs", "secretome", "conditioned medium", "conditioned media", "conditioned culture medium",
    "lysate", "platelet-rich plasma", "platelet rich plasma", "prp", "platelet-rich fibrin", "prf",
    "cell-free", "cell free", "supernatant", "nanovesicles", "nano vesicles", "derived factors",
    "pleiotropic factor", "pleiotropic factors", "vesicle", "nanoparticle",
)
# What a placebo or vehicle is called (convention 5.2).
PLACEBO_WORDS: tuple[str, ...] = (
    "placebo", "sham", "vehicle", "solvent", "solubilizer", "excipient", "excipients", "saline only", "dummy",
    "reconstitution media", "reconstitution medium", "cryoprotectant", "without cells", "no cells",
)
