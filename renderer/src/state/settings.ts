// The analyst's own settings, kept in this browser profile across reloads: the
// quality threshold under which a snapshot is marked, whether the submissions panel
// is collapsed, and each table's column widths.
import { create } from 'zustand';

const KEY = 'gex-desk.settings';

export interface Settings {
  /** 0..1: a snapshot below this share of usable rows is marked "low quality" everywhere. */
  qualityThreshold: number;
  /** The analyst's choice; null: collapsed on a narrow window (under 1200 px), open otherwise. */
  panelCollapsed: boolean | null;
  /** Per table, per column: the width the analyst dragged it to, in pixels. */
  widths: Record<string, Record<string, number>>;
}

export const DEFAULT_SETTINGS: Settings = {
  qualityThreshold: 0.8,
  panelCollapsed: null,
  widths: {},
};

/** Stored settings over the defaults; anything unreadable falls back to the default. */
export function readSettings(raw: string | null): Settings {
  if (!raw) return DEFAULT_SETTINGS;
  try {
    const v = JSON.parse(raw) as Partial<Settings>;
    const t = Number(v.qualityThreshold);
    return {
      qualityThreshold:
        Number.isFinite(t) && t >= 0 && t <= 1 ? t : DEFAULT_SETTINGS.qualityThreshold,
      panelCollapsed: typeof v.panelCollapsed === 'boolean' ? v.panelCollapsed : null,
      widths: typeof v.widths === 'object' && v.widths !== null ? v.widths : {},
    };
  } catch {
    return DEFAULT_SETTINGS;
  }
}

/**
 * The quality threshold as typed, in percent: its share (0..1), or why it is not one —
 * out of 0–100 (150, −5: not clamped, the analyst may have mistyped) or not a number.
 */
export function readThresholdPercent(
  text: string,
): { ok: true; share: number } | { ok: false; why: 'empty' | 'range' } {
  const t = text.trim();
  const v = Number(t);
  if (t === '' || !Number.isFinite(v)) return { ok: false, why: 'empty' };
  if (v < 0 || v > 100) return { ok: false, why: 'range' };
  return { ok: true, share: v / 100 };
}

const load = (): Settings => {
  try {
    return readSettings(localStorage.getItem(KEY));
  } catch {
    return DEFAULT_SETTINGS;
  }
};

interface SettingsState extends Settings {
  setQualityThreshold(share: number): void;
  setPanelCollapsed(collapsed: boolean): void;
  setWidth(table: string, column: string, px: number): void;
  resetWidths(table: string): void;
}

export const useSettings = create<SettingsState>((set, get) => {
  const save = (patch: Partial<Settings>) => {
    set(patch);
    const { qualityThreshold, panelCollapsed, widths } = get();
    try {
      localStorage.setItem(KEY, JSON.stringify({ qualityThreshold, panelCollapsed, widths }));
    } catch {
      // Storage full or disabled: the setting holds for this session.
    }
  };
  return {
    ...load(),
    setQualityThreshold: (share) => save({ qualityThreshold: Math.min(1, Math.max(0, share)) }),
    setPanelCollapsed: (panelCollapsed) => save({ panelCollapsed }),
    setWidth: (table, column, px) =>
      save({
        widths: { ...get().widths, [table]: { ...get().widths[table], [column]: Math.round(px) } },
      }),
    resetWidths: (table) => {
      const widths = { ...get().widths };
      delete widths[table];
      save({ widths });
    },
  };
});
