/**
 * View models for the self-assessment pages: domain data → exactly what each template and NHS.UK
 * macro needs. No HTML strings here except from escaped parts.
 */
import {
  codeOptions,
  errorMessageFor,
  type FieldError,
  selectItems,
} from '../../platform/forms.js';
import { errorSummaryArgs } from '../../platform/pages.js';
import type { Profile } from '../accounts/index.js';
import type { Archetype, ArchetypeGuide, Choice, FrameworkModel } from '../framework/index.js';
import { ANSWER_FIELD_PREFIX, type YesNo } from './assessment.forms.js';
import type { AssessmentPlan, AreaStatus } from './assessment.plan.js';
import type { Assessment, AssessmentWorkspace } from './assessment.service.js';
import { ANSWER_OPTIONS, type AnswerValue, answerOption, NOT_RELEVANT } from './engine/scale.js';
import type { Suggestions } from './help-me-choose.js';

export const assessmentHref = (id: string, rest = '') =>
  `/assessments/${encodeURIComponent(id)}${rest}`;
export const areaHref = (id: string, areaCode: string, query = '') =>
  assessmentHref(id, `/areas/${encodeURIComponent(areaCode)}${query}`);

/** Where "continue" takes the person: the area they were on, or check answers when all done. */
export function continueHref(assessment: Assessment, plan: AssessmentPlan): string {
  return plan.nextAreaCode
    ? areaHref(assessment.id, plan.nextAreaCode)
    : assessmentHref(assessment.id, '/check-answers');
}

const plural = (n: number, one: string, many = `${one}s`) => `${String(n)} ${n === 1 ? one : many}`;

export function progressText(plan: AssessmentPlan): string {
  const done = `${String(plan.done)} of ${plural(plan.total, 'area')} done`;
  return plan.minutesLeft > 0 ? `${done}, about ${plural(plan.minutesLeft, 'minute')} left` : done;
}

const dateText = (date: Date) =>
  date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  });

/** A radio or form id made from a statement id (ids may contain dots). */
export const answerFieldId = (statementId: string) =>
  `${ANSWER_FIELD_PREFIX}${statementId.replace(/[^A-Za-z0-9_-]/g, '-')}`;

// ---------------------------------------------------------------------------------------------
// Home

export function homePage(options: {
  displayName: string | undefined;
  inProgress: { assessment: Assessment; plan: AssessmentPlan } | undefined;
  latestSubmitted: Assessment | undefined;
}) {
  const { inProgress, latestSubmitted } = options;
  return {
    pageTitle: 'Your home page',
    greeting: options.displayName ? `Hello, ${options.displayName}` : 'Hello',
    inProgress: inProgress && {
      href: continueHref(inProgress.assessment, inProgress.plan),
      taskListHref: assessmentHref(inProgress.assessment.id),
      startAgainHref: assessmentHref(inProgress.assessment.id, '/start-again'),
      progress: progressText(inProgress.plan),
      startedText: `Started on ${dateText(inProgress.assessment.startedAt)}`,
    },
    latest: latestSubmitted && {
      href: assessmentHref(latestSubmitted.id, '/results'),
      submittedText: latestSubmitted.submittedAt
        ? `Submitted on ${dateText(latestSubmitted.submittedAt)}`
        : '',
    },
    startHref: '/assessments/new',
  };
}

// ---------------------------------------------------------------------------------------------
// Starting

export function profileStepPage(
  values: Pick<Profile, 'professionCode' | 'workSettingCode'>,
  choices: { professions: Choice[]; workSettings: Choice[] },
  errors: FieldError[],
) {
  return {
    pageTitle: 'Your profession and where you work',
    errorSummaryArgs: errorSummaryArgs(errors),
    professionArgs: {
      id: 'professionCode',
      name: 'professionCode',
      label: { text: 'Profession', classes: 'nhsuk-label--s' },
      items: selectItems('Not chosen', values.professionCode, codeOptions(choices.professions)),
      errorMessage: errorMessageFor(errors, 'professionCode'),
    },
    workSettingArgs: {
      id: 'workSettingCode',
      name: 'workSettingCode',
      label: { text: 'Where you work', classes: 'nhsuk-label--s' },
      items: selectItems('Not chosen', values.workSettingCode, codeOptions(choices.workSettings)),
      errorMessage: errorMessageFor(errors, 'workSettingCode'),
    },
  };
}

