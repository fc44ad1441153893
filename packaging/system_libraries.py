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

After those are removed, a library at the top of the bundle that no remaining binary needs
(``DT_NEEDED``) is removed too, repeatedly: that takes away GnuTLS under libcups, libsndfile
under libpulse, and so on, without listing each distribution's dependency chains here.
The README lists what the workstation must have installed.
"""

from __future__ import annotations

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

#: Top-level libraries kept even though no binary names them: the bootloader loads libpython.
_LOADED_BY_NAME = ("libpython",)

Entry = tuple[str, str, str]  # PyInstaller TOC entry: (destination, source, typecode)


def _top_level_library(entry: Entry) -> bool:
    dest, _source, typecode = entry
    return typecode == "BINARY" and PurePath(dest).parent == PurePath(".") and ".so" in dest


def leave_to_the_system(binaries: list[Entry]) -> list[Entry]:
    """``binaries`` without the system's libraries and what only they needed."""
    kept = [entry for entry in binaries if not (_top_level_library(entry) and entry[0] in PROVIDED_BY_THE_SYSTEM)]
    needs = {entry[0]: _needed(entry[1]) for entry in kept}
    while True:
        wanted = {name for dest, names in needs.items() for name in names}
        orphans = {entry[0] for entry in kept
                   if _top_level_library(entry) and entry[0] not in wanted
                   and not entry[0].startswith(_LOADED_BY_NAME)}
        if not orphans:
            return kept
        kept = [entry for entry in kept if entry[0] not in orphans]
        for name in orphans:
            needs.pop(name, None)


def _needed(source: str) -> frozenset[str]:
    try:
        return frozenset(needed_libraries(Path(source).read_bytes()))
    except (OSError, NotElf):
        return frozenset()


def dangling_links(datas: list[Entry], binaries: list[Entry]) -> set[str]:
    """Destinations of symbolic links whose target is no longer collected. (PyInstaller lists
    its links with the data files, the target as a path inside the bundle.)"""
    present = {PurePath(dest).as_posix() for dest, _source, _typecode in binaries + datas}
    return {dest for dest, target, typecode in datas
            if typecode == "SYMLINK" and PurePath(target).as_posix() not in present}
