/**
 * "Learning for your gaps" on the owner's results page. The learning module recommends; this
 * module only says what it needs (ResultsRecommendations) and shows what it is given, so that
 * learning depends on assessment and never the reverse. The section is the owner's alone: a
 * shared view never has it.
 */
import type { AssessmentResults } from './assessment.model.js';

/** One suggested resource, as the results page shows it. */
export interface ResultsLearningItem {
  title: string;
  /** The resource itself (on the provider's site). */
  href: string;
  provider: string;
  /** "Add to my plan" for it (a page of the learning module). */
  addToPlanHref: string;
  /** Why it was chosen, in words ("Suits level 2, the next level up for you"). */
  reasons: string[];
}

/** The suggestions for one gap, most urgent gap first. */
export interface ResultsLearningGap {
  areaCode: string;
  /** "6.3 Evaluating AI systems". */
  areaLabel: string;
  items: ResultsLearningItem[];
}

/** What the results route needs from whoever recommends learning (the learning module). */
export interface ResultsRecommendations {
  forResults(
    personId: string,
    assessment: { id: string; results: AssessmentResults },
  ): Promise<ResultsLearningGap[]>;
}

/** Where the person's full list of recommendations, dismissals and preferences live. */
export const MY_LEARNING_HREF = '/learning';

/** The view model of the section; undefined when there is nothing to show it with. */
export function resultsLearningSection(gaps: readonly ResultsLearningGap[] | undefined) {
  if (gaps === undefined) return undefined;
  const withItems = gaps.filter((g) => g.items.length > 0);
  return {
    gaps: withItems.map((g) => ({
      areaLabel: g.areaLabel,
      items: g.items.map((item) => ({ ...item, reasonsText: item.reasons.join('. ') })),
    })),
    hasGaps: gaps.length > 0,
    gapsWithoutItems: gaps.length - withItems.length,
    href: MY_LEARNING_HREF,
  };
}