/**
 * An assessment in progress whose archetypes differ from those chosen: it keeps its own, so the
 * archetypes step says so and offers to start again.
 */
export function inProgressElsewhere(
  inProgress: Assessment | undefined,
  plan: AssessmentPlan | undefined,
  chosen: readonly string[],
  archetypes: readonly Archetype[],
) {
  if (!inProgress || !plan || sameCodes(inProgress.archetypeCodes, chosen)) return undefined;
  const names = inProgress.archetypeCodes.map(
    (code) => archetypes.find((a) => a.code === code)?.name ?? code,
  );
  return {
    archetypesText: names.join(', '),
    continueHref: continueHref(inProgress, plan),
    startAgainHref: assessmentHref(inProgress.id, '/start-again'),
  };
}

export function sameCodes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((code) => b.includes(code));
}

export function archetypesStepPage(
  selected: readonly string[],
  archetypes: readonly Archetype[],
  errors: FieldError[],
  frameworkSlug: string,
  inProgress?: ReturnType<typeof inProgressElsewhere>,
) {
  return {
    pageTitle: 'Which archetypes describe your work?',
    errorSummaryArgs: errorSummaryArgs(errors),
    inProgress,
    archetypesArgs: {
      idPrefix: 'archetypeCodes',
      name: 'archetypeCodes',
      fieldset: {
        legend: {
          text: 'Which archetypes describe your work?',
          classes: 'nhsuk-fieldset__legend--l',
          isPageHeading: true,
        },
      },
      hint: {
        text: 'Archetypes are about what you do with technology, not your job title. Choose all that apply. Most people are Users; many are also Embedders.',
      },
      items: archetypes.map((a) => ({
        value: a.code,
        text: a.name,
        hint: { text: a.summary },
        checked: selected.includes(a.code),
      })),
      errorMessage: errorMessageFor(errors, 'archetypeCodes'),
    },
    archetypesHref: `/frameworks/${encodeURIComponent(frameworkSlug)}/archetypes`,
  };
}

export function helpMeChoosePage(
  guide: ArchetypeGuide,
  answers: readonly (YesNo | undefined)[],
  errors: FieldError[],
) {
  return {
    pageTitle: 'Help me choose my archetypes',
    errorSummaryArgs: errorSummaryArgs(errors),
    intro: guide.intro,
    questions: guide.questions.map((q, i) => ({
      idPrefix: `question-${String(i)}`,
      name: `question-${String(i)}`,
      classes: 'nhsuk-radios--inline',
      fieldset: { legend: { text: q.question, classes: 'nhsuk-fieldset__legend--s' } },
      hint: { text: q.hint },
      items: (['yes', 'no'] as const).map((v) => ({
        value: v,
        text: v === 'yes' ? 'Yes' : 'No',
        checked: answers[i] === v,
      })),
      errorMessage: errorMessageFor(errors, `question-${String(i)}`),
    })),
  };
}

/** `encodedAnswers`: the answers as in the address ("ynn…"), so "Back" shows them again. */
export function suggestionsPage(result: Suggestions, encodedAnswers: string) {
  return {
    pageTitle: 'Archetypes that may fit you',
    backHref: `/assessments/new/help-me-choose?answers=${encodeURIComponent(encodedAnswers)}`,
    fallback: result.fallback,
    suggestions: result.suggestions.map((s) => ({
      code: s.code,
      name: s.name,
      summary: s.summary,
      because: s.because,
    })),
  };
}

interface ModeEstimates {
  focused: { statements: number; minutes: number };
  full: { statements: number; minutes: number };
  areas: number;
}

