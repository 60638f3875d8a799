/** The share form (POST /assessments/:id/shares): body → the chosen person's id, as sent. */
import { values } from '../../platform/forms.js';

export function parseShareForm(body: unknown): { sharedWith: string } {
  const b = (body ?? {}) as Record<string, unknown>;
  return { sharedWith: (values(b.sharedWith)[0] ?? '').trim() };
}
