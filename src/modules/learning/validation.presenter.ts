/**
 * View models for the validation pages: the person's requests, asking, one request (for the
 * person who asked and for the person asked, with the decision form), and the queue of requests
 * waiting for a decision. Pure: domain data in, exactly what each NHS.UK macro needs out.
 *
 * Labels keep the two kinds of level apart: "their own rating (self-assessed)" and "level
 * claimed" or "validated level", never one number made of both.
 */
import {
  characterLimit,
  errorMessageFor,
  escapeHtml,
  type FieldError,
  selectItems,
} from '../../platform/forms.js';
import { errorSummaryArgs } from '../../platform/pages.js';
import { validatedLevelText } from '../assessment/index.js';
import {
  fileDetailsText,
  kindLabel,
  NEW_EVIDENCE_HREF,
  paragraphsHtml,
  PORTFOLIO_HREF,
  statementText,
} from './evidence.presenter.js';
import type { DescribedEvidence } from './evidence.service.js';
import { type AskTyped, COMMENT_MAX, type DecisionTyped, MESSAGE_MAX } from './validation.forms.js';
import type { ValidationStatus } from './validation.policy.js';
import type {
  AskContext,
  DescribedRequest,
  RequestPageData,
  ValidationOverview,
} from './validation.service.js';

export const VALIDATION_PATH = '/validation';
export const NEW_VALIDATION_HREF = `${VALIDATION_PATH}/new`;
export const TO_DECIDE_HREF = `${VALIDATION_PATH}/to-decide`;
export const validationHref = (id: string, rest = '') =>
  `${VALIDATION_PATH}/${encodeURIComponent(id)}${rest}`;
/** The ask page for an area ("Ask for validation" links from results, plans, learning). */
export const askValidationHref = (areaCode?: string) =>
  areaCode
    ? `${NEW_VALIDATION_HREF}?${new URLSearchParams({ area: areaCode }).toString()}`
    : NEW_VALIDATION_HREF;
export const offeredFileHref = (requestId: string, evidenceId: string) =>
  validationHref(requestId, `/evidence/${encodeURIComponent(evidenceId)}/file`);

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});
/** "12 March 2026". */
export const formatDate = (date: Date) => dateFormat.format(date);

const timeHtml = (date: Date) =>
  `<time datetime="${escapeHtml(date.toISOString())}">${escapeHtml(formatDate(date))}</time>`;

export const STATUS_LABELS: Record<ValidationStatus, string> = {
  pending: 'Waiting for a decision',
  validated: 'Validated',
  returned: 'Returned',
  withdrawn: 'Withdrawn',
};

const STATUS_TAG_CLASSES: Record<ValidationStatus, string> = {
  pending: 'nhsuk-tag--blue',
  validated: 'nhsuk-tag--green',
  returned: 'nhsuk-tag--orange',
  withdrawn: 'nhsuk-tag--grey',
};

export const statusTagArgs = (status: ValidationStatus) => ({
  text: STATUS_LABELS[status],
  classes: STATUS_TAG_CLASSES[status],
});

const tagHtml = (status: ValidationStatus) =>
  `<strong class="nhsuk-tag ${STATUS_TAG_CLASSES[status]}">${escapeHtml(STATUS_LABELS[status])}</strong>`;

/** "Level 3 (Apply)". */
export const claimText = (level: number, levelName: string) =>
  levelName ? `Level ${String(level)} (${levelName})` : `Level ${String(level)}`;

/** A person's own level as the snapshot has it: 0 is "below level 1". */
export const selfLevelText = (level: number | null, their = 'their') =>
  level === null
    ? `No level: not rated in ${their} self-assessment`
    : level === 0
      ? 'Below level 1'
      : `Level ${String(level)}`;

/** "Validated: level 3 by Morgan Reid, 12 March 2026", the same words on every page. */
export { validatedLevelText };

const areaText = (r: { areaCode: string; areaName: string }) => `${r.areaCode} ${r.areaName}`;

