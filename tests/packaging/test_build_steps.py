"""The build's own steps, without building the bundle: ICU data trimming, the libraries left to
the workstation, and the executable's choice of program by name.

Real files throughout: the ICU library from the installed PySide6 wheel, and small shared
libraries linked here with binutils (which PyInstaller needs on Linux anyway).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
sys.path.insert(0, str(PACKAGING))

import elf  # noqa: E402
import entry  # noqa: E402
import icu_data  # noqa: E402
from system_libraries import dangling_links, leave_to_the_system  # noqa: E402

linux_with_binutils = pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("as") is None or shutil.which("ld") is None,
    reason="Linux with binutils (as, ld) only")


def test_the_program_is_chosen_by_the_name_it_was_started_by() -> None:
    assert entry.started_as_admin("/opt/branchdesk/branchdesk-admin")
    assert entry.started_as_admin("/opt/branchdesk/BRANCHDESK-ADMIN.exe")
    assert not entry.started_as_admin("/opt/branchdesk/branchdesk")
    assert not entry.started_as_admin("branchdesk-administrator")


@pytest.mark.parametrize(("name", "kept"), [
    ("coll/zh.res", True), ("coll/zh_Hans_CN.res", True), ("coll/en_GB.res", True), ("coll/root.res", True),
    ("coll/ucadata.icu", True), ("coll/ko.res", False), ("coll/res_index.res", True),
    ("zone/zh_Hant.res", True), ("zone/fr.res", False), ("zone/tzdbNames.res", True),
    ("zh.res", True), ("de_CH.res", False), ("supplementalData.res", True), ("zoneinfo64.res", True),
    ("gb18030.cnv", True), ("windows-936-2000.cnv", True), ("ibm-5348_P100-1997.cnv", True),
    ("ibm-1390_P110-2003.cnv", False), ("euc-tw-2014.cnv", False), ("cnvalias.icu", True),
    ("brkitr/cjdict.dict", False), ("translit/root.res", False), ("curr/zh.res", False),
    ("unames.icu", False), ("rfc3491.spp", False), ("nfkc.nrm", True),
])
def test_which_icu_items_are_kept(name: str, kept: bool) -> None:
    assert icu_data.keep_item(name) is kept


def _qt_icu_library() -> Path:
    pyside = pytest.importorskip("PySide6")
    found = sorted((Path(pyside.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    if not found:
        pytest.skip("this PySide6 has no ICU data library (not Linux)")
    return found[0]


@linux_with_binutils
def test_an_icu_package_survives_parsing_and_writing() -> None:
    library = _qt_icu_library()
    symbol = f"icudt{library.name.rsplit('.', 1)[1]}_dat"
    package = icu_data.Package.parse(elf.symbol_bytes(library.read_bytes(), symbol))
    written = package.to_bytes()
    again = icu_data.Package.parse(written)
    # ICU finds items by binary search over the names, and reads them 16-byte aligned.
    header_size = len(package.header)
    count = int.from_bytes(written[header_size:header_size + 4], "little")
    entries = [(int.from_bytes(written[header_size + 4 + 8 * i:header_size + 8 + 8 * i], "little"),
                int.from_bytes(written[header_size + 8 + 8 * i:header_size + 12 + 8 * i], "little"))
               for i in range(count)]
    names = [written[header_size + n:written.index(b"\0", header_size + n)] for n, _ in entries]
    assert names == sorted(names) and len(names) == len(package.items)
    assert all((header_size + offset) % 16 == 0 for _, offset in entries)
    assert again.prefix == package.prefix and again.header == package.header
    assert again.items.keys() == package.items.keys()
    assert all(again.items[name].rstrip(b"\0") == data.rstrip(b"\0") for name, data in package.items.items())
    assert len(package.items) > 3000 and 200 < len(package.trimmed().items) < 500


_ICU_PROBE = textwrap.dedent("""
    from PySide6.QtCore import QCoreApplication, QLocale, QTimeZone
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from ui.self_test import SelfTestFailure, _locale_data_check
    china = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    zone = QTimeZone(b"Asia/Shanghai").displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, china)
    try:
        print(_locale_data_check(), "|", zone)
    except SelfTestFailure as failure:
        print("FAILED:", failure)
