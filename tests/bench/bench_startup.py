"""Start-up times of the built app (``packaging/dist/branchdesk``), offscreen. Prints figures only.

    python packaging/build.py && python tests/bench/bench_startup.py [--runs 5] [--app-dir DIR]
    python tests/bench/bench_startup.py --source      # first paint only, from this checkout

First paint (issue #18, target < 2 s): from launch until something is on the monitor — the
"connecting…" screen (ui/startup_screen.py) — and until the role's own window (the calling
display, under its supervising process as installed; the sign-in on a counter PC) has painted.
Read from the log lines ``painted: … at <time>`` the app writes, against the launch moment.

Measured, each in a fresh temp home (settings, data, logs):
- ``branchdesk-admin --version``: process start, unpacking nothing (one folder), Python and the CLI's imports;
- ``branchdesk --version``: the GUI's launcher (ui/main.py: no workstation imports) and the Qt binding's version;
- ``branchdesk --self-test``: wall time, and the self-test's own figure (demo database, panes, PDFs);
- to the login window (Linux): ``branchdesk`` on a prepared settings file and demo database, until the
  process goes idle waiting for input (no CPU time used for 0.3 s) — the login dialog is then up.
The first run of each is the coldest the page cache allows without root tricks; the median of the
others is the warm figure.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_APP_DIR = ROOT / "packaging" / "dist" / "branchdesk"
IDLE_S = 0.3


def exe(app_dir: Path, name: str) -> str:
    return str(app_dir / (f"{name}.exe" if sys.platform == "win32" else name))


def fresh_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRANCHDESK_")}
    env.update(QT_QPA_PLATFORM="offscreen", BRANCHDESK_CONFIG_DIR=str(home / "config"),
               BRANCHDESK_DATA_DIR=str(home / "data"), BRANCHDESK_LOG_DIR=str(home / "log"))
    return env


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    elapsed = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({run.returncode}):\n{run.stdout}{run.stderr}")
    return elapsed, run.stdout


def cpu_ticks(pid: int) -> int | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])  # utime + stime


def time_to_idle(command: list[str], env: dict[str, str]) -> float:
    """Seconds from launch until the process last used CPU before an idle spell of IDLE_S."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        last_ticks, last_change = -1, started
        while True:
            time.sleep(0.01)
            now = time.perf_counter()
            if process.poll() is not None:
                raise SystemExit(f"{command[0]} exited with {process.returncode} before showing the login window")
            ticks = cpu_ticks(process.pid)
            if ticks != last_ticks:
                last_ticks, last_change = ticks, now
            elif now - last_change >= IDLE_S and now - started > 0.2:
                return last_change - started
            if now - started > 60:
                raise SystemExit("no idle spell within 60 s")
    finally:
        process.terminate()  # the process this function started, by its handle
        process.wait(timeout=10)


def prepare_login_home(app_dir: Path, home: Path) -> dict[str, str]:
    env = fresh_env(home)
    timed([exe(app_dir, "branchdesk-admin"), "demo"], env)
    config = home / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").write_text('[workstation]\nbranch = "DEMO"\n', encoding="utf-8")
    return env


PAINTED = re.compile(r"painted: (.+?) at ([0-9.]+)")


def first_paints(command: list[str], env: dict[str, str], log_file: Path) -> tuple[float, float]:
    """Seconds from launch to the start-up screen's paint and to the next window's (the role's)."""
    seen = log_file.read_text(encoding="utf-8", errors="replace") if log_file.exists() else ""
    launched = time.time()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.time() - launched < 120:
            time.sleep(0.02)
            text = log_file.read_text(encoding="utf-8", errors="replace") if log_file.exists() else ""
            moments = [float(at) for _what, at in PAINTED.findall(text[len(seen):])]
            if len(moments) >= 2:
                return moments[0] - launched, moments[1] - launched
            if process.poll() is not None:
                raise SystemExit(f"{command} exited with {process.returncode} before painting")
        raise SystemExit("nothing painted within 120 s")
    finally:
        process.terminate()  # the supervisor ends its child as it ends
        process.wait(timeout=30)


def paint_figures(program: list[str], runs: int) -> list[tuple[str, list[float]]]:
    """First paints of the calling display (supervised) and of the counter PC's sign-in, each
    on a demo home seeded once beforehand (the seed is set-up, not start-up)."""
    figures = []
    for role in ("display", "counter"):
        screen, window = [], []
        with tempfile.TemporaryDirectory(prefix="branchdesk-paint-") as tmp:
            env = fresh_env(Path(tmp))
            command = [*program, "--demo", "--role", role]
            log_file = Path(tmp) / "log" / "branchdesk.log"
            first_paints(command, env, log_file)  # seeds the demo database
            for _ in range(runs):
                at_screen, at_window = first_paints(command, env, log_file)
                screen.append(at_screen)
                window.append(at_window)
        figures += [(f"{role}: 'connecting' screen painted", screen), (f"{role}: its window painted", window)]
    return figures


def report(label: str, values: list[float]) -> None:
    warm = values[1:] or values
    print(f"{label:<38} first {values[0]:5.2f} s   warm median {statistics.median(warm):5.2f} s"
          f"   (n={len(values)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--app-dir", type=Path, default=DEFAULT_APP_DIR)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--source", action="store_true", help="first paint from this checkout (python -m ui.main)")
    args = parser.parse_args()
    if args.source:
        print(f"from source: {sys.executable} -m ui.main")
        for label, values in paint_figures([sys.executable, "-m", "ui.main"], args.runs):
            report(label, values)
        return 0
    if not Path(exe(args.app_dir, "branchdesk")).exists():
        raise SystemExit(f"No bundle in {args.app_dir}; run python packaging/build.py first")

    admin_version, gui_version, self_test_wall, self_test_own, login = [], [], [], [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="branchdesk-bench-") as tmp:
            env = fresh_env(Path(tmp))
            admin_version.append(timed([exe(args.app_dir, "branchdesk-admin"), "--version"], env)[0])
            gui_version.append(timed([exe(args.app_dir, "branchdesk"), "--version"], env)[0])
            wall, out = timed([exe(args.app_dir, "branchdesk"), "--self-test"], env)
            self_test_wall.append(wall)
            own = re.search(r"; ([0-9.]+) s\s*$", out.strip())
            self_test_own.append(float(own.group(1)) if own else float("nan"))
            if sys.platform.startswith("linux"):
                login_env = prepare_login_home(args.app_dir, Path(tmp) / "login")
                login.append(time_to_idle([exe(args.app_dir, "branchdesk")], login_env))

    print(f"bundle: {args.app_dir}")
    report("branchdesk-admin --version", admin_version)
    report("branchdesk --version (GUI imports)", gui_version)
    report("branchdesk --self-test, wall", self_test_wall)
    report("  of which the self-test itself", self_test_own)
    report("  start-up before the self-test", [w - o for w, o in zip(self_test_wall, self_test_own, strict=True)])
    if login:
        report("branchdesk to the login window (idle)", login)
    for label, values in paint_figures([exe(args.app_dir, "branchdesk")], args.runs):
        report(label, values)
    return 0


if __name__ == "__main__":
    sys.exit(main())