export function modeStepPage(options: {
  profile: Profile;
  described: { profession: string | null; workSetting: string | null; archetypes: string[] };
  estimates: ModeEstimates;
  hasPrevious: boolean;
  values: { mode: string; fromPrevious: boolean };
  errors: FieldError[];
}) {
  const { described, estimates, values, errors } = options;
  const about = (e: { statements: number; minutes: number }) =>
    `About ${plural(e.minutes, 'minute')} (around ${plural(e.statements, 'statement')}).`;
  return {
    pageTitle: 'How do you want to assess yourself?',
    errorSummaryArgs: errorSummaryArgs(errors),
    choicesListArgs: {
      rows: [
        {
          key: { text: 'Profession' },
          value: { text: described.profession ?? 'Not chosen' },
          actions: {
            items: [{ href: '/assessments/new', text: 'Change', visuallyHiddenText: 'profession' }],
          },
        },
        {
          key: { text: 'Where you work' },
          value: { text: described.workSetting ?? 'Not chosen' },
          actions: {
            items: [
              { href: '/assessments/new', text: 'Change', visuallyHiddenText: 'where you work' },
            ],
          },
        },
        {
          key: { text: 'Archetypes' },
          value: { text: described.archetypes.join(', ') },
          actions: {
            items: [
              {
                href: '/assessments/new/archetypes',
                text: 'Change',
                visuallyHiddenText: 'archetypes',
              },
            ],
          },
        },
      ],
    },
    modeArgs: {
      idPrefix: 'mode',
      name: 'mode',
      fieldset: {
        legend: {
          text: 'How do you want to assess yourself?',
          classes: 'nhsuk-fieldset__legend--l',
          isPageHeading: true,
        },
      },
      hint: {
        text: `You will look at ${plural(estimates.areas, 'area')} of the framework. Your answers are saved as you go, so you can stop and come back at any time.`,
      },
      items: [
        {
          value: 'focused',
          text: 'Focused (recommended)',
          hint: {
            text: `We ask a few statements in each area and choose the next ones from your answers. ${about(estimates.focused)}`,
          },
          checked: values.mode !== 'full',
        },
        {
          value: 'full',
          text: 'Full',
          hint: {
            text: `You answer every statement for your archetypes. ${about(estimates.full)}`,
          },
          checked: values.mode === 'full',
        },
      ],
      errorMessage: errorMessageFor(errors, 'mode'),
    },
    previousArgs: options.hasPrevious
      ? {
          idPrefix: 'fromPrevious',
          name: 'fromPrevious',
          fieldset: {
            legend: { text: 'Your previous answers', classes: 'nhsuk-fieldset__legend--s' },
          },
          items: [
            {
              value: 'yes',
              text: 'Start from my previous answers',
              hint: {
                text: 'Your answers from your last self-assessment are filled in, so you only need to review and change what has moved on.',
              },
              checked: values.fromPrevious,
            },
          ],
        }
      : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// Answering

const STATUS_TAGS: Record<AreaStatus, { text: string; classes?: string }> = {
  'not-started': { text: 'Not started', classes: 'nhsuk-tag--white' },
  'in-progress': { text: 'In progress', classes: 'nhsuk-tag--blue' },
  done: { text: 'Done', classes: 'nhsuk-tag--green' },
};

function areaHeading(framework: FrameworkModel, areaCode: string) {
  const node = framework.nodesByCode.get(areaCode);
  const domain = framework.domainOf(areaCode);
  return {
    name: node?.name ?? areaCode,
    description: node?.description ?? '',
    domainName: domain && domain.code !== areaCode ? domain.name : undefined,
  };
}

export interface AreaPageOptions {
  areaCode: string;
  statementIds: readonly string[];
  /** Reviewing answers already given (a finished area, or a change from check answers). */
  reviewing: boolean;
  fromCheckAnswers: boolean;
  /** A change from check answers reopened the area: it needs a few more answers first. */
  reopened?: boolean;
  /** Values to show instead of the saved ones (a form sent back with problems). */
  submitted?: Readonly<Record<string, string>>;
  errors: FieldError[];
}

export function areaPage(ws: AssessmentWorkspace, options: AreaPageOptions) {
  const { assessment, framework, plan, answers } = ws;
  const heading = areaHeading(framework, options.areaCode);
  const index = plan.areas.findIndex((a) => a.areaCode === options.areaCode);
  const areaPlan = plan.areas[index];
  const errors = options.errors;
  const valueOf = (id: string): string | undefined => {
    const sent = options.submitted?.[id];
    if (sent !== undefined) return sent;
    const saved = answers.get(id);
    return saved === undefined ? undefined : String(saved);
  };
  const statements = options.statementIds.map((id) => {
    const statement = framework.statementsById.get(id);
    const chosen = valueOf(id);
    const fieldId = answerFieldId(id);
    return {
      id,
      radiosArgs: {
        idPrefix: fieldId,
        name: `${ANSWER_FIELD_PREFIX}${id}`,
        fieldset: {
          legend: { text: statement?.text ?? id, classes: 'nhsuk-fieldset__legend--s' },
        },
        attributes: { 'data-statement-id': id },
        items: ANSWER_OPTIONS.flatMap((o) => {
          const item = { value: o.formValue, text: o.label, checked: chosen === o.formValue };
          return o.value === NOT_RELEVANT ? [{ divider: 'or' }, item] : [item];
        }),
        errorMessage: errorMessageFor(errors, id),
      },
    };
  });
  // Error summary links point at each statement's first radio.
  const summaryErrors = errors.map((e) =>
    framework.statementsById.has(e.field) && options.statementIds.includes(e.field)
      ? { field: answerFieldId(e.field), text: e.text }
      : { field: 'answers', text: e.text },
  );
  return {
    pageTitle: heading.name,
    errorSummaryArgs: errorSummaryArgs(summaryErrors),
    caption: `Area ${String(index + 1)} of ${String(plan.total)}${heading.domainName ? ` · ${heading.domainName}` : ''}`,
    areaName: heading.name,
    description: heading.description,
    progress: progressText(plan),
    statusText: areaPlan ? STATUS_TAGS[areaPlan.status].text : '',
    reviewing: options.reviewing,
    reopenedText: options.reopened
      ? 'Your change means we need to ask you a few more questions in this area. When it is done, you will go back to check your answers.'
      : undefined,
    action: areaHref(assessment.id, options.areaCode),
    autosaveUrl: assessmentHref(assessment.id, '/answers'),
    areaCode: options.areaCode,
    fromCheckAnswers: options.fromCheckAnswers,
    statements,
    scale: ANSWER_OPTIONS.map((o) => ({ label: o.label, hint: o.hint })),
    taskListHref: assessmentHref(assessment.id),
    checkAnswersHref: assessmentHref(assessment.id, '/check-answers'),
    areaInfoHref: `/frameworks/${encodeURIComponent(framework.slug)}/areas/${encodeURIComponent(options.areaCode)}`,
  };
}

export function taskListPage(ws: AssessmentWorkspace) {
  const { assessment, framework, plan } = ws;
  const domains: { name: string; taskListArgs: object }[] = [];
  for (const area of plan.areas) {
    const domain = framework.domainOf(area.areaCode);
    const name = domain?.name ?? area.areaCode;
    let group = domains.at(-1);
    if (group?.name !== name) {
      group = { name, taskListArgs: {} };
      domains.push(group);
    }
    const items = ((group.taskListArgs as { items?: object[] }).items ??= []);
    items.push({
      title: { text: framework.nodesByCode.get(area.areaCode)?.name ?? area.areaCode },
      href: areaHref(assessment.id, area.areaCode),
      hint:
        area.status === 'done'
          ? `${plural(area.answered, 'answer')} given`
          : area.answered > 0
            ? `${plural(area.answered, 'answer')} so far`
            : undefined,
      status: { tag: STATUS_TAGS[area.status] },
    });
    group.taskListArgs = { idPrefix: `domain-${String(domains.length)}`, items };
  }
  return {
    pageTitle: 'Your self-assessment',
    progress: progressText(plan),
    complete: plan.complete,
    continueHref: continueHref(assessment, plan),
    checkAnswersHref: assessmentHref(assessment.id, '/check-answers'),
    startAgainHref: assessmentHref(assessment.id, '/start-again'),
    modeText:
      assessment.mode === 'focused'
        ? 'Focused: we choose statements from your answers'
        : 'Full: every statement for your archetypes',
    domains,
  };
}

export function savedPage(ws: AssessmentWorkspace) {
  return {
    pageTitle: 'Your answers have been saved',
    progress: progressText(ws.plan),
    continueHref: continueHref(ws.assessment, ws.plan),
  };
}

/**
 * `refused`: why submitting was refused; the error summary links it to the task list.
 * `copiedFromPrevious`: the person has just arrived from starting with their previous answers,
 * which settled every area.
 */
export function checkAnswersPage(
  ws: AssessmentWorkspace,
  options: { refused?: string; copiedFromPrevious?: boolean } = {},
) {
  const { refused } = options;
  const { assessment, framework, plan, answers, pool } = ws;
  const areas = plan.areas.map((area) => {
    const ids = pool.areas.find((a) => a.areaCode === area.areaCode)?.statementIds ?? [];
    const rows = ids
      .filter((id) => answers.has(id))
      .map((id) => {
        const text = framework.statementsById.get(id)?.text ?? id;
        return {
          key: { text },
          value: { text: answerOption(answers.get(id) as AnswerValue).label },
          actions: {
            items: [
              {
                href: `${areaHref(assessment.id, area.areaCode, '?from=check-answers')}#${answerFieldId(id)}`,
                text: 'Change',
                visuallyHiddenText: text,
              },
            ],
          },
        };
      });
    return {
      name: framework.nodesByCode.get(area.areaCode)?.name ?? area.areaCode,
      done: area.status === 'done',
      href: areaHref(assessment.id, area.areaCode),
      summaryListArgs: rows.length > 0 ? { rows } : undefined,
    };
  });
  const unfinished = plan.areas.filter((a) => a.status !== 'done').length;
  return {
    pageTitle: 'Check your answers',
    errorSummaryArgs: refused
      ? {
          titleText: 'There is a problem',
          errorList: [{ text: refused, href: assessmentHref(assessment.id) }],
        }
      : undefined,
    progress: progressText(plan),
    complete: plan.complete,
    copiedText:
      options.copiedFromPrevious && assessment.basedOnAssessmentId
        ? 'We have copied in your answers from your last self-assessment, and they cover every area. Review them below, change any that have moved on, then submit.'
        : undefined,
    unfinishedText:
      unfinished > 0
        ? `You have ${plural(unfinished, 'area')} still to finish before you can submit.`
        : undefined,
    taskListHref: assessmentHref(assessment.id),
    submitAction: assessmentHref(assessment.id, '/submit'),
    areas,
  };
}

export function startAgainPage(ws: AssessmentWorkspace) {
  const { assessment, framework, plan } = ws;
  const names = assessment.archetypeCodes.map(
    (code) => framework.data.archetypes.find((a) => a.code === code)?.name ?? code,
  );
  return {
    pageTitle: 'Start your self-assessment again?',
    summaryListArgs: {
      rows: [
        { key: { text: 'Started' }, value: { text: dateText(assessment.startedAt) } },
        { key: { text: 'Progress' }, value: { text: progressText(plan) } },
        { key: { text: 'Archetypes' }, value: { text: names.join(', ') } },
        {
          key: { text: 'Type' },
          value: { text: assessment.mode === 'focused' ? 'Focused' : 'Full' },
        },
      ],
    },
    action: assessmentHref(assessment.id, '/start-again'),
    backHref: assessmentHref(assessment.id),
  };
}
