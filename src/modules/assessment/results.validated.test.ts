import { describe, expect, it } from 'vitest';
import { handMadeResults } from '../../../test/support/assessments.js';
import { comparePage, VALIDATED_NOW_HEADING } from './history.presenter.js';
import { domainTableArgs, resultsPage, VALIDATED_HEADING } from './results.presenter.js';
import { validatedCellText, validatedLevelText } from './results.validated.js';

const results = handMadeResults([
  ['1.1', 'Using data', '1', 2, 3],
  ['1.2', 'Sharing data', '1', 4, 3],
]);
const validated = [
  {
    areaCode: '1.1',
    level: 3,
    validatorName: 'Morgan Reid',
    validatedAt: new Date('2026-03-20T12:00:00Z'),
  },
  // An area these results do not have (another framework version): left out.
  { areaCode: '9.9', level: 2, validatorName: 'Jo', validatedAt: new Date('2026-03-20') },
];
const base = {
  assessmentId: 'a1',
  ownerName: 'Priya Sharma',
  results,
  currentAreaCodes: new Set(['1.1', '1.2']),
};

describe('validated levels on the results page', () => {
  it('says who validated which level when, in the same words everywhere', () => {
    expect(
      validatedLevelText(validated[0] ?? { level: 0, validatorName: '', validatedAt: new Date() }),
    ).toBe('Validated: level 3 by Morgan Reid, 20 March 2026');
  });

  it('adds a column of its own beside the person’s level, which keeps its own value', () => {
    const page = resultsPage({ ...base, audience: 'owner', validated });
    const table = page.domains[0]?.tableArgs;
    expect(table?.head.map((h) => h.text)).toEqual([
      'Area',
      'Your level (self-assessed)',
      VALIDATED_HEADING,
      'Target level',
      'Compared with target',
    ]);
    const [first, second] = table?.rows ?? [];
    expect(first?.[1]).toEqual({ header: 'Your level (self-assessed)', text: 'Level 2' });
    expect(first?.[2]).toEqual({
      header: VALIDATED_HEADING,
      text: 'Validated: level 3 by Morgan Reid, 20 March 2026',
    });
    expect(second?.[2]).toEqual({ header: VALIDATED_HEADING, text: 'Not validated' });
    // Still a gap: the gap is the person's own level against the target, never the validated one.
    expect(page.gaps.map((g) => [g.areaCode, g.levelText, g.validatedText])).toEqual([
      ['1.1', 'Level 2', 'Validated: level 3 by Morgan Reid, 20 March 2026'],
    ]);
    expect(page.summaryText).toMatch(/^1 area is below your target level/);
    expect(page.validatedNote).toMatch(/never combined/);
  });

  it('names the person on the shared view', () => {
    const page = resultsPage({ ...base, audience: 'viewer', validated });
    expect(page.domains[0]?.tableArgs.head[1]?.text).toBe('Priya Sharma’s level (self-assessed)');
    expect(page.validatedNote).toMatch(/^Priya Sharma’s own rating/);
  });

  it('changes nothing without validated levels for these areas', () => {
    for (const levels of [undefined, [], validated.slice(1)]) {
      const page = resultsPage({ ...base, audience: 'owner', validated: levels });
      expect(page.domains[0]?.tableArgs.head.map((h) => h.text)).toEqual([
        'Area',
        'Your level',
        'Target level',
        'Compared with target',
      ]);
      expect(page.validatedNote).toBeUndefined();
    }
    const group = { code: '1', name: 'Domain 1', items: results.areas };
    expect(domainTableArgs(results, group, new Set()).head).toHaveLength(4);
  });
});

describe('validated levels on the comparison of two assessments', () => {
  const later = handMadeResults(
    [
      ['1.1', 'Using data', '1', 3, 3],
      ['1.2', 'Sharing data', '1', 4, 3],
    ],
    { submittedAt: '2026-06-01T09:00:00.000Z' },
  );
  const compare = (levels: typeof validated | undefined) =>
    comparePage(
      { id: 'a', submittedAt: new Date(results.submittedAt), results },
      { id: 'b', submittedAt: new Date(later.submittedAt), results: later },
      { currentAreaCodes: base.currentAreaCodes, validated: levels },
    );
  const plain = compare(undefined);

  it('adds a column of its own after the change; the compared levels are labelled self-assessed', () => {
    const page = compare(validated);
    const table = page.domains[0]?.tableArgs;
    const [from, to] = plain.domains[0]?.tableArgs.head.slice(1, 3).map((h) => h.text) ?? [];
    expect(table?.head.map((h) => h.text)).toEqual([
      'Area',
      `${String(from)} (self-assessed)`,
      `${String(to)} (self-assessed)`,
      'Change',
      VALIDATED_NOW_HEADING,
    ]);
    const [first, second] = table?.rows ?? [];
    expect(first?.slice(1).map((c) => c.text)).toEqual([
      'Level 2',
      'Level 3',
      '+1',
      'Validated: level 3 by Morgan Reid, 20 March 2026',
    ]);
    expect(first?.[4]?.header).toBe(VALIDATED_NOW_HEADING);
    expect(second?.[4]?.text).toBe('Not validated');
    expect(page.validatedNote).toMatch(/never counted in the comparison/);
  });

  it('never counts them in the levels compared, the change, the chart or the summary', () => {
    const page = compare(validated);
    expect(page.summary).toEqual(plain.summary);
    expect(page.summaryListArgs).toEqual(plain.summaryListArgs);
    expect(page.chartSvg).toBe(plain.chartSvg);
    const compared = (p: typeof page) =>
      p.domains.map((d) => d.tableArgs.rows.map((r) => r.slice(1, 4).map((c) => c.text)));
    expect(compared(page)).toEqual(compared(plain));
  });

  it('changes nothing without validated levels for the areas compared', () => {
    for (const levels of [undefined, [], validated.slice(1)]) {
      const page = compare(levels);
      expect(page.domains[0]?.tableArgs.head.map((h) => h.text)).toEqual(
        plain.domains[0]?.tableArgs.head.map((h) => h.text),
      );
      expect(page.domains[0]?.tableArgs.head).toHaveLength(4);
      expect(page.validatedNote).toBeUndefined();
    }
  });

  it('words a cell the way the results page does', () => {
    expect(validatedCellText(undefined)).toBe('Not validated');
    expect(validatedCellText(validated[0])).toBe(
      'Validated: level 3 by Morgan Reid, 20 March 2026',
    );
  });
});
