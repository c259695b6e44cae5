"""LibreOffice, headless, as the tools use it: find `soffice`, convert a file (to .xlsx, .xls, .ods or .pdf).

LibreOffice is not part of the program nor of CI: the tools that need it (make_office_sheets.py,
check_print_layout.py) say so and stop when it is missing, and the tests of it skip.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

# The filter names LibreOffice saves each format with (what "Save as" in Calc uses).
FILTERS = {
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
    "xls": "xls:MS Excel 97",
    "ods": "ods:calc8",
    "pdf": "pdf:calc_pdf_Export",
}


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def convert(source: Path, fmt: str, out_dir: Path, timeout: float = 180) -> Path:
    """`source` saved by LibreOffice as `fmt` into out_dir (same stem); a private profile, so a running
    LibreOffice of the user is neither used nor disturbed."""
    program = soffice()
    if program is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        result = subprocess.run(  # noqa: S603 - our own arguments, no shell
            [program, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
             "--convert-to", FILTERS[fmt], "--outdir", str(out_dir), str(source)],
            capture_output=True, text=True, timeout=timeout, check=False)
    out = out_dir / f"{source.stem}.{fmt}"
    if result.returncode != 0 or not out.exists():
        raise RuntimeError(f"LibreOffice could not convert {source.name} to {fmt}: {result.stderr.strip()}")
    return out
