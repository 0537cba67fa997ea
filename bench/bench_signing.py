"""Signing bench: the app's `sign_document` against bare pyHanko on the same SoftHSM2 token.

Measures, in one run and in a temp dir it sets up itself (demo PKI key on a fresh SoftHSM2 token):
  * one signature on 1-, 50- and 500-page PDFs (the last about 50 MB of image pages), median of 9
    interleaved runs, each side first in turn, `sign_document` vs pyHanko's `PdfSigner.sign_pdf`
    with a PKCS11Signer, once with pyHanko's default stamp (target ratio <= 1.2) and once with the
    same stamp in the app's embedded font (target ratio <= 1.0). Both write their output as a new
    file (see `sign_bare`), the previous one deleted before the clock starts; the plain row's note
    adds pyHanko rewriting its output in place, and both sides with their files in memory;
  * 100 documents signed with one token login through the app's TokenService: target <= 4 s;
  * peak memory (tracemalloc, and peak RSS from VmHWM / ru_maxrss) signing the 50 MB file, each in
    a fresh child process.

Run: python3 bench/bench_signing.py [--quick] [--json OUT.json] [--rows rows.json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from rows import Row, timed, write_rows  # noqa: E402

TARGET_PLAIN = 1.2
TARGET_FONT = 1.0
TARGET_BATCH_S = 4.0

TOKEN_LABEL = "LienThong Bench"
USER_PIN = "123456"
SO_PIN = "12345678"
KEY_LABEL = "leader"
KEY_ID = "01"
RECT = (330.0, 600.0, 520.0, 700.0)  # displayed points, top-left origin
SOFTHSM_CANDIDATES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
)


def _run(args: list[str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise SystemExit(f"{args[0]} failed: {done.stderr or done.stdout}")


def setup_token(work: Path) -> tuple[str, Path]:
    """A fresh SoftHSM2 token holding the demo leader's key and certificate."""
    from app.sandbox.demo_pki import DemoPki

    module = next((p for p in SOFTHSM_CANDIDATES if os.path.exists(p)), None)
    if module is None or not shutil.which("softhsm2-util") or not shutil.which("pkcs11-tool"):
        raise SystemExit("SoftHSM2 (softhsm2-util, pkcs11-tool) is needed for the bench")
    tokens = work / "tokens"
    tokens.mkdir()
    conf = work / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    pki = DemoPki.create(work / "pki")
    user = pki.user("leader")
    _run(["softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL, "--pin", USER_PIN,
          "--so-pin", SO_PIN])
    _run(["softhsm2-util", "--import", str(user.key_path), "--token", TOKEN_LABEL, "--label", KEY_LABEL,
          "--id", KEY_ID, "--pin", USER_PIN])
    der = work / "leader.der"
    der.write_bytes(user.cert.dump())
    _run(["pkcs11-tool", "--module", module, "--token-label", TOKEN_LABEL, "--login", "--pin", USER_PIN,
          "--write-object", str(der), "--type", "cert", "--id", KEY_ID, "--label", KEY_LABEL])
    return module, pki.intermediate_cert_path


def make_pdf(path: Path, pages: int, image_side: int = 180) -> Path:
    """An officer's draft: a Decree 30 administrative document in Vietnamese (the number and date
    gaps on page 1, which a first signature reserves for the clerk), each page also carrying an
    incompressible image (~100 kB), like scanned attachments."""
    import pymupdf

    from app.sandbox.documents import make_admin_pdf

    data = make_admin_pdf(
        None, title="KẾ HOẠCH", summary="Triển khai chuyển đổi số năm 2026",
        body_paragraphs=["Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác "
                         "văn thư; Sở Thông tin và Truyền thông xây dựng kế hoạch triển khai như sau: "
                         "ứng dụng chữ ký số trong xử lý hồ sơ, rút ngắn thời gian giải quyết thủ tục hành chính."],
        number_symbol="KH-STTTT", signer_title="GIÁM ĐỐC", signer_name="Lê Văn Tuấn", pages=pages)
    doc = pymupdf.open(stream=data, filetype="pdf")
    for page in doc:
        pix = pymupdf.Pixmap(pymupdf.csRGB, image_side, image_side,
                             os.urandom(image_side * image_side * 3), False)
        page.insert_image(pymupdf.Rect(60, 430, 60 + 2 * image_side, 430 + 2 * image_side), pixmap=pix,
                          overlay=False)
    doc.save(str(path))
    doc.close()
    return path


