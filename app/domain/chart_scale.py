"""The value axis of a chart of counts or minutes: whole-number ticks at a nice step.

A count axis read 0, 2.25, 4.5… (shown as 0, 2, 4, 6, 9), and a bar ran past the top of its
axis. ``nice_scale`` picks a step of 1, 2 or 5 times a power of ten (never below 1: counts are
whole), about ``ticks`` of them, and a top a step above the highest value when that value would
otherwise touch the frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

_STEPS = (1, 2, 5)


@dataclass(frozen=True)
class Scale:
    maximum: int
    step: int

    @property
    def tick_count(self) -> int:
        """Ticks from 0 to the maximum inclusive (Qt's QValueAxis.setTickCount)."""
        return self.maximum // self.step + 1


def nice_scale(top: float, ticks: int = 5) -> Scale:
    """The axis for values from 0 to ``top`` (negative and NaN read as 0)."""
    top = top if top > 0 else 0.0  # (NaN > 0 is False)
    rough = max(top / max(ticks, 1), 1.0)
    power = 10 ** math.floor(math.log10(rough))
    step = next((m * power for m in _STEPS if m * power >= rough), 10 * power)
    maximum = max(math.ceil(top / step), 1) * step
    if maximum - top < step * 0.1:  # the tallest bar would touch the frame: one more step
        maximum += step
    return Scale(int(maximum), int(step))
