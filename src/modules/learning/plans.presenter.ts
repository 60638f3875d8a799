/**
 * View models for the development plan pages: the plan, a goal, the goal forms (new, edit,
 * remove), the reflection asked for when a resource is marked done, and "Add to my plan". Each
 * gives the exact arguments for the NHS.UK macros its view uses. Pure.
 */
import {
  characterLimit,
  errorMessageFor,
  escapeHtml,
  type FieldError,
} from '../../platform/forms.js';
import { errorSummaryArgs } from '../../platform/pages.js';
import { COST_LABELS, durationText, FORMAT_LABELS } from './catalogue.model.js';
import { dateParts, dueness, formatInstantDate, formatPlanDate } from './plans.dates.js';
import {
  type DateField,
  type DatePart,
  type EditGoalTyped,
  NOTES_MAX,
  type NewGoalTyped,
  REFLECTION_MAX,
  type ReflectionTyped,
} from './plans.forms.js';
import type { GoalResourceRow, PlanStatus, ResourceRow } from './plans.repository.js';
import type { GoalPageData, GoalView, NewGoalContext, PlanOverview } from './plans.service.js';
import { askValidationHref, validatedLevelText } from './validation.presenter.js';
import type { ValidatedLevel } from './validation.service.js';

/** The validated level in an area, in words, if a line manager or educator has confirmed one. */
function validatedTextIn(validated: readonly ValidatedLevel[] | undefined, areaCode: string) {
  const v = validated?.find((x) => x.areaCode === areaCode);
  return v ? validatedLevelText(v) : undefined;
}

export const PLAN_PATH = '/plan';
export const goalHref = (goalId: string, rest = '') =>
  `${PLAN_PATH}/goals/${encodeURIComponent(goalId)}${rest}`;
export const goalResourceHref = (goalId: string, resourceId: string, rest = '') =>
  goalHref(goalId, `/resources/${encodeURIComponent(resourceId)}${rest}`);
/** The new-goal page for an area (and the assessment whose gap it is, and a resource to add). */
export function newGoalHref(options: { areaCode?: string; from?: string; resource?: string } = {}) {
  const query = new URLSearchParams();
  if (options.areaCode) query.set('area', options.areaCode);
  if (options.from) query.set('from', options.from);
  if (options.resource) query.set('resource', options.resource);
  const text = query.toString();
  return `${PLAN_PATH}/goals/new${text ? `?${text}` : ''}`;
}
/** A self-assessed area level in words: 0 is "below level 1" (the scale has no level 0). */
const levelName = (level: number) => (level === 0 ? 'below level 1' : `level ${String(level)}`);
/** "at level 2", "below level 1": where a person was. */
const levelWords = (level: number) => (level === 0 ? levelName(0) : `at ${levelName(level)}`);

/** "Add to my plan" for a resource (catalogue and recommendations link here). */
export const addResourceHref = (resourceId: string) =>
  `${PLAN_PATH}/add-resource?resource=${encodeURIComponent(resourceId)}`;

export const STATUS_LABELS: Record<PlanStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  done: 'Done',
};

const STATUS_TAG_CLASSES: Record<PlanStatus, string> = {
  not_started: 'nhsuk-tag--grey',
  in_progress: 'nhsuk-tag--blue',
  done: 'nhsuk-tag--green',
};

export const statusTagArgs = (status: PlanStatus) => ({
  text: STATUS_LABELS[status],
  classes: STATUS_TAG_CLASSES[status],
});

/** "Overdue" or "Due soon" for a goal not done, else undefined. */
export function dueTagArgs(goal: { status: PlanStatus; targetDate: string }, today: string) {
  if (goal.status === 'done') return undefined;
  const due = dueness(goal.targetDate, today);
  if (due === 'overdue') return { text: 'Overdue', classes: 'nhsuk-tag--red' };
  if (due === 'due') return { text: 'Due soon', classes: 'nhsuk-tag--orange' };
  return undefined;
}

/** Text as typed, its line breaks kept, escaped. */
const linesHtml = (text: string) => text.split('\n').map(escapeHtml).join('<br>');

/** Text as typed, as lines for a view to join with <br>. */
const lines = (text: string) => text.split('\n');

