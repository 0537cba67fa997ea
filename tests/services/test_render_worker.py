"""The render worker process: pages render there; a crash or a hang costs a restart, not the app."""

from __future__ import annotations

import ctypes
import struct
import sys
import time

import pytest

from app.services.render_worker import RenderFailed, RenderWorker
from tests.fuzz import gen

FAULTY = [sys.executable, "-m", "tests.views.faulty_render_child"]


def _pdf(tmp_path, name, pages=3):
    path = tmp_path / name
    path.write_bytes(gen.base_doc(pages=pages).serialize())
    return path


@pytest.fixture
def worker():
    w = RenderWorker(FAULTY, page_timeout=2.0)
    yield w
    w.stop()


def test_renders_pages_in_a_child_process(tmp_path, worker):
    handle, count, size = worker.open(str(_pdf(tmp_path, "tot.pdf")))
    assert count == 3 and size == (595.0, 842.0)
    pixels = worker.render(handle, 0, 0.5)
    assert (pixels.width, pixels.height) == (298, 421)
    assert len(pixels.data) >= pixels.stride * pixels.height
    assert worker.sizes(handle, 0, 3) == [(595.0, 842.0)] * 3
    assert worker.pid is not None and worker.restarts == 0


def test_render_with_lends_the_shared_pixels_once_and_takes_them_back(tmp_path, worker):
    handle, _, _ = worker.open(str(_pdf(tmp_path, "muon.pdf")))
    lent = []

    def use(pixels):
        lent.append(pixels.data)
        return bytes(pixels.data)

    kept = worker.render_with(handle, 0, 0.5, use)
    # A view on the buffer the child wrote, not a copy of the page's bytes...
    assert isinstance(lent[0], memoryview) and len(kept) >= 298 * 3 * 421
    # ...released once `use` returns: the next page's pixels go to the same place.
    with pytest.raises(ValueError):
        lent[0].tobytes()
    assert worker.render(handle, 0, 0.5).data == kept
    assert isinstance(worker.render(handle, 0, 0.5).data, bytes)


def test_a_failing_use_still_gives_the_pixels_back(tmp_path, worker):
    handle, _, _ = worker.open(str(_pdf(tmp_path, "loi.pdf")))
    lent = []

    def use(pixels):
        lent.append(pixels.data)
        raise RuntimeError("the caller's own bug")

    with pytest.raises(RuntimeError):
        worker.render_with(handle, 0, 0.5, use)
    with pytest.raises(ValueError):
        lent[0].tobytes()
    worker.stop()  # the shared buffer closes: nothing holds it


def test_open_failures_carry_their_kind(tmp_path, worker):
    with pytest.raises(RenderFailed) as missing:
        worker.open(str(tmp_path / "khong-co.pdf"))
    assert missing.value.kind == "missing"
    garbage = tmp_path / "rac.pdf"
    garbage.write_bytes(b"not a pdf at all")
    with pytest.raises(RenderFailed) as not_pdf:
        worker.open(str(garbage))
    assert not_pdf.value.kind in ("not_pdf", "corrupt")


@pytest.mark.log_warnings
def test_a_crash_restarts_the_child_and_reopens_the_document(tmp_path, worker):
    handle, _, _ = worker.open(str(_pdf(tmp_path, "crash-me.pdf")))
    first = worker.pid
    with pytest.raises(RenderFailed) as failed:
        worker.render(handle, 1, 0.5)
    assert failed.value.kind == "crashed"
    assert worker.restarts == 1 and worker.pid != first
    # The document was open in the dead child; the new one opens it again on demand.
    assert worker.render(handle, 2, 0.5).width == 298


@pytest.mark.log_warnings
def test_a_hang_is_cut_at_the_bound(tmp_path, worker):
    handle, _, _ = worker.open(str(_pdf(tmp_path, "hang-me.pdf")))
    started = time.monotonic()
    with pytest.raises(RenderFailed) as failed:
        worker.render(handle, 1, 0.5)
    assert failed.value.kind == "timeout"
    assert time.monotonic() - started < 5.0
    assert worker.render(handle, 0, 0.5).width == 298


def test_stop_ends_the_child(tmp_path):
    w = RenderWorker()
    w.start()
    process = w._child.process  # noqa: SLF001
    w.stop()
    assert process.poll() is not None
    with pytest.raises(RenderFailed):
        w.open(str(_pdf(tmp_path, "tot.pdf")))


