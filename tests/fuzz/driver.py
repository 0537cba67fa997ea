"""Run damaged PDFs through `lienthong sign`, `lienthong verify --json` and the preview's render path.

A child process (`python -m tests.fuzz.driver --worker`) runs the cases in-process, one after
another, under a watchdog: a case running past the bound kills the child (faulthandler), a crash
kills it too; the parent records that case as a hang or a crash and starts a new child at the next
case. Every case ends as one JSON line of findings; an empty `problems` list is a pass.

    .venv/bin/python -m tests.fuzz.driver -n 1200 --seed 15      # the long run, with its counts
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PASS_ENV = "LT_FUZZ_P12_PASS"
SIGN_CODES = {0, 2}  # signed, or refused as bad input (damaged, password, no place)
VERIFY_CODES = {0, 2, 4}
# Placements a sound file of any page orientation accepts, except "--auto" (no Vietnamese title
# to find) and page 2 (one-page files); the last signs a repaired copy of a damaged file.
VARIANTS = (["--rect", "300,400,480,480"], ["--auto"], [], ["--page", "2", "--rect", "50,50,200,120"],
            ["--rect", "300,400,480,480", "--repair"])
MUST_SIGN = ("-control", "-empty_user_password")  # sound files: refusing them is a failure too


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cli(argv: list[str]) -> tuple[int | None, str, str, str]:
    """(exit code, stdout, stderr, traceback) of `lienthong ARGV` run in this process."""
    from app.cli import main

    out, err = io.StringIO(), io.StringIO()
    tb = ""
    code: int | None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:  # noqa: BLE001 - a traceback is exactly the finding
            code, tb = None, traceback.format_exc()
    if "Traceback (most recent call last)" in err.getvalue():
        tb = tb or err.getvalue()
    return code, out.getvalue(), err.getvalue(), tb


def _pdfsig_ok(path: Path) -> str:
    exe = shutil.which("pdfsig")
    if exe is None:
        return ""
    done = subprocess.run([exe, str(path)], capture_output=True, text=True, timeout=60)
    if "Signature is Valid" not in done.stdout:
        return f"pdfsig: {done.returncode} {done.stdout[-300:]} {done.stderr[-300:]}"
    return ""


def _pyhanko_ok(path: Path) -> str:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    try:
        with open(path, "rb") as fh:
            reader = PdfFileReader(fh, strict=False)
            if reader.encrypted:
                reader.decrypt("")
            sigs = reader.embedded_signatures
            if not sigs:
                return "pyhanko: no signature"
            status = validate_pdf_signature(sigs[-1])
            if not (status.intact and status.valid):
                return f"pyhanko: intact={status.intact} valid={status.valid}"
    except Exception as exc:  # noqa: BLE001
        return f"pyhanko: {exc!r}"
    return ""


def sign_case(src: Path, work: Path, p12: Path, variant: int) -> list[str]:
    problems = []
    out_dir = work / "out"
    out_dir.mkdir()
    out = out_dir / "da-ky.pdf"
    before = _sha(src)
    place = VARIANTS[variant % len(VARIANTS)]
    code, _, err, tb = _cli(["sign", str(src), "-o", str(out), *place, "--p12", str(p12),
                             "--p12-pass-env", PASS_ENV])
    if tb:
        problems.append("sign traceback: " + tb.strip().splitlines()[-1])
    elif code not in SIGN_CODES:
        problems.append(f"sign exit {code}: {err.strip()[-300:]}")
    elif code != 0 and src.stem.endswith(MUST_SIGN) and variant % len(VARIANTS) in (0, 2, 4):
        problems.append(f"sign refused a sound file (exit {code}): {err.strip()[-300:]}")
    if _sha(src) != before:
        problems.append("input modified")
    left = sorted(p.name for p in out_dir.iterdir() if p.name != out.name)
    if left:
        problems.append(f"leftovers: {left}")
    if out.exists():
        if code != 0:
            problems.append(f"output written with exit {code}")
        for finding in (_pyhanko_ok(out), _pdfsig_ok(out)):
            if finding:
                problems.append("invalid output: " + finding)
    return problems


def verify_case(src: Path) -> list[str]:
    before = _sha(src)
    code, out, err, tb = _cli(["verify", "--json", str(src)])
    problems = []
    if tb:
        problems.append("verify traceback: " + tb.strip().splitlines()[-1])
    elif code not in VERIFY_CODES:
        problems.append(f"verify exit {code}: {err.strip()[-300:]}")
    else:
        try:
            json.loads(out)
        except ValueError:
            problems.append(f"verify --json printed no JSON (exit {code}): {out[:100]!r}")
    if _sha(src) != before:
        problems.append("input modified (verify)")
    return problems


def preview_case(src: Path, worker) -> list[str]:
    """The render thread's own open, page-size and render steps, run synchronously here; the
    rendering itself in `worker`'s child process, as in the app."""
    from app.views.pdf.render_thread import TAG_PAGE, RenderThread

    thread = RenderThread(worker)
    seen: dict[str, list] = {"opened": [], "failed": [], "rendered": [], "page_failed": []}
    thread.opened.connect(lambda *a: seen["opened"].append(a))
    thread.failed.connect(lambda *a: seen["failed"].append(a))
    thread.rendered.connect(lambda *a: seen["rendered"].append(a))
    if hasattr(thread, "page_failed"):
        thread.page_failed.connect(lambda *a: seen["page_failed"].append(a))
    problems = []
    doc_id = thread.open_document(str(src), None, first_zoom=lambda size: 0.5)
    try:
        while True:
            job = thread._next_job_nowait()  # noqa: SLF001 - the thread's own queue, without the thread
            if job is None:
                break
            job()
        if not seen["opened"] and not seen["failed"]:
            problems.append("preview: neither opened nor failed")
        if seen["opened"]:
            count = seen["opened"][0][1]
            thread.set_wanted(doc_id, TAG_PAGE, [(p, 0.3) for p in range(min(count, 4))] * 2)
            while (job := thread._next_job_nowait()) is not None:  # noqa: SLF001
                job()
            shown = {a[2] for a in seen["rendered"]} | {a[1] for a in seen["page_failed"]}
            missing = set(range(min(count, 4))) - shown
            if missing:
                problems.append(f"preview: pages {sorted(missing)} neither shown nor reported")
            reported = Counter(a[1] for a in seen["page_failed"])
            if any(n > 1 for n in reported.values()):
                problems.append(f"preview: a failing page reported more than once {dict(reported)}")
    except Exception:  # noqa: BLE001
        problems.append("preview traceback: " + traceback.format_exc().strip().splitlines()[-1])
    finally:
        thread.close_document(doc_id)
        while (job := thread._next_job_nowait()) is not None:  # noqa: SLF001
            job()
    return problems


