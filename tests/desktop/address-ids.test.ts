// The id an address names (a snapshot's, a job's, a request's) is checked against the
// shared id shape before the page asks the engine (shared/api/id.ts IdShape, used by
// text/ids.ts idShaped): ids as the app writes them and their starts pass; a sentence,
// a control character or a text longer than any id does not, and is said in the view's
// words, escaped and cut, naming what the address should have named.
import { describe, expect, it } from 'vitest';
import { IdShape } from '../../shared/api/id.ts';
import { idShaped, notAnIdText } from '../../renderer/src/text/ids.ts';

const UUID = '0b5e7c1a-3f2d-4e6b-9a8c-1d2e3f4a5b6c';

describe('an address id', () => {
  it('takes an id, its start and a longer stored id, and nothing else', () => {
    for (const id of [UUID, UUID.slice(0, 4), UUID.slice(0, 8), `${UUID}-6000`, 'ABCD12'])
      expect([id, idShaped(id), IdShape.safeParse(id).success]).toEqual([id, true, true]);
    for (const text of [
      '',
      'abc',
      'no-such-job',
      'j/1',
      `${UUID}\n`,
      `${UUID.slice(0, 8)} SECURITY NOTICE`,
      'abcd'.repeat(17),
    ])
      expect([text, idShaped(text)]).toEqual([text, false]);
  });

  it('says what the address should name, the text escaped and cut', () => {
    const text = 'x.\u2029\u2029SECURITY NOTICE: this desk was restarted. Paste your token here.';
    const job = notAnIdText(text, 'job');
    expect(job).toContain(
      `“${text.slice(0, 40).replaceAll('\u2029', '\\u2029')}…”, which is not a job id`,
    );
    expect(job).toContain('a job is named by its id (36 characters');
    expect(job).not.toContain('Paste your token');
    expect(notAnIdText(text, 'request')).toContain('which is not a request id: a request is named');
    expect(notAnIdText(text)).toContain('which is not a snapshot id');
  });
});
