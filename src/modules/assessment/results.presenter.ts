/**
 * View models for the results pages (the owner's, the printable one is the same page, and the
 * read-only one a line manager or educator sees when it is shared with them). Pure: a results
 * snapshot in, exactly what the template and each NHS.UK macro needs out. Everything shown comes
 * from the snapshot frozen at submission: nothing is recomputed.
 */
import { escapeHtml } from '../../platform/forms.js';
import type { AreaResult, AssessmentResults } from './assessment.model.js';
import {
  type Audience,
  areaLabel,
  audienceWords,
  countsAsGap,
  isNotRelevant,
  levelChartSvg,
  OWNER,
  possessive,
} from './results.chart.js';

import {
  type ResultsValidatedLevel,
  VALIDATION_HREF,
  validatedByArea,
  validatedCellText,
  validatedLevelText,
} from './results.validated.js';

export { type Audience, isNotRelevant, levelChartSvg } from './results.chart.js';

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
});

/** "12 March 2026". */
export const formatDate = (date: Date) => dateFormat.format(date);
/** "12 Mar 2026, 14:05": tells apart two assessments on one day. */
export const formatDateTime = (date: Date) => dateTimeFormat.format(date);
/** ISO date for file names: "2026-03-12". */
export const isoDate = (date: Date) => date.toISOString().slice(0, 10);

export const levelText = (level: number) => (level === 0 ? 'Below level 1' : `Level ${level}`);
export const targetText = (target: number) => (target === 0 ? 'No target' : `Level ${target}`);

const plural = (count: number, one: string, many: string) =>
  `${String(count)} ${count === 1 ? one : many}`;

/** "Not relevant to your role" (or "their role" for someone it is shared with). */
export const notRelevantText = (audience: Audience = OWNER) =>
  `Not relevant to ${audienceWords(audience).their} role`;

/** An area's level in words, or that the person said it is not relevant to their role. */
export const areaLevelText = (area: AreaResult, audience: Audience = OWNER) =>
  isNotRelevant(area) ? notRelevantText(audience) : levelText(area.level);

/** How an area compares with its target, as a value (the JSON export carries it as it is). */
export type AreaStatus =
  'not-relevant' | 'no-target' | 'below-target' | 'meets-target' | 'above-target';

/**
 * How an area compares with its target. An area answered entirely "not relevant to my role"
 * has no level to compare, whatever level 0 the snapshot recorded for it.
 */
export function areaStatus(area: AreaResult): AreaStatus {
  if (isNotRelevant(area)) return 'not-relevant';
  if (area.targetLevel === 0) return 'no-target';
  if (area.shortfall > 0) return 'below-target';
  if (area.level > area.targetLevel) return 'above-target';
  return 'meets-target';
}

/** A status (areaStatus) in words; `shortfall` is the levels below target. */
export function statusWords(
  status: AreaStatus,
  shortfall: number,
  audience: Audience = OWNER,
): string {
  switch (status) {
    case 'not-relevant':
      return 'Not counted as a gap';
    case 'no-target':
      return `No target for ${audienceWords(audience).their} archetypes`;
    case 'below-target':
      return `${plural(shortfall, 'level', 'levels')} below target`;
    case 'above-target':
      return 'Above target';
    case 'meets-target':
      return 'Meets target';
  }
}

/** How an area compares with its target, in words (never colour alone). */
export const statusText = (area: AreaResult, audience: Audience = OWNER): string =>
  statusWords(areaStatus(area), area.shortfall, audience);

const STATUS_TAG_CLASSES: Record<AreaStatus, string> = {
  'not-relevant': 'nhsuk-tag--grey',
  'no-target': 'nhsuk-tag--grey',
  'below-target': 'nhsuk-tag--orange',
  'meets-target': 'nhsuk-tag--green',
  'above-target': 'nhsuk-tag--green',
};

export const frameworkHref = (slug: string) => `/frameworks/${encodeURIComponent(slug)}`;
export const areaHref = (slug: string, code: string) =>
  `${frameworkHref(slug)}/areas/${encodeURIComponent(code)}`;
