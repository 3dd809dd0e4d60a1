/** Trace labels of action instances: `irqentry_exit(cpu=0)`. */
import type { Action } from '../model.js';

/** The label of `a`'s instance with parameter `p`: the action's own `label`, or name plus parameters. */
export function labelOf(a: Action<unknown, never>, p: unknown): string {
  if (a.label) return a.label(p as never);
  if (p === undefined) return a.name;
  if (p === null || typeof p !== 'object') return `${a.name}(${String(p)})`;
  if (Array.isArray(p)) return `${a.name}(${p.map(String).join(', ')})`;
  const parts = Object.entries(p as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`);
  return `${a.name}(${parts.join(', ')})`;
}

/** The label of the first step of every trace. */
export const INIT_LABEL = 'Init';
