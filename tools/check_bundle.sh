#!/usr/bin/env bash
# Builds the PyInstaller bundle and checks it as a user would: the window starts (--smoke, offscreen) the
# ordinary way, then the fast way (first page before SQLAlchemy) and through to the ready window; the
# console twin runs CLI commands on a demo data folder (its JSON is UTF-8 under a GBK console encoding); a PDF
# report renders, also signed with the unit's key and checked again (pyHanko without its network clients:
# tools/pyi_rth_rectidesk.py); a Word draft and an Excel ledger are written and read. Both programs read one
# shared Python archive. Prints the size with and without Linux's ICU (Windows' Qt uses the system's) and fails
# above 140 MB without it (issue 14).
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
"$dist/rectidesk-cli" --data-dir "$data" --user 李志强 task add --title "€ 𠀀 村务公开" --source 巡察 --category 立行立改 \
  --owner 李四 --deadline 2026-05-31 >/dev/null                       # characters GBK lacks
PYTHONIOENCODING=gbk "$dist/rectidesk-cli" --data-dir "$data" ledger --json > "$data/../ledger.json"
python3 -c "import json,sys; d=json.loads(open(sys.argv[1],'rb').read().decode('utf-8')); \
assert len(d['tasks']) >= 50, len(d['tasks']); assert any(t['title'] == '€ 𠀀 村务公开' for t in d['tasks'])" \
  "$data/../ledger.json"
"$dist/rectidesk-cli" --data-dir "$data" --user 李志强 report "$data/../report.pdf"
test -s "$data/../report.pdf"
# signed: the unit's key, the report signed with it (pyHanko), the signature checked intact
export RECTIDESK_PASSPHRASE="bundle-check-$$"
"$dist/rectidesk-cli" --data-dir "$data" --user 李志强 keys create >/dev/null
"$dist/rectidesk-cli" --data-dir "$data" --user 李志强 report "$data/../signed.pdf" | grep -q 已用本单位密钥签名
"$dist/rectidesk-cli" --data-dir "$data" verify-report "$data/../signed.pdf" --json > "$data/../verify.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1], encoding='utf-8')); \
assert d['matches'] and d['signed'] and d['signature'].startswith('数字签名完好'), d" "$data/../verify.json"
unset RECTIDESK_PASSPHRASE
# the Word draft (python-docx on lxml.etree) and the Excel ledger read back (openpyxl writes, calamine reads)
"$dist/rectidesk-cli" --data-dir "$data" --user 李志强 report "$data/../draft.docx" >/dev/null
python3 -c "import sys,zipfile; assert '整改' in zipfile.ZipFile(sys.argv[1]).read('word/document.xml').decode()" \
  "$data/../draft.docx"
"$dist/rectidesk-cli" --data-dir "$data" --user 李志强 export-excel "$data/../ledger.xlsx" >/dev/null
"$dist/rectidesk-cli" --data-dir "$data" --user 李志强 import-excel "$data/../ledger.xlsx" --dry-run | grep -q 共
# one Python archive for both programs: the executables carry only PyInstaller's start
test -s "$dist/_internal/rectidesk.pyz"
for exe in "$dist/RectiDesk" "$dist/rectidesk-cli"; do
  test "$(stat -c %s "$exe")" -lt $((1024 * 1024)) || { echo "$exe carries its own archive"; exit 1; }
done
# the 操作指南 and the print preview's PDFium ride along (resources/guide, pypdfium2)
test -s "$(find "$dist" -path '*resources/guide/index.html' | head -1)"
test -n "$(find "$dist" -name 'libpdfium*' -o -name 'pdfium.dll' | head -1)"
total=$(du -sb "$dist" | cut -f1)
icu=$(find "$dist" -name 'libicu*' -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')
mb() { awk -v b="$1" 'BEGIN {printf "%.0f MB", b/1048576}'; }
echo "bundle ok: $(mb "$total") in $dist; $(mb $((total - icu))) without Linux's ICU ($(mb "$icu"))"
test $((total - icu)) -le $((140 * 1048576)) || { echo "bundle above 140 MB without ICU"; exit 1; }