@pytest.mark.log_warnings
def test_the_child_is_bounded_in_memory_a_page_past_it_fails_alone(tmp_path):
    """A render past the worker's address-space cap (here 400 MiB; page 1 at 2000 % takes 600 MiB)
    fails as that page's error; the child lives on and renders the next request."""
    w = RenderWorker([sys.executable, "-m", "app.services.render_child", "--memory-limit", str(400 << 20)])
    try:
        handle, _, _ = w.open(str(_pdf(tmp_path, "tot.pdf")))
        with pytest.raises(RenderFailed) as failed:
            w.render(handle, 0, 20.0)
        assert failed.value.kind == "page"
        assert w.render(handle, 1, 0.5).width == 298
        assert w.restarts == 0
    finally:
        w.stop()


@pytest.mark.log_warnings
def test_auto_placement_runs_in_the_child_and_a_crash_there_costs_only_the_proposal(tmp_path, worker):
    from app.sandbox.documents import make_admin_pdf
    from app.services.render_worker import placement_proposer
    from app.signing.autoplace import propose_placement
    from app.signing.options import Profile

    propose = placement_proposer(worker)
    good = tmp_path / "ke-hoach.pdf"
    make_admin_pdf(good, title="KẾ HOẠCH", summary="Tết trồng cây", body_paragraphs=["Nội dung."] * 5,
                   number_symbol="KH-STTTT", signer_title="GIÁM ĐỐC", signer_name="Lê Văn Tuấn", pages=2)
    here = propose_placement(good, Profile.LEADER, (150.0, 70.0))
    there = propose(good, Profile.LEADER, (150.0, 70.0))
    assert here is not None and there is not None
    assert there.page == here.page and there.rect == pytest.approx(here.rect)
    assert propose(good, Profile.SEAL, (150.0, 70.0)) is None
    crash = tmp_path / "crash-me.pdf"
    crash.write_bytes(good.read_bytes())
    assert propose(crash, Profile.LEADER, (150.0, 70.0)) is None
    assert worker.restarts == 1
    assert propose(good, Profile.LEADER, (150.0, 70.0)) is not None


def _without_xref(path, data):
    """The file with its cross-reference table cut out: MuPDF rebuilds it, pyHanko refuses it."""
    start = data.rindex(b"\nxref\n") + 1
    path.write_bytes(data[:start] + data[data.index(b"trailer", start):])
    return path


@pytest.mark.log_warnings
def test_a_repaired_copy_is_made_in_the_child_and_a_crash_there_costs_only_the_copy(tmp_path, worker):
    from pyhanko.pdf_utils.reader import PdfFileReader

    from app.fileio import sha256_file
    from app.services.render_worker import repairer
    from app.signing.errors import CorruptPdfError

    repair = repairer(worker)
    whole = gen.base_doc(pages=3).serialize()
    damaged = _without_xref(tmp_path / "mat-xref.pdf", whole)
    original = damaged.read_bytes()
    folder = tmp_path / "sua"
    folder.mkdir()
    copy, digest = repair(damaged, folder)
    # Written under the original's name, readable by the signing engine; the original untouched.
    assert copy == folder / "mat-xref.pdf" and digest == sha256_file(copy) and damaged.read_bytes() == original
    with open(copy, "rb") as fh:
        assert int(PdfFileReader(fh, strict=False).root["/Pages"]["/Count"]) == 3
    # A file that carries signatures is refused there, with the reason.
    signed = _without_xref(tmp_path / "da-ky.pdf", whole.replace(b"/Type /Catalog", b"/Type /Catalog /ByteRange []"))
    with pytest.raises(CorruptPdfError) as refused:
        repair(signed, folder)
    assert "signatures" in refused.value.detail and worker.restarts == 0
    # MuPDF crashing on the file costs the copy; the app and the worker go on.
    crash = tmp_path / "crash-me.pdf"
    crash.write_bytes(original)
    with pytest.raises(CorruptPdfError) as crashed:
        repair(crash, folder)
    assert "crashed" in crashed.value.detail and worker.restarts == 1
    assert not (folder / "crash-me.pdf").exists()
    assert repair(damaged, folder)[0] == copy


@pytest.mark.skipif(struct.calcsize("P") != 8, reason="the x64 layout")
def test_the_windows_memory_cap_uses_the_x64_layout_of_the_job_limits():
    # Checked here because wine accepts the job object but enforces no memory limit (installer/README.md).
    from app.services.render_child import job_limit_information

    info = job_limit_information()
    assert ctypes.sizeof(info) == 144  # sizeof(JOBOBJECT_EXTENDED_LIMIT_INFORMATION) on x64
    assert info.ProcessMemoryLimit.offset == 112
    assert info.BasicLimitInformation.offset == 0


