"""The iGate client the app uses; the vendor adapter is chosen here (DIGO for now)."""

from app.services.digo.igate import IGateClient

__all__ = ["IGateClient"]
