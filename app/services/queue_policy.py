"""The queue's tunable rules, read once from the declared settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app import settings as settings_module
from app.settings import Settings


@dataclass(frozen=True)
class QueuePolicy:
    starvation_minutes: int
    recalls_before_no_show: int
    service_time_weight: float
    elderly_age: int
    appointment_early_minutes: int
    appointment_late_minutes: int

    @classmethod
    def from_settings(cls, settings: Settings) -> QueuePolicy:
        return cls._read(settings.get)

    @classmethod
    def defaults(cls) -> QueuePolicy:
        return cls._read(settings_module.default)

    @classmethod
    def _read(cls, get: Callable[[str], Any]) -> QueuePolicy:
        return cls(
            starvation_minutes=get("queue.starvation_minutes"),
            recalls_before_no_show=get("queue.recalls_before_no_show"),
            service_time_weight=get("queue.service_time_weight"),
            elderly_age=get("queue.elderly_age"),
            appointment_early_minutes=get("appointment.early_minutes"),
            appointment_late_minutes=get("appointment.late_minutes"),
        )
