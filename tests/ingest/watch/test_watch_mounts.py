"""Filesystem type from the mount table, and the events/polling choice it drives."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.watch.mounts import choose_mode, filesystem_type, is_network_fs, parse_mounts

MOUNTS = "\n".join(
    [
        "/dev/vda / ext4 rw,relatime 0 0",
        "/dev/vdb /mnt/share2 xfs rw 0 0",
        "//nas/档案 /mnt/share cifs rw,vers=3.1.1,iocharset=utf8 0 0",
        "nas:/export /srv/nfs\\040共享 nfs4 rw 0 0",
        "user@host:/data /srv/ssh fuse.sshfs rw 0 0",
        "/dev/vdc /srv/over ext4 rw 0 0",
        "//nas/over /srv/over cifs rw 0 0",
        "tmpfs /tmp tmpfs rw 0 0",
    ]
)


def test_parse_mounts_decodes_octal_escapes() -> None:
    assert ("/srv/nfs 共享", "nfs4") in parse_mounts(MOUNTS)


@pytest.mark.parametrize(
    ("path", "fstype"),
    [
        ("/mnt/share/项目A/竣工图.pdf", "cifs"),
        ("/mnt/share", "cifs"),
        ("/mnt/share2/项目B", "xfs"),  # a prefix of the string is not a parent folder
        ("/srv/nfs 共享/批次一", "nfs4"),
        ("/srv/ssh/x", "fuse.sshfs"),
        ("/srv/over/x", "cifs"),  # mounted later on the same point: hides the first
        ("/home/档案员", "ext4"),
    ],
)
def test_longest_mount_point_wins(path: str, fstype: str) -> None:
    assert filesystem_type(Path(path), MOUNTS) == fstype


@pytest.mark.parametrize(
    ("fstype", "remote"),
    [
        ("cifs", True),
        ("smb3", True),
        ("nfs", True),
        ("NFS4", True),
        ("fuse.sshfs", True),
        ("9p", True),
        ("davfs", True),
        ("fuse.somethingnew", True),
        ("ext4", False),
        ("xfs", False),
        ("tmpfs", False),
        ("overlay", False),
        ("fuseblk", False),
    ],
)
def test_is_network_fs(fstype: str, remote: bool) -> None:
    assert is_network_fs(fstype) is remote


def test_choose_mode_auto_and_explicit() -> None:
    share, local = Path("/mnt/share/收件箱"), Path("/home/档案员/收件箱")
    assert choose_mode(share, "auto", MOUNTS) == "polling"
    assert choose_mode(local, "auto", MOUNTS) == "events"
    assert choose_mode(local, "polling", MOUNTS) == "polling"
    assert choose_mode(share, "events", MOUNTS) == "events"  # obeyed, with a warning
    assert choose_mode(local, "auto", "") == "polling"  # unknown filesystem: never silent
    with pytest.raises(ValueError, match="watch mode"):
        choose_mode(local, "inotify", MOUNTS)


def test_real_mount_table_for_a_local_temp_dir(tmp_path: Path) -> None:
    if not Path("/proc/self/mounts").exists():
        pytest.skip("no /proc/self/mounts on this system")
    fstype = filesystem_type(tmp_path)
    assert fstype and fstype != "unknown"
    assert choose_mode(tmp_path, "auto") == ("polling" if is_network_fs(fstype) else "events")
