/**
 * `npm run bench:insights`: workforce insights at national scale, printed, never asserted.
 *
 * Starts a throwaway PostgreSQL server tuned for a bulk load (or, with --engine pglite, an
 * embedded database in a temporary folder), opens the app's database (migrations run) and loads
 * the bundled framework as the app does, then writes a synthetic workforce (--staff, default
 * 100,000; 1,500,000 is the national run) into the product's tables by bulk statements. The
 * triggers queue everyone; the read model is then built by the product's own code
 * (readModel.rebuild). Then it starts the real app (production configuration, insights worker
 * running) and measures each insights page over app.inject with a signed-in session: national,
 * an ICB's shared view, the largest trust and a ward of about 40 in it, each with and without a
 * breakdown. Then the time from a submitted self-assessment to the trust's figure changing, and
 * the same figures by a plain GROUP BY over the results snapshots, as a ratio to the page.
 * Ends with one line of JSON. Figures move with load: run on an otherwise idle machine.
 *
 *   npm run bench:insights -- --staff 1500000            (the national run)
 *   npm run bench:insights -- --engine pglite --staff 50000
 *   … --baseline /tmp/bench-100k.log                     (compare p95 with an earlier run's JSON)
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp } from '../src/app.js';
import { createServices, loadBundledContent, type Services } from '../src/composition.js';
import { type Config, loadConfig } from '../src/config.js';
import { demoAnswer } from '../src/demo/demo-seed.js';
import { assessmentPool } from '../src/modules/assessment/engine/adaptive-engine.js';
import {
  ARCHETYPE_CODES,
  DEFAULT_FRAMEWORK_SLUG,
  type FrameworkModel,
} from '../src/modules/framework/index.js';
import { insightsRepository } from '../src/modules/insights/insights.repository.js';
import type { Db } from '../src/platform/db/index.js';
import type { PostgresServer } from '../test/support/postgres-server.js';
import { SignedInClient } from './support/app-client.js';
import { naiveQueries, type NaiveScope, timeNaive } from './support/naive.js';
import { startBenchPostgres } from './support/postgres.js';
import {
  type LoadStep,
  loadWorkforce,
  membersWithoutResults,
  planWorkforce,
  type WorkforcePlan,
} from './support/workforce.js';

const { values: args } = parseArgs({
  options: {
    staff: { type: 'string', default: '100000' },
    engine: { type: 'string', default: 'postgres' },
    requests: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '20' },
    submits: { type: 'string', default: '5' },
    baseline: { type: 'string' },
  },
});
const STAFF = Number(args.staff);
const ENGINE = args.engine;
const REQUESTS = Number(args.requests);
const WARMUP = Number(args.warmup);
const SUBMITS = Number(args.submits);
if (!Number.isInteger(STAFF) || STAFF < 5_000) throw new Error('--staff must be 5000 or more');
if (ENGINE !== 'postgres' && ENGINE !== 'pglite')
  throw new Error('--engine must be postgres or pglite');

const PASSWORD = 'granite orchard velvet comet';
const TARGETS = {
  postgresP95Ms: 150,
  pgliteP95Ms: 300,
  growthVs100k: 2,
  submitToInsightMs: 1_000,
  nationalRunMinutes: 30,
};

const ms = (start: number) => performance.now() - start;
const round = (n: number, places = 1) => Math.round(n * 10 ** places) / 10 ** places;
const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
const median = (values: readonly number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
const log = (line = '') => {
  console.log(line);
};

async function count(db: Db, query: string): Promise<number> {
  const result = await db.execute<{ n: unknown }>(sql.raw(query));
  const { rows } = result as { rows: { n: unknown }[] };
  return Number(rows[0]?.n ?? 0);
}

function benchConfig(dataDir: string, databaseUrl: string | undefined): Config {
  return loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    SMTP_URL: 'smtp://127.0.0.1:2525',
    SESSION_SECRET: 'benchmark-session-secret-not-for-production-use',
    DEMO_DATA: 'false',
    PUBLIC_URL: 'https://digicap.bench.example',
    TRUST_PROXY: 'true',
  });
}

interface BenchAccounts {
  platformAdmin: string;
  trustAdmin: string;
  icbAdmin: string;
}

/** The people the pages are measured as, created through the accounts and organisations services. */
async function createAccounts(services: Services, plan: WorkforcePlan): Promise<BenchAccounts> {
  const { accounts, organisations } = services;
  const make = async (email: string, displayName: string) =>
    (await accounts.createConfirmedAccount({ email, displayName, password: PASSWORD })).personId;
  const platformAdmin = await make('platform.admin@bench.example.org', 'Bench Platform Admin');
  await accounts.setPlatformAdmin(platformAdmin, true);
  const trustAdmin = await make('trust.admin@bench.example.org', 'Bench Trust Admin');
  await organisations.addMembership({
    organisationId: plan.largestTrust.id,
    personId: trustAdmin,
    unitId: null,
    roles: ['admin'],
  });
  const icbAdmin = await make('icb.admin@bench.example.org', 'Bench ICB Admin');
  await organisations.addMembership({
    organisationId: plan.icb.id,
    personId: icbAdmin,
    unitId: null,
    roles: ['admin'],
  });
  return {
    platformAdmin: 'platform.admin@bench.example.org',
    trustAdmin: 'trust.admin@bench.example.org',
    icbAdmin: 'icb.admin@bench.example.org',
  };
}

