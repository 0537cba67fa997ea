"""Vendor adapters by name: a server profile's `adapter` key picks the iGate and iDesk clients.

Only the VNPT "DIGO" family exists today; another vendor adds its pair here.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.config import ServerProfile
from app.errors import ConfigError
from app.services.digo.idesk import IDeskClient
from app.services.digo.igate import IGateClient


@dataclass(frozen=True)
class Adapter:
    """A vendor's iGate and iDesk clients, chosen by a server profile's `adapter` key."""

    name: str
    igate: type[IGateClient]
    idesk: type[IDeskClient]


ADAPTERS: dict[str, Adapter] = {"digo": Adapter("digo", IGateClient, IDeskClient)}


def adapter_for(profile: ServerProfile) -> Adapter:
    adapter = ADAPTERS.get(profile.adapter)
    if adapter is None:
        known = ", ".join(sorted(ADAPTERS))
        raise ConfigError(
            f"Cấu hình máy chủ \"{profile.name}\" chọn bộ kết nối \"{profile.adapter}\" không có; các bộ có: {known}.",
            f"Server profile \"{profile.name}\" names the unknown adapter \"{profile.adapter}\"; known: {known}.",
        )
    return adapter
