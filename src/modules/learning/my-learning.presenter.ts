/**
 * "My learning": for each gap in the person's latest results, the suggested resources with why
 * each was chosen and a button to dismiss it; their preferences in brief; and what they have
 * dismissed, each with a button to bring it back. Pure: the service's data in, the view out.
 */
import { COST_LABELS, durationText, isResourceCost } from './catalogue.model.js';
import { resourceHref } from './catalogue.presenter.js';
import { addResourceHref, PLAN_PATH } from './plans.presenter.js';
import { MY_LEARNING_PATH, PREFERENCES_PATH } from './preferences.presenter.js';
import { formatText, type LearningPreferences } from './recommend.js';
import type { GapLearning, MyLearning } from './recommendations.service.js';
import type { ResourceDetails } from './recommendations.repository.js';
import { validatedLevelText } from './validation.presenter.js';
import type { ValidatedLevel } from './validation.service.js';

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});

const whereText = (level: number) =>
  level === 0 ? 'You are below level 1' : `You are at level ${String(level)}`;

export const dismissAction = (id: string) =>
  `/learning/resources/${encodeURIComponent(id)}/dismiss`;
export const undismissAction = (id: string) =>
  `/learning/resources/${encodeURIComponent(id)}/undismiss`;

/** The notice after a change, by the `?done=` (or `?dismissed=`, `?undismissed=`) of the redirect. */
export type MyLearningNotice =
  | { kind: 'preferences' }
  | { kind: 'dismissed'; resourceId: string; title: string }
  | { kind: 'undismissed'; title: string };

/** One line per preference, in words. */
export function preferencesSummary(p: LearningPreferences): string[] {
  return [
    p.formats.length === 0
      ? 'Formats: any'
      : `Formats you prefer: ${p.formats.map((f) => formatText(f)).join(', ')} (others are still suggested)`,
    p.maxDurationMinutes === null
      ? 'Length: any'
      : `Longest: ${durationText(p.maxDurationMinutes)} (resources that do not say are still suggested)`,
    p.freeOnly ? 'Cost: free resources only' : 'Cost: any',
  ];
}

/** What a resource is, in a line: "Guidance · about 30 minutes · Free". */
function factsText(r: Pick<ResourceDetails, 'format' | 'durationMinutes' | 'cost'>): string {
  return [
    formatText(r.format),
    r.durationMinutes === null ? 'length not stated' : `about ${durationText(r.durationMinutes)}`,
    isResourceCost(r.cost) ? COST_LABELS[r.cost] : r.cost,
  ].join(' · ');
}

const resources = (n: number) => `${String(n)} resource${n === 1 ? '' : 's'}`;

/** What the person's preferences left out of a gap's list; undefined when nothing. */
function leftOutText(gap: GapLearning): string | undefined {
  const n = gap.counts.outsidePreferences;
  return gap.recommendations.length > 0 && n > 0
    ? `Your preferences left out ${String(n)} more resource${n === 1 ? '' : 's'} for this area.`
    : undefined;
}

/** Why a gap has no suggestions, in words; undefined when it has some. */
function emptyText(gap: GapLearning): string | undefined {
  if (gap.recommendations.length > 0) return undefined;
  const { coveringArea, completedOrDismissed, outsidePreferences } = gap.counts;
  if (coveringArea === 0) return 'The learning catalogue has nothing for this area yet.';
  if (outsidePreferences > 0)
    return `Your preferences left out all ${resources(outsidePreferences)} for this area that you have not completed or dismissed.`;
  if (completedOrDismissed > 0)
    return 'You have completed or dismissed every resource the catalogue has for this area.';
  return 'Nothing to suggest for this area.';
}

export function myLearningPage(
  learning: MyLearning,
  dismissed: readonly ResourceDetails[],
  options: {
    notice?: MyLearningNotice | undefined;
    frameworkHref?: string;
    /** Levels validated by a line manager or educator, shown beside the person's own. */
    validated?: readonly ValidatedLevel[] | undefined;
  } = {},
) {
  const notice = options.notice;
  const validatedIn = new Map((options.validated ?? []).map((v) => [v.areaCode, v]));
  const validatedTextFor = (areaCode: string) => {
    const v = validatedIn.get(areaCode);
    return v ? validatedLevelText(v) : undefined;
  };
  const base = {
    pageTitle: 'My learning',
    preferencesHref: PREFERENCES_PATH,
    preferencesLines: preferencesSummary(learning.preferences),
    catalogueHref: '/learning/resources',
    planHref: PLAN_PATH,
    returnTo: MY_LEARNING_PATH,
    notice:
      notice?.kind === 'preferences'
        ? { text: 'Your preferences have been saved. The suggestions below follow them.' }
        : notice?.kind === 'dismissed'
          ? {
              text: `“${notice.title}” will not be suggested again.`,
              undoAction: undismissAction(notice.resourceId),
              undoTitle: notice.title,
            }
          : notice?.kind === 'undismissed'
            ? { text: `“${notice.title}” may be suggested again.` }
            : undefined,
    dismissed: dismissed.map((r) => ({
      title: r.title,
      href: r.url,
      provider: r.provider,
      detailsHref: resourceHref(r.id),
      undismissAction: undismissAction(r.id),
    })),
  };
  if (!learning.hasResults) {
    return { ...base, hasResults: false as const, startHref: '/home', gaps: [] };
  }
  return {
    ...base,
    hasResults: true as const,
    resultsHref: `/assessments/${encodeURIComponent(learning.assessmentId)}/results`,
    basedOnText: `Based on your self-assessment submitted on ${dateFormat.format(new Date(learning.submittedAt))}.`,
    gaps: learning.gaps.map((gap) => ({
      id: `gap-${gap.areaCode.replace(/[^0-9A-Za-z]+/g, '-')}`,
      heading: `${gap.areaCode} ${gap.areaName}`,
      levelText: `${whereText(gap.level)}; your target is level ${String(gap.targetLevel)}.`,
      validatedText: validatedTextFor(gap.areaCode),
      emptyText: emptyText(gap),
      leftOutText: leftOutText(gap),
      items: gap.recommendations.map((r) => ({
        id: r.id,
        title: r.title,
        href: r.url,
        provider: r.provider,
        summary: r.summary,
        factsText: factsText(r),
        detailsHref: resourceHref(r.id),
        reasons: r.reasons.filter((x) => !x.caution).map((x) => x.text),
        cautions: r.reasons.filter((x) => x.caution).map((x) => x.text),
        dismissAction: dismissAction(r.id),
        addToPlanHref: addResourceHref(r.id),
      })),
    })),
  };
}
