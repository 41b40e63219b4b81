"""TUI tests: Pilot's key presses wait for the app to go idle, polling every 20 ms, twice
a key; our keys are handled in well under a millisecond of CPU, so the tests poll every
2 ms instead. Idle is still judged the same way (process time against wall time), so a
key whose handling takes longer is still waited for."""

from __future__ import annotations

import textual._wait

textual._wait.SLEEP_GRANULARITY = 0.002
textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 20.0
