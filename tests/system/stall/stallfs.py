#!/usr/bin/python3
# stallfs.py MOUNT SRC MODEFILE: passthrough (read-only) of SRC; while MODEFILE holds
# "read" every read() stalls; "all": getattr/readdir/open/read stall too (root included),
# as a hung NFS/SMB server. "none": normal. A stalled call resumes when the mode changes.
import errno, os, sys, time
from fusepy import FUSE, Operations, FuseOSError
MOUNT, SRC, MODE = sys.argv[1], sys.argv[2], sys.argv[3]
def mode():
    try: return open(MODE).read().strip()
    except OSError: return 'none'
def wait(kind):
    while True:
        m = mode()
        if m == 'all' or (m == 'read' and kind == 'read'):
            time.sleep(0.5); continue
        return
class P(Operations):
    def _p(self, p): return os.path.join(SRC, p.lstrip('/'))
    def getattr(self, path, fh=None):
        wait('meta')
        try: st = os.lstat(self._p(path))
        except OSError as e: raise FuseOSError(e.errno)
        return {k: getattr(st, k) for k in ('st_mode','st_nlink','st_size','st_mtime','st_ctime','st_atime','st_uid','st_gid')}
    def readdir(self, path, fh):
        wait('meta')
        return ['.', '..'] + os.listdir(self._p(path))
    def open(self, path, flags):
        wait('meta')
        return os.open(self._p(path), os.O_RDONLY)
    def read(self, path, size, offset, fh):
        wait('read')
        os.lseek(fh, offset, 0); return os.read(fh, size)
    def release(self, path, fh): os.close(fh); return 0
    def statfs(self, path):
        wait('meta'); return dict(f_bsize=4096, f_blocks=1000000, f_bavail=500000, f_bfree=500000)
FUSE(P(), MOUNT, foreground=True, nothreads=False, ro=True, direct_io=True)