def worker(folder: Path, names: list[str], p12: Path, bound: float, results: Path) -> None:
    import faulthandler
    import logging

    from app.views.qt import QCoreApplication

    logging.disable(logging.CRITICAL)
    _app = QCoreApplication.instance() or QCoreApplication([])  # noqa: F841 - signals need one
    from app.services.render_worker import RenderWorker

    renderer = RenderWorker()
    renderer.start()
    with open(results, "a", encoding="utf-8") as log:
        for i, name in enumerate(names):
            log.write(json.dumps({"start": name}) + "\n")
            log.flush()
            faulthandler.dump_traceback_later(bound, exit=True)
            src = folder / name
            started = time.monotonic()
            with tempfile.TemporaryDirectory(prefix="fuzz-") as work:
                problems = sign_case(src, Path(work), p12, i) + verify_case(src) + preview_case(src, renderer)
            faulthandler.cancel_dump_traceback_later()
            log.write(json.dumps({"case": name, "problems": problems,
                                  "seconds": round(time.monotonic() - started, 2)}) + "\n")
            log.flush()
    renderer.stop()


def run(folder: Path, names: list[str], p12: Path, passphrase: str, *, bound: float = 60.0,
        jobs: int = 1) -> dict[str, list[str]]:
    """Run every case in `jobs` parallel child workers; returns case name -> problems (hangs and
    crashes included)."""
    from concurrent.futures import ThreadPoolExecutor

    shares = [names[i::jobs] for i in range(jobs)]
    found: dict[str, list[str]] = {}
    with ThreadPoolExecutor(jobs) as pool:
        for part in pool.map(lambda share: _run_share(folder, share, p12, passphrase, bound), shares):
            found.update(part)
    return found


