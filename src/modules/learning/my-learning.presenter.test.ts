/** My learning's view model: preferences in words, why a gap's list is empty, notices. */
import { describe, expect, it } from 'vitest';
import { myLearningPage, preferencesSummary } from './my-learning.presenter.js';
import { NO_PREFERENCES } from './recommend.js';
import type { GapLearning, MyLearning } from './recommendations.service.js';

const gap = (counts: GapLearning['counts'], recommendations: GapLearning['recommendations'] = []) =>
  ({
    areaCode: '6.3',
    areaName: 'Evaluating AI systems',
    domainName: 'AI',
    level: 0,
    targetLevel: 2,
    shortfall: 2,
    recommendations,
    counts,
  }) satisfies GapLearning;

const learning = (gaps: GapLearning[]): MyLearning => ({
  hasResults: true,
  assessmentId: 'a1',
  frameworkSlug: 'ai-digital-healthcare',
  submittedAt: '2026-03-12T10:30:00.000Z',
  preferences: NO_PREFERENCES,
  gaps,
});

describe('myLearningPage', () => {
  it('says preferences in words', () => {
    expect(preferencesSummary(NO_PREFERENCES)).toEqual([
      'Formats: any',
      'Length: any',
      'Cost: any',
    ]);
    expect(
      preferencesSummary({
        formats: ['video', 'e-learning'],
        maxDurationMinutes: 90,
        freeOnly: true,
      }),
    ).toEqual([
      'Formats you prefer: Video, E-learning (others are still suggested)',
      'Longest: 1 hour 30 minutes (resources that do not say are still suggested)',
      'Cost: free resources only',
    ]);
  });

  it('says why a gap has no suggestions', () => {
    const page = myLearningPage(
      learning([
        gap({ coveringArea: 0, completedOrDismissed: 0, outsidePreferences: 0 }),
        gap({ coveringArea: 4, completedOrDismissed: 1, outsidePreferences: 3 }),
        gap({ coveringArea: 2, completedOrDismissed: 2, outsidePreferences: 0 }),
      ]),
      [],
    );
    expect(page.gaps.map((g) => g.emptyText)).toEqual([
      'The learning catalogue has nothing for this area yet.',
      'Your preferences left out all 3 resources for this area that you have not completed or dismissed.',
      'You have completed or dismissed every resource the catalogue has for this area.',
    ]);
    expect(page.gaps[0]?.levelText).toBe('You are below level 1; your target is level 2.');
    if (!page.hasResults) throw new Error('expected results');
    expect(page.basedOnText).toBe('Based on your self-assessment submitted on 12 March 2026.');
    expect(page.resultsHref).toBe('/assessments/a1/results');
  });

  it('splits reasons from things worth knowing, and offers an undo after a dismissal', () => {
    const page = myLearningPage(
      learning([
        gap({ coveringArea: 1, completedOrDismissed: 0, outsidePreferences: 0 }, [
          {
            id: 'r1',
            title: 'A <b>resource</b>',
            provider: 'Example',
            url: 'https://example.org/r1',
            format: 'video',
            durationMinutes: null,
            cost: 'paid',
            levels: [1],
            summary: 'Summary',
            organisationId: null,
            score: 80,
            reasons: [
              { kind: 'area', text: 'Covers Evaluating AI systems' },
              { kind: 'cost', text: 'There is a charge', caution: true },
            ],
          },
        ]),
      ]),
      [],
      { notice: { kind: 'dismissed', resourceId: 'r9', title: 'Gone' } },
    );
    const item = page.gaps[0]?.items[0];
    expect(page.gaps[0]?.emptyText).toBeUndefined();
    expect(page.gaps[0]?.leftOutText).toBeUndefined();
    expect(item?.reasons).toEqual(['Covers Evaluating AI systems']);
    expect(item?.cautions).toEqual(['There is a charge']);
    expect(item?.factsText).toBe('Video · length not stated · Paid');
    expect(item?.dismissAction).toBe('/learning/resources/r1/dismiss');
    expect(page.notice).toEqual({
      text: '“Gone” will not be suggested again.',
      undoAction: '/learning/resources/r9/undismiss',
      undoTitle: 'Gone',
    });
  });

  it('says how many resources the preferences left out of a list that has some', () => {
    const one = {
      id: 'r1',
      title: 'A resource',
      provider: 'Example',
      url: 'https://example.org/r1',
      format: 'video',
      durationMinutes: 20,
      cost: 'free',
      levels: [2],
      summary: 'Summary',
      organisationId: null,
      score: 50,
      reasons: [],
    };
    const page = myLearningPage(
      learning([
        gap({ coveringArea: 5, completedOrDismissed: 0, outsidePreferences: 4 }, [one]),
        gap({ coveringArea: 2, completedOrDismissed: 0, outsidePreferences: 1 }, [one]),
      ]),
      [],
    );
    expect(page.gaps.map((g) => g.leftOutText)).toEqual([
      'Your preferences left out 4 more resources for this area.',
      'Your preferences left out 1 more resource for this area.',
    ]);
  });

  it('without results, points to starting a self-assessment', () => {
    const page = myLearningPage({ hasResults: false, preferences: NO_PREFERENCES }, []);
    if (page.hasResults) throw new Error('expected no results');
    expect(page.startHref).toBe('/home');
    expect(page.gaps).toEqual([]);
  });
});
