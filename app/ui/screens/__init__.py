"""Lantern's screens, one module each, all shown in the main window's stack."""
