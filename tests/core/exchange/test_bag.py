"""The package reader and writer on their own: every §8 container/BagIt refusal, zip bombs, tampering."""

from __future__ import annotations

import base64
import hashlib
import json
import stat
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from exchkit import FB2, PASS, TS

from core.errors import PackageRejected
from core.exchange import bag
from core.exchange.keys import public_from_b64, raw_public
from core.exchange.records import key_id_for

PID = "0f0e0d0c-0000-4000-8000-0000000000aa"
INFO = {"Source-Organization": "市", "Bagging-Date": "2026-04-01", "Payload-Oxum": None,
        "External-Identifier": PID, "Bag-Count": "1 of 1", "Exchange-Format": "zgb/1",
        "Package-Type": "city-feedback", "Unit-Code": "442000-017", "Sequence": "1",
        "Previous-Package-Digest": "none", "Created": TS, "Generator": "test"}
RECORD = b'{"type":"settings","id":"S","red_after_days":7}\n'


def resolver(key):  # noqa: ANN001, ANN201
    pub = base64.b64encode(raw_public(key)).decode()

    def key_for(key_id: str, seq: int):  # noqa: ARG001, ANN202
        if key_id != key_id_for(raw_public(key)):
            raise PackageRejected("unknown", reason_code="unknown_key")
        return public_from_b64(pub)

    return key_for


def build(path: Path, key, *, payload: dict[str, bytes] | None = None, info: dict | None = None,  # noqa: ANN001
          extra_tags: dict[str, bytes] | None = None, list_extra: bool = True, manifest_skip: set[str] = frozenset(),
          alg: str = "Ed25519", top: str = PID, sign: bool = True, raw_entries: list | None = None,
          unwritten: set[str] = frozenset(), signer=None, raw_tags: dict[str, bytes] | None = None,
          method: int = zipfile.ZIP_DEFLATED) -> Path:  # noqa: ANN001
    """A hand-made bag, so that each check can be reached with everything else valid.

    `raw_tags` replaces tag files byte for byte (still listed in the signed tag manifest)."""
    payload = {"data/records.jsonl": RECORD} if payload is None else payload
    inf = dict(INFO, **(info or {}))
    if inf["Payload-Oxum"] is None:
        inf["Payload-Oxum"] = f"{sum(map(len, payload.values()))}.{len(payload)}"
    tags = {"bagit.txt": bag.BAGIT_TXT, "bag-info.txt": bag.info_lines(inf),
            "manifest-sha256.txt": "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in payload.items()
                                           if n not in manifest_skip).encode()}
    tags.update(raw_tags or {})
    listed = dict(tags)
    if extra_tags:
        tags.update(extra_tags)
        if list_extra:
            listed.update(extra_tags)
    tagman = "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in listed.items()).encode()
    sig = {"alg": alg, "key_id": key_id_for(raw_public(key)), "signed_file": "tagmanifest-sha256.txt",
           "signature": base64.b64encode((signer or key).sign(tagman)).decode()}
    with zipfile.ZipFile(path, "w", method) as z:
        for n, d in {**payload, **tags, "tagmanifest-sha256.txt": tagman}.items():
            if n not in unwritten:
                z.writestr(f"{top}/{n}", d)
        if sign:
            z.writestr(f"{top}/signature.json", json.dumps(sig))
        for entry in raw_entries or []:
            z.writestr(*entry)
    return path


def read(path: Path, key, **kw):  # noqa: ANN001, ANN003, ANN201
    return bag.read_package(path, expected_type="city-feedback", expected_unit="442000-017",
                            key_for=resolver(key), **kw)


def code_of(path: Path, key, **kw) -> str:  # noqa: ANN001, ANN003
    with pytest.raises(PackageRejected) as info:
        read(path, key, **kw)
    assert info.value.message
    return info.value.reason_code


