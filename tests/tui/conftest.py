"""TUI tests run Textual headless, where three things cost time that tests do not use:

- Pilot's key presses wait for the app to go idle, polling every 20 ms, twice a key; our
  keys are handled in well under a millisecond of CPU, so the tests poll every 1 ms.
  Idle is still judged the same way (an interval with under 0.1 ms of process time), so
  a key whose handling takes longer is still waited for.
- After every change the screen renders the changed regions for a terminal that headless
  mode throws away (a fifth of these tests' CPU). Tests skip those partial renders;
  instead the screen on top is rendered in full when a test leaves `run_test`, so a
  widget that fails to render still fails its test, and snapshot tests render in full as
  always. What a test asserts about widgets (their content, layout, focus, scroll) does
  not come from rendering.
- Every app parses the same stylesheets (Textual's widgets' and ours) again, several times
  as widget types are first mounted; the rules parsed from one text are the same for
  every app, so a test run parses each text once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import textual._wait
from textual._compositor import Compositor
from textual.app import App
from textual.css.model import RuleSet
from textual.css.stylesheet import CSSLocation, Stylesheet
from textual.pilot import Pilot

textual._wait.SLEEP_GRANULARITY = 0.001
textual._wait.SLEEP_IDLE = 0.0001

_render_update = Compositor.render_update
_run_test = App.run_test
_parse_rules = Stylesheet._parse_rules
_parsed: dict[tuple[str, CSSLocation, bool, int, str], list[RuleSet]] = {}


def _full_renders_only(
    self: Compositor, full: bool = False, screen_stack: Any = None, simplify: bool = False
) -> Any:
    if full:
        return _render_update(self, full, screen_stack, simplify)
    self._dirty_regions.clear()  # what a partial render would have consumed
    return None


@asynccontextmanager
async def _run_test_rendering_at_the_end(
    self: App[Any], *args: Any, **kwargs: Any
) -> AsyncIterator[Pilot[Any]]:
    async with _run_test(self, *args, **kwargs) as pilot:
        yield pilot
        if self.is_running:
            await pilot.pause()
            self.screen._compositor.render_update(full=True)


def _parse_rules_once(
    self: Stylesheet,
    css: str,
    read_from: CSSLocation,
    is_default_rules: bool = False,
    tie_breaker: int = 0,
    scope: str = "",
) -> list[RuleSet]:
    key = (css, read_from, is_default_rules, tie_breaker, scope)
    if key not in _parsed:
        _parsed[key] = _parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
    return _parsed[key]


Compositor.render_update = _full_renders_only  # type: ignore[method-assign]
App.run_test = _run_test_rendering_at_the_end  # type: ignore[method-assign,assignment]
Stylesheet._parse_rules = _parse_rules_once  # type: ignore[method-assign]
