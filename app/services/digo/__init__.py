"""Adapters for the VNPT "DIGO" platform family (iGate one-stop-shop, iDesk e-office).

Paths and JSON field names live only here; the rest of the app sees app.domain types.
"""
