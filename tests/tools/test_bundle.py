"""The bundle's filter by file name, for the Windows layout as well as the Linux one; the version resource; the
run-time hook's stand-ins for pyHanko's network clients."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from core import APP_VERSION
from tests.conftest import ROOT
from tools.bundle import NETWORK_MODULES, boot_module, is_icu, keep, version_file_text, version_numbers

# Destinations as PyInstaller's PySide6 hook writes them on Windows (backslashes) and on Linux.
DROPPED = [
    "PySide6\\opengl32sw.dll", "PySide6\\d3dcompiler_47.dll", "PySide6\\Qt6Quick.dll", "PySide6\\Qt6Qml.dll",
    "PySide6\\Qt6QmlModels.dll", "PySide6\\Qt6VirtualKeyboard.dll", "PySide6\\Qt6Pdf.dll",
    "PySide6\\plugins\\platforminputcontexts\\qtvirtualkeyboardplugin.dll",
    "PySide6\\plugins\\imageformats\\qtiff.dll", "PySide6\\plugins\\imageformats\\qwebp.dll",
    "PySide6\\plugins\\imageformats\\qicns.dll", "PySide6\\plugins\\imageformats\\qtga.dll",
    "PySide6\\plugins\\imageformats\\qwbmp.dll", "PySide6\\plugins\\imageformats\\qpdf.dll",
    "PySide6\\plugins\\tls\\qschannelbackend.dll", "PySide6\\plugins\\networkinformation\\qnetworklistmanager.dll",
    "PySide6\\translations\\qtbase_de.qm",
    "PySide6/Qt/lib/libQt6Quick.so.6", "PySide6/Qt/plugins/imageformats/libqtiff.so",
    "PySide6/Qt/plugins/platforms/libqeglfs.so", "PySide6/Qt/plugins/platforms/libqwayland-egl.so",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so", "libgtk-3.so.0",
    # input devices, Qt Help, the TLS half of OpenSSL (libssl-3.dll on Windows), python-docx's unpacked
    # template, the translation's source
    "PySide6\\plugins\\generic\\qtuiotouchplugin.dll", "PySide6/Qt/plugins/generic/libqevdevmouseplugin.so",
    "PySide6\\translations\\qt_help_zh_CN.qm", "libssl-3.dll", "libssl.so.3",
    "docx\\templates\\default-docx-template\\word\\styles.xml", "docx/templates/default-docx-template/word/styles.xml",
    "resources\\i18n\\rectidesk_zh_CN.ts", "resources/i18n/rectidesk_zh_CN.ts",
    # Linux: CUPS and its GnuTLS chain (the system's copy serves the print plugin), what only pango/Kerberos linked
    "libcups.so.2", "libgnutls.so.30", "libgmp.so.10", "libp11-kit.so.0", "libunistring.so.2", "libidn2.so.0",
    "libnettle.so.8", "libhogweed.so.6", "libtasn1.so.6", "libavahi-client.so.3", "libharfbuzz.so.0",
    "libgobject-2.0.so.0",
]
KEPT = [
    "PySide6\\Qt6Core.dll", "PySide6\\Qt6Gui.dll", "PySide6\\Qt6Widgets.dll", "PySide6\\Qt6Network.dll",
    "PySide6\\Qt6Svg.dll", "PySide6\\Qt6Charts.dll", "PySide6\\Qt6OpenGL.dll", "PySide6\\Qt6OpenGLWidgets.dll",
    "PySide6\\plugins\\platforms\\qwindows.dll", "PySide6\\plugins\\platforms\\qoffscreen.dll",
    "PySide6\\plugins\\imageformats\\qjpeg.dll", "PySide6\\plugins\\imageformats\\qico.dll",
    "PySide6\\plugins\\imageformats\\qsvg.dll", "PySide6\\plugins\\imageformats\\qgif.dll",
    "PySide6\\plugins\\iconengines\\qsvgicon.dll", "PySide6\\plugins\\styles\\qmodernwindowsstyle.dll",
    "PySide6\\translations\\qtbase_zh_CN.qm", "PySide6\\QtNetwork.pyd", "python311.dll",
    "PySide6/Qt/lib/libQt6Network.so.6", "PySide6/Qt/lib/libQt6OpenGL.so.6",
    "PySide6/Qt/plugins/imageformats/libqjpeg.so", "PySide6/Qt/plugins/imageformats/libqico.so",
    "PySide6/Qt/plugins/platforms/libqxcb.so", "resources/icons/rectidesk.ico",
    # printing (Windows' spooler plugin; on Linux the CUPS plugin, with the system's libcups), hashlib's OpenSSL,
    # ctypes' libffi, Chinese input on Linux (IBus), the translation, python-docx's templates, the shared archive
    "PySide6\\plugins\\printsupport\\windowsprintersupport.dll",
    "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", "libcrypto-3.dll", "libcrypto.so.3",
    "libffi-8.dll", "libffi.so.8", "libdbus-1.so.3", "libglib-2.0.so.0", "libfreetype.so.6",
    "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
    "resources\\i18n\\rectidesk_zh_CN.qm", "resources/i18n/rectidesk_zh_CN.qm", "docx\\templates\\default.docx",
    "docx/templates/default-styles.xml", "docx\\parts\\hdrftr.py", "docx/parts/hdrftr.py", "rectidesk.pyz",
]


@pytest.mark.parametrize("dest", DROPPED)
def test_what_serves_nothing_is_left_out(dest: str) -> None:
    assert not keep(dest)


@pytest.mark.parametrize("dest", KEPT)
def test_what_the_program_needs_stays(dest: str) -> None:
    assert keep(dest)


def test_icu_is_recognised_for_the_measure_without_it() -> None:
    assert is_icu("PySide6/Qt/lib/libicudata.so.73") and is_icu("libicuuc.so.73")
    assert not is_icu("PySide6/Qt/lib/libQt6Core.so.6")


def test_the_version_resource_carries_app_version() -> None:
    assert version_numbers("0.1.0") == (0, 1, 0, 0) and version_numbers("1.2.3.4") == (1, 2, 3, 4)
    text = version_file_text(APP_VERSION, "RectiDesk")
    assert f"filevers={version_numbers(APP_VERSION)}" in text
    assert f"StringStruct('ProductVersion', '{APP_VERSION}')" in text
    assert "StringStruct('OriginalFilename', 'RectiDesk.exe')" in text


def test_the_version_file_is_what_pyinstaller_reads() -> None:
    """PyInstaller evaluates the file with its versioninfo names (its parser needs pefile, a Windows-only need)."""
    import types

    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct", "VarFileInfo",
             "VarStruct")
    seen: dict[str, object] = {}

    def record(name: str):  # noqa: ANN202
        return lambda *a, **k: seen.setdefault(name, (a, k)) and types.SimpleNamespace(name=name, args=a, kw=k)

    eval(version_file_text("2.3.4", "rectidesk-cli"), {n: record(n) for n in names})  # noqa: S307
    assert set(seen) == set(names)
    assert seen["FixedFileInfo"][1]["filevers"] == (2, 3, 4, 0)


def test_the_executables_carry_only_what_pyinstallers_start_imports() -> None:
    assert boot_module("ctypes") and boot_module("ctypes.util") and boot_module("struct")
    assert not any(boot_module(m) for m in ("core.cli", "ui.app", "PySide6.QtCore", "structlog", "ctypesgen"))


def test_pyhanko_signs_and_checks_a_report_without_its_network_clients() -> None:
    """What the bundle holds: the network modules missing, the run-time hook's stand-ins in their place."""
    script = textwrap.dedent(f"""
        import base64, io, sys

        BLOCKED = {tuple(NETWORK_MODULES)!r}

        class NotInTheBundle:
            def find_spec(self, name, path=None, target=None):
                if any(name == m or name.startswith(m + ".") for m in BLOCKED):
                    raise ModuleNotFoundError(f"not in the bundle: {{name}}", name=name)

        sys.meta_path.insert(0, NotInTheBundle())
        from tools.pyi_rth_rectidesk import stand_ins_for_network_clients

        stand_ins_for_network_clients()
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
        from reportlab.pdfgen.canvas import Canvas

        from core.reports.proof import UnitSigner, sign_pdf, signature_status

        out = io.BytesIO()
        page = Canvas(out)
        page.drawString(72, 720, "RectiDesk")
        page.save()
        key = Ed25519PrivateKey.generate()
        signed = sign_pdf(out.getvalue(), UnitSigner("0a1b2c3d", key, "442000-017", "某某镇"), reason="bundle")
        raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        print(signature_status(signed, {{base64.b64encode(raw).decode("ascii")}}))
        from pyhanko.sign.timestamps import HTTPTimeStamper
        try:
            HTTPTimeStamper("http://tsa.example")
        except RuntimeError as exc:
            print(exc)
        print(sorted(m for m in sys.modules if m.split(".")[0] in {{"aiohttp", "requests", "certifi", "ssl"}}))
    """)
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
                         timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    status, stand_in, loaded = run.stdout.strip().splitlines()
    assert status.startswith("数字签名完好") and "签名覆盖整个文件" in status
    assert "未打包" in stand_in
    assert loaded == "[]"
