"""The profile's `adapter` key picks the vendor clients; an unknown name stops before sign-in."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.errors import ConfigError
from app.services.adapters import ADAPTERS, adapter_for
from app.services.compose import connect
from app.services.digo.idesk import IDeskClient
from app.services.digo.igate import IGateClient


def test_digo_is_the_default_adapter(sandbox):
    adapter = adapter_for(sandbox.profile())
    assert (adapter.igate, adapter.idesk) == (IGateClient, IDeskClient)


def test_unknown_adapter_is_a_configuration_error(sandbox, app_paths):
    profile = replace(sandbox.profile(), adapter="vendor-x")
    with pytest.raises(ConfigError) as info:
        connect(profile, app_paths)
    assert "vendor-x" in info.value.message("vi") and "digo" in info.value.message("en")


def test_sign_in_builds_the_clients_of_the_chosen_adapter(sandbox, connect_as, monkeypatch):
    class TracingIGate(IGateClient):
        pass

    monkeypatch.setitem(ADAPTERS, "digo", replace(ADAPTERS["digo"], igate=TracingIGate))
    assert type(connect_as(sandbox, "hoant").igate) is TracingIGate
