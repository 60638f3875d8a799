/**
 * A synthetic national workforce for the insights benchmark, written into the product's real
 * tables by bulk statements (no per-row round trips; pg-copy-streams is not a dependency).
 *
 * The plan (organisations, unit trees, which unit each block of staff sits in, their mix of
 * professions and archetypes) is made here from a seeded PRNG; the people, memberships,
 * self-assessments (results snapshots in the real AssessmentResults shape), answers, pending
 * invitations and ICB sharing are generated inside the database from that plan with
 * generate_series and a hash of each person's number, so a million and a half rows never cross
 * the wire. The database triggers queue everyone for the insights read model as they would for
 * rows the services write.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { type SQL, sql } from 'drizzle-orm';
import { mulberry32 } from '../../src/platform/random.js';
import { assessmentPool } from '../../src/modules/assessment/engine/adaptive-engine.js';
import {
  ARCHETYPE_CODES,
  type ArchetypeCode,
  type FrameworkModel,
} from '../../src/modules/framework/index.js';
import type { Db } from '../../src/platform/db/index.js';

/** Shares of the staff (the brief's). */
export const SUBMITTED_SHARE = 0.6;
export const TWICE_SHARE = 0.2;
export const IN_PROGRESS_SHARE = 0.08;
export const INVITED_SHARE = 0.05;
/** About this many organisations at 1.5 million staff, proportionally fewer below. */
const NATIONAL_STAFF = 1_500_000;
const NATIONAL_ORGANISATIONS = 1_000;

