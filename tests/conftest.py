"""The suite reads records afresh: the parsed-record cache on disk is off unless a test turns it on (in a folder
of its own), so no test is answered from another's, or a developer's, cache."""

import os

os.environ["TRIALDATA_CACHE"] = "off"
