// Whether a file lies on a file system that can stall (intake/stalling-fs.ts), told from
// the mount table without touching that file system: real mountinfo lines (escaped
// spaces, optional fields, nested and stacked mounts, fuse.sshfs), real folders and
// symbolic links on this machine's disk under a table that puts a share beside them, and
// Windows' UNC paths; and which share (the mount point reached, \\server\share) it is. And
// what it costs per capture, warm.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  currentMounts,
  mayStall,
  mountOf,
  onStallingMount,
  parseMountinfo,
  stallingShare,
  stallingType,
  uncPath,
  uncShare,
} from '../../electron/engine/intake/stalling-fs.ts';

const MOUNTINFO = [
  '22 28 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw',
  '28 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro',
  '45 28 0:39 / /home/ana/My\\040Share rw,nosuid,nodev,relatime shared:30 - fuse.sshfs ana@files:/srv rw,user_id=1000,group_id=1000',
  '46 28 0:40 / /mnt/nfs rw,relatime shared:31 - nfs4 files:/export rw,vers=4.2,rsize=1048576,hard,proto=tcp',
  '47 46 8:17 / /mnt/nfs/scratch rw,relatime shared:32 - ext4 /dev/sdb1 rw',
  '48 28 0:41 / /mnt/smb rw,relatime - cifs //srv/desk rw,vers=3.1.1',
  '49 28 0:42 / /mnt/tab\\011and\\134slash rw - fuse hangfs rw,user_id=0,group_id=0',
  '50 28 8:2 / /mnt/disk rw,relatime - xfs /dev/sdc1 rw',
  '51 50 0:43 / /mnt/disk rw,relatime - 9p share rw,trans=virtio',
  '',
].join('\n');

describe('parseMountinfo', () => {
  const mounts = parseMountinfo(MOUNTINFO);

  it('reads each mount point, unescaped, and its type after the separator', () => {
    expect(mounts).toEqual([
      { at: '/sys', type: 'sysfs' },
      { at: '/', type: 'ext4' },
      { at: '/home/ana/My Share', type: 'fuse.sshfs' },
      { at: '/mnt/nfs', type: 'nfs4' },
      { at: '/mnt/nfs/scratch', type: 'ext4' },
      { at: '/mnt/smb', type: 'cifs' },
      { at: '/mnt/tab\tand\\slash', type: 'fuse' },
      { at: '/mnt/disk', type: 'xfs' },
      { at: '/mnt/disk', type: '9p' },
    ]);
  });

  it.each([
    ['/home/ana/My Share/chain.csv', true],
    ['/home/ana/My Share', true],
    ['/home/ana/My Sharee/chain.csv', false],
    ['/home/ana/chain.csv', false],
    ['/mnt/nfs/chains/spx.csv', true],
    ['/mnt/nfsx/spx.csv', false],
    // A local disk mounted inside the share: local.
    ['/mnt/nfs/scratch/spx.csv', false],
    ['/mnt/smb/spx.csv', true],
    ['/mnt/tab\tand\\slash/hang.csv', true],
    // Two mounts on one point: the later is on top.
    ['/mnt/disk/spx.csv', true],
    ['/sys/kernel', false],
    ['/', false],
  ])('%s on a stalling file system: %s', (path, stalls) => {
    expect(onStallingMount(mounts, path)).toBe(stalls);
  });

  it('tells the stalling types: network file systems and every FUSE one', () => {
    for (const t of ['nfs', 'nfs4', 'cifs', 'smb3', 'fuse', 'fuse.sshfs', 'fuse.rclone', '9p'])
      expect(stallingType(t), t).toBe(true);
    for (const t of ['ext4', 'xfs', 'btrfs', 'tmpfs', 'overlay', 'zfs', 'proc'])
      expect(stallingType(t), t).toBe(false);
  });

  it('skips lines it cannot read', () => {
    expect(parseMountinfo('garbage\n1 2 3\n')).toEqual([]);
    expect(mountOf([], '/x')).toBeUndefined();
  });

  it("reads this process's own table", () => {
    expect(currentMounts().some((m) => m.at === '/')).toBe(true);
  });
});