/** A deterministic uuid from a text (the same as PostgreSQL's md5(text)::uuid). */
export function uuidOf(text: string): string {
  const h = createHash('md5').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Weight, profession code, archetype sets to pick from (framework codes, space-separated). */
type MixEntry = readonly [number, string, readonly string[]];

const U = ['U', 'U', 'U', 'E U'];
const MIXES = {
  ward: [
    [45, 'nurse', U],
    [20, 'healthcare-support-worker', ['U']],
    [6, 'nursing-associate', ['U']],
    [12, 'doctor', ['U', 'U', 'E U', 'D U']],
    [3, 'physician-associate', ['U']],
    [4, 'physiotherapist', U],
    [3, 'occupational-therapist', U],
    [2, 'pharmacist', U],
    [4, 'non-clinical-and-administrative-staff', ['U']],
    [1, 'manager-or-leader', ['D U', 'E U']],
  ],
  maternity: [
    [55, 'midwife', U],
    [15, 'healthcare-support-worker', ['U']],
    [12, 'doctor', ['U', 'E U']],
    [10, 'nurse', U],
    [8, 'non-clinical-and-administrative-staff', ['U']],
  ],
  diagnostics: [
    [25, 'radiographer', U],
    [20, 'healthcare-scientist', ['U', 'E U', 'C']],
    [15, 'pharmacist', U],
    [10, 'pharmacy-technician', ['U']],
    [10, 'doctor', ['U', 'E U']],
    [5, 'bioinformatician', ['C', 'C E']],
    [15, 'healthcare-support-worker', ['U']],
  ],
  community: [
    [35, 'nurse', U],
    [10, 'health-visitor', U],
    [18, 'healthcare-support-worker', ['U']],
    [8, 'physiotherapist', U],
    [8, 'occupational-therapist', U],
    [4, 'speech-and-language-therapist', U],
    [4, 'podiatrist', ['U']],
    [3, 'dietitian', U],
    [3, 'social-worker', ['U']],
    [7, 'non-clinical-and-administrative-staff', ['U']],
  ],
  mental: [
    [40, 'nurse', U],
    [20, 'healthcare-support-worker', ['U']],
    [10, 'psychologist', U],
    [8, 'doctor', ['U', 'E U']],
    [7, 'occupational-therapist', U],
    [7, 'social-worker', ['U']],
    [8, 'non-clinical-and-administrative-staff', ['U']],
  ],
  ambulance: [
    [55, 'paramedic', U],
    [25, 'healthcare-support-worker', ['U']],
    [8, 'nurse', U],
    [12, 'non-clinical-and-administrative-staff', ['U']],
  ],
  corporate: [
    [45, 'non-clinical-and-administrative-staff', ['U', 'U', 'E U']],
    [15, 'manager-or-leader', ['D U', 'D', 'S D', 'E U']],
    [12, 'digital-or-it-professional', ['E', 'C E', 'E U', 'D E']],
    [8, 'data-analyst', ['C', 'C E', 'C U']],
    [3, 'data-scientist', ['C', 'C E']],
    [5, 'educator-or-researcher', ['E U', 'U']],
    [2, 'other', ['U']],
  ],
  practiceClinical: [
    [35, 'doctor', ['U', 'U', 'E U', 'D U']],
    [25, 'nurse', U],
    [15, 'healthcare-support-worker', ['U']],
    [8, 'pharmacist', U],
    [6, 'physician-associate', ['U']],
    [6, 'paramedic', ['U']],
    [5, 'physiotherapist', ['U']],
  ],
  practiceAdmin: [
    [80, 'non-clinical-and-administrative-staff', ['U', 'U', 'E U']],
    [15, 'manager-or-leader', ['D U', 'E U']],
    [5, 'data-analyst', ['C U']],
  ],
} satisfies Record<string, readonly MixEntry[]>;
type MixKey = keyof typeof MIXES;
const MIX_KEYS = Object.keys(MIXES) as MixKey[];

interface DirectorateTemplate {
  name: string;
  setting?: string;
  mix: MixKey;
  departments: readonly string[];
}

const ACUTE: readonly DirectorateTemplate[] = [
  {
    name: 'Medicine',
    mix: 'ward',
    departments: ['Cardiology', 'Respiratory', 'Gastroenterology', 'Elderly Care', 'Neurology'],
  },
  {
    name: 'Surgery',
    mix: 'ward',
    departments: ['General Surgery', 'Orthopaedics', 'Urology', 'Theatres', 'Ophthalmology'],
  },
  { name: 'Emergency Care', mix: 'ward', departments: ['Emergency Department', 'Acute Medicine'] },
  {
    name: 'Women and Children',
    mix: 'maternity',
    departments: ['Maternity', 'Paediatrics', 'Neonatal', 'Gynaecology'],
  },
  {
    name: 'Clinical Support',
    mix: 'diagnostics',
    departments: ['Radiology', 'Pathology', 'Pharmacy', 'Outpatients'],
  },
  {
    name: 'Community Services',
    setting: 'community-health',
    mix: 'community',
    departments: ['District Nursing', 'Community Therapy', 'Intermediate Care'],
  },
  {
    name: 'Corporate Services',
    mix: 'corporate',
    departments: ['Digital and Data', 'Finance', 'Workforce', 'Quality and Governance'],
  },
  { name: 'Cancer Services', mix: 'ward', departments: ['Oncology', 'Haematology'] },
];
const MENTAL_HEALTH: readonly DirectorateTemplate[] = [
  { name: 'Adult Mental Health', mix: 'mental', departments: ['Inpatient Wards', 'Crisis Teams'] },
  {
    name: 'Community Mental Health',
    mix: 'mental',
    departments: ['North Locality', 'South Locality', 'Early Intervention'],
  },
  { name: 'Older Adults', mix: 'mental', departments: ['Memory Services', 'Dementia Wards'] },
  {
    name: 'Learning Disabilities',
    setting: 'learning-disability',
    mix: 'mental',
    departments: ['Assessment and Treatment', 'Community Learning Disability'],
  },
  { name: 'Corporate Services', mix: 'corporate', departments: ['Digital and Data', 'Finance'] },
];
const COMMUNITY: readonly DirectorateTemplate[] = [
  {
    name: 'Adult Community Services',
    mix: 'community',
    departments: ['District Nursing', 'Community Therapy', 'Long-term Conditions'],
  },
  {
    name: 'Children and Families',
    mix: 'community',
    departments: ['Health Visiting', 'School Nursing', 'Children’s Therapies'],
  },
  {
    name: 'Community Hospitals',
    mix: 'ward',
    departments: ['Rehabilitation Wards', 'Minor Injuries'],
  },
  { name: 'Corporate Services', mix: 'corporate', departments: ['Digital and Data', 'Finance'] },
];
const AMBULANCE: readonly DirectorateTemplate[] = [
  {
    name: 'Emergency Operations',
    mix: 'ambulance',
    departments: ['North Division', 'South Division', 'East Division', 'West Division'],
  },
  {
    name: 'Integrated Urgent Care',
    setting: 'nhs-111-urgent-care',
    mix: 'ambulance',
    departments: ['NHS 111', 'Clinical Hub'],
  },
  { name: 'Corporate Services', mix: 'corporate', departments: ['Digital and Data', 'Finance'] },
];

type TrustKind = 'acute' | 'mental-health' | 'community' | 'ambulance';
const TRUST_KINDS: readonly (readonly [number, TrustKind])[] = [
  [60, 'acute'],
  [20, 'mental-health'],
  [12, 'community'],
  [8, 'ambulance'],
];
const KIND: Record<TrustKind, { templates: readonly DirectorateTemplate[]; setting: string }> = {
  acute: { templates: ACUTE, setting: 'acute' },
  'mental-health': { templates: MENTAL_HEALTH, setting: 'mental-health' },
  community: { templates: COMMUNITY, setting: 'community-health' },
  ambulance: { templates: AMBULANCE, setting: 'ambulance' },
};

const PLACES = [
  'Ashford',
  'Barnstow',
  'Calderbridge',
  'Dunmere',
  'Eastwick',
  'Fallowfield',
  'Glenholme',
  'Harrowgate',
  'Ironbridge',
  'Kingsmere',
  'Longdale',
  'Marshfield',
  'Northam',
  'Oakhurst',
  'Pennington',
  'Queensbury',
  'Redcliffe',
  'Stanmoor',
  'Thornbury',
  'Upperton',
  'Valewood',
  'Westmoor',
  'Yarrowby',
  'Ashcombe',
  'Brackley',
  'Coldharbour',
  'Deepdale',
  'Elmstead',
  'Fernhill',
  'Greystone',
];

export interface PlanUnit {
  id: string;
  organisationId: string;
  parentId: string | null;
  name: string;
  /** 0 for a top-level unit. */
  depth: number;
  /** Staff whose membership is in this unit itself (not below it). */
  direct: number;
  setting: string;
  mix: MixKey;
}

export interface PlanOrganisation {
  id: string;
  name: string;
  type: 'trust' | 'practice' | 'icb';
  kind: string;
  staff: number;
  units: PlanUnit[];
  /** Staff with no unit. */
  unplaced: number;
  setting: string;
  mix: MixKey;
}

export interface WorkforcePlan {
  staff: number;
  organisations: PlanOrganisation[];
  /** ICB id → the organisations sharing their insights with it. */
  shares: Map<string, string[]>;
  /** The largest trust, the ICB with most sharers, and a ward of about 40 in that trust. */
  largestTrust: PlanOrganisation;
  icb: PlanOrganisation;
  fortyUnit: PlanUnit;
  /** The unit ids above and including the forty-person unit, top first. */
  fortyUnitPath: string[];
}

function pickWeighted<T>(random: () => number, entries: readonly (readonly [number, T])[]): T {
  const total = entries.reduce((n, [w]) => n + w, 0);
  let r = random() * total;
  for (const [w, v] of entries) {
    r -= w;
    if (r < 0) return v;
  }
  const last = entries.at(-1);
  if (!last) throw new Error('nothing to pick from');
  return last[1];
}

/** Splits `total` into parts proportional to `weights` (whole numbers that add up to `total`). */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum > 0 ? (total * w) / sum : total / weights.length));
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
    left -= 1;
  }
  return out;
}

