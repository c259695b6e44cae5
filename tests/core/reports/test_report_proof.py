"""verify-report proves the paper: only the very file this unit printed (signed, registered) is vouched for."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

PASS = "report-passphrase"
TODAY = "2026-04-15"


@pytest.fixture
def signed(cli, monkeypatch, tmp_path: Path) -> Path:  # noqa: ANN001
    """A unit with a signing key, one task and its signed 整改报告."""
    monkeypatch.setenv("RECTIDESK_PASSPHRASE", PASS)
    assert cli("init", "--unit-code", "442000-017", "--unit-name", "中山市某某镇人民政府", "--admin", "张三")[0] == 0
    add = ["task", "add", "--title", "公务用车登记不规范", "--source", "巡察", "--category", "立行立改",
           "--owner", "李娜", "--deadline", "2026-05-31"]
    assert cli("--today", TODAY, *add)[0] == 0
    out = tmp_path / "报告.pdf"
    code, said, err = cli("--today", TODAY, "report", str(out))
    assert code == 0, err
    assert "已用本单位密钥签名并登记" in said
    return out


def test_the_printed_report_carries_a_pdf_signature_any_reader_sees(signed: Path) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    with open(signed, "rb") as fh:
        sigs = PdfFileReader(fh).embedded_signatures
        assert len(sigs) == 1
        status = validate_pdf_signature(sigs[0], ValidationContext(trust_roots=[sigs[0].signer_cert]))
        assert status.intact and status.valid
        assert status.coverage.name == "ENTIRE_FILE"
        assert sigs[0].signer_cert.subject.native["organization_name"] == "中山市某某镇人民政府"
        assert status.md_algorithm == "sha512"
    # the stamp (QR and metadata) is still there
    assert "RECTIDESK-REPORT/1" in str(PdfReader(signed).metadata["/Keywords"])


def test_the_genuine_file_is_vouched_for(cli, signed: Path) -> None:  # noqa: ANN001
    code, said, _ = cli("verify-report", str(signed))
    assert code == 0
    assert "原件" in said and "数字签名完好" in said and "一致" in said and "不一致" not in said
    code, said, _ = cli("verify-report", str(signed), "--json")
    info = json.loads(said)
    assert info["genuine"] and info["signed"] and info["matches"] and info["kind"] == "summary"


def _refused(cli, path: Path) -> str:  # noqa: ANN001
    code, said, err = cli("verify-report", str(path))
    assert code == 3, (said, err)
    assert "一致" not in said
    return err


def test_one_byte_changed_is_refused(cli, signed: Path, tmp_path: Path) -> None:  # noqa: ANN001
    data = bytearray(signed.read_bytes())
    at = data.index(b"stream") + 200  # inside the first page's content
    data[at] ^= 0x01
    changed = tmp_path / "改一个字节.pdf"
    changed.write_bytes(bytes(data))
    err = _refused(cli, changed)
    assert "不是本单位生成的报告原件" in err and "一个字节" in err


def test_an_edit_saved_by_a_pdf_editor_is_refused(cli, signed: Path, tmp_path: Path) -> None:  # noqa: ANN001
    """A PDF editor saves by appending an incremental update: the original bytes stay, more follow."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    with open(signed, "rb") as fh:
        w = IncrementalPdfFileWriter(fh)
        w.root["/Lang"] = generic.pdf_string("zh-CN")
        w.update_root()
        out = io.BytesIO()
        w.write(out)
    edited = tmp_path / "编辑后.pdf"
    edited.write_bytes(out.getvalue())
    assert edited.read_bytes().startswith(signed.read_bytes())
    err = _refused(cli, edited)
    assert "修改并保存过" in err
    appended = tmp_path / "追加.pdf"
    appended.write_bytes(signed.read_bytes() + b"\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    assert "修改并保存过" in _refused(cli, appended)


def test_a_pdf_made_elsewhere_with_a_copy_of_the_metadata_is_refused(cli, signed: Path, tmp_path: Path) -> None:  # noqa: ANN001
    from reportlab.pdfgen.canvas import Canvas

    meta = PdfReader(signed).metadata
    fake = tmp_path / "仿制.pdf"
    c = Canvas(str(fake))
    c.setTitle(str(meta["/Title"]))
    c.setAuthor(str(meta["/Author"]))
    c.setSubject(str(meta["/Subject"]))
    c.setKeywords(str(meta["/Keywords"]))
    c.setCreator(str(meta["/Creator"]))
    c.drawString(100, 700, "fake")
    c.save()
    err = _refused(cli, fake)
    assert "不是本单位生成的报告原件" in err


def test_a_truncated_file_is_damaged_not_foreign(cli, signed: Path, tmp_path: Path) -> None:  # noqa: ANN001
    data = signed.read_bytes()
    cut = tmp_path / "不完整.pdf"
    cut.write_bytes(data[: len(data) // 2])
    err = _refused(cli, cut)
    assert "已损坏" in err and "不是本软件" not in err
    # cut exactly where the signature begins: the unsigned body, complete as a PDF, but not the report
    first_eof = data.index(b"%%EOF") + len(b"%%EOF\n")
    body = tmp_path / "去掉签名.pdf"
    body.write_bytes(data[:first_eof])
    err = _refused(cli, body)
    assert "已损坏" in err and "签名缺失" in err


def test_a_unit_without_a_key_prints_unsigned_but_registered(cli, workspace, tmp_path: Path) -> None:  # noqa: ANN001
    workspace.close()
    out = tmp_path / "台账.pdf"
    code, said, _ = cli("--today", TODAY, "report", str(out), "--kind", "ledger")
    assert code == 0 and "未加数字签名" in said
    code, said, _ = cli("verify-report", str(out))
    assert code == 0 and "原件" in said and "数字签名" not in said


def test_printed_reports_travel_to_the_city_as_report_print_records(cli, signed: Path, tmp_path: Path) -> None:  # noqa: ANN001
    import hashlib

    from core.exchange import bag

    stick = tmp_path / "stick"
    stick.mkdir()
    code, _, err = cli("--today", TODAY, "export", str(stick))
    assert code == 0, err
    package = next(stick.glob("*.zgb"))
    pkg = bag.read_package(package, expected_type="unit-report", expected_unit="442000-017",
                           key_for=lambda *_a: _unit_public(cli, tmp_path))
    assert [t for _l, t in pkg.unknown] == ["report_print"]  # a reader of zgb/1 skips the new type (spec §5)
    with zipfile.ZipFile(package) as z:
        name = next(n for n in z.namelist() if n.endswith("data/records.jsonl"))
        lines = [json.loads(x) for x in z.read(name).decode("utf-8").splitlines() if x.strip()]
    prints = [r for r in lines if r["type"] == "report_print"]
    assert len(prints) == 1
    rec = prints[0]
    assert rec["sha256"] == hashlib.sha256(signed.read_bytes()).hexdigest()
    assert rec["kind"] == "summary" and rec["date"] == TODAY and len(rec["ledger_sha256"]) == 64
    assert rec["size"] == signed.stat().st_size and rec["printed"][:4] == "20" + rec["printed"][2:4]


def _unit_public(cli, tmp_path: Path):  # noqa: ANN001, ANN202
    from core.exchange.keys import public_from_b64, read_public_file

    pub = tmp_path / "u.pub.json"
    if not pub.exists():
        assert cli("keys", "export-public", str(pub))[0] == 0
    return public_from_b64(read_public_file(pub)["public_key"])
