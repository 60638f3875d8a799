/** "Help me choose": each yes points to an archetype, with the question as the reason. */
import { describe, expect, it } from 'vitest';
import type { Archetype, ArchetypeCode, ArchetypeGuide } from '../framework/index.js';
import { suggestArchetypes } from './help-me-choose.js';

const archetype = (code: ArchetypeCode, name: string) =>
  ({ code, name, summary: `${name} summary` }) as Archetype;
const archetypes = [
  archetype('S', 'Shapers'),
  archetype('E', 'Embedders'),
  archetype('U', 'Users'),
];
const guide: ArchetypeGuide = {
  intro: '',
  questions: [
    { archetype: 'U', question: 'Do you use digital tools?', hint: '' },
    { archetype: 'E', question: 'Do you configure systems?', hint: '' },
    { archetype: 'E', question: 'Do you run clinical safety?', hint: '' },
    { archetype: 'S', question: 'Do you set national policy?', hint: '' },
  ],
};

describe('suggestArchetypes', () => {
  it('suggests each archetype answered yes to, in framework order, with every reason', () => {
    expect(suggestArchetypes(guide, archetypes, ['yes', 'yes', 'yes', 'no'])).toEqual({
      fallback: false,
      suggestions: [
        {
          code: 'E',
          name: 'Embedders',
          summary: 'Embedders summary',
          because: ['Do you configure systems?', 'Do you run clinical safety?'],
        },
        {
          code: 'U',
          name: 'Users',
          summary: 'Users summary',
          because: ['Do you use digital tools?'],
        },
      ],
    });
  });

  it('suggests Users as a start when nothing was a yes', () => {
    const result = suggestArchetypes(guide, archetypes, ['no', 'no', 'no', 'no']);
    expect(result.fallback).toBe(true);
    expect(result.suggestions.map((s) => [s.code, s.because])).toEqual([['U', []]]);
  });
});
