"""Talking to the SSO, iGate and iDesk; the three transfers; the outbox. No Qt here."""
