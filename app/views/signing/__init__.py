"""Signing UI: token and PIN dialogs, the sign dialog, role actions and the verification panel.

The main window plugs it in with `install(main_window, gui_app)` (see install.py).
"""


def install(main_window, gui_app):
    from app.views.signing.install import install as _install

    return _install(main_window, gui_app)
