/** The comparison form (GET /progress/compare?from=…&to=…): query → the two ids as typed. */
import { values } from '../../platform/forms.js';
import type { CompareValues } from './history.presenter.js';

const first = (raw: unknown) => (values(raw)[0] ?? '').trim();

export function parseCompareQuery(query: unknown): CompareValues {
  const q = (query ?? {}) as Record<string, unknown>;
  return { from: first(q.from), to: first(q.to) };
}
