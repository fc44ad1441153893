"""Benchmark: building ticket slips (and, for scale, a receipt and a long form).

Not collected by default (file name bench_*.py). Run either way:

    python -m pytest tests/bench/bench_printing.py -s
    python tests/bench/bench_printing.py

Prints first-build (includes registering the font), median and p95 times in
ms; never asserts on wall-clock time. Target: a slip's median < 30 ms.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

if __name__ == "__main__":  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pytest

from app.printing.data import FormData, FormSection, ReceiptData, SlipData
from app.printing.form import build_form
from app.printing.receipt import build_service_receipt
from app.printing.slip import build_ticket_slip

SLIPS = 200
WARM_UP = 5
ISSUED = datetime(2024, 5, 6, 9, 15, tzinfo=timezone(timedelta(hours=8)))


def _slip(n: int) -> SlipData:
    return SlipData(
        bank_name="中国工商银行",
        branch_name="北京分行西单支行",
        business_name="个人业务",
        business_name_en="Personal Banking",
        ticket_number=f"A{n % 1000:03d}",
        waiting_ahead=n % 30,
        estimated_wait_minutes=(n % 30) * 3,
        issued_at=ISSUED + timedelta(seconds=n),
        notice="请留意叫号屏幕和语音提示，过号请重新取号。本号当日有效。",
        roll_width_mm=80 if n % 2 else 58,
    )


def _receipt() -> ReceiptData:
    return ReceiptData(
        "中国工商银行", "北京分行西单支行", "3号窗口", "李明华", "个人开户", "A023",
        ISSUED, ISSUED + timedelta(minutes=1), ISSUED + timedelta(minutes=12),
        "张三丰", "11010119900307123X",
        [("核验身份证原件有效", "已完成"), ("联网核查及人脸识别", "通过")],
        "RC-1", ISSUED,
    )  # fmt: skip


def _form() -> FormData:
    rows = [(f"第 {i} 项核对", "已完成") for i in range(1, 81)]
    return FormData(
        "核对表", [("客户姓名", "张*")], [FormSection("核对步骤", rows=rows)], ["客户签名"],
        "CL-1", "中国工商银行", "北京分行西单支行", ISSUED,
    )  # fmt: skip


def _ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _summary(name: str, first: float, times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    return (
        f"{name:<22} first {first:7.1f} ms   median {statistics.median(times):6.2f} ms"
        f"   p95 {p95:6.2f} ms   (n={len(times)})"
    )


def run() -> list[str]:
    first_slip = _ms(lambda: build_ticket_slip(_slip(0)))
    for n in range(1, WARM_UP + 1):
        build_ticket_slip(_slip(n))
    slips = [_ms(lambda n=n: build_ticket_slip(_slip(n))) for n in range(SLIPS)]

    receipt = _receipt()
    first_receipt = _ms(lambda: build_service_receipt(receipt))
    receipts = [_ms(lambda: build_service_receipt(receipt)) for _ in range(30)]
    form = _form()
    first_form = _ms(lambda: build_form(form))
    forms = [_ms(lambda: build_form(form)) for _ in range(10)]
    return [
        _summary("ticket slip", first_slip, slips),
        _summary("service receipt (A4)", first_receipt, receipts),
        _summary("form, 80 rows (A4)", first_form, forms),
    ]


@pytest.mark.bench
def test_bench_ticket_slip() -> None:
    print()
    for line in run():
        print(line)


if __name__ == "__main__":
    for line in run():
        print(line)
