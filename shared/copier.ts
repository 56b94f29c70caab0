// The messages between the engine's staging area and its copier process (the capture of a
// file on a file system that can stall: electron/engine/intake/copier.ts), declared once.
import { z } from 'zod';
import { resultSchema } from './result.ts';

export const CopyRequest = z.object({
  id: z.number().int(),
  file: z.string(),
  tmp: z.string(),
  maxBytes: z.number(),
  durable: z.boolean(),
});
export type CopyRequest = z.infer<typeof CopyRequest>;

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
]);
export type CopyReply = z.infer<typeof CopyReply>;