def pyhanko_signer(module: str):
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    session = open_pkcs11_session(module, token_criteria=TokenCriteria(label=TOKEN_LABEL), user_pin=USER_PIN)
    return session, PKCS11Signer(session, cert_label=KEY_LABEL, key_label=KEY_LABEL)


def bare_stamp_style():
    """pyHanko's own text stamp in the app's font: a Vietnamese signature needs an embedded font."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    from app.resources import font_path

    return TextStampStyle(
        stamp_text="Ký bởi: %(signer)s\nThời gian ký: %(ts)s",
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(font_path("Regular")))),
    )


def sign_bare(signer, src: Path, dst: Path, font: bool = False, in_place: bool = False) -> None:
    """What a script using pyHanko directly does: a visible PAdES signature, written to a file.
    Plain: pyHanko's default stamp (standard Courier, no embedded font, cannot show Vietnamese).
    Font: the same stamp drawn with the app's embedded font, as Vietnamese text needs.

    The file is written as the app writes its output: a new file, renamed over `dst` once complete,
    so a failed signing leaves the last good output (the app also flushes it to disk first; this
    does not). `in_place` truncates and rewrites `dst` instead: on a machine where freshly
    touched memory is dear (a virtual machine that backs its memory on first use), rewriting in
    place reuses the pages the old content just freed, where a new file needs fresh ones."""
    import pymupdf
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    with pymupdf.open(str(src)) as doc:
        height = doc[0].rect.height
    box = (RECT[0], height - RECT[3], RECT[2], height - RECT[1])
    meta = signers.PdfSignatureMetadata(field_name="Signature1", subfilter=fields.SigSeedSubFilter.PADES)
    target = dst if in_place else dst.with_name(f".{dst.name}.part")
    with open(src, "rb") as fh, open(target, "wb") as out:
        writer = IncrementalPdfFileWriter(fh, strict=False)
        pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=bare_stamp_style() if font else None,
                                       new_field_spec=fields.SigFieldSpec("Signature1", on_page=0, box=box))
        pdf_signer.sign_pdf(writer, output=out)
    if target != dst:
        os.replace(target, dst)


def sign_app(signer, src: Path, dst: Path):
    from app.signing.geometry import Placement
    from app.signing.options import AppearanceOptions, Profile, SigningRequest
    from app.signing.pades import sign_document

    request = SigningRequest(input_path=src, output_path=dst, profile=Profile.LEADER,
                             placements=(Placement(0, RECT),),
                             options=AppearanceOptions(show_image=False, show_org=True))
    return sign_document(request, signer)


def verify_signed(path: Path, intermediate: Path) -> None:
    from app.signing.trust import TrustStore
    from app.signing.verify import verify_pdf

    folder = path.parent / "bench-trust"
    folder.mkdir(exist_ok=True)
    shutil.copy(intermediate, folder / "issuing-ca.pem")
    report = verify_pdf(path, TrustStore.default([folder]))
    if not report.all_valid:
        raise SystemExit(f"the signed file does not verify: {report.describe('en')}")


def bench_sizes(module: str, files: dict[int, Path], work: Path, runs: dict[int, int],
                intermediate: Path) -> list[dict]:
    session, signer = pyhanko_signer(module)
    rows = []
    ram = ram_folder()
    try:
        sign_bare(signer, files[1], work / "warm.pdf")  # load fonts, prime the token session
        sign_app(signer, files[1], work / "warm-app.pdf")
        for pages, src in files.items():
            n = runs[pages]
            in_ram = None
            if ram is not None:
                in_ram = ram / src.name
                shutil.copy(src, in_ram)
            bare_times, font_times, app_times, in_place, ram_bare, ram_app = [], [], [], [], [], []
            # (times, signing, its output: removed before each run, or None to rewrite it in place)
            on_disk = [
                (bare_times, lambda src=src: sign_bare(signer, src, work / "bare.pdf"), work / "bare.pdf"),
                (font_times, lambda src=src: sign_bare(signer, src, work / "font.pdf", font=True),
                 work / "font.pdf"),
                (app_times, lambda src=src: sign_app(signer, src, work / "app.pdf"), work / "app.pdf"),
                (in_place, lambda src=src: sign_bare(signer, src, work / "in-place.pdf", in_place=True), None),
            ]
            in_memory = [] if ram is None or in_ram is None else [
                (ram_bare, lambda src=in_ram: sign_bare(signer, src, ram / "bare.pdf"), ram / "bare.pdf"),
                (ram_app, lambda src=in_ram: sign_app(signer, src, ram / "app.pdf"), ram / "app.pdf"),
            ]
            for i in range(n):
                # Interleaved, and each side first in turn: a disturbance that comes and goes (the
                # disk flushing, the host taking memory back) then falls on every side alike, not
                # always on whichever runs at the same point of each round.
                for times, sign, output in rotated(on_disk, i) + rotated(in_memory, i):
                    if output is not None:
                        # Every run starts from the same state: its previous output deleted, off
                        # the clock. Replaced at the end of a run instead, its 50 MB of file cache
                        # were freed for the next side to reuse, and on a virtual machine that
                        # backs memory on first use, a side given just-freed memory ran at about
                        # twice the speed of one given memory the host had taken back.
                        output.unlink(missing_ok=True)
                    times.append(timed(sign))
            bare_t, font_t = statistics.median(bare_times), statistics.median(font_times)
            app_t = statistics.median(app_times)
            verify_s = timed(lambda: verify_signed(work / "app.pdf", intermediate))
            rows.append({"pages": pages, "size_mb": src.stat().st_size / 1e6, "runs": n,
                         "pyhanko_plain_s": bare_t, "pyhanko_font_s": font_t, "sign_document_s": app_t,
                         "ratio_plain": app_t / bare_t, "ratio_font": app_t / font_t,
                         "verify_pdf_s": verify_s,
                         "pyhanko_plain_in_place_s": statistics.median(in_place),
                         "ram_pyhanko_plain_s": statistics.median(ram_bare) if ram_bare else None,
                         "ram_sign_document_s": statistics.median(ram_app) if ram_app else None,
                         "all_s": {"pyhanko_plain": bare_times, "pyhanko_font": font_times, "app": app_times,
                                   "pyhanko_plain_in_place": in_place, "ram_pyhanko_plain": ram_bare,
                                   "ram_app": ram_app}})
    finally:
        session.close()
        if ram is not None:
            shutil.rmtree(ram, ignore_errors=True)
    return rows


def rotated(items: list, by: int) -> list:
    if not items:
        return []
    by %= len(items)
    return items[by:] + items[:by]


def ram_folder() -> Path | None:
    """A folder in memory (/dev/shm), where flushing a file to disk costs nothing: the app's signed
    file is flushed before it replaces anything (app/fileio.atomic_output), the bare pyHanko script's
    is not, and on a real disk that flush is part of the difference. None where there is none."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or not os.access(shm, os.W_OK):
        return None
    return Path(tempfile.mkdtemp(prefix="lienthong-bench-", dir=shm))