const tagHtml = (tag: { text: string; classes: string }) =>
  `<strong class="nhsuk-tag ${tag.classes}">${escapeHtml(tag.text)}</strong>`;

/** "Reach level 3 (Apply) by 12 March 2026". */
export function targetText(view: Pick<GoalView, 'goal' | 'levelName'>): string {
  const level = `level ${String(view.goal.targetLevel)}${view.levelName ? ` (${view.levelName})` : ''}`;
  return `Reach ${level} by ${formatPlanDate(view.goal.targetDate)}`;
}

/** "Video · 20 minutes · Free" (what the resource is, how long, what it costs). */
export function resourceMeta(resource: ResourceRow): string {
  const format = (FORMAT_LABELS as Record<string, string>)[resource.format] ?? resource.format;
  const cost = (COST_LABELS as Record<string, string>)[resource.cost] ?? resource.cost;
  const parts = [resource.provider, format];
  if (resource.durationMinutes !== null) parts.push(durationText(resource.durationMinutes));
  parts.push(cost);
  return parts.join(' · ');
}

const planBreadcrumb = [
  { text: 'Home', href: '/home' },
  { text: 'My plan', href: PLAN_PATH },
];

// The plan ---------------------------------------------------------------------------------

const GROUPS: { status: PlanStatus; id: string; heading: string }[] = [
  { status: 'in_progress', id: 'in-progress', heading: 'In progress' },
  { status: 'not_started', id: 'not-started', heading: 'Not started' },
  { status: 'done', id: 'done', heading: 'Done' },
];

function goalCard(view: GoalView, today: string) {
  const { goal } = view;
  const done = view.resources.filter((r) => r.status === 'done').length;
  return {
    id: goal.id,
    href: goalHref(goal.id),
    areaName: view.areaName,
    domainName: view.domainName,
    targetText: targetText(view),
    targetDateIso: goal.targetDate,
    dueTag: dueTagArgs(goal, today),
    completedText: goal.completedAt ? `Done on ${formatInstantDate(goal.completedAt)}` : '',
    progressText:
      view.resources.length === 0
        ? 'No learning added yet'
        : `${String(done)} of ${String(view.resources.length)} learning resource${view.resources.length === 1 ? '' : 's'} done`,
    resources: view.resources.map((r) => ({
      title: r.resource.title,
      statusTag: statusTagArgs(r.status),
    })),
  };
}

export function planPage(
  overview: PlanOverview,
  options: {
    notice?: string | undefined;
    /** Levels validated by a line manager or educator, shown beside the person's own. */
    validated?: readonly ValidatedLevel[] | undefined;
  } = {},
) {
  const groups = GROUPS.map((g) => ({
    id: g.id,
    heading: g.heading,
    goals: overview.goals
      .filter((v) => v.goal.status === g.status)
      .map((v) => goalCard(v, overview.today)),
  })).filter((g) => g.goals.length > 0);
  const latest = overview.latest;
  return {
    pageTitle: 'My development plan',
    notice: options.notice,
    addGoalHref: newGoalHref(),
    hasGoals: overview.goals.length > 0,
    counts: GROUPS.map((g) => ({
      heading: g.heading,
      id: g.id,
      count: overview.goals.filter((v) => v.goal.status === g.status).length,
    })).filter((c) => c.count > 0),
    groups,
    gaps: latest
      ? {
          resultsHref: `/assessments/${encodeURIComponent(latest.assessmentId)}/results`,
          submittedText: formatInstantDate(latest.submittedAt),
          items: latest.gaps.map((gap) => ({
            areaName: gap.area.areaName,
            levelText: `Your self-assessed level: ${levelName(gap.area.level)}. Target for your role: level ${String(gap.area.targetLevel)}.`,
            validatedText: validatedTextIn(options.validated, gap.area.areaCode),
            href: gap.goalId
              ? goalHref(gap.goalId)
              : newGoalHref({ areaCode: gap.area.areaCode, from: latest.assessmentId }),
            linkText: gap.goalId ? 'See your goal' : 'Add a goal',
            hasGoal: gap.goalId !== undefined,
          })),
        }
      : undefined,
    breadcrumbArgs: [{ text: 'Home', href: '/home' }],
  };
}

