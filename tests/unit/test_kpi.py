"""Dashboard and report arithmetic: percentiles, spreads, satisfaction, histogram, alerts."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from app.domain import kpi
from app.domain.kpi import Alert, AlertKind, QueueLoad, SpareCounter, queue_alerts

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)


def test_percentile_is_nearest_rank() -> None:
    values = list(range(1, 11))  # 1..10
    assert kpi.percentile(values, 90) == 9
    assert kpi.percentile(values, 100) == 10
    assert kpi.percentile([7.5], 90) == 7.5
    assert kpi.percentile([], 90) is None
    assert kpi.percentile([3, 1, 2], 50) == 2


def test_spread_and_mean() -> None:
    spread = kpi.Spread.of([4, 15, 6])
    assert (spread.count, spread.average, spread.p90, spread.maximum) == (3, 25 / 3, 15, 15)
    assert kpi.Spread.of([]) == kpi.Spread(0, None, None, None)


def test_wait_and_service_minutes() -> None:
    assert kpi.wait_minutes(T0, T0 + timedelta(minutes=4)) == 4
    assert kpi.wait_minutes(T0, None) is None
    # No start pressed: the service runs from the call.
    assert kpi.service_minutes(T0, None, T0 + timedelta(minutes=3)) == 3
    assert kpi.service_minutes(T0, T0 + timedelta(minutes=1), T0 + timedelta(minutes=3)) == 2
    assert kpi.minutes_between(T0, T0 - timedelta(minutes=1)) == 0  # clock skew never goes negative


def test_satisfaction_counts_4_and_5() -> None:
    assert kpi.satisfaction_rate([5, 4, 3, 1]) == (4, 2, 0.5)
    assert kpi.satisfaction_rate([]) == (0, 0, None)


def test_wait_histogram_buckets() -> None:
    assert kpi.wait_bucket_labels() == ["0–5", "5–10", "10–15", "15–20", "20–30", "30+"]
    assert kpi.wait_histogram([0, 4.99, 5, 19.9, 20, 45]) == [2, 1, 0, 1, 1, 1]


def test_hour_range_widens_to_data() -> None:
    assert kpi.hour_range([]) == range(8, 18)
    assert kpi.hour_range([7, 19]) == range(7, 20)


SPARE = [SpareCounter(6, "closed", ("loan", "wealth")), SpareCounter(5, "paused", ("loan",)),
         SpareCounter(4, "paused", ("deposit",)), SpareCounter(3, "open", ("loan",))]


def test_long_queue_alert_suggests_paused_then_closed_counters_of_the_type() -> None:
    alerts = queue_alerts([QueueLoad("loan", 3, 5.0, 1)], SPARE, wait_alert_minutes=20, queue_per_counter=2)
    assert alerts == [Alert(AlertKind.LONG_QUEUE, "loan", 3, 2, (5, 6))]


def test_long_wait_alert_only_past_the_threshold() -> None:
    assert queue_alerts([QueueLoad("loan", 1, 20.0, 1)], SPARE, wait_alert_minutes=20, queue_per_counter=5) == []
    alerts = queue_alerts([QueueLoad("wealth", 1, 20.5, 1)], SPARE, wait_alert_minutes=20, queue_per_counter=5)
    assert alerts == [Alert(AlertKind.LONG_WAIT, "wealth", 20.5, 20, (6,))]


def test_queue_nobody_serves_alerts_at_once_and_empty_queue_never() -> None:
    alerts = queue_alerts([QueueLoad("deposit", 1, 1.0, 0), QueueLoad("loan", 0, None, 0)], SPARE,
                          wait_alert_minutes=20, queue_per_counter=5)
    assert alerts == [Alert(AlertKind.LONG_QUEUE, "deposit", 1, 0, (4,))]


def test_local_hour_with_a_fixed_offset_and_across_a_dst_change() -> None:
    from datetime import date
    from zoneinfo import ZoneInfo

    shanghai = kpi.local_hour(ZoneInfo("Asia/Shanghai"), date(2026, 11, 23))
    assert shanghai(datetime(2026, 11, 23, 2, 30, tzinfo=timezone.utc)) == 10
    assert shanghai(datetime(2026, 11, 23, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))) == 10
    berlin = kpi.local_hour(ZoneInfo("Europe/Berlin"), date(2026, 3, 29))  # clocks go forward at 02:00
    assert berlin(datetime(2026, 3, 29, 0, 30, tzinfo=timezone.utc)) == 1
    assert berlin(datetime(2026, 3, 29, 1, 30, tzinfo=timezone.utc)) == 3
