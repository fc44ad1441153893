"""The soak's verdict (tools/soak/report.py) on constructed samples: no windows, no database."""

from __future__ import annotations

from typing import Any

from tools.soak.probe import LagMeter, percentile
from tools.soak.report import Targets, judge, render_markdown, summary

GOOD_DATA = {"stored": 300, "reported": 300, "missing": 0, "gaps": [], "called_twice": 0, "statuses": {},
             "problems": [], "ok": True}


def samples(count: int = 10, *, rss_step_kib: int = 0, none_step: int = 0, lag_p99: float = 5.0,
            every: float = 30.0) -> list[dict[str, Any]]:
    rows = []
    for i in range(count):
        rows.append({"t": 1000.0 + i * every, "elapsed": i * every, "rss_kib": 200_000 + i * rss_step_kib,
                     "threads": 5, "fds": 16, "lag_p99_ms": lag_p99, "lag_max_ms": lag_p99 * 2, "lag_ticks": 300,
                     "ref_none": 60_000 + i * none_step, "ref_true": 13_000, "ref_false": 19_000,
                     "gc_objects": 140_000, "exceptions": 0})
    rows[-1].update(final=True, run_lag_p99_ms=lag_p99, run_lag_max_ms=lag_p99 * 2, run_lag_ticks=3000)
    return rows


def run(windows: dict[str, dict[str, Any]], *, tickets: int = 300, data: dict[str, Any] | None = GOOD_DATA,
        targets: Targets = Targets(), refcounts: bool = True) -> dict[str, Any]:
    issued_times = [1000.0 + 270.0 * (k + 0.5) / tickets for k in range(tickets)]  # spread over the samples
    raw = {"database": "sqlite", "seconds": 270.0, "windows": windows, "issued_times": issued_times,
           "counts": {"issued": tickets, "served": tickets}, "drivers": {"issuer": "exit code 0"}, "data": data}
    return judge(raw, targets, refcounts=refcounts)


def window(rows: list[dict[str, Any]], *, alive: bool = True, **extra: Any) -> dict[str, Any]:
    return {"samples": rows, "alive": alive, "exit": "exit code 0" if alive else "killed by SIGABRT",
            "died_after_s": None if alive else 64.0, "stderr_tail": [], "screenshots": [], **extra}


def test_flat_windows_pass() -> None:
    result = run({"display": window(samples()), "teller": window(samples(rss_step_kib=10))})
    assert result["passed"], result["failures"]
    assert result["figures"]["display"]["ref_none_drift"] == 0
    assert "PASS" in render_markdown(summary([result]))


def test_a_dying_window_fails_with_its_stderr_in_the_report() -> None:
    dead = window(samples(3), alive=False, stderr_tail=["Fatal Python error: none_dealloc"])
    result = run({"display": dead, "teller": window(samples())})
    assert not result["passed"]
    assert any("display: window died (killed by SIGABRT after 64 s)" in f for f in result["failures"])
    text = render_markdown(summary([result]))
    assert "FAIL" in text and "none_dealloc" in text


def test_refcount_of_none_falling_fails() -> None:
    result = run({"display": window(samples(none_step=-500))})  # −4,500 over the run
    assert not result["passed"]
    assert any("refcount(None) fell by 4500" in f for f in result["failures"])


def test_refcount_drift_is_not_judged_where_none_is_immortal() -> None:
    assert run({"display": window(samples(none_step=-500))}, refcounts=False)["passed"]


def test_small_refcount_wobble_and_growth_pass() -> None:
    assert run({"display": window(samples(none_step=-50))})["passed"]  # −450: within the tolerance
    assert run({"display": window(samples(none_step=300))})["passed"]


def test_rss_growth_is_per_thousand_tickets_from_the_second_sample() -> None:
    rows = samples(rss_step_kib=1024)  # 1 MiB per sample
    rows[0]["rss_kib"] = 100_000       # warm-up before the second sample is not counted
    result = run({"teller": window(rows)})
    figures = result["figures"]["teller"]
    assert figures["rss_growth_mib"] == 8.0
    assert figures["rss_mib_per_1000_tickets"] > 5.0
    assert any("RSS grew" in f for f in result["failures"])


def test_short_form_reports_rss_and_lag_without_failing() -> None:
    rows = samples(rss_step_kib=1024, lag_p99=80.0)
    result = run({"teller": window(rows)}, targets=Targets(judge_rss_and_lag=False))
    assert result["passed"]
    assert len(result["warnings"]) == 2


def test_lag_over_target_fails() -> None:
    result = run({"teller": window(samples(lag_p99=60.0))})
    assert any("event-loop lag p99 60.0 ms" in f for f in result["failures"])


def test_bad_data_and_no_tickets_fail() -> None:
    bad = {**GOOD_DATA, "problems": ["3 tickets called more than once"], "ok": False}
    assert "data: 3 tickets called more than once" in run({"display": window(samples())}, data=bad)["failures"]
    assert "no tickets were issued" in run({"display": window(samples())}, tickets=0)["failures"]


def test_lag_meter_and_percentile() -> None:
    now = [0.0]
    meter = LagMeter(0.1, clock=lambda: now[0])
    for step in (0.1, 0.1, 0.35, 0.1):
        now[0] += step
        meter.tick()
    figures = meter.take_interval()
    assert figures["lag_max_ms"] == 250.0 and figures["lag_ticks"] == 4
    assert meter.take_interval()["lag_ticks"] == 0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.0
    assert percentile([], 0.99) == 0.0
