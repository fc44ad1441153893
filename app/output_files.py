"""Files a command writes appear whole or not at all.

A refused export (no permission, a bad argument, the database gone) must not leave a truncated
file where the user's old one was, and a report killed halfway must not leave half a PDF.
:func:`replacing` writes into a temporary file beside the target and renames it over the target
only when the block finished without an error (``os.replace`` is atomic on the same file system).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from app.domain.errors import ValidationError


@contextmanager
def replacing(path: Path | str, mode: str = "wb", **open_args: Any) -> Iterator[IO[Any]]:
    """``with replacing(path, "w", encoding="utf-8") as out: …`` — ``path`` changes only on success."""
    target = Path(path)
    if not target.parent.is_dir():
        raise ValidationError(field=str(target), reason="folder_missing", folder=str(target.parent))
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, mode, **open_args) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_bytes(path: Path | str, data: bytes) -> None:
    with replacing(path, "wb") as out:
        out.write(data)


def write_text(path: Path | str, text: str, *, encoding: str = "utf-8", newline: str | None = None) -> None:
    with replacing(path, "w", encoding=encoding, newline=newline) as out:
        out.write(text)
