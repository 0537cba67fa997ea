"""Checks on a freshly signed output before it is written: the new signature, and the old ones."""

from __future__ import annotations

from pyhanko.pdf_utils import misc
from pyhanko.sign.diff_analysis import ModificationLevel, SuspiciousModification
from pyhanko.sign.general import byte_range_digest
from pyhanko.sign.validation.generic_cms import validate_sig_integrity
from pyhanko.sign.validation.pdf_embedded import SignatureCoverageLevel

from app.signing.errors import SignatureCheckError, WouldInvalidateSignatureError
from app.signing.pdfopen import open_reader

# The changes an approval signature permits after it: filling forms and adding signatures.
PERMITTED = ModificationLevel.FORM_FILLING


def verify_new_signature(out: bytes, field_name: str, password: str | None) -> None:
    """Re-open the output and check the new signature's digest, value and coverage."""
    try:
        reader = open_reader(out, password)
        sig = next(s for s in reader.embedded_signatures if s.field_name == field_name)
        coverage = sig.evaluate_signature_coverage()
        _, digest = byte_range_digest(reader.stream, byte_range=sig.byte_range,
                                      md_algorithm=sig.external_md_algorithm, chunk_size=1 << 20)
        intact, valid = validate_sig_integrity(sig.signer_info, sig.signer_cert, "data", digest)
    except (StopIteration, misc.PdfError, ValueError, KeyError) as exc:
        raise SignatureCheckError(detail=repr(exc)) from exc
    # B-LT appends a DSS revision after the signature, so the whole signed revision suffices.
    if not (intact and valid) or coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        raise SignatureCheckError(detail=f"intact={intact} valid={valid} coverage={coverage}")


def _levels(data: bytes, password: str | None, names: set[str] | None = None) -> dict:
    """Field name -> modification level (None when suspicious) of each embedded signature."""
    reader = open_reader(data, password)
    out = {}
    for sig in reader.embedded_signatures:
        if names is not None and sig.field_name not in names:
            continue
        sig.compute_integrity_info()
        diff = sig.diff_result
        out[sig.field_name] = None if isinstance(diff, SuspiciousModification) or diff is None \
            else diff.modification_level
    return out


def _ok(level) -> bool:
    return level is not None and level <= PERMITTED


def check_earlier_signatures(original: bytes, out: bytes, password: str | None) -> None:
    """Refuse an output that turns an earlier, clean signature into one with unpermitted changes."""
    try:
        after = _levels(out, password)
    except (misc.PdfError, ValueError, KeyError) as exc:
        raise SignatureCheckError(detail=f"re-reading earlier signatures: {exc!r}") from exc
    broken = {name for name, level in after.items() if not _ok(level)}
    if not broken:
        return
    # Only what we changed counts: a signature that was already damaged stays the caller's concern.
    try:
        before = _levels(original, password, broken)
    except (misc.PdfError, ValueError, KeyError):
        return
    made_worse = sorted(name for name in broken if name in before and _ok(before[name]))
    if made_worse:
        raise WouldInvalidateSignatureError(", ".join(made_worse), detail="difference analysis after the update")
