"""Tampering: any byte flipped, deleted or inserted in a signed feedback package, and any renamed or duplicated
ZIP entry, is refused with a PackageRejected and changes nothing (rows, evidence files, package log).

A ZIP holds a few bytes that no checksum or signature covers and that carry no meaning: "version made by",
the "text" flag, permission bits among ordinary ones, the padding bits after the end of a deflate stream.
A change there leaves the very same package (same signed digest, same records, same files): the tests
accept that outcome, and only that one, for a mutant that is not refused.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import PackageRejected
from core.exchange import bag
from core.exchange.importer import FeedbackImporter
from core.exchange.keys import city_key_for

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core" / "exchange"))
from exchkit import CITY_KEY, CITY_PUB, FB1, PASS, TS, assignment, dump, feedback  # noqa: E402

EXAMPLES = 60


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """A unit trusting the test city, and a signed package with records and one stored attachment."""
    from datetime import date

    from core.exchange import keys
    from core.unit import init_unit
    from core.workspace import Workspace

    root = tmp_path_factory.mktemp("tamper")
    ws = Workspace.open(root / "data", user="张三", today=date(2026, 4, 15))
    with ws.session() as s:
        init_unit(s, "442000-017", "中山市某某镇人民政府", "township", admin="张三")
        keys.create_unit_key(s, "张三", PASS)
        keys.trust_city(s, "张三", CITY_PUB)
    key = serialization.load_pem_private_key(CITY_KEY.read_bytes(), password=None)
    scan = root / "督办附件.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)
    import hashlib

    sha = hashlib.sha256(scan.read_bytes()).hexdigest()
    records = [
        assignment("ZS-XC-2026-101", (1, "制定方案", "2026-05-10"), (2, "整改到位", "2026-06-20")),
        {"type": "notice", "id": "DB-2026-0901", "level": "red", "task_ref": "ZS-XC-2026-101", "title": "红色督办",
         "text": "请于五日内反馈。", "issued": TS, "issuer": "市督查室", "respond_by": "2026-04-20",
         "attachments": [sha]},
        {"type": "settings", "id": "S-1", "red_after_days": 9},
    ]
    pkg = feedback(root, key, 1, records, files=[scan], name="signed.zgb")
    yield ws, pkg, root
    ws.close()


def _verify(ws, path: Path) -> bag.Package:  # noqa: ANN001
    with ws.read() as s:
        return bag.read_package(path, expected_type="city-feedback", expected_unit="442000-017",
                                key_for=lambda kid, seq: city_key_for(s, kid, seq))


def _identity(p: bag.Package) -> tuple:
    return p.digest, p.package_id, p.sequence, p.records, sorted(p.files)


def _check_mutant(ws, original: Path, data: bytes, out: Path, before: dict) -> None:  # noqa: ANN001
    """Refused with no change, or (only for meaning-free container bytes) the very same package."""
    out.write_bytes(data)
    try:
        same = _verify(ws, out)
    except PackageRejected as exc:
        assert exc.message  # a sentence for the clerk
        with pytest.raises(PackageRejected):
            FeedbackImporter(ws).import_file(out)
        assert dump(ws) == before
        return
    assert _identity(same) == _identity(_verify(ws, original)), "a changed package was accepted"


mutation = st.one_of(
    st.tuples(st.just("flip"), st.floats(0, 1, exclude_max=True), st.integers(1, 255)),
    st.tuples(st.just("delete"), st.floats(0, 1, exclude_max=True), st.integers(1, 64)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.binary(min_size=1, max_size=64)),
)


def _mutate(data: bytes, m: tuple) -> bytes:
    kind, where, arg = m
    if kind == "flip":
        i = int(where * len(data))
        return data[:i] + bytes([data[i] ^ arg]) + data[i + 1:]
    if kind == "delete":
        i = int(where * len(data))
        return data[:i] + data[i + arg:]
    i = int(where * (len(data) + 1))
    return data[:i] + arg + data[i:]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations=st.lists(mutation, min_size=1, max_size=3))
def test_flipped_deleted_or_inserted_bytes_are_refused_and_change_nothing(setup, mutations) -> None:  # noqa: ANN001
    ws, pkg, root = setup
    before = dump(ws)
    data = pkg.read_bytes()
    for m in mutations:
        data = _mutate(data, m)
    _check_mutant(ws, pkg, data, root / "mutant.zgb", before)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.floats(0, 1, exclude_max=True), xor=st.integers(1, 255))
def test_city_fixture_with_a_flipped_byte_is_refused(setup, offset: float, xor: int) -> None:  # noqa: ANN001
    ws, _pkg, root = setup
    before = dump(ws)
    _check_mutant(ws, FB1, _mutate(FB1.read_bytes(), ("flip", offset, xor)), root / "fixture-mutant.zgb", before)


def test_every_signed_byte_region_flip_is_refused_not_a_crash(setup) -> None:  # noqa: ANN001
    """Exhaustive over the fixture at a stride: nothing but PackageRejected or the same package, ever."""
    ws, _pkg, root = setup
    before = dump(ws)
    data = FB1.read_bytes()
    out = root / "stride.zgb"
    original = _identity(_verify(ws, FB1))
    refused = 0
    for i in range(0, len(data), 7):
        out.write_bytes(data[:i] + bytes([data[i] ^ 0x5A]) + data[i + 1:])
        try:
            assert _identity(_verify(ws, out)) == original, f"byte {i} changed and accepted"
        except PackageRejected:
            refused += 1
    assert refused >= len(range(0, len(data), 7)) - 5  # only a handful of meaning-free container bytes
    assert dump(ws) == before


# -- rewriting the ZIP with zipfile: renamed, duplicated, reordered entries ----------------------------------

def _entries(path: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(path) as z:
        return [(i, z.read(i)) for i in z.infolist()]


def _rewrite(entries: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for info, body in entries:
            zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            zi.create_system, zi.external_attr, zi.compress_type = 3, 0o100644 << 16, info.compress_type
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # zipfile warns about a duplicate name: that is the point
                z.writestr(zi, body)
    return buf.getvalue()


def _rename(name: str, how: int) -> str:
    top, _, rest = name.partition("/")
    folder, _, base = rest.rpartition("/")
    options = [
        f"{top}/{folder + '/' if folder else ''}{base}.bak",      # a different file name
        f"{top}/{folder + '/' if folder else ''}{base.upper()}",  # case only
        f"other-folder/{rest}",                                    # outside the package folder
        f"{top}/extra/{rest}",                                     # moved one folder down
        f"{top}/{folder + '/' if folder else ''}{base}/",         # made a folder entry
    ]
    return options[how % len(options)]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_renamed_or_duplicated_entries_are_refused(setup, data) -> None:  # noqa: ANN001
    ws, pkg, root = setup
    before = dump(ws)
    entries = _entries(pkg)
    kind = data.draw(st.sampled_from(["rename", "duplicate", "duplicate-changed", "drop"]))
    i = data.draw(st.integers(0, len(entries) - 1))
    info, body = entries[i]
    if kind == "rename":
        new = zipfile.ZipInfo(_rename(info.filename, data.draw(st.integers(0, 4))), date_time=info.date_time)
        new.compress_type = info.compress_type
        entries[i] = (new, b"" if new.filename.endswith("/") else body)
    elif kind == "duplicate":
        entries.insert(data.draw(st.integers(0, len(entries))), (info, body))
    elif kind == "duplicate-changed":
        entries.insert(data.draw(st.integers(0, len(entries))), (info, body + b"\n"))
    else:
        del entries[i]
    entries = data.draw(st.permutations(entries))
    out = root / "rewritten.zgb"
    out.write_bytes(_rewrite(entries))
    with pytest.raises(PackageRejected) as exc:
        FeedbackImporter(ws).import_file(out)
    assert exc.value.message
    assert dump(ws) == before


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(7)))
def test_reordered_entries_are_the_same_package(setup, order) -> None:  # noqa: ANN001
    """BagIt gives entries no order: a reordered ZIP carries the same signed digest and records, no more."""
    ws, pkg, root = setup
    entries = _entries(pkg)
    assert len(entries) == 7
    out = root / "reordered.zgb"
    out.write_bytes(_rewrite([entries[k] for k in order]))
    assert _identity(_verify(ws, out)) == _identity(_verify(ws, pkg))
