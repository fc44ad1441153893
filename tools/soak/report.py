"""Figures, verdict and the report files of a soak — plain Python over the collected data.

A run (one database) is a dict::

    {"database": "sqlite", "seconds": 80.0,
     "windows": {"display": {"samples": [...], "alive": True, "exit": "exit code 0",
                             "died_after_s": None, "stderr_tail": [...], "screenshots": [...]}, ...},
     "issued_times": [t, ...], "counts": {"issued": 150, "served": 148, ...},
     "drivers": {"issuer": "exit code 0", ...}, "data": {... tools.soak.checks.check_data ...}}

``judge`` adds the figures and the failures; ``render_markdown`` writes what a person reads.
"""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass
from typing import Any

MIB = 1024.0


@dataclass(frozen=True)
class Targets:
    rss_mib_per_1000_tickets: float = 5.0
    lag_p99_ms: float = 50.0
    #: A fall of refcount(None/True/False) by more than this from first to last sample fails (CPython < 3.12).
    refcount_fall: int = 1000
    #: The short form (CI) is too short to tell a leak from warm-up at 150 tickets, and its lag
    #: figures depend on the CI machine's load: RSS and lag over target are warnings there, while
    #: a dead window, refcount drift and bad data still fail it.
    judge_rss_and_lag: bool = True


def refcounts_meaningful(version: tuple[int, int] = sys.version_info[:2]) -> bool:
    """From CPython 3.12 None, True and False are immortal: their refcount says nothing."""
    return version < (3, 12)


def window_figures(samples: list[dict[str, Any]], issued_times: list[float]) -> dict[str, Any]:
    """First/last figures of one window. RSS growth is measured from the second sample on: the first
    is taken as the window appears, before its first refreshes and caches (warm-up)."""
    if not samples:
        return {"samples": 0}
    first, last = samples[0], samples[-1]
    base = samples[1] if len(samples) > 2 else first
    tickets = sum(1 for t in issued_times if base["t"] < t <= last["t"])
    growth_mib = (last["rss_kib"] - base["rss_kib"]) / MIB
    minutes = max((last["elapsed"] - first["elapsed"]) / 60.0, 1e-9)
    final = last if last.get("final") else None
    interval_p99 = [s.get("lag_p99_ms", 0.0) for s in samples[1:]]
    interval_max = [s.get("lag_max_ms", 0.0) for s in samples[1:]]
    figures: dict[str, Any] = {
        "samples": len(samples), "minutes": round(minutes, 2),
        "rss_mib_first": round(first["rss_kib"] / MIB, 1), "rss_mib_base": round(base["rss_kib"] / MIB, 1),
        "rss_mib_last": round(last["rss_kib"] / MIB, 1), "rss_growth_mib": round(growth_mib, 2),
        "tickets_in_growth_window": tickets,
        "rss_mib_per_1000_tickets": round(growth_mib * 1000 / tickets, 2) if tickets else None,
        "threads_first": first["threads"], "threads_last": last["threads"],
        "fds_first": first["fds"], "fds_last": last["fds"],
        "gc_objects_first": first["gc_objects"], "gc_objects_last": last["gc_objects"],
        "lag_p99_ms_intervals": interval_p99, "lag_max_ms_intervals": interval_max,
        "lag_p99_ms": final["run_lag_p99_ms"] if final else max(interval_p99, default=0.0),
        "lag_max_ms": final["run_lag_max_ms"] if final else max(interval_max, default=0.0),
        "exceptions": last.get("exceptions", 0),
    }
    for name in ("none", "true", "false"):
        a, b = first[f"ref_{name}"], last[f"ref_{name}"]
        figures[f"ref_{name}_first"], figures[f"ref_{name}_last"] = a, b
        figures[f"ref_{name}_drift"] = b - a
        figures[f"ref_{name}_drift_per_min"] = round((b - a) / minutes, 1)
    return figures


def judge_window(role: str, window: dict[str, Any], issued_times: list[float], targets: Targets,
                 refcounts: bool) -> tuple[dict[str, Any], list[str], list[str]]:
    """The window's figures, its failures, and its warnings (over target but not judged)."""
    figures = window_figures(window.get("samples", []), issued_times)
    failures: list[str] = []
    warnings: list[str] = []
    soft = failures if targets.judge_rss_and_lag else warnings
    if not window.get("alive", False):
        when = window.get("died_after_s")
        failures.append(f"{role}: window died ({window.get('exit', '?')}"
                        + (f" after {when:.0f} s)" if when is not None else ")"))
    if figures["samples"] == 0:
        failures.append(f"{role}: no samples")
        return figures, failures, warnings
    per_1000 = figures["rss_mib_per_1000_tickets"]
    if per_1000 is not None and per_1000 >= targets.rss_mib_per_1000_tickets:
        soft.append(f"{role}: RSS grew {per_1000} MiB per 1,000 tickets "
                        f"(target < {targets.rss_mib_per_1000_tickets})")
    if figures["lag_p99_ms"] >= targets.lag_p99_ms:
        soft.append(f"{role}: event-loop lag p99 {figures['lag_p99_ms']} ms (target < {targets.lag_p99_ms})")
    if refcounts:
        for name in ("none", "true", "false"):
            drift = figures[f"ref_{name}_drift"]
            if drift < -targets.refcount_fall:
                failures.append(f"{role}: refcount({name.capitalize()}) fell by {-drift} "
                                f"({figures[f'ref_{name}_drift_per_min']}/min)")
    return figures, failures, warnings


