#!/usr/bin/env python3
"""Times mailtls-lint against the real parsers (postconf -n, doveconf -n) on the same generated
files, and checks the performance targets of docs/performance.md. Prints medians and ratios.

    bench/compare.py [--lint PATH] [--runs N] [--growth-runs N] [--workdir DIR] [--max-mb N]

Without --lint it uses the first of .venv/bin/mailtls-lint (./scripts/build), then
build/release, build/*/bindings/cli/mailtls-lint, then mailtls-lint on PATH.

Peers are installed from Debian when missing (without starting any daemon). Files are
back-dated before postconf reads them: Postfix re-reads files modified in the last second.
Commands compared with each other (the lint and its peer, the sizes of the growth series)
take turns run by run, so that a slow minute of a shared host does not fall on one of them;
each size of the growth series is timed after a run of its own size (measure_growth()).
Peak memory comes from GNU time (peak_rss()).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_GEN = ROOT.parent / "shared" / "tools" / "gen-large-configs"
GNU_TIME = "/usr/bin/time"


def run_once(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and exit status of one run; output goes to /dev/null."""
    start = time.perf_counter()
    status = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL).returncode
    return time.perf_counter() - start, status


def measure_together(cmds: list[list[str]], runs: list[int]) -> list[float]:
    """Median wall seconds of each command, run runs[i] times, the commands taking turns
    (A B C A B C ...): a minute in which the shared host is slow then slows them all alike
    instead of one of them, and the ratios between them stay sound."""
    walls: list[list[float]] = [[] for _ in cmds]
    for cmd in cmds:
        run_once(cmd)  # warm the page cache
    for turn in range(max(runs)):
        for i, cmd in enumerate(cmds):
            if turn >= runs[i]:
                continue
            wall, status = run_once(cmd)
            if status not in (0, 1):
                sys.exit(f"failed ({status}): {' '.join(cmd)}")
            walls[i].append(wall)
    return [statistics.median(w) for w in walls]


def measure_growth(cmds: list[list[str]], runs: int) -> tuple[list[float], list[float]]:
    """Median wall seconds of each command of a growth series (the sizes in order), by turns,
    two runs a turn: the first after the size before it, the second after the first. A
    virtual machine's host may take back memory its guest has not used for a while (as the
    Firecracker machines this project is built and tested on do), and the first process to
    touch more memory than the one before it waits while the host maps it back: at 33.6 MB
    the Dovecot lint after the 16.8 MB one spent 192 ms in the kernel, after a 33.6 MB one
    65 ms (28 ms at 16.8 MB). The second runs (returned first) measure the lint; the first
    runs (returned second) show what the host adds."""
    times = measure_together([cmd for cmd in cmds for _ in range(2)], [runs] * (2 * len(cmds)))
    return times[1::2], times[0::2]


def measure(cmd: list[str], runs: int) -> float:
    return measure_together([cmd], [runs])[0]


def peak_rss(cmd: list[str], runs: int) -> int:
    """The highest peak RSS (KiB) of `runs` runs of cmd, as GNU time reports it. Not from this
    script's own wait4(): Linux starts a child's ru_maxrss at the peak RSS of the process that
    started it (exec carries the old address space's peak over), and this script's peak is
    about 15 MB, above a lint of the 1.4 MB dovecot.conf; GNU time's is about 2 MB."""
    peak = 0
    with tempfile.NamedTemporaryFile(mode="r") as out:
        for _ in range(runs):
            subprocess.run([GNU_TIME, "-f", "%M", "-o", out.name, *cmd], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
            out.seek(0)
            # "Command exited with non-zero status 1" comes first when the lint finds something
            peak = max(peak, int(out.read().split()[-1]))
    return peak


def ensure_peers() -> None:
    """Installs the peers, and GNU time (peak_rss()), from Debian when one is missing."""
    if shutil.which("postconf") and shutil.which("doveconf") and Path(GNU_TIME).exists():
        return
    print("installing postfix, dovecot-core and time from Debian (no daemon is started)",
          flush=True)
    policy = Path("/usr/sbin/policy-rc.d")
    created = not policy.exists()
    if created:
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
    try:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["sh", "-c", "echo 'postfix postfix/main_mailer_type select No configuration'"
                        " | debconf-set-selections"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "postfix", "dovecot-core", "time"],
                       check=True, env=env, stdout=subprocess.DEVNULL)
    finally:
        if created:
            policy.unlink()


