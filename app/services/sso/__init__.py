"""Single sign-on through the provincial OpenID Connect provider (Keycloak realm "digo" or similar)."""

from app.services.sso.client import OidcClient
from app.services.sso.idtoken import IdTokenValidator, user_from_claims
from app.services.sso.session import SsoSession, TokenSet
from app.services.sso.store import RefreshTokenStore, TokenTooLongError, service_name

__all__ = [
    "IdTokenValidator",
    "OidcClient",
    "RefreshTokenStore",
    "SsoSession",
    "TokenSet",
    "TokenTooLongError",
    "service_name",
    "user_from_claims",
]
