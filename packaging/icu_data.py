"""Trim the ICU data library Qt brings on Linux (``libicudata.so.NN``, 32 MB) to what Qt reads.

On Linux, Qt Core links ICU and ICU links its data library: one read-only symbol
``icudtNN_dat`` holding every locale's collation, time-zone names, currencies, units,
languages, transliterators, dictionaries and 200 legacy code pages. Qt calls ICU for
four things only (``nm -D --undefined-only libQt6Core.so.6 | grep _NN``):

- case mapping (``u_strToUpper``/``u_strToLower``; the tables are in libicuuc itself),
- time-zone display names and canonical ids (``ucal_*``: the ``zone`` tree, zoneinfo64, metaZones),
- collation (``ucol_*``: the ``coll`` tree and ucadata),
- code-page conversion for ``QStringConverter`` (``ucnv_*``: cnvalias and the ``.cnv`` tables).

BranchDesk speaks Chinese and English, so the library is rebuilt with the locale data of
``root``, ``zh*`` and ``en*`` in those trees, the supplemental tables, and the Chinese,
Windows and ISO code pages; the other trees (break-iterator dictionaries, transliteration,
currencies, units, languages, regions, spell-out rules) are left out. That is what ICU's own
data build tool does with a filter file; ICU documents the format of the data package
("common data": a header, a table of contents sorted by name, 16-byte-aligned items), which
is all this module reads and writes. The new library is assembled and linked with binutils
(``as``, ``ld``), which PyInstaller needs on Linux anyway. Windows is untouched: Qt uses the
ICU that ships with Windows there.

The bundle's ``--self-test`` checks that Chinese collation (pinyin order) and the GB18030
code page still work from the trimmed data.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from elf import symbol_bytes

#: Trees read by none of the ICU functions Qt calls.
DROPPED_TREES = frozenset({"brkitr", "translit", "rbnf", "curr", "lang", "region", "unit"})
#: Languages whose locale data is kept in the trees Qt reads (plus root).
KEPT_LANGUAGES = ("zh", "en")
#: Code pages kept: Chinese (GB18030, GBK, GB2312, Big5, Big5-HKSCS), Windows (1250–1258, 874),
#: ISO 8859 (-2 … -15; -1 is built in) and the two DOS pages still met in old files (437, 850).
KEPT_CONVERTERS = re.compile(
    r"(gb18030|windows-(936|950|874)-2000|iso-8859_"
    r"|ibm-(1383|1386|1373|5471|1375"        # GB2312 (EUC-CN), GBK, Big5, HKSCS 2004 / 2008
    r"|5346|5347|5348|5349|5350|5351|5352|5353|5354"  # windows-1250 … 1258
    r"|912|913|914|915|1089|9005|5012|920|921|923"    # ISO 8859-2, 3, 4, 5, 6, 7, 8, 9, 13, 15
    r"|437|850)_)")
#: Top-level items nothing in Qt reaches: character names, spoof checks, IDNA2003 profiles.
DROPPED_SUFFIXES = (".spp", ".cfu")
DROPPED_NAMES = frozenset({"unames.icu"})
_LOCALE = re.compile(r"^([a-z]{2,3})(_[A-Za-z0-9]+)*\.res$")
_ALIGN = 16


def keep_item(name: str) -> bool:
    """Whether the package item ``name`` (``coll/zh.res``, ``gb18030.cnv``...) stays."""
    tree, _, leaf = name.rpartition("/")
    if tree.split("/")[0] in DROPPED_TREES:
        return False
    if leaf.endswith(".cnv"):
        return KEPT_CONVERTERS.match(leaf) is not None
    if leaf in DROPPED_NAMES or leaf.endswith(DROPPED_SUFFIXES):
        return False
    if leaf in ("root.res", "pool.res", "res_index.res"):
        return True
    locale = _LOCALE.match(leaf)
    return locale is None or locale.group(1) in KEPT_LANGUAGES


# -- the data package ("common data", format CmnD) ---------------------------------------

@dataclass
class Package:
    """A parsed ICU common-data package: its header bytes and its items by name."""

    prefix: str                # "icudt73l/": the package name every item name starts with
    header: bytes              # MappedData + UDataInfo (+ copyright), copied unchanged
    items: dict[str, bytes]    # item name without the prefix -> item bytes

    @classmethod
    def parse(cls, data: bytes) -> Package:
        header_size, magic1, magic2 = struct.unpack_from("<HBB", data, 0)
        if (magic1, magic2) != (0xDA, 0x27) or data[12:16] != b"CmnD":
            raise ValueError("not an ICU common-data package")
        count = struct.unpack_from("<I", data, header_size)[0]
        entries = [struct.unpack_from("<II", data, header_size + 4 + 8 * i) for i in range(count)]
        starts = sorted(header_size + offset for _, offset in entries) + [len(data)]
        ends = dict(zip(starts, starts[1:], strict=False))
        items: dict[str, bytes] = {}
        prefix = ""
        for name_offset, data_offset in entries:
            at = header_size + name_offset
            name = data[at:data.index(b"\0", at)].decode("ascii")
            prefix, _, short = name.partition("/")
            start = header_size + data_offset
            items[short] = data[start:ends[start]]
        return cls(prefix=prefix + "/", header=data[:header_size], items=items)

    def to_bytes(self) -> bytes:
        """The package again, items sorted by name (ICU looks them up by binary search)."""
        names = sorted(self.items)
        toc_size = 4 + 8 * len(names)
        name_blob = bytearray()
        name_offsets = []
        for name in names:
            name_offsets.append(toc_size + len(name_blob))
            name_blob += (self.prefix + name).encode("ascii") + b"\0"
        body_start = _aligned(len(self.header) + toc_size + len(name_blob)) - len(self.header)
        body = bytearray()
        data_offsets = []
        for name in names:
            data_offsets.append(body_start + len(body))
            body += self.items[name]
            body += b"\0" * (_aligned(len(body)) - len(body))
        toc = struct.pack("<I", len(names)) + b"".join(
            struct.pack("<II", n, d) for n, d in zip(name_offsets, data_offsets, strict=True))
        padding = b"\0" * (body_start - toc_size - len(name_blob))
        return self.header + toc + bytes(name_blob) + padding + bytes(body)

    def trimmed(self) -> Package:
        return Package(self.prefix, self.header, {n: b for n, b in self.items.items() if keep_item(n)})


def _aligned(size: int) -> int:
    return (size + _ALIGN - 1) // _ALIGN * _ALIGN


# -- the shared library ----------------------------------------------------------------

def link_data_library(package: bytes, symbol: str, soname: str, out: Path) -> None:
    """A shared library exporting ``package`` as the read-only, 16-byte-aligned ``symbol``."""
    for tool in ("as", "ld"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"{tool} (binutils) is needed to trim the ICU data")
    source = (f'.section .rodata\n.balign 16\n.globl {symbol}\n.type {symbol}, @object\n'
              f'.size {symbol}, {len(package)}\n{symbol}:\n.incbin "data.bin"\n'
              '.section .note.GNU-stack,"",@progbits\n')
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        (work / "data.bin").write_bytes(package)
        (work / "data.s").write_text(source, encoding="ascii")
        subprocess.run(["as", "-o", "data.o", "data.s"], cwd=work, check=True)
        subprocess.run(["ld", "-shared", "-soname", soname, "-o", str(out), "data.o"], cwd=work, check=True)


def trim_library(path: Path) -> tuple[int, int]:
    """Replace ``libicudataNN.so.NN`` at ``path`` by a trimmed one; returns (old, new) sizes."""
    match = re.fullmatch(r"libicudata\.so\.(\d+)", path.name)
    if match is None:
        raise ValueError(f"{path.name} is not an ICU data library")
    symbol = f"icudt{match.group(1)}_dat"
    original = path.read_bytes()
    package = Package.parse(symbol_bytes(original, symbol)).trimmed()
    replacement = path.with_name(path.name + ".trimmed")
    link_data_library(package.to_bytes(), symbol, path.name, replacement)
    replacement.replace(path)
    return len(original), path.stat().st_size
