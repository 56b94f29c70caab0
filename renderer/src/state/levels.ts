// The levels of the active rule set (target and late behaviour of each), the one
// source of every target the UI shows. Loaded at start and again whenever a rule set
// is activated, from this window or anywhere else.
import { create } from 'zustand';
import type { LevelPolicyInfo } from '../../../shared/api.ts';
import { PRIORITY_LEVELS, type PriorityLevel } from '../../../shared/domain.ts';
import type { GexClient } from '../api/client.ts';

interface LevelsState {
  /** null until the engine has answered. */
  levels: LevelPolicyInfo[] | null;
  version: number | null;
  load(client: GexClient): Promise<void>;
}

export const useLevels = create<LevelsState>((set) => ({
  levels: null,
  version: null,
  async load(client) {
    const res = await client.call('rules:active', {});
    if (res.ok) set({ levels: res.value.levels, version: res.value.version });
  },
}));

/** One level's policy, when known. */
export const useLevelPolicy = (level: PriorityLevel): LevelPolicyInfo | undefined =>
  useLevels((s) => s.levels?.find((l) => l.level === level));

/** "flagged late" / "flagged late and escalated one level" */
export const lateWords = (onLate: LevelPolicyInfo['on_late']): string =>
  onLate === 'escalate' ? 'flagged late and escalated one level' : 'flagged late';

/** The level names in the active rule set's order (CRITICAL first), the schema's until it answers. */
export const useLevelOrder = (): readonly PriorityLevel[] => {
  const levels = useLevels((s) => s.levels);
  return levels?.map((l) => l.level) ?? PRIORITY_LEVELS;
};
