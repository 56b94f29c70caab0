// Audit entries are announced on the engine's event stream once their transaction has
// committed (store/audit.ts's auditedTransaction calls this after the commit).
import type { AuditEntry } from '../../../shared/api.ts';
import type { EngineEvents } from '../events.ts';

export const announcer = (events: EngineEvents) => (e: AuditEntry) =>
  events.emit('audit:appended', e);