def _run_share(folder: Path, names: list[str], p12: Path, passphrase: str, bound: float) -> dict[str, list[str]]:
    results_path = Path(tempfile.mkstemp(prefix="fuzz-results-", suffix=".jsonl")[1])
    env = dict(os.environ, **{PASS_ENV: passphrase, "QT_QPA_PLATFORM": "offscreen", "LIENTHONG_LANG": "vi"})
    home = tempfile.TemporaryDirectory(prefix="fuzz-home-")
    env["LIENTHONG_HOME"] = home.name
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    found: dict[str, list[str]] = {}
    todo = list(names)
    try:
        while todo:
            list_file = results_path.with_suffix(".todo")
            list_file.write_text("\n".join(todo), encoding="utf-8")
            started = time.monotonic()
            done = subprocess.run(
                [sys.executable, "-m", "tests.fuzz.driver", "--worker", str(folder), str(list_file),
                 str(p12), str(bound), str(results_path)],
                cwd=REPO, env=env, capture_output=True, text=True,
                timeout=bound * (len(todo) + 2),
            )
            current = None
            for line in results_path.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                if "start" in record:
                    current = record["start"]
                else:
                    found[record["case"]] = record["problems"]
                    current = None
            if current is None and done.returncode != 0:
                raise RuntimeError(f"fuzz worker failed outside a case: {done.stderr[-2000:]}")
            if current is not None:
                elapsed = time.monotonic() - started
                kind = "hang" if "Timeout" in done.stderr else "crash"
                found[current] = [f"{kind}: worker exit {done.returncode} after {elapsed:.0f}s: "
                                  + done.stderr.strip()[-600:]]
            todo = [n for n in names if n not in found]
    finally:
        results_path.unlink(missing_ok=True)
        results_path.with_suffix(".todo").unlink(missing_ok=True)
        home.cleanup()
    return found


def write_cases(folder: Path, n: int, seed: int) -> list[str]:
    from tests.fuzz.gen import cases

    names = []
    for case in cases(n, seed):
        (folder / f"{case.name}.pdf").write_bytes(case.data)
        names.append(f"{case.name}.pdf")
    return names


def summarize(found: dict[str, list[str]]) -> dict[str, int]:
    counts = Counter()
    for problems in found.values():
        for p in problems:
            key = ("hang" if p.startswith("hang") else "crash" if p.startswith("crash")
                   else "traceback" if "traceback" in p else "invalid output" if p.startswith("invalid output")
                   else "modified input" if p.startswith("input modified") else "leftover" if p.startswith("leftovers")
                   else "wrong exit or no JSON")
            counts[key] += 1
    counts["cases"] = len(found)
    counts["cases with problems"] = sum(1 for p in found.values() if p)
    return dict(counts)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        folder, list_file, p12, bound, results = sys.argv[2:7]
        names = Path(list_file).read_text(encoding="utf-8").split("\n")
        worker(Path(folder), names, Path(p12), float(bound), Path(results))
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=400, help="number of cases")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--bound", type=float, default=60.0, help="seconds a case may take before it is a hang")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="parallel workers")
    parser.add_argument("--keep", type=Path, help="write the cases into this folder and keep them")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every problem")
    ns = parser.parse_args()
    from app.sandbox.demo_pki import P12_PASSPHRASE, DemoPki

    with tempfile.TemporaryDirectory(prefix="fuzz-run-") as tmp:
        pki = DemoPki.create(Path(tmp) / "pki")
        folder = ns.keep or Path(tmp) / "cases"
        folder.mkdir(parents=True, exist_ok=True)
        names = write_cases(folder, ns.n, ns.seed)
        started = time.monotonic()
        found = run(folder, names, pki.user("leader").p12_path, P12_PASSPHRASE, bound=ns.bound, jobs=ns.jobs)
        for name, problems in sorted(found.items()):
            for p in problems if ns.verbose else problems[:1]:
                if p:
                    print(f"{name}: {p}")
        print(json.dumps(summarize(found)), f"in {time.monotonic() - started:.0f}s")
    return 0 if not any(found.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
