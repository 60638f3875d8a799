/** The synthetic workforce's generator: deterministic, labelled, and shaped as the demo needs. */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../platform/random.js';
import {
  invitationsRoster,
  quarterStart,
  syntheticInvitations,
  syntheticName,
  syntheticWorkforce,
  WORKFORCE_UNITS,
} from './demo-workforce.js';

// Targets as the framework has them, for two archetypes and three areas.
const targets = {
  U: { '1': 1, '2.1': 2, '5.1.4': 1 },
  E: { '1': 3, '2.1': 2, '5.1.4': 2 },
  C: { '1': 2, '2.1': 2, '5.1.4': 4 },
  D: { '1': 4, '2.1': 2, '5.1.4': 1 },
  S: { '1': 3, '2.1': 2, '5.1.4': 2 },
};
const now = new Date('2026-05-14T10:30:00Z');

describe('the synthetic workforce', () => {
  it('is the same every time, whatever the date (only the dates move)', () => {
    const a = syntheticWorkforce(now, targets);
    const b = syntheticWorkforce(new Date('2027-01-02T09:00:00Z'), targets);
    const strip = (list: typeof a) =>
      list.map((p) => ({
        ...p,
        submissions: p.submissions.map((s) => s.levels),
        inProgress: p.inProgress && { ...p.inProgress, startedAt: 0, updatedAt: 0 },
      }));
    expect(strip(a)).toEqual(strip(b));
    expect(syntheticWorkforce(now, targets)).toEqual(a);
    expect([0, 1, 2].map(mulberry32(7))).toEqual([0, 1, 2].map(mulberry32(7)));
  });

  it('labels everyone as synthetic, with distinct names and demo addresses', () => {
    const staff = syntheticWorkforce(now, targets);
    expect(staff).toHaveLength(WORKFORCE_UNITS.reduce((n, u) => n + u.size, 0));
    expect(staff[0]?.email).toBe('staff.001@demo.digicap.example');
    expect(staff.every((p) => p.displayName.endsWith(' (synthetic demo)'))).toBe(true);
    expect(new Set(staff.map((p) => p.displayName)).size).toBe(staff.length);
    expect(new Set(staff.map((p) => p.email)).size).toBe(staff.length);
    expect(syntheticName(0)).toBe('Olivia Smith (synthetic demo)');
  });

  it('submits about 65% (a fifth of them twice, later a little better) and has 10% in progress', () => {
    const staff = syntheticWorkforce(now, targets);
    const submitted = staff.filter((p) => p.submissions.length > 0);
    expect(submitted.length / staff.length).toBeCloseTo(0.65, 1);
    const twice = submitted.filter((p) => p.submissions.length === 2);
    expect(twice.length / submitted.length).toBeCloseTo(0.2, 1);
    expect(staff.filter((p) => p.inProgress).length / staff.length).toBeCloseTo(0.1, 1);
    expect(staff.some((p) => p.inProgress && p.submissions.length > 0)).toBe(false);
    const total = (levels: Readonly<Record<string, number>>) =>
      Object.values(levels).reduce((n, l) => n + l, 0);
    for (const p of twice) {
      const [earlier, later] = p.submissions;
      if (!earlier || !later) throw new Error('two submissions expected');
      expect(later.submittedAt.getTime()).toBeGreaterThan(earlier.submittedAt.getTime());
      expect(total(later.levels)).toBeGreaterThanOrEqual(total(earlier.levels) - 1);
    }
  });

  it('places submissions in the current quarter and the three before, never after now', () => {
    const staff = syntheticWorkforce(now, targets);
    for (const p of staff) {
      if (!p.inProgress) continue;
      expect(p.inProgress.startedAt.getTime()).toBeGreaterThan(now.getTime() - 43 * 86_400_000);
      expect(p.inProgress.updatedAt.getTime()).toBeGreaterThan(p.inProgress.startedAt.getTime());
      expect(p.inProgress.updatedAt.getTime()).toBeLessThan(now.getTime());
    }
    const quarters = new Set<number>();
    for (const s of staff.flatMap((p) => p.submissions)) {
      expect(s.submittedAt.getTime()).toBeLessThan(now.getTime());
      expect(s.startedAt.getTime()).toBeLessThan(s.submittedAt.getTime());
      const back = [0, 1, 2, 3].find((q) => s.submittedAt >= quarterStart(now, q));
      expect(back).toBeDefined();
      quarters.add(back ?? -1);
    }
    expect([...quarters].sort()).toEqual([0, 1, 2, 3]);
    expect(quarterStart(now, 0).toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(quarterStart(now, 3).toISOString()).toBe('2025-07-01T00:00:00.000Z');
    // On the first minutes of a quarter, this quarter's submissions are still in the past.
    const early = new Date('2026-07-01T00:00:30Z');
    for (const s of syntheticWorkforce(early, targets).flatMap((p) => p.submissions))
      expect(s.submittedAt.getTime()).toBeLessThanOrEqual(early.getTime());
  });

  it('keeps levels between 0 and 4, leaning by profession', () => {
    const staff = syntheticWorkforce(now, targets);
    const levels = staff.flatMap((p) => p.submissions.flatMap((s) => Object.values(s.levels)));
    expect(Math.min(...levels)).toBe(0);
    expect(Math.max(...levels)).toBe(4);
    const mean = (profession: string, area: string) => {
      const found = staff
        .filter((p) => p.professionCode === profession)
        .flatMap((p) => p.submissions.map((s) => s.levels[area] ?? 0));
      return found.reduce((n, l) => n + l, 0) / found.length;
    };
    expect(mean('data-analyst', '5.1.4')).toBeGreaterThan(mean('nurse', '5.1.4') + 1);
  });

  it('invites twenty more people by a roster file', () => {
    const invitations = syntheticInvitations();
    expect(invitations).toHaveLength(20);
    const roster = invitationsRoster(invitations).split('\n');
    expect(roster[0]).toBe('email,name,profession,unit path,role');
    expect(roster[1]).toMatch(
      /^new\.starter\.01@demo\.digicap\.example,[^,]+ \(synthetic demo\),nurse,Medicine > Cardiology > Ward 6,member; line manager$/,
    );
    expect(roster).toHaveLength(21);
  });
});