interface Page {
  key: string;
  label: string;
  url: string;
  as: keyof BenchAccounts;
  naive: NaiveScope;
  by?: 'profession' | 'unit';
}

function pages(plan: WorkforcePlan): Page[] {
  const trust = plan.largestTrust.id;
  const icb = plan.icb.id;
  const unit = plan.fortyUnit.id;
  return [
    {
      key: 'national',
      label: 'national',
      url: '/insights',
      as: 'platformAdmin',
      naive: { kind: 'national' },
    },
    {
      key: 'nationalByProfession',
      label: 'national, by profession',
      url: '/insights?by=profession',
      as: 'platformAdmin',
      naive: { kind: 'national' },
      by: 'profession',
    },
    {
      key: 'icb',
      label: 'ICB (shared)',
      url: `/organisations/${icb}/insights/shared`,
      as: 'icbAdmin',
      naive: { kind: 'icb', organisationId: icb },
    },
    {
      key: 'icbByProfession',
      label: 'ICB, by profession',
      url: `/organisations/${icb}/insights/shared?by=profession`,
      as: 'icbAdmin',
      naive: { kind: 'icb', organisationId: icb },
      by: 'profession',
    },
    {
      key: 'trust',
      label: 'large trust',
      url: `/organisations/${trust}/insights`,
      as: 'trustAdmin',
      naive: { kind: 'organisation', organisationId: trust },
    },
    {
      key: 'trustByProfession',
      label: 'large trust, by profession',
      url: `/organisations/${trust}/insights?by=profession`,
      as: 'trustAdmin',
      naive: { kind: 'organisation', organisationId: trust },
      by: 'profession',
    },
    {
      key: 'trustByUnit',
      label: 'large trust, by unit',
      url: `/organisations/${trust}/insights?by=unit`,
      as: 'trustAdmin',
      naive: { kind: 'organisation', organisationId: trust },
      by: 'unit',
    },
    {
      key: 'unit',
      label: `unit of ${String(plan.fortyUnit.direct)}`,
      url: `/organisations/${trust}/insights?unit=${unit}`,
      as: 'trustAdmin',
      naive: { kind: 'unit', unitId: unit },
    },
    {
      key: 'unitByProfession',
      label: `unit of ${String(plan.fortyUnit.direct)}, by profession`,
      url: `/organisations/${trust}/insights?unit=${unit}&by=profession`,
      as: 'trustAdmin',
      naive: { kind: 'unit', unitId: unit },
      by: 'profession',
    },
  ];
}

/** The trust's unrounded "people with results" count, as the read model holds it. */
async function trustPeople(services: Services, trustId: string): Promise<number> {
  const [ids, rows] = await Promise.all([
    insightsRepository.allMetricIds(services.database.read),
    insightsRepository.cubeRows(services.database.read, {
      scopeIds: [trustId],
      periods: ['now'],
      profession: '*',
      setting: '*',
      archetype: '*',
    }),
  ]);
  const id = ids.get('people');
  return id === undefined ? 0 : (rows[0]?.counts[id - 1] ?? 0);
}

