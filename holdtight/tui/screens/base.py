"""What every screen of this app shares: typed access to the app and its workspace."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from holdtight.tui.state import Workspace

if TYPE_CHECKING:
    from holdtight.tui.app import HoldtightApp


class AppScreen(Screen[None]):
    @property
    def holdtight(self) -> HoldtightApp:
        from holdtight.tui.app import HoldtightApp

        app = self.app
        assert isinstance(app, HoldtightApp)
        return app

    @property
    def workspace(self) -> Workspace:
        return self.holdtight.workspace

    def commit(self) -> bool:
        """Store whatever is typed on this screen and not yet stored. True if it changed
        the session. Called before leaving by any route."""
        return False
