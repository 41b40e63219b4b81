"""Input limits, in one place: what an answer file may hold. Every check of an answer
(the full path in `holdtight.sessionfile`, the batch fast path's check in
`holdtight.codegen`) reads them from here."""

from __future__ import annotations

MAX_FILE_BYTES = 1024 * 1024
"""An answer or session file."""
MAX_TEXT = 10_000
"""Characters in a text answer, a meta value or a note."""
MAX_LIST = 100
"""Items in a multiple-choice answer."""
MAX_META_KEYS = 50
"""Keys in an answer file's `[meta]` table."""
MAX_NUMBER = 10**15
"""Largest magnitude of a number in an answer or meta value (beyond it, floats lose whole
units and a 400-digit integer would overflow a float)."""
