/** Paths and facts about the bundled framework that the end-to-end specs rely on. */
export const FRAMEWORK = '/frameworks/ai-digital-healthcare';

export const DOMAIN_CODES = ['1', '2', '3', '4', '5', '6'] as const;

/** Every assessment area with a page of its own (domain 1 is an area too, shown as a domain). */
export const AREA_CODES = [
  '2.1',
  '2.2',
  '3.1',
  '3.2',
  '4.1.1',
  '4.1.2',
  '5.1.1',
  '5.1.2',
  '5.1.3',
  '5.1.4',
  '5.2.1',
  '6.1',
  '6.2',
  '6.3',
  '6.4',
] as const;

export const ARCHETYPES = {
  S: 'Shapers',
  D: 'Drivers',
  C: 'Creators',
  E: 'Embedders',
  U: 'Users',
} as const;

export type ArchetypeCode = keyof typeof ARCHETYPES;

export const ARCHETYPE_CODES = Object.keys(ARCHETYPES) as ArchetypeCode[];