const breadcrumbs = [{ text: 'Your home', href: '/home' }];
const validationCrumb = { text: 'Validation', href: VALIDATION_PATH };

// --- The person's requests ---------------------------------------------------------------------

/**
 * Notices after a change, by the redirect's ?done=. "-unsent": the email could not be sent (the
 * change stands; the other person sees it on their Validation page when they next look).
 */
export const NOTICES = new Map([
  ['asked', 'Your request has been sent. We have emailed the person you asked.'],
  [
    'asked-unsent',
    'Your request has been sent, but we could not email the person you asked just now. It is waiting for them on their Validation page in digicap, so you may want to tell them it is there.',
  ],
  ['withdrawn', 'Your request has been withdrawn.'],
  ['validated', 'You have confirmed the level. We have emailed them to say so.'],
  [
    'validated-unsent',
    'You have confirmed the level, but we could not email them just now. They will see your decision on their Validation page in digicap.',
  ],
  ['returned', 'You have returned the request with your comment. We have emailed them.'],
  [
    'returned-unsent',
    'You have returned the request with your comment, but we could not email them just now. They will see it, with your comment, on their Validation page in digicap.',
  ],
]);

/** The ?done= for a change, saying whether its email was sent. */
export const doneKey = (done: 'asked' | 'validated' | 'returned', emailed: boolean) =>
  emailed ? done : `${done}-unsent`;

export function validationIndexPage(
  overview: ValidationOverview,
  options: { notice?: string | undefined } = {},
) {
  const { requests } = overview;
  return {
    pageTitle: 'Validation of your levels',
    breadcrumbArgs: breadcrumbs,
    notice: options.notice,
    askHref: NEW_VALIDATION_HREF,
    hasRequests: requests.length > 0,
    tableArgs: {
      caption: 'Your validation requests',
      captionSize: 's',
      responsive: true,
      head: [{ text: 'Area' }, { text: 'Level claimed' }, { text: 'Asked' }, { text: 'Status' }],
      rows: requests.map((r) => [
        {
          header: 'Area',
          html: `<a href="${escapeHtml(validationHref(r.id))}">${escapeHtml(areaText(r))}</a>`,
        },
        { header: 'Level claimed', text: claimText(r.claimedLevel, r.levelName) },
        {
          header: 'Asked',
          html: `${escapeHtml(r.validatorName)}<br><span class="nhsuk-body-s">${timeHtml(r.createdAt)}</span>`,
        },
        { header: 'Status', html: tagHtml(r.status) },
      ]),
    },
    toDecide: overview.isValidator
      ? {
          href: TO_DECIDE_HREF,
          text:
            overview.waitingCount === 0
              ? 'Requests to validate other people’s levels: none waiting'
              : `Requests to validate other people’s levels: ${String(overview.waitingCount)} waiting for your decision`,
        }
      : undefined,
    portfolioHref: PORTFOLIO_HREF,
  };
}

// --- Asking ------------------------------------------------------------------------------------

/** Why nobody can be asked, and what to do about it. */
function noCandidatesText(context: AskContext): string {
  return context.hasOrganisations
    ? 'Nobody in your organisations can validate your levels yet. You can ask a line manager of your unit (or of a unit above it) or an educator in an organisation you belong to. Ask your organisation’s administrator to record your unit and give your line manager or educator their role.'
    : 'You are not a member of any organisation on digicap, so there is nobody to ask yet. You can ask a line manager or an educator in an organisation you belong to: ask your organisation’s administrator to invite you.';
}

/**
 * The ask page. `areaCode` prefills the area (from ?area=); the level defaults to the person's
 * own level there in their latest results (levels 1 to 4 only).
 */
