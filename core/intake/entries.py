"""What a folder can hold besides files, and the report line for each: links, pipes, sockets, devices.

Shared by the batch walk (``core.intake.walk``), the store step (a name that became a link after
it was listed) and the folder watcher, so every way in words these lines the same.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PATH_MAX = 4096  # bytes of a path the kernel opens (Linux)


def why_not_a_file(mode: int, path: Path, target: str | None = None) -> str | None:
    """The report reason for something that is not a regular file (None for a regular file)."""
    name = path.name
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return (f"《{name}》是符号链接（指向 {target}），不跟随：链接所指的内容不在交来的文件夹里，"
                "未收入档案；如需归档，请交来文件本身")
    if stat.S_ISFIFO(mode):
        return f"《{name}》是命名管道（FIFO），不是文件，未读取"
    if stat.S_ISSOCK(mode):
        return f"《{name}》是套接字（socket），不是文件，未读取"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return f"《{name}》是设备文件，不是普通文件，未读取"
    return f"《{name}》不是普通文件，未读取"


def refusal_for(path: Path) -> str | None:
    """Why ``path`` (not followed if it is a link) is not a file to take, or None when it is one."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None  # gone, or unreachable: the store step says so
    target = None
    if stat.S_ISLNK(mode):
        try:
            target = os.readlink(path)
        except OSError as error:
            target = f"（读不出：{error.strerror}）"
    return why_not_a_file(mode, path, target)
