"""Screenshot a batch's index.html and one report page with headless Chromium.

Usage: python scripts/screenshot_html.py OUT_DIR [--report NAME] [--dest DIR]

Needs a ``chromium`` (or ``chromium-browser`` / ``google-chrome``) binary on PATH
(Debian: ``apt-get install -y chromium fonts-noto-cjk``). Writes ``index.png`` and
``report-<name>.png`` into ``--dest`` (default: OUT_DIR/screenshots).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--hide-scrollbars",
)


def find_browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("no chromium found: apt-get install -y chromium fonts-noto-cjk")


def screenshot(browser: str, page: Path, png: Path, size: str = "1400,1800", timeout: float = 120.0) -> None:
    with tempfile.TemporaryDirectory(prefix="dutyaudit-chromium-") as profile:
        cmd = [browser, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={png}", f"--window-size={size}", page.resolve().as_uri()]
        subprocess.run(cmd, check=True, timeout=timeout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not png.is_file():
        raise SystemExit(f"chromium wrote no screenshot for {page}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--report", help="report name (default: the first report page)")
    parser.add_argument("--dest", type=Path)
    parser.add_argument("--size", default="1400,1800")
    args = parser.parse_args(argv)
    browser = find_browser()
    dest = args.dest or args.out_dir / "screenshots"
    dest.mkdir(parents=True, exist_ok=True)
    pages = [(args.out_dir / "index.html", dest / "index.png")]
    reports = sorted((args.out_dir / "reports").glob("*.html"))
    if args.report:
        reports = [args.out_dir / "reports" / f"{args.report}.html"]
    if reports:
        pages.append((reports[0], dest / f"report-{reports[0].stem}.png"))
    for page, png in pages:
        if not page.is_file():
            print(f"missing: {page}", file=sys.stderr)
            return 1
        screenshot(browser, page, png, args.size)
        print(png, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