def backdate(*paths: Path) -> None:
    old = time.mktime((2001, 1, 1, 0, 0, 0, 0, 0, -1))
    for p in paths:
        os.utime(p, (old, old))


def find_lint() -> str | None:
    """The mailtls-lint to time when --lint is not given (see the module's doc)."""
    candidates = [ROOT / ".venv" / "bin" / "mailtls-lint",
                  ROOT / "build" / "release" / "bindings" / "cli" / "mailtls-lint",
                  *sorted(ROOT.glob("build/*/bindings/cli/mailtls-lint"))]
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return str(c)
    return shutil.which("mailtls-lint")


def fmt_s(s: float) -> str:
    return f"{s * 1000:9.1f} ms"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lint", default=None, help="the mailtls-lint to time (default: see above)")
    ap.add_argument("--python", default=str(ROOT / ".venv" / "bin" / "python"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--workdir", default="/tmp/mailtls-bench")
    ap.add_argument("--max-mb", type=int, default=50, help="largest input of the growth series")
    ap.add_argument("--growth-runs", type=int, default=15,
                    help="runs per size of the growth series (a step is the ratio of two "
                         "medians, so it needs more runs than one time does)")
    args = ap.parse_args()
    lint = args.lint or find_lint()
    if lint is None or not Path(lint).exists():
        sys.exit("no mailtls-lint found: run ./scripts/build (or build the CLI with CMake) or "
                 "give --lint PATH")
    print(f"timing {lint}")
    work = Path(args.workdir)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ensure_peers()

    big = work / "large"
    if SHARED_GEN.exists():
        subprocess.run([str(SHARED_GEN), str(big)], check=True, stdout=subprocess.DEVNULL)
        source = "shared/tools/gen-large-configs"
    else:
        subprocess.run([sys.executable, str(ROOT / "bench" / "gen_configs.py"), str(work), "7600000"], check=True)
        (work / "7600000").rename(big)
        source = "bench/gen_configs.py"
    main_cf, master_cf, dovecot = big / "main.cf", big / "master.cf", big / "dovecot.conf"
    postfix_dir = work / "postfix"
    postfix_dir.mkdir()
    shutil.copy(main_cf, postfix_dir / "main.cf")
    (postfix_dir / "master.cf").write_text("")
    backdate(main_cf, master_cf, dovecot, postfix_dir / "main.cf", postfix_dir / "master.cf")

    print(f"inputs from {source}: main.cf {main_cf.stat().st_size / 1e6:.1f} MB, "
          f"dovecot.conf {dovecot.stat().st_size / 1e6:.1f} MB; median of {args.runs} runs\n")
    rows = []
    lint_main = [lint, "--format", "json", str(main_cf)]
    postconf = ["postconf", "-c", str(postfix_dir), "-n"]
    ours_main, peer_main = measure_together([lint_main, postconf], [args.runs, args.runs])
    rss_main = peak_rss(lint_main, args.runs)
    rows.append(("main.cf", ours_main, rss_main, "postconf -n", peer_main, 10))
    lint_dc = [lint, "--format", "json", str(dovecot)]
    doveconf = ["doveconf", "-n", "-c", str(dovecot)]
    ours_dc, peer_dc = measure_together([lint_dc, doveconf], [args.runs, max(1, args.runs // 2)])
    rss_dc = peak_rss(lint_dc, args.runs)
    rows.append(("dovecot.conf", ours_dc, rss_dc, "doveconf -n", peer_dc, 100))
    print(f"{'input':14} {'mailtls-lint':>12} {'RSS':>9} {'peer':14} {'peer time':>12} {'ratio':>8}  target")
    for name, ours, rss, peer, theirs, target in rows:
        ratio = theirs / ours
        verdict = "ok" if ratio >= target else "MISSED"
        print(f"{name:14} {fmt_s(ours)} {rss / 1024:7.1f}MB {peer:14} {fmt_s(theirs)} {ratio:7.1f}x  "
              f">= {target}x {verdict}")

    print("\nmemory: peak RSS <= 4 x input + 10 MB")
    for name, path, rss in [("main.cf", main_cf, rss_main), ("dovecot.conf", dovecot, rss_dc)]:
        limit = 4 * path.stat().st_size / 1024 + 10 * 1024
        print(f"  {name:14} {rss / 1024:7.1f} MB (limit {limit / 1024:.1f} MB) "
              f"{'ok' if rss <= limit else 'MISSED'}")

    print("\ngrowth: full lint of main.cf and dovecot.conf as the input doubles (target <= 2.2x; "
          f"median of {args.growth_runs} runs, each after a run of its size; in parentheses "
          "the runs after the size before, which include what the host takes to map memory "
          "back)")
    sizes = []
    size = 1 << 20
    while size <= args.max_mb << 20:
        sizes.append(size)
        size *= 2
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_configs.py"), str(work / "growth"),
                    *map(str, sizes)], check=True)
    for kind in ["main.cf", "dovecot.conf"]:
        paths = [work / "growth" / str(size) / kind for size in sizes]
        times, after_smaller = measure_growth(
            [[lint, "--format", "json", str(p)] for p in paths], args.growth_runs)
        previous = None
        for path, t, c in zip(paths, times, after_smaller):
            step = f"{t / previous:5.2f}x" if previous else "     "
            cold_step = f"{c / previous_cold:5.2f}x" if previous else "     "
            print(f"  {kind:13} {path.stat().st_size / 1e6:7.1f} MB {fmt_s(t)}  {step}   "
                  f"({fmt_s(c).strip()} {cold_step})")
            previous, previous_cold = t, c

    print("\nfindings-heavy: misspelled parameters (cost per finding)")
    for count in (25000, 50000):
        subprocess.run([sys.executable, str(ROOT / "bench" / "gen_configs.py"), "--typos", str(work), str(count)], check=True)
        t = measure([lint, "--format", "json", str(work / f"typos-{count}" / "main.cf")], max(1, args.runs // 2))
        print(f"  {count:6} typos {fmt_s(t)}  {t / count * 1e6:6.2f} us per typo")

    examples = [str(ROOT / "examples" / "implicit-tls"), str(ROOT / "examples" / "starttls")]
    t = measure([lint, *examples], max(args.runs, 20))
    print(f"\nCLI on examples/: {fmt_s(t)} (target < 5 ms) {'ok' if t < 0.005 else 'MISSED'}")

    if Path(args.python).exists():
        # bench/data/main.cf is a main.cf of the usual size and shape; the first 2 KB of the
        # generated main.cf are findings-heavy (its user-defined parameters are referenced
        # further down, so each one is an unknown parameter with a did-you-mean here).
        code = ("import timeit, mailtls_lint\n"
                "def best(text):\n"
                "    n = 2000\n"
                "    return min(timeit.repeat(lambda: mailtls_lint.lint_text(text, 'postfix-main'), number=n, repeat=5)) / n\n"
                "typical = open('%s').read()\n"
                "t = best(typical)\n"
                "print(f'\\nPython lint_text on a 2 KB main.cf: {t * 1e6:.1f} us (target < 100 us)', 'ok' if t < 1e-4 else 'MISSED')\n"
                "heavy = open('%s').read()[:2048].rsplit('\\n', 1)[0] + '\\n'\n"
                "found = len(mailtls_lint.lint_text(heavy, 'postfix-main'))\n"
                "print(f'  and on 2 KB of the generated main.cf ({found} findings): {best(heavy) * 1e6:.1f} us')\n"
                % (ROOT / "bench" / "data" / "main.cf", work / "growth" / str(sizes[0]) / "main.cf"))
        if subprocess.run([args.python, "-c", code]).returncode != 0:
            print("Python lint_text: skipped (mailtls_lint does not import in", args.python + ")")
    else:
        print(f"\nPython lint_text: skipped ({args.python} not found: run ./scripts/build)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
