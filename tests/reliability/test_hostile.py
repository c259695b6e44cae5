"""Hostile files: zip bombs, traversal, links, too many entries, GBK names, a huge evidence file, spreadsheets
formatted down a million rows or carrying a huge string table. Each is refused with a plain Chinese message,
or handled within a memory bound, and nothing changes. Peak memory of the full-size cases: bench/hostile_bench.py.
"""

from __future__ import annotations

import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from core.errors import InputRefused, PackageRejected
from core.exchange import bag
from core.exchange.importer import FeedbackImporter
from tests.reliability import hostile_kit as hk

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core" / "exchange"))
from exchkit import CITY_KEY, CITY_PUB, PASS, dump  # noqa: E402

MB = 2**20


@pytest.fixture
def unit_ws(workspace):  # noqa: ANN001, ANN201
    from core.exchange import keys

    with workspace.session() as s:
        keys.create_unit_key(s, "张三", PASS)
        keys.trust_city(s, "张三", CITY_PUB)
    return workspace


def refused(ws, path: Path) -> PackageRejected:  # noqa: ANN001
    """Import `path`: it must be refused, with a sentence for the clerk, and leave the data as it was."""
    before = dump(ws)
    with pytest.raises(PackageRejected) as exc:
        FeedbackImporter(ws).import_file(path)
    assert exc.value.message and exc.value.hint
    assert dump(ws) == before
    return exc.value


def peak_mb(fn) -> float:  # noqa: ANN001
    tracemalloc.start()
    try:
        fn()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak / MB