/** Submits a self-assessment through the assessment service and waits for the worker to count it. */
async function submitToInsight(
  app: FastifyInstance,
  framework: FrameworkModel,
  trustId: string,
): Promise<{ ms: number[]; submitMs: number[] }> {
  const services = app.services;
  const people = await membersWithoutResults(services.database.db, trustId, SUBMITS);
  const out: number[] = [];
  const submitMs: number[] = [];
  for (const [i, person] of people.entries()) {
    const archetypes = ARCHETYPE_CODES.filter((c) => person.archetypeCodes.includes(c));
    const pool = assessmentPool(framework.data, archetypes);
    const answers = new Map<string, string>();
    for (const area of pool.areas)
      for (const id of area.statementIds) {
        const s = pool.statements.get(id);
        if (s) answers.set(id, demoAnswer((i + area.targetLevel) % 4, s.level));
      }
    const before = await trustPeople(services, trustId);
    // Off the worker's poll phase: each submission lands at a different point of its interval.
    await sleep(137 * (i + 1));
    const start = performance.now();
    await services.assessments.recordCompletedAssessment(person.personId, {
      mode: 'full',
      archetypeCodes: archetypes,
      answers,
      submittedAt: new Date(),
    });
    const committed = performance.now();
    submitMs.push(committed - start);
    let seen = false;
    while (performance.now() - committed < 10_000) {
      if ((await trustPeople(services, trustId)) !== before) {
        seen = true;
        break;
      }
      await sleep(5);
    }
    out.push(seen ? performance.now() - committed : Number.POSITIVE_INFINITY);
  }
  return { ms: out, submitMs };
}

function baselineP95(file: string | undefined): Record<string, number> | undefined {
  if (!file) return undefined;
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  for (const line of lines.reverse()) {
    if (!line.startsWith('{')) continue;
    const parsed = JSON.parse(line) as { p95Ms?: Record<string, number> };
    if (parsed.p95Ms) return parsed.p95Ms;
  }
  throw new Error(`no JSON line with p95Ms in ${file}`);
}

function printPlan(plan: WorkforcePlan) {
  const byType = new Map<string, { n: number; staff: number }>();
  for (const o of plan.organisations) {
    const t = byType.get(o.type) ?? { n: 0, staff: 0 };
    t.n += 1;
    t.staff += o.staff;
    byType.set(o.type, t);
  }
  const units = plan.organisations.reduce((n, o) => n + o.units.length, 0);
  log(
    `  ${String(plan.organisations.length)} organisations (${[...byType].map(([t, v]) => `${String(v.n)} ${t} with ${v.staff.toLocaleString('en-GB')} staff`).join(', ')}), ${units.toLocaleString('en-GB')} units`,
  );
  const trusts = plan.organisations.filter((o) => o.type === 'trust').map((o) => o.staff);
  log(
    `  trusts ${String(Math.min(...trusts))} to ${String(Math.max(...trusts))} staff; largest: ${plan.largestTrust.name} (${plan.largestTrust.staff.toLocaleString('en-GB')} staff, ${String(plan.largestTrust.units.length)} units)`,
  );
  log(
    `  ICB view: ${plan.icb.name} with ${String(plan.shares.get(plan.icb.id)?.length ?? 0)} organisations sharing; unit view: ${plan.fortyUnit.name} (${String(plan.fortyUnit.direct)} staff, 4 deep)`,
  );
}