def test_a_hand_made_bag_reads(tmp_path: Path, city_key) -> None:  # noqa: ANN001
    pkg = read(build(tmp_path / "ok.zgb", city_key), city_key)
    assert pkg.sequence == 1 and pkg.records == [(1, {"type": "settings", "id": "S", "red_after_days": 7})]


def test_fixture_2_reads_with_its_attachment(city_key) -> None:  # noqa: ANN001
    pkg = read(FB2, city_key)
    (sha,) = pkg.files
    data = b"".join(pkg.open_file(sha))
    assert hashlib.sha256(data).hexdigest() == sha and "督办单".encode() in data
    assert [t for _l, t in pkg.unknown] == ["future_thing"]


@pytest.mark.parametrize(("kw", "code"), [
    ({"raw_entries": [("evil/x.txt", b"x")]}, "outside_folder"),
    ({"raw_entries": [("C:/x.txt", b"x")]}, "unsafe_name"),
    ({"raw_entries": [(f"{PID}/data\\x.txt", b"x")]}, "unsafe_name"),
    ({"raw_entries": [(f"{PID}/data/./x", b"x")]}, "unsafe_name"),
    ({"raw_entries": [("/abs.txt", b"x")]}, "unsafe_name"),
    ({"raw_entries": [(f"{PID}/DATA/RECORDS.JSONL", b"x")]}, "duplicate_name"),
    ({"extra_tags": {"notes.txt": b"hi"}, "list_extra": False}, "extra_tag_file"),
    ({"info": {"Payload-Oxum": "1.1"}}, "oxum_mismatch"),
    ({"payload": {"data/records.jsonl": RECORD, "data/files/" + "a" * 64: b"not that hash"}}, "file_not_hash"),
    ({"payload": {"data/records.jsonl": RECORD, "data/extra.bin": b"x"}, "manifest_skip": {"data/extra.bin"}},
     "unlisted_payload"),
    ({"alg": "RSA"}, "bad_alg"),
    ({"payload": {"data/records.jsonl": RECORD, "data/files/" + hashlib.sha256(b"x").hexdigest(): b"x"},
      "unwritten": {"data/files/" + hashlib.sha256(b"x").hexdigest()}, "info": {"Payload-Oxum": f"{len(RECORD)}.1"}},
     "missing_payload"),
    ({"sign": False}, "signature_missing"),
    ({"info": {"Exchange-Format": "zgb/2"}}, "format_version"),
    ({"info": {"Package-Type": "unit-report"}}, "wrong_type"),
    ({"info": {"Unit-Code": "442000-099"}}, "wrong_unit"),
    ({"top": "0f0e0d0c-0000-4000-8000-0000000000bb"}, "outside_folder"),
    ({"info": {"Sequence": "0"}}, "bagit_malformed"),
    ({"payload": {"data/records.jsonl": b'{"type":"ack","id":"A"}\n'}}, "bad_record"),
])
def test_each_refusal_has_its_reason(tmp_path: Path, city_key, kw: dict, code: str) -> None:  # noqa: ANN001
    assert code_of(build(tmp_path / "p.zgb", city_key, **kw), city_key) == code


def test_duplicate_entry_is_refused(tmp_path: Path, city_key) -> None:  # noqa: ANN001
    p = build(tmp_path / "p.zgb", city_key)
    with pytest.warns(UserWarning), zipfile.ZipFile(p, "a") as z:
        z.writestr(f"{PID}/data/records.jsonl", RECORD)
    assert code_of(p, city_key) == "duplicate_name"


def test_symbolic_link_is_refused(tmp_path: Path, city_key) -> None:  # noqa: ANN001
    p = build(tmp_path / "p.zgb", city_key)
    with zipfile.ZipFile(p, "a") as z:
        zi = zipfile.ZipInfo(f"{PID}/data/link")
        zi.create_system = 3
        zi.external_attr = (stat.S_IFLNK | 0o777) << 16
        z.writestr(zi, "/etc/passwd")
    assert code_of(p, city_key) == "link"


