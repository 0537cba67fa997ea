"""Tokens, placement geometry, appearances, PAdES signing and verification. No Qt here."""

from app.signing import pyhanko_lean

# Before any module here imports pyhanko.sign: its aiohttp time-stamp client loads only if used.
pyhanko_lean.install()