def plain_note(row: dict) -> str:
    """The plain-stamp row's other comparisons: pyHanko rewriting its output in place, and both
    sides with their files in memory (no disk flush)."""
    app_s = row["sign_document_s"]
    parts = [f"pyHanko rewriting its output in place: {row['pyhanko_plain_in_place_s']:.3f} s, "
             f"{app_s / row['pyhanko_plain_in_place_s']:.2f}x"]
    ram_app, ram_bare = row.get("ram_sign_document_s"), row.get("ram_pyhanko_plain_s")
    if ram_app and ram_bare:
        parts.append(f"files in memory (no disk flush): {ram_app:.3f} s vs {ram_bare:.3f} s, "
                     f"{ram_app / ram_bare:.2f}x")
    return "; ".join(parts)


def bench_batch(module: str, src: Path, out_dir: Path, count: int) -> dict:
    """`count` documents after one PIN login through the app's own token layer."""
    from app.signing.geometry import Placement
    from app.signing.options import AppearanceOptions, Profile, SigningRequest
    from app.signing.token import TokenService

    out_dir.mkdir()
    requests = [SigningRequest(input_path=src, output_path=out_dir / f"doc-{i:03d}.pdf",
                               profile=Profile.LEADER, placements=(Placement(0, RECT),),
                               options=AppearanceOptions(show_image=False))
                for i in range(count)]
    cpu = os.times()
    start = time.perf_counter()
    with TokenService([module]) as service:
        with service.open_signer(TOKEN_LABEL, KEY_LABEL, lambda _req: USER_PIN) as opened:
            try:
                from app.signing.batch import sign_many
            except ImportError:
                sign_many = None
            if sign_many is not None:
                results = sign_many(requests, opened.signer)
                failed = sum(1 for r in results if getattr(r, "error", None) is not None)
                how = "batch.sign_many"
            else:
                from app.signing.pades import sign_document

                failed = 0
                for request in requests:
                    sign_document(request, opened.signer)
                how = "sign_document loop"
    total = time.perf_counter() - start
    done = os.times()
    # CPU time of this process and of its children (qpdf), less sensitive to the machine's load.
    cpu_s = sum(getattr(done, f) - getattr(cpu, f) for f in ("user", "system", "children_user", "children_system"))
    return {"documents": count, "seconds": total, "per_document_s": total / count, "failed": failed,
            "via": how, "cpu_s": cpu_s}


