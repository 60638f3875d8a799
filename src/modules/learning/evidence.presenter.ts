/**
 * View models for the evidence pages: adding (what it is about and what kind, then the note, link
 * or file), viewing, changing and deleting. Pure: domain data in, the exact arguments for each
 * NHS.UK macro out.
 */
import {
  characterLimit,
  errorMessageFor,
  escapeHtml,
  type FieldError,
  selectItems,
} from '../../platform/forms.js';
import { errorSummaryArgs } from '../../platform/pages.js';
import type { FrameworkModel } from '../framework/index.js';
import { evidenceFileType, FILE_INPUT_ACCEPT } from './evidence.files.js';
import {
  type AddableKind,
  type EvidenceValues,
  type StartValues,
  TEXT_MAX,
} from './evidence.forms.js';
import type { EvidenceKind, EvidenceLock } from './evidence.repository.js';
import {
  type DescribedEvidence,
  evidenceLockText,
  megabytes,
  type OwnEvidence,
} from './evidence.service.js';
import { REFLECTION_MAX } from './plans.forms.js';

export const PORTFOLIO_HREF = '/portfolio';
export const NEW_EVIDENCE_HREF = '/portfolio/evidence/new';
export const evidenceHref = (id: string, suffix = '') =>
  `/portfolio/evidence/${encodeURIComponent(id)}${suffix}`;
export const newEvidenceKindHref = (kind: AddableKind, areaCode: string) =>
  `${NEW_EVIDENCE_HREF}/${kind}?${new URLSearchParams({ area: areaCode }).toString()}`;

const KIND_LABELS: Record<EvidenceKind, string> = {
  note: 'Note',
  link: 'Link',
  file: 'File',
  reflection: 'Reflection',
};
export const kindLabel = (kind: EvidenceKind) => KIND_LABELS[kind];

/** A reflection's texts keep the limit of marking learning done; other notes are longer. */
const textLimit = (kind: EvidenceKind) =>
  characterLimit(kind === 'reflection' ? REFLECTION_MAX : TEXT_MAX);

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});
/** "12 March 2026". */
export const formatDate = (date: Date) => dateFormat.format(date);

