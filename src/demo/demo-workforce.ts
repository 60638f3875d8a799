/**
 * The demo trust's synthetic workforce: a few hundred made-up staff, each labelled "(synthetic
 * demo)", spread over the trust's units, with profiles plausible for their unit, so that every
 * insights view (which hides groups under 10 people) shows real figures out of the box. About
 * 65% have submitted a self-assessment in one of the last four quarters, a fifth of those
 * twice (the later one usually a little better), and another 10% have one in progress, stopped
 * at an area (mostly the data and AI ones). Plus 20 pending invitations, and a team of 16 at the
 * demo ICB (so that national figures are not the trust's plus a person or two, which the
 * differencing rule would hide).
 *
 * Pure and deterministic: a seeded PRNG (mulberry32) decides everything, so every run makes the
 * same people with the same levels; only the dates move with today's date (`now`). The staff
 * have no password and cannot sign in (demo-seed.ts creates them without one).
 */
import { DEMO_EMAIL_DOMAIN, type DemoOrganisation } from './demo-people.js';
import { mulberry32 } from '../platform/random.js';

export const WORKFORCE_SEED = 20_250_401;
/** Shares of each unit's staff (rounded per unit, so small teams still clear the thresholds). */
export const SUBMITTED_SHARE = 0.65;
export const TWICE_SHARE = 0.2;
export const IN_PROGRESS_SHARE = 0.1;

/** One kind of person in a unit: how common, their profession, and archetype sets to pick from. */
type MixEntry = readonly [weight: number, professionCode: string, archetypes: readonly string[]];

export interface WorkforceUnit {
  /** The trust unless said. */
  organisation?: DemoOrganisation['key'];
  path: readonly string[];
  size: number;
  workSettingCode: string;
  mix: readonly MixEntry[];
  /** Everyone who has submitted did so once, this quarter (a team new to digicap). */
  newThisQuarter?: boolean;
}

const WARD: readonly MixEntry[] = [
  [55, 'nurse', ['U', 'U', 'U', 'E U']],
  [22, 'healthcare-support-worker', ['U']],
  [8, 'nursing-associate', ['U']],
  [10, 'doctor', ['U', 'U', 'E U', 'D U']],
  [3, 'physician-associate', ['U']],
  [2, 'manager-or-leader', ['D U', 'E U']],
];

