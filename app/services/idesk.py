"""The iDesk client the app uses; the vendor adapter is chosen here (DIGO for now)."""

from app.services.digo.idesk import IDeskClient

__all__ = ["IDeskClient"]
