// The free text a person writes with an audited change (a justification, a rule change's
// comment): kept whole in the append-only audit trail, quoted in a decision's explanation
// and shown in every view of it. A 5 MB justification made a 10 MB audit entry that every
// page of the Audit view loaded again and that can never be trimmed; a reason is a few
// sentences, so the text is limited where it enters, with a message naming the limit.
// One count for the engine's check and the app's counter (textSize): what a person reads
// as one character (a flag, a family emoji, a letter with its accent) is one.
import { z } from 'zod';
import { blank } from '../visible.ts';

/** The most characters (what a person reads as one) a justification or a comment holds. */
export const TEXT_MAX = 2000;

/**
 * The most code points it holds: a character may be several (🇺🇸 two, 👨‍👩‍👧 five), so
 * 2,000 of them could be 20,000 or more; this generous second limit bounds what is stored.
 */
export const CODE_POINTS_MAX = 8000;

/** Past this many code points a text is not cut into characters (about 2 µs each): it is refused anyway. */
const SEGMENT_MAX = 4 * CODE_POINTS_MAX;

let graphemes: Intl.Segmenter | undefined;

/**
 * The code points of `s` (a lone surrogate one), and whether each is a character: Latin-1
 * without a carriage return (of those, only CR LF joins), the text no segmenter need cut.
 */
function codePointsOf(s: string): { n: number; oneEach: boolean } {
  let n = 0;
  let oneEach = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 === s.length) n++;
    if (c > 0xff || c === 0x0d) oneEach = false;
  }
  return { n, oneEach };
}

/**
 * How long `s` is: its characters as a person counts them (Unicode's grapheme clusters:
 * 🇺🇸, 👨‍👩‍👧 and é written e + U+0301 are one each), and its code points. `chars` is
 * null past SEGMENT_MAX code points, a text refused for those alone.
 */
export function textSize(s: string): { chars: number | null; codePoints: number } {
  const { n: cp, oneEach } = codePointsOf(s);
  if (oneEach) return { chars: cp, codePoints: cp };
  if (cp > SEGMENT_MAX) return { chars: null, codePoints: cp };
  graphemes ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  let chars = 0;
  for (const _ of graphemes.segment(s)) chars++;
  return { chars, codePoints: cp };
}

/** Said of a text within TEXT_MAX characters but past CODE_POINTS_MAX code points. */
export const CODE_POINTS_SAID = `${TEXT_MAX.toLocaleString('en-US')} characters and ${CODE_POINTS_MAX.toLocaleString('en-US')} code points (an emoji such as a flag or a family is one character of several code points)`;

/**
 * Free text of at most TEXT_MAX characters and CODE_POINTS_MAX code points, counted
 * trimmed; `what` names it in the refusal ("a justification").
 */
export const limitedText = (what: string) =>
  z.string().superRefine((s, ctx) => {
    if (s.length <= TEXT_MAX) return;
    const { chars, codePoints: cp } = textSize(s.trim());
    const message =
      chars !== null && chars > TEXT_MAX
        ? `${what} has at most ${TEXT_MAX.toLocaleString('en-US')} characters (this one has ${chars.toLocaleString('en-US')})`
        : cp > CODE_POINTS_MAX
          ? `${what} has at most ${CODE_POINTS_SAID}; this one has ${cp.toLocaleString('en-US')} code points`
          : null;
    if (message)
      ctx.addIssue({
        code: 'custom',
        message: `${message}: say why in a few sentences, and keep longer notes elsewhere`,
      });
  });

/**
 * Free text that may be left out (a rule change's comment, a cleared override's
 * justification), limited as limitedText: trimmed, and one that reads as nothing
 * (blank(): a zero-width space, U+202E or a Hangul filler alone) is none, '', as an empty
 * one is; it is not worth a refusal, and no reason is stored that shows nothing.
 */
export const optionalText = (what: string) =>
  limitedText(what).transform((s) => (blank(s) ? '' : s.trim()));