/** Units and their synthetic staff: the trust's (all listed in demo-people.ts), then the ICB's. */
export const WORKFORCE_UNITS: readonly WorkforceUnit[] = [
  { path: ['Medicine', 'Cardiology', 'Ward 5'], size: 38, workSettingCode: 'acute', mix: WARD },
  { path: ['Medicine', 'Cardiology', 'Ward 6'], size: 30, workSettingCode: 'acute', mix: WARD },
  {
    path: ['Medicine', 'Respiratory'],
    size: 34,
    workSettingCode: 'acute',
    mix: [
      [40, 'nurse', ['U', 'U', 'E U']],
      [30, 'doctor', ['U', 'U', 'E U', 'D U']],
      [15, 'healthcare-support-worker', ['U']],
      [8, 'physiotherapist', ['U', 'E U']],
      [4, 'physician-associate', ['U']],
      [3, 'non-clinical-and-administrative-staff', ['U']],
    ],
  },
  {
    path: ['Surgery', 'Theatres'],
    size: 40,
    workSettingCode: 'acute',
    mix: [
      [40, 'nurse', ['U', 'U', 'E U']],
      // Operating department practitioners.
      [25, 'other-allied-health-professional', ['U']],
      [22, 'doctor', ['U', 'U', 'D U']],
      [13, 'healthcare-support-worker', ['U']],
    ],
  },
  {
    path: ['Surgery', 'Day Surgery Unit'],
    size: 20,
    workSettingCode: 'acute',
    mix: [
      [50, 'nurse', ['U', 'U', 'E U']],
      [25, 'healthcare-support-worker', ['U']],
      [15, 'doctor', ['U']],
      [10, 'non-clinical-and-administrative-staff', ['U']],
    ],
  },
  {
    path: ['Allied Health Professions', 'Physiotherapy'],
    size: 24,
    workSettingCode: 'acute',
    mix: [
      [85, 'physiotherapist', ['U', 'U', 'E U']],
      [15, 'healthcare-support-worker', ['U']],
    ],
  },
  {
    path: ['Allied Health Professions', 'Dietetics'],
    size: 15,
    workSettingCode: 'acute',
    mix: [
      [90, 'dietitian', ['U', 'U', 'E U']],
      [10, 'healthcare-support-worker', ['U']],
    ],
  },
  {
    path: ['Allied Health Professions', 'Occupational Therapy'],
    size: 16,
    workSettingCode: 'acute',
    mix: [
      [85, 'occupational-therapist', ['U', 'U', 'E U']],
      [15, 'healthcare-support-worker', ['U']],
    ],
  },
  {
    path: ['Pharmacy'],
    size: 22,
    workSettingCode: 'acute',
    mix: [
      [48, 'pharmacist', ['U', 'U', 'E U', 'D U']],
      [45, 'pharmacy-technician', ['U']],
      [7, 'non-clinical-and-administrative-staff', ['U']],
    ],
  },
  {
    path: ['Digital and Data', 'Business Intelligence'],
    size: 15,
    workSettingCode: 'acute',
    mix: [
      [65, 'data-analyst', ['C', 'C', 'C', 'C E']],
      [25, 'data-scientist', ['C', 'C', 'C E']],
      [10, 'manager-or-leader', ['C D', 'D']],
    ],
  },
  {
    path: ['Digital and Data', 'Clinical Systems'],
    size: 16,
    workSettingCode: 'acute',
    mix: [
      [60, 'digital-or-it-professional', ['C', 'C', 'C D', 'D']],
      // Clinical systems trainers and the chief nursing information officer's team.
      [20, 'nurse', ['E', 'E U', 'D E']],
      [20, 'non-clinical-and-administrative-staff', ['U']],
    ],
  },
  {
    path: ['Nursing', 'Community Nursing'],
    size: 30,
    workSettingCode: 'community-health',
    mix: [
      [65, 'nurse', ['U', 'U', 'U', 'E U']],
      [22, 'healthcare-support-worker', ['U']],
      [10, 'nursing-associate', ['U']],
      [3, 'manager-or-leader', ['D U']],
    ],
  },
  // A small team at the ICB too: without it the national figures would be the trust's plus one
  // or two people, and the differencing rule would hide the trust's (and the ICB's shared) view.
  // New this quarter, so that no earlier quarter's national figures are the trust's plus a few.
  {
    organisation: 'icb',
    path: ['Primary Care Transformation'],
    size: 16,
    workSettingCode: 'icb-commissioning',
    newThisQuarter: true,
    mix: [
      [40, 'manager-or-leader', ['D', 'D', 'S D']],
      [25, 'data-analyst', ['C', 'C D']],
      [15, 'nurse', ['D U', 'E U']],
      [10, 'pharmacist', ['D U']],
      [10, 'non-clinical-and-administrative-staff', ['U']],
    ],
  },
];

/** What kind of work a profession does, for how its levels lean from the archetype targets. */
type Family = 'clinical' | 'support' | 'therapy' | 'pharmacy' | 'data' | 'digital' | 'leader';

const FAMILY: Readonly<Record<string, Family>> = {
  'healthcare-support-worker': 'support',
  'non-clinical-and-administrative-staff': 'support',
  physiotherapist: 'therapy',
  'occupational-therapist': 'therapy',
  dietitian: 'therapy',
  pharmacist: 'pharmacy',
  'pharmacy-technician': 'pharmacy',
  'data-analyst': 'data',
  'data-scientist': 'data',
  'digital-or-it-professional': 'digital',
  'manager-or-leader': 'leader',
};

/** Added to the target level, area by area: where each family tends to be ahead or behind. */
const LEAN: Readonly<Record<Family, Readonly<Record<string, number>>>> = {
  clinical: {
    '2.1': 0.3,
    '3.1': 0.2,
    '5.1.3': -0.3,
    '5.1.4': -0.6,
    '6.1': -0.6,
    '6.3': -0.4,
    '6.4': -0.3,
  },
  support: {
    '1': -0.3,
    '3.2': -0.4,
    '4.1.1': -0.4,
    '4.1.2': -0.4,
    '5.1.4': -0.5,
    '6.1': -0.7,
    '6.3': -0.6,
  },
  therapy: { '2.1': 0.3, '2.2': 0.6, '5.1.4': -0.5, '6.1': -0.5, '6.3': -0.3 },
  pharmacy: { '3.2': 0.5, '5.1.1': 0.3, '5.2.1': 0.5, '6.1': -0.4 },
  data: {
    '2.1': -1,
    '2.2': -1,
    '3.2': -0.4,
    '4.1.2': -0.5,
    '5.1.1': 0.6,
    '5.1.2': 0.6,
    '5.1.3': 0.8,
    '5.1.4': 0.8,
    '6.1': 0.5,
    '6.4': -0.8,
  },
  digital: { '1': 0.8, '2.1': -0.8, '2.2': -0.5, '5.1.2': 0.6, '5.2.1': 0.6, '6.2': 0.3 },
  leader: { '1': 0.4, '4.1.1': 0.6, '4.1.2': 0.5, '5.1.4': -0.6, '6.1': -0.6 },
};

