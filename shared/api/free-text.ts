// The free text a person writes with an audited change (a justification, a rule change's
// comment): kept whole in the append-only audit trail, quoted in a decision's explanation
// and shown in every view of it. A 5 MB justification made a 10 MB audit entry that every
// page of the Audit view loaded again and that can never be trimmed; a reason is a few
// sentences, so the text is limited where it enters, with a message naming the limit.
import { z } from 'zod';

/** The most characters a justification or a comment holds. */
export const TEXT_MAX = 2000;

/** The characters (code points) of `s`: what a person counts, an emoji one. */
export function chars(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 === s.length) n++;
  }
  return n;
}

/** Free text of at most TEXT_MAX characters; `what` names it in the refusal ("a justification"). */
export const limitedText = (what: string) =>
  z.string().superRefine((s, ctx) => {
    if (s.length <= TEXT_MAX) return;
    const n = chars(s);
    if (n > TEXT_MAX)
      ctx.addIssue({
        code: 'custom',
        message: `${what} has at most ${TEXT_MAX.toLocaleString('en-US')} characters (this one has ${n.toLocaleString('en-US')}): say why in a few sentences, and keep longer notes elsewhere`,
      });
  });
