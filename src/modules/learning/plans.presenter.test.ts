/** The plan page's view model: goals grouped by status, due and overdue tags, gap links. */
import { describe, expect, it } from 'vitest';
import { dueTagArgs, newGoalHref, planPage, resourceMeta, targetText } from './plans.presenter.js';
import type { GoalRow, ResourceRow } from './plans.repository.js';
import type { GoalView } from './plans.service.js';

const TODAY = '2026-03-12';

function view(id: string, status: GoalRow['status'], targetDate: string): GoalView {
  return {
    goal: {
      id,
      personId: 'p',
      frameworkVersionId: 1,
      frameworkSlug: 'ai-digital-healthcare',
      frameworkVersion: 1,
      areaCode: '6.2',
      targetLevel: 2,
      targetDate,
      status,
      notes: '',
      fromAssessmentId: null,
      createdAt: new Date(),
      updatedAt: new Date(),
      completedAt: status === 'done' ? new Date('2026-03-01T12:00:00Z') : null,
    },
    areaName: 'Using AI',
    domainName: 'AI',
    levelName: 'Informed use',
    resources: [],
  };
}

describe('plans presenter', () => {
  it('tags goals overdue or due soon, never done ones', () => {
    expect(dueTagArgs({ status: 'in_progress', targetDate: '2026-03-11' }, TODAY)?.text).toBe(
      'Overdue',
    );
    expect(dueTagArgs({ status: 'not_started', targetDate: '2026-03-19' }, TODAY)?.text).toBe(
      'Due soon',
    );
    expect(dueTagArgs({ status: 'not_started', targetDate: '2026-03-20' }, TODAY)).toBeUndefined();
    expect(dueTagArgs({ status: 'done', targetDate: '2026-03-01' }, TODAY)).toBeUndefined();
  });

  it('groups goals in progress, not started, then done, leaving out empty groups', () => {
    const page = planPage({
      today: TODAY,
      goals: [
        view('a', 'not_started', '2026-03-10'),
        view('b', 'done', '2026-03-01'),
        view('c', 'not_started', '2026-06-01'),
      ],
      latest: undefined,
    });
    expect(page.groups.map((g) => [g.id, g.goals.map((x) => x.id)])).toEqual([
      ['not-started', ['a', 'c']],
      ['done', ['b']],
    ]);
    expect(page.groups[0]?.goals[0]?.dueTag?.text).toBe('Overdue');
    expect(page.groups[1]?.goals[0]?.completedText).toBe('Done on 1 March 2026');
    expect(page.gaps).toBeUndefined();
  });

  it('links each gap to a new goal, or to the goal already made for it', () => {
    const area = {
      areaCode: '6.2',
      areaName: 'Using AI',
      domainCode: '6',
      domainName: 'AI',
      level: 1,
      targetLevel: 2,
      shortfall: 1,
      answered: 3,
      notRelevant: 0,
      poolSize: 8,
    };
    const page = planPage({
      today: TODAY,
      goals: [],
      latest: {
        assessmentId: 'as-1',
        submittedAt: new Date('2026-03-01T12:00:00Z'),
        gaps: [
          { area, goalId: undefined },
          { area: { ...area, areaCode: '6.3' }, goalId: 'g-1' },
        ],
      },
    });
    expect(page.gaps?.items.map((i) => [i.href, i.linkText])).toEqual([
      ['/plan/goals/new?area=6.2&from=as-1', 'Add a goal'],
      ['/plan/goals/g-1', 'See your goal'],
    ]);
    expect(newGoalHref({ resource: 'r 1' })).toBe('/plan/goals/new?resource=r+1');
  });

  it('describes a goal and a resource in words', () => {
    expect(targetText(view('a', 'not_started', '2026-06-01'))).toBe(
      'Reach level 2 (Informed use) by 1 June 2026',
    );
    const resource = {
      provider: 'NHS England',
      format: 'e-learning',
      durationMinutes: 90,
      cost: 'free',
    } as ResourceRow;
    expect(resourceMeta(resource)).toBe('NHS England · E-learning · 1 hour 30 minutes · Free');
    expect(resourceMeta({ ...resource, durationMinutes: null, cost: 'unknown' })).toBe(
      'NHS England · E-learning · Not known',
    );
  });
});
