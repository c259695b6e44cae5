"""A printed report proves itself as *this* file: signed with the unit's key, registered by its SHA-256.

At print time the finished PDF gets a real PDF signature (pyHanko, CMS/PAdES with the unit's Ed25519 key
and a self-signed certificate naming the unit, so any PDF reader shows who signed it and whether the file
changed since). Its SHA-256, kind, date and ledger digest go into the ledger (`report_prints`) and into
the next unit report for the city (record type `report_print`, docs/report-proof.md).

`check_file` vouches only for a file whose bytes are exactly a registered report. Everything else is
refused with its reason: an incremental update appended by a PDF editor (the registered report followed
by more bytes), a file cut short (damaged), a file whose content differs (one byte is enough), a PDF
made elsewhere with a copy of a genuine report's metadata.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from core.dates import now_ts
from core.errors import InputRefused
from core.files import read_regular

MAX_REPORT_BYTES = 512 * 2**20  # a 1,000-task report with its annex is a few MB

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from sqlalchemy.orm import Session

    from core.reports.stamp import Stamp
    from db.models import ReportPrint

FIELD_NAME = "RectiDesk-Signature"
_EOF = re.compile(rb"%%EOF[ \t]*(?:\r\n|\r|\n)?")


@dataclass(frozen=True)
class UnitSigner:
    """The unit's key, opened with its passphrase, and who the certificate names."""

    key_id: str
    private: Ed25519PrivateKey
    unit_code: str
    unit_name: str


def open_signer(session: Session, passphrase: str) -> UnitSigner:
    from core.exchange.keys import signing_key
    from core.reports.data import unit_of

    unit = unit_of(session)
    key, private = signing_key(session, passphrase)
    return UnitSigner(key.key_id, private, unit.code, unit.name)


def unit_has_key(session: Session) -> bool:
    from core.exchange.keys import current_unit_key

    return current_unit_key(session) is not None


def certificate_der(signer: UnitSigner) -> bytes:
    """A self-signed X.509 certificate for the unit key: the same bytes every time for the same key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.x509.oid import NameOID

    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, signer.unit_name[:64] or signer.unit_code),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"单位代码 {signer.unit_code}"[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{signer.unit_name}（整改通报告签名）"[:64]),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(signer.private.public_key())
        .serial_number(int(signer.key_id, 16) or 1)
        .not_valid_before(datetime(2000, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2099, 12, 31, tzinfo=UTC))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),  # signature, non-repudiation
            critical=True,
        )
        .sign(signer.private, None)
    )
    return cert.public_bytes(serialization.Encoding.DER)


def sign_pdf(data: bytes, signer: UnitSigner, *, reason: str) -> bytes:
    """`data` with a PDF signature appended as an incremental update (the original bytes stay as they are)."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    cert = asn1_x509.Certificate.load(certificate_der(signer))
    key = asn1_keys.PrivateKeyInfo.load(
        signer.private.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    pdf_signer = signers.SimpleSigner(
        signing_cert=cert, signing_key=key, cert_registry=SimpleCertificateStore.from_certs([cert])
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=reason,
        location=signer.unit_name,
        name=signer.unit_name,
        md_algorithm="sha512",
    )
    out = io.BytesIO()
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data), strict=False), meta, signer=pdf_signer, output=out)
    return out.getvalue()


@dataclass
class Printed:
    """What a sealed report file is: its hash as written, before signing, size, and its stamp."""

    sha256: str
    body_sha256: str
    size: int
    stamp: Stamp
    key_id: str | None


class Seal:
    """Applied to the finished temporary PDF before it is renamed into place: signs it, remembers its hash."""

    def __init__(self, signer: UnitSigner | None) -> None:
        self.signer = signer
        self.printed: Printed | None = None

    def __call__(self, tmp: Path, stamp: Stamp, reason: str) -> None:
        body = tmp.read_bytes()
        data = sign_pdf(body, self.signer, reason=reason) if self.signer else body
        if data is not body:
            tmp.write_bytes(data)
        self.printed = Printed(
            hashlib.sha256(data).hexdigest(),
            hashlib.sha256(body).hexdigest(),
            len(data),
            stamp,
            self.signer.key_id if self.signer else None,
        )


def record_print(session: Session, printed: Printed, actor: str, file_name: str) -> ReportPrint:
    """Register a printed report in the ledger (it travels to the city with the next unit report)."""
    from core.counters import next_change_no
    from db.models import ReportPrint

    row = session.get(ReportPrint, printed.sha256)
    if row is None:
        row = ReportPrint(
            sha256=printed.sha256,
            body_sha256=printed.body_sha256,
            kind=printed.stamp.kind,
            date=printed.stamp.date,
            printed=now_ts(),
            ledger_sha256=printed.stamp.sha256,
            size=printed.size,
            key_id=printed.key_id,
            by=actor,
            file_name=file_name,
            change_no=next_change_no(session),
        )
        session.add(row)
        session.flush()
    return row


def export_record(row: ReportPrint) -> dict[str, Any]:
    """The `report_print` record of the unit report (docs/report-proof.md); the city may skip it."""
    rec: dict[str, Any] = {
        "type": "report_print",
        "id": f"report-{row.sha256}",
        "sha256": row.sha256,
        "kind": row.kind,
        "date": row.date,
        "printed": row.printed,
        "ledger_sha256": row.ledger_sha256,
        "size": row.size,
    }
    if row.key_id:
        rec["key_id"] = row.key_id
    return rec