async function main(): Promise<void> {
  const runStart = performance.now();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'digicap-bench-insights-'));
  let server: PostgresServer | undefined;
  let app: FastifyInstance | undefined;
  let services: Services | undefined;
  const cleanup = async () => {
    await app?.close().catch(() => undefined);
    await services?.database.close().catch(() => undefined);
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  const onSignal = () => {
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    log(`digicap insights benchmark: ${STAFF.toLocaleString('en-GB')} staff on ${ENGINE}`);
    const [loadBefore = 0] = os.loadavg();
    log(
      `  load average ${loadBefore.toFixed(2)} on ${String(os.cpus().length)} cores${loadBefore > 0.5 ? ' (not idle: figures will be slower)' : ''}`,
    );
    if (ENGINE === 'postgres') {
      server = await startBenchPostgres();
      log(`  PostgreSQL server in ${server.dir}`);
    }
    const config = benchConfig(dataDir, server?.url);
    services = await createServices(config, pino({ level: 'silent' }));
    await loadBundledContent(config, services);
    const framework = await services.frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);

    const plan = planWorkforce(STAFF);
    printPlan(plan);

    log('\nLoad (bulk statements; the triggers queue everyone)');
    const loadStart = performance.now();
    const steps: LoadStep[] = await loadWorkforce(services.database.db, plan, framework, {
      concurrency: ENGINE === 'postgres' ? 2 : 1,
      onStep: (s) => {
        log(
          `  ${s.step.padEnd(44)} ${s.rows.toLocaleString('en-GB').padStart(11)} rows ${(s.ms / 1000).toFixed(1).padStart(7)} s`,
        );
      },
    });
    const accounts = await createAccounts(services, plan);
    const loadSeconds = ms(loadStart) / 1000;
    const db = services.database.db;
    const queued = await count(db, 'select count(*) as n from insights_queue');
    log(
      `  loaded in ${loadSeconds.toFixed(1)} s; ${queued.toLocaleString('en-GB')} entries queued`,
    );

    log('\nRead model build (readModel.rebuild)');
    const buildStart = performance.now();
    let lastReport = performance.now();
    const built = await services.readModel.rebuild({
      onProgress: (done, total) => {
        if (performance.now() - lastReport < 15_000) return;
        lastReport = performance.now();
        log(
          `  ${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} people (${String(Math.round(done / (ms(buildStart) / 1000)))}/s)`,
        );
      },
    });
    const buildSeconds = ms(buildStart) / 1000;
    const [cubeRows, peopleRows, left] = await Promise.all([
      count(db, 'select count(*) as n from insights_cube'),
      count(db, 'select count(*) as n from insights_people'),
      count(db, 'select count(*) as n from insights_queue'),
    ]);
    log(
      `  ${built.people.toLocaleString('en-GB')} people in ${buildSeconds.toFixed(1)} s (${String(Math.round(built.people / buildSeconds))}/s): ${cubeRows.toLocaleString('en-GB')} cube rows, ${peopleRows.toLocaleString('en-GB')} contributions, ${String(left)} left in the queue`,
    );
    if (services.database.kind === 'postgres') {
      const sized = await db.execute<{ relname: string; size: string }>(
        sql.raw(`select relname, pg_size_pretty(pg_total_relation_size(oid)) as size from pg_class
          where relname in ('insights_cube','insights_people','assessments','assessment_answers','people','memberships')
          order by pg_total_relation_size(oid) desc`),
      );
      const sizes = sized as { rows: { relname: string; size: string }[] };
      log(`  sizes: ${sizes.rows.map((r) => `${r.relname} ${r.size}`).join(', ')}`);
      // A server's autovacuum would have cleared the queue's processed rows and set the
      // visibility map by now; this one has it off for the load.
      await db.execute(sql`vacuum analyze`);
      if (process.env.BENCH_HOLD) {
        // For profiling by hand: keep the loaded server until interrupted.
        log(`  holding the loaded server at ${server?.url ?? ''} (Ctrl-C ends)`);
        await new Promise(() => undefined);
      }
    }
    await services.database.close();
    services = undefined;

    log('\nPages (production app over app.inject, signed in; insights worker running)');
    app = await buildApp(config, { logger: false });
    const clients = {
      platformAdmin: await SignedInClient.signIn(app, accounts.platformAdmin, PASSWORD),
      trustAdmin: await SignedInClient.signIn(app, accounts.trustAdmin, PASSWORD),
      icbAdmin: await SignedInClient.signIn(app, accounts.icbAdmin, PASSWORD),
    };
    const list = pages(plan);
    const p50Ms: Record<string, number> = {};
    const p95Ms: Record<string, number> = {};
    const bytes: Record<string, number> = {};
    for (const page of list) {
      const client = clients[page.as];
      const first = await client.get(page.url);
      if (first.status !== 200) throw new Error(`${page.url} answered ${String(first.status)}`);
      bytes[page.key] = first.bytes;
      for (let i = 0; i < WARMUP; i++) await client.get(page.url);
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const r = await client.get(page.url);
        if (r.status !== 200) throw new Error(`${page.url} answered ${String(r.status)}`);
        times.push(r.ms);
      }
      times.sort((a, b) => a - b);
      p50Ms[page.key] = round(percentile(times, 50));
      p95Ms[page.key] = round(percentile(times, 95));
      log(
        `  ${page.label.padEnd(34)} p50 ${String(p50Ms[page.key]).padStart(7)} ms  p95 ${String(p95Ms[page.key]).padStart(7)} ms  (${String(Math.round(first.bytes / 1024))} KiB)`,
      );
    }

    log('\nSubmit to insight (assessment service → trigger → worker → trust figure)');
    const submits = await submitToInsight(app, framework, plan.largestTrust.id);
    const submitToInsightMs = round(Math.max(...submits.ms));
    log(
      `  ${submits.ms.map((t) => `${String(Math.round(t))} ms`).join(', ')} (submit itself ${submits.submitMs.map((t) => String(Math.round(t))).join(', ')} ms); worst ${String(Math.round(submitToInsightMs))} ms`,
    );

    log('\nThe same figures by a plain GROUP BY over the results snapshots');
    // Up to 5 runs each, fewer when a run is slow (at least one; about 20 s a page at most).
    const naiveMs: Record<string, number> = {};
    const naiveRatio: Record<string, number> = {};
    const childUnitIds = plan.largestTrust.units.filter((u) => u.depth === 0).map((u) => u.id);
    const focusArea = framework.areas[0]?.code ?? '1';
    for (const page of list) {
      const queries = naiveQueries(page.naive, page.by, { focusArea, childUnitIds });
      const times = await timeNaive(app.services.database.read, queries, 5, 20_000);
      naiveMs[page.key] = round(median(times));
      naiveRatio[page.key] = round((naiveMs[page.key] ?? 0) / (p50Ms[page.key] ?? 1), 1);
      log(
        `  ${page.label.padEnd(34)} ${String(naiveMs[page.key]).padStart(9)} ms  = ${String(naiveRatio[page.key])} × the page's p50`,
      );
    }

    const totalMinutes = ms(runStart) / 60_000;
    const [loadAfter = 0] = os.loadavg();
    const limit = ENGINE === 'postgres' ? TARGETS.postgresP95Ms : TARGETS.pgliteP95Ms;
    const worst = Math.max(...Object.values(p95Ms));
    const baseline = baselineP95(args.baseline);
    const growth = baseline
      ? Object.fromEntries(
          Object.entries(p95Ms).map(([k, v]) => [k, round(v / (baseline[k] ?? v), 2)]),
        )
      : undefined;
    log('\nTargets');
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    log(
      `  every page p95 < ${String(limit)} ms: worst ${String(worst)} ms — ${verdict(worst < limit)}`,
    );
    if (growth) {
      const most = Math.max(...Object.values(growth));
      log(
        `  every page p95 within ${String(TARGETS.growthVs100k)}× of the baseline run: worst ${String(most)}× — ${verdict(most <= TARGETS.growthVs100k)}`,
      );
    }
    log(
      `  submit to insight < ${String(TARGETS.submitToInsightMs)} ms: worst ${String(Math.round(submitToInsightMs))} ms — ${verdict(submitToInsightMs < TARGETS.submitToInsightMs)}`,
    );
    log(
      `  whole run < ${String(TARGETS.nationalRunMinutes)} minutes: ${totalMinutes.toFixed(1)} min — ${verdict(totalMinutes < TARGETS.nationalRunMinutes)}`,
    );
    log(
      JSON.stringify({
        staff: STAFF,
        engine: ENGINE,
        organisations: plan.organisations.length,
        units: plan.organisations.reduce((n, o) => n + o.units.length, 0),
        largestTrustStaff: plan.largestTrust.staff,
        icbMembers: plan.shares.get(plan.icb.id)?.length ?? 0,
        unitStaff: plan.fortyUnit.direct,
        requests: REQUESTS,
        p50Ms,
        p95Ms,
        pageBytes: bytes,
        naiveMs,
        naiveRatio,
        submitToInsightMs,
        submitToInsightTrialsMs: submits.ms.map((t) => round(t)),
        loadSeconds: round(loadSeconds),
        loadSteps: Object.fromEntries(steps.map((s) => [s.step, round(s.ms / 1000)])),
        buildSeconds: round(buildSeconds),
        builtPeople: built.people,
        cubeRows,
        ...(growth ? { p95GrowthVsBaseline: growth } : {}),
        totalMinutes: round(totalMinutes, 2),
        loadAverage: { start: round(loadBefore, 2), end: round(loadAfter, 2) },
      }),
    );
  } finally {
    await cleanup();
  }
}

await main();
