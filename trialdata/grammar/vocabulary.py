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
    "mio": 1e6,  # "20 mio DC per vaccination"
    "milj": 1e6,  # "10 milj cells/vaccination"
    "thousand": 1e3,  # "Total dose of 50-600 thousand /kg Anti-CD22 CAR NK cells"
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
    "biweekly": 14.0,
    "monthly": 30.0,
    "quarterly": 90.0,
}
# How many times, in one word: "twice at 4 weeks apart".
MULTIPLES: dict[str, int] = {"once": 1, "twice": 2}
# What registries count administrations in: "4 infusions", "a total of 3 doses". Plurals are added.
ADMINISTRATION_NOUNS: tuple[str, ...] = (
    "dose", "time", "administration", "infusion", "injection", "transfusion", "transplantation", "transplant",
    "treatment", "course", "cycle", "application", "session", "implantation", "instillation", "inoculation",
    "shot", "round", "bolus", "boluses", "procedure", "dosis", "dosing", "vaccination", "vaccine",
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

# What "a total of 12" may count that is not administrations: "a total of 12 subjects per dose cohort".
PEOPLE_WORDS: tuple[str, ...] = (
    "patient", "subject", "participant", "people", "person", "individual", "case", "volunteer", "child", "children",
    "adult", "men", "women", "eye", "site", "center", "centre", "cohort", "group", "arm", "evaluable", "enrolled",
)

# Treatments given beside the cells: "Three cycles of HRT following MSC transplantation" counts cycles of HRT.
OTHER_THERAPIES: tuple[str, ...] = (
    "chemotherapy", "chemo", "hrt", "hormone", "hormonal", "radiotherapy", "radiation", "antibiotic", "antibiotics",
    "steroid", "steroids", "corticosteroid", "corticosteroids", "plasma exchange", "pe", "dialysis", "hemodialysis",
    "physiotherapy", "rehabilitation", "exercise", "fludarabine", "cyclophosphamide", "il-2", "interleukin-2",
    "rituximab", "placebo", "saline", "conditioning", "lymphodepletion", "lymphodepleting", "mesna", "busulfan",
    "tacrolimus", "sirolimus", "methotrexate", "mycophenolate", "cyclosporine", "g-csf", "filgrastim",
    "temozolomide", "tmz", "sunitinib", "basiliximab", "daclizumab", "etanercept", "antithymocyte globulin", "atg",
    "aldesleukin",  # IL-2 by its drug name: "Aldesleukin ... every 8 hours ... up to 6 doses"
    "mannitol",  # "20% mannitol 200 ml iv ... will be administered twice after cord blood infusion"
    "pembrolizumab", "nivolumab", "ipilimumab",  # "Young unselected TIL + pembrolizumab ... for a total of 4 doses"
)

# Words placing a time before or after something given rather than giving it: "within one month pre treatment",
# "beginning within 24 hours of TIL infusion" (what follows them is a reference point, not what a schedule gives).
REFERENCE_WORDS: tuple[str, ...] = ("pre", "post", "after", "before", "prior to", "following")

# Amounts of a drug, not of cells: "fludarabine 30 mg/m2", "IL-2 600,000 IU/kg", "AP1903 0.4 mg/kg". A schedule
# nearer to one of these (or to a drug named in OTHER_THERAPIES) than to the cells is the drug's schedule.
DRUG_UNITS: tuple[str, ...] = (
    "mg", "g", "µg", "μg", "ug", "mcg", "ng", "iu", "ui", "miu", "u", "units", "mmol", "µmol", "μmol", "umol", "meq",
    "gy", "cgy",  # "ui": unités internationales, "IL-2 (1x10^6 UI/m2)"
    "international units",  # "subcutaneously administered 9 million international units (IU) every other day * 6 doses"
)

# --- what a number is counted in -------------------------------------------------------------------------------

# The body measure after "/" or "per": the dose unit it makes. Body-surface area ("cells/m2") is how many T-cell
# and virus-specific T-cell trials dose; wound and cartilage products are dosed per cm² of the lesion.
BODY_UNITS: dict[str, str] = {
    "kg": "cells/kg",
    "kgbw": "cells/kg",  # "2*10~6/KgBW": the body weight glued to the unit
    "kilogram": "cells/kg",
    "kilo": "cells/kg",
    "weight range": "cells/kg",  # "1x10^6 cells/weight range per administration": a per-weight dose (flagged)
    "m2": "cells/m2",
    "m^2": "cells/m2",
    "me2": "cells/m2",  # "1-3xE7 /mE2": m² with its power written as an exponent
    "meter squared": "cells/m2",  # "1 to 3e8 per meter squared"
    "cm2": "cells/cm2",
    "cm^2": "cells/cm2",  # "5x10^6 of UCMSC per cm^2 of the cartilage defect"
    "cm²": "cells/cm2",
    "square cm": "cells/cm2",
}
# What may follow the body measure and still be part of it: "per kg of body weight", "/kg BW", "per cm² lesion".
BODY_WEIGHT_WORDS: tuple[str, ...] = (
    "body weight", "bodyweight", "body", "bw", "b.w.", "weight", "ideal body weight", "actual body weight",
    "recipient body weight", "recipient weight", "patient weight", "patient's weight", "of the recipient", "lesion",
)
# What a number counts when it is not cells: islets are dosed in islet equivalents ("10,000 islet equivalents
# per kilogram of body weight (IE/kg)"). The unit is the thing counted, then the body measure: "IEQ/kg".
COUNTED_UNITS: dict[str, str] = {
    "islet equivalent": "IEQ",
    "ieq": "IEQ",
    "ie": "IEQ",
}
# Volumes, in mL: "in 40 mL", "/3mL", "(2ml)".
VOLUME_UNITS: dict[str, float] = {
    "ml": 1.0, "milliliter": 1.0, "millilitre": 1.0, "cc": 1.0, "cm3": 1.0, "cubic centimeter": 1.0,
    "µl": 1e-3, "μl": 1e-3, "ul": 1e-3,
}
# "cells per infusion", "cells/time": a flat number given at once.
FLAT_MARKS: tuple[str, ...] = (
    "time", "infusion", "dose", "administration", "patient", "subject", "participant", "treatment", "session",
    "transplant", "transplantation", "course", "bag", "vial", "eye", "knee", "joint", "side", "limb", "kidney",
    "disc", "procedure", "application", "person", "recipient", "cycle", "each time", "injection",
)
# "cells per injection site": one of several injections of a procedure.
PER_SITE_MARKS: tuple[str, ...] = (
    "injection site", "site", "point", "injection point", "puncture", "deposit", "unit", "entry site",
)
# Rates are not doses: "5.0 x 10^6 hMSC/minute".
RATE_UNITS: tuple[str, ...] = ("min", "minute", "hour", "hr", "h", "second", "sec")
# Numbers in these are not cells: drugs, vectors, particles, volumes, lengths.
OTHER_UNITS: tuple[str, ...] = (
    "mg", "g", "gram", "µg", "μg", "ug", "mcg", "ng", "pg", "iu", "ui", "u", "unit", "units", "international units",
    "copies", "copy", "vg",
    "gc", "microm", "µci", "μci", "uci",
    "/peptide", "per peptide",  # "Mature DC 7.5-15 million/peptide": a count for each of an unstated number
    "pfu", "tcid50", "ccid50", "cell culture infectious dose", "cfu", "mmol", "µmol", "nmol", "mol", "meq", "%",
    "fold", "particle", "particles",
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

# What a dose counts when it is a subset of the cells given, as registries name it: "2 x 10^6 anti-CD19 CAR T
# cells/kg", "10 or more million CD34+ cells", "total nucleated cells (TNC)/kg", "CD56+ cells/kg". Patterns,
# tried in order on the words between the number and its unit (then just before the number); the first that
# matches names the population.
POPULATIONS: dict[str, str] = {
    r"CAR\s?\+|CAR[-\s](?:positive|expressing|modified|transduced)|CAR[-\s]?T|CART(?:[-\s]?\d{1,3})?": "CAR+ T cells",
    r"(?:TCR|gene)[-\s]?(?:transduced|modified|engineered)|transduced|genetically\s{1,3}(?:modified|engineered)":
        "transduced cells",
    r"CD34\s?\+|CD34[-\s]?(?:positive|selected|cells?)": "CD34+ cells",
    r"total\s{1,3}nucleated|TNCs?|nucleated": "TNC",
    r"CD3\s?\+|CD3[-\s]?(?:positive|cells?)": "CD3+ cells",
    r"CD56\s?\+|CD56[-\s]?(?:positive|selected|cells?)": "CD56+ cells",
    r"CD54\s?\+|CD54[-\s]?(?:positive|cells?)": "CD54+ cells",
    r"NK|natural\s{1,3}killer": "NK cells",
    r"mononuclear|MNCs?": "mononuclear cells",
    r"viable|live": "viable cells",
    r"T[-\s]cells?|T[-\s]?lymphocytes?|lymphocytes?": "T cells",
}
# A weight band: which patients a dose is for ("(for patients ≤ 50 kg)", "Patients <40 kg will be dosed per
# body weight"). The comparison, normalised.
WEIGHT_BAND_SIGNS: dict[str, str] = {"≤": "≤", "<": "<", "≥": "≥", ">": ">"}
# Who a weight band speaks of, before its sign: "patients ≥40 kg", "for subjects weighing more than 50 kg".
WEIGHT_BAND_SUBJECTS: tuple[str, ...] = ("patient", "patients", "subject", "subjects")
# A dose the protocol aims at, beside the ranges it accepts ("A target dose of ... The following cell dose ranges
# may be infused if all other safety release criteria are met: ...").
TARGET_WORDS: tuple[str, ...] = ("target", "targeted")
# A dose level the record keeps listed but no longer gives: "Dose Level 3: 1x10^5 cells/m2 (NOT BEING USED)".
NOT_USED_PHRASES: tuple[str, ...] = (r"not\s{1,3}(?:being\s{1,3})?used",)
# A dose that is split over several days or bags is one administration: "split dose infusion over 3 days",
# "Day 0: 10% of total dose, Day 1: 30% ..., Day 2: 60%".
FRACTION_PHRASES: tuple[str, ...] = (
    r"split(?:\s{1,3}(?:dose|doses|infusion|infusions))*\s{1,3}(?:over|into|across)",
    r"\d{1,3}\s{0,2}%\s{0,3}of\s{1,3}(?:the\s{1,3})?(?:total|target|planned)\s{1,3}(?:cell\s{1,3})?dose",
    r"(?:(?:in|trans)?fu\w{0,4}ion|injection)s?\s{1,3}in\s{1,3}(?:\d|two|three|four|five)\s{1,3}(?:times|portions|parts|"
    r"bags)",
    r"(?:infusion|dose|product)\s{1,3}(?:will\s{1,3}be\s{1,3})?divided\s{1,3}into\s{1,3}(?:\d|two|three|four|five)\s{1,3}"
    r"(?:portions|parts|bags)",
    # "infused to patient in a three-day split-dose regimen (day0,30%; day1, 30%; day2, 40%)"
    r"split[\s-]{1,3}doses?\s{1,3}(?:regimen|infusion|schedule|administration)",
    # "10% on day 0, 30% on day 1 and 60% on day 2"
    r"\d{1,3}\s{0,2}%\s{0,3}on\s{1,3}day\s{0,2}\d",
    # "administered at day 0, day 2 and day 6 by split dose (20%, 30% and 50% respectively)", "administered via split
    # dosing: 10% on Day 1, 30% on Day 2, 60% on Day 3"
    r"split[\s-]{1,3}dos(?:e|es|ing)\s{0,3}[(:]\s{0,3}\d{1,3}\s{0,2}%",
    # "They will get the split doses CART cells on day0, day1, day2 through the IV in 1 infusion."
    r"split[\s-]{1,3}doses?\s{1,3}(?:of\s{1,3})?(?:[\w+-]{1,25}\s{1,3}){0,3}?on\s{1,3}days?",
)

# Words joining the dose levels of an escalation, when only the last level writes its unit: "starting with 5 x 106
# (...), followed by 1 x 107 and a final dose 2 x 107 mCTLs/m2" gives every level per m².
ESCALATION_JOINS: tuple[str, ...] = (
    r"followed\s{1,3}by",
    r"and\s{1,3}(?:a|the)\s{1,3}(?:final|last|highest)\s{1,3}dose(?:\s{1,3}(?:of|level))?",
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
    "less than": "at most",
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
    "exceeding": "at least",
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
    # "This initial infusion of huCART-meso cells may be followed by up to two (2) additional IV infusions"
    r"re-?injected|injected|infused|followed)",
    r"at\s+the\s+(?:investigator'?s?\s+)?discretion",
    r"possible\s+(?:repeat|additional|second|further)",
    r"if\s+(?:the\s+)?(?:\w+\s+){0,4}?(?:not|no|fails?|persists?|insufficient|incomplete|relapses?|recurs?|worsens?)\b",
    r"in\s+case\s+of",
    # "If partial response (PR) is achieved after the first course, 1 or 2 courses of treatment will be continued"
    r"if\s+(?:(?:a|an|the)\s+)?(?:\w+\s+){0,3}?(?:response|responds?|remission)\b",
    r"(?:with\s+)?(?:the|an?)\s+option\s+(?:of|to|for)",
    r"cross(?:-|\s)?over",
    r"could\s+(?:be\s+)?(?:receive|given|repeated)",
    r"(?:allowed|able|eligible)\s+to\s+(?:receive|have|get|be\s+(?:re-?)?treated)",
)
# A schedule without an end: "every 3 months until progression".
OPEN_ENDED_PHRASES: tuple[str, ...] = (
    r"until\s+(?:\w+\s+){0,3}?(?:progression|relapse|toxicity|death|intolerance|withdrawal|recovery|remission)",
    r"indefinitely",
    r"as\s+long\s+as",
)

# Words that speak of several administrations without counting them: "until 20 weeks after the last NK Infusion",
# "multiple high-activity natural killer (HANK) immunotherapies". With no count stated, the count is open, not one.
SEVERAL_PHRASES: tuple[str, ...] = (
    r"the\s+(?:last|final)\s+(?:[\w-]{1,15}\s+){0,3}?(?:infusion|injection|administration|transfusion)\b",
    r"(?:multiple|several|repeated)\s+(?:[\w()-]{1,25}\s+){0,4}?(?:infusions|transfusions|administrations|doses|"
    r"treatments|immunotherapies|courses|cycles|vaccinations)\b",
    r"at\s+(?:several|multiple|various)\s+(?:time\s+)?(?:intervals|times|time\s+points)",
    r"repeated[-\s]+dos(?:e|es|ing)\b",
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
# What a cell-free word before them says was loaded onto cells: "tumor lysate pulsed DC-CIK cells" gives cells
# (not "loaded": "exosomes loaded with siRNA" are cell-free).
ANTIGEN_LOADING: tuple[str, ...] = ("pulsed",)
# Cells a text speaks of that are the patient's, not a product given: "circulating tumor cell", "white blood cell
# count", "B-cell lymphoma". The word before "cell(s)".
NOT_PRODUCT_CELLS: tuple[str, ...] = (
    "tumor", "tumour", "cancer", "malignant", "leukemia", "leukemic", "leukaemia", "blast", "circulating", "blood",
    "red", "white", "infected", "target", "host", "sickle", "b", "plasma", "squamous", "germ", "hair", "giant",
    "mast", "goblet", "beta", "β", "epithelial", "endothelial", "killing", "clear", "small", "non-small",
)
# What a placebo or vehicle is called (convention 5.2).
PLACEBO_WORDS: tuple[str, ...] = (
    "placebo", "sham", "vehicle", "solvent", "solubilizer", "excipient", "excipients", "saline only", "dummy",
    "reconstitution media", "reconstitution medium", "cryoprotectant", "without cells", "no cells",
)
