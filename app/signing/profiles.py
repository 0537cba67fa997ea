"""Where each kind of signature goes and what its appearance shows (Decree 30/2020, Appendix I)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from asn1crypto import x509 as asn1_x509

from app.resources import resource
from app.signing.appearance import ASCENT, BLACK, FontCache, ImageItem, TextLine, build_form, fit_image
from app.signing.errors import NoLeaderSignatureError, PlacementOutOfPageError
from app.signing.geometry import PageGeometry, Placement, Rect, user_to_displayed_space
from app.signing.imagecache import prepared_image
from app.signing.options import AppearanceOptions, Profile, SigningRequest
from app.signing.stamps import WidgetSpec, page_geometry, widget_rect
from app.vntime import VN_TZ

if TYPE_CHECKING:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

MM = 72 / 25.4
LINE_GAP = 1.2
APPENDIX_FONT_SIZE = 10.0
# Distance of the top-right block from the page edges (displayed space).
TOP_RIGHT_MARGIN = (28.0, 20.0)
INITIALS_SIZE = (42.0, 26.0)


def sample_image(profile: Profile) -> Path:
    name = {Profile.SEAL: "seal-sample.png", Profile.INITIALS: "initials-sample.png"}.get(
        profile, "signature-sample.png"
    )
    return resource("images", name)


def iso_vn(moment: datetime) -> str:
    """ISO 8601 with the Vietnam offset, seconds precision: 2026-11-21T09:15:02+07:00."""
    return moment.astimezone(VN_TZ).replace(microsecond=0).isoformat()


def vn_time(moment: datetime, fmt: str) -> str:
    """The signing time in Vietnam time, in the officer's format ("22:25:03 01/12/2026")."""
    return moment.astimezone(VN_TZ).strftime(fmt)


@dataclass(frozen=True)
class SignerIdentity:
    holder: str
    organization: str = ""
    email: str = ""

    @classmethod
    def from_cert(cls, cert: asn1_x509.Certificate | None) -> SignerIdentity:
        """Read from an asn1crypto certificate (what every pyHanko Signer carries)."""
        subject = cert.subject.native if cert is not None else {}
        email = subject.get("email_address", "")
        if not email and cert is not None:
            for name in cert.subject_alt_name_value or ():
                if name.name == "rfc822_name":
                    email = name.native
                    break
        return cls(
            holder=_one(subject.get("common_name", "")),
            organization=_one(subject.get("organization_name", "")),
            email=_one(email),
        )


def _one(value: object) -> str:
    # A name attribute may repeat (several O or OU values); show them in order.
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Layout:
    placement: Placement
    images: tuple[ImageItem, ...]
    lines: tuple[TextLine, ...]


def text_lines(options: AppearanceOptions, who: SignerIdentity, when: datetime) -> list[str]:
    lines = []
    if options.show_signer and who.holder:
        lines.append(f"Ký bởi: {who.holder}")
    if options.show_org and who.organization:
        lines.append(f"Cơ quan: {who.organization}")
    if options.show_email and who.email:
        lines.append(f"Email: {who.email}")
    if options.show_time:
        lines.append(f"Thời gian ký: {vn_time(when, options.time_format)}")
    return lines


def _stack_lines(
    fonts: FontCache, texts: list[str], width: float, size: float, bottom: float, align_left: float = 2.0
) -> tuple[list[TextLine], float]:
    """Lay lines out from the top down ending at `bottom`; shrink the size to fit the width."""
    if not texts:
        return [], 0.0
    widest = max(fonts.text_width(t, size) for t in texts)
    usable = max(width - 2 * align_left, 1.0)
    if widest > usable:
        size = max(4.0, size * usable / widest)
    leading = size * LINE_GAP
    height = leading * len(texts)
    out = []
    for i, t in enumerate(texts):
        baseline = bottom + height - (i * leading) - size * ASCENT - (leading - size) / 2
        out.append(TextLine(t, align_left, baseline, size))
    return out, height


