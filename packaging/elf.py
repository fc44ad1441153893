"""Just enough of the ELF format (64-bit, little-endian: x86-64 and arm64 Linux) for the build.

packaging/icu_data.py reads one symbol's bytes out of a shared library, and
packaging/system_libraries.py reads which libraries a binary needs (``DT_NEEDED``), without
depending on a particular binutils' output format.
"""

from __future__ import annotations

import struct
from typing import NamedTuple

SHT_DYNSYM = 11
PT_LOAD = 1
PT_DYNAMIC = 2
DT_NULL = 0
DT_NEEDED = 1
DT_STRTAB = 5


class Section(NamedTuple):
    kind: int
    address: int
    offset: int
    size: int
    link: int
    entry_size: int


class NotElf(ValueError):
    pass


def _check(data: bytes) -> None:
    if data[:4] != b"\x7fELF" or len(data) < 64:
        raise NotElf("not an ELF file")
    if data[4] != 2 or data[5] != 1:
        raise NotElf("not a 64-bit little-endian ELF file")


def sections(data: bytes) -> list[Section]:
    _check(data)
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
    """The ``DT_NEEDED`` names of a shared library or executable, in order.

    Read through the program headers (the dynamic segment), as the dynamic loader does: section
    headers are optional and may have been stripped."""
    _check(data)
    table, = struct.unpack_from("<Q", data, 0x20)
    entry, count = struct.unpack_from("<HH", data, 0x36)
    loads, dynamic = [], None
    for i in range(count):
        kind, _flags, offset, address, _paddr, file_size, _mem_size, _align = struct.unpack_from(
            "<IIQQQQQQ", data, table + i * entry)
        if kind == PT_LOAD:
            loads.append((address, offset, file_size))
        elif kind == PT_DYNAMIC:
            dynamic = (offset, file_size)
    if dynamic is None:
        return []  # statically linked
    tags = []
    for at in range(dynamic[0], dynamic[0] + dynamic[1], 16):
        tag, value = struct.unpack_from("<qQ", data, at)
        if tag == DT_NULL:
            break
        tags.append((tag, value))
    strtab = next((value for tag, value in tags if tag == DT_STRTAB), None)
    if strtab is None:
        raise NotElf("a dynamic segment without a string table")
    strings = next((offset + strtab - address for address, offset, size in loads
                    if address <= strtab < address + size), None)
    if strings is None:
        raise NotElf("the dynamic string table lies outside every loaded segment")
    return [_string(data, strings + value) for tag, value in tags if tag == DT_NEEDED]


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