// Goal forms ---------------------------------------------------------------------------------

function levelRadiosArgs(
  levels: NewGoalContext['levels'],
  selected: string,
  errors: FieldError[],
  hint: string | undefined,
) {
  return {
    idPrefix: 'targetLevel',
    name: 'targetLevel',
    fieldset: { legend: { text: 'What level do you want to reach?', size: 'm' } },
    hint: hint ? { text: hint } : undefined,
    errorMessage: errorMessageFor(errors, 'targetLevel'),
    items: levels.map((l) => ({
      value: String(l.level),
      text: `Level ${String(l.level)}: ${l.name}`,
      hint: { text: l.summary },
      checked: String(l.level) === selected,
    })),
  };
}

const DATE_PARTS: { part: DatePart; label: string; width: number }[] = [
  { part: 'day', label: 'Day', width: 2 },
  { part: 'month', label: 'Month', width: 2 },
  { part: 'year', label: 'Year', width: 4 },
];

function dateInputArgs(field: DateField, errors: FieldError[], hint: string) {
  const error = errors.find((e) => e.field.startsWith('targetDate-'));
  return {
    id: 'targetDate',
    fieldset: { legend: { text: 'When do you want to reach it by?', size: 'm' } },
    hint: { text: hint },
    errorMessage: error ? { text: error.text } : undefined,
    items: DATE_PARTS.map(({ part, label, width }) => ({
      id: `targetDate-${part}`,
      name: `targetDate-${part}`,
      label,
      value: field.typed[part],
      width,
      classes: `nhsuk-input--width-${String(width)}${field.invalidParts.includes(part) ? ' nhsuk-input--error' : ''}`,
    })),
  };
}

/** The date input's value from a stored date (the first time a form shows). */
export const dateFieldOf = (value: string): DateField => ({
  typed: dateParts(value),
  value,
  invalidParts: [],
});

function notesArgs(value: string, errors: FieldError[], label: string, hint: string) {
  return {
    id: 'notes',
    name: 'notes',
    label: { text: label, size: 's' },
    hint: { text: hint },
    ...characterLimit(NOTES_MAX),
    value,
    rows: 5,
    errorMessage: errorMessageFor(errors, 'notes'),
  };
}

const dateHint = (example: string) =>
  `For example, ${example}. We will send you a reminder by email when it is a week away, and if it passes.`;

function exampleDate(today: string): string {
  const p = dateParts(today);
  return `${p.day} ${p.month} ${p.year}`;
}

export function newGoalPage(
  context: NewGoalContext,
  options: { typed?: NewGoalTyped; errors?: FieldError[] } = {},
) {
  const errors = options.errors ?? [];
  const typed: NewGoalTyped = options.typed ?? {
    areaCode: context.defaults.areaCode,
    targetLevel:
      context.defaults.targetLevel === undefined ? '' : String(context.defaults.targetLevel),
    targetDate: dateFieldOf(context.defaults.targetDate),
    notes: '',
    from: context.from?.assessmentId ?? '',
    resource: context.resource?.id ?? '',
  };
  const result = context.areaResults.get(typed.areaCode);
  const area = context.areas.find((a) => a.code === typed.areaCode);
  return {
    pageTitle: 'Add a goal to your plan',
    errorSummaryArgs: errorSummaryArgs(errors),
    action: `${PLAN_PATH}/goals/new`,
    from: typed.from,
    resource: typed.resource,
    resourceText: context.resource
      ? `When you save this goal, “${context.resource.title}” will be added to it.`
      : undefined,
    context:
      result && area
        ? {
            areaName: area.name,
            text: context.from
              ? `In your self-assessment of ${formatInstantDate(context.from.submittedAt)} you were ${levelWords(result.level)} in ${area.name}; the target for your role is level ${String(result.targetLevel)}.`
              : `In your last self-assessment you were ${levelWords(result.level)} in ${area.name}; the target for your role is level ${String(result.targetLevel)}.`,
          }
        : undefined,
    areaArgs: {
      id: 'areaCode',
      name: 'areaCode',
      label: { text: 'Which area of the framework is this goal about?', size: 'm' },
      errorMessage: errorMessageFor(errors, 'areaCode'),
      items: [
        { value: '', text: 'Select an area', selected: typed.areaCode === '' },
        ...context.areas.map((a) => ({
          value: a.code,
          text: `${a.name} (${a.domainName})`,
          selected: a.code === typed.areaCode,
        })),
      ],
    },
    levelArgs: levelRadiosArgs(
      context.levels,
      typed.targetLevel,
      errors,
      result && result.targetLevel > 0
        ? `The target for your role is level ${String(result.targetLevel)}.`
        : undefined,
    ),
    dateArgs: dateInputArgs(
      typed.targetDate,
      errors,
      dateHint(exampleDate(context.defaults.targetDate)),
    ),
    notesArgs: notesArgs(
      typed.notes,
      errors,
      'Notes (optional)',
      'Why this goal matters to you, or how you plan to get there.',
    ),
    cancelHref: PLAN_PATH,
    breadcrumbArgs: planBreadcrumb,
  };
}

