/**
 * The results presenters and charts: grouping by domain, gap and strength order and links,
 * what-next guidance, the accessible SVG charts, and comparisons between two snapshots.
 */
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { handMadeResults } from '../../../test/support/assessments.js';
import { changeText, comparisonChartSvg } from './results.chart.js';
import { compareSnapshots, comparePage, progressPage } from './history.presenter.js';
import {
  byDomain,
  levelChartSvg,
  nextSteps,
  prioritisedGaps,
  resultsPage,
  statusText,
  strengths,
} from './results.presenter.js';

const results = handMadeResults([
  ['1', 'Digital implementation', '1', 1, 2, 10],
  ['2.1', 'Providing direct care with digital technologies', '2', 2, 2],
  ['2.2', 'Remote consultation and monitoring', '2', 0, 2, 6],
  ['6.1', 'Machine learning & <NLP>', '6', 3, 1],
  ['6.3', 'Evaluating AI systems', '6', 1, 3, 4],
  ['6.4', 'Robotics', '6', 0, 0],
]);
/** The snapshot's version is the current one: every area can be linked. */
const everyArea: ReadonlySet<string> = new Set(results.areas.map((a) => a.areaCode));

const svg = (text: string) => cheerio.load(text, { xml: true });

describe('grouping and ordering', () => {
  it('groups areas by domain in framework order', () => {
    const groups = byDomain(results.areas);
    expect(groups.map((g) => [g.code, g.items.map((a) => a.areaCode)])).toEqual([
      ['1', ['1']],
      ['2', ['2.1', '2.2']],
      ['6', ['6.1', '6.3', '6.4']],
    ]);
  });

  it('orders gaps by shortfall, then breadth, each linking to its framework area', () => {
    // 2.2 and 6.3 both fall 2 short; 2.2 has the larger pool (6 > 4); then 1 (1 short).
    expect(prioritisedGaps(results)).toEqual([
      expect.objectContaining({
        areaCode: '2.2',
        href: '/frameworks/ai-digital-healthcare/areas/2.2',
        levelText: 'Below level 1',
        targetText: 'Level 2',
        shortfallText: '2 levels below target',
      }),
      expect.objectContaining({ areaCode: '6.3', shortfallText: '2 levels below target' }),
      expect.objectContaining({ areaCode: '1', shortfallText: '1 level below target' }),
    ]);
  });

  it('follows the snapshot order rather than recomputing it', () => {
    const reordered = { ...results, gaps: ['1', '6.3', 'gone', '2.2'] };
    expect(prioritisedGaps(reordered).map((g) => g.areaCode)).toEqual(['1', '6.3', '2.2']);
  });

  it('lists strengths strongest first, with links', () => {
    expect(strengths(results).map((s) => [s.areaCode, s.href])).toEqual([
      ['6.1', '/frameworks/ai-digital-healthcare/areas/6.1'],
      ['2.1', '/frameworks/ai-digital-healthcare/areas/2.1'],
    ]);
  });

  it('says in words how each area compares with its target', () => {
    const [one, twoOne, twoTwo, sixOne, , sixFour] = results.areas;
    expect(one && statusText(one)).toBe('1 level below target');
    expect(twoOne && statusText(twoOne)).toBe('Meets target');
    expect(twoTwo && statusText(twoTwo)).toBe('2 levels below target');
    expect(sixOne && statusText(sixOne)).toBe('Above target');
    expect(sixFour && statusText(sixFour)).toBe('No target for your archetypes');
  });
});

