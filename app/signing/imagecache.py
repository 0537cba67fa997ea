"""Signature images as pyHanko embeds them, kept between runs in the app's cache folder.

Every leader's signature shows an image (the officer's, or the sample), and embedding it took
Pillow's import, a PNG decode for its size, a second decode and pyHanko's re-encoding into an
image XObject and its alpha mask: about a twentieth of a `lienthong sign` process, the same for
every document. The encoded samples are kept in the font cache's folder (`fontcache`), keyed by
the image file's bytes and the versions that encoded them; a damaged entry is made again.
"""

from __future__ import annotations

import functools
import struct
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.writer import BasePdfFileWriter

from app.signing import fontcache
from app.signing.errors import ImageError

if TYPE_CHECKING:
    from PIL import Image

# Bump when the stored layout changes.
FORMAT = "1"
_HEADER = struct.Struct(">4sIIBII")
_MAGIC = b"LTIM"
_GRAY, _RGB = 0, 1


@dataclass(frozen=True)
class PreparedImage:
    """An image's samples as pyHanko writes them: Flate-compressed, 8 bits, alpha as a mask."""

    width: int
    height: int
    gray: bool
    data: bytes
    mask: bytes | None

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height

    def pack(self) -> bytes:
        mask = self.mask if self.mask is not None else b""
        return _HEADER.pack(_MAGIC, self.width, self.height, _GRAY if self.gray else _RGB, len(self.data),
                            len(self.mask) if self.mask is not None else 0xFFFFFFFF) + self.data + mask

    @classmethod
    def unpack(cls, blob: bytes) -> PreparedImage | None:
        if len(blob) < _HEADER.size:
            return None
        magic, width, height, colour, data_len, mask_len = _HEADER.unpack_from(blob)
        has_mask = mask_len != 0xFFFFFFFF
        if magic != _MAGIC or colour not in (_GRAY, _RGB) or \
                len(blob) != _HEADER.size + data_len + (mask_len if has_mask else 0):
            return None
        data = blob[_HEADER.size:_HEADER.size + data_len]
        mask = blob[_HEADER.size + data_len:] if has_mask else None
        return cls(width, height, colour == _GRAY, data, mask)

    def embed(self, writer: BasePdfFileWriter) -> generic.IndirectObject:
        """The image XObject (and its /SMask) added to `writer`, as pyHanko's `pil_image` writes them."""
        mask = _image_stream(writer, self.width, self.height, True, self.mask) if self.mask is not None else None
        return _image_stream(writer, self.width, self.height, self.gray, self.data, mask)


def _image_stream(writer: BasePdfFileWriter, width: int, height: int, gray: bool, data: bytes,
                  mask: generic.IndirectObject | None = None) -> generic.IndirectObject:
    entries: dict[generic.NameObject, generic.PdfObject] = {
        pdf_name("/Type"): pdf_name("/XObject"),
        pdf_name("/Subtype"): pdf_name("/Image"),
        pdf_name("/Width"): generic.NumberObject(width),
        pdf_name("/Height"): generic.NumberObject(height),
    }
    if mask is not None:
        entries[pdf_name("/SMask")] = mask
    entries[pdf_name("/ColorSpace")] = pdf_name("/DeviceGray" if gray else "/DeviceRGB")
    entries[pdf_name("/BitsPerComponent")] = generic.NumberObject(8)
    entries[pdf_name("/Filter")] = pdf_name("/FlateDecode")
    ref: generic.IndirectObject = writer.add_object(generic.StreamObject(entries, encoded_data=data))
    return ref


def load_image(source: Path | bytes, name: str = "") -> Image.Image:
    """The image decoded by Pillow, in a mode pyHanko embeds (transparency kept as RGBA or LA)."""
    from PIL import Image

    try:
        img: Image.Image = Image.open(BytesIO(source) if isinstance(source, bytes) else source)
        img.load()
    except (OSError, ValueError) as exc:
        raise ImageError(name or str(source), detail=repr(exc)) from exc
    if img.mode not in ("RGB", "RGBA", "L", "LA"):
        img = img.convert("RGBA")
    return img


def encode(data: bytes, name: str) -> PreparedImage:
    """Decode the image file's bytes and encode them as pyHanko's `pil_image` does."""
    from pyhanko.pdf_utils.images import pil_image
    from pyhanko.pdf_utils.writer import PdfFileWriter

    writer = PdfFileWriter()
    stream = pil_image(load_image(data, name), writer).get_object()
    mask = stream.get_object().get("/SMask")
    return PreparedImage(int(stream["/Width"]), int(stream["/Height"]), stream["/ColorSpace"] == "/DeviceGray",
                         stream.encoded_data, mask.get_object().encoded_data if mask is not None else None)


def _versions() -> str:
    import PIL
    from pyhanko.version import __version__ as pyhanko_version

    return f"{FORMAT} {pyhanko_version} {PIL.__version__}"


@functools.lru_cache(maxsize=16)
def _prepared(data: bytes, name: str) -> PreparedImage:
    key = f"image-{fontcache.key(data, _versions())}.bin"
    stored = PreparedImage.unpack(fontcache.cached(key, lambda: encode(data, name).pack()))
    # An entry that is not an image (another version's layout) is made again, not stored over.
    return stored if stored is not None else encode(data, name)


def prepared_image(path: Path) -> PreparedImage:
    """The image at `path`, encoded once per content (and read back from the cache folder)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ImageError(str(path), detail=repr(exc)) from exc
    return _prepared(data, str(path))