/**
 * Where assessments in progress sit, in turn: mostly at the data and AI areas, where people
 * stop (so those counts are big enough to be shown), a few elsewhere.
 */
const STOP_AREAS: readonly string[] = [
  '5.1.4',
  '6.1',
  '5.1.4',
  '5.1.3',
  '6.1',
  '5.1.4',
  '2.2',
  '6.1',
  '5.1.4',
  '6.3',
  '5.1.4',
  '6.1',
  '3.2',
  '5.1.4',
  '4.1.2',
];

const FIRST_NAMES = [
  'Olivia',
  'Amelia',
  'Isla',
  'Ava',
  'Mia',
  'Ivy',
  'Lily',
  'Sophia',
  'Freya',
  'Florence',
  'Zara',
  'Hannah',
  'Chloe',
  'Fatima',
  'Maryam',
  'Ananya',
  'Niamh',
  'Siobhan',
  'Bethan',
  'Megan',
  'Oliver',
  'George',
  'Noah',
  'Arthur',
  'Leo',
  'Harry',
  'Oscar',
  'Jack',
  'Muhammad',
  'Yusuf',
  'Rohan',
  'Arjun',
  'Kwame',
  'Tariq',
  'Dylan',
  'Rhys',
  'Callum',
  'Ewan',
  'Jakub',
  'Luca',
] as const;
const LAST_NAMES = [
  'Smith',
  'Jones',
  'Williams',
  'Brown',
  'Wilson',
  'Thompson',
  'Robinson',
  'Wright',
  'Walker',
  'White',
  'Hughes',
  'Edwards',
  'Green',
  'Hall',
  'Wood',
  'Harris',
  'Clarke',
  'Patel',
  'Begum',
  'Ali',
  'Hussain',
  'Singh',
  'Kaur',
  'Chowdhury',
  'Okafor',
  'Mensah',
  'Nowak',
  'Kowalski',
  'Murphy',
  'Kelly',
  'Byrne',
  'Davies',
  'Morris',
  'Price',
  'Owen',
  'Campbell',
  'Stewart',
  'Macdonald',
  'Fraser',
  'Rossi',
  'Chen',
] as const;

/**
 * The nth made-up name (n from 0): 40 first names and 41 surnames, two coprime lengths, so the
 * first 1,640 are all different.
 */