/** "640 bytes", "120 KB", "2.4 MB". */
export function fileSizeText(bytes: number): string {
  if (bytes < 1024) return `${String(bytes)} bytes`;
  if (bytes < 1024 * 1024) return `${String(Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** "PDF, 120 KB" for a file's type and size. */
export function fileDetailsText(fileType: string | null, fileSize: number | null): string {
  const label = evidenceFileType(fileType)?.label ?? 'File';
  return fileSize === null ? label : `${label}, ${fileSizeText(fileSize)}`;
}

export const areaText = (code: string, name: string) => `${code} ${name}`;

export const statementText = (s: { level: number; text: string }) =>
  `Level ${String(s.level)}: ${s.text}`;

const breadcrumbs = [
  { text: 'Your home', href: '/home' },
  { text: 'Your portfolio', href: PORTFOLIO_HREF },
];

function areaSelectArgs(model: FrameworkModel, selected: string, errors: FieldError[]) {
  return {
    id: 'areaCode',
    name: 'areaCode',
    label: { text: 'Which area of the framework is it about?', size: 's' },
    hint: { text: 'Choose the area it shows you can do, or are learning to do.' },
    items: selectItems(
      'Select an area',
      selected,
      model.areas.map((a) => ({ value: a.code, text: areaText(a.code, a.name) })),
    ),
    errorMessage: errorMessageFor(errors, 'areaCode'),
  };
}

// --- Add evidence, step 1 ----------------------------------------------------------------------

const KIND_CHOICES: { value: AddableKind; text: string; hint: (max: string) => string }[] = [
  {
    value: 'note',
    text: 'A note',
    hint: () => 'Something you did or learned, in your own words.',
  },
  {
    value: 'link',
    text: 'A link',
    hint: () => 'A web page, such as an online certificate or something you wrote or presented.',
  },
  {
    value: 'file',
    text: 'A file',
    hint: (max) => `A PDF, an image (PNG, JPEG, GIF or WebP) or a Word document, up to ${max}.`,
  },
];

export function startPage(options: {
  model: FrameworkModel;
  values?: Partial<StartValues>;
  errors?: FieldError[];
  maxFileBytes: number;
}) {
  const errors = options.errors ?? [];
  const values = options.values ?? {};
  return {
    pageTitle: 'Add evidence to your portfolio',
    errorSummaryArgs: errorSummaryArgs(errors),
    breadcrumbArgs: breadcrumbs,
    action: NEW_EVIDENCE_HREF,
    areaSelectArgs: areaSelectArgs(options.model, values.areaCode ?? '', errors),
    kindRadiosArgs: {
      idPrefix: 'kind',
      name: 'kind',
      fieldset: { legend: { text: 'What kind of evidence is it?', size: 's' } },
      items: KIND_CHOICES.map((k) => ({
        value: k.value,
        text: k.text,
        hint: { text: k.hint(megabytes(options.maxFileBytes)) },
        checked: values.kind === k.value,
      })),
      errorMessage: errorMessageFor(errors, 'kind'),
    },
  };
}

// --- Add evidence, step 2, and change it ------------------------------------------------------

const HEADINGS: Record<AddableKind, string> = {
  note: 'Add a note',
  link: 'Add a link',
  file: 'Upload a file',
};

function statementRadiosArgs(
  model: FrameworkModel,
  areaCode: string,
  selected: string,
  errors: FieldError[],
) {
  const statements = model.statementsInArea(areaCode);
  return {
    idPrefix: 'statementId',
    name: 'statementId',
    fieldset: { legend: { text: 'Which statement does it show? (optional)', size: 's' } },
    hint: {
      text:
        statements.length > 0
          ? 'Choose one if the evidence is about a particular statement in the area.'
          : 'This area has no statements to choose from.',
    },
    items: [
      { value: '', text: 'The area in general', checked: !selected },
      ...statements.map((s) => ({
        value: s.id,
        text: statementText(s),
        checked: s.id === selected,
      })),
    ],
    errorMessage: errorMessageFor(errors, 'statementId'),
  };
}

export interface EvidenceFormOptions {
  model: FrameworkModel;
  values: Partial<EvidenceValues>;
  errors?: FieldError[];
  maxFileBytes: number;
  /** The file was fine but the rest of the form was not: it must be chosen again. */
  reselectFile?: boolean;
}

/** The page for adding a note, a link or a file, in an area chosen on the page before. */
export function addEvidencePage(kind: AddableKind, options: EvidenceFormOptions) {
  const { model, values } = options;
  const errors = options.errors ?? [];
  const areaCode = values.areaCode ?? '';
  const area = model.nodesByCode.get(areaCode);
  const max = megabytes(options.maxFileBytes);
  const fileError = errorMessageFor(errors, 'file');
  return {
    pageTitle: HEADINGS[kind],
    errorSummaryArgs: errorSummaryArgs(errors),
    breadcrumbArgs: breadcrumbs,
    kind,
    mode: 'add',
    action: `${NEW_EVIDENCE_HREF}/${kind}`,
    multipart: kind === 'file',
    submitText: 'Add to your portfolio',
    cancelHref: PORTFOLIO_HREF,
    areaCode,
    areaSummaryArgs: {
      rows: [
        {
          key: { text: 'Area' },
          value: { text: area ? areaText(area.code, area.name) : areaCode },
          actions: {
            items: [
              {
                href: `${NEW_EVIDENCE_HREF}?${new URLSearchParams({ area: areaCode, kind }).toString()}`,
                text: 'Change',
                visuallyHiddenText: 'area',
              },
            ],
          },
        },
      ],
    },
    statementRadiosArgs: statementRadiosArgs(model, areaCode, values.statementId ?? '', errors),
    titleInputArgs: titleInputArgs(kind, values.title ?? '', errors),
    urlInputArgs: kind === 'link' ? urlInputArgs(values.url ?? '', errors) : undefined,
    fileUploadArgs:
      kind === 'file'
        ? {
            id: 'file',
            name: 'file',
            label: { text: 'File', size: 's' },
            hint: {
              text: options.reselectFile
                ? `Select your file again: files are not kept when something else on the page needs fixing. A PDF, a PNG, JPEG, GIF or WebP image, or a Word document (.docx), up to ${max}.`
                : `A PDF, a PNG, JPEG, GIF or WebP image, or a Word document (.docx), up to ${max}.`,
            },
            attributes: { accept: FILE_INPUT_ACCEPT },
            errorMessage: fileError,
          }
        : undefined,
    bodyTextareaArgs: bodyTextareaArgs(kind, values.body ?? '', errors),
  };
}

function titleInputArgs(kind: EvidenceKind, value: string, errors: FieldError[]) {
  const hints: Record<EvidenceKind, string> = {
    note: 'For example, "Led a teaching session on the new e-prescribing system".',
    link: 'For example, "Certificate: introduction to data protection".',
    file: 'For example, "Feedback from the digital champions course".',
    reflection: 'A short name for what you learned.',
  };
  return {
    id: 'title',
    name: 'title',
    label: { text: 'Title', size: 's' },
    hint: { text: hints[kind] },
    value,
    errorMessage: errorMessageFor(errors, 'title'),
  };
}

/** A link's web address. */
function urlInputArgs(value: string, errors: FieldError[]) {
  return {
    id: 'url',
    name: 'url',
    type: 'url',
    label: { text: 'Web address', size: 's' },
    hint: { text: 'Starting with https:// or http://' },
    value,
    autocomplete: 'url',
    spellcheck: false,
    errorMessage: errorMessageFor(errors, 'url'),
  };
}

function bodyTextareaArgs(kind: EvidenceKind, value: string, errors: FieldError[]) {
  const labels: Record<EvidenceKind, { label: string; hint: string }> = {
    note: {
      label: 'Your note',
      hint: 'What you did or learned, and what it shows about your capability in this area.',
    },
    link: { label: 'Note (optional)', hint: 'What the link shows, if it is not clear from it.' },
    file: { label: 'Note (optional)', hint: 'What the file shows, if it is not clear from it.' },
    reflection: { label: 'What I learned', hint: '' },
  };
  const { label, hint } = labels[kind];
  return {
    id: 'body',
    name: 'body',
    label: { text: label, size: 's' },
    ...(hint ? { hint: { text: hint } } : {}),
    rows: kind === 'note' || kind === 'reflection' ? 8 : 4,
    ...textLimit(kind),
    value,
    errorMessage: errorMessageFor(errors, 'body'),
  };
}

/** The page for changing evidence of any kind: title, area, statement and texts. */
export function changeEvidencePage(
  item: Pick<DescribedEvidence, 'id' | 'kind' | 'title' | 'fileName' | 'fileType' | 'fileSize'>,
  options: EvidenceFormOptions,
) {
  const { model, values } = options;
  const errors = options.errors ?? [];
  const areaCode = values.areaCode ?? '';
  const kind = item.kind;
  return {
    pageTitle: 'Change evidence',
    errorSummaryArgs: errorSummaryArgs(errors),
    breadcrumbArgs: [...breadcrumbs, { text: item.title, href: evidenceHref(item.id) }],
    kind,
    mode: 'change',
    action: evidenceHref(item.id, '/edit'),
    multipart: false,
    submitText: 'Save changes',
    cancelHref: evidenceHref(item.id),
    fileSummaryArgs:
      kind === 'file'
        ? {
            rows: [
              {
                key: { text: 'File' },
                value: {
                  text: `${item.fileName ?? 'File'} (${fileDetailsText(item.fileType, item.fileSize)})`,
                },
              },
            ],
          }
        : undefined,
    areaSelectArgs: areaSelectArgs(model, areaCode, errors),
    statementRadiosArgs: model.nodesByCode.get(areaCode)?.isArea
      ? {
          ...statementRadiosArgs(model, areaCode, values.statementId ?? '', errors),
          hint: {
            text: 'The statements of the area chosen above when this page was shown. If you choose another area, save, then choose one of its statements.',
          },
        }
      : undefined,
    titleInputArgs: titleInputArgs(kind, values.title ?? '', errors),
    urlInputArgs: kind === 'link' ? urlInputArgs(values.url ?? '', errors) : undefined,
    bodyTextareaArgs: bodyTextareaArgs(kind, values.body ?? '', errors),
    reflectionUseTextareaArgs:
      kind === 'reflection'
        ? {
            id: 'reflectionUse',
            name: 'reflectionUse',
            label: { text: 'How I will use it', size: 's' },
            rows: 6,
            ...textLimit(kind),
            value: values.reflectionUse ?? '',
            errorMessage: errorMessageFor(errors, 'reflectionUse'),
          }
        : undefined,
  };
}

/** The form's values for evidence as it is now. */
export function valuesOf(item: DescribedEvidence): EvidenceValues {
  return {
    areaCode: item.areaCode,
    statementId: item.statement?.id ?? '',
    title: item.title,
    body: item.body,
    url: item.url ?? '',
    reflectionUse: item.reflectionUse ?? '',
  };
}

// --- One piece of evidence --------------------------------------------------------------------

const NOTICES = {
  added: 'Added to your portfolio.',
  changed: 'Your changes have been saved.',
} as const;
export type EvidenceNotice = keyof typeof NOTICES;

/** Paragraphs of a person's text as escaped HTML (blank lines split paragraphs). */
export function paragraphsHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/**
 * Why the evidence cannot be changed or deleted, with a link to the request holding it (the
 * validation pages' address, written here as they import this module).
 */
export function lockHtml(lock: EvidenceLock): string {
  const href = `/validation/${encodeURIComponent(lock.requestId)}`;
  return evidenceLockText(
    lock.status,
    (words) => `<a href="${escapeHtml(href)}">${escapeHtml(words)}</a>`,
  )
    .map((p) => `<p>${p}</p>`)
    .join('');
}

export function showPage(item: OwnEvidence, notice?: EvidenceNotice) {
  const rows: object[] = [
    { key: { text: 'Kind' }, value: { text: kindLabel(item.kind) } },
    { key: { text: 'Area' }, value: { text: areaText(item.areaCode, item.areaName) } },
    {
      key: { text: 'Statement' },
      value: { text: item.statement ? statementText(item.statement) : 'The area in general' },
    },
  ];
  if (item.kind === 'link' && item.url)
    rows.push({
      key: { text: 'Link' },
      value: {
        html: `<a href="${escapeHtml(item.url)}" rel="noopener noreferrer">${escapeHtml(item.url)}</a>`,
      },
    });
  if (item.kind === 'file')
    rows.push({
      key: { text: 'File' },
      value: {
        html: `<a href="${escapeHtml(evidenceHref(item.id, '/file'))}" download>${escapeHtml(item.fileName ?? 'Download the file')}</a> (${escapeHtml(fileDetailsText(item.fileType, item.fileSize))})`,
      },
    });
  if (item.kind === 'reflection')
    rows.push({
      key: { text: 'Learning resource' },
      value: item.resource
        ? {
            html: `<a href="${escapeHtml(item.resource.url)}" rel="noopener noreferrer">${escapeHtml(item.resource.title)}</a> (${escapeHtml(item.resource.provider)})`,
          }
        : { text: 'No longer in the catalogue' },
    });
  rows.push({ key: { text: 'Added' }, value: { text: formatDate(item.createdAt) } });
  if (item.updatedAt.getTime() - item.createdAt.getTime() > 1000)
    rows.push({ key: { text: 'Last changed' }, value: { text: formatDate(item.updatedAt) } });

  const sections: { heading: string; html: string }[] = [];
  const bodyHeading =
    item.kind === 'reflection' ? 'What I learned' : item.kind === 'note' ? 'Note' : 'Note';
  if (item.body) sections.push({ heading: bodyHeading, html: paragraphsHtml(item.body) });
  if (item.kind === 'reflection' && item.reflectionUse)
    sections.push({ heading: 'How I will use it', html: paragraphsHtml(item.reflectionUse) });

  return {
    pageTitle: item.title,
    breadcrumbArgs: breadcrumbs,
    caption: `${kindLabel(item.kind)} in your portfolio`,
    notice: notice ? NOTICES[notice] : undefined,
    summaryListArgs: { rows },
    sections,
    // While a validation request holds it, the reason instead of the ways to change it.
    lockHtml: item.lock ? lockHtml(item.lock) : undefined,
    changeHref: item.lock ? undefined : evidenceHref(item.id, '/edit'),
    deleteHref: item.lock ? undefined : evidenceHref(item.id, '/delete'),
    portfolioHref: PORTFOLIO_HREF,
  };
}

export function deletePage(item: DescribedEvidence) {
  return {
    pageTitle: 'Delete this evidence?',
    breadcrumbArgs: [...breadcrumbs, { text: item.title, href: evidenceHref(item.id) }],
    itemTitle: item.title,
    action: evidenceHref(item.id, '/delete'),
    cancelHref: evidenceHref(item.id),
    warningText:
      item.kind === 'file'
        ? `This deletes "${item.title}" and its file, ${item.fileName ?? ''}, from your portfolio. You cannot undo this.`
        : `This deletes "${item.title}" from your portfolio. You cannot undo this.`,
  };
}
