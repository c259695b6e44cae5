"""The bundle's filter by file name, for the Windows layout as well as the Linux one; the version resource."""

from __future__ import annotations

import pytest

from core import APP_VERSION
from tools.bundle import is_icu, keep, version_file_text, version_numbers

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
