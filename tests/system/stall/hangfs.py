#!/usr/bin/python3
# hangfs.py MOUNTPOINT SRC: a FUSE file system standing for a stalled network share
# (derived from QA's qa-rc/bin/hangfs.py). /hang.csv stats as SRC's bytes but a read of it
# never returns (an hour); /ok.csv reads SRC normally. Killing this process (or a lazy
# unmount, then killing it) ends the stalled reads with an error.
import errno
import stat
import sys
import time

from fusepy import FUSE, Operations

data = open(sys.argv[2], 'rb').read()
FILES = ('/hang.csv', '/ok.csv')


class HangFs(Operations):
    def getattr(self, path, fh=None):
        if path == '/':
            return dict(st_mode=stat.S_IFDIR | 0o755, st_nlink=2)
        if path in FILES:
            return dict(
                st_mode=stat.S_IFREG | 0o644,
                st_nlink=1,
                st_size=len(data),
                st_mtime=1.7e9,
                st_ctime=1.7e9,
                st_atime=1.7e9,
            )
        raise OSError(errno.ENOENT, '')

    def readdir(self, path, fh):
        return ['.', '..'] + [f[1:] for f in FILES]

    def open(self, path, flags):
        return 0

    def read(self, path, size, offset, fh):
        if path == '/hang.csv':
            time.sleep(3600)
        return data[offset : offset + size]


FUSE(HangFs(), sys.argv[1], foreground=True, nothreads=False, direct_io=True)
