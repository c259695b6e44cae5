"""PyInstaller run-time hook of the bundle (build.spec), run in both programs before anything else.

1. One Python archive for both programs. Each executable carries only the few modules PyInstaller's own start
   needs (tools/bundle.py: BOOT_MODULES); everything else is in `_internal/rectidesk.pyz`, which this hook puts
   in place of the executable's archive for every import from here on.
2. pyHanko's network clients (the HTTP time-stamp client; the certificate, CRL and OCSP fetchers) stay out of
   the bundle with aiohttp and the rest they alone need: reports are signed and checked offline, without a
   time-stamp server and without fetching (core/reports/proof.py). pyHanko imports them at module level, so
   stand-ins answer those imports; using one says what is missing instead of failing somewhere deeper.

It acts only inside the bundle (sys.frozen); build.spec and tools/bundle.py import its names. The tests sign and
check a report with the network modules blocked and the stand-ins in place (tests/tools/test_bundle.py);
tools/check_bundle.sh proves both parts on the built bundle.
"""

# No `from __future__` here: until the shared archive is in place only built-in modules and base_library.zip's
# can be imported.
import os
import sys
import types

SHARED_PYZ = "rectidesk.pyz"
# module -> the names pyHanko imports from it (build.spec excludes these modules)
NETWORK_STAND_INS = {
    "pyhanko.sign.timestamps.aiohttp_client": ("HTTPTimeStamper", "AIOHttpTimeStamper"),
    "pyhanko_certvalidator.fetchers.aiohttp_fetchers": ("AIOHttpFetcherBackend",),
}


def _share_archive() -> None:
    import pyimod01_archive  # type: ignore[import-not-found]  # PyInstaller's loader, inside the bundle only
    import pyimod02_importers  # type: ignore[import-not-found]

    path = os.path.join(sys._MEIPASS, SHARED_PYZ)  # type: ignore[attr-defined]  # noqa: SLF001
    if not os.path.isfile(path):  # said here (PyInstaller shows it in a box), not as "No module named core"
        raise RuntimeError(f"程序文件不完整：缺少 {path}。请重新复制整个 RectiDesk 文件夹。")
    pyimod02_importers.pyz_archive = pyimod01_archive.ZlibArchiveReader(path, check_pymagic=True)
    pyimod02_importers._pyz_tree = None  # noqa: SLF001 - the prefix tree of the executable's archive
    # Finders made so far (for _MEIPASS and the packages imported during the start) read the executable's archive.
    for key, finder in list(sys.path_importer_cache.items()):
        if isinstance(finder, pyimod02_importers.PyiFrozenFinder):
            del sys.path_importer_cache[key]
    if "ctypes" not in sys.modules:  # the start found no ctypes in the executable's archive and skipped its hooks
        import pyimod03_ctypes  # type: ignore[import-not-found]

        pyimod03_ctypes.install()


class NotBundled:
    """What pyHanko gets for a network client: it cannot be made."""

    def __init__(self, *_args: object, **_kwargs: object) -> None:
        raise RuntimeError("本程序不联网：pyHanko 的网络时间戳与证书吊销查询未打包。")


def stand_ins_for_network_clients() -> None:
    for name, attrs in NETWORK_STAND_INS.items():
        module = types.ModuleType(name, "Stand-in: this network client is not in the bundle.")
        for attr in attrs:
            setattr(module, attr, type(attr, (NotBundled,), {}))
        module.__all__ = list(attrs)  # type: ignore[attr-defined]
        sys.modules.setdefault(name, module)


if getattr(sys, "frozen", False):
    _share_archive()
    stand_ins_for_network_clients()