""")


def _probe(library: Path) -> str:
    """Run Qt with ``library`` standing in for its ICU data (same soname, preloaded)."""
    env = {**os.environ, "LD_PRELOAD": str(library), "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-c", _ICU_PROBE], env=env, capture_output=True, text=True, timeout=120,
                         cwd=PACKAGING.parent)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


@linux_with_binutils
def test_trimmed_icu_data_still_serves_chinese(tmp_path: Path) -> None:
    library = tmp_path / _qt_icu_library().name
    shutil.copy(_qt_icu_library(), library)
    before, after = icu_data.trim_library(library)
    assert after < before / 4
    assert elf.symbol_bytes(library.read_bytes(), f"icudt{library.name.rsplit('.', 1)[1]}_dat")[2:4] == b"\xda\x27"
    assert _probe(library) == "pinyin collation and GB18030 work | 中国标准时间"


@linux_with_binutils
def test_the_self_test_notices_icu_data_without_chinese_collation(tmp_path: Path) -> None:
    source = _qt_icu_library()
    symbol = f"icudt{source.name.rsplit('.', 1)[1]}_dat"
    package = icu_data.Package.parse(elf.symbol_bytes(source.read_bytes(), symbol)).trimmed()
    package.items = {name: data for name, data in package.items.items() if not name.startswith("coll/zh")}
    library = tmp_path / source.name
    icu_data.link_data_library(package.to_bytes(), symbol, source.name, library)
    assert _probe(library).startswith("FAILED: Chinese collation is missing")


def _link(directory: Path, name: str, needs: tuple[str, ...] = ()) -> Path:
    """A real, empty shared library ``name`` whose DT_NEEDED entries are ``needs``."""
    if not (directory / "empty.o").exists():
        (directory / "empty.s").write_text('.section .note.GNU-stack,"",@progbits\n')
        subprocess.run(["as", "-o", "empty.o", "empty.s"], cwd=directory, check=True)
    command = ["ld", "-shared", "-soname", name, "-o", name, "empty.o", "-L", "."]
    command += [f"-l:{need}" for need in needs]
    subprocess.run(command, cwd=directory, check=True)
    return directory / name


@linux_with_binutils
def test_system_libraries_and_what_only_they_need_are_left_out(tmp_path: Path) -> None:
    tls = _link(tmp_path, "libtlsx.so.30")
    cups = _link(tmp_path, "libcups.so.2", ("libtlsx.so.30",))
    plugin = _link(tmp_path, "libcupsprintersupport.so", ("libcups.so.2",))
    shared = _link(tmp_path, "libshared.so.1")
    core = _link(tmp_path, "libQt6Core.so.6", ("libshared.so.1", "libtlsx.so.30"))
    orphan = _link(tmp_path, "liborphan.so.1")
    python = _link(tmp_path, "libpython3.11.so.1.0")
    assert elf.needed_libraries(core.read_bytes()) == ["libshared.so.1", "libtlsx.so.30"]
    binaries = [
        ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", str(plugin), "BINARY"),
        ("libcups.so.2", str(cups), "BINARY"),
        ("libtlsx.so.30", str(tls), "BINARY"),
        ("PySide6/Qt/lib/libQt6Core.so.6", str(core), "BINARY"),
        ("libshared.so.1", str(shared), "BINARY"),
        ("liborphan.so.1", str(orphan), "BINARY"),
        ("libpython3.11.so.1.0", str(python), "BINARY"),
    ]
    kept = {dest for dest, _source, _kind in leave_to_the_system(binaries)}
    # libtlsx stays: Qt Core still needs it after libcups is gone. Libraries nothing named before
    # (the bootloader's libpython, a library a hook collected for dlopen) are not touched.
    assert kept == {"PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", "libtlsx.so.30",
                    "PySide6/Qt/lib/libQt6Core.so.6", "libshared.so.1", "liborphan.so.1", "libpython3.11.so.1.0"}
    without_core = [entry for entry in binaries if "Qt6Core" not in entry[0]]
    kept = {dest for dest, _source, _kind in leave_to_the_system(without_core)}
    assert kept == {"PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", "libshared.so.1", "liborphan.so.1",
                    "libpython3.11.so.1.0"}
    # An ELF file PyInstaller lists among the data files still holds on to what it needs.
    kept = {dest for dest, _source, _kind in leave_to_the_system(
        without_core, other_files=[("PySide6/Qt/libexec/helper.so", str(core), "DATA")])}
    assert "libtlsx.so.30" in kept


def test_links_to_libraries_left_out_are_dropped_too() -> None:
    binaries = [("PySide6/Qt/lib/libQt6Charts.so.6", "/x/libQt6Charts.so.6", "BINARY")]
    datas = [("libQt6Charts.so.6", "PySide6/Qt/lib/libQt6Charts.so.6", "SYMLINK"),
             ("PySide6/Qt/lib/libQt6Charts.so", "libQt6Charts.so.6", "SYMLINK"),  # relative to its own folder
             ("PySide6/Qt/plugins/libQt6Charts.so.6", "../lib/libQt6Charts.so.6", "SYMLINK"),
             ("libgone.so.1", "somewhere/libgone.so.1", "SYMLINK"),
             ("PySide6/Qt/lib/libgone.so", "libgone.so.1", "SYMLINK"),
             ("resources/fonts/x.ttc", "/src/x.ttc", "DATA")]
    assert dangling_links(datas, binaries) == {"libgone.so.1", "PySide6/Qt/lib/libgone.so"}


@linux_with_binutils
def test_a_library_the_build_host_lacked_is_named(tmp_path: Path) -> None:
    from system_libraries import unexpected_needs

    build_dir = tmp_path / "objects"
    build_dir.mkdir()
    _link(build_dir, "libxcb-icccm.so.4")
    _link(build_dir, "libcups.so.2")
    plugin = _link(build_dir, "libqxcb.so", ("libxcb-icccm.so.4", "libcups.so.2"))
    app = tmp_path / "branchdesk" / "_internal" / "PySide6"
    app.mkdir(parents=True)
    shutil.copy(plugin, app / plugin.name)
    assert unexpected_needs(tmp_path / "branchdesk") == {"libxcb-icccm.so.4": ["_internal/PySide6/libqxcb.so"]}
    shutil.copy(build_dir / "libxcb-icccm.so.4", app / "libxcb-icccm.so.4")
    assert unexpected_needs(tmp_path / "branchdesk") == {}
