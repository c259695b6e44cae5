"""What build.spec leaves out of the bundle (by destination name, for the Linux and the Windows layout alike),
and the version resource of the Windows programs.

PyInstaller's PySide6 hook collects Qt's libraries and plugins by what the imported modules might need; much of
it serves nothing here. The names below match both `libQt6Quick.so.6` / `plugins/imageformats/libqtiff.so`
(Linux) and `Qt6Quick.dll` / `plugins/imageformats/qtiff.dll` (Windows). tests/tools/test_bundle.py
checks both layouts, including what must stay: QtNetwork (the second start hands its files over a local
socket), QtOpenGL and QtOpenGLWidgets (QtCharts links them), the platform plugins, and the JPEG, ICO, SVG and
GIF image formats (PNG is built into QtGui).
"""

from __future__ import annotations

from pathlib import Path

from tools.pyi_rth_rectidesk import NETWORK_STAND_INS, SHARED_PYZ

__all__ = ["NETWORK_MODULES", "SHARED_PYZ", "boot_module", "is_icu", "keep", "write_version_file"]

# Reports are signed and checked offline (core/reports/proof.py: no time-stamp server, no certificate, CRL or
# OCSP fetching), so build.spec leaves out pyHanko's network clients and the libraries only they import; the
# run-time hook's stand-ins answer pyHanko's module-level imports of the first two. TLS goes too: nothing here
# connects anywhere (asyncio and http.client import ssl only when it is there).
NETWORK_MODULES = (
    *NETWORK_STAND_INS, "pyhanko.sign.timestamps.requests_client", "pyhanko.sign.signers.csc_signer",
    "pyhanko_certvalidator.fetchers.requests_fetchers", "pyhanko.sign.validation.qualified.eutl_fetch",
    "aiohttp", "aiohappyeyeballs", "aiosignal", "frozenlist", "multidict", "yarl", "propcache", "attr", "attrs",
    "requests", "urllib3", "idna", "certifi", "ssl", "_ssl",
)

# Qt pieces that ride in through plugins but serve nothing here: the virtual keyboard (which drags in QML and
# Quick), Wayland/EGLFS/VNC platforms, TLS and network information (no network use: only a local socket),
# the PDF module, image formats nobody feeds the program, software OpenGL and the Direct3D shader compiler
# (the widgets paint without either), and Qt's translations other than Chinese.
DROP = (
    "virtualkeyboard", "VirtualKeyboard", "Qt6Quick", "Qt6Qml", "wayland", "Wayland", "eglfs", "EglFs", "EGLFS",
    "EglFS", "qvnc", "qlinuxfb", "qvkkhrdisplay", "qminimalegl", "egldeviceintegrations", "Qt6Pdf",
    "networkinformation", "/tls/", "qgtk3", "qxdgdesktopportal", "WlShell",
    "imageformats/libqtiff", "imageformats/qtiff", "imageformats/libqwebp", "imageformats/qwebp",
    "imageformats/libqicns", "imageformats/qicns", "imageformats/libqtga", "imageformats/qtga",
    "imageformats/libqwbmp", "imageformats/qwbmp", "imageformats/libqpdf", "imageformats/qpdf",
    "opengl32sw", "d3dcompiler_",
    # evdev/tslib/TUIO input (plugins/generic): loaded only when QT_QPA_GENERIC_PLUGINS names one
    "plugins/generic/", "qt_help_",
    # python-docx's template unpacked (its source): python-docx reads only templates/default*.{docx,xml}
    "docx/templates/default-docx-template/",
    # the translation's source: the program loads the compiled .qm
    "resources/i18n/rectidesk_zh_CN.ts",
)

# System libraries that only the GTK platform theme needed (collected on Linux before the filter runs; the last
# line: what pango and Kerberos alone linked, which nothing left in the bundle loads).
GTK_ONLY = ("libpango", "libcairo", "libgdk", "libgtk", "libatk", "libepoxy", "libthai", "libdatrie",
            "libfribidi", "libgraphite2", "libpixman", "libXcomposite", "libXcursor", "libXdamage", "libXi.",
            "libXinerama", "libXrandr", "libwayland", "libatspi", "libcloudproviders", "libtinysparql",
            "libtracker", "libjpeg", "libpng16", "libtiff", "libwebp", "libdeflate", "libjbig", "libLerc",
            "libgio", "libgmodule", "libmount", "libselinux", "libblkid", "libsystemd", "libkrb5", "libgssapi",
            "libk5crypto", "libkrb5support", "libgcrypt", "liblz4", "libgpg-error", "libcap.",
            "libharfbuzz", "libgobject", "libcom_err", "libkeyutils")