def test_missing_listed_file_and_tag_mismatch(tmp_path: Path, city_key) -> None:  # noqa: ANN001
    p = build(tmp_path / "p.zgb", city_key, payload={"data/records.jsonl": RECORD})
    # a manifest listing a file that is not there, re-signed so only that is wrong
    q = tmp_path / "q.zgb"
    with zipfile.ZipFile(p) as src, zipfile.ZipFile(q, "w") as dst:
        for i in src.infolist():
            data = src.read(i)
            if i.filename.endswith("/manifest-sha256.txt"):
                data += f"{'b' * 64}  data/files/{'b' * 64}\n".encode()
            dst.writestr(i, data)
    assert code_of(q, city_key) == "tagmanifest_mismatch"


def test_too_many_entries(tmp_path: Path, city_key) -> None:  # noqa: ANN001
    p = tmp_path / "many.zgb"
    with zipfile.ZipFile(p, "w") as z:
        for i in range(30):
            z.writestr(f"{PID}/data/f{i}", b"")
    assert code_of(p, city_key) != "too_many_entries"
    with pytest.raises(PackageRejected) as info:
        bag.SafeZip(p, max_total=10**9, max_entries=20)
    assert info.value.reason_code == "too_many_entries"


def test_total_size_limit(tmp_path: Path, city_key) -> None:  # noqa: ANN001
    p = build(tmp_path / "p.zgb", city_key, payload={"data/records.jsonl": RECORD * 1000})
    assert code_of(p, city_key, max_total=10_000) == "too_large"


