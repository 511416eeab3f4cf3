#!/usr/bin/env python3
"""Throughput benchmark: raw text extraction vs the full `dutyaudit audit`, in one run.

Builds a batch of N copies of the Dazu fixtures under distinct names and measures
(a) raw pdfplumber ``extract_text``, (b) raw pypdfium2 text, (c) ``pdftotext`` if
installed, (d) ``dutyaudit audit --no-cache`` with ``--jobs 1`` and with all cores;
prints pages/s, reports/min, peak RSS of the audit process tree, and the ratios of (d)
to (a), (b), (c). ``--scaling`` also runs the audit for N = 10, 40, 160.

    python scripts/bench.py                 # N = 40 copies of dazu-2022.pdf
    python scripts/bench.py --scaling       # plus N = 10, 40, 160 with --jobs 1
    python scripts/bench.py --mix           # the batch mixes .pdf, .docx and .txt copies
    python scripts/bench.py --rounds 3      # three rounds and the median of each round's ratios

Every line also gives CPU seconds: the machine's speed drifts while a benchmark runs,
and CPU time drifts less than wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DUTYAUDIT_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus"
# Each sample reads /proc for every process on the machine; sampled too often, the sampler itself
# takes CPU from the audit it measures. Worker memory builds up over many reports, so 0.2 s still finds the peak.
RSS_SAMPLE_SECONDS = 0.2


class Stopwatch:
    """Wall seconds and CPU seconds since start: of this process (``children=False``) or of the
    child processes it has waited for (``children=True``; not this process, whose RSS sampler
    thread would count too).

    The machine's speed drifts between measurements; CPU seconds drift less than wall seconds,
    so the ratios are printed for both.
    """

    def __init__(self, children: bool = False) -> None:
        self.children = children
        self.wall = time.perf_counter()
        self.cpu = _cpu_seconds(children)

    def stop(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, _cpu_seconds(self.children) - self.cpu


def _cpu_seconds(children: bool) -> float:
    if not children:
        return time.process_time()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def make_batch(folder: Path, count: int, mix: bool) -> list[Path]:
    sources = [CORPUS / "dazu-2022.pdf"]
    if mix:
        sources += [CORPUS / "dazu-2022.docx", CORPUS / "dazu-2022.txt"]
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for index in range(count):
        source = sources[index % len(sources)]
        target = folder / f"district-{index:04d}{source.suffix}"
        shutil.copyfile(source, target)
        made.append(target)
    return made


def pdf_pages(paths: list[Path]) -> int:
    import pypdfium2

    total = 0
    for path in paths:
        if path.suffix == ".pdf":
            pdf = pypdfium2.PdfDocument(str(path))
            total += len(pdf)
            pdf.close()
    return total


def raw_pdfplumber(paths: list[Path]) -> tuple[float, float]:
    import pdfplumber

    watch = Stopwatch()
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
    return watch.stop()


def raw_pypdfium2(paths: list[Path]) -> tuple[float, float]:
    import pypdfium2

    watch = Stopwatch()
    for path in paths:
        pdf = pypdfium2.PdfDocument(str(path))
        for page in pdf:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        pdf.close()
    return watch.stop()


def raw_pdftotext(paths: list[Path]) -> tuple[float, float] | None:
    if shutil.which("pdftotext") is None:
        return None
    watch = Stopwatch(children=True)
    for path in paths:
        subprocess.run(["pdftotext", "-q", str(path), "-"], check=True, stdout=subprocess.DEVNULL)
    return watch.stop()


SPIN = "import time; began = time.perf_counter(); sum(range(30_000_000)); print(time.perf_counter() - began)"


def machine_parallelism(processes: int) -> float:
    """How much faster ``processes`` CPU-bound processes get through work than one, on this machine now.

    Cloud vCPUs are often hyperthreads of one core or are shared with other machines, so
    ``--jobs 2`` can only be as close to 2x as the machine itself is.
    """

    def spin(count: int) -> float:
        started = [subprocess.Popen([sys.executable, "-c", SPIN], stdout=subprocess.PIPE, text=True) for _ in range(count)]
        return max(float(p.communicate()[0]) for p in started)

    one = spin(1)
    return processes * one / spin(processes)


def tree_rss_kib(root_pid: int) -> int:
    """Sum of VmRSS over a process and its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            parent = int(fields[1])
            with open(f"/proc/{entry}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        rss[int(entry)] = int(line.split()[1])
                        break
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def run_audit(inputs: list[Path], out: Path, jobs: int) -> tuple[float, int, int, float]:
    """Wall seconds, peak RSS (KiB) of the process tree, exit code, CPU seconds of the process tree."""
    command = [sys.executable, "-m", "pipeline", "audit", *map(str, inputs), "--out", str(out),
               "--no-cache", "--no-progress", "--jobs", str(jobs)]
    watch = Stopwatch(children=True)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss_kib(process.pid))
            stop.wait(RSS_SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    stop.set()
    sampler.join()
    seconds, cpu = watch.stop()
    if process.returncode not in (0, 6, 10):
        sys.stderr.write(err.decode("utf-8", "replace")[-2000:])
    return seconds, peak, process.returncode, cpu


def startup_seconds(work: Path) -> tuple[float, float]:
    """CLI invocation to the first (tiny) report processed (its JSON written), and the whole run; --jobs 1."""
    sample = work / "startup" / "one.txt"
    sample.parent.mkdir(parents=True, exist_ok=True)
    sample.write_text("重庆市某区人民政府\n关于履行教育职责的自查自评报告\n全区共有学校10所。\n", encoding="utf-8")
    out = work / "startup-out"
    invoked = time.time()
    seconds, _, _, _ = run_audit([sample.parent], out, jobs=1)
    first = (out / "reports" / "one.json").stat().st_mtime - invoked
    return first, seconds


def measure_round(work: Path, inputs: list[Path], pages: int, all_jobs: int) -> dict[str, dict[str, float]]:
    """One round: the raw extractors, then the audit with --jobs 1 and with all cores; prints as it goes."""
    pdfs = [p for p in inputs if p.suffix == ".pdf"]
    measured: dict[str, dict[str, float]] = {}
    raw = {"pdfplumber": raw_pdfplumber(pdfs), "pypdfium2": raw_pypdfium2(pdfs), "pdftotext": raw_pdftotext(pdfs)}
    for name, timing in raw.items():
        if timing is None:
            print(f"(raw) {name:<10} not installed")
            continue
        measured[name] = {"wall": timing[0], "cpu": timing[1]}
        print(f"(raw) {name:<10} {timing[0]:7.2f} s  {pages / timing[0]:7.1f} pages/s  (CPU {timing[1]:.2f} s)")
    for jobs in sorted({1, all_jobs}):
        out = work / f"out-{jobs}"
        shutil.rmtree(out, ignore_errors=True)
        seconds, peak_kib, code, cpu = run_audit([work / "batch"], out, jobs)
        run = json.loads((out / "run.json").read_text(encoding="utf-8"))
        phases = run.get("phases", {})
        # CPU seconds only for --jobs 1: the CLI ends without waiting for its pool's workers, whose
        # CPU time therefore never reaches this process's children's usage
        cpu_known = jobs == 1
        measured[f"jobs{jobs}"] = {"wall": seconds, "cpu": cpu if cpu_known else 0.0, "reports": phases.get("reports") or 0.0}
        print(
            f"audit --jobs {jobs:<2} {seconds:7.2f} s  {pages / seconds:7.1f} pages/s  "
            f"{len(inputs) / seconds * 60:7.1f} reports/min  peak RSS {peak_kib / 1024:7.1f} MiB  exit {code}"
            + (f"  (CPU {cpu:.2f} s)" if cpu_known else "")
        )
        for name in raw:
            if name in measured:
                print(f"    ratio to {name:<10} {measured[name]['wall'] / seconds:6.2f}x"
                      + (f"  (CPU time {measured[name]['cpu'] / cpu:.2f}x)" if cpu_known else ""))
        print("    phases (run.json): " + ", ".join(f"{k} {v:.2f} s" for k, v in phases.items())
              + f"; {run.get('prefetched', 0)} files read while the models loaded")
    if all_jobs != 1:
        measured["machine"] = {"wall": machine_parallelism(all_jobs)}
        print(f"machine: {all_jobs} CPU-bound processes run {measured['machine']['wall']:.2f}x as fast as one (the ceiling)")
        one, many = measured["jobs1"], measured[f"jobs{all_jobs}"]
        print(f"speed-up --jobs {all_jobs} vs --jobs 1: {one['wall'] / many['wall']:.2f}x (whole run)", end="")
        print(f", {one['reports'] / many['reports']:.2f}x (reports phase, after the models are loaded)"
              if many["reports"] else "")
    return measured


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--count", type=int, default=40, help="copies in the batch (default 40)")
    parser.add_argument("--mix", action="store_true", help="mix .pdf, .docx and .txt copies")
    parser.add_argument("--scaling", action="store_true", help="also time N = 10, 40, 160 with --jobs 1")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="the 'all cores' job count")
    parser.add_argument("--rounds", type=int, default=1,
                        help="repeat the raw and audit measurements this many times, then print the median ratios")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="dutyaudit-bench-") as tmp:
        work = Path(tmp)
        inputs = make_batch(work / "batch", args.count, args.mix)
        pdfs = [p for p in inputs if p.suffix == ".pdf"]
        pages = pdf_pages(inputs)
        print(f"batch: {len(inputs)} reports ({len(pdfs)} PDF, {pages} PDF pages) on {os.cpu_count()} cores")

        first, whole = startup_seconds(work)
        print(f"start-up (CLI invocation to first report processed, --jobs 1): {first:.2f} s (whole run on one tiny report {whole:.2f} s)")
        rounds = []
        for number in range(1, max(args.rounds, 1) + 1):
            if args.rounds > 1:
                print(f"-- round {number} of {args.rounds}")
            rounds.append(measure_round(work, inputs, pages, args.jobs))
        if len(rounds) > 1:
            print(f"-- median over {len(rounds)} rounds (each ratio taken within its round)")
            for jobs in sorted({1, args.jobs}):
                key = f"jobs{jobs}"
                walls = [r[key]["wall"] for r in rounds]
                print(f"audit --jobs {jobs:<2} {pages / statistics.median(walls):7.1f} pages/s")
                for name in ("pdfplumber", "pypdfium2", "pdftotext"):
                    if name in rounds[0]:
                        wall = statistics.median(r[name]["wall"] / r[key]["wall"] for r in rounds)
                        line = f"    ratio to {name:<10} {wall:6.2f}x"
                        if jobs == 1:
                            line += f"  (CPU time {statistics.median(r[name]['cpu'] / r[key]['cpu'] for r in rounds):.2f}x)"
                        print(line)
            if args.jobs != 1:
                whole_run = statistics.median(r["jobs1"]["wall"] / r[f"jobs{args.jobs}"]["wall"] for r in rounds)
                reports = statistics.median(
                    r["jobs1"]["reports"] / r[f"jobs{args.jobs}"]["reports"] for r in rounds if r[f"jobs{args.jobs}"]["reports"]
                )
                ceiling = statistics.median(r["machine"]["wall"] for r in rounds)
                print(f"speed-up --jobs {args.jobs} vs --jobs 1: {whole_run:.2f}x (whole run), {reports:.2f}x (reports phase);"
                      f" the machine's ceiling {ceiling:.2f}x")

        if args.scaling:
            timings = {}
            for count in (10, 40, 160):
                batch = make_batch(work / f"scale-{count}", count, args.mix)
                seconds, peak_kib, _, _ = run_audit(batch, work / f"scale-out-{count}", jobs=1)
                timings[count] = seconds
                print(f"scaling N={count:<4} {seconds:7.2f} s  peak RSS {peak_kib / 1024:7.1f} MiB")
            print(f"time(160) / time(40) = {timings[160] / timings[40]:.2f} (linear: 4.0)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
