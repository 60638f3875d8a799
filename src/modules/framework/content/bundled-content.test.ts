/**
 * Content tests for the framework digicap ships: its shape matches the published structure
 * (shared/reference/framework-structure.json) and it meets our own quality rules.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findRootDir } from '../../../config.js';
import { ARCHETYPE_CODES, type FrameworkData } from '../framework.model.js';
import { loadFrameworkContent } from './framework-content.js';

const root = findRootDir();
const referenceFile = path.join(root, '..', 'shared', 'reference', 'framework-structure.json');
const AREAS = [
  '1',
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
];

let data: FrameworkData;
beforeAll(async () => {
  data = (
    await loadFrameworkContent(
      path.join(root, 'content', 'frameworks', 'ai-digital-healthcare'),
      root,
    )
  ).data;
});

describe('the bundled AI and digital healthcare framework', () => {
  it('has 6 domains, 11 sub-domains and the 16 assessment areas', () => {
    expect(data.nodes.filter((n) => n.depth === 0)).toHaveLength(6);
    expect(data.nodes.filter((n) => n.depth === 1)).toHaveLength(11);
    expect(data.nodes.filter((n) => n.isArea).map((n) => n.code)).toEqual(AREAS);
  });

  it('uses the published codes and names (with 4.1 spelt correctly)', () => {
    // shared/ sits beside the project; CI checks out both. Fail loudly if it is missing.
    expect(existsSync(referenceFile), `${referenceFile} should exist`).toBe(true);
    interface RefNode {
      code: string;
      name: string;
      name_corrected?: string;
      subdomains: RefNode[];
    }
    const reference = JSON.parse(readFileSync(referenceFile, 'utf8')) as { domains: RefNode[] };
    const flatten = (nodes: RefNode[]): [string, string][] =>
      nodes.flatMap((n) => [
        [n.code, n.name_corrected ?? n.name] as [string, string],
        ...flatten(n.subdomains),
      ]);
    const normalise = (name: string) => name.toLowerCase().replace(/,? and /g, ' and ');
    const ours = new Map(data.nodes.map((n) => [n.code, normalise(n.name)]));
    const expected = flatten(reference.domains);
    expect(expected.length).toBe(data.nodes.length);
    for (const [code, name] of expected) expect(ours.get(code), code).toBe(normalise(name));
    expect(data.nodes.find((n) => n.code === '4.1')?.name).toBe(
      'Management, leadership and planning',
    );
  });

  it('has at least 195 statements, at least 2 in every area at every level', () => {
    expect(data.statements.length).toBeGreaterThanOrEqual(195);
    for (const area of AREAS) {
      for (const level of [1, 2, 3, 4]) {
        const n = data.statements.filter((s) => s.areaCode === area && s.level === level).length;
        expect(n, `area ${area} level ${level}`).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it('gives every statement a unique id of the form area-level-nn and unique text', () => {
    const ids = data.statements.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of data.statements)
      expect(s.id).toMatch(new RegExp(`^${s.areaCode.replace(/\./g, '\\.')}-${s.level}-\\d{2}$`));
    const texts = data.statements.map((s) => s.text.toLowerCase());
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('writes every statement in the first person, as one sentence of sensible length', () => {
    for (const s of data.statements) {
      expect(s.text, s.id).toMatch(
        /^I (am|can|know|understand|use|apply|recognise|take|lead|act|help|follow|report|keep|check)\b/,
      );
      expect(s.text.length, s.id).toBeGreaterThanOrEqual(50);
      expect(s.text.length, s.id).toBeLessThanOrEqual(260);
      expect(s.text, s.id).toMatch(/[^.]\.$/);
    }
  });

  it('badges every statement with a non-empty set of valid archetypes in S, D, C, E, U order', () => {
    for (const s of data.statements) {
      expect(s.archetypes.length, s.id).toBeGreaterThan(0);
      const positions = s.archetypes.map((a) => ARCHETYPE_CODES.indexOf(a));
      expect(
        positions.every((p) => p >= 0),
        s.id,
      ).toBe(true);
      expect(
        [...positions].sort((a, b) => a - b),
        s.id,
      ).toEqual(positions);
    }
  });

  it('badges every archetype on statements at every level up to its highest target', () => {
    for (const code of ARCHETYPE_CODES) {
      const highest = Math.max(...Object.values(data.targets[code]));
      for (let level = 1; level <= highest; level++) {
        expect(
          data.statements.some((s) => s.level === level && s.archetypes.includes(code)),
          `${code} at ${level}`,
        ).toBe(true);
      }
    }
  });

  it('gives every archetype a target (0-4) for every area, with statements to meet it', () => {
    expect(Object.keys(data.targets).sort()).toEqual([...ARCHETYPE_CODES].sort());
    for (const code of ARCHETYPE_CODES) {
      expect(Object.keys(data.targets[code]).sort()).toEqual([...AREAS].sort());
      for (const area of AREAS) {
        const target = data.targets[code][area] ?? -1;
        expect(target).toBeGreaterThanOrEqual(0);
        expect(target).toBeLessThanOrEqual(4);
        if (target > 0) {
          const badged = data.statements.filter(
            (s) => s.areaCode === area && s.level <= target && s.archetypes.includes(code),
          );
          expect(
            badged.length,
            `${code} has statements up to level ${target} in ${area}`,
          ).toBeGreaterThan(0);
        }
      }
    }
    const profiles = ARCHETYPE_CODES.map((c) => JSON.stringify(data.targets[c]));
    expect(new Set(profiles).size).toBe(ARCHETYPE_CODES.length);
  });

  it('names and describes 4 levels and 5 archetypes', () => {
    expect(data.levels.map((l) => l.level)).toEqual([1, 2, 3, 4]);
    expect(new Set(data.levels.map((l) => l.name)).size).toBe(4);
    expect(data.archetypes.map((a) => a.name)).toEqual([
      'Shapers',
      'Drivers',
      'Creators',
      'Embedders',
      'Users',
    ]);
    for (const a of data.archetypes) {
      expect(a.exampleRoles.length).toBeGreaterThan(0);
      expect(a.description.length).toBeGreaterThan(50);
    }
  });

  it('lists the professions and work settings people describe themselves with', () => {
    const professions = data.professions.map((p) => p.name.toLowerCase());
    for (const needed of [
      'physiotherapist',
      'nurse',
      'doctor',
      'dentist',
      'pharmacist',
      'paramedic',
      'bioinformatician',
      'data analyst',
      'data scientist',
      'healthcare scientist',
      'midwife',
      'psychologist',
      'student',
    ]) {
      expect(
        professions.some((p) => p.includes(needed)),
        needed,
      ).toBe(true);
    }
    expect(professions.some((p) => p.includes('allied health'))).toBe(true);
    expect(professions.some((p) => p.includes('administrative'))).toBe(true);
    const settings = data.workSettings.map((s) => s.name.toLowerCase());
    for (const needed of [
      'acute',
      'community',
      'primary care',
      'mental health',
      'ambulance',
      'social care',
      'rural',
    ]) {
      expect(
        settings.some((s) => s.includes(needed)),
        needed,
      ).toBe(true);
    }
  });
});