def leader_layout(
    fonts: FontCache, placement: Placement, request: SigningRequest, who: SignerIdentity, when: datetime
) -> Layout:
    """LEADER: the handwritten signature image, optionally with text lines under it."""
    w, h = placement.width, placement.height
    opts = request.options
    texts = text_lines(opts, who, when)
    lines, text_h = _stack_lines(fonts, texts, w, opts.font_size, 1.0)
    images: tuple[ImageItem, ...] = ()
    if opts.show_image:
        path = opts.image_path or sample_image(request.profile)
        img = prepared_image(Path(path))
        area = (0.0, text_h + 1.0, w, h) if h - text_h > 8 else (0.0, 0.0, w, h)
        images = (ImageItem(Path(path), fit_image(img.size, area)),)
    elif lines:
        # Text only: centre the block vertically in the box.
        shift = max(0.0, (h - text_h) / 2 - 1.0)
        lines = [TextLine(t.text, t.x, t.y + shift, t.size) for t in lines]
    return Layout(placement, images, tuple(lines))


def image_only_layout(placement: Placement, path: Path) -> Layout:
    img = prepared_image(Path(path))
    return Layout(
        placement, (ImageItem(Path(path), fit_image(img.size, (0, 0, placement.width, placement.height))),), ()
    )


def top_right_layout(fonts: FontCache, geom: PageGeometry, texts: list[str], page: int = 0) -> Layout:
    """APPENDIX / COPY: no image, Times-metric 10 pt black, top right of the first page."""
    size = APPENDIX_FONT_SIZE
    pad = 2.0
    width = max(fonts.text_width(t, size) for t in texts) + 2 * pad
    leading = size * LINE_GAP
    height = leading * len(texts) + 2 * pad
    dw, _ = geom.displayed_size
    right, top = TOP_RIGHT_MARGIN
    x1 = dw - right
    placement = Placement(page, (x1 - width, top, x1, top + height))
    lines = []
    for i, t in enumerate(texts):
        baseline = height - pad - i * leading - size * ASCENT - (leading - size) / 2
        # Right-aligned, flush with the top-right corner.
        lines.append(TextLine(t, width - pad - fonts.text_width(t, size), baseline, size, BLACK))
    return Layout(placement, (), tuple(lines))


def appendix_texts(request: SigningRequest, when: datetime) -> list[str]:
    number = request.options.document_number or request.number or ""
    out = [number] if number else []
    out.append(iso_vn(when))
    return out


def copy_texts(request: SigningRequest, when: datetime) -> list[str]:
    opts = request.options
    out = [t for t in (opts.copy_form, opts.copy_org) if t]
    out.append(iso_vn(when))
    return out


def initials_placement(geom: PageGeometry, page: int) -> Placement:
    """Right margin, near the bottom of the page, as the specialist initials every page."""
    dw, dh = geom.displayed_size
    w, h = INITIALS_SIZE
    x1 = dw - 12.0
    y1 = dh - 40.0
    return Placement(page, (x1 - w, y1 - h, x1, y1))


def seal_placement(leader_rect_displayed: Rect, page: int, geom: PageGeometry, size_mm: float) -> Placement:
    """The seal at real size, its right edge on the first third of the leader's box, centred vertically."""
    x0, y0, x1, y1 = leader_rect_displayed
    s = size_mm * MM
    right = x0 + (x1 - x0) / 3
    cy = (y0 + y1) / 2
    left, top = right - s, cy - s / 2
    dw, dh = geom.displayed_size
    # Keep it on the page; a seal cut by the page edge would not be the real size.
    left = min(max(left, 0.0), max(dw - s, 0.0))
    top = min(max(top, 0.0), max(dh - s, 0.0))
    return Placement(page, (left, top, left + s, top + s))


def find_leader_widget(writer: IncrementalPdfFileWriter, name: str) -> tuple[int, Rect]:
    """The authorized person's signed widget: (page index, displayed rect). Raises if none."""
    from pyhanko.sign.fields import enumerate_sig_fields

    candidates = []
    for field_name, _value, field_ref in enumerate_sig_fields(writer.prev, filled_status=True):
        fld = field_ref.get_object()
        lowered = (field_name or "").lower()
        if lowered.startswith(("seal", "initials", "appendix", "copy")):
            continue
        widgets = [k.get_object() for k in fld.get("/Kids", ())] or [fld]
        for wdg in widgets:
            rect = wdg.get("/Rect")
            if rect is None:
                continue
            x0, y0, x1, y1 = (float(v) for v in rect)
            if abs(x1 - x0) < 1 or abs(y1 - y0) < 1:
                continue
            page_index = _page_index(writer, wdg)
            if page_index is None:
                continue
            candidates.append((lowered.startswith("leader"), page_index, (x0, y0, x1, y1)))
            break
    if not candidates:
        raise NoLeaderSignatureError(name)
    # Prefer our own leader fields, then the latest visible signature.
    preferred = [c for c in candidates if c[0]] or candidates
    _, page_index, user_rect = preferred[-1]
    geom, _ = page_geometry(writer, page_index)
    return page_index, user_to_displayed_space(geom, user_rect)


