/**
 * "Help me choose": the framework's archetype guide asks a handful of yes-or-no questions about
 * what a person does with technology; each "yes" points to one archetype. Pure: no I/O.
 */
import type { Archetype, ArchetypeGuide } from '../framework/index.js';
import type { YesNo } from './assessment.forms.js';

export interface Suggestion {
  code: string;
  name: string;
  summary: string;
  /** The questions the person said yes to that point to this archetype. */
  because: string[];
}

export interface Suggestions {
  suggestions: Suggestion[];
  /** True when no answer was yes, so Users (the broadest archetype) is suggested as a start. */
  fallback: boolean;
}

/** The archetypes the answers point to, in the framework's order, each with its reasons. */
export function suggestArchetypes(
  guide: ArchetypeGuide,
  archetypes: readonly Archetype[],
  answers: readonly YesNo[],
): Suggestions {
  const because = new Map<string, string[]>();
  guide.questions.forEach((q, i) => {
    if (answers[i] !== 'yes') return;
    because.set(q.archetype, [...(because.get(q.archetype) ?? []), q.question]);
  });
  const fallback = because.size === 0;
  const suggestions = archetypes
    .filter((a) => because.has(a.code) || (fallback && a.code === 'U'))
    .map((a) => ({
      code: a.code,
      name: a.name,
      summary: a.summary,
      because: because.get(a.code) ?? [],
    }));
  return { suggestions, fallback };
}