export function syntheticName(n: number): string {
  const first = FIRST_NAMES[n % FIRST_NAMES.length] ?? 'Alex';
  const last = LAST_NAMES[(n * 17) % LAST_NAMES.length] ?? 'Smith';
  return `${first} ${last} (synthetic demo)`;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export interface SyntheticSubmission {
  startedAt: Date;
  submittedAt: Date;
  /** The level reached in each area (0 to 4): answers follow from it (demoAnswer). */
  levels: Readonly<Record<string, number>>;
}

export interface SyntheticStaff {
  /** 1, 2, 3… as in the email address. */
  number: number;
  organisation: DemoOrganisation['key'];
  email: string;
  displayName: string;
  unitPath: readonly string[];
  professionCode: string;
  workSettingCode: string;
  archetypeCodes: string[];
  /** Oldest first; empty for people who have not submitted. */
  submissions: SyntheticSubmission[];
  /**
   * An assessment in progress, stopped at `stopAreaCode` (half answered when `partly`, else only
   * opened), every earlier area answered from `levels`.
   */
  inProgress?: {
    stopAreaCode: string;
    partly: boolean;
    levels: Readonly<Record<string, number>>;
    /** Within the last six weeks. */
    startedAt: Date;
    updatedAt: Date;
  };
}

export interface SyntheticInvitation {
  email: string;
  displayName: string;
  professionCode: string;
  unitPath: readonly string[];
  roles: string;
}

/** Target levels: archetype code → area code → level (the framework's `targets`). */
export type Targets = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** The first instant of the quarter `back` quarters before the one `now` is in (UTC). */
export function quarterStart(now: Date, back: number): Date {
  const q = now.getUTCFullYear() * 4 + Math.floor(now.getUTCMonth() / 3) - back;
  return new Date(Date.UTC(Math.floor(q / 4), (q % 4) * 3, 1));
}

function pickWeighted<T>(random: () => number, entries: readonly (readonly [number, T])[]): T {
  const total = entries.reduce((sum, [w]) => sum + w, 0);
  let r = random() * total;
  for (const [w, value] of entries) {
    r -= w;
    if (r < 0) return value;
  }
  const last = entries.at(-1);
  if (!last) throw new Error('nothing to pick from');
  return last[1];
}

function pick<T>(random: () => number, list: readonly T[]): T {
  const item = list[Math.floor(random() * list.length)];
  if (item === undefined) throw new Error('nothing to pick from');
  return item;
}

/** A shuffled copy (Fisher–Yates). */
function shuffled<T>(random: () => number, list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = out[i];
    const b = out[j];
    if (a === undefined || b === undefined) continue;
    out[i] = b;
    out[j] = a;
  }
  return out;
}

const clampLevel = (level: number) => Math.max(0, Math.min(4, Math.round(level)));

/**
 * The synthetic workforce for today (`now` only places the submissions in the current quarter
 * and the three before it). `targets` are the framework's, so levels sit around what each
 * person's archetypes expect, leaning by profession.
 */
export function syntheticWorkforce(now: Date, targets: Targets): SyntheticStaff[] {
  const random = mulberry32(WORKFORCE_SEED);
  const staff: SyntheticStaff[] = [];
  // A moment within quarter `back`: in the past, and in working hours when there is room. It
  // always draws two numbers, so that nothing else depends on the date.
  const dateIn = (back: number): Date => {
    const [dayDraw, hourDraw] = [random(), random()];
    const start = quarterStart(now, back).getTime();
    const end = back === 0 ? now.getTime() - 60_000 : quarterStart(now, back - 1).getTime();
    if (end <= start) return new Date(start);
    const day = Math.floor(dayDraw * Math.max(1, (end - start) / 86_400_000));
    const at = start + day * 86_400_000 + (8 + hourDraw * 9) * 3_600_000;
    return new Date(Math.min(at, end));
  };
  const levelsFor = (archetypes: readonly string[], family: Family, ability: number) => {
    const levels: Record<string, number> = {};
    const areas = new Set(archetypes.flatMap((a) => Object.keys(targets[a] ?? {})));
    for (const area of [...areas].sort()) {
      const target = Math.max(0, ...archetypes.map((a) => targets[a]?.[area] ?? 0));
      const noise = (random() - 0.5) * 1.1;
      levels[area] = clampLevel(target + ability + (LEAN[family][area] ?? 0) + noise);
    }
    return levels;
  };
  const improved = (levels: Readonly<Record<string, number>>) => {
    const next: Record<string, number> = {};
    for (const [area, level] of Object.entries(levels)) {
      const r = random();
      next[area] = clampLevel(level + (r < 0.3 ? 1 : r < 0.34 ? -1 : 0));
    }
    return next;
  };
  const submission = (back: number, levels: Readonly<Record<string, number>>) => {
    const submittedAt = dateIn(back);
    const minutes = 15 + Math.floor(random() * 50);
    return { startedAt: new Date(submittedAt.getTime() - minutes * 60_000), submittedAt, levels };
  };

  // Started 1 to 42 days ago in working hours, last changed 10 to 40 minutes later.
  const lastWeeks = () => {
    const [dayDraw, hourDraw, minutesDraw] = [random(), random(), random()];
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const startedAt = midnight - (1 + Math.floor(dayDraw * 42)) * 86_400_000;
    const at = startedAt + (8 + hourDraw * 9) * 3_600_000;
    return {
      startedAt: new Date(at),
      updatedAt: new Date(at + (10 + Math.floor(minutesDraw * 30)) * 60_000),
    };
  };
  let stops = 0;
  for (const unit of WORKFORCE_UNITS) {
    // Exact shares per unit, in a shuffled order: who submits, twice, or is part way through.
    const submitted = Math.round(unit.size * SUBMITTED_SHARE);
    const twice = unit.newThisQuarter ? 0 : Math.round(submitted * TWICE_SHARE);
    const inProgress = Math.round(unit.size * IN_PROGRESS_SHARE);
    const roles = shuffled(
      random,
      Array.from({ length: unit.size }, (_, i) =>
        i < twice
          ? 'twice'
          : i < submitted
            ? 'once'
            : i < submitted + inProgress
              ? 'in-progress'
              : 'none',
      ),
    );
    for (const role of roles) {
      const number = staff.length + 1;
      const [professionCode, archetypeOptions] = pickWeighted(
        random,
        unit.mix.map(([w, p, a]) => [w, [p, a] as const] as const),
      );
      const archetypeCodes = pick(random, archetypeOptions).split(' ');
      const family = FAMILY[professionCode] ?? 'clinical';
      // Mostly a little below target, some above: a sum of two uniforms, centred below zero.
      const ability = (random() + random() - 1) * 1.3 - 0.35;
      const submissions: SyntheticSubmission[] = [];
      if (role === 'once') {
        const back = pickWeighted(
          random,
          unit.newThisQuarter
            ? [[1, 0]]
            : [
                [18, 3],
                [24, 2],
                [28, 1],
                [30, 0],
              ],
        );
        submissions.push(submission(back, levelsFor(archetypeCodes, family, ability)));
      } else if (role === 'twice') {
        const first = 1 + Math.floor(random() * 3);
        const second = Math.floor(random() * first);
        const levels = levelsFor(archetypeCodes, family, ability);
        submissions.push(submission(first, levels), submission(second, improved(levels)));
      }
      staff.push({
        number,
        email: `staff.${pad(number, 3)}@${DEMO_EMAIL_DOMAIN}`,
        displayName: syntheticName(number - 1),
        organisation: unit.organisation ?? 'trust',
        unitPath: unit.path,
        professionCode,
        workSettingCode: unit.workSettingCode,
        archetypeCodes,
        submissions,
        ...(role === 'in-progress'
          ? {
              inProgress: {
                stopAreaCode: STOP_AREAS[stops++ % STOP_AREAS.length] ?? '5.1.4',
                partly: random() < 0.5,
                levels: levelsFor(archetypeCodes, family, ability),
                ...lastWeeks(),
              },
            }
          : {}),
      });
    }
  }
  return staff;
}