/** Trust sizes between 2,000 and 20,000 (skewed towards the smaller), adding up to `total`. */
function trustSizes(random: () => number, count: number, total: number): number[] {
  const min = Math.min(2_000, Math.floor(total / count));
  const max = 20_000;
  const weights = Array.from({ length: count }, () => random() ** 2);
  let sizes = apportion(total - min * count, weights).map((s) => s + min);
  for (let round = 0; round < 10 && sizes.some((s) => s > max); round++) {
    const excess = sizes.reduce((n, s) => n + Math.max(0, s - max), 0);
    const room = sizes.map((s) => Math.max(0, max - s));
    const extra = apportion(excess, room);
    sizes = sizes.map((s, i) => Math.min(s, max) + (extra[i] ?? 0));
  }
  return sizes;
}

/** A trust's unit tree, four deep (directorate > department > team > ward), and its staff. */
function trustUnits(
  random: () => number,
  organisationId: string,
  kind: TrustKind,
  staff: number,
): { units: PlanUnit[]; unplaced: number } {
  const { templates, setting } = KIND[kind];
  const wards = Math.max(4, Math.round((staff * 0.9) / 40));
  const directorates = Math.min(templates.length, Math.max(3, Math.round(staff / 2_500) + 2));
  const units: PlanUnit[] = [];
  const unit = (
    parent: PlanUnit | null,
    name: string,
    template: DirectorateTemplate,
    mix: MixKey = template.mix,
  ): PlanUnit => {
    const u: PlanUnit = {
      id: uuidOf(`bench-unit-${organisationId}-${parent?.id ?? ''}-${name}`),
      organisationId,
      parentId: parent?.id ?? null,
      name,
      depth: parent ? parent.depth + 1 : 0,
      direct: 0,
      setting: template.setting ?? setting,
      mix,
    };
    units.push(u);
    return u;
  };
  const wardsPerDirectorate = apportion(
    wards,
    Array.from({ length: directorates }, () => 0.5 + random()),
  );
  let wardNumber = 0;
  const wardUnits: PlanUnit[] = [];
  const middle: PlanUnit[][] = [[], [], []];
  templates.slice(0, directorates).forEach((template, d) => {
    const directorate = unit(null, template.name, template);
    middle[0]?.push(directorate);
    const dirWards = Math.max(1, wardsPerDirectorate[d] ?? 1);
    const departments = Math.max(1, Math.round(dirWards / 9));
    const perDepartment = apportion(
      dirWards,
      Array.from({ length: departments }, () => 0.5 + random()),
    );
    for (let p = 0; p < departments; p++) {
      const base = template.departments[p % template.departments.length] ?? 'Department';
      const cycle = Math.floor(p / template.departments.length);
      const name = cycle === 0 ? base : `${base} ${String(cycle + 1)}`;
      const mix: MixKey = name.startsWith('Maternity')
        ? 'maternity'
        : name.startsWith('Digital')
          ? 'corporate'
          : template.mix;
      const department = unit(directorate, name, template, mix);
      middle[1]?.push(department);
      const deptWards = Math.max(1, perDepartment[p] ?? 1);
      const teams = Math.max(1, Math.round(deptWards / 3));
      const perTeam = apportion(
        deptWards,
        Array.from({ length: teams }, () => 0.5 + random()),
      );
      for (let t = 0; t < teams; t++) {
        const team = unit(department, `${name} Team ${String.fromCharCode(65 + t)}`, template, mix);
        middle[2]?.push(team);
        for (let w = 0; w < Math.max(1, perTeam[t] ?? 1); w++) {
          wardNumber += 1;
          wardUnits.push(unit(team, `Ward ${String(wardNumber)}`, template, mix));
        }
      }
    }
  });
  // 90% in wards (20 to 60 each), 4% directly in a team, 3% a department, 2% a directorate,
  // 1% in no unit.
  const [inWards = 0, inTeams = 0, inDepartments = 0, inDirectorates = 0, unplaced = 0] = apportion(
    staff,
    [90, 4, 3, 2, 1],
  );
  const place = (list: PlanUnit[], count: number, spread: () => number) => {
    apportion(
      count,
      list.map(() => spread()),
    ).forEach((n, i) => {
      const u = list[i];
      if (u) u.direct += n;
    });
  };
  place(wardUnits, inWards, () => 20 + 40 * random());
  place(middle[2] ?? [], inTeams, () => 0.5 + random());
  place(middle[1] ?? [], inDepartments, () => 0.5 + random());
  place(middle[0] ?? [], inDirectorates, () => 0.5 + random());
  return { units, unplaced };
}

