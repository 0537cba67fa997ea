"""Signing UI: token and PIN dialogs, the sign dialog, role actions and the verification panel."""