def _page_index(writer: IncrementalPdfFileWriter, widget: generic.DictionaryObject) -> int | None:
    page_ref = widget.get_value_as_reference("/P") if "/P" in widget else None
    n = int(writer.root["/Pages"]["/Count"])
    for i in range(n):
        ref = writer.find_page_for_modification(i)[0]
        if page_ref is not None and ref.reference == page_ref:
            return i
        annots = ref.get_object().get("/Annots")
        if page_ref is None and annots is not None:
            for a in annots:
                if a.get_object() is widget:
                    return i
    return None


def layouts_for(
    writer: IncrementalPdfFileWriter, fonts: FontCache, request: SigningRequest, who: SignerIdentity, when: datetime,
    pages: int, name: str,
) -> list[Layout]:
    profile = request.profile
    opts = request.options
    placements = [p.normalized() for p in request.placements]
    if profile is Profile.SEAL:
        if not placements:
            page, rect = find_leader_widget(writer, name)
            geom, _ = page_geometry(writer, page)
            placements = [seal_placement(rect, page, geom, opts.seal_size_mm)]
        else:
            find_leader_widget(writer, name)
        path = opts.image_path or sample_image(profile)
        return [image_only_layout(p, path) for p in placements]
    if profile in (Profile.APPENDIX, Profile.COPY):
        texts = appendix_texts(request, when) if profile is Profile.APPENDIX else copy_texts(request, when)
        geom, _ = page_geometry(writer, 0)
        auto = top_right_layout(fonts, geom, texts)
        if placements:
            return [Layout(p, (), _refit(fonts, auto.lines, p)) for p in placements]
        return [auto]
    if profile is Profile.INITIALS:
        if not placements:
            placements = [initials_placement(page_geometry(writer, i)[0], i) for i in range(pages)]
        path = opts.image_path or sample_image(profile)
        return [image_only_layout(p, path) for p in placements]
    # LEADER
    if request.all_pages and placements:
        first = placements[0]
        placements = [Placement(i, first.rect) for i in range(pages)]
    return [leader_layout(fonts, p, request, who, when) for p in placements]


def _refit(fonts: FontCache, lines: Iterable[TextLine], placement: Placement) -> tuple[TextLine, ...]:
    texts = [t.text for t in lines]
    out, _ = _stack_lines(fonts, texts, placement.width, APPENDIX_FONT_SIZE, 1.0)
    shift = max(0.0, placement.height - 2.0 - len(texts) * APPENDIX_FONT_SIZE * LINE_GAP)
    return tuple(TextLine(t.text, t.x, t.y + shift, t.size) for t in out)


def build_widgets(
    writer: IncrementalPdfFileWriter, fonts: FontCache, layouts: list[Layout], pages: int
) -> tuple[WidgetSpec, ...]:
    specs = []
    image_cache: dict[str, generic.IndirectObject] = {}  # image path -> its XObject, shared by the widgets
    for lay in layouts:
        p = lay.placement
        if not 0 <= p.page < pages:
            raise PlacementOutOfPageError(p.page, detail=f"document has {pages} pages")
        geom, _ = page_geometry(writer, p.page)
        if not geom.contains_displayed(p.rect):
            raise PlacementOutOfPageError(p.page, detail=f"rect {p.rect} outside {geom.displayed_size}")
        user_rect, rotate = widget_rect(writer, p.page, p.rect)
        form = build_form(
            writer, fonts, p.width, p.height, rotate, images=lay.images, lines=lay.lines, image_cache=image_cache
        )
        specs.append(WidgetSpec(p.page, user_rect, form, rotate))
    return tuple(specs)
