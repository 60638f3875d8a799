/**
 * View models for sharing: the owner's sharing page (who has the results, who else could, the
 * form), the recipient's list, and the recipient's read-only view of the results. Pure.
 */
import { errorMessageFor, type FieldError } from '../../platform/forms.js';
import { errorSummaryArgs } from '../../platform/pages.js';
import type { SubmittedAssessment } from './results.service.js';
import {
  assessmentHref,
  formatDate,
  formatDateTime,
  type ResultsPageInput,
  resultsPage,
} from './results.presenter.js';
import type { CandidateView } from './sharing.service.js';
import type { ReceivedShareRow, ShareListRow } from './sharing.repository.js';

export function sharingPage(
  view: { assessment: SubmittedAssessment; shares: ShareListRow[]; candidates: CandidateView[] },
  options: { errors?: FieldError[]; selected?: string; notice?: string | undefined } = {},
) {
  const { assessment } = view;
  const errors = options.errors ?? [];
  const base = assessmentHref(assessment.id);
  return {
    pageTitle: 'Share your results',
    heading: 'Share your results',
    caption: `Self-assessment submitted on ${formatDate(assessment.submittedAt)}`,
    errorSummaryArgs: errorSummaryArgs(errors),
    notice: options.notice,
    resultsHref: `${base}/results`,
    shareAction: `${base}/shares`,
    shares: view.shares.map((s) => ({
      name: s.sharedWithName,
      organisationName: s.organisationName,
      sharedOn: formatDate(s.createdAt),
      sharedAtIso: s.createdAt.toISOString(),
      withdrawAction: `${base}/shares/${encodeURIComponent(s.id)}/withdraw`,
    })),
    hasCandidates: view.candidates.length > 0,
    candidatesArgs: {
      idPrefix: 'sharedWith',
      name: 'sharedWith',
      fieldset: {
        legend: { text: 'Who do you want to share your results with?', size: 'm' },
      },
      hint: {
        text: 'Your line managers and the educators in your organisations. They will see these results, not your individual answers.',
      },
      errorMessage: errorMessageFor(errors, 'sharedWith'),
      items: view.candidates.map((c) => ({
        value: c.personId,
        text: c.name,
        hint: { text: `${c.roleText} – ${c.organisationName}` },
        checked: c.personId === options.selected,
      })),
    },
    breadcrumbArgs: [
      { text: 'My progress', href: '/progress' },
      { text: 'Your results', href: `${base}/results` },
    ],
  };
}

/**
 * The owner's sharing page for an assessment still in progress: nothing can be shared until it
 * is submitted, so it says so and leads back to the assessment.
 */
export function sharingNotSubmittedPage(assessmentId: string) {
  return {
    pageTitle: 'You cannot share this assessment yet',
    heading: 'You cannot share this assessment yet',
    continueHref: assessmentHref(assessmentId),
    breadcrumbArgs: [{ text: 'Home', href: '/home' }],
  };
}

export function sharedWithMePage(rows: readonly ReceivedShareRow[]) {
  return {
    pageTitle: 'Shared with me',
    heading: 'Shared with me',
    count: rows.length,
    rows: rows.map((r) => ({
      ownerName: r.ownerName,
      organisationName: r.organisationName,
      submittedOn: r.submittedAt ? formatDate(r.submittedAt) : '',
      sharedOn: formatDateTime(r.createdAt),
      href: `/shared-with-me/${encodeURIComponent(r.id)}`,
    })),
  };
}

export function sharedResultsPage(
  view: { assessment: SubmittedAssessment; organisationName: string; sharedAt: Date },
  context: Pick<
    ResultsPageInput,
    'archetypeNames' | 'professionNames' | 'workSettingNames' | 'currentAreaCodes' | 'validated'
  >,
) {
  const { assessment } = view;
  return {
    ...resultsPage({
      assessmentId: assessment.id,
      ownerName: assessment.ownerName,
      results: assessment.results,
      ...context,
      audience: 'viewer',
    }),
    sharedText: `${assessment.ownerName} shared these results with you on ${formatDate(view.sharedAt)} through ${view.organisationName}. They can withdraw the share at any time. Each time you look at them, it is recorded.`,
  };
}
