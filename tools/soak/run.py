"""One database's soak: prepare it, start the windows, drive the day, stop, check, collect."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from tools.soak import processes
from tools.soak.checks import check_data, read_lines
from tools.soak.database import prepare
from tools.soak.plan import COUNTER_GROUPS, Plan
from tools.soak.processes import Child

log = logging.getLogger(__name__)

WINDOWS = ("teller", "dashboard", "display")
READY_TIMEOUT_S = 90.0
#: How long after the planned day the drivers may take to serve the last customers.
DRAIN_S = 60.0


def display_environment(folder: Path) -> tuple[dict[str, str], subprocess.Popen[bytes] | None]:
    """An Xvfb screen (1920×1080) when Xvfb is installed, else Qt's offscreen platform."""
    base = {"QT_TEXTTOSPEECH_ENGINE": "mock"}  # no voice on a soak machine; the chime path still runs
    xvfb = shutil.which("Xvfb")
    if xvfb:
        number = 90 + os.getpid() % 100
        server = subprocess.Popen([xvfb, f":{number}", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                                  stdout=subprocess.DEVNULL, stderr=(folder / "xvfb.stderr").open("wb"))
        time.sleep(1.0)
        if server.poll() is None:
            return {**base, "DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb"}, server
        log.warning("Xvfb did not start; using the offscreen platform")
    return {**base, "QT_QPA_PLATFORM": "offscreen"}, None


def _wait_ready(windows: dict[str, Child], samples: dict[str, Path]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        pending = [role for role, child in windows.items() if child.poll() is None and not read_lines(samples[role])]
        if not pending:
            return
        time.sleep(0.25)
    log.warning("windows not ready after %.0f s: %s", READY_TIMEOUT_S, pending)


def _drivers(plan: Plan, env: dict[str, str], folder: Path) -> dict[str, Child]:
    logs = folder / "drivers"
    common = ["--seconds", str(plan.seconds)]
    started = {"issuer": processes.start("issuer", "tools.soak.drivers", [
        "issuer", "--tickets", str(plan.tickets), "--log", str(logs / "issuer.jsonl"), *common],
        {**env, "BRANCHDESK_LOG_DIR": str(folder / "logs" / "issuer")}, logs)}
    for k, group in enumerate(COUNTER_GROUPS, start=1):
        name = f"counters{k}"
        started[name] = processes.start(name, "tools.soak.drivers", [
            "counter", "--counters", ",".join(map(str, group)), "--service-seconds", f"{plan.service_seconds:.2f}",
            "--seed", str(2026 + k), "--log", str(logs / f"{name}.jsonl"), *common],
            {**env, "BRANCHDESK_LOG_DIR": str(folder / "logs" / name)}, logs)
    started["search"] = processes.start("search", "tools.soak.drivers", [
        "search", "--searches", str(plan.searches), "--complaints", str(plan.complaints),
        "--log", str(logs / "search.jsonl"), *common],
        {**env, "BRANCHDESK_LOG_DIR": str(folder / "logs" / "search")}, logs)
    logs.mkdir(parents=True, exist_ok=True)
    return started


def run_database(kind: str, plan: Plan, data_key: str) -> dict[str, Any]:
    folder = plan.out / kind
    if folder.exists():
        shutil.rmtree(folder)
    log.info("%s: preparing the database", kind)
    soak = prepare(kind, folder, data_key=data_key, customers=plan.customers)
    shots = folder / "screenshots"
    screen_env, xvfb = display_environment(folder)
    windows: dict[str, Child] = {}
    drivers: dict[str, Child] = {}
    began = time.monotonic()
    try:
        samples = {role: folder / "samples" / f"{role}.jsonl" for role in WINDOWS}
        (folder / "samples").mkdir(parents=True, exist_ok=True)
        for role in WINDOWS:
            env = {**soak.env, **screen_env, "BRANCHDESK_LOG_DIR": str(folder / "logs" / role)}
            if role == "teller":
                env["BRANCHDESK_COUNTER"] = "1"
            windows[role] = processes.start(role, "tools.soak.window", [
                "--role", role, "--samples", str(samples[role]), "--shots", str(shots),
                "--interval", str(plan.sample_seconds), "--max-seconds", str(plan.seconds + DRAIN_S + 300)],
                env, folder / "windows")
        _wait_ready(windows, samples)
        log.info("%s: windows up after %.1f s; driving the day (%d tickets in %.0f s)", kind,
                 time.monotonic() - began, plan.tickets, plan.seconds)
        day_start = time.monotonic()
        drivers = _drivers(plan, soak.env, folder)
        mid_shot = False
        reported: set[str] = set()
        while any(d.poll() is None for d in drivers.values()):
            elapsed = time.monotonic() - day_start
            if not mid_shot and elapsed > plan.seconds / 2:
                mid_shot = True
                for child in windows.values():
                    child.signal(signal.SIGUSR1)
            for role, child in windows.items():
                if child.poll() is not None and child.died_after_s is not None and role not in reported:
                    reported.add(role)
                    log.warning("%s: window %s died after %.0f s (%s)", kind, role, child.died_after_s,
                                child.exit_text())
            if elapsed > plan.seconds + DRAIN_S:
                log.warning("%s: drivers still running %.0f s after the day; stopping them", kind, DRAIN_S)
                for d in drivers.values():
                    d.stop(10)
                break
            time.sleep(0.5)
        day_seconds = time.monotonic() - day_start
        for child in windows.values():
            child.poll()  # a death noticed now still counts as during the run
        for child in windows.values():
            child.stop()
    finally:
        for child in [*windows.values(), *drivers.values()]:
            if child.process.poll() is None:
                child.process.kill()
                child.process.wait(10)
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(10)
    result = _collect(kind, folder, windows, drivers, samples, shots)
    result["seconds"] = round(day_seconds, 1)
    try:
        result["data"] = check_data(soak.url, [r for r in read_lines(folder / "drivers" / "issuer.jsonl")
                                               if r.get("kind") == "issued"])
    finally:
        soak.close()
    return result


def _collect(kind: str, folder: Path, windows: dict[str, Child], drivers: dict[str, Child],
             samples: dict[str, Path], shots: Path) -> dict[str, Any]:
    counts: dict[str, int] = {}
    issued_times: list[float] = []
    for name in drivers:
        for row in read_lines(folder / "drivers" / f"{name}.jsonl"):
            if "kind" in row:
                counts[row["kind"]] = counts.get(row["kind"], 0) + 1
                if row["kind"] == "issued":
                    issued_times.append(row["t"])
    window_results = {}
    for role, child in windows.items():
        alive = child.died_after_s is None and child.process.returncode == 0
        window_results[role] = {
            "samples": read_lines(samples[role]), "alive": alive, "exit": child.exit_text(),
            "died_after_s": child.died_after_s, "pid": child.pid,
            "stderr_tail": child.stderr_tail() if not alive else [],
            "screenshots": sorted(str(p.relative_to(folder.parent)) for p in shots.glob(f"{role}-*.png")),
            "log_errors": _log_errors(folder / "logs" / role),
        }
    return {"database": kind, "windows": window_results, "issued_times": sorted(issued_times), "counts": counts,
            "drivers": {name: d.exit_text() for name, d in drivers.items()},
            "driver_stderr": {name: d.stderr_tail(5) for name, d in drivers.items() if d.process.returncode}}


def _log_errors(folder: Path) -> list[str]:
    """ERROR and CRITICAL lines of a window's own log (first few), for the report."""
    found: list[str] = []
    for path in sorted(folder.glob("branchdesk.log*")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if " ERROR " in line or " CRITICAL " in line:
                found.append(line[:300])
    return found[:10]
