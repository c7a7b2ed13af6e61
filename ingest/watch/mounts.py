"""Which filesystem a watched folder lives on, and so whether inotify can be trusted there.

inotify only reports changes made through *this* machine's kernel. On an SMB, NFS or sshfs mount
the archivists' own PCs write the files, so a native observer sits silent while the share fills
up: the most common complaint about consume folders (paperless-ngx #1975, #7969; prior-art §2
pain point 1). The cure is polling, and the mistake users keep making is forgetting to turn it
on, so ``"auto"`` looks the folder's mount up and picks polling for anything remote.

Linux only: the mount table comes from ``/proc/self/mounts``. Where that file does not exist the
filesystem is ``"unknown"`` and ``auto`` picks polling, which is slower but never silent.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

logger = logging.getLogger(__name__)

MOUNTS_FILE = Path("/proc/self/mounts")
UNKNOWN_FS = "unknown"
WATCH_MODES: tuple[str, ...] = ("events", "polling", "auto")

# Filesystems whose content other machines (or a VM host) change behind the kernel's back.
NETWORK_FS_TYPES: frozenset[str] = frozenset(
    {
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "nfs",
        "nfs4",
        "ncpfs",
        "afs",
        "9p",  # WSL drives, QEMU shares
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "beegfs",
        "ocfs2",
        "gfs2",
        "davfs",
        "virtiofs",  # VM host folders
        "vboxsf",
        "vmhgfs",
        "prl_fs",
        "drvfs",
        "fuse.sshfs",
        "sshfs",
        "fuse.davfs",
        "fuse.rclone",
        "fuse.s3fs",
        "fuse.gcsfuse",
        "fuse.glusterfs",
        "fuse.ceph",
        "fuse.cephfs",
        "fuse.juicefs",
        "fuse.vmhgfs-fuse",
        "fuse.gvfsd-fuse",  # GNOME's smb:// mounts
        "fuse.smbnetfs",
    }
)

# FUSE filesystems backed by a local disk; any other ``fuse.*`` is treated as remote.
LOCAL_FUSE_TYPES: frozenset[str] = frozenset(
    {"fuseblk", "fuse.ntfs-3g", "fuse.exfat", "fuse.mergerfs", "fuse.lxcfs"}
)

_OCTAL_ESCAPE = re.compile(r"\\([0-7]{3})")


def parse_mounts(text: str) -> list[tuple[str, str]]:
    """(mount point, fstype) pairs in table order; the kernel octal-escapes spaces etc. in paths."""
    mounts: list[tuple[str, str]] = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        mount_point = _OCTAL_ESCAPE.sub(lambda m: chr(int(m.group(1), 8)), fields[1])
        mounts.append((mount_point, fields[2]))
    return mounts


def filesystem_type(path: Path, mounts_text: str | None = None) -> str:
    """The fstype of the mount holding ``path`` (longest mount-point prefix; later mounts win)."""
    if mounts_text is None:
        try:
            mounts_text = MOUNTS_FILE.read_text(encoding="utf-8", errors="surrogateescape")
        except OSError:
            logger.info("no %s on this system; filesystem of %s unknown", MOUNTS_FILE, path)
            return UNKNOWN_FS
    target = Path(os.path.realpath(path))
    best_length, best_type = -1, UNKNOWN_FS
    for mount_point, fstype in parse_mounts(mounts_text):
        mount = Path(mount_point)
        if target != mount and mount not in target.parents:
            continue
        length = len(mount.parts)
        if length >= best_length:  # ">=": a later mount on the same point hides the earlier one
            best_length, best_type = length, fstype
    return best_type


def is_network_fs(fstype: str) -> bool:
    """True for filesystems whose changes by other machines raise no inotify events."""
    folded = fstype.casefold()
    if folded in NETWORK_FS_TYPES:
        return True
    return folded.startswith("fuse.") and folded not in LOCAL_FUSE_TYPES


def choose_mode(path: Path, configured: str = "auto", mounts_text: str | None = None) -> str:
    """``"events"`` or ``"polling"`` for a watched folder, honouring an explicit setting.

    ``auto`` picks polling for network and unknown filesystems. An explicit ``events`` on a
    network share is obeyed (the admin may know the share is only written locally) but logged,
    because it is the classic cause of "files never picked up".
    """
    if configured not in WATCH_MODES:
        raise ValueError(f"watch mode must be one of {WATCH_MODES}, not {configured!r}")
    if configured == "polling":
        return "polling"
    fstype = filesystem_type(path, mounts_text)
    remote = fstype == UNKNOWN_FS or is_network_fs(fstype)
    if configured == "events":
        if remote:
            logger.warning(
                "%s is on %s: inotify will miss files written by other machines; consider polling",
                path,
                fstype,
            )
        return "events"
    mode = "polling" if remote else "events"
    logger.info("watching %s (%s) by %s", path, fstype, mode)
    return mode