export function planWorkforce(staff: number, seed = 20_260_401): WorkforcePlan {
  const random = mulberry32(seed);
  const orgCount = Math.max(8, Math.round((NATIONAL_ORGANISATIONS * staff) / NATIONAL_STAFF));
  const icbCount = Math.max(2, Math.round(orgCount * 0.042));
  const practiceCount = Math.round((orgCount - icbCount) * 0.78);
  let trustCount = orgCount - icbCount - practiceCount;
  const organisations: PlanOrganisation[] = [];
  const name = (i: number, suffix: string) =>
    `${PLACES[i % PLACES.length] ?? 'Bench'}${i >= PLACES.length ? ` ${String(Math.floor(i / PLACES.length) + 1)}` : ''} ${suffix}`;

  const icbStaff = Array.from({ length: icbCount }, () => 100 + Math.floor(random() * 301));
  const practiceStaff = Array.from({ length: practiceCount }, () => 20 + Math.floor(random() * 81));
  let rest = staff - icbStaff.reduce((a, b) => a + b, 0) - practiceStaff.reduce((a, b) => a + b, 0);
  if (rest < 2_000 * trustCount) {
    // A small run: fewer trusts (at least one) and no practices beyond what fits.
    trustCount = Math.max(1, Math.floor(rest / 2_000));
    while (rest < 1_000 && practiceStaff.length > 0) rest += practiceStaff.pop() ?? 0;
  }
  for (let i = 0; i < icbCount; i++) {
    const id = uuidOf(`bench-icb-${String(i)}`);
    const size = icbStaff[i] ?? 0;
    const template: DirectorateTemplate = { name: '', mix: 'corporate', departments: [] };
    const o: PlanOrganisation = {
      id,
      name: `NHS ${name(i, 'Integrated Care Board')}`,
      type: 'icb',
      kind: 'icb',
      staff: size,
      units: [],
      unplaced: 0,
      setting: 'icb-commissioning',
      mix: 'corporate',
    };
    const split = apportion(size, [50, 30, 20]);
    ['Commissioning', 'Nursing and Quality', 'Finance and Performance'].forEach((unitName, k) => {
      o.units.push({
        id: uuidOf(`bench-unit-${id}--${unitName}`),
        organisationId: id,
        parentId: null,
        name: unitName,
        depth: 0,
        direct: split[k] ?? 0,
        setting: template.setting ?? 'icb-commissioning',
        mix: 'corporate',
      });
    });
    organisations.push(o);
  }
  const sizes = trustSizes(random, trustCount, rest);
  sizes.forEach((size, i) => {
    const kind = pickWeighted(random, TRUST_KINDS);
    const id = uuidOf(`bench-trust-${String(i)}`);
    const suffix = {
      acute: 'Hospitals NHS Foundation Trust',
      'mental-health': 'Mental Health NHS Trust',
      community: 'Community Health NHS Trust',
      ambulance: 'Ambulance Service NHS Trust',
    }[kind];
    const { units, unplaced } = trustUnits(random, id, kind, size);
    organisations.push({
      id,
      name: name(i, suffix),
      type: 'trust',
      kind,
      staff: size,
      units,
      unplaced,
      setting: KIND[kind].setting,
      mix: 'corporate',
    });
  });
  practiceStaff.forEach((size, i) => {
    const id = uuidOf(`bench-practice-${String(i)}`);
    const units: PlanUnit[] = [];
    const add = (unitName: string, direct: number, mix: MixKey) =>
      units.push({
        id: uuidOf(`bench-unit-${id}--${unitName}`),
        organisationId: id,
        parentId: null,
        name: unitName,
        depth: 0,
        direct,
        setting: 'primary-care',
        mix,
      });
    if (size >= 40) {
      const [clinical = 0, admin = 0] = apportion(size, [60, 40]);
      add('Clinical team', clinical, 'practiceClinical');
      add('Practice administration', admin, 'practiceAdmin');
    } else add('Practice team', size, 'practiceClinical');
    organisations.push({
      id,
      name: name(i, 'Medical Practice'),
      type: 'practice',
      kind: 'practice',
      staff: size,
      units,
      unplaced: 0,
      setting: 'primary-care',
      mix: 'practiceClinical',
    });
  });

  const trusts = organisations.filter((o) => o.type === 'trust');
  const largestTrust = trusts.reduce((a, b) => (b.staff > a.staff ? b : a));
  // Sharing: each ICB with 5 to 30 organisations (the first with 30 and the largest trust), an
  // organisation with one ICB at most while there are enough of them.
  const icbs = organisations.filter((o) => o.type === 'icb');
  const sharers = organisations.filter((o) => o.type !== 'icb' && o !== largestTrust);
  const shares = new Map<string, string[]>();
  let next = 0;
  icbs.forEach((icb, i) => {
    const want = i === 0 ? 30 : 5 + Math.floor(random() * 26);
    const members: string[] = i === 0 ? [largestTrust.id] : [];
    while (members.length < want && members.length < sharers.length) {
      const o = sharers[next % sharers.length];
      next += 1;
      if (o && !members.includes(o.id)) members.push(o.id);
    }
    shares.set(icb.id, members);
  });
  const icb = icbs[0];
  if (!icb) throw new Error('no ICB planned');
  const leaves = largestTrust.units.filter((u) => u.depth === 3);
  const fortyUnit = leaves.reduce((a, b) =>
    Math.abs(b.direct - 40) < Math.abs(a.direct - 40) ? b : a,
  );
  const byId = new Map(largestTrust.units.map((u) => [u.id, u]));
  const fortyUnitPath: string[] = [];
  for (
    let u: PlanUnit | undefined = fortyUnit;
    u;
    u = u.parentId ? byId.get(u.parentId) : undefined
  )
    fortyUnitPath.unshift(u.id);
  return { staff, organisations, shares, largestTrust, icb, fortyUnit, fortyUnitPath };
}

