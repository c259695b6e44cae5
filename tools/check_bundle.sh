#!/usr/bin/env bash
# Builds the PyInstaller bundle and checks it as a user would: the window starts (--smoke, offscreen) the
# ordinary way, then the fast way (first page before SQLAlchemy) and through to the ready window; the
# console twin runs CLI commands on a demo data folder (its JSON is UTF-8 under a GBK console encoding), and a
# PDF report renders. Prints the size with and without Linux's ICU (Windows' Qt uses the system's) and fails
# above 180 MB without it (the issue-14 target of 140 MB is not met yet: see the comment at the end).
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
# the 操作指南 and the print preview's PDFium ride along (resources/guide, pypdfium2)
test -s "$(find "$dist" -path '*resources/guide/index.html' | head -1)"
test -n "$(find "$dist" -name 'libpdfium*' -o -name 'pdfium.dll' | head -1)"
total=$(du -sb "$dist" | cut -f1)
icu=$(find "$dist" -name 'libicu*' -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')
mb() { awk -v b="$1" 'BEGIN {printf "%.0f MB", b/1048576}'; }
echo "bundle ok: $(mb "$total") in $dist; $(mb $((total - icu))) without Linux's ICU ($(mb "$icu"))"
# Issue 14's target is 140 MB without ICU; the document libraries of this wave (pyHanko, python-docx with lxml,
# python-calamine, PDFium for the print preview) took it to 171 MB. Held at 180 MB so it does not grow unseen
# while the slimming is done (docs/performance.md).
test $((total - icu)) -le $((180 * 1048576)) || { echo "bundle above 180 MB without ICU"; exit 1; }
