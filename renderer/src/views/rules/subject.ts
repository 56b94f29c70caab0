// What the Rules view's side panel decides with: the draft, or the version opened
// read-only from History (whose text the editor shows then: the dry run and What would
// change went on deciding with the draft while the title said "Version 2, read-only").
// Its names for the panel's sentences.
export interface RuleSubject {
  text: string;
  /** Whether it passed the engine's check (null: being checked, or not checked); a stored version is taken as valid. */
  valid: boolean | null;
  /** Its check did not finish (valid is null, nothing is being checked): the view says why. */
  unchecked: boolean;
  /** At a sentence's start: "Your draft", "Version 2". */
  Named: string;
  /** Inside one: "the draft", "version 2". */
  named: string;
  /** In a column's head: "draft", "v2". */
  short: string;
  /** The draft (its errors can be fixed), not a stored version. */
  draft: boolean;
}

export const draftSubject = (
  text: string,
  valid: boolean | null,
  unchecked = false,
): RuleSubject => ({
  text,
  valid,
  unchecked,
  Named: 'Your draft',
  named: 'the draft',
  short: 'draft',
  draft: true,
});

export const versionSubject = (version: number, text: string): RuleSubject => ({
  text,
  valid: true,
  unchecked: false,
  Named: `Version ${version}`,
  named: `version ${version}`,
  short: `v${version}`,
  draft: false,
});