def _bomb(path: Path, size: int) -> Path:
    """A 300 MB run of zeros deflated to about 300 KB, written without holding it in memory."""
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(path, "w") as z:
        zi = zipfile.ZipInfo(f"{PID}/data/records.jsonl")
        zi.compress_type = zipfile.ZIP_DEFLATED
        zi.file_size = size
        with z.open(zi, "w") as w:
            for _ in range(size // len(chunk)):
                w.write(chunk)
    return path


def test_zip_bomb_is_refused_within_memory(tmp_path: Path, city_key) -> None:  # noqa: ANN001
    p = _bomb(tmp_path / "bomb.zgb", 300 * 2**20)
    assert p.stat().st_size < 2 * 2**20
    tracemalloc.start()
    try:
        assert code_of(p, city_key) == "ratio"
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20


def test_lying_sizes_are_caught_while_streaming(tmp_path: Path, city_key) -> None:  # noqa: ANN001
    """A directory that declares a small size for a large entry never yields more than declared."""
    p = build(tmp_path / "p.zgb", city_key, payload={"data/records.jsonl": RECORD * 50})
    data = bytearray(p.read_bytes())
    # patch the declared uncompressed size of records.jsonl in both headers to 10 bytes
    name = f"{PID}/data/records.jsonl".encode()
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        i = data.find(sig)
        while i != -1:
            nlen_at = 26 if sig == b"PK\x03\x04" else 28
            nlen = int.from_bytes(data[i + nlen_at:i + nlen_at + 2], "little")
            start = i + (30 if sig == b"PK\x03\x04" else 46)
            if bytes(data[start:start + nlen]) == name:
                data[i + off:i + off + 4] = (10).to_bytes(4, "little")
            i = data.find(sig, i + 4)
    p.write_bytes(bytes(data))
    assert code_of(p, city_key) in ("damaged_zip", "oxum_mismatch")


def test_not_a_zip_and_truncated(tmp_path: Path, city_key) -> None:  # noqa: ANN001
    p = tmp_path / "x.zgb"
    p.write_bytes(b"hello")
    assert code_of(p, city_key) == "not_zip"
    good = build(tmp_path / "g.zgb", city_key).read_bytes()
    p.write_bytes(good[: len(good) // 2])
    assert code_of(p, city_key) == "damaged_zip"
    p.write_bytes(good + b"trailing")
    assert code_of(p, city_key) == "damaged_zip"


def test_tamper_500_positions_all_fail(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    """Invert one byte at 500 positions spread over a real export: verification fails every time."""
    import os

    from core.evidence.attach import attach_file
    from core.exchange import keys
    from core.exchange.exporter import ReportExporter
    from core.ledger.tasks import TaskInput, create_task

    with unit_ws.session() as s:
        t = create_task(s, "张三", TaskInput(title="任务", source="audit", category="phased", deadline="2026-06-30"))
        f = tmp_path / "photo.jpg"
        f.write_bytes(os.urandom(3000))
        attach_file(s, unit_ws.evidence, "张三", t.id, f)
    out = tmp_path / "o"
    out.mkdir()
    (path,) = ReportExporter(unit_ws).export(out, passphrase=PASS).paths
    with unit_ws.read() as s:
        key = keys.require_unit_key(s)
        pub = keys.public_from_b64(key.public_key)
    original = path.read_bytes()

    def verify(p: Path) -> None:
        bag.read_package(p, expected_type="unit-report", expected_unit="442000-017", key_for=lambda _k, _q: pub)

    verify(path)
    n = len(original)
    positions = sorted({(i * (n - 1)) // 499 for i in range(500)})
    assert len(positions) == 500
    target = tmp_path / "t.zgb"
    survived = []
    for pos in positions:
        data = bytearray(original)
        data[pos] ^= 0xFF
        target.write_bytes(bytes(data))
        try:
            verify(target)
        except PackageRejected:
            continue
        survived.append(pos)
    assert survived == []


def test_plan_parts_spreads_files_and_a_big_one_travels_alone() -> None:
    files = [bag.SourceFile("a" * 64, 600, Path("a")), bag.SourceFile("b" * 64, 600, Path("b")),
             bag.SourceFile("c" * 64, 5000, Path("c"))]
    parts = bag.plan_parts(100, files, 1000 + 4096)
    assert sum(len(p) for p in parts) == 3
    assert any(p == [files[2]] for p in parts)  # the big one travels alone


def test_signature_by_another_key_claiming_the_city_key_id(tmp_path: Path, city_key) -> None:  # noqa: ANN001
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    p = build(tmp_path / "p.zgb", city_key, signer=Ed25519PrivateKey.generate())
    assert code_of(p, city_key) == "signature_invalid"


def test_a_later_part_may_carry_no_records_file(tmp_path: Path, city_key) -> None:  # noqa: ANN001
    data = b"attached document"
    sha = hashlib.sha256(data).hexdigest()
    p = build(tmp_path / "p2.zgb", city_key, payload={f"data/files/{sha}": data},
              info={"Bag-Count": "2 of 2", "Bag-Group-Identifier": "0f0e0d0c-0000-4000-8000-0000000000cc"})
    pkg = read(p, city_key)
    assert pkg.records == [] and list(pkg.files) == [sha] and pkg.part_no == 2
    p1 = build(tmp_path / "p1.zgb", city_key, payload={f"data/files/{sha}": data})
    assert code_of(p1, city_key) == "bagit_malformed"  # part 1 must carry the records


def test_a_streamed_zip_with_data_descriptors_reads(tmp_path: Path, city_key) -> None:  # noqa: ANN001
    """Other software may write the ZIP to a pipe (sizes after the data): still a valid package."""
    import io

    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b) -> int:  # noqa: ANN001
            self.data += b
            return len(b)

    src = build(tmp_path / "p.zgb", city_key)
    pipe = Pipe()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(pipe, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            with zout.open(info.filename, "w") as w:
                w.write(zin.read(info))
    streamed = tmp_path / "streamed.zgb"
    streamed.write_bytes(bytes(pipe.data))
    with zipfile.ZipFile(streamed) as z:
        assert all(i.flag_bits & 0x08 for i in z.infolist())
    assert read(streamed, city_key).records == read(src, city_key).records
