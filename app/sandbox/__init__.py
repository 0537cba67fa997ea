"""The training sandbox: real OIDC, iGate and iDesk servers on 127.0.0.1, persisted in SQLite."""