export interface LoadStep {
  step: string;
  rows: number;
  ms: number;
}

async function exec(db: Db, query: SQL | string): Promise<Record<string, unknown>[]> {
  const result = await db.execute(typeof query === 'string' ? sql.raw(query) : query);
  return (result as { rows: Record<string, unknown>[] }).rows;
}

/** rowCount of a statement on either engine (node-postgres: rowCount; PGlite: affectedRows). */
async function run(db: Db, query: SQL | string): Promise<number> {
  const result = (await db.execute(typeof query === 'string' ? sql.raw(query) : query)) as {
    rowCount?: number | null;
    affectedRows?: number;
  };
  return result.rowCount ?? result.affectedRows ?? 0;
}

const STAGING = [
  'bench_slot',
  'bench_mix',
  'bench_tpl',
  'bench_stmt',
  'bench_staff',
  'bench_sub',
  'bench_area',
];

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

/** r(n, k): a uniform number in [0, 1) from person n and stream k (deterministic). */
const RANDOM_FUNCTION = `
create or replace function bench_r(n bigint, k integer) returns double precision
language sql immutable parallel safe as
$$ select ((hashint8(n * 131 + k) & 2147483647)::double precision / 2147483648.0) $$`;

/**
 * Writes the plan into the product's tables. `framework` gives the statements, archetype
 * targets and version the snapshots belong to; `now` dates the submissions (the last 2 years).
 */
