"""The data folder: never on a network share (SQLite's WAL needs a local disk), and the user's alone."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from core.errors import DataFolderError
from core.paths import DataPaths, network_location


@pytest.mark.parametrize("path", [r"\\server\share\RectiDesk", r"\\192.168.1.5\台账", "//server/share/data",
                                  r"\\?\UNC\server\share\data"])
def test_unc_paths_are_network_shares(path: str) -> None:
    assert network_location(path, windows=True, drive_type=lambda _root: 3) == "网络共享文件夹"


def test_a_mapped_network_drive_is_refused_and_a_local_one_is_not() -> None:
    remote = {"Z:\\": 4}
    kind = lambda root: remote.get(root, 3)  # noqa: E731 - GetDriveType: 3 fixed, 4 remote
    assert network_location(r"Z:\RectiDesk", windows=True, drive_type=kind) == "映射的网络驱动器 Z:"
    assert network_location(r"C:\Users\clerk\AppData\Local\RectiDesk", windows=True, drive_type=kind) is None
    assert network_location(r"\\?\C:\data", windows=True, drive_type=kind) is None


def test_nfs_and_smb_mounts_are_network_shares_on_linux() -> None:
    mounts = "/dev/sda1 / ext4 rw 0 0\nsrv:/x /mnt/office nfs4 rw 0 0\n//srv/s /mnt/smb cifs rw 0 0\n"
    assert network_location("/mnt/office/台账", windows=False, mounts=mounts) == "网络文件系统（nfs4）"
    assert network_location("/mnt/smb", windows=False, mounts=mounts) == "网络文件系统（cifs）"
    assert network_location("/home/clerk/.local/share/RectiDesk", windows=False, mounts=mounts) is None
    assert network_location("/mnt/officer", windows=False, mounts=mounts) is None


def test_opening_a_data_folder_on_a_share_says_why_and_creates_nothing(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import core.paths

    monkeypatch.setattr(core.paths, "network_location", lambda _p, **_k: "网络共享文件夹")
    root = tmp_path / "share"
    with pytest.raises(DataFolderError, match="网络共享") as caught:
        DataPaths.resolve(root).ensure()
    assert "本机磁盘" in caught.value.hint
    assert not root.exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_data_folder_and_database_are_the_users_alone(workspace) -> None:  # noqa: ANN001
    root = workspace.paths.root
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert stat.S_IMODE(workspace.paths.evidence.stat().st_mode) == 0o700
    assert stat.S_IMODE(workspace.paths.database.stat().st_mode) == 0o600