describe('resultsPage', () => {
  const page = resultsPage({
    assessmentId: 'a1',
    ownerName: 'Priya Sharma',
    results,
    archetypeNames: { U: 'Users' },
    audience: 'owner',
    currentAreaCodes: everyArea,
  });

  it('has one table per domain with level, target and status, areas linked', () => {
    expect(page.domains.map((d) => d.tableArgs.caption)).toEqual([
      '1 Domain 1',
      '2 Domain 2',
      '6 Domain 6',
    ]);
    const sixth = page.domains[2]?.tableArgs.rows[0];
    expect(sixth?.[0]?.html).toBe(
      '<a class="nhsuk-link" href="/frameworks/ai-digital-healthcare/areas/6.1">6.1 Machine learning &amp; &lt;NLP&gt;</a>',
    );
    expect(sixth?.slice(1, 3).map((c) => c.text)).toEqual(['Level 3', 'Level 1']);
  });

  it('summarises the gaps and names the framework version and archetypes', () => {
    expect(page.summaryText).toBe('3 areas are below your target level, out of 6 areas assessed.');
    const rows = page.summaryListArgs.rows.map((r) => [r.key.text, r.value.text ?? r.value.html]);
    expect(rows).toContainEqual(['Framework', 'AI and digital healthcare capabilities, version 1']);
    expect(rows).toContainEqual(['Archetypes', 'Users']);
    expect(rows).toContainEqual(['Name', 'Priya Sharma']);
  });

  it('gives the owner links to downloads, sharing and progress; a shared view gets none', () => {
    expect(page.links).toEqual({
      pdf: '/assessments/a1/report.pdf',
      csv: '/assessments/a1/export.csv',
      json: '/assessments/a1/export.json',
      sharing: '/assessments/a1/sharing',
      progress: '/progress',
    });
    const shared = resultsPage({
      assessmentId: 'a1',
      ownerName: 'Priya',
      results,
      audience: 'viewer',
      currentAreaCodes: everyArea,
    });
    expect(shared.links).toBeUndefined();
    expect(shared.heading).toBe('Priya’s results');
    expect(shared.nextSteps.some((s) => s.href?.includes('/sharing'))).toBe(false);
  });
});

describe('who the page speaks to', () => {
  const viewer = resultsPage({
    assessmentId: 'a1',
    ownerName: 'Priya Sharma',
    results,
    archetypeNames: { U: 'Users' },
    audience: 'viewer',
    currentAreaCodes: everyArea,
  });
  /** Every piece of text the presenter produces for the page, SVG included. */
  const allText = (page: ReturnType<typeof resultsPage>) =>
    [
      page.summaryText,
      cheerio.load(page.chartSvg, { xml: true }).root().text(),
      ...page.summaryListArgs.rows.map((r) => r.value.text ?? ''),
      ...page.domains.flatMap((d) => [
        ...d.tableArgs.head.map((h) => h.text),
        ...d.tableArgs.rows.flatMap((row) =>
          row.map(
            (c) =>
              c.text ??
              cheerio
                .load(c.html ?? '')
                .root()
                .text(),
          ),
        ),
      ]),
      ...page.nextSteps.map((s) => s.text),
    ].join('\n');

  it('speaks to the owner as "you"', () => {
    expect(page().summaryText).toBe(
      '3 areas are below your target level, out of 6 areas assessed.',
    );
    const $ = svg(page().chartSvg);
    expect($('svg > title').text()).toBe('Your level in each area, with your target level marked');
    expect(page().domains[0]?.tableArgs.head[1]?.text).toBe('Your level');
    expect(page().nextSteps[0]?.text).toMatch(/^Start with your most urgent gap/);
  });

  it('names the owner to someone it is shared with, and never says "your"', () => {
    expect(viewer.summaryText).toBe(
      '3 areas are below their target level, out of 6 areas assessed.',
    );
    const $ = svg(viewer.chartSvg);
    expect($('svg > title').text()).toBe(
      'Priya Sharma’s level in each area, with their target level marked',
    );
    expect($('svg > desc').text()).toMatch(
      /^Bar chart of 6 areas\. Each bar is Priya Sharma’s level/,
    );
    expect(viewer.domains[0]?.tableArgs.head[1]?.text).toBe('Priya Sharma’s level');
    const sixFour = viewer.domains[2]?.tableArgs.rows[2];
    expect(sixFour?.[3]?.html).toMatch(/No target for their archetypes/);
    expect(viewer.nextSteps[0]?.text).toMatch(/^Priya Sharma’s most urgent gap is first/);
    expect(viewer.nextSteps.at(-1)?.text).toMatch(/^Talk with Priya Sharma about these results/);
    expect(allText(viewer)).not.toMatch(/\byou(r|rs)?\b/i);
  });

  it('says the owner meets their targets, by name, when there are no gaps', () => {
    const none = handMadeResults([['1', 'Digital implementation', '1', 3, 2]]);
    const shared = resultsPage({
      assessmentId: 'a1',
      ownerName: 'Priya Sharma',
      results: none,
      audience: 'viewer',
      currentAreaCodes: everyArea,
    });
    expect(shared.summaryText).toBe(
      'Priya Sharma meets their target level in every area that has one (1 area assessed).',
    );
    expect(shared.nextSteps[0]?.text).toMatch(/^Priya Sharma meets the target level/);
    expect(allText(shared)).not.toMatch(/\byou(r|rs)?\b/i);
  });

  function page() {
    return resultsPage({
      assessmentId: 'a1',
      ownerName: 'Priya Sharma',
      results,
      audience: 'owner',
      currentAreaCodes: everyArea,
    });
  }
});

