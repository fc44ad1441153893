"""Child processes of a soak run: started with the run's environment, watched, stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

#: The repository root: children run ``python -m tools.soak.…`` from here, importing this tree.
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path
    started: float = field(default_factory=time.monotonic)
    #: Set when the soak asked it to stop; an exit before that is a death.
    stop_requested_at: float | None = None
    died_after_s: float | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def poll(self) -> int | None:
        code = self.process.poll()
        if code is not None and self.stop_requested_at is None and self.died_after_s is None:
            self.died_after_s = round(time.monotonic() - self.started, 1)
        return code

    def signal(self, signum: int) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signum)

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM (a window writes its last sample and quits), SIGKILL if it does not end in time."""
        if self.poll() is None:
            self.stop_requested_at = time.monotonic()
            self.signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(10)

    def exit_text(self) -> str:
        code = self.process.returncode
        if code is None:
            return "running"
        if code < 0:
            try:
                return f"killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"exit code {code}"

    def stderr_tail(self, lines: int = 30) -> list[str]:
        try:
            text = self.stderr.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []
        kept = [line for line in text.splitlines() if line.strip()]
        tail = kept[-lines:]
        fatal = [line for line in kept[:-lines] if line.startswith("Fatal Python error")]
        return fatal[:1] + (["…"] if fatal else []) + tail  # the cause, then how it ended


def start(name: str, module: str, args: list[str], env: dict[str, str], folder: Path,
          python: str = sys.executable) -> Child:
    """``python -m module args`` with ``env`` added to this environment; output to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    out, err = folder / f"{name}.stdout", folder / f"{name}.stderr"
    full_env = {**os.environ, **env, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get(
        "PYTHONPATH", "")])), "PYTHONFAULTHANDLER": "1", "PYTHONUNBUFFERED": "1"}
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen([python, "-m", module, *args], cwd=ROOT, env=full_env, stdout=stdout,
                                   stderr=stderr, stdin=subprocess.DEVNULL)
    return Child(name, process, out, err)
