"""Liên Thông Desk: iGate dossiers and iDesk drafts side by side, with USB-token signing."""

__version__ = "0.1.0"
APP_NAME = "LienThongDesk"
APP_AUTHOR = "LienThong"
