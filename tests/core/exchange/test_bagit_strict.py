"""Packages are exactly BagIt 1.0 (issue 14, RFC 8493): the cases of the Library of Congress BagIt
conformance suite, transplanted into packages signed with the test city key. Each invalid one is refused
(exit 3, nothing changed) although its signature holds; what RFC 8493 allows (CR LF or CR line ends,
percent-encoded names, extra manifests that hold) is accepted. bagit.py cross-checks the valid bags and
the invalid ones it knows.
"""

from __future__ import annotations

import base64
import hashlib
import json
import unicodedata
import zipfile
from pathlib import Path

import bagit
import pytest
from exchkit import dump

from core.errors import PackageRejected
from core.exchange import bag
from core.exchange.importer import FeedbackImporter
from core.exchange.keys import raw_public
from core.exchange.records import key_id_for

PID = "0f0e0d0c-0000-4000-8000-0000000000cc"
RECORD = b'{"type":"settings","id":"S","red_after_days":7}\n'
INFO = {"Source-Organization": "市督查室", "Bagging-Date": "2026-04-01", "External-Identifier": PID,
        "Bag-Count": "1 of 1", "Exchange-Format": "zgb/1", "Package-Type": "city-feedback",
        "Unit-Code": "442000-017", "Sequence": "1", "Previous-Package-Digest": "none",
        "Created": "2026-04-01T09:00:00+08:00", "Generator": "conformance test"}


def lines(pairs: dict[str, bytes], alg: str = "sha256", eol: str = "\n") -> bytes:
    return "".join(f"{hashlib.new(alg, d).hexdigest()}  {n}{eol}" for n, d in pairs.items()).encode()


