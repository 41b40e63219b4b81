"""What opening a session loads before its first question is drawn: not the levers
(the results screen's) nor the start screen (a new session's)."""

from __future__ import annotations

import subprocess
import sys

CHECK = (
    "import sys, holdtight.tui.app, holdtight.engine as e; "
    "from holdtight.rulebook import load_rulebook; r = load_rulebook(); "
    "e.score(r, {}, levers=False); "
    "print([m for m in ('holdtight.levers', 'holdtight.tui.screens.start') if m in sys.modules]); "
    "e.score(r, {}); print('holdtight.levers' in sys.modules)"
)


def test_question_screen_path_loads_no_levers_nor_start_screen() -> None:
    out = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[0] == "[]"
    assert out[1] == "True"  # scoring with levers still loads them
