#!/usr/bin/python3
# stallrw.py MOUNT SRC MODEFILE: read-WRITE passthrough of SRC (an inbox on a share needs
# mkdir, create, write and rename). While MODEFILE holds "all" every call stalls (root
# included), as a hung NFS/SMB server; "read": read() stalls; "none": normal. A stalled
# call resumes when the mode changes. (From QA sv, stallfs.py made writable.)
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
def w(f):
    def g(self, *a):
        wait('meta')
        try: return f(self, *a)
        except OSError as e: raise FuseOSError(e.errno)
    return g
class P(Operations):
    def _p(self, p): return os.path.join(SRC, p.lstrip('/'))
    @w
    def getattr(self, path, fh=None):
        st = os.lstat(self._p(path))
        return {k: getattr(st, k) for k in ('st_mode','st_nlink','st_size','st_mtime','st_ctime','st_atime','st_uid','st_gid')}
    @w
    def readdir(self, path, fh): return ['.', '..'] + os.listdir(self._p(path))
    @w
    def access(self, path, m):
        if not os.access(self._p(path), m): raise FuseOSError(errno.EACCES)
    @w
    def open(self, path, flags): return os.open(self._p(path), flags)
    @w
    def create(self, path, m, fi=None): return os.open(self._p(path), os.O_WRONLY|os.O_CREAT|os.O_TRUNC, m)
    def read(self, path, size, offset, fh):
        wait('read'); os.lseek(fh, offset, 0); return os.read(fh, size)
    @w
    def write(self, path, data, offset, fh): os.lseek(fh, offset, 0); return os.write(fh, data)
    @w
    def truncate(self, path, length, fh=None): os.truncate(self._p(path), length)
    @w
    def rename(self, old, new): os.rename(self._p(old), self._p(new))
    @w
    def unlink(self, path): os.unlink(self._p(path))
    @w
    def mkdir(self, path, m): os.mkdir(self._p(path), m)
    @w
    def rmdir(self, path): os.rmdir(self._p(path))
    @w
    def chmod(self, path, m): os.chmod(self._p(path), m)
    @w
    def utimens(self, path, times=None): os.utime(self._p(path), times)
    def flush(self, path, fh): return 0
    def fsync(self, path, ds, fh): return 0
    def release(self, path, fh): os.close(fh); return 0
    @w
    def statfs(self, path):
        s = os.statvfs(self._p(path))
        return {k: getattr(s, k) for k in ('f_bavail','f_bfree','f_blocks','f_bsize','f_favail','f_ffree','f_files','f_flag','f_frsize','f_namemax')}
FUSE(P(), MOUNT, foreground=True, nothreads=False, ro=False, direct_io=True)
