// Counted nouns as a person writes them: "1 job", "2 jobs", "1 entry", "3 entries".
import { int } from './numbers.ts';

const IRREGULAR: Record<string, string> = { entry: 'entries', query: 'queries', this: 'these' };

export function plural(n: number, singular: string, pluralForm?: string): string {
  const word = n === 1 ? singular : (pluralForm ?? IRREGULAR[singular] ?? `${singular}s`);
  return `${int(n)} ${word}`;
}
