"""What the signing views need from the application, passed in once (no globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from app.services.workflow import GOVERNMENT_TSA  # noqa: F401  (the views import it from here)
from app.signing.options import TsaMemory
from app.views.signing.images import SignatureImages

if TYPE_CHECKING:
    from pyhanko_certvalidator import ValidationContext

    from app.domain import UserInfo
    from app.signing.convert import PdfConversions
    from app.signing.geometry import Placement
    from app.signing.options import Profile, SigningResult
    from app.signing.placement_memory import PlacementMemory
    from app.signing.token import TokenService
    from app.signing.trust import TrustStore
    from app.views.pdf.render_service import RenderService
    from app.views.qt import QSettings
    from app.views.signing.pin import PinBroker
    from app.views.signing.remote import RemoteSignerSource
    from app.views.tasks import TaskRunner

# fn(pdf_path, profile, box size) -> the proposed place, or None
Proposer = Callable[["Path", "Profile", "tuple[float, float]"], "Placement | None"]
# fn(damaged original, folder) -> the repaired copy written there and its SHA-256
Repairer = Callable[["Path", "Path"], "tuple[Path, str]"]
# fn(signing result) -> the iDesk receipt; the outbox keeps the file until then
Upload = Callable[["SigningResult"], object]


@dataclass
class SigningContext:
    runner: TaskRunner
    broker: PinBroker
    service: TokenService | None = None
    settings: QSettings | None = None  # last token/certificate, TSA choice
    config_dir: Path | None = None  # where "Ảnh ký số" is kept
    work_dir: Path | None = None  # where signed files are written before the outbox takes them
    trust: TrustStore | None = None  # for the verification panel
    tsa_url: str = GOVERNMENT_TSA  # "" when the profile has none to offer (training without a TSA)
    tsa_username: str = ""
    tsa_fallback_urls: tuple[str, ...] = ()  # tried in order when tsa_url does not answer
    tsa_memory: TsaMemory = field(default_factory=TsaMemory)  # which TSA answered last, this session
    tsa_verify: bool | str = True  # the profile's CA bundle
    tsa_plain_http_credentials: bool = False  # the profile allows the TSA account over plain http
    extra_trust_dirs: tuple[Path, ...] = ()  # Settings.extra_trust_dir, trusted besides the shipped roots
    p12_path: Path | Callable[[], Path | None] | None = None  # training mode without a USB token
    memory: PlacementMemory | None = None
    proposer: Proposer | None = None
    # Makes the repaired copy of a damaged file; None: in this process (tests, the CLI's way).
    repairer: Repairer | None = None
    upload: Upload | None = None
    validation_context: ValidationContext | None = None
    watch_tokens: bool = True
    # "Ký số từ xa": app.views.signing.remote.RemoteSignerSource, one per configured provider.
    remote_sources: tuple[RemoteSignerSource, ...] = ()
    server_profile: str = ""  # the server profile's name: remote credential choices are kept per profile
    place_name: str = "Bình Định"
    conversions: PdfConversions | None = None  # Word drafts to PDF
    renderer: RenderService | None = None  # the previews share its render worker process
    lang: str = "vi"
    user: UserInfo | None = None  # the signed-in officer: the chosen certificate is checked against them

    def images(self) -> SignatureImages:
        return SignatureImages.load(self.config_dir) if self.config_dir else SignatureImages()
