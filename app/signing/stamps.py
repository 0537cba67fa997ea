"""Signature fields whose appearances we draw ourselves, on one or several places.

We create the field beforehand with our own appearance and let pyHanko sign it, keeping that
appearance. Everything lands in the signature's own revision, so several places (all pages,
initials on every page) still make ONE signature with no change after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name, pdf_string
from pyhanko.stamp import BaseStampStyle

from app.signing.geometry import PageGeometry, Rect, displayed_to_user_space

if TYPE_CHECKING:
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.writer import BasePdfFileWriter

# Annotation flags: Print (4) | Locked (128) so viewers neither hide nor move the appearance.
WIDGET_FLAGS = 4 | 128
# Extra appearances: Print | ReadOnly | Locked | LockedContents.
EXTRA_FLAGS = 4 | 64 | 128 | 512


@dataclass(frozen=True)
class WidgetSpec:
    page: int
    user_rect: tuple[float, float, float, float]
    appearance: generic.IndirectObject
    rotate: int = 0


def page_geometry(writer: BasePdfFileWriter, page_index: int) -> tuple[PageGeometry, generic.IndirectObject]:
    page_ref: generic.IndirectObject = writer.find_page_for_modification(page_index)[0]
    return PageGeometry.from_pyhanko_page(page_ref.get_object()), page_ref


def widget_rect(writer: BasePdfFileWriter, page_index: int, displayed_rect: Rect) -> tuple[Rect, int]:
    geom, _ = page_geometry(writer, page_index)
    return displayed_to_user_space(geom, displayed_rect), geom.rotate


def acroform_fields(writer: BasePdfFileWriter) -> generic.ArrayObject:
    root = writer.root
    if "/AcroForm" not in root:
        fields = generic.ArrayObject()
        root[pdf_name("/AcroForm")] = writer.add_object(generic.DictionaryObject({pdf_name("/Fields"): fields}))
        writer.update_root()
        return fields
    form = root["/AcroForm"]
    if "/Fields" not in form:
        form[pdf_name("/Fields")] = generic.ArrayObject()
        writer.update_container(form)
    existing: generic.ArrayObject = form["/Fields"]
    writer.update_container(existing)
    return existing


def _widget_entries(writer: BasePdfFileWriter, spec: WidgetSpec) -> generic.DictionaryObject:
    page_ref = writer.find_page_for_modification(spec.page)[0]
    annot = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Annot"),
            pdf_name("/Subtype"): pdf_name("/Widget"),
            pdf_name("/Rect"): generic.ArrayObject(generic.FloatObject(round(v, 4)) for v in spec.user_rect),
            pdf_name("/F"): generic.NumberObject(WIDGET_FLAGS),
            pdf_name("/P"): page_ref,
            pdf_name("/AP"): generic.DictionaryObject({pdf_name("/N"): spec.appearance}),
        }
    )
    if spec.rotate:
        # Informative for viewers that rebuild appearances; the /Matrix already turns ours.
        annot[pdf_name("/MK")] = generic.DictionaryObject({pdf_name("/R"): generic.NumberObject(spec.rotate)})
    return annot


def _extra_appearance(
    writer: BasePdfFileWriter, spec: WidgetSpec, name: str, index: int, label: str
) -> generic.IndirectObject:
    """A locked, printed stamp annotation showing the signature's appearance on another place."""
    annot = _widget_entries(writer, spec)
    annot[pdf_name("/Subtype")] = pdf_name("/Stamp")
    annot[pdf_name("/F")] = generic.NumberObject(EXTRA_FLAGS)
    # /NM ties the extra appearance to its signature field for the viewers' signature list.
    annot[pdf_name("/NM")] = pdf_string(f"{name}#{index}")
    annot[pdf_name("/Contents")] = pdf_string(label)
    ref: generic.IndirectObject = writer.add_object(annot)
    writer.register_annotation(annot.raw_get("/P"), ref)
    return ref


def create_signature_field(
    writer: BasePdfFileWriter, name: str, widgets: tuple[WidgetSpec, ...], label: str = ""
) -> generic.IndirectObject:
    """Add an empty signature field whose widget is the first spec; the others become stamps.

    The field and its widget are one merged dictionary: Poppler (pdfsig, Okular) does not find
    the value of a signature field whose widgets are separate kids, so several places are shown
    by locked stamp annotations written in the same revision (covered by the same signature).
    """
    fields = acroform_fields(writer)
    sig_field = generic.DictionaryObject(
        {
            pdf_name("/FT"): pdf_name("/Sig"),
            pdf_name("/T"): pdf_string(name),
        }
    )
    field_ref: generic.IndirectObject = writer.add_object(sig_field)
    fields.append(field_ref)
    if not widgets:
        # Invisible signature: a zero-size widget merged into the field.
        page_ref = writer.find_page_for_modification(0)[0]
        sig_field.update(
            {
                pdf_name("/Type"): pdf_name("/Annot"),
                pdf_name("/Subtype"): pdf_name("/Widget"),
                pdf_name("/Rect"): generic.ArrayObject([generic.NumberObject(0)] * 4),
                pdf_name("/F"): generic.NumberObject(WIDGET_FLAGS),
                pdf_name("/P"): page_ref,
            }
        )
        writer.register_annotation(page_ref, field_ref)
        return field_ref
    sig_field.update(_widget_entries(writer, widgets[0]))
    writer.register_annotation(sig_field.raw_get("/P"), field_ref)
    for i, spec in enumerate(widgets[1:], start=2):
        _extra_appearance(writer, spec, name, i, label or name)
    return field_ref


@dataclass(frozen=True)
class PrebuiltAppearanceStyle(BaseStampStyle):
    """Keeps the appearance drawn beforehand (pyHanko would otherwise draw its own)."""

    border_width: int = 0

    def create_stamp(
        self, writer: BasePdfFileWriter, box: layout.BoxConstraints, text_params: dict[str, Any]
    ) -> None:
        return None