export async function loadWorkforce(
  db: Db,
  plan: WorkforcePlan,
  framework: FrameworkModel,
  options: {
    /** Statements at once (2 on a PostgreSQL server with 2 cores; 1 on PGlite). */
    concurrency: number;
    onStep?: (step: LoadStep) => void;
  },
): Promise<LoadStep[]> {
  const onStep = options.onStep ?? (() => undefined);
  const steps: LoadStep[] = [];
  // Statements over the staff go in ranges of person numbers, `concurrency` at a time.
  const RANGE = 50_000;
  const ranged = async (statement: (lo: number, hi: number) => string) => {
    const ranges: [number, number][] = [];
    for (let lo = 1; lo <= plan.staff; lo += RANGE)
      ranges.push([lo, Math.min(plan.staff, lo + RANGE - 1)]);
    let rows = 0;
    const worker = async () => {
      for (let r = ranges.shift(); r; r = ranges.shift()) {
        const n = await run(db, statement(r[0], r[1]));
        rows += n;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
    return rows;
  };
  const step = async (name: string, work: () => Promise<number>) => {
    const start = performance.now();
    const rows = await work();
    const s = { step: name, rows, ms: Math.round(performance.now() - start) };
    steps.push(s);
    onStep(s);
  };
  const professions = new Set(framework.data.professions.map((p) => p.code));
  const settings = new Set(framework.data.workSettings.map((w) => w.code));

  // Staging: the plan's blocks of staff, the mixes, and per archetype set the areas (with their
  // targets and pool sizes, from the assessment engine's own pool) and statements.
  await step('staging tables', async () => {
    await exec(db, RANDOM_FUNCTION);
    for (const t of STAGING) await exec(db, `drop table if exists ${t}`);
    await exec(
      db,
      `create unlogged table bench_slot (organisation_id uuid not null, unit_id uuid,
        setting text not null, mix int not null, mixlen int not null, first int not null, count int not null)`,
    );
    await exec(
      db,
      `create unlogged table bench_mix (mix int not null, idx int not null, profession text not null,
        archetypes text[] not null, akey text not null, primary key (mix, idx))`,
    );
    await exec(
      db,
      `create unlogged table bench_tpl (akey text not null, ord int not null, area_code text not null,
        area_name text not null, domain_code text not null, domain_name text not null,
        target int not null, pool_size int not null, primary key (akey, ord))`,
    );
    await exec(
      db,
      `create unlogged table bench_stmt (akey text not null, idx int not null, statement_id text not null,
        area_ord int not null, level int not null, pool int not null, primary key (akey, idx))`,
    );
    const mixRows: {
      mix: number;
      idx: number;
      profession: string;
      archetypes: string[];
      akey: string;
    }[] = [];
    const mixLength = new Map<MixKey, number>();
    const archetypeSets = new Map<string, ArchetypeCode[]>();
    MIX_KEYS.forEach((key, m) => {
      let idx = 0;
      for (const [weight, profession, sets] of MIXES[key]) {
        if (!professions.has(profession))
          throw new Error(`not a framework profession: ${profession}`);
        for (let w = 0; w < weight; w++) {
          for (const set of sets) {
            const archetypes = ARCHETYPE_CODES.filter((c) => set.split(' ').includes(c));
            const akey = archetypes.join(',');
            archetypeSets.set(akey, archetypes);
            idx += 1;
            mixRows.push({ mix: m, idx, profession, archetypes, akey });
          }
        }
      }
      mixLength.set(key, idx);
    });
    await exec(
      db,
      sql`insert into bench_mix select * from jsonb_to_recordset(${json(mixRows)})
        as x(mix int, idx int, profession text, archetypes text[], akey text)`,
    );
    const tplRows: Record<string, unknown>[] = [];
    const stmtRows: Record<string, unknown>[] = [];
    for (const [akey, archetypes] of archetypeSets) {
      const pool = assessmentPool(framework.data, archetypes);
      const order = new Map(pool.areas.map((a, i) => [a.areaCode, i + 1]));
      pool.areas.forEach((a, i) => {
        const node = framework.nodesByCode.get(a.areaCode);
        const domain = framework.domainOf(a.areaCode);
        tplRows.push({
          akey,
          ord: i + 1,
          area_code: a.areaCode,
          area_name: node?.name ?? a.areaCode,
          domain_code: domain?.code ?? a.areaCode,
          domain_name: domain?.name ?? a.areaCode,
          target: a.targetLevel,
          pool_size: a.statementIds.length,
        });
      });
      const ids = pool.areas.flatMap((a) => a.statementIds);
      ids.forEach((id, i) => {
        const s = pool.statements.get(id);
        if (!s) return;
        stmtRows.push({
          akey,
          idx: i + 1,
          statement_id: id,
          area_ord: order.get(s.areaCode) ?? 0,
          level: s.level,
          pool: ids.length,
        });
      });
    }
    await exec(
      db,
      sql`insert into bench_tpl select * from jsonb_to_recordset(${json(tplRows)})
        as x(akey text, ord int, area_code text, area_name text, domain_code text, domain_name text, target int, pool_size int)`,
    );
    await exec(
      db,
      sql`insert into bench_stmt select * from jsonb_to_recordset(${json(stmtRows)})
        as x(akey text, idx int, statement_id text, area_ord int, level int, pool int)`,
    );
    const slots: Record<string, unknown>[] = [];
    let first = 1;
    const slot = (
      organisationId: string,
      unitId: string | null,
      setting: string,
      mix: MixKey,
      count: number,
    ) => {
      if (count <= 0) return;
      if (!settings.has(setting)) throw new Error(`not a framework work setting: ${setting}`);
      slots.push({
        organisation_id: organisationId,
        unit_id: unitId,
        setting,
        mix: MIX_KEYS.indexOf(mix),
        mixlen: mixLength.get(mix) ?? 1,
        first,
        count,
      });
      first += count;
    };
    for (const o of plan.organisations) {
      for (const u of o.units) slot(o.id, u.id, u.setting, u.mix, u.direct);
      slot(o.id, null, o.setting, o.mix, o.unplaced);
    }
    if (first - 1 !== plan.staff)
      throw new Error(`the plan places ${String(first - 1)} staff, not ${String(plan.staff)}`);
    for (let i = 0; i < slots.length; i += 5_000)
      await exec(
        db,
        sql`insert into bench_slot select * from jsonb_to_recordset(${json(slots.slice(i, i + 5_000))})
          as x(organisation_id uuid, unit_id uuid, setting text, mix int, mixlen int, first int, count int)`,
      );
    return slots.length;
  });

  await step('organisations', async () => {
    const rows = plan.organisations.map((o) => ({ id: o.id, name: o.name, type: o.type }));
    return run(
      db,
      sql`insert into organisations (id, name, type)
        select x.id, x.name, x.type from jsonb_to_recordset(${json(rows)}) as x(id uuid, name text, type text)`,
    );
  });

  await step('units (closure by trigger)', async () => {
    const all = plan.organisations.flatMap((o) => o.units);
    let n = 0;
    // Parents before children: the closure trigger reads the parent's rows.
    for (let depth = 0; depth <= 3; depth++) {
      const level = all.filter((u) => u.depth === depth);
      for (let i = 0; i < level.length; i += 5_000) {
        const rows = level.slice(i, i + 5_000).map((u) => ({
          id: u.id,
          organisation_id: u.organisationId,
          parent_id: u.parentId,
          name: u.name,
        }));
        n += await run(
          db,
          sql`insert into units (id, organisation_id, parent_id, name)
            select x.id, x.organisation_id, x.parent_id, x.name
            from jsonb_to_recordset(${json(rows)}) as x(id uuid, organisation_id uuid, parent_id uuid, name text)`,
        );
      }
    }
    return n;
  });

  await step('staff plan', async () => {
    const n = await run(
      db,
      `create unlogged table bench_staff as
       select n, md5('bench-person-' || n)::uuid as pid, s.organisation_id, s.unit_id,
         case when bench_r(n, 1) < 0.03 then null else m.profession end as profession,
         case when bench_r(n, 2) < 0.02 then null else s.setting end as setting,
         case when bench_r(n, 4) < 0.04 then '{}'::text[] else m.archetypes end as profile_archetypes,
         m.archetypes, m.akey
       from bench_slot s
       cross join lateral generate_series(s.first, s.first + s.count - 1) as n
       join bench_mix m on m.mix = s.mix and m.idx = 1 + floor(bench_r(n, 3) * s.mixlen)::int`,
    );
    await exec(db, 'create index on bench_staff (n)');
    await exec(db, 'analyze bench_staff');
    return n;
  });

  await step('people', () =>
    ranged(
      (lo, hi) =>
        `insert into people (id, email, display_name, email_confirmed_at, profession_code, work_setting_code, archetype_codes)
         select pid, 'staff' || n || '@bench.example.org', 'Staff ' || n || ' (synthetic)', now(),
           profession, setting, profile_archetypes
         from bench_staff where n between ${String(lo)} and ${String(hi)} order by n`,
    ),
  );

  await step('memberships (queued by trigger)', () =>
    ranged(
      (lo, hi) =>
        `insert into memberships (organisation_id, person_id, unit_id, roles)
         select organisation_id, pid, unit_id, array['member'] from bench_staff
         where n between ${String(lo)} and ${String(hi)} order by n`,
    ),
  );

  // Submissions: 60% of staff, a fifth of them twice, in different quarters of the last two
  // years (the latest mostly recent). Levels sit around the archetype targets: a person's
  // ability and each area's noise; the earlier submission a little lower.
  await step('submission plan', async () => {
    const n = await run(
      db,
      `create unlogged table bench_sub as
       with s as (
         select st.*, floor(power(bench_r(n, 12), 1.5) * 6)::int as q1,
           case when bench_r(n, 14) < 0.35 then -1 when bench_r(n, 14) < 0.8 then 0 else 1 end as ability
         from bench_staff st
         where bench_r(n, 10) < ${SUBMITTED_SHARE}
       ), k as (
         select s.*, 1 as k, q1 as qb from s
         union all
         select s.*, 2, q1 + 1 + floor(bench_r(n, 13) * (7 - q1))::int from s
         where bench_r(n, 11) < ${TWICE_SHARE} and q1 < 7
       ), d as (
         select k.*,
           (date_trunc('quarter', now() at time zone 'UTC') - make_interval(months => 3 * qb)) as qstart
         from k
       )
       select d.n, d.k, md5('bench-assessment-' || d.n || '-' || d.k)::uuid as aid, d.pid,
         d.akey, d.archetypes, d.profession, d.setting, d.k = 1 as latest,
         ((d.qstart + bench_r(d.n, 20 + d.k) * (least(d.qstart + interval '3 months', (now() at time zone 'UTC') - interval '1 hour') - d.qstart)) at time zone 'UTC') as submitted_at,
         array(
           select greatest(0, least(4, t.target + d.ability
             + case when bench_r(d.n * 32 + t.ord, 30) < 0.25 then -1 when bench_r(d.n * 32 + t.ord, 30) < 0.8 then 0 else 1 end
             - case when d.k = 2 and bench_r(d.n * 32 + t.ord, 31) < 0.35 then 1 else 0 end))
           from bench_tpl t where t.akey = d.akey order by t.ord
         )::int[] as levels
       from d`,
    );
    await exec(db, 'create index on bench_sub (n)');
    await exec(db, 'analyze bench_sub');
    // Each area's result object for each level it can have, for each archetype set.
    await exec(
      db,
      `create unlogged table bench_area as
       select t.akey, t.ord, l.level, t.area_code, t.target, t.pool_size,
         jsonb_build_object(
           'areaCode', t.area_code, 'areaName', t.area_name,
           'domainCode', t.domain_code, 'domainName', t.domain_name,
           'level', l.level, 'targetLevel', t.target,
           'shortfall', greatest(0, t.target - l.level),
           'answered', t.pool_size, 'notRelevant', 0, 'poolSize', t.pool_size) as area
       from bench_tpl t cross join generate_series(0, 4) as l(level)`,
    );
    await exec(db, 'alter table bench_area add primary key (akey, ord, level)');
    return n;
  });

  const version = framework.versionInfo.versionId;
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  await step('submitted assessments (results snapshots)', () =>
    ranged(
      (lo, hi) =>
        `insert into assessments (id, person_id, framework_version_id, mode, archetype_codes, profession_code,
           work_setting_code, status, current_area_code, results, started_at, updated_at, submitted_at)
         select s.aid, s.pid, ${String(version)}, 'full', s.archetypes, s.profession, s.setting, 'submitted', null,
           jsonb_build_object(
             'schemaVersion', 1,
             'frameworkSlug', ${quote(framework.slug)},
             'frameworkTitle', ${quote(framework.data.title)},
             'frameworkVersion', ${String(framework.version)},
             'mode', 'full',
             'archetypeCodes', to_jsonb(s.archetypes),
             'professionCode', s.profession,
             'workSettingCode', s.setting,
             'submittedAt', to_char(s.submitted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             'areas', x.areas, 'strengths', x.strengths, 'gaps', x.gaps),
           s.submitted_at - interval '25 minutes', s.submitted_at, s.submitted_at
         from bench_sub s
         cross join lateral (
           select
             jsonb_agg(a.area order by a.ord) as areas,
             coalesce(jsonb_agg(to_jsonb(a.area_code)
               order by a.level - a.target desc, a.level desc, a.ord)
               filter (where a.target > 0 and a.level >= a.target), '[]'::jsonb) as strengths,
             coalesce(jsonb_agg(to_jsonb(a.area_code)
               order by a.target - a.level desc, a.pool_size desc, a.ord)
               filter (where a.target > a.level), '[]'::jsonb) as gaps
           from generate_subscripts(s.levels, 1) as o(ord)
           join bench_area a on a.akey = s.akey and a.ord = o.ord and a.level = s.levels[o.ord]
         ) x
         where s.n between ${String(lo)} and ${String(hi)}
         order by s.n, s.k desc`,
    ),
  );

  // 10 to 30 answers of the latest submission: a run of the person's pool, answered as their
  // level in the area suggests (met below it, "starting to" one above, "can't yet" beyond).
  await step('answers of the latest submissions', () =>
    ranged(
      (
        lo,
        hi,
      ) => `insert into assessment_answers (assessment_id, statement_id, value, answered_at, updated_at)
       select s.aid, st.statement_id,
         case
           when st.level < s.levels[st.area_ord] then '3'
           when st.level = s.levels[st.area_ord] then '2'
           when st.level = s.levels[st.area_ord] + 1 then '1'
           else '0' end,
         s.submitted_at, s.submitted_at
       from bench_sub s
       cross join lateral (select pool from bench_stmt where akey = s.akey and idx = 1) p
       cross join lateral generate_series(0, least(p.pool, 10 + floor(bench_r(s.n, 40) * 21)::int) - 1) as j
       join bench_stmt st on st.akey = s.akey
         and st.idx = 1 + ((floor(bench_r(s.n, 41) * p.pool)::int + j) % p.pool)
       where s.latest and s.n between ${String(lo)} and ${String(hi)}`,
    ),
  );

  const areaCodes = framework.areas.map((a) => a.code);
  const stops = [
    'null',
    ...areaCodes.map(quote),
    ...areaCodes.filter((c) => /^[56]/.test(c)).map(quote),
  ];
  await step('assessments in progress', () =>
    ranged(
      (
        lo,
        hi,
      ) => `insert into assessments (person_id, framework_version_id, mode, archetype_codes, profession_code,
         work_setting_code, status, current_area_code, started_at, updated_at)
       select pid, ${String(version)}, case when bench_r(n, 51) < 0.7 then 'focused' else 'full' end,
         archetypes, profession, setting,
         'in_progress', (array[${stops.join(',')}]::text[])[1 + floor(bench_r(n, 52) * ${String(stops.length)})::int],
         now() - make_interval(days => 1 + floor(bench_r(n, 53) * 60)::int), now() - interval '1 day'
       from bench_staff where bench_r(n, 50) < ${IN_PROGRESS_SHARE} and n between ${String(lo)} and ${String(hi)}`,
    ),
  );

  await step('pending invitations', () =>
    ranged(
      (
        lo,
        hi,
      ) => `insert into invitations (organisation_id, email, display_name, profession_code, unit_id, roles,
         token_hash, expires_at, sent_at, send_count, source)
       select organisation_id, 'invitee' || n || '@bench.example.org', 'Invitee ' || n || ' (synthetic)',
         profession, unit_id, array['member'], md5('bench-invitation-' || n),
         now() + interval '14 days', now() - interval '1 day', 1, 'roster'
       from bench_staff where bench_r(n, 60) < ${INVITED_SHARE} and n between ${String(lo)} and ${String(hi)}`,
    ),
  );

  await step('ICB sharing', () => {
    const rows = [...plan.shares].flatMap(([icb, members]) =>
      members.map((m) => ({ organisation_id: m, shared_with_organisation_id: icb })),
    );
    return run(
      db,
      sql`insert into insights_shares (organisation_id, shared_with_organisation_id)
        select x.organisation_id, x.shared_with_organisation_id
        from jsonb_to_recordset(${json(rows)}) as x(organisation_id uuid, shared_with_organisation_id uuid)`,
    );
  });

  await step('drop staging, analyse', async () => {
    for (const t of STAGING) await exec(db, `drop table if exists ${t}`);
    await exec(db, 'drop function if exists bench_r(bigint, integer)');
    await exec(db, 'analyze');
    return 0;
  });
  return steps;
}

/** Members of an organisation with no submitted self-assessment (for the submit-to-insight run). */
export async function membersWithoutResults(
  db: Db,
  organisationId: string,
  limit: number,
): Promise<{ personId: string; archetypeCodes: string[] }[]> {
  const rows = await exec(
    db,
    sql`select m.person_id, p.archetype_codes from memberships m join people p on p.id = m.person_id
        where m.organisation_id = ${organisationId} and cardinality(p.archetype_codes) > 0
          and not exists (select 1 from assessments a where a.person_id = m.person_id)
        order by m.person_id limit ${limit}`,
  );
  return rows.map((r) => ({
    personId: String(r.person_id),
    archetypeCodes: Array.isArray(r.archetype_codes) ? r.archetype_codes.map(String) : [],
  }));
}
