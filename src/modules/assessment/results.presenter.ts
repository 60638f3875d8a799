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

/** How an area compares with its target, in words (never colour alone). */
export function statusText(area: AreaResult, audience: Audience = OWNER): string {
  if (isNotRelevant(area)) return 'Not counted as a gap';
  if (area.targetLevel === 0) return `No target for ${audienceWords(audience).their} archetypes`;
  if (area.shortfall > 0) return `${plural(area.shortfall, 'level', 'levels')} below target`;
  if (area.level > area.targetLevel) return 'Above target';
  return 'Meets target';
}

function statusTagClass(area: AreaResult): string {
  if (area.targetLevel === 0 || isNotRelevant(area)) return 'nhsuk-tag--grey';
  if (area.shortfall > 0) return 'nhsuk-tag--orange';
  return 'nhsuk-tag--green';
}

export const frameworkHref = (slug: string) => `/frameworks/${encodeURIComponent(slug)}`;
export const areaHref = (slug: string, code: string) =>
  `${frameworkHref(slug)}/areas/${encodeURIComponent(code)}`;
export const assessmentHref = (id: string, rest = '') =>
  `/assessments/${encodeURIComponent(id)}${rest}`;

const link = (href: string, text: string) =>
  `<a class="nhsuk-link" href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;

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

/** Arguments for the NHS.UK table macro: one domain's areas with level, target and status. */
export function domainTableArgs(
  results: AssessmentResults,
  group: DomainGroup<AreaResult>,
  audience: Audience = OWNER,
) {
  const levelHeading = audienceWords(audience).theirLevel;
  return {
    caption: `${group.code} ${group.name}`,
    captionSize: 's',
    responsive: true,
    head: [
      { text: 'Area' },
      { text: levelHeading },
      { text: 'Target level' },
      { text: 'Compared with target' },
    ],
    rows: group.items.map((a) => [
      { header: 'Area', html: link(areaHref(results.frameworkSlug, a.areaCode), areaLabel(a)) },
      { header: levelHeading, text: areaLevelText(a, audience) },
      { header: 'Target level', text: targetText(a.targetLevel) },
      {
        header: 'Compared with target',
        html: `<strong class="nhsuk-tag ${statusTagClass(a)}">${escapeHtml(statusText(a, audience))}</strong>`,
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
 * then this points only at digicap's own framework pages, never at made-up resources.
 */
export function nextSteps(
  results: AssessmentResults,
  options: { assessmentId?: string | undefined; audience?: Audience } = {},
): NextStep[] {
  const gaps = prioritisedGaps(results);
  const first = gaps[0];
  const audience = options.audience ?? OWNER;
  if (audience.kind === 'viewer') return viewerNextSteps(results, audience.ownerName);
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
function viewerNextSteps(results: AssessmentResults, ownerName: string): NextStep[] {
  const gaps = prioritisedGaps(results);
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

/** "Users, Shapers": archetype names from the snapshot's codes (codes where no name is known). */
export const archetypesText = (
  results: AssessmentResults,
  names: Readonly<Record<string, string>> | undefined,
) => results.archetypeCodes.map((code) => nameFor(names, code) ?? code).join(', ');

export interface ResultsPageInput {
  assessmentId: string;
  ownerName: string;
  results: AssessmentResults;
  /** Archetype names by code, from the snapshot's framework version (codes shown otherwise). */
  archetypeNames?: Readonly<Record<string, string>>;
  /**
   * 'owner' speaks to the person and shows their own links (print, PDF, exports, sharing);
   * 'viewer' is the read-only view of someone it is shared with, naming the person instead.
   */
  audience: 'owner' | 'viewer';
}

/** Everything the results template shows; `results-body.njk` renders the shared part. */
export function resultsPage(input: ResultsPageInput) {
  const { results, assessmentId } = input;
  const submittedAt = new Date(results.submittedAt);
  const owner = input.audience === 'owner';
  const audience: Audience = owner ? OWNER : { kind: 'viewer', ownerName: input.ownerName };
  const words = audienceWords(audience);
  const archetypes = archetypesText(results, input.archetypeNames);
  const gaps = prioritisedGaps(results);
  const notRelevant = results.areas.filter(isNotRelevant).length;
  const notRelevantNote =
    notRelevant > 0
      ? ` ${plural(notRelevant, 'area was', 'areas were')} marked not relevant to ${words.their} role.`
      : '';
  const base = assessmentHref(assessmentId);
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
      tableArgs: domainTableArgs(results, group, audience),
    })),
    strengths: strengths(results),
    gaps,
    nextSteps: nextSteps(results, owner ? { assessmentId } : { audience }),
    links: owner
      ? {
          pdf: `${base}/report.pdf`,
          csv: `${base}/export.csv`,
          json: `${base}/export.json`,
          sharing: `${base}/sharing`,
          progress: '/progress',
        }
      : undefined,
    breadcrumbArgs: owner
      ? [{ text: 'My progress', href: '/progress' }]
      : [{ text: 'Shared with me', href: '/shared-with-me' }],
  };
}
