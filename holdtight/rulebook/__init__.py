"""Rulebooks: load a rulebook folder into the compiled `Rulebook` the engine scores with.

One job per module, in the order a load runs them:
    files        find and read the TOML files (size limits, content hash, parsing);
                 Finding, one problem, naming its file and place
    definitions  validate the tables into the model's *Def classes; ids and header checks
    cache        the on-disk cache of validated definitions
    build        compile questions, conditions, rules and guard rails; the batch kernel
    index        the engine's indexes (rules by question and domain, swings, levers)
    lint         whole-rulebook checks that `rules check` reports
    load         the order of all of the above: `check_rulebook`, `load_rulebook`
"""

from __future__ import annotations

from holdtight.rulebook.cache import CACHE_FORMAT, cache_dir
from holdtight.rulebook.files import MAX_RULEBOOK_FILE_BYTES, META_FILE, Finding, bundled_rules_dir
from holdtight.rulebook.load import check_rulebook, load_rulebook

__all__ = [
    "CACHE_FORMAT",
    "MAX_RULEBOOK_FILE_BYTES",
    "META_FILE",
    "Finding",
    "bundled_rules_dir",
    "cache_dir",
    "check_rulebook",
    "load_rulebook",
]
