"""Count axes: whole ticks at 1, 2, 5 × 10ⁿ, the tallest bar below the frame (issue #18)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.chart_scale import Scale, nice_scale


@pytest.mark.parametrize(("top", "expected"), [
    (0, Scale(1, 1)), (-3, Scale(1, 1)), (float("nan"), Scale(1, 1)),
    (0.4, Scale(1, 1)), (3, Scale(4, 1)), (7, Scale(8, 2)), (9, Scale(10, 2)),
    (30, Scale(40, 10)), (70, Scale(80, 20)), (132.0, Scale(150, 50)), (1234, Scale(1500, 500)),
])
def test_known_tops(top: float, expected: Scale) -> None:
    assert nice_scale(top) == expected


@given(st.floats(0, 1e7, allow_nan=False))
def test_every_value_fits_below_a_whole_tick(top: float) -> None:
    scale = nice_scale(top)
    assert scale.step >= 1 and scale.maximum % scale.step == 0
    assert top < scale.maximum and 2 <= scale.tick_count <= 12
    assert str(scale.step).strip("0") in ("1", "2", "5")
