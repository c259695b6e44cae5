"""Before the signature is checked (issue 15): every size and count a package claims is bounded first.

Anyone can send these, so each is refused before the key is even looked up, within a small memory bound:
tag files (spec §2: at most 64 KiB, UTF-8 without BOM, lines of at most 8 KiB, parsed in one linear pass),
the Sequence (1 … 1,000,000 in ASCII digits), and the "missing packages" hint (ranges, never a list whose
length the package chooses).
"""

from __future__ import annotations

import os
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from exchkit import dump, feedback
from test_bag import INFO, PID, build, code_of, read

from core.errors import PackageRejected
from core.exchange import bag
from core.exchange.importer import FeedbackImporter


def counting_resolver(key, calls: list):  # noqa: ANN001, ANN201
    from test_bag import resolver

    inner = resolver(key)

    def key_for(key_id: str, seq: int):  # noqa: ANN202
        calls.append(seq)
        return inner(key_id, seq)

    return key_for


def refused_before_the_key(path: Path, key) -> PackageRejected:  # noqa: ANN001
    calls: list[int] = []
    tracemalloc.start()
    try:
        with pytest.raises(PackageRejected) as exc:
            bag.read_package(path, expected_type="city-feedback", expected_unit="442000-017",
                             key_for=counting_resolver(key, calls))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert calls == [], "the key was looked up: work was done before the bound"
    assert peak < 4 * 2**20
    assert exc.value.message and exc.value.hint
    return exc.value


def info_bytes(**over: str) -> bytes:
    inf = dict(INFO, **over)
    inf["Payload-Oxum"] = "48.1"
    return bag.info_lines(inf)


def test_a_16_mb_bag_info_of_continuation_lines_is_refused_from_its_declared_size(tmp_path: Path,
                                                                                 city_key) -> None:  # noqa: ANN001
    """The attack that took 26 minutes and 540 MB: refused before one byte of it is inflated."""
    lines = b"".join(b" " + os.urandom(24).hex().encode() + b"\n" for _ in range(16 * 2**20 // 50))
    p = build(tmp_path / "info.zgb", city_key, raw_tags={"bag-info.txt": info_bytes() + lines},
              method=zipfile.ZIP_STORED)
    err = refused_before_the_key(p, city_key)
    assert err.reason_code == "too_large" and "bag-info.txt" in err.message


@pytest.mark.parametrize(("raw", "words"), [
    (b"\xef\xbb\xbf" + info_bytes(), "字节顺序标记"),
    (info_bytes() + b"X-Long: " + b"a" * (8 * 1024 + 1) + b"\n", "过长"),
    (info_bytes() + b"X-Bad: \xff\xfe\n", "不是 UTF-8"),
    (b" continued first\n" + info_bytes(), "续行开头"),
])
def test_tag_file_limits_are_checked_before_parsing(tmp_path: Path, city_key, raw: bytes, words: str) -> None:  # noqa: ANN001
    err = refused_before_the_key(build(tmp_path / "t.zgb", city_key, raw_tags={"bag-info.txt": raw}), city_key)
    assert err.reason_code == "bagit_malformed" and words in err.message


def test_continuation_lines_are_joined_in_one_pass(tmp_path: Path, city_key) -> None:  # noqa: ANN001
    """60 KiB of one-character continuation lines (the quadratic case, within the limit) reads."""
    tail = b"X-Note: start\n" + b" y\n" * 20_000
    pkg = read(build(tmp_path / "ok.zgb", city_key, raw_tags={"bag-info.txt": info_bytes() + tail}), city_key)
    assert pkg.info["X-Note"] == "start " + " ".join(["y"] * 20_000)


@pytest.mark.parametrize("seq", ["２", "1000001", "1000000000", "-1", "1e3", "١", "1 000"])
def test_a_sequence_outside_1_to_1000000_in_ascii_digits_is_refused_before_the_key(tmp_path: Path, city_key,
                                                                                  seq: str) -> None:  # noqa: ANN001
    inf = info_bytes(Sequence=seq)
    err = refused_before_the_key(build(tmp_path / "s.zgb", city_key, raw_tags={"bag-info.txt": inf}), city_key)
    assert err.reason_code == "bagit_malformed" and "序号" in err.message


def test_the_highest_sequence_reads(tmp_path: Path, city_key) -> None:  # noqa: ANN001
    pkg = read(build(tmp_path / "s.zgb", city_key, info={"Sequence": "1000000"}), city_key)
    assert pkg.sequence == 1_000_000


def test_the_signature_is_checked_before_the_deeper_bag_info_checks(tmp_path: Path, city_key) -> None:  # noqa: ANN001
    """A forged package with a malformed date: the clerk hears it is not signed by the city, nothing else."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    p = build(tmp_path / "f.zgb", city_key, info={"Created": "yesterday"}, signer=Ed25519PrivateKey.generate())
    assert code_of(p, city_key) == "signature_invalid"


def test_the_missing_packages_hint_names_ranges_never_a_list_as_long_as_the_claim(unit_ws, city_key,
                                                                                 tmp_path: Path) -> None:  # noqa: ANN001
    from exchkit import assignment

    feedback_path = feedback(tmp_path, city_key, 1, [assignment("ZS-1")])
    FeedbackImporter(unit_ws).import_file(feedback_path)
    before = dump(unit_ws)
    tracemalloc.start()
    try:
        r = FeedbackImporter(unit_ws).import_file(feedback(tmp_path, city_key, 1_000_000, [assignment("ZS-2")]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20
    (hint,) = [w for w in r.warnings if "缺少" in w]
    assert "2–999999" in hint and len(hint) < 80
    assert dump(unit_ws) != before


@pytest.mark.parametrize("raw", [b"[" * 60_000, b"x" * (64 * 1024 + 1), b'{"alg": NaN}', b"\xff"])
def test_a_hostile_signature_file_is_refused_before_the_key(tmp_path: Path, city_key, raw: bytes) -> None:  # noqa: ANN001
    p = build(tmp_path / "sig.zgb", city_key, sign=False, raw_entries=[(f"{PID}/signature.json", raw)])
    err = refused_before_the_key(p, city_key)
    assert err.reason_code in ("signature_invalid", "too_large", "bad_alg")


def test_a_payload_manifest_is_bounded_by_the_files_actually_there(tmp_path: Path, city_key) -> None:  # noqa: ANN001
    """One payload file, a 2 MB manifest (blank lines): refused from its declared size, never parsed."""
    import hashlib

    from test_bag import RECORD

    manifest = f"{hashlib.sha256(RECORD).hexdigest()}  data/records.jsonl\n".encode() + b"\n" * 2_000_000
    p = build(tmp_path / "m.zgb", city_key, raw_tags={"manifest-sha256.txt": manifest}, method=zipfile.ZIP_STORED)
    assert code_of(p, city_key) == "too_large"