describe('areas answered entirely "not relevant to my role"', () => {
  // 2.2 was answered "not relevant" throughout: the engine recorded level 0 against target 2,
  // and the snapshot lists it as the most urgent gap. The snapshot is not changed.
  const withNotRelevant = {
    ...results,
    areas: results.areas.map((a) =>
      a.areaCode === '2.2' ? { ...a, answered: 0, notRelevant: 3 } : a,
    ),
  };
  const page = (audience: 'owner' | 'viewer') =>
    resultsPage({
      assessmentId: 'a1',
      ownerName: 'Priya Sharma',
      results: withNotRelevant,
      audience,
      currentAreaCodes: everyArea,
    });

  it('is not a prioritised gap, nor the first step, though the snapshot lists it', () => {
    expect(withNotRelevant.gaps[0]).toBe('2.2');
    expect(prioritisedGaps(withNotRelevant).map((g) => g.areaCode)).toEqual(['6.3', '1']);
    expect(page('owner').gaps.map((g) => g.areaCode)).toEqual(['6.3', '1']);
    expect(nextSteps(withNotRelevant)[0]?.linkText).toBe('6.3 Evaluating AI systems');
    expect(page('owner').summaryText).toBe(
      '2 areas are below your target level, out of 6 areas assessed. 1 area was marked not relevant to your role.',
    );
  });

  it('shows "Not relevant to your role" in the table instead of a level', () => {
    const row = page('owner').domains[1]?.tableArgs.rows[1];
    expect(row?.[0]?.html).toMatch(/2\.2 Remote consultation/);
    expect(row?.[1]?.text).toBe('Not relevant to your role');
    expect(row?.[2]?.text).toBe('Level 2');
    expect(row?.[3]?.html).toMatch(/nhsuk-tag--grey">Not counted as a gap</);
    expect(page('viewer').domains[1]?.tableArgs.rows[1]?.[1]?.text).toBe(
      'Not relevant to their role',
    );
  });

  it('has no bar or target mark in the chart, and is not counted below target', () => {
    const $ = svg(page('owner').chartSvg);
    const row = $('g.app-chart__row[data-area="2.2"]');
    expect(row.find('rect.app-chart__bar').length).toBe(0);
    expect(row.find('.app-chart__target-mark').length).toBe(0);
    expect(row.find('.app-chart__not-relevant').text()).toBe('Not relevant to your role');
    expect($('svg > desc').text()).toMatch(
      /2 areas are below target\. 1 area was marked not relevant/,
    );
  });

  it('still counts an area answered partly "not relevant" by the statements answered', () => {
    const partly = {
      ...results,
      areas: results.areas.map((a) => (a.areaCode === '2.2' ? { ...a, notRelevant: 2 } : a)),
    };
    expect(prioritisedGaps(partly)[0]?.areaCode).toBe('2.2');
  });
});

describe('nextSteps', () => {
  it('starts with the most urgent gap and points only at digicap’s own pages', () => {
    const steps = nextSteps(results, { assessmentId: 'a1' });
    expect(steps[0]).toEqual(
      expect.objectContaining({
        href: '/frameworks/ai-digital-healthcare/areas/2.2',
        linkText: '2.2 Remote consultation and monitoring',
      }),
    );
    for (const step of steps) if (step.href) expect(step.href).toMatch(/^\//);
  });

  it('says so when there are no gaps', () => {
    const none = handMadeResults([['1', 'Digital implementation', '1', 3, 2]]);
    expect(nextSteps(none)[0]?.text).toMatch(/meet the target level in every area/);
  });
});

describe('levelChartSvg', () => {
  const $ = svg(levelChartSvg(results.areas));

  it('is one accessible image with a title and a description', () => {
    const root = $('svg');
    expect(root.attr('role')).toBe('img');
    const [titleId, descId] = (root.attr('aria-labelledby') ?? '').split(' ');
    expect($(`title#${titleId ?? ''}`).text()).toMatch(/Your level in each area/);
    expect($(`desc#${descId ?? ''}`).text()).toMatch(/6 areas.*3 areas are below target.*table/);
  });

  it('has a labelled bar per area, as long as its level, and a mark per target', () => {
    const rows = $('g.app-chart__row');
    expect(rows.length).toBe(6);
    const widths = rows.map((_, row) => Number($(row).find('rect.app-chart__bar').attr('width')));
    // Level 0 ("below level 1") is a short stub, so it differs from an area not assessed.
    expect(widths.get()).toEqual([90, 180, 3, 270, 90, 3]);
    const levels = rows.map((_, row) => $(row).find('rect.app-chart__bar').attr('data-level'));
    expect(levels.get()).toEqual(['1', '2', '0', '3', '1', '0']);
    expect(rows.map((_, row) => $(row).find('.app-chart__label').text()).get()[3]).toBe(
      '6.1 Machine learning & <NLP>',
    );
    const targets = $('g.app-chart__target-mark')
      .map((_, g) => $(g).attr('data-target'))
      .get();
    expect(targets).toEqual(['2', '2', '2', '1', '3']);
    // Robotics has no target, so no mark.
    expect($('g.app-chart__row[data-area="6.4"] .app-chart__target-mark').length).toBe(0);
  });

  it('escapes text and uses no style attributes (the CSP forbids inline styles)', () => {
    const text = levelChartSvg(results.areas);
    expect(text).toContain('Machine learning &amp; &lt;NLP&gt;');
    expect(text).not.toMatch(/\sstyle=/);
  });
});

describe('comparisons', () => {
  const later = handMadeResults(
    [
      ['1', 'Digital implementation', '1', 2, 2],
      ['2.1', 'Providing direct care with digital technologies', '2', 1, 2],
      ['2.2', 'Remote consultation and monitoring', '2', 0, 2],
      ['7.1', 'A new area', '7', 2, 1],
    ],
    { frameworkVersion: 2, submittedAt: '2026-06-01T09:00:00.000Z' },
  );

  it('gives the change per area, matching by code, with areas missing from either side', () => {
    const rows = compareSnapshots(results, later);
    expect(rows.map((r) => [r.areaCode, r.from, r.to, r.change])).toEqual([
      ['1', 1, 2, 1],
      ['2.1', 2, 1, -1],
      ['2.2', 0, 0, 0],
      ['7.1', null, 2, null],
      ['6.1', 3, null, null],
      ['6.3', 1, null, null],
      ['6.4', 0, null, null],
    ]);
    expect(rows.map(changeText)).toEqual([
      '+1',
      '−1',
      'No change',
      'New area',
      'Not assessed',
      'Not assessed',
      'Not assessed',
    ]);
  });

  it('draws both bars where there are two levels, and says which are missing', () => {
    const rows = compareSnapshots(results, later);
    const $ = svg(comparisonChartSvg(rows, { from: 'March', to: 'June' }));
    expect($('svg').attr('role')).toBe('img');
    expect($('g.app-chart__row').length).toBe(7);
    const first = $('g.app-chart__row[data-area="1"]');
    expect(first.find('rect.app-chart__bar--from').attr('width')).toBe('90');
    expect(first.find('rect.app-chart__bar--to').attr('width')).toBe('180');
    expect(first.find('.app-chart__change').text()).toBe('+1');
    const added = $('g.app-chart__row[data-area="7.1"]');
    expect(added.find('rect.app-chart__bar--from').length).toBe(0);
    expect(added.find('.app-chart__missing').text()).toBe('Not assessed');
  });

  it('builds the comparison page with tables and notes differing framework versions', () => {
    const page = comparePage(
      { id: 'a', submittedAt: new Date(results.submittedAt), results },
      { id: 'b', submittedAt: new Date(later.submittedAt), results: later },
      { currentAreaCodes: everyArea },
    );
    expect(page.versionsDiffer).toBe(true);
    expect(page.summary).toEqual({ up: 1, down: 1, same: 1, onlyOne: 4, notCompared: 0 });
    const cells = page.domains[0]?.tableArgs.rows[0]?.slice(1).map((c) => c.text);
    expect(cells).toEqual(['Level 1', 'Level 2', '+1']);
  });

  it('preselects the two newest assessments, older first, on the progress page', () => {
    const entries = [
      { id: 'new', submittedAt: new Date('2026-06-01'), results: later },
      { id: 'old', submittedAt: new Date('2026-03-01'), results },
    ];
    const page = progressPage(entries);
    expect(page.fromSelectArgs.items.find((i) => i.selected)?.value).toBe('old');
    expect(page.toSelectArgs.items.find((i) => i.selected)?.value).toBe('new');
    expect(page.canCompare).toBe(true);
    expect(progressPage(entries.slice(0, 1)).canCompare).toBe(false);
  });
});

describe('comparing an area answered entirely "not relevant to my role"', () => {
  // The engine records such an area as level 0; it is neither "below level 1" nor a fall or rise.
  const notRelevantIn = (snapshot: typeof results, codes: string[]) => ({
    ...snapshot,
    areas: snapshot.areas.map((a) =>
      codes.includes(a.areaCode) ? { ...a, level: 0, answered: 0, notRelevant: 4 } : a,
    ),
  });
  // Earlier: 2.2 and 6.4 not relevant. Later: 2.2 at level 1 (would read as a rise), 6.3 not
  // relevant (would read as a fall from level 1), 6.4 still not relevant.
  const earlier = notRelevantIn(results, ['2.2', '6.4']);
  const later = notRelevantIn(
    {
      ...results,
      submittedAt: '2026-06-01T09:00:00.000Z',
      areas: results.areas.map((a) => (a.areaCode === '2.2' ? { ...a, level: 1 } : a)),
    },
    ['6.3', '6.4'],
  );
  const page = () =>
    comparePage(
      { id: 'a', submittedAt: new Date(earlier.submittedAt), results: earlier },
      { id: 'b', submittedAt: new Date(later.submittedAt), results: later },
      { currentAreaCodes: new Set(results.areas.map((a) => a.areaCode)) },
    );
  /** The comparison table's cells for an area, without its link markup. */
  const cellsFor = (code: string) =>
    page()
      .domains.flatMap((d) => d.tableArgs.rows)
      .find((row) => row[0]?.html?.includes(`>${code} `))
      ?.slice(1)
      .map((c) => c.text);

  it('shows "Not relevant to your role" instead of a level, and does not count it as a change', () => {
    expect(cellsFor('2.2')).toEqual(['Not relevant to your role', 'Level 1', 'Not compared']);
    expect(cellsFor('6.3')).toEqual(['Level 1', 'Not relevant to your role', 'Not compared']);
    expect(cellsFor('6.4')).toEqual([
      'Not relevant to your role',
      'Not relevant to your role',
      'No change',
    ]);
    expect(page().summary).toEqual({ up: 0, down: 0, same: 4, onlyOne: 0, notCompared: 2 });
    const rows = page().summaryListArgs.rows.map((r) => [r.key.text, r.value.text]);
    expect(rows).toContainEqual(['Areas that went up', '0']);
    expect(rows).toContainEqual(['Areas that went down', '0']);
    expect(rows).toContainEqual(['Areas not relevant to your role in one of them', '2']);
  });

  it('draws no bar for it in the chart, says so, and leaves it out of the rises and falls', () => {
    const $ = svg(page().chartSvg);
    const row = $('g.app-chart__row[data-area="2.2"]');
    expect(row.find('rect.app-chart__bar--from').length).toBe(0);
    expect(row.find('rect.app-chart__bar--to').attr('data-level')).toBe('1');
    expect(row.find('.app-chart__not-relevant').text()).toBe('Not relevant');
    expect(row.find('.app-chart__change').text()).toBe('Not compared');
    expect($('g.app-chart__row[data-area="6.4"] rect').length).toBe(0);
    expect($('svg > desc').text()).toMatch(/0 went up and 0 went down/);
  });

  it('is not counted as a gap in the list of assessments', () => {
    const list = progressPage([
      { id: 'b', submittedAt: new Date(later.submittedAt), results: later },
    ]);
    // The snapshot lists 2.2, 6.3 and 1 as gaps; 6.3 is not relevant.
    expect(later.gaps).toEqual(['2.2', '6.3', '1']);
    expect(list.tableArgs.rows[0]?.[2]?.text).toBe('2');
  });
});

describe('the person’s profile in the summary', () => {
  const rowsOf = (page: ReturnType<typeof resultsPage>) =>
    page.summaryListArgs.rows.map((r) => [r.key.text, r.value.text ?? r.value.html]);
  const base = {
    assessmentId: 'a1',
    ownerName: 'Priya Sharma',
    audience: 'owner' as const,
    currentAreaCodes: new Set<string>(),
  };

  it('names the profession and work setting from the framework’s lists, after the framework', () => {
    const rows = rowsOf(
      resultsPage({
        ...base,
        results,
        professionNames: { nurse: 'Nurse' },
        workSettingNames: { acute: 'Acute hospital' },
      }),
    );
    expect(rows.map(([key]) => key)).toEqual([
      'Name',
      'Submitted',
      'Framework',
      'Profession',
      'Work setting',
      'Archetypes',
      'Assessment',
    ]);
    expect(rows).toContainEqual(['Profession', 'Nurse']);
    expect(rows).toContainEqual(['Work setting', 'Acute hospital']);
  });

  it('shows a code no longer in the lists as recorded, and says when none was given', () => {
    const rows = rowsOf(
      resultsPage({
        ...base,
        results: { ...results, professionCode: 'retired-profession', workSettingCode: null },
        professionNames: { nurse: 'Nurse' },
      }),
    );
    expect(rows).toContainEqual(['Profession', 'retired-profession']);
    expect(rows).toContainEqual(['Work setting', 'Not given']);
  });
});

describe('links to framework areas from a snapshot of an earlier version', () => {
  // The framework explorer shows only the current version: link an area only where the current
  // version still has an area with its code. Here 2.2 (the most urgent gap) and 6.1 (a strength)
  // are gone from it.
  const current = new Set(['1', '2.1', '6.3', '6.4']);
  const page = resultsPage({
    assessmentId: 'a1',
    ownerName: 'Priya Sharma',
    results,
    audience: 'owner',
    currentAreaCodes: current,
  });

  it('links gaps and strengths still in the current version, and names the others unlinked', () => {
    expect(page.gaps.map((g) => [g.areaCode, g.href])).toEqual([
      ['2.2', undefined],
      ['6.3', '/frameworks/ai-digital-healthcare/areas/6.3'],
      ['1', '/frameworks/ai-digital-healthcare/areas/1'],
    ]);
    expect(page.gaps[0]?.label).toBe('2.2 Remote consultation and monitoring');
    expect(page.strengths.map((s) => [s.areaCode, s.href])).toEqual([
      ['6.1', undefined],
      ['2.1', '/frameworks/ai-digital-healthcare/areas/2.1'],
    ]);
  });

  it('names a gone area in the tables and next steps without a link', () => {
    const sixOne = page.domains[2]?.tableArgs.rows[0]?.[0];
    expect(sixOne?.html).toBe('6.1 Machine learning &amp; &lt;NLP&gt;');
    const sixThree = page.domains[2]?.tableArgs.rows[1]?.[0];
    expect(sixThree?.html).toMatch(/^<a class="nhsuk-link" href="[^"]+\/areas\/6\.3">/);
    expect(page.nextSteps[0]).toEqual(
      expect.objectContaining({
        href: undefined,
        linkText: '2.2 Remote consultation and monitoring',
      }),
    );
  });

  it('links every area when the snapshot’s version is the current one', () => {
    const all = resultsPage({
      assessmentId: 'a1',
      ownerName: 'Priya Sharma',
      results,
      audience: 'owner',
      currentAreaCodes: new Set(results.areas.map((a) => a.areaCode)),
    });
    expect(all.gaps.every((g) => g.href?.startsWith('/frameworks/'))).toBe(true);
    expect(all.nextSteps[0]?.href).toBe('/frameworks/ai-digital-healthcare/areas/2.2');
  });

  it('links the comparison page’s areas the same way', () => {
    const later = handMadeResults([['6.1', 'Machine learning', '6', 3, 1]], {
      submittedAt: '2026-06-01T09:00:00.000Z',
    });
    const compared = comparePage(
      { id: 'a', submittedAt: new Date(results.submittedAt), results },
      { id: 'b', submittedAt: new Date(later.submittedAt), results: later },
      { currentAreaCodes: current },
    );
    const cells = compared.domains.flatMap((d) => d.tableArgs.rows.map((r) => r[0]?.html));
    expect(cells).toContain('6.1 Machine learning');
    expect(cells).toContain(
      '<a class="nhsuk-link" href="/frameworks/ai-digital-healthcare/areas/6.3">6.3 Evaluating AI systems</a>',
    );
  });
});