/**
 * Twenty people invited to the trust who have not accepted yet (sent as one roster file): a
 * dozen new starters for Ward 6 and eight for Theatres, so each unit's count of invitations is
 * big enough to be shown (a few in every unit would hide most units' "joined" figures).
 */
export function syntheticInvitations(): SyntheticInvitation[] {
  const random = mulberry32(WORKFORCE_SEED + 1);
  const first = WORKFORCE_UNITS.reduce((n, u) => n + u.size, 0);
  const unitAt = (path: string) => {
    const unit = WORKFORCE_UNITS.find((u) => u.path.join(' > ') === path);
    if (!unit) throw new Error(`no workforce unit ${path}`);
    return unit;
  };
  const [ward6, theatres] = [
    unitAt('Medicine > Cardiology > Ward 6'),
    unitAt('Surgery > Theatres'),
  ];
  return Array.from({ length: 20 }, (_, i) => {
    const unit = i < 12 ? ward6 : theatres;
    const [professionCode] = pickWeighted(
      random,
      unit.mix.map(([w, p, a]) => [w, [p, a] as const] as const),
    );
    return {
      email: `new.starter.${pad(i + 1, 2)}@${DEMO_EMAIL_DOMAIN}`,
      displayName: syntheticName(first + i),
      professionCode: i === 0 ? 'nurse' : professionCode,
      unitPath: unit.path,
      // Ward 6's new ward manager among them, invited to manage the ward.
      roles: i === 0 ? 'member; line manager' : 'member',
    };
  });
}

/** The roster file that invites them: email, name, profession, unit path, role. */
export function invitationsRoster(invitations: readonly SyntheticInvitation[]): string {
  return [
    'email,name,profession,unit path,role',
    ...invitations.map((i) =>
      [i.email, i.displayName, i.professionCode, i.unitPath.join(' > '), i.roles].join(','),
    ),
  ].join('\n');
}
