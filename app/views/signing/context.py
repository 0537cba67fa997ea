"""What the signing views need from the application, passed in once (no globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from app.services.workflow import GOVERNMENT_TSA  # noqa: F401  (the views import it from here)
from app.signing.options import TsaMemory
from app.views.signing.images import SignatureImages

if TYPE_CHECKING:
    from app.views.pdf.render_service import RenderService


@dataclass
class SigningContext:
    runner: object  # app.views.tasks.TaskRunner
    broker: object  # app.views.signing.pin.PinBroker
    service: object | None = None  # app.signing.token.TokenService
    settings: object | None = None  # QSettings: last token/certificate, TSA choice
    config_dir: Path | None = None  # where "Ảnh ký số" is kept
    work_dir: Path | None = None  # where signed files are written before the outbox takes them
    trust: object | None = None  # app.signing.trust.TrustStore for the verification panel
    tsa_url: str = GOVERNMENT_TSA  # "" when the profile has none to offer (training without a TSA)
    tsa_username: str = ""
    tsa_fallback_urls: tuple = ()  # tried in order when tsa_url does not answer
    tsa_memory: object = field(default_factory=TsaMemory)  # which TSA answered last, this session
    tsa_verify: bool | str = True  # the profile's CA bundle
    tsa_plain_http_credentials: bool = False  # the profile allows the TSA account over plain http
    extra_trust_dirs: tuple = ()  # Settings.extra_trust_dir, trusted besides the shipped roots
    p12_path: object = None  # training mode without a USB token: a Path, or fn() -> Path | None
    memory: object | None = None  # app.signing.placement_memory.PlacementMemory
    proposer: Callable | None = None  # fn(pdf_path, profile, box_size) -> Placement | None
    upload: Callable | None = None  # fn(SigningResult) -> receipt; the outbox keeps the file
    validation_context: object | None = None
    watch_tokens: bool = True
    # "Ký số từ xa": app.views.signing.remote.RemoteSignerSource, one per configured provider.
    remote_sources: tuple = ()
    server_profile: str = ""  # the server profile's name: remote credential choices are kept per profile
    place_name: str = "Bình Định"
    conversions: object | None = None  # app.signing.convert.PdfConversions: Word drafts to PDF
    renderer: "RenderService | None" = None  # the previews share its render worker process
    lang: str = "vi"

    def images(self) -> SignatureImages:
        return SignatureImages.load(self.config_dir) if self.config_dir else SignatureImages()