describe('mayStall', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-stalling-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const share = join(dir, 'share');
  const table = [
    { at: '/', type: 'ext4' },
    { at: share, type: 'nfs' },
  ];
  mkdirSync(join(dir, 'local'));
  writeFileSync(join(dir, 'local', 'a.csv'), 'x');
  // Links from the local disk into the share (none of it exists: never touched).
  symlinkSync(join(share, 'a.csv'), join(dir, 'local', 'to-share.csv'));
  symlinkSync('../share/chains', join(dir, 'local', 'chains'));
  symlinkSync('a.csv', join(dir, 'local', 'local-link.csv'));
  symlinkSync('loop', join(dir, 'local', 'loop'));

  it.each([
    ['local/a.csv', false],
    ['local/local-link.csv', false],
    ['local/missing.csv', false],
    ['share/a.csv', true],
    ['share', true],
    ['local/to-share.csv', true],
    ['local/chains/spx.csv', true],
    ['local/../share/b.csv', true],
    ['local/loop', false],
  ])('%s: %s', (rel, stalls) => {
    expect(mayStall(join(dir, rel), 'linux', table)).toBe(stalls);
  });

  it.each([
    ['local/a.csv', null],
    ['share/a.csv', 'share'],
    ['share', 'share'],
    ['local/to-share.csv', 'share'],
    ['local/chains/spx.csv', 'share'],
    ['local/../share/b.csv', 'share'],
    ['inner/x/a.csv', 'inner'],
  ])('%s lies on the share %s', (rel, at) => {
    const withInner = [...table, { at: join(dir, 'inner'), type: 'fuse.sshfs' }];
    expect(stallingShare(join(dir, rel), 'linux', withInner)).toBe(at && join(dir, at));
  });

  it('is false where no stalling file system is mounted, and off Linux without a UNC path', () => {
    expect(mayStall(join(share, 'a.csv'), 'linux', [{ at: '/', type: 'ext4' }])).toBe(false);
    expect(mayStall(join(share, 'a.csv'), 'darwin', table)).toBe(false);
  });

  it.each([
    ['\\\\files\\desk\\spx.csv', true],
    ['//files/desk/spx.csv', true],
    ['\\\\?\\UNC\\files\\desk\\spx.csv', true],
    ['\\\\?\\C:\\chains\\spx.csv', false],
    ['\\\\.\\C:\\chains\\spx.csv', false],
    ['C:\\chains\\spx.csv', false],
    ['Z:\\spx.csv', false],
  ])('on Windows, %s is remote: %s', (path, remote) => {
    expect(uncPath(path)).toBe(remote);
    expect(mayStall(path, 'win32')).toBe(remote);
  });

  it.each([
    ['\\\\files\\desk\\spx.csv', '\\\\files\\desk'],
    ['//Files/Desk/chains/spx.csv', '\\\\files\\desk'],
    ['\\\\?\\UNC\\files\\desk\\spx.csv', '\\\\files\\desk'],
    ['\\\\files\\other\\spx.csv', '\\\\files\\other'],
    ['C:\\chains\\spx.csv', null],
  ])('on Windows, %s lies on the share %s', (path, share) => {
    expect(uncShare(path)).toBe(share);
    expect(stallingShare(path, 'win32')).toBe(share);
  });

  it('costs far less than 0.1 ms a capture, warm, walking a path beside a share', () => {
    const file = join(dir, 'local', 'a.csv');
    const mounts = currentMounts();
    const withShare = [...mounts, { at: share, type: 'nfs' }];
    for (let i = 0; i < 200; i++) mayStall(file, 'linux', withShare);
    const n = 5000;
    let t = performance.now();
    for (let i = 0; i < n; i++) mayStall(file, 'linux', withShare);
    const walked = (performance.now() - t) / n;
    t = performance.now();
    for (let i = 0; i < n; i++) mayStall(file);
    const asIs = (performance.now() - t) / n;
    console.log(
      `mayStall: ${(walked * 1000).toFixed(1)} µs with a share mounted (${withShare.length} mounts), ${(asIs * 1000).toFixed(1)} µs on this machine's table`,
    );
    expect(walked).toBeLessThan(0.1);
    expect(asIs).toBeLessThan(0.1);
  });
});