def judge(run: dict[str, Any], targets: Targets = Targets(), refcounts: bool | None = None) -> dict[str, Any]:
    """The run with ``figures`` per window, ``failures`` and ``passed`` added."""
    refcounts = refcounts_meaningful() if refcounts is None else refcounts
    failures: list[str] = []
    warnings: list[str] = []
    figures: dict[str, Any] = {}
    for role, window in run.get("windows", {}).items():
        figures[role], window_failures, window_warnings = judge_window(
            role, window, run.get("issued_times", []), targets, refcounts)
        failures += window_failures
        warnings += window_warnings
    for name, exit_text in run.get("drivers", {}).items():
        if exit_text != "exit code 0":
            failures.append(f"driver {name}: {exit_text}")
    if not run.get("counts", {}).get("issued"):
        failures.append("no tickets were issued")
    data = run.get("data")
    if data is None:
        failures.append("the data were not checked")
    else:
        failures += [f"data: {problem}" for problem in data.get("problems", [])]
    return {**run, "figures": figures, "failures": failures, "warnings": warnings, "passed": not failures}


def summary(runs: list[dict[str, Any]], targets: Targets = Targets()) -> dict[str, Any]:
    return {"passed": bool(runs) and all(r["passed"] for r in runs), "targets": asdict(targets),
            "refcounts_checked": refcounts_meaningful(), "python": sys.version.split()[0], "runs": runs}


def _fmt(value: Any) -> str:
    return "n/a" if value is None else str(value)


def render_markdown(report: dict[str, Any]) -> str:
    t = report["targets"]
    lines = [f"# BranchDesk soak — {'PASS' if report['passed'] else 'FAIL'}", "",
             f"Python {report['python']}; targets: no window dies; RSS growth < {t['rss_mib_per_1000_tickets']} MiB "
             f"per 1,000 tickets (from the second sample); event-loop lag p99 < {t['lag_p99_ms']} ms; "
             + (f"refcount(None/True/False) falls by at most {t['refcount_fall']}."
                if report["refcounts_checked"] else "refcounts not judged (immortal on CPython 3.12+).")
             + ("" if t["judge_rss_and_lag"] else " Short form: RSS and lag are reported, not judged."), ""]
    for run in report["runs"]:
        c = run.get("counts", {})
        lines += [f"## {run['database']} — {'pass' if run['passed'] else 'FAIL'}", "",
                  f"{run.get('seconds', 0):.0f} s; tickets issued {c.get('issued', 0)}, called {c.get('called', 0)}, "
                  f"served {c.get('served', 0)}, no-shows {c.get('no_show', 0)}, recalls {c.get('recalled', 0)}; "
                  f"searches {c.get('searched', 0)}, complaints {c.get('complaint', 0)}; "
                  f"refused or failed calls {c.get('error', 0)}.", ""]
        data = run.get("data") or {}
        lines += [f"Data: {data.get('stored', '?')} tickets stored, {data.get('reported', '?')} reported by the "
                  f"issuer, {data.get('missing', '?')} missing, {len(data.get('gaps', []))} prefixes with gaps, "
                  f"{data.get('called_twice', '?')} called twice; statuses {data.get('statuses', {})}.", ""]
        lines += ["| window | alive | RSS MiB first → base → last | MiB / 1,000 tickets | threads | fds "
                  "| lag p99 / max ms | refcount None / True / False first → last (drift/min) | exceptions |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for role, f in run["figures"].items():
            w = run["windows"][role]
            if not f.get("samples"):
                lines.append(f"| {role} | {'yes' if w.get('alive') else 'NO'} | no samples | | | | | | |")
                continue
            refs = " / ".join(f"{f[f'ref_{n}_first']} → {f[f'ref_{n}_last']} ({f[f'ref_{n}_drift_per_min']})"
                              for n in ("none", "true", "false"))
            lines.append(
                f"| {role} | {'yes' if w.get('alive') else 'NO: ' + w.get('exit', '')} "
                f"| {f['rss_mib_first']} → {f['rss_mib_base']} → {f['rss_mib_last']} "
                f"| {_fmt(f['rss_mib_per_1000_tickets'])} | {f['threads_first']} → {f['threads_last']} "
                f"| {f['fds_first']} → {f['fds_last']} | {f['lag_p99_ms']} / {f['lag_max_ms']} | {refs} "
                f"| {f['exceptions']} |")
        lines.append("")
        for role, f in run["figures"].items():
            if f.get("samples"):
                pairs = ", ".join(f"{p}/{m}" for p, m in zip(f["lag_p99_ms_intervals"], f["lag_max_ms_intervals"]))
                lines.append(f"- {role}: lag p99/max per interval (ms): {pairs or 'n/a'}")
            shots = run["windows"][role].get("screenshots", [])
            if shots:
                lines.append(f"- {role}: screenshots " + ", ".join(f"`{s}`" for s in shots))
        lines.append("")
        for role, w in run["windows"].items():
            if not w.get("alive") and w.get("stderr_tail"):
                lines += [f"{role} stderr (last lines):", "", "```", *w["stderr_tail"], "```", ""]
        for name, tail in run.get("driver_stderr", {}).items():
            if tail:
                lines += [f"driver {name} stderr (last lines):", "", "```", *tail, "```", ""]
        for role, w in run["windows"].items():
            if w.get("log_errors"):
                lines += [f"{role} log errors:", "", *[f"- `{line}`" for line in w["log_errors"]], ""]
        if run["failures"]:
            lines += ["Failures:", "", *[f"- {failure}" for failure in run["failures"]], ""]
        if run.get("warnings"):
            lines += ["Over target, not judged in the short form:", "",
                      *[f"- {warning}" for warning in run["warnings"]], ""]
    return "\n".join(lines) + "\n"
