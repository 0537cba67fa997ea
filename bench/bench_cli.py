"""`lienthong sign` and `lienthong verify` as whole processes against poppler's `pdfsig`.

Same SoftHSM2 token, same 50-page PDF (text and image pages, as bench_signing makes them), same
run, alternating: `lienthong sign --module … --token … --pin-env … --rect …` against
`pdfsig -add-signature` through an NSS database holding the same PKCS#11 module; then
`lienthong verify` of a file carrying three signatures against `pdfsig` checking it.
Wall time from spawn to exit (median) and the children's CPU time (less sensitive to load).
Targets: sign <= 0.6 s, verify <= 0.5 s.

    python3 bench/bench_cli.py [--runs 5] [--only sign|verify] [--json rows.json]

`--only verify` still signs the three signatures it checks, once each, untimed.

poppler 22's pdfsig may crash while shutting NSS down after writing a valid signature; its
output is checked with `pdfsig` itself, and only a missing or invalid output counts as failure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_signing import KEY_LABEL, TOKEN_LABEL, USER_PIN, make_pdf, setup_token  # noqa: E402
from rows import Row, write_rows  # noqa: E402

TARGET_SIGN_S = 0.6
TARGET_VERIFY_S = 0.5
RECTS = ("330,600,520,700", "60,600,250,700", "330,450,520,550")
PYCACHE = Path(tempfile.gettempdir()) / "lienthong-bench-pycache"


def run_timed(args: list[str], env: dict, ok_codes=(0,)) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall seconds, CPU seconds of the child, result)."""
    before = os.times()
    started = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    wall = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if done.returncode not in ok_codes:
        raise SystemExit(f"{args[0]} {args[1:3]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return wall, cpu, done


def lienthong(*args: str) -> list[str]:
    # As the installed console script runs it: main() reads this process's own command line.
    return [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())", *args]


def sign_cmd(module: str, src: Path, dst: Path, rect: str, home: Path) -> list[str]:
    return lienthong("--home", str(home), "sign", str(src), "-o", str(dst), "--module", module,
                     "--token", TOKEN_LABEL, "--cert", KEY_LABEL, "--pin-env", "BENCH_PIN", "--rect", rect)


def nss_db(work: Path, module: str) -> Path:
    nss = work / "nss"
    nss.mkdir()
    for args in (["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"],
                 ["modutil", "-dbdir", f"sql:{nss}", "-add", "softhsm", "-libfile", module, "-force"]):
        subprocess.run(args, check=True, capture_output=True, timeout=60)
    return nss


def pdfsig_sign(nss: Path, src: Path, dst: Path) -> list[str]:
    return ["pdfsig", "-nssdir", f"sql:{nss}", "-nss-pwd", USER_PIN, "-nick", f"{TOKEN_LABEL}:{KEY_LABEL}",
            "-add-signature", str(src), str(dst)]


def check_pdfsig_output(path: Path, env: dict) -> None:
    done = subprocess.run(["pdfsig", str(path)], env=env, capture_output=True, text=True, timeout=60)
    if not path.exists() or "Signature is Valid" not in done.stdout:
        raise SystemExit(f"pdfsig did not sign {path.name}: {done.stdout[-500:]} {done.stderr[-500:]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--json", type=Path, help="write the table rows to this file")
    parser.add_argument("--only", choices=("sign", "verify"), help="time one of the two commands")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lienthong-bench-cli-") as tmp:
        work = Path(tmp)
        module, intermediate = setup_token(work)
        env = dict(os.environ, BENCH_PIN=USER_PIN, SOFTHSM2_CONF=os.environ["SOFTHSM2_CONF"])
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        # Like an installed app, run from compiled bytecode (kept in a temp folder, not the checkout).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
        home = work / "home"
        trust = work / "trust"
        trust.mkdir()
        (trust / "issuing-ca.pem").write_bytes(intermediate.read_bytes())
        src = make_pdf(work / f"doc-{args.pages}p.pdf", args.pages)
        nss = nss_db(work, module)
        # Warm the page cache, the bytecode cache, the font cache and the token files for both tools.
        run_timed(sign_cmd(module, src, work / "warm.pdf", RECTS[0], home), env)
        run_timed(pdfsig_sign(nss, src, work / "warm-pdfsig.pdf"), env, ok_codes=(0, -11, 139))
        check_pdfsig_output(work / "warm-pdfsig.pdf", env)
        ours, ours_cpu, theirs, theirs_cpu = [], [], [], []
        for i in range(0 if args.only == "verify" else args.runs):
            wall, cpu, _ = run_timed(sign_cmd(module, src, work / f"ours-{i}.pdf", RECTS[0], home), env)
            ours.append(wall)
            ours_cpu.append(cpu)
            out = work / f"pdfsig-{i}.pdf"
            wall, cpu, _ = run_timed(pdfsig_sign(nss, src, out), env, ok_codes=(0, -11, 139))
            check_pdfsig_output(out, env)
            theirs.append(wall)
            theirs_cpu.append(cpu)
        # Three signatures, as a leader's document carries after initials and the seal.
        signed = src
        for n, rect in enumerate(RECTS):
            nxt = work / f"three-{n}.pdf"
            run_timed(sign_cmd(module, signed, nxt, rect, home), env)
            signed = nxt
        verify = lienthong("--home", str(home), "verify", str(signed), "--trust-dir", str(trust))
        run_timed(verify, env)
        v_ours, v_ours_cpu, v_theirs, v_theirs_cpu = [], [], [], []
        for _ in range(0 if args.only == "sign" else args.runs):
            wall, cpu, _ = run_timed(verify, env)
            v_ours.append(wall)
            v_ours_cpu.append(cpu)
            wall, cpu, done = run_timed(["pdfsig", str(signed)], env, ok_codes=(0, 1, 2, 3, 4))
            v_theirs.append(wall)
            v_theirs_cpu.append(cpu)
        med = statistics.median
        rows = []
        print(f"pages: {args.pages}, runs: {args.runs}")
        if ours:
            print(f"lienthong sign:  wall {med(ours):.3f} s  cpu {med(ours_cpu):.3f} s  {[round(x, 3) for x in ours]}")
            print(f"pdfsig -add-signature: wall {med(theirs):.3f} s  cpu {med(theirs_cpu):.3f} s")
            rows.append(Row(f"lienthong sign, whole process ({args.pages} pages, SoftHSM)", med(ours), "s",
                            TARGET_SIGN_S, med(theirs), "pdfsig -add-signature", target_on="value",
                            note=f"cpu {med(ours_cpu):.3f} s"))
        if v_ours:
            print(f"lienthong verify (3 signatures): wall {med(v_ours):.3f} s  cpu {med(v_ours_cpu):.3f} s")
            print(f"pdfsig (3 signatures): wall {med(v_theirs):.3f} s  cpu {med(v_theirs_cpu):.3f} s")
            rows.append(Row("lienthong verify, whole process (3 signatures)", med(v_ours), "s", TARGET_VERIFY_S,
                            med(v_theirs), "pdfsig", target_on="value", note=f"cpu {med(v_ours_cpu):.3f} s"))
        write_rows(args.json, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