export function editGoalPage(
  context: { today: string; view: GoalView; levels: NewGoalContext['levels'] },
  options: { typed?: EditGoalTyped; errors?: FieldError[] } = {},
) {
  const { goal } = context.view;
  const errors = options.errors ?? [];
  const typed: EditGoalTyped = options.typed ?? {
    targetLevel: String(goal.targetLevel),
    targetDate: dateFieldOf(goal.targetDate),
    status: goal.status,
    notes: goal.notes,
  };
  return {
    pageTitle: `Change your goal: ${context.view.areaName}`,
    caption: context.view.domainName,
    heading: `Change your goal for ${context.view.areaName}`,
    errorSummaryArgs: errorSummaryArgs(errors),
    action: goalHref(goal.id, '/edit'),
    levelArgs: levelRadiosArgs(context.levels, typed.targetLevel, errors, undefined),
    dateArgs: dateInputArgs(typed.targetDate, errors, dateHint(exampleDate(context.today))),
    statusArgs: {
      idPrefix: 'status',
      name: 'status',
      fieldset: { legend: { text: 'How far have you got?', size: 'm' } },
      errorMessage: errorMessageFor(errors, 'status'),
      items: (['not_started', 'in_progress', 'done'] as const).map((s) => ({
        value: s,
        text: STATUS_LABELS[s],
        checked: typed.status === s,
        hint:
          s === 'done'
            ? { text: 'You have reached this level. We stop sending reminders about it.' }
            : undefined,
      })),
    },
    notesArgs: notesArgs(
      typed.notes,
      errors,
      'Notes',
      'Reflect on how it is going: what has helped, what is getting in the way.',
    ),
    cancelHref: goalHref(goal.id),
    breadcrumbArgs: [...planBreadcrumb, { text: context.view.areaName, href: goalHref(goal.id) }],
  };
}

export function removeGoalPage(context: { view: GoalView }) {
  const { goal } = context.view;
  return {
    pageTitle: `Remove your goal for ${context.view.areaName}?`,
    action: goalHref(goal.id, '/remove'),
    cancelHref: goalHref(goal.id),
    summaryListArgs: {
      rows: [
        { key: { text: 'Area' }, value: { text: context.view.areaName } },
        { key: { text: 'Goal' }, value: { text: targetText(context.view) } },
        { key: { text: 'Status' }, value: { text: STATUS_LABELS[goal.status] } },
        {
          key: { text: 'Learning' },
          value: {
            text:
              context.view.resources.length === 0
                ? 'None'
                : context.view.resources.map((r) => r.resource.title).join(', '),
          },
        },
      ],
    },
    breadcrumbArgs: [...planBreadcrumb, { text: context.view.areaName, href: goalHref(goal.id) }],
  };
}

// A goal -------------------------------------------------------------------------------------