def make(path: Path, key, *, payload: dict[str, bytes] | None = None, names: dict[str, str] | None = None,  # noqa: ANN001
         tags: dict[str, bytes] | None = None, eol: str = "\n", extra: dict[str, bytes] | None = None,
         manifest: bytes | None = None, tagmanifest_extra: bytes = b"") -> Path:
    """A signed bag: `payload` by manifest path, `names` maps a manifest path to its ZIP entry name."""
    payload = {"data/records.jsonl": RECORD} if payload is None else payload
    info = dict(INFO, **{"Payload-Oxum": f"{sum(map(len, payload.values()))}.{len(payload)}"})
    t = {"bagit.txt": bag.BAGIT_TXT.replace(b"\n", eol.encode()),
         "bag-info.txt": "".join(f"{k}: {v}{eol}" for k, v in info.items()).encode(),
         "manifest-sha256.txt": manifest if manifest is not None else lines(payload, eol=eol)}
    t.update(tags or {})
    t.update(extra or {})
    tagman = lines(t, eol=eol) + tagmanifest_extra
    sig = {"alg": "Ed25519", "key_id": key_id_for(raw_public(key)), "signed_file": "tagmanifest-sha256.txt",
           "signature": base64.b64encode(key.sign(tagman)).decode()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in payload.items():
            z.writestr(f"{PID}/{(names or {}).get(n, n)}", d)
        for n, d in {**t, "tagmanifest-sha256.txt": tagman}.items():
            z.writestr(f"{PID}/{n}", d)
        z.writestr(f"{PID}/signature.json", json.dumps(sig))
    return path


def bagit_py_accepts(path: Path, tmp: Path) -> bool:
    folder = tmp / f"x-{path.stem}"
    with zipfile.ZipFile(path) as z:
        z.extractall(folder)
    try:
        bagit.Bag(str(folder / PID)).validate()
    except (bagit.BagError, bagit.BagValidationError):
        return False
    return True


NFC = unicodedata.normalize("NFC", "data/café.txt")
NFD = unicodedata.normalize("NFD", "data/café.txt")
TWO = {"data/records.jsonl": RECORD, "data/notes.txt": b"notes\n"}

# name: (make keywords, words in the refusal, bagit.py refuses it too)
INVALID = {
    "bagit-with-bom": ({"tags": {"bagit.txt": b"\xef\xbb\xbf" + bag.BAGIT_TXT}}, "BOM", True),
    "bagit-with-invalid-whitespace: trailing": (
        {"tags": {"bagit.txt": b"BagIt-Version: 1.0 \nTag-File-Character-Encoding: UTF-8\n"}}, "bagit.txt", False),
    "bagit-with-invalid-whitespace: leading": (
        {"tags": {"bagit.txt": b" BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"}}, "bagit.txt", False),
    "bagit-with-invalid-whitespace: no space": (
        {"tags": {"bagit.txt": b"BagIt-Version:1.0\nTag-File-Character-Encoding: UTF-8\n"}}, "bagit.txt", False),
    "bagit-with-invalid-whitespace: blank line": (
        {"tags": {"bagit.txt": bag.BAGIT_TXT + b"\n"}}, "bagit.txt", False),
    "bagit-version-0.97": (
        {"tags": {"bagit.txt": b"BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n"}}, "bagit.txt", False),
    "extra-manifest-missing-a-file": (
        {"payload": TWO, "extra": {"manifest-md5.txt": lines({"data/records.jsonl": RECORD}, "md5")}},
        "manifest-md5.txt", False),
    "extra-manifest-wrong-checksum": (
        {"extra": {"manifest-md5.txt": lines({"data/records.jsonl": b"other"}, "md5")}}, "md5", True),
    "extra-tagmanifest-wrong-checksum": (
        {"extra": {"tagmanifest-md5.txt": lines({"bagit.txt": b"other"}, "md5")}}, "tagmanifest-md5.txt", True),
    "fetch.txt": ({"extra": {"fetch.txt": b"http://example.com/x 5 data/x.txt\n"}}, "fetch.txt", False),
    "duplicate-in-manifest, NFC and NFD": (
        {"payload": {"data/records.jsonl": RECORD, NFC: b"x"},
         "manifest": lines({"data/records.jsonl": RECORD, NFC: b"x", NFD: b"x"})}, "两次", False),
    "duplicate-in-manifest, upper and lower case": (
        {"manifest": lines({"data/records.jsonl": RECORD}) + lines({"data/RECORDS.jsonl": RECORD})}, "两次", False),
    "duplicate-in-manifest, the same line": (
        {"manifest": lines({"data/records.jsonl": RECORD}) * 2}, "两次", False),
    "entry name twice, NFC and NFD": (
        {"payload": {"data/records.jsonl": RECORD, NFC: b"x", "data/z.txt": b"x"}, "names": {"data/z.txt": NFD}},
        "两次", False),
    "out-of-scope-file-paths-using-dot-notation": (
        {"manifest": lines({"data/records.jsonl": RECORD, "../../../README.md": b"x"})}, "包文件夹以外", True),
    "out-of-scope path inside data": (
        {"manifest": lines({"data/records.jsonl": RECORD, "data/../../x": b"x"})}, "包文件夹以外", True),
    "tag manifest path outside the bag": (
        {"tagmanifest_extra": lines({"../bagit.txt": bag.BAGIT_TXT})}, "包文件夹以外", False),
    "absolute path in a manifest": (
        {"manifest": lines({"data/records.jsonl": RECORD, "/etc/passwd": b"x"})}, "包文件夹以外", True),
    "payload listed in the tag manifest": (
        {"tagmanifest_extra": lines({"data/records.jsonl": RECORD})}, "标签清单不应列出", False),
}


@pytest.mark.parametrize("case", list(INVALID))
def test_an_invalid_bag_is_refused_though_signed(unit_ws, city_key, tmp_path: Path, case: str) -> None:  # noqa: ANN001
    kw, words, bagit_py_refuses = INVALID[case]
    p = make(tmp_path / "case.zgb", city_key, **kw)
    before = dump(unit_ws)
    with pytest.raises(PackageRejected) as exc:
        FeedbackImporter(unit_ws).import_file(p)
    assert words in exc.value.message, exc.value.message
    assert exc.value.exit_code == 3 and exc.value.hint
    assert dump(unit_ws) == before
    if bagit_py_refuses:
        assert not bagit_py_accepts(p, tmp_path)


VALID = {
    "basic": {},
    "crlf-line-endings": {"eol": "\r\n"},
    "cr-line-endings": {"eol": "\r"},
    "percent-encoded-filenames": {"payload": {"data/records.jsonl": RECORD, "data/100%.txt": b"x"},
                                  "manifest": lines({"data/records.jsonl": RECORD, "data/100%25.txt": b"x"})},
    "extra manifests that hold": {"payload": TWO, "extra": {
        "manifest-md5.txt": lines(TWO, "md5"), "manifest-sha512.txt": lines(TWO, "sha512"),
        "tagmanifest-md5.txt": lines({"bagit.txt": bag.BAGIT_TXT}, "md5")}},
    "lower-case encoding name": {"tags": {"bagit.txt": b"BagIt-Version: 1.0\nTag-File-Character-Encoding: utf-8\n"}},
    "unicode file name": {"payload": {"data/records.jsonl": RECORD, NFC: b"x"}},
}


@pytest.mark.parametrize("case", list(VALID))
def test_what_rfc_8493_allows_is_accepted(unit_ws, city_key, tmp_path: Path, case: str) -> None:  # noqa: ANN001
    p = make(tmp_path / "case.zgb", city_key, **VALID[case])
    assert FeedbackImporter(unit_ws).import_file(p).status == "accepted"
    if case != "percent-encoded-filenames":  # bagit.py 1.8 decodes %0D and %0A but not %25, as RFC 8493 asks
        assert bagit_py_accepts(p, tmp_path)


def test_percent_encoded_cr_and_lf_decode_in_one_pass() -> None:
    h = "0" * 64
    listed = bag.parse_manifest(f"{h}  data/a%0Db%0Ac%250A%25\n".encode(), "manifest-sha256.txt")
    assert list(listed) == ["data/a\rb\nc%0A%"]


def test_the_command_line_refuses_a_signed_non_bag_with_exit_3(cli, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    from exchkit import CITY_PUB

    assert cli("init", "--unit-code", "442000-017", "--unit-name", "某镇", "--admin", "张三")[0] == 0
    assert cli("keys", "trust-city", str(CITY_PUB))[0] == 0
    p = make(tmp_path / "fetch.zgb", city_key, extra={"fetch.txt": b"http://example.com/x 5 data/x.txt\n"})
    code, _, err = cli("import", str(p))
    assert code == 3 and "fetch.txt" in err