# CUPS and what only it links (GnuTLS and its crypto, IDN, Avahi), pulled in by Qt's Linux print plugin
# (plugins/printsupport/libcupsprintersupport.so): the system's own copy is used, as for Kerberos above (a Linux
# desktop that prints has it; without it Qt lists no printers and printing to PDF still works). Windows prints
# through its own spooler: none of these exist there.
CUPS_ONLY = ("libcups.", "libgnutls", "libp11-kit", "libunistring", "libidn2", "libnettle", "libhogweed",
             "libgmp.", "libtasn1", "libavahi")

# OpenSSL's TLS half (libssl.so.3, libssl-3.dll): build.spec leaves out Python's ssl, its only user (nothing here
# connects anywhere); libcrypto stays for hashlib.
TLS_ONLY = ("libssl",)

# ICU (Qt's Unicode and locale data on Linux: ~40 MB) — Windows' Qt uses the system's ICU instead.
ICU = ("libicudata", "libicuuc", "libicui18n")


def keep(dest: str) -> bool:
    """True when the file at bundle path `dest` (either separator) stays in the bundle."""
    dest = dest.replace("\\", "/")
    if any(d in dest for d in DROP):
        return False
    if "/" not in dest and dest.startswith(GTK_ONLY + CUPS_ONLY + TLS_ONLY):
        return False
    if "/translations/" in dest and dest.endswith(".qm"):
        return "zh_CN" in dest
    return True


# What PyInstaller's start imports from an executable's own archive before the run-time hook puts the shared one
# in its place (PyInstaller/loader: pyimod01_archive needs struct, pyimod03_ctypes ctypes).
BOOT_MODULES = ("ctypes", "struct")


def boot_module(name: str) -> bool:
    """True for a module the executables carry themselves; all others are in the shared archive only."""
    return name.split(".", 1)[0] in BOOT_MODULES


def is_icu(dest: str) -> bool:
    return dest.replace("\\", "/").rsplit("/", 1)[-1].startswith(ICU)


def version_numbers(app_version: str) -> tuple[int, int, int, int]:
    """"0.1.0" -> (0, 1, 0, 0): the four numbers of a Windows file version."""
    parts = [int("".join(ch for ch in p if ch.isdigit()) or 0) for p in app_version.split(".")[:4]]
    return tuple((parts + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def version_file_text(app_version: str, exe_name: str) -> str:
    """The VSVersionInfo resource of `exe_name` (Explorer → 属性 → 详细信息), in the text form PyInstaller's
    `version=` file takes (it is evaluated with PyInstaller.utils.win32.versioninfo's names), from APP_VERSION."""
    nums = version_numbers(app_version)
    strings = (("CompanyName", "RectiDesk"), ("FileDescription", "整改通 RectiDesk"), ("FileVersion", app_version),
               ("InternalName", exe_name), ("OriginalFilename", f"{exe_name}.exe"),
               ("ProductName", "整改通 RectiDesk"), ("ProductVersion", app_version), ("LegalCopyright", "RectiDesk"))
    table = ",\n".join(f"          StringStruct({k!r}, {v!r})" for k, v in strings)
    return (f"VSVersionInfo(\n  ffi=FixedFileInfo(filevers={nums}, prodvers={nums}, mask=0x3f, flags=0x0, "
            f"OS=0x40004, fileType=0x1, subtype=0x0, date=(0, 0)),\n"
            f"  kids=[\n    StringFileInfo([\n      StringTable('080404B0', [\n{table}])]),\n"
            f"    VarFileInfo([VarStruct('Translation', [2052, 1200])])\n  ]\n)\n")


def write_version_file(folder: Path, app_version: str, exe_name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"version-{exe_name}.txt"
    path.write_text(version_file_text(app_version, exe_name), encoding="utf-8")
    return path