function resourceItem(
  goalId: string,
  row: GoalResourceRow,
  reflection: { learned: string; use: string } | undefined,
  errors: FieldError[],
) {
  const r = row.resource;
  const statusId = `status-${r.id}`;
  return {
    id: r.id,
    title: r.title,
    url: r.url,
    meta: resourceMeta(r),
    retired: r.retiredAt !== null,
    statusTag: statusTagArgs(row.status),
    isDone: row.status === 'done',
    completedText: row.completedAt ? `Done on ${formatInstantDate(row.completedAt)}` : '',
    reflection: reflection && { learned: lines(reflection.learned), use: lines(reflection.use) },
    statusAction: goalResourceHref(goalId, r.id, '/status'),
    statusSelectArgs: {
      id: statusId,
      name: 'status',
      label: {
        html: `Status<span class="nhsuk-u-visually-hidden"> of ${escapeHtml(r.title)}</span>`,
        classes: 'nhsuk-label--s',
      },
      errorMessage: errorMessageFor(errors, statusId),
      items: (['not_started', 'in_progress', 'done'] as const).map((s) => ({
        value: s,
        text: s === 'done' ? 'Done (write a short reflection)' : STATUS_LABELS[s],
        selected: row.status === s,
      })),
    },
    updateButtonHtml: `Update status<span class="nhsuk-u-visually-hidden"> of ${escapeHtml(r.title)}</span>`,
    doneHref: goalResourceHref(goalId, r.id, '/done'),
    removeAction: goalResourceHref(goalId, r.id, '/remove'),
  };
}

export function goalPage(
  data: GoalPageData,
  options: {
    notice?: string | undefined;
    errors?: FieldError[];
    selectedResourceId?: string;
    /** Levels validated by a line manager or educator (this goal's area is shown). */
    validated?: readonly ValidatedLevel[] | undefined;
  } = {},
) {
  const { view } = data;
  const { goal } = view;
  const errors = options.errors ?? [];
  const due = dueTagArgs(goal, data.today);
  const dateHtml = `${escapeHtml(formatPlanDate(goal.targetDate))}${due ? ` ${tagHtml(due)}` : ''}`;
  const searching = data.words !== '';
  const validatedText = validatedTextIn(options.validated, goal.areaCode);
  return {
    pageTitle: `Your goal: ${view.areaName}`,
    caption: view.domainName,
    heading: view.areaName,
    notice: options.notice,
    errorSummaryArgs: errorSummaryArgs(errors),
    statusTag: statusTagArgs(goal.status),
    summaryListArgs: {
      rows: [
        { key: { text: 'Goal' }, value: { text: targetText(view) } },
        { key: { text: 'Target date' }, value: { html: dateHtml } },
        { key: { text: 'Status' }, value: { html: tagHtml(statusTagArgs(goal.status)) } },
        ...(validatedText
          ? [{ key: { text: 'Validated level' }, value: { text: validatedText } }]
          : []),
        {
          key: { text: 'Notes' },
          value: goal.notes ? { html: linesHtml(goal.notes) } : { text: 'None yet' },
        },
      ],
    },
    editHref: goalHref(goal.id, '/edit'),
    removeHref: goalHref(goal.id, '/remove'),
    askValidationHref: askValidationHref(goal.areaCode),
    frameworkAreaHref: `/frameworks/${encodeURIComponent(goal.frameworkSlug)}/areas/${encodeURIComponent(goal.areaCode)}`,
    resources: view.resources.map((row) =>
      resourceItem(goal.id, row, data.reflections.get(row.resource.id), errors),
    ),
    attach: {
      action: goalHref(goal.id, '/resources'),
      hasCandidates: data.candidates.length > 0,
      moreText: data.moreCandidates
        ? `Only the first ${String(data.candidates.length)}, by title, are listed. Search to find others.`
        : undefined,
      searching,
      words: data.words,
      searchAction: goalHref(goal.id),
      clearHref: goalHref(goal.id, '#add-learning'),
      listText: searching
        ? `Learning in the catalogue matching “${data.words}”`
        : `Learning in the catalogue for ${view.areaName}`,
      emptyText: searching
        ? `No learning you have not already added matches “${data.words}”. Try other words.`
        : `There is no more learning in the catalogue for ${view.areaName}. Search the catalogue for other learning.`,
      selectArgs: {
        id: 'resourceId',
        name: 'resourceId',
        label: {
          text: searching ? 'Learning matching your search' : `Learning for ${view.areaName}`,
          size: 's',
        },
        errorMessage: errorMessageFor(errors, 'resourceId'),
        items: [
          { value: '', text: 'Select learning to add', selected: !options.selectedResourceId },
          ...data.candidates.map((r) => ({
            value: r.id,
            text: `${r.title} (${resourceMeta(r)})`,
            selected: r.id === options.selectedResourceId,
          })),
        ],
      },
      searchArgs: {
        id: 'q',
        name: 'q',
        label: { text: 'Search the catalogue', size: 's' },
        hint: { text: 'Words in the title, provider or summary.' },
        value: data.words,
        classes: 'nhsuk-u-width-two-thirds',
      },
    },
    planHref: PLAN_PATH,
    breadcrumbArgs: planBreadcrumb,
  };
}