# -- checking a file --------------------------------------------------------------------------------
@dataclass(frozen=True)
class FileCheck:
    """A file that is byte for byte a report this unit printed."""

    row: ReportPrint
    signed: bool


def _damaged(path: Path, why: str) -> InputRefused:
    return InputRefused(
        f"“{path.name}”已损坏（{why}），无法核验。",
        hint="请找到报告的原始文件（生成时保存的那一份）再核验，或重新生成报告。",
    )


def _not_ours(path: Path, why: str) -> InputRefused:
    return InputRefused(
        f"“{path.name}”不是本单位生成的报告原件：{why}",
        hint="只有生成时保存的原始文件才能核验；如需最新情况，请重新生成报告。",
    )


def check_file(session: Session, path: Path) -> FileCheck:
    """The registered report `path` is, byte for byte; a plain refusal (InputRefused) for anything else."""
    from db.models import ReportPrint

    if not path.exists():
        raise InputRefused(f"找不到文件“{path}”。", hint="请检查文件路径。")
    try:
        data = read_regular(path, MAX_REPORT_BYTES, what="报告文件")  # never a pipe, never unbounded
    except OSError as exc:
        raise InputRefused(f"无法读取“{path.name}”：{exc.strerror or exc}。", hint="请检查文件是否被占用。") from None
    if not data.startswith(b"%PDF-"):
        raise InputRefused(
            f"“{path.name}”不是本软件生成的整改报告（不是 PDF 文件），无法核验。",
            hint="请选择由“生成报告”导出的 PDF 文件。",
        )
    digest = hashlib.sha256(data).hexdigest()
    row = session.get(ReportPrint, digest)
    if row is not None:
        return FileCheck(row, row.key_id is not None)
    # The file is a registered report followed by more bytes: saved again by a PDF editor (incremental update).
    for m in _EOF.finditer(data):
        prefix = data[: m.end()]
        if len(prefix) == len(data):
            break
        if session.get(ReportPrint, hashlib.sha256(prefix).hexdigest()) is not None:
            raise _not_ours(
                path,
                "报告生成后又被其他程序（如 PDF 编辑器）修改并保存过，文件末尾追加了改动，内容已不是原样。",
            )
    if session.scalar(select(ReportPrint).where(ReportPrint.body_sha256 == digest).limit(1)) is not None:
        raise _damaged(path, "文件不完整，报告末尾的数字签名缺失")
    ours = b"ReportLab Generated PDF" in data[:200] or b"RECTIDESK-REPORT/" in data
    if not data.rstrip(b"\r\n\t \x00").endswith(b"%%EOF") and ours:
        raise _damaged(path, "文件不完整，可能复制或下载时中断")
    if not ours or _stamp_or_none(data) is None:
        raise InputRefused(
            f"“{path.name}”不是本软件生成的整改报告，无法核验。", hint="请选择由“生成报告”导出的 PDF 文件。"
        )
    raise _not_ours(
        path,
        "文件内容与本单位登记过的任何一份报告都不相符（哪怕只改动一个字节也会这样），"
        "可能被改动过，或是另行制作、复制了报告信息的文件（本版本以前生成的报告没有登记，也会这样）。",
    )


def _stamp_or_none(data: bytes) -> Stamp | None:
    from pypdf import PdfReader

    from core.reports.stamp import Stamp

    try:
        meta: Any = PdfReader(io.BytesIO(data)).metadata or {}
        return Stamp.parse(str(meta.get("/Keywords") or ""))
    except Exception:  # noqa: BLE001 - any unreadable file is simply "not a report"
        return None


def signature_status(data: bytes, unit_public_keys: set[str]) -> str:
    """A line on the embedded PDF signature: whether it is intact, covers the whole file and was made with
    one of this unit's keys (`unit_public_keys`: base64 raw public keys). "" when there is none."""
    import base64

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = reader.embedded_signatures
        if not sigs:
            return ""
        cert = sigs[-1].signer_cert
        status = validate_pdf_signature(sigs[-1], ValidationContext(trust_roots=[cert]))
        who = cert.subject.native.get("organization_name", "")
        raw = cert.public_key["public_key"].native
        ours = base64.b64encode(raw).decode("ascii") in unit_public_keys
    except Exception:  # noqa: BLE001 - a signature that cannot be read is reported as such
        return "报告中的数字签名无法读取。"
    if not (status.intact and status.valid):
        return "报告中的数字签名与内容不符。"
    if not ours:
        return f"数字签名完好，但签名密钥不是本单位登记的密钥（证书上写的是：{who}）。"
    return f"数字签名完好：由本单位密钥签名（{who}），签名覆盖整个文件。"


def print_report(
    session: Session,
    today: Any,
    kind: str,
    path: Path,
    *,
    actor: str,
    passphrase: str | None,
    task_id: str | None = None,
    period: str | None = None,
) -> tuple[Path, Any, ReportPrint]:
    """Render a PDF report, sign it with the unit's key (when the unit has one) and register it.

    Returns the path, the fonts used (their notes) and the registration row."""
    from core.errors import UsageError
    from core.reports.pdf import render_report

    signer = None
    if unit_has_key(session):
        if passphrase is None:
            raise UsageError("生成报告需要用本单位的签名密钥签名，请输入密钥密码。")
        signer = open_signer(session, passphrase)
    seal = Seal(signer)
    written, fonts = render_report(session, today, kind, path, task_id=task_id, period=period, seal=seal)
    assert seal.printed is not None
    return written, fonts, record_print(session, seal.printed, actor, written.name)