export function askPage(
  context: AskContext,
  options: { areaCode?: string; typed?: AskTyped; errors?: FieldError[] } = {},
) {
  const errors = options.errors ?? [];
  const known = new Set(context.areas.map((a) => a.code));
  const areaCode =
    options.typed?.areaCode ??
    (options.areaCode && known.has(options.areaCode) ? options.areaCode : '');
  const self = areaCode ? context.selfLevels.get(areaCode) : undefined;
  const defaultLevel =
    self?.level !== undefined && self.level !== null && self.level >= 1 ? String(self.level) : '';
  const claimed = options.typed?.claimedLevel ?? defaultLevel;
  const chosenEvidence = new Set(options.typed?.evidence ?? []);
  // The chosen area's evidence first, then the rest; each newest first (as listed).
  const evidence = [...context.evidence].sort(
    (a, b) => Number(b.areaCode === areaCode) - Number(a.areaCode === areaCode),
  );
  const selfText = self
    ? `Your own rating in this area in your latest self-assessment (${formatDate(self.submittedAt)}): ${selfLevelText(self.level, 'your')}.`
    : undefined;
  return {
    pageTitle: 'Ask for your level to be validated',
    errorSummaryArgs: errorSummaryArgs(errors),
    breadcrumbArgs: [...breadcrumbs, validationCrumb],
    action: NEW_VALIDATION_HREF,
    cancelHref: VALIDATION_PATH,
    hasCandidates: context.candidates.length > 0,
    noCandidatesText: noCandidatesText(context),
    pendingText:
      areaCode && context.pendingAreas.has(areaCode)
        ? 'You have already asked for validation in this area and it is waiting for a decision. To ask again, withdraw that request first.'
        : undefined,
    areaSelectArgs: {
      id: 'areaCode',
      name: 'areaCode',
      label: { text: 'Which area of the framework?', size: 's' },
      items: selectItems(
        'Select an area',
        areaCode,
        context.areas.map((a) => ({ value: a.code, text: `${a.code} ${a.name}` })),
      ),
      errorMessage: errorMessageFor(errors, 'areaCode'),
    },
    selfText,
    levelRadiosArgs: {
      idPrefix: 'claimedLevel',
      name: 'claimedLevel',
      fieldset: { legend: { text: 'Which level do you want validated?', size: 's' } },
      hint: {
        text: 'The person you ask confirms this level, or returns your request with a comment. Your own rating stays as it is, shown beside the validated level.',
      },
      items: context.levels.map((l) => ({
        value: String(l.level),
        text: `Level ${String(l.level)}: ${l.name}`,
        hint: { text: l.summary },
        checked: claimed === String(l.level),
      })),
      errorMessage: errorMessageFor(errors, 'claimedLevel'),
    },
    validatorRadiosArgs: {
      idPrefix: 'validator',
      name: 'validator',
      fieldset: { legend: { text: 'Who do you want to ask?', size: 's' } },
      hint: {
        text: 'Your line managers and the educators in your organisations. They see your claim, your message and the evidence you choose, not the rest of your portfolio.',
      },
      items: context.candidates.map((c) => ({
        value: c.personId,
        text: c.name,
        hint: { text: `${c.roleText} – ${c.organisationName}` },
        checked: options.typed?.validator === c.personId,
      })),
      errorMessage: errorMessageFor(errors, 'validator'),
    },
    messageArgs: {
      id: 'message',
      name: 'message',
      label: { text: 'Message (optional)', size: 's' },
      hint: {
        text: 'What you would like them to look at, or how you have used this capability at work.',
      },
      ...characterLimit(MESSAGE_MAX),
      value: options.typed?.message ?? '',
      rows: 5,
      errorMessage: errorMessageFor(errors, 'message'),
    },
    hasEvidence: evidence.length > 0,
    evidenceCheckboxesArgs: {
      idPrefix: 'evidence',
      name: 'evidence',
      fieldset: { legend: { text: 'Evidence to offer (optional)', size: 's' } },
      hint: {
        text: 'Choose from your portfolio. Evidence for the area you chose is listed first.',
      },
      items: evidence.map((e) => ({
        value: e.id,
        text: e.title,
        hint: {
          text: `${kindLabel(e.kind)} · ${e.areaCode} ${e.areaName} · ${formatDate(e.createdAt)}`,
        },
        checked: chosenEvidence.has(e.id),
      })),
      errorMessage: errorMessageFor(errors, 'evidence'),
    },
    addEvidenceHref: areaCode
      ? `${NEW_EVIDENCE_HREF}?${new URLSearchParams({ area: areaCode }).toString()}`
      : NEW_EVIDENCE_HREF,
  };
}

