#!/usr/bin/env bash
# Builds the PyInstaller bundle and checks it as a user would: the window starts (--smoke, offscreen) the
# ordinary way, then the fast way (first page before SQLAlchemy) and through to the ready window; the
# console twin runs CLI commands on a demo data folder, and a PDF report renders. Prints the size.
set -euo pipefail
cd "$(dirname "$0")/.."
uv run --frozen pyinstaller build.spec --noconfirm --log-level WARN
dist="dist/RectiDesk"
data="$(mktemp -d)/data"
"$dist/rectidesk-cli" --data-dir "$data" demo
QT_QPA_PLATFORM=offscreen "$dist/RectiDesk" --data-dir "$data" --smoke        # ordinary: writes the cache
test -s "$data/cache/first-page.json"
QT_QPA_PLATFORM=offscreen "$dist/RectiDesk" --data-dir "$data" --smoke        # fast first paint
QT_QPA_PLATFORM=offscreen "$dist/RectiDesk" --data-dir "$data" --smoke ready  # fast, then the workspace
"$dist/rectidesk-cli" --data-dir "$data" ledger --json > "$data/../ledger.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d['tasks']) >= 50, len(d['tasks'])" "$data/../ledger.json"
"$dist/rectidesk-cli" --data-dir "$data" report "$data/../report.pdf"
test -s "$data/../report.pdf"
# the 操作指南 and the print preview's PDFium ride along (resources/guide, pypdfium2)
test -s "$(find "$dist" -path '*resources/guide/index.html' | head -1)"
test -n "$(find "$dist" -name 'libpdfium*' -o -name 'pdfium.dll' | head -1)"
echo "bundle ok: $(du -sh "$dist" | cut -f1) in $dist"
