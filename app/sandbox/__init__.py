"""The training sandbox: an OIDC provider, an iGate API and an iDesk API on 127.0.0.1.

It is the app's embedded training mode and what the tests talk to. Nothing here imports Qt.
"""