// --- One request ---------------------------------------------------------------------------------

/** One piece of offered evidence as the request page shows it. */
function evidenceItem(requestId: string, e: DescribedEvidence) {
  const meta = [kindLabel(e.kind), `${e.areaCode} ${e.areaName}`, formatDate(e.createdAt)];
  const sections: { heading: string; html: string }[] = [];
  if (e.body)
    sections.push({
      heading: e.kind === 'reflection' ? 'What they learned' : 'Note',
      html: paragraphsHtml(e.body),
    });
  if (e.kind === 'reflection' && e.reflectionUse)
    sections.push({ heading: 'How they will use it', html: paragraphsHtml(e.reflectionUse) });
  return {
    id: e.id,
    title: e.title,
    metaText: meta.join(' · '),
    statementText: e.statement ? statementText(e.statement) : undefined,
    link: e.kind === 'link' && e.url ? e.url : undefined,
    resource:
      e.kind === 'reflection' && e.resource
        ? { title: e.resource.title, url: e.resource.url, provider: e.resource.provider }
        : undefined,
    file:
      e.kind === 'file'
        ? {
            href: offeredFileHref(requestId, e.id),
            name: e.fileName ?? 'Download the file',
            details: fileDetailsText(e.fileType, e.fileSize),
          }
        : undefined,
    sections,
  };
}

function decisionArgs(
  request: DescribedRequest,
  typed: DecisionTyped | undefined,
  errors: FieldError[],
) {
  return {
    outcomeRadiosArgs: {
      idPrefix: 'outcome',
      name: 'outcome',
      fieldset: { legend: { text: 'Your decision', size: 'm' } },
      items: [
        {
          value: 'validated',
          text: `Confirm ${claimText(request.claimedLevel, request.levelName).replace(/^Level/, 'level')}`,
          hint: {
            text: `${request.personName} will see it as validated by you, beside their own rating.`,
          },
          checked: typed?.outcome === 'validated',
        },
        {
          value: 'returned',
          text: 'Return it with a comment',
          hint: { text: 'For example, if you need more evidence or think another level fits.' },
          checked: typed?.outcome === 'returned',
        },
      ],
      errorMessage: errorMessageFor(errors, 'outcome'),
    },
    commentArgs: {
      id: 'comment',
      name: 'comment',
      label: { text: 'Comment', size: 's' },
      hint: {
        text: `Needed if you return it: say why and what would help. Optional if you confirm. ${request.personName} will see it.`,
      },
      ...characterLimit(COMMENT_MAX),
      value: typed?.comment ?? '',
      rows: 5,
      errorMessage: errorMessageFor(errors, 'comment'),
    },
  };
}

