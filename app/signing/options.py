"""What a signing asks for: the profile, what the visible signature shows, the TSA, and the result."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Literal

from app.signing.geometry import Placement
from app.text import Text


class Profile(Enum):
    """Who signs and how the signature looks (Decree 30/2020, Appendix I)."""

    LEADER = "leader"
    SEAL = "seal"
    INITIALS = "initials"
    APPENDIX = "appendix"
    COPY = "copy"

    @property
    def label_vi(self) -> str:
        return {
            "leader": "Chữ ký lãnh đạo",
            "seal": "Chữ ký cơ quan (dấu)",
            "initials": "Ký nháy",
            "appendix": "Ký số phụ lục",
            "copy": "Ký bản sao điện tử",
        }[self.value]

    @property
    def label_en(self) -> str:
        return {
            "leader": "Leader's signature",
            "seal": "Organization's signature (seal)",
            "initials": "Initials",
            "appendix": "Appendix signature",
            "copy": "Electronic copy signature",
        }[self.value]


@dataclass(frozen=True)
class AppearanceOptions:
    """What the visible signature shows; mirrors the options of the signing window."""

    show_image: bool = True
    show_signer: bool = True
    show_time: bool = True
    show_org: bool = False
    show_email: bool = False
    font_size: float = 9.0
    image_path: Path | None = None
    seal_size_mm: float = 36.0
    document_number: str = ""
    copy_form: str = ""
    copy_org: str = ""
    # The leader's stamp shows the time as officers read it (22:25:03 01/12/2026); the appendix and
    # copy blocks keep ISO 8601 with +07:00, as Decree 30 requires.
    time_format: str = "%H:%M:%S %d/%m/%Y"


class TsaMemory:
    """Which server of a list answered last; shared by the documents of one signing session."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = ""

    @property
    def last(self) -> str:
        with self._lock:
            return self._last

    def remember(self, url: str) -> None:
        with self._lock:
            self._last = url

    def order(self, urls: list[str]) -> list[str]:
        last = self.last
        return ([last] if last in urls else []) + [u for u in urls if u != last]


@dataclass(frozen=True)
class TsaConfig:
    """An RFC 3161 time-stamping service, e.g. the government TSA http://tsa.ca.gov.vn."""

    url: str
    username: str | None = None
    password: str | None = None
    timeout_s: float = 60.0  # per server
    # requests' `verify`: the profile's CA bundle for an https TSA with a private CA.
    verify: bool | str = True
    # The account and password go over plain http only when the profile says so explicitly.
    plain_http_credentials: bool = False
    # Tried in order after `url` when it does not answer; the one that answers is asked first next time.
    fallback_urls: tuple[str, ...] = ()
    memory: TsaMemory = field(default_factory=TsaMemory, compare=False, repr=False)

    @property
    def urls(self) -> tuple[str, ...]:
        return (self.url, *self.fallback_urls)


@dataclass(frozen=True)
class SigningRequest:
    input_path: Path
    output_path: Path
    profile: Profile = Profile.LEADER
    placements: tuple[Placement, ...] = ()
    options: AppearanceOptions = field(default_factory=AppearanceOptions)
    tsa: TsaConfig | None = None
    reason: str = ""
    location: str = ""
    pdf_password: str | None = None
    # The clerk's number and release date, filled in the reserved fields in the seal's revision.
    number: str | None = None
    release_date: date | None = None
    place_name: str = "Bình Định"
    # Repeat the first placement's box on every page (the "show on all pages" option).
    all_pages: bool = False
    # With the document's first signature, reserve the clerk's number/date fields (see fields.py).
    reserve_number_fields: bool = True
    # The officer chose to sign a repaired copy if the input is damaged and unsigned (repair.py).
    repair_damaged: bool = False
    # The input is a repaired copy (previewed by the officer) of this damaged original: the result says so.
    repaired_from: Path | None = None
    # The SHA-256 of the file as the officer previewed it: anything else on disk is refused.
    expected_sha256: str | None = None


Level = Literal["B-B", "B-T", "B-LT"]


@dataclass(frozen=True)
class SigningResult:
    output_path: Path
    level: Level
    sha256: str
    field_name: str
    signing_time: datetime
    warnings: tuple[Text, ...] = ()
    tsa_url: str = ""  # the TSA that stamped the signature, if any