export const assessmentHref = (id: string, rest = '') =>
  `/assessments/${encodeURIComponent(id)}${rest}`;

const link = (href: string, text: string) =>
  `<a class="nhsuk-link" href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;

/**
 * The framework explorer shows only the current version of a framework (there is no address for
 * an earlier one), so a snapshot's area is linked only where the current version still has an
 * area with its code; otherwise there is nothing right to link to. `currentAreaCodes` are the
 * area codes of the current version of the snapshot's framework (all of the snapshot's own when
 * it is the current version; none when the framework is gone).
 */
export const currentAreaHref = (
  slug: string,
  code: string,
  currentAreaCodes: ReadonlySet<string>,
) => (currentAreaCodes.has(code) ? areaHref(slug, code) : undefined);

/** An area's label, linked to its framework area where there is one to link to (HTML). */
export const areaLinkHtml = (href: string | undefined, label: string): string =>
  href === undefined ? escapeHtml(label) : link(href, label);

/** A gap or strength with its link dropped where the current version has no such area. */
export function linkedIfCurrent<T extends { areaCode: string; href: string }>(
  item: T,
  currentAreaCodes: ReadonlySet<string>,
): Omit<T, 'href'> & { href: string | undefined } {
  return { ...item, href: currentAreaCodes.has(item.areaCode) ? item.href : undefined };
}

export interface DomainGroup<T> {
  code: string;
  name: string;
  items: T[];
}

/** Items grouped by domain, domains in the order they first appear (framework order). */
export function byDomain<T extends { domainCode: string; domainName: string }>(
  items: readonly T[],
): DomainGroup<T>[] {
  const groups = new Map<string, DomainGroup<T>>();
  for (const item of items) {
    let group = groups.get(item.domainCode);
    if (!group) {
      group = { code: item.domainCode, name: item.domainName, items: [] };
      groups.set(item.domainCode, group);
    }
    group.items.push(item);
  }
  return [...groups.values()];
}

/** The snapshot's areas for the codes given, in that order (unknown codes dropped). */
function areasFor(results: AssessmentResults, codes: readonly string[]): AreaResult[] {
  const byCode = new Map(results.areas.map((a) => [a.areaCode, a]));
  return codes.flatMap((code) => {
    const area = byCode.get(code);
    return area ? [area] : [];
  });
}

export interface GapItem {
  areaCode: string;
  label: string;
  href: string;
  levelText: string;
  targetText: string;
  shortfallText: string;
}

/**
 * The person's gaps, most urgent first: the order the snapshot recorded at submission (larger
 * shortfall against target, then the area's breadth), each linking to its framework area. An
 * area answered entirely "not relevant to my role" is not a gap, though the snapshot (which is
 * never rewritten) lists it as one with level 0.
 */
export function prioritisedGaps(results: AssessmentResults): GapItem[] {
  return areasFor(results, results.gaps)
    .filter(countsAsGap)
    .map((a) => ({
      areaCode: a.areaCode,
      label: areaLabel(a),
      href: areaHref(results.frameworkSlug, a.areaCode),
      levelText: levelText(a.level),
      targetText: targetText(a.targetLevel),
      shortfallText: `${plural(a.shortfall, 'level', 'levels')} below target`,
    }));
}

/** A gap as a page shows it: unlinked where the current framework version lacks its area. */
export type LinkedGapItem = Omit<GapItem, 'href'> & { href: string | undefined };

export interface StrengthItem {
  areaCode: string;
  label: string;
  href: string;
  levelText: string;
  targetText: string;
}

/** Areas at or above target, strongest first (the snapshot's order). */
export function strengths(results: AssessmentResults): StrengthItem[] {
  return areasFor(results, results.strengths).map((a) => ({
    areaCode: a.areaCode,
    label: areaLabel(a),
    href: areaHref(results.frameworkSlug, a.areaCode),
    levelText: levelText(a.level),
    targetText: targetText(a.targetLevel),
  }));
}

/** A cell of a responsive NHS.UK table: its column's heading, and text or HTML. */
export interface TableCell {
  header: string;
  text?: string;
  html?: string;
}

/**
 * Arguments for the NHS.UK table macro: one domain's areas with level, target and status, each
 * area linked where the current framework version has it (see currentAreaHref).
 */
export function domainTableArgs(
  results: AssessmentResults,
  group: DomainGroup<AreaResult>,
  currentAreaCodes: ReadonlySet<string>,
  audience: Audience = OWNER,
  /**
   * Levels confirmed by a line manager or educator, by area: when there are any, a column of
   * their own beside the person's level (never merged into it).
   */
  validated: ReadonlyMap<string, ResultsValidatedLevel> = new Map(),
) {
  const withValidated = validated.size > 0;
  // Beside a validated level, the person's own is labelled as what it is: self-assessed.
  const levelHeading = `${audienceWords(audience).theirLevel}${withValidated ? ' (self-assessed)' : ''}`;
  const validatedCell = (a: AreaResult): TableCell => ({
    header: VALIDATED_HEADING,
    text: validatedCellText(validated.get(a.areaCode)),
  });
  return {
    caption: `${group.code} ${group.name}`,
    captionSize: 's',
    responsive: true,
    head: [
      { text: 'Area' },
      { text: levelHeading },
      ...(withValidated ? [{ text: VALIDATED_HEADING }] : []),
      { text: 'Target level' },
      { text: 'Compared with target' },
    ],
    rows: group.items.map((a): TableCell[] => [
      {
        header: 'Area',
        html: areaLinkHtml(
          currentAreaHref(results.frameworkSlug, a.areaCode, currentAreaCodes),
          areaLabel(a),
        ),
      },
      { header: levelHeading, text: areaLevelText(a, audience) },
      ...(withValidated ? [validatedCell(a)] : []),
      { header: 'Target level', text: targetText(a.targetLevel) },
      {
        header: 'Compared with target',
        html: `<strong class="nhsuk-tag ${STATUS_TAG_CLASSES[areaStatus(a)]}">${escapeHtml(statusText(a, audience))}</strong>`,
      },
    ]),
  };
}

export interface NextStep {
  text: string;
  href?: string | undefined;
  linkText?: string | undefined;
}

/**
 * Plain guidance on what to do next. Learning recommendations arrive in a later issue: until
 * then this points only at digicap's own framework pages, never at made-up resources. With
 * `currentAreaCodes`, the most urgent gap is linked only where the current framework version has
 * it (a step with `linkText` and no `href` names the area unlinked); without, it is linked.
 */
export function nextSteps(
  results: AssessmentResults,
  options: {
    assessmentId?: string | undefined;
    audience?: Audience;
    currentAreaCodes?: ReadonlySet<string> | undefined;
  } = {},
): NextStep[] {
  const gaps = prioritisedGaps(results).map((g) =>
    options.currentAreaCodes ? linkedIfCurrent(g, options.currentAreaCodes) : g,
  );
  const first = gaps[0];
  const audience = options.audience ?? OWNER;
  if (audience.kind === 'viewer') return viewerNextSteps(results, audience.ownerName, gaps);
  const steps: NextStep[] = [];
  if (first) {
    steps.push({
      text: `Start with your most urgent gap. Read what the area covers and the statements at your target level (${first.targetText.toLowerCase()}):`,
      href: first.href,
      linkText: first.label,
    });
    if (gaps.length > 1)
      steps.push({
        text: `Then work through your other ${plural(gaps.length - 1, 'gap', 'gaps')} in the order listed: the largest differences from your target come first.`,
      });
  } else {
    steps.push({
      text: 'You meet the target level in every area that has one for your archetypes. Look at the next level up in the areas that matter most in your role.',
    });
  }
  steps.push({
    text: 'Explore every area and its statements in the framework:',
    href: frameworkHref(results.frameworkSlug),
    linkText: results.frameworkTitle,
  });
  if (options.assessmentId) {
    steps.push({
      text: 'Talk to your line manager or an educator about your development. You can share these results with them:',
      href: assessmentHref(options.assessmentId, '/sharing'),
      linkText: 'Share your results',
    });
    steps.push({
      text: 'Assess yourself again after some learning or practice, and compare the two:',
      href: '/progress',
      linkText: 'My progress',
    });
  }
  return steps;
}

/** What someone the results are shared with can do with them: about the person, not to them. */
function viewerNextSteps(
  results: AssessmentResults,
  ownerName: string,
  gaps: readonly LinkedGapItem[],
): NextStep[] {
  const first = gaps[0];
  const steps: NextStep[] = [];
  if (first) {
    steps.push({
      text: `${possessive(ownerName)} most urgent gap is first. Read what the area covers and the statements at their target level (${first.targetText.toLowerCase()}):`,
      href: first.href,
      linkText: first.label,
    });
    if (gaps.length > 1)
      steps.push({
        text: `Their other ${plural(gaps.length - 1, 'gap follows', 'gaps follow')} in order: the largest differences from their target come first.`,
      });
  } else {
    steps.push({
      text: `${ownerName} meets the target level in every area that has one for their archetypes. The next level up in the areas that matter most in their role is a good place to look.`,
    });
  }
  steps.push({
    text: 'Explore every area and its statements in the framework:',
    href: frameworkHref(results.frameworkSlug),
    linkText: results.frameworkTitle,
  });
  steps.push({
    text: `Talk with ${ownerName} about these results and the learning or support that would help them.`,
  });
  return steps;
}

/** A name from a lookup of names by code, never from the object's prototype. */
export const nameFor = (names: Readonly<Record<string, string>> | undefined, code: string) =>
  names && Object.hasOwn(names, code) ? names[code] : undefined;

/** A profession or work setting: its name from the framework's list, else the code recorded. */
export const choiceText = (
  names: Readonly<Record<string, string>> | undefined,
  code: string | null,
) => (code === null ? 'Not given' : (nameFor(names, code) ?? code));

/** "Users, Shapers": archetype names from the snapshot's codes (codes where no name is known). */
export const archetypesText = (
  results: AssessmentResults,
  names: Readonly<Record<string, string>> | undefined,
) => results.archetypeCodes.map((code) => nameFor(names, code) ?? code).join(', ');

/** The heading of the validated-level column, beside the person's own level. */
export const VALIDATED_HEADING = 'Validated level (by a line manager or educator)';

export interface ResultsPageInput {
  assessmentId: string;
  ownerName: string;
  results: AssessmentResults;
  /** Archetype names by code, from the snapshot's framework version (codes shown otherwise). */
  archetypeNames?: Readonly<Record<string, string>>;
  /** Profession and work setting names by code, from the snapshot's framework version. */
  professionNames?: Readonly<Record<string, string>>;
  workSettingNames?: Readonly<Record<string, string>>;
  /**
   * The area codes of the current version of the snapshot's framework: only these areas are
   * linked to the framework explorer (see currentAreaHref).
   */
  currentAreaCodes: ReadonlySet<string>;
  /**
   * 'owner' speaks to the person and shows their own links (print, PDF, exports, sharing);
   * 'viewer' is the read-only view of someone it is shared with, naming the person instead.
   */
  audience: 'owner' | 'viewer';
  /** Levels confirmed by a line manager or educator (results.validated.ts), if any. */
  validated?: readonly ResultsValidatedLevel[] | undefined;
}

/** Everything the results template shows; `results-body.njk` renders the shared part. */
export function resultsPage(input: ResultsPageInput) {
  const { results, assessmentId, currentAreaCodes } = input;
  const submittedAt = new Date(results.submittedAt);
  const owner = input.audience === 'owner';
  const audience: Audience = owner ? OWNER : { kind: 'viewer', ownerName: input.ownerName };
  const words = audienceWords(audience);
  const archetypes = archetypesText(results, input.archetypeNames);
  const gaps = prioritisedGaps(results).map((g) => linkedIfCurrent(g, currentAreaCodes));
  const notRelevant = results.areas.filter(isNotRelevant).length;
  const notRelevantNote =
    notRelevant > 0
      ? ` ${plural(notRelevant, 'area was', 'areas were')} marked not relevant to ${words.their} role.`
      : '';
  const base = assessmentHref(assessmentId);
  // Only validations of areas these results have; shown beside the person's own levels.
  const validated = validatedByArea(
    input.validated,
    results.areas.map((a) => a.areaCode),
  );
  const validatedTextOf = (areaCode: string) => {
    const v = validated.get(areaCode);
    return v ? validatedLevelText(v) : undefined;
  };
  return {
    pageTitle: owner ? 'Your results' : `Results of ${input.ownerName}`,
    heading: owner ? 'Your results' : `${input.ownerName}’s results`,
    caption: `Self-assessment submitted on ${formatDate(submittedAt)}`,
    audience: input.audience,
    summaryListArgs: {
      rows: [
        { key: { text: 'Name' }, value: { text: input.ownerName } },
        {
          key: { text: 'Submitted' },
          value: {
            html: `<time datetime="${escapeHtml(results.submittedAt)}">${escapeHtml(formatDate(submittedAt))}</time>`,
          },
        },
        {
          key: { text: 'Framework' },
          value: { text: `${results.frameworkTitle}, version ${String(results.frameworkVersion)}` },
        },
        {
          key: { text: 'Profession' },
          value: { text: choiceText(input.professionNames, results.professionCode) },
        },
        {
          key: { text: 'Work setting' },
          value: { text: choiceText(input.workSettingNames, results.workSettingCode) },
        },
        { key: { text: 'Archetypes' }, value: { text: archetypes || 'None' } },
        {
          key: { text: 'Assessment' },
          value: {
            text:
              results.mode === 'full'
                ? `Full: every statement for ${words.their} archetypes`
                : 'Focused: adaptive questions per area',
          },
        },
      ],
    },
    chartSvg: levelChartSvg(results.areas, { audience }),
    summaryText:
      (gaps.length === 0
        ? `${owner ? 'You meet your' : `${input.ownerName} meets their`} target level in every area that has one (${plural(results.areas.length, 'area', 'areas')} assessed).`
        : `${plural(gaps.length, 'area is', 'areas are')} below ${words.their} target level, out of ${plural(results.areas.length, 'area', 'areas')} assessed.`) +
      notRelevantNote,
    domains: byDomain(results.areas).map((group) => ({
      code: group.code,
      name: group.name,
      tableArgs: domainTableArgs(results, group, currentAreaCodes, audience, validated),
    })),
    strengths: strengths(results).map((s) => ({
      ...linkedIfCurrent(s, currentAreaCodes),
      validatedText: validatedTextOf(s.areaCode),
    })),
    gaps: gaps.map((g) => ({ ...g, validatedText: validatedTextOf(g.areaCode) })),
    validatedNote:
      validated.size > 0
        ? `${owner ? 'Your' : `${input.ownerName}’s`} own rating comes from ${words.their} self-assessment and stays as submitted. A validated level is one a line manager or educator has confirmed since; it is shown beside ${words.their} own rating, never combined with it.`
        : undefined,
    nextSteps: nextSteps(
      results,
      owner ? { assessmentId, currentAreaCodes } : { audience, currentAreaCodes },
    ),
    links: owner
      ? {
          pdf: `${base}/report.pdf`,
          csv: `${base}/export.csv`,
          json: `${base}/export.json`,
          sharing: `${base}/sharing`,
          progress: '/progress',
          // Only where the app keeps validations (the route then gives `validated`, maybe empty).
          validation: input.validated === undefined ? undefined : VALIDATION_HREF,
        }
      : undefined,
    breadcrumbArgs: owner
      ? [{ text: 'My progress', href: '/progress' }]
      : [{ text: 'Shared with me', href: '/shared-with-me' }],
  };
}