export function requestPage(
  data: RequestPageData,
  options: { notice?: string | undefined; typed?: DecisionTyped; errors?: FieldError[] } = {},
) {
  const { request, role } = data;
  const errors = options.errors ?? [];
  const asValidator = role === 'validator';
  const area = areaText(request);
  const their = asValidator ? 'their' : 'your';
  const rows: object[] = [];
  if (asValidator) rows.push({ key: { text: 'Person' }, value: { text: request.personName } });
  else
    rows.push({
      key: { text: 'Asked' },
      value: { text: `${request.validatorName}, ${request.organisationName}` },
    });
  rows.push(
    { key: { text: 'Area' }, value: { text: area } },
    {
      key: { text: 'Level claimed' },
      value: { text: claimText(request.claimedLevel, request.levelName) },
    },
    {
      key: {
        text: asValidator ? 'Their own rating (self-assessed)' : 'Your own rating (self-assessed)',
      },
      value: {
        text:
          request.selfAssessedLevel === null
            ? `No level: not rated in ${their} latest self-assessment, or no self-assessment yet`
            : `${selfLevelText(request.selfAssessedLevel, their)}, in ${their} latest results when ${asValidator ? 'they' : 'you'} asked`,
      },
    },
    { key: { text: 'Asked on' }, value: { html: timeHtml(request.createdAt) } },
    { key: { text: 'Status' }, value: { html: tagHtml(request.status) } },
  );
  if (request.status === 'validated' && request.decidedAt)
    rows.push({
      key: { text: 'Validated level' },
      value: {
        text: validatedLevelText({
          level: request.claimedLevel,
          validatorName: request.validatorName,
          validatedAt: request.decidedAt,
        }),
      },
    });
  else if (request.decidedAt)
    rows.push({ key: { text: 'Returned on' }, value: { html: timeHtml(request.decidedAt) } });
  if (request.validatorComment)
    rows.push({
      key: { text: asValidator ? 'Your comment' : `Comment from ${request.validatorName}` },
      value: { html: paragraphsHtml(request.validatorComment) },
    });
  return {
    pageTitle: asValidator
      ? `Validation request from ${request.personName}: ${area}`
      : `Your validation request: ${area}`,
    errorSummaryArgs: errorSummaryArgs(errors),
    breadcrumbArgs: [
      ...breadcrumbs,
      asValidator ? { text: 'Requests to validate', href: TO_DECIDE_HREF } : validationCrumb,
    ],
    caption: asValidator
      ? `Validation request from ${request.personName}`
      : 'Your validation request',
    heading: area,
    notice: options.notice,
    role,
    summaryListArgs: { rows },
    messageHtml: request.message ? paragraphsHtml(request.message) : undefined,
    messageHeading: asValidator ? `Message from ${request.personName}` : 'Your message',
    evidence: data.evidence.map((e) => evidenceItem(request.id, e)),
    noEvidenceText: asValidator
      ? `${request.personName} did not offer any evidence with this request, or has since deleted it from their portfolio.`
      : 'You did not offer any evidence with this request, or have since deleted it from your portfolio.',
    withdrawAction: data.canWithdraw ? validationHref(request.id, '/withdraw') : undefined,
    decision: data.canDecide
      ? {
          action: validationHref(request.id, '/decision'),
          ...decisionArgs(request, options.typed, errors),
        }
      : undefined,
    closedText:
      asValidator && !data.canDecide
        ? request.status === 'withdrawn'
          ? `${request.personName} withdrew this request.`
          : 'You have decided this request. A decision is final.'
        : undefined,
    backHref: asValidator ? TO_DECIDE_HREF : VALIDATION_PATH,
    backText: asValidator ? 'Back to requests to validate' : 'Back to your validation requests',
  };
}

// --- The queue -----------------------------------------------------------------------------------

export function queuePage(requests: DescribedRequest[]) {
  const waiting = requests.filter((r) => r.status === 'pending').length;
  return {
    pageTitle: 'Requests to validate',
    breadcrumbArgs: [...breadcrumbs, validationCrumb],
    summaryText:
      requests.length === 0
        ? 'Nobody has asked you to validate their level.'
        : waiting === 0
          ? 'Nothing is waiting for your decision.'
          : `${String(waiting)} ${waiting === 1 ? 'request is' : 'requests are'} waiting for your decision.`,
    hasRequests: requests.length > 0,
    tableArgs: {
      caption: 'Requests to validate, waiting ones first',
      captionSize: 's',
      responsive: true,
      head: [{ text: 'Person' }, { text: 'Area' }, { text: 'Level claimed' }, { text: 'Status' }],
      rows: requests.map((r) => [
        {
          header: 'Person',
          html: `<a href="${escapeHtml(validationHref(r.id))}">${escapeHtml(r.personName)}</a><br><span class="nhsuk-body-s">Asked ${timeHtml(r.createdAt)}</span>`,
        },
        { header: 'Area', text: areaText(r) },
        { header: 'Level claimed', text: claimText(r.claimedLevel, r.levelName) },
        { header: 'Status', html: tagHtml(r.status) },
      ]),
    },
    backHref: VALIDATION_PATH,
  };
}
