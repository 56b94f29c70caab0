#!/usr/bin/python3
# stallshare.py MOUNT SRC MODEFILE [--rw]: a passthrough of SRC standing for a network share
# that stops answering (QA nf, sv). While MODEFILE holds "read" every read() stalls; "all":
# every call stalls (root included), as a hung NFS/SMB server; "none" (or no file): normal.
# A stalled call resumes when the mode changes. Read-only; --rw: read-write (an inbox on a
# share needs mkdir, create, write and rename). Mounted by stalling-share.ts.
import errno, os, sys, time
from fusepy import FUSE, Operations, FuseOSError
MOUNT, SRC, MODE = sys.argv[1], sys.argv[2], sys.argv[3]
RW = sys.argv[4:] == ['--rw']
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
    """A call that stalls while every call does."""
    def g(self, *a):
        wait('meta')
        try: return f(self, *a)
        except OSError as e: raise FuseOSError(e.errno)
    return g
def _p(p): return os.path.join(SRC, p.lstrip('/'))
class ReadOnly(Operations):
    @w
    def getattr(self, path, fh=None):
        st = os.lstat(_p(path))
        return {k: getattr(st, k) for k in ('st_mode','st_nlink','st_size','st_mtime','st_ctime','st_atime','st_uid','st_gid')}
    @w
    def readdir(self, path, fh): return ['.', '..'] + os.listdir(_p(path))
    @w
    def open(self, path, flags): return os.open(_p(path), os.O_RDONLY)
    def read(self, path, size, offset, fh):
        wait('read'); os.lseek(fh, offset, 0); return os.read(fh, size)
    def release(self, path, fh): os.close(fh); return 0
    @w
    def statfs(self, path): return dict(f_bsize=4096, f_blocks=1000000, f_bavail=500000, f_bfree=500000)
class ReadWrite(ReadOnly):
    # (flush and fsync answer 0 as Operations' own do.)
    @w
    def access(self, path, m):
        if not os.access(_p(path), m): raise FuseOSError(errno.EACCES)
    @w
    def open(self, path, flags): return os.open(_p(path), flags)
    @w
    def create(self, path, m, fi=None): return os.open(_p(path), os.O_WRONLY|os.O_CREAT|os.O_TRUNC, m)
    @w
    def write(self, path, data, offset, fh): os.lseek(fh, offset, 0); return os.write(fh, data)
    @w
    def truncate(self, path, length, fh=None): os.truncate(_p(path), length)
    @w
    def rename(self, old, new): os.rename(_p(old), _p(new))
    @w
    def unlink(self, path): os.unlink(_p(path))
    @w
    def mkdir(self, path, m): os.mkdir(_p(path), m)
    @w
    def rmdir(self, path): os.rmdir(_p(path))
    @w
    def chmod(self, path, m): os.chmod(_p(path), m)
    @w
    def utimens(self, path, times=None): os.utime(_p(path), times)
    @w
    def statfs(self, path):
        s = os.statvfs(_p(path))
        return {k: getattr(s, k) for k in ('f_bavail','f_bfree','f_blocks','f_bsize','f_favail','f_ffree','f_files','f_flag','f_frsize','f_namemax')}
FUSE(ReadWrite() if RW else ReadOnly(), MOUNT, foreground=True, nothreads=False, ro=not RW, direct_io=True)