def test_pixels_come_through_shared_memory_and_a_bigger_page_through_the_pipe(tmp_path, monkeypatch):
    """A page that fits the shared buffer arrives without its pixels crossing the pipe; one larger
    than the buffer comes through the pipe; both are the same pixels the page renders to."""
    import app.services.render_worker as render_worker

    path = _pdf(tmp_path, "tot.pdf")
    piped = []
    real_read = render_worker.read_message

    def read_message(stream, *, max_payload):
        message = real_read(stream, max_payload=max_payload)
        if message is not None:
            piped.append(len(message[1]))
        return message

    monkeypatch.setattr(render_worker, "read_message", read_message)
    monkeypatch.setattr(render_worker, "PIXEL_BUFFER", 298 * 421 * 3)  # page 1 at 50 % fits exactly
    w = RenderWorker()
    try:
        handle, _, _ = w.open(str(path))
        shared = w.render(handle, 0, 0.5)
        assert piped[-1] == 0 and len(shared.data) == 298 * 421 * 3
        bigger = w.render(handle, 0, 1.0)
        assert piped[-1] == len(bigger.data) == bigger.stride * bigger.height
        again = w.render(handle, 0, 0.5)
        assert again == shared
    finally:
        w.stop()
    import pymupdf

    with pymupdf.open(path) as doc:
        assert shared.data == doc[0].get_pixmap(matrix=pymupdf.Matrix(0.5, 0.5), alpha=False).samples


HOSTILE_CHILD = """
import sys
from app.services.render_child import read_message, write_message
out = sys.stdout.buffer
while True:
    message = read_message(sys.stdin.buffer, max_payload=0)
    if message is None:
        break
    op = message[0].get("op")
    if op == "open":
        write_message(out, {"count": 1, "size": [595.0, 842.0]})
    elif op == "render":
        write_message(out, {"width": 100000, "height": 100000, "stride": 300000, "shm": 30000000000})
"""


def test_a_child_claiming_more_shared_pixels_than_the_buffer_holds_fails_that_page(tmp_path):
    w = RenderWorker([sys.executable, "-c", HOSTILE_CHILD])
    try:
        handle, _, _ = w.open(str(tmp_path / "any.pdf"))
        with pytest.raises(RenderFailed) as failed:
            w.render(handle, 0, 1.0)
        assert failed.value.kind == "page" and "shm" in failed.value.detail
        assert w.restarts == 0
    finally:
        w.stop()


def _branched_pdf(path, branches=4, per_branch=25):
    """A page tree of `branches` /Pages nodes under the root, each giving its pages a different
    inherited MediaBox (and the second one a /Rotate), as scanners' and mergers' files have."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
               3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               4: gen.stream(b"", b"BT /F1 12 Tf 72 700 Td (Trang) Tj ET")}
    branch_refs, num = [], 10
    for b in range(branches):
        branch, num = num, num + 1
        kids = []
        for _ in range(per_branch):
            objects[num] = (b"<< /Type /Page /Parent %d 0 R /Contents 4 0 R"
                            b" /Resources << /Font << /F1 3 0 R >> >> >>" % branch)
            kids.append(b"%d 0 R" % num)
            num += 1
        rotate = b" /Rotate 90" if b == 1 else b""
        objects[branch] = (b"<< /Type /Pages /Parent 2 0 R /Kids [%s] /Count %d /MediaBox [0 0 %d 842]%s >>"
                           % (b" ".join(kids), per_branch, 400 + 50 * b, rotate))
        branch_refs.append(b"%d 0 R" % branch)
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(branch_refs), branches * per_branch)
    path.write_bytes(gen.Doc(objects, {b"/Root": b"1 0 R"}).serialize())
    return path


def test_page_one_opens_without_mapping_the_page_tree_and_every_page_keeps_its_size(tmp_path):
    """MuPDF maps every page object of the tree at the first page lookup; page 1 is found down the
    first branch instead, and the map is built when another page is needed."""
    import pymupdf

    from app.services.render_child import Handler

    path = _branched_pdf(tmp_path / "branched.pdf")
    with pymupdf.open(path) as doc:
        expected = [[page.rect.width, page.rect.height] for page in doc]
    handler = Handler()
    reply, _ = handler.open({"doc": 1, "path": str(path)})
    tree = pymupdf.mupdf.pdf_document_from_fz_document(handler.docs[1].this).m_internal
    header, pixels = handler.render({"doc": 1, "page": 0, "scale": 0.5})
    assert tree.fwd_page_map is None
    assert reply == {"count": 100, "size": expected[0]}
    assert (header["width"], header["height"]) == (200, 421) and len(pixels) == header["stride"] * 421

    sizes, _ = handler.sizes({"doc": 1, "start": 1, "end": 100})
    assert tree.fwd_page_map is not None
    assert sizes["sizes"] == expected[1:]
    assert expected[25] == [842.0, 450.0]  # the rotated branch, inherited
    header, _ = handler.render({"doc": 1, "page": 99, "scale": 0.5})
    assert (header["width"], header["height"]) == (275, 421)
    handler.close({"doc": 1})
