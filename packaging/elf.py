"""Just enough of the ELF format (64-bit, little-endian: x86-64 and arm64 Linux) for the build.

packaging/icu_data.py reads one symbol's bytes out of a shared library, and
packaging/system_libraries.py reads which libraries a binary needs (``DT_NEEDED``), without
depending on a particular binutils' output format.
"""

from __future__ import annotations

import struct
from typing import NamedTuple

SHT_DYNAMIC = 6
SHT_DYNSYM = 11
DT_NEEDED = 1


class Section(NamedTuple):
    kind: int
    address: int
    offset: int
    size: int
    link: int
    entry_size: int


class NotElf(ValueError):
    pass


def sections(data: bytes) -> list[Section]:
    if data[:4] != b"\x7fELF" or len(data) < 64:
        raise NotElf("not an ELF file")
    if data[4] != 2 or data[5] != 1:
        raise NotElf("not a 64-bit little-endian ELF file")
    table, = struct.unpack_from("<Q", data, 0x28)
    entry, count = struct.unpack_from("<HH", data, 0x3A)
    found = []
    for i in range(count):
        _name, kind, _flags, address, offset, size, link, _info, _align, entry_size = struct.unpack_from(
            "<IIQQQQIIQQ", data, table + i * entry)
        found.append(Section(kind, address, offset, size, link, entry_size))
    return found


def _string(data: bytes, at: int) -> str:
    return data[at:data.index(b"\0", at)].decode("utf-8", "replace")


def needed_libraries(data: bytes) -> list[str]:
    """The ``DT_NEEDED`` names of a shared library or executable, in order."""
    table = sections(data)
    names = []
    for section in table:
        if section.kind != SHT_DYNAMIC:
            continue
        strings = table[section.link].offset
        for at in range(section.offset, section.offset + section.size, section.entry_size or 16):
            tag, value = struct.unpack_from("<qQ", data, at)
            if tag == DT_NEEDED:
                names.append(_string(data, strings + value))
    return names


def symbol_bytes(data: bytes, symbol: str) -> bytes:
    """The bytes of a defined dynamic symbol (a data object) of a shared library."""
    table = sections(data)
    for section in table:
        if section.kind != SHT_DYNSYM:
            continue
        strings = table[section.link].offset
        for at in range(section.offset, section.offset + section.size, section.entry_size or 24):
            name_at, _info, _other, index, value, size = struct.unpack_from("<IBBHQQ", data, at)
            if index and _string(data, strings + name_at) == symbol:
                home = table[index]
                start = value - home.address + home.offset
                return data[start:start + size]
    raise KeyError(f"symbol {symbol} not found")