// Marking a resource done ------------------------------------------------------------------

export function reflectionPage(
  context: { view: GoalView; attached: GoalResourceRow },
  options: { typed?: ReflectionTyped; errors?: FieldError[] } = {},
) {
  const { view, attached } = context;
  const errors = options.errors ?? [];
  const typed = options.typed ?? { learned: '', use: '' };
  return {
    pageTitle: `Mark as done: ${attached.resource.title}`,
    caption: `Your goal: ${view.areaName}`,
    heading: `Mark as done: ${attached.resource.title}`,
    errorSummaryArgs: errorSummaryArgs(errors),
    action: goalResourceHref(view.goal.id, attached.resource.id, '/done'),
    areaName: view.areaName,
    learnedArgs: {
      id: 'learned',
      name: 'learned',
      label: { text: 'What did you learn?', size: 's' },
      hint: { text: 'A few sentences in your own words.' },
      ...characterLimit(REFLECTION_MAX),
      value: typed.learned,
      rows: 5,
      errorMessage: errorMessageFor(errors, 'learned'),
    },
    useArgs: {
      id: 'use',
      name: 'use',
      label: { text: 'How will you use it?', size: 's' },
      hint: { text: 'In your work, or what you will do next.' },
      ...characterLimit(REFLECTION_MAX),
      value: typed.use,
      rows: 5,
      errorMessage: errorMessageFor(errors, 'use'),
    },
    cancelHref: goalHref(view.goal.id),
    breadcrumbArgs: [...planBreadcrumb, { text: view.areaName, href: goalHref(view.goal.id) }],
  };
}

// "Add to my plan" -----------------------------------------------------------------------------

export function addResourcePage(
  choices: {
    resource: ResourceRow;
    goals: GoalView[];
    matching: ReadonlySet<string>;
    newAreas: { code: string; name: string }[];
  },
  options: { typed?: string; errors?: FieldError[] } = {},
) {
  const errors = options.errors ?? [];
  const typed = options.typed ?? '';
  const goalItems = choices.goals.map((v) => ({
    value: v.goal.id,
    text: `${v.areaName}: ${targetText(v).replace(/^Reach/, 'reach')}`,
    hint: choices.matching.has(v.goal.id) ? { text: 'This learning covers this area.' } : undefined,
    checked: typed === v.goal.id,
  }));
  const newItems = choices.newAreas.map((a) => ({
    value: `new:${a.code}`,
    text: `A new goal for ${a.name}`,
    checked: typed === `new:${a.code}`,
  }));
  return {
    pageTitle: 'Add to your plan',
    errorSummaryArgs: errorSummaryArgs(errors),
    action: `${PLAN_PATH}/add-resource`,
    resource: {
      id: choices.resource.id,
      title: choices.resource.title,
      url: choices.resource.url,
      meta: resourceMeta(choices.resource),
      summary: choices.resource.summary,
    },
    hasChoices: goalItems.length + newItems.length > 0,
    goalArgs: {
      idPrefix: 'goal',
      name: 'goal',
      fieldset: { legend: { text: 'Which goal is this learning for?', size: 'm' } },
      hint:
        goalItems.length === 0 ? { text: 'You have no goals yet that are not done.' } : undefined,
      errorMessage: errorMessageFor(errors, 'goal'),
      items: [
        ...goalItems,
        ...(goalItems.length > 0 && newItems.length > 0 ? [{ divider: 'or' }] : []),
        ...newItems,
      ],
    },
    newGoalHref: newGoalHref({ resource: choices.resource.id }),
    planHref: PLAN_PATH,
    breadcrumbArgs: planBreadcrumb,
  };
}