def peak_rss_mb() -> float:
    """This process's peak resident set. Linux keeps ru_maxrss across fork+exec (a child would
    report its parent's peak), so VmHWM of the new address space is preferred."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_child(mode: str, module: str, src: Path, dst: Path) -> None:
    """Run in a fresh process: one signature of `src`, then print peak memory as JSON."""
    import tracemalloc

    session, signer = pyhanko_signer(module)
    sign_app(signer, Path(str(src).replace(".pdf", "-warm.pdf")), dst)  # imports, fonts, session
    base_rss = peak_rss_mb()
    tracemalloc.start()
    (sign_app if mode == "app" else sign_bare)(signer, src, dst)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    session.close()
    print(json.dumps({"mode": mode, "tracemalloc_peak_mb": peak / 1e6, "peak_rss_mb": peak_rss_mb(),
                      "rss_before_mb": base_rss}))


def bench_memory(module: str, src: Path, work: Path) -> list[dict]:
    make_pdf(Path(str(src).replace(".pdf", "-warm.pdf")), 1)
    rows = []
    for mode in ("pyhanko", "app"):
        done = subprocess.run(
            [sys.executable, __file__, "--memory-child", mode, "--module", module, "--src", str(src),
             "--dst", str(work / f"mem-{mode}.pdf")],
            capture_output=True, text=True, env=dict(os.environ), timeout=600,
        )
        if done.returncode != 0:
            raise SystemExit(f"memory child failed: {done.stderr}")
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return rows


def print_table(sizes, batch, memory) -> None:
    if sizes:
        print_sizes(sizes)
    ok = "ok" if batch["seconds"] <= TARGET_BATCH_S and not batch["failed"] else "OVER"
    print(f"\n{batch['documents']} documents, one login ({batch['via']}): {batch['seconds']:.2f} s "
          f"({batch['per_document_s'] * 1000:.0f} ms each, {batch['failed']} failed, cpu {batch['cpu_s']:.2f} s)  "
          f"target <= {TARGET_BATCH_S:g} s: {ok}")
    if memory:
        print_memory(memory)


def print_sizes(sizes) -> None:
    print("\nOne signature (median), same SoftHSM2 token. pyHanko plain: default stamp, no embedded font;"
          f"\npyHanko font: the same stamp in the app's embedded Vietnamese font. Target ratio <= {TARGET_PLAIN:g}"
          f" (plain), <= {TARGET_FONT:g} (font)")
    print(f"{'pages':>6} {'MB':>6} {'runs':>4} {'plain s':>8} {'font s':>8} {'app s':>7} "
          f"{'app/plain':>9} {'app/font':>9} {'verify s':>9}")
    for r in sizes:
        print(f"{r['pages']:>6} {r['size_mb']:>6.1f} {r['runs']:>4} {r['pyhanko_plain_s']:>8.3f} "
              f"{r['pyhanko_font_s']:>8.3f} {r['sign_document_s']:>7.3f} {r['ratio_plain']:>9.2f} "
              f"{r['ratio_font']:>9.2f} {r['verify_pdf_s']:>9.3f}")


def print_memory(memory) -> None:
    print("\nPeak memory signing the largest file (fresh process each)")
    print(f"{'signer':>9} {'tracemalloc MB':>15} {'peak RSS MB':>12} {'RSS before MB':>14}")
    for m in memory:
        print(f"{m['mode']:>9} {m['tracemalloc_peak_mb']:>15.1f} {m['peak_rss_mb']:>12.1f} {m['rss_before_mb']:>14.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller files and fewer runs (smoke test)")
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    parser.add_argument("--rows", type=Path, help="write the table rows (bench/run_all.py) to this file")
    parser.add_argument("--skip-memory", action="store_true", help="leave out the peak-memory children")
    parser.add_argument("--batch-only", action="store_true",
                        help="only the batch row (after one warm-up signature, as the full run's sizes give)")
    parser.add_argument("--memory-child", choices=("app", "pyhanko"), help=argparse.SUPPRESS)
    parser.add_argument("--module", help=argparse.SUPPRESS)
    parser.add_argument("--src", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--dst", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, args.module, args.src, args.dst)
        return 0
    import logging

    logging.getLogger("pyhanko").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="lienthong-bench-") as tmp:
        work = Path(tmp)
        module, intermediate = setup_token(work)
        sizes = (1, 5, 50) if args.quick else (1, 50, 500)
        runs = {sizes[0]: 9, sizes[1]: 9, sizes[2]: 9}
        if args.batch_only:
            sizes = sizes[:1]
        started = time.perf_counter()
        files = {n: make_pdf(work / f"doc-{n}p.pdf", n) for n in sizes}
        print(
            f"generated {', '.join(f'{n} pages = {p.stat().st_size / 1e6:.1f} MB' for n, p in files.items())}"
            f" in {time.perf_counter() - started:.1f} s"
        )
        if args.batch_only:
            session, signer = pyhanko_signer(module)
            try:
                sign_app(signer, files[sizes[0]], work / "warm-app.pdf")  # imports, fonts
            finally:
                session.close()
            size_rows: list[dict] = []
        else:
            size_rows = bench_sizes(module, files, work, runs, intermediate)
        batch = bench_batch(module, files[sizes[0]], work / "batch", 20 if args.quick else 100)
        memory = [] if args.skip_memory or args.batch_only else bench_memory(module, files[sizes[-1]], work)
        print_table(size_rows, batch, memory)
        table = []
        for r in size_rows:
            table.append(
                Row(
                    f"one signature, {r['pages']} pages, vs pyHanko plain stamp",
                    r["sign_document_s"],
                    "s",
                    TARGET_PLAIN,
                    r["pyhanko_plain_s"],
                    "pyHanko plain",
                    note=plain_note(r),
                )
            )
        for r in size_rows:
            table.append(
                Row(
                    f"one signature, {r['pages']} pages, vs pyHanko same font",
                    r["sign_document_s"],
                    "s",
                    TARGET_FONT,
                    r["pyhanko_font_s"],
                    "pyHanko + font",
                )
            )
        table.append(
            Row(
                f"{batch['documents']} documents, one token login",
                batch["seconds"] if not batch["failed"] else float("inf"),
                "s",
                TARGET_BATCH_S * batch["documents"] / 100,
                target_on="value",
                note=f"{batch['failed']} failed, via {batch['via']}, cpu {batch['cpu_s']:.2f} s",
            )
        )
        write_rows(args.rows, table)
        if args.json:
            args.json.write_text(json.dumps({"sizes": size_rows, "batch": batch, "memory": memory}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
