"""Time to turn a Word draft into the PDF to sign, with the app's converter (LibreOffice headless).

Run: python3 bench/bench_convert.py [--runs 3] [--pages-body 1 10]  (body repeats: 3 and 30 paragraphs of text)
For each document size: the first conversion with a new private profile (LibreOffice creates it),
then `--runs` conversions with the profile warm (each a new soffice process, as in the app), then a
cache hit (same source bytes). Wall time and the CPU time of the converter's processes; the text
check against the source is included, as in the app.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    from app.signing.convert import LibreOfficeConverter, PdfConversions
    from tests.signing.worddocs import decree30_docx

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages-body", type=int, nargs="+", default=[1, 10])
    args = parser.parse_args()
    program = LibreOfficeConverter.find_program()
    if program is None:
        print("LibreOffice is not installed")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for body in args.pages_body:
            profile = root / f"profile-{body}"
            converter = LibreOfficeConverter(program, profile)
            rows = []
            for run in range(args.runs + 1):
                docx = decree30_docx(root / f"draft-{body}-{run}.docx", paragraphs=body * 3,
                                     symbol=f"KH-R{run}")
                conversions = PdfConversions(root / f"cache-{body}", [converter])
                cpu, start = children_cpu(), time.perf_counter()
                conversion = conversions.pdf_for(docx)
                rows.append((time.perf_counter() - start, children_cpu() - cpu, conversion.pages))
            start = time.perf_counter()
            hit = PdfConversions(root / f"cache-{body}", [converter]).pdf_for(docx)
            cached = time.perf_counter() - start
            assert hit.from_cache
            first, warm = rows[0], rows[1:]
            print(
                f"{warm[0][2]:>3} page(s): first (new profile) {first[0]:.2f} s wall / {first[1]:.2f} s CPU; "
                f"warm median {statistics.median(r[0] for r in warm):.2f} s wall / "
                f"{statistics.median(r[1] for r in warm):.2f} s CPU (n={len(warm)}); cache hit {cached * 1000:.1f} ms"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
