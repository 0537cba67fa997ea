"""Tokens, placement geometry, appearances, PAdES signing and verification. No Qt here."""
