// A submission as the panel keeps it, and the pure rules about it: an error told
// with the user's own file name, and what a reload leaves of one cut off mid-way.
import type { z } from 'zod';
import type { SubmitAck, SubmitRequest } from '../../../shared/api.ts';
import type { AppError } from '../../../shared/result.ts';

export interface Submission {
  key: string;
  name: string;
  bytes: number;
  stage: 'uploading' | 'submitting' | 'queued' | 'duplicate' | 'failed' | 'rejected' | 'error';
  upload: number;
  /** Where the engine reads the file (the upload's stored path in a browser). */
  path: string | null;
  ack: SubmitAck | null;
  error: AppError | null;
}

type SubmitInput = z.input<typeof SubmitRequest>;

/** What the panel adds to each file's request; the panel always names a source. */
export type SubmitOptions = Pick<SubmitInput, 'requested_priority' | 'justification' | 'author'> &
  Required<Pick<SubmitInput, 'source'>>;

/** Errors name the stored upload's path; the user knows the file by its own name. */
export function ownError(e: AppError, path: string | null, name: string): AppError {
  return {
    ...e,
    message: path ? e.message.replaceAll(path, name) : e.message,
    file: !e.file || e.file === path ? name : e.file,
  };
}

/** Submissions read back after a reload: one cut off mid-way is told as such. */
export function restoreSubmissions(raw: string | null): Submission[] {
  if (!raw) return [];
  try {
    const list = JSON.parse(raw) as Submission[];
    if (!Array.isArray(list)) return [];
    return list.map((s) =>
      s.stage === 'uploading' || s.stage === 'submitting'
        ? {
            ...s,
            stage: 'error',
            error: {
              code: 'CANCELLED',
              message: `${s.name}: the page was reloaded before the engine had the file; submit it again`,
              file: s.name,
            },
          }
        : s,
    );
  } catch {
    return [];
  }
}
