// The messages between the engine and its copier process (the capture of a file on a file
// system that can stall: electron/engine/intake/copier.ts; the probe of an attached folder
// there, and of a watched inbox there: electron/engine/analytics/attached-probe.ts),
// declared once.
import { z } from 'zod';
import { resultSchema } from './result.ts';

/**
 * A file as the watched inbox saw it when it took it (its device and inode, as decimal
 * text: a 64-bit inode is no safe JS number). The capture reads that file or none
 * (capture-copy.ts): a link or another file put in its place in processing/ is refused.
 */
export const FileIdentity = z.object({ dev: z.string(), ino: z.string() });
export type FileIdentity = z.infer<typeof FileIdentity>;

export const CopyRequest = z.object({
  id: z.number().int(),
  file: z.string(),
  tmp: z.string(),
  maxBytes: z.number(),
  durable: z.boolean(),
  seen: FileIdentity.optional(),
});
export type CopyRequest = z.infer<typeof CopyRequest>;

/** What a probe looks at: an attached export folder (the default), or a watched inbox. */
export const ProbeLook = z.enum(['exports', 'inbox']);
export type ProbeLook = z.infer<typeof ProbeLook>;

/** A look at a folder: does its file system answer (folder-look.ts)? */
export const ProbeRequest = z.object({
  id: z.number().int(),
  probe: z.string(),
  look: ProbeLook.optional(),
});
export type ProbeRequest = z.infer<typeof ProbeRequest>;

/** A captured copy; its two ends as base64 (the message is JSON). */
export const CopiedWire = z.object({
  hash: z.string(),
  size: z.number(),
  head: z.string(),
  tail: z.string(),
});

/** What a failed system call threw, as much of it as names the failure (read-error.ts). */
export const Thrown = z.object({
  message: z.string(),
  code: z.string().optional(),
  errno: z.number().optional(),
  syscall: z.string().optional(),
  path: z.string().optional(),
  dest: z.string().optional(),
});
export type Thrown = z.infer<typeof Thrown>;

export const CopyReply = z.union([
  z.object({ id: z.number().int(), result: resultSchema(CopiedWire) }),
  z.object({ id: z.number().int(), thrown: Thrown }),
  /** A probe's answer: null when the folder answered every look, else what failed. */
  z.object({ id: z.number().int(), probed: z.string().nullable() }),
]);
export type CopyReply = z.infer<typeof CopyReply>;