def test_zip_bomb_is_refused_from_its_declared_sizes(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    bomb = hk.zip_bomb(tmp_path / "bomb.zgb", 320 * MB)
    assert bomb.stat().st_size < 2 * MB
    err = refused(unit_ws, bomb)
    assert err.reason_code == "ratio" and "压缩炸弹" in err.message


def test_bomb_lying_about_its_size_stops_at_the_declared_size(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    """The directory claims 4 KB (ratio looks harmless); inflating stops at 4 KB, never 64 MB in memory."""
    bomb = hk.lying_bomb(tmp_path / "liar.zgb", real=64 * MB, claimed=4096)
    box: dict[str, PackageRejected] = {}

    def run() -> None:
        try:
            bag.read_package(bomb, expected_type="city-feedback", expected_unit="442000-017",
                             key_for=lambda *_: None)  # type: ignore[arg-type,return-value]
        except PackageRejected as exc:
            box["e"] = exc

    assert peak_mb(run) < 8
    assert box["e"].reason_code == "damaged_zip" and "实际大小与声明不符" in box["e"].message
    refused(unit_ws, bomb)


def test_nested_bomb_is_kept_as_an_opaque_file_never_opened(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    """A signed package whose notice carries a ZIP bomb: imported, the attachment stored as it is, never inflated."""
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(CITY_KEY.read_bytes(), password=None)
    pkg = hk.signed_nested_bomb(tmp_path / "nested.zgb", key, inner_size=64 * MB)
    box = {}
    assert peak_mb(lambda: box.setdefault("r", FeedbackImporter(unit_ws).import_file(pkg))) < 8
    assert box["r"].status == "accepted"
    stored = [p for p in unit_ws.paths.evidence.rglob("*") if p.is_file()]
    assert len(stored) == 1 and stored[0].stat().st_size < 2 * MB


@pytest.mark.parametrize("name", ["../../outside.txt", "/etc/cron.d/owned", "C:/Windows/owned.txt",
                                  "pkg\\..\\..\\owned.txt", "0f0e0d0c-0000-4000-8000-0000000000bb/data/../../x"])
def test_path_traversal_is_refused_and_nothing_is_written(unit_ws, tmp_path: Path, name: str) -> None:  # noqa: ANN001
    pkg = hk.traversal(tmp_path / "slip.zgb", name)
    err = refused(unit_ws, pkg)
    assert err.reason_code == "unsafe_name" and "不安全的文件名" in err.message
    assert not (tmp_path.parent / "outside.txt").exists()
    assert not list(unit_ws.paths.root.rglob("owned*"))


def test_symlink_entry_is_refused(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    err = refused(unit_ws, hk.symlink(tmp_path / "link.zgb"))
    assert err.reason_code == "link" and "链接文件" in err.message


def test_more_than_100000_entries_is_refused_before_reading_them(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    pkg = hk.many_entries(tmp_path / "many.zgb", 100_001)
    box: dict[str, PackageRejected] = {}

    def run() -> None:
        try:
            FeedbackImporter(unit_ws).import_file(pkg)
        except PackageRejected as exc:
            box["e"] = exc

    assert peak_mb(run) < 16
    assert box["e"].reason_code == "too_many_entries" and "100000" in box["e"].message


def test_gbk_entry_name_is_refused_clearly(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    err = refused(unit_ws, hk.gbk_name(tmp_path / "gbk.zgb"))
    assert err.reason_code == "unsafe_name" and "不是 UTF-8 编码" in err.message


def test_huge_evidence_file_is_streamed_with_flat_memory(workspace, tmp_path: Path) -> None:  # noqa: ANN001
    """A 256 MB scan (a sparse file) is stored by streaming: memory stays near one 1 MiB chunk."""
    from core.evidence.attach import attach_file
    from core.ledger.tasks import TaskInput, create_task

    big = hk.sparse_file(tmp_path / "扫描件.pdf", 256 * MB)
    with workspace.session() as s:
        task = create_task(s, "张三", TaskInput(title="档案室漏水", source="inspection", category="phased",
                                               owner="李四", deadline="2026-06-30"))
        holder: dict[str, str] = {}

        def run() -> None:
            holder["sha"] = attach_file(s, workspace.evidence, "张三", task.id, big).sha256

        assert peak_mb(run) < 8
    stored = workspace.evidence.path_for(holder["sha"])
    assert stored.stat().st_size == 256 * MB


# -- spreadsheets ---------------------------------------------------------------------------------------------

def test_million_formatted_empty_rows_stop_after_a_long_empty_run(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """calamine (small sheets) holds no cell for a styled empty one; openpyxl (large sheets, streamed) stops
    after a long empty run and says so."""
    from core.excel import readers
    from core.excel.importer import EMPTY_RUN_STOP, read_problem_list

    book = hk.empty_formatted_rows(tmp_path / "清单.xlsx", empty=20_000, problems=3)
    preview = read_problem_list(book)
    assert [r.row for r in preview.rows] == [2, 3, 4] and len(preview.importable) == 3
    monkeypatch.setattr(readers, "CALAMINE_SHEET_BYTES", 1000)
    preview = read_problem_list(book)
    assert [r.row for r in preview.rows] == [2, 3, 4] and len(preview.importable) == 3
    assert preview.notes and f"连续 {EMPTY_RUN_STOP} 行都是空行" in preview.notes[0]


def test_sheet_without_dimension_is_not_parsed_whole_at_open(tmp_path: Path) -> None:
    """Past the empty run the file is never read: a broken tail there does not even surface."""
    from core.excel.importer import read_problem_list

    book = hk.empty_formatted_rows(tmp_path / "清单.xlsx", empty=5_000, problems=2)
    src = zipfile.ZipFile(book)
    broken = tmp_path / "尾部损坏.xlsx"
    with zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.endswith("sheet1.xml"):
                body = body.replace(b"</sheetData></worksheet>", b"<row r=\"999999\"><c><<<")
            out.writestr(info.filename, body)
    src.close()
    preview = read_problem_list(broken)
    assert len(preview.importable) == 2 and preview.notes


def test_spreadsheet_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    from core.excel.importer import read_problem_list

    book = hk.shared_strings_bomb(tmp_path / "炸弹.xlsx", 64 * MB)
    assert book.stat().st_size < 2 * MB
    box: dict[str, InputRefused] = {}

    def run() -> None:
        with pytest.raises(InputRefused) as exc:
            read_problem_list(book)
        box["e"] = exc.value

    assert peak_mb(run) < 8
    assert "表格炸弹" in box["e"].message and box["e"].hint


def test_import_excel_command_says_where_it_stopped(cli, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from core.excel import readers

    monkeypatch.setattr(readers, "CALAMINE_SHEET_BYTES", 1000)  # the streamed reader, as for a large sheet
    book = hk.empty_formatted_rows(tmp_path / "清单.xlsx", empty=3_000, problems=2)
    code, _, _ = cli("init", "--unit-code", "442000-017", "--unit-name", "某镇", "--admin", "张三")
    assert code == 0
    code, out, err = cli("import-excel", str(book))
    assert code == 0, err
    assert "已导入 2 条" in out and "已停止读取" in out


# -- issue 15: before the signature, and signed but hostile ---------------------------------------------------

def test_a_bag_info_flood_from_an_intruder_is_refused_before_the_signature(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    pkg = hk.bag_info_flood(tmp_path / "info.zgb", 4 * MB)
    box: dict[str, PackageRejected] = {}
    assert peak_mb(lambda: box.setdefault("e", refused(unit_ws, pkg))) < 8
    assert box["e"].reason_code == "too_large" and "bag-info.txt" in box["e"].message


@pytest.mark.parametrize(("maker", "words"), [
    (lambda p, _k: hk.sequence_claim(p, hk.intruder_key(), "1000000000"), "序号"),
    (lambda p, k: hk.sequence_claim(p, k, "２"), "半角数字"),
    (lambda p, k: hk.deep_record(p, k, 10_000), "嵌套"),
    (lambda p, k: hk.long_number_record(p, k, 5_000), "5000 位"),
    (lambda p, k: hk.long_line_record(p, k, 8 * MB), "过长"),
])
def test_hostile_claims_are_refused_within_memory(unit_ws, tmp_path: Path, maker, words: str) -> None:  # noqa: ANN001
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(CITY_KEY.read_bytes(), password=None)
    pkg = maker(tmp_path / "h.zgb", key)
    box: dict[str, PackageRejected] = {}
    assert peak_mb(lambda: box.setdefault("e", refused(unit_ws, pkg))) < 16
    assert words in box["e"].message
