"""Lantern: offline lessons on money, risk, privacy rights and complaint channels.

Kept empty on purpose: importing ``app`` must stay cheap (startup time).
"""

__version__ = "0.1.0"
