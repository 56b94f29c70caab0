// Who the analyst is, remembered across the dialogs that record it in the audit trail
// (submissions, rule changes, source overrides, snapshot removals) in this profile.
const KEY = 'gex-desk.author';

export const rememberedAuthor = (): string => localStorage.getItem(KEY) ?? '';

export const rememberAuthor = (name: string): void => localStorage.setItem(KEY, name.trim());
