"""Widgets of the holdtight TUI."""
