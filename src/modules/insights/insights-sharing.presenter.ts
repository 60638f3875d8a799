/** View model for an organisation admin's page about sharing insights with an ICB (pure). */
import type { FieldError } from '../../platform/forms.js';
import { errorMessageFor, selectItems } from '../../platform/forms.js';
import { errorSummaryArgs } from '../../platform/pages.js';
import { type Actor, organisationChrome } from '../organisations/index.js';
import type { InsightsService } from './insights.service.js';

type SharingView = Awaited<ReturnType<InsightsService['sharingPage']>>;

const dateText = (d: Date) =>
  d.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  });

export function sharingPageView(
  actor: Actor,
  view: SharingView,
  form: { errors?: FieldError[]; notice?: string | undefined },
) {
  const errors = form.errors ?? [];
  const base = `/organisations/${encodeURIComponent(view.organisation.id)}/insights/sharing`;
  return {
    ...organisationChrome(actor, view.organisation, 'insights-sharing', 'Sharing insights'),
    errorSummaryArgs: errorSummaryArgs(errors),
    notice: form.notice,
    organisationName: view.organisation.name,
    shares: view.shares.map((s) => ({
      name: s.name,
      since: dateText(s.since),
      withdrawAction: `${base}/${encodeURIComponent(s.id)}/withdraw`,
    })),
    action: base,
    hasCandidates: view.candidates.length > 0,
    selectArgs: {
      id: 'organisationId',
      name: 'organisationId',
      label: { text: 'Integrated care board', size: 's' },
      items: selectItems(
        'Choose an integrated care board',
        undefined,
        view.candidates.map((c) => ({ value: c.id, text: c.name })),
      ),
      errorMessage: errorMessageFor(errors, 'organisationId'),
    },
  };
}
