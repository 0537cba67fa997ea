"""Signature images embedded from the cache folder: the same image XObjects pyHanko writes, read back
without Pillow; an unreadable image is still refused."""

from __future__ import annotations

import pytest
from PIL import Image
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.writer import PdfFileWriter

from app.resources import resource
from app.signing import fontcache, imagecache
from app.signing.errors import ImageError
from app.signing.imagecache import load_image, prepared_image


def _image(tmp_path, mode: str, name: str = "img.png"):
    img = Image.new("RGBA", (37, 23), (200, 30, 30, 128)).convert(mode)
    path = tmp_path / name
    img.save(path)
    return path


def _objects(ref) -> list[tuple[dict, bytes]]:
    """The XObject and its mask as (entries, encoded data), references replaced by what they hold."""
    out = []
    stream = ref.get_object()
    entries = {}
    for key in stream:
        value = stream.raw_get(key)
        if key == "/SMask":
            out.extend(_objects(value))
            value = "mask"
        entries[key] = value
    out.append((entries, stream.encoded_data))
    return out


@pytest.fixture
def cache_folder(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    folder.mkdir()
    monkeypatch.setattr(fontcache, "_folder", [folder])
    imagecache._prepared.cache_clear()
    yield folder
    imagecache._prepared.cache_clear()


@pytest.mark.parametrize("mode", ["RGBA", "RGB", "L", "LA", "P", "1", "CMYK"])
def test_the_embedded_image_is_the_one_pyhanko_writes(tmp_path, cache_folder, mode):
    path = _image(tmp_path, mode, "img.tiff" if mode == "CMYK" else "img.png")
    theirs = _objects(PdfImage(load_image(path), writer=PdfFileWriter()).image_ref)
    assert _objects(prepared_image(path).embed(PdfFileWriter())) == theirs
    imagecache._prepared.cache_clear()  # now from the cache folder
    assert _objects(prepared_image(path).embed(PdfFileWriter())) == theirs
    assert prepared_image(path).size == (37, 23)


def test_the_sample_signature_is_read_back_from_the_cache_folder(cache_folder, monkeypatch):
    sample = resource("images", "signature-sample.png")
    first = prepared_image(sample)
    assert len(list(cache_folder.glob("image-*.bin"))) == 1
    imagecache._prepared.cache_clear()
    monkeypatch.setattr(imagecache, "encode", lambda *args: pytest.fail("encoded again"))
    assert prepared_image(sample) == first


def test_a_damaged_entry_is_made_again(tmp_path, cache_folder):
    path = _image(tmp_path, "RGBA")
    first = prepared_image(path)
    entry = next(cache_folder.glob("image-*.bin"))
    data = bytearray(entry.read_bytes())
    data[40] ^= 0xFF
    entry.write_bytes(bytes(data))
    imagecache._prepared.cache_clear()
    assert prepared_image(path) == first


def test_an_image_that_cannot_be_read_is_refused(tmp_path, cache_folder):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    with pytest.raises(ImageError):
        prepared_image(bad)
    with pytest.raises(ImageError):
        prepared_image(tmp_path / "missing.png")
    assert not list(cache_folder.glob("image-*.bin"))
