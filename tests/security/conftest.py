"""The service tests' fixtures (`connect_as`, `form_browser`) serve the attacks here too."""

from tests.services.conftest import connect_as, form_browser  # noqa: F401 (pytest fixtures)
