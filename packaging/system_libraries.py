"""Which of the build machine's shared libraries the Linux bundle leaves to the workstation.

PyInstaller copies every library the collected binaries need, down to the X11 client and
the C++ runtime. Two kinds are better taken from the workstation itself:

- the base of every desktop Linux: the C++ runtime, X11/xcb, fontconfig/freetype, GLib,
  zlib... (AppImage's curated "excludelist" of libraries expected on every target system,
  which must match the system's own graphics and font setup);
- the clients of system services whose daemon is the workstation's: CUPS (``libcups``, for
  printing, with its TLS and Kerberos stack) and PulseAudio/PipeWire (``libpulse``, for the
  calling display's sound, with its codecs and systemd). A copy from the build machine
  speaks whatever protocol version the build machine had.

After those are removed, a library at the top of the bundle that only removed libraries needed
(``DT_NEEDED``) is removed too, repeatedly: that takes away GnuTLS under libcups, libsndfile
under libpulse, and so on, without listing each distribution's dependency chains here.
The README lists what the workstation must have installed.
"""

from __future__ import annotations

import posixpath
from pathlib import Path, PurePath

from elf import NotElf, needed_libraries

#: Sonames expected on the workstation (AppImage excludelist, plus the service clients).
PROVIDED_BY_THE_SYSTEM = frozenset({
    # desktop base (AppImage excludelist)
    "libstdc++.so.6", "libgcc_s.so.1", "libz.so.1", "libexpat.so.1", "libuuid.so.1", "libcom_err.so.2",
    "libgpg-error.so.0", "libp11-kit.so.0", "libgmp.so.10", "libusb-1.0.so.0",
    "libX11.so.6", "libX11-xcb.so.1", "libxcb.so.1", "libICE.so.6", "libSM.so.6",
    "libfontconfig.so.1", "libfreetype.so.6", "libharfbuzz.so.0", "libfribidi.so.0", "libthai.so.0",
    "libglib-2.0.so.0", "libgobject-2.0.so.0", "libgio-2.0.so.0", "libgthread-2.0.so.0",
    "libasound.so.2", "libjack.so.0", "libdrm.so.2", "libgbm.so.1",
    "libGL.so.1", "libEGL.so.1", "libGLX.so.0", "libGLdispatch.so.0", "libOpenGL.so.0",
    # clients of the workstation's services
    "libcups.so.2", "libpulse.so.0", "libdbus-1.so.3", "libsystemd.so.0",
})

#: Never bundled by PyInstaller itself: the C library, and Wayland's client libraries (which must
#: match the compositor).
_C_LIBRARY = frozenset({"ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "libc.so.6", "libdl.so.2", "libm.so.6",
                        "libpthread.so.0", "libresolv.so.2", "librt.so.1", "libutil.so.1"})
_WAYLAND = frozenset({"libwayland-client.so.0", "libwayland-cursor.so.0", "libwayland-egl.so.1"})
#: Optional: speech-dispatcher's client, for spoken calls on Linux (without it the display chimes).
_OPTIONAL = frozenset({"libspeechd.so.2"})
#: Everything the bundle may rely on the workstation for (the README lists the packages).
EXPECTED_ON_THE_PC = PROVIDED_BY_THE_SYSTEM | _C_LIBRARY | _WAYLAND | _OPTIONAL

Entry = tuple[str, str, str]  # PyInstaller TOC entry: (destination, source, typecode)


def _top_level_library(entry: Entry) -> bool:
    dest, _source, typecode = entry
    return typecode == "BINARY" and PurePath(dest).parent == PurePath(".") and ".so" in dest


def leave_to_the_system(binaries: list[Entry], *, other_files: list[Entry] = ()) -> list[Entry]:
    """``binaries`` without the system's libraries and what only they needed.

    Only what the removal orphans goes: a top-level library that some binary needed before and
    none needs after. Libraries nothing names (the bootloader's libpython, a hook's library
    loaded with dlopen) stay, and so do those needed by ELF files PyInstaller lists among
    ``other_files`` (its data files)."""
    removed = {entry[0] for entry in binaries if _top_level_library(entry) and entry[0] in PROVIDED_BY_THE_SYSTEM}
    needs = {entry[0]: _needed(entry[1]) for entry in binaries}
    always = frozenset().union(*(_needed(source) for _dest, source, _kind in other_files if ".so" in source))

    def wanted(names: set[str]) -> set[str]:
        return set(always).union(*(needs[name] for name in names))

    before = wanted(set(needs))
    while True:
        kept = set(needs) - removed
        still_wanted = wanted(kept)
        orphans = {entry[0] for entry in binaries
                   if entry[0] in kept and _top_level_library(entry)
                   and entry[0] in before and entry[0] not in still_wanted}
        if not orphans:
            return [entry for entry in binaries if entry[0] in kept]
        removed |= orphans


def _needed(source: str) -> frozenset[str]:
    try:
        return frozenset(needed_libraries(Path(source).read_bytes()))
    except (OSError, NotElf):
        return frozenset()


def dangling_links(datas: list[Entry], binaries: list[Entry]) -> set[str]:
    """Destinations of symbolic links whose target is no longer collected. (PyInstaller lists its
    links with the data files, the target relative to the link's own folder.)"""
    present = {posixpath.normpath(PurePath(dest).as_posix()) for dest, _source, _typecode in binaries + datas}
    return {dest for dest, target, typecode in datas
            if typecode == "SYMLINK"
            and posixpath.normpath(posixpath.join(PurePath(dest).parent.as_posix(),
                                                  PurePath(target).as_posix())) not in present}


def unexpected_needs(app_dir: Path) -> dict[str, list[str]]:
    """Libraries that files of the built bundle need but that are neither in it nor expected on
    the workstation (name -> the files needing it): what a build host without them leaves out."""
    present = {path.name for path in app_dir.rglob("*")}
    missing: dict[str, list[str]] = {}
    for path in sorted(app_dir.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        with path.open("rb") as handle:
            if handle.read(4) != b"\x7fELF":
                continue
        for name in _needed(str(path)):
            if name not in present and name not in EXPECTED_ON_THE_PC:
                missing.setdefault(name, []).append(str(path.relative_to(app_dir)))
    return missing
