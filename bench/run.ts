/**
 * `npm run bench`: speed and size figures for the built app, printed, never asserted.
 *
 * Starts the built app (node dist/server.js, production, fresh PGlite folder) and a bare Fastify
 * server as two child processes on free loopback ports, loads each target with autocannon from
 * this process (so servers and load generator never share an event loop), measures the
 * first-visit transfer of a domain page, and prints a table and the targets. Then runs the other
 * benchmarks (FOLLOW_ON: the roster import, recommendations) one after the other, passing their
 * output on, and ends with one line of JSON holding this run's figures and theirs. Exit code 0
 * when every run worked, even if a target is missed; non-zero when one did not.
 */
import { randomBytes } from 'node:crypto';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRaw } from './support/http.js';
import { measure, type LoadResult, type LoadSettings } from './support/load.js';
import { freePort, startServer, type ServerProcess } from './support/processes.js';
import { firstVisitTransfer, type FirstVisit } from './support/transfer.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOST = '127.0.0.1';
const FRAMEWORK = '/frameworks/ai-digital-healthcare';
const DOMAIN_PAGE = `${FRAMEWORK}/domains/5`;

/** What a browser sends; every target is measured this way, app pages also without it. */
const BROWSER_HEADERS = { 'accept-encoding': 'gzip, deflate, br' };

const SETTINGS: LoadSettings = {
  connections: 10,
  pipelining: 1,
  warmupSeconds: 2,
  durationSeconds: 8,
  timeoutSeconds: 10,
};

const TARGETS = {
  domainPageRatio: 0.2,
  firstVisitBytes: 60 * 1024,
};

interface Target {
  key: 'bare' | 'home' | 'domain' | 'search' | 'searchMiss';
  label: string;
  server: 'bare' | 'app';
  path: string;
  /** A different path for every request, so each one misses the page cache. */
  varyPath?: (n: number) => string;
}

const LOAD_TARGETS: Target[] = [
  { key: 'bare', label: 'bare Fastify route', server: 'bare', path: '/' },
  { key: 'home', label: 'home page', server: 'app', path: '/' },
  { key: 'domain', label: 'domain page', server: 'app', path: DOMAIN_PAGE },
  {
    key: 'search',
    label: 'filtered search',
    server: 'app',
    path: `${FRAMEWORK}/statements?q=data&archetype=C&level=3`,
  },
  {
    // "data -x<n>" finds the same statements as "data" but is a new page every time: full-text
    // search, presenting, rendering and compressing run on every request.
    key: 'searchMiss',
    label: 'search, cache miss',
    server: 'app',
    path: `${FRAMEWORK}/statements?q=data+-x0&archetype=C&level=3`,
    varyPath: (n) => `${FRAMEWORK}/statements?q=data+-x${n}&archetype=C&level=3`,
  },
];

/** The benchmarks run after this one (bench/<name>), whose JSON joins this one's last line. */
const FOLLOW_ON = ['roster.ts', 'recommend.ts'];

// Everything that must be undone however the run ends.
const children: ServerProcess[] = [];
let dataDir: string | undefined;
let followOnChild: ChildProcess | undefined;

let cleaning: Promise<void> | undefined;

/** Stop both servers and delete the data folder; safe to call more than once. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    followOnChild?.kill('SIGTERM');
    await Promise.all(children.map((child) => child.stop()));
    if (dataDir !== undefined) {
      await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
      dataDir = undefined;
    }
  })();
  return cleaning;
}

// Last resort if the process exits before cleaning up (process.exit elsewhere, a crash).
process.on('exit', () => {
  followOnChild?.kill('SIGKILL');
  for (const child of children) child.killNow();
  if (dataDir === undefined) return;
  try {
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
  } catch (error) {
    process.stderr.write(`Could not remove ${dataDir}: ${String(error)}\n`);
  }
});
// `on`, not `once`: Ctrl-C reaches us more than once (the terminal, npm and tsx each pass it on),
// and tsx exits a process at once on a signal it has no listener for, skipping the clean-up.
let interrupted = false;
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping the servers and removing the data folder\n`);
    cleanUp().then(
      () => process.exit(code),
      (error: unknown) => {
        process.stderr.write(`Cleaning up failed: ${String(error)}\n`);
        process.exit(code);
      },
    );
  });
}

function log(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function gitCommit(): string | undefined {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT })
      .toString()
      .trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain'], { cwd: ROOT }).toString().trim() !== '';
    return dirty ? `${commit}+uncommitted` : commit;
  } catch {
    return undefined;
  }
}

const integer = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-GB', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const twoDecimals = new Intl.NumberFormat('en-GB', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const percent = new Intl.NumberFormat('en-GB', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

function table(headers: string[], rows: string[][], rightAligned: boolean[]): string[] {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const format = (cells: string[]): string =>
    cells
      .map((cell, i) => {
        const width = widths[i] ?? 0;
        return rightAligned[i] ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [format(headers), format(widths.map((width) => '-'.repeat(width))), ...rows.map(format)];
}

const percentOrUnknown = (value: number | undefined): string =>
  value === undefined ? '?' : percent.format(value);
const round = (value: number, places = 2): number => Number(value.toFixed(places));

/** Fail before loading anything if a page does not answer 200 with HTML. */
async function checkTarget(origin: string, target: Target): Promise<void> {
  const response = await getRaw(`${origin}${target.path}`, { accept: 'text/html' });
  if (response.status !== 200) {
    throw new Error(`${target.label} (GET ${target.path}) answered ${response.status}, not 200`);
  }
  if (target.server === 'app' && !String(response.headers['content-type']).includes('text/html')) {
    throw new Error(`${target.label} (GET ${target.path}) did not answer with HTML`);
  }
}

async function main(): Promise<number> {
  const serverFile = path.join(ROOT, 'dist', 'server.js');
  if (!existsSync(serverFile)) {
    throw new Error(`${serverFile} is missing: run npm run build (npm run bench does)`);
  }
  const cpus = os.cpus();
  const environment = {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpuCount: cpus.length,
    availableParallelism: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemoryMiB: Math.round(os.totalmem() / 1024 / 1024),
    gitCommit: gitCommit(),
  };
  log('digicap benchmark');
  log(
    `  ${environment.node} on ${environment.platform}, ${environment.cpuCount} CPUs (${environment.cpuModel}), ${integer.format(environment.totalMemoryMiB)} MiB`,
  );
  if (environment.gitCommit) log(`  commit ${environment.gitCommit}`);
  log();

  dataDir = await mkdtemp(path.join(os.tmpdir(), 'digicap-bench-'));
  const [appPort, barePort] = [await freePort(HOST), await freePort(HOST)];
  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(appPort),
    HOST,
    DATA_DIR: dataDir,
    NODE_ENV: 'production',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    // Production requires SMTP; the benchmark sends no email, so nothing listens here.
    SMTP_URL: 'smtp://127.0.0.1:1',
    LOG_LEVEL: 'warn',
  };
  delete appEnv.DATABASE_URL; // always the embedded PGlite database in the fresh folder

  let started = Date.now();
  const app = await startServer({
    name: 'the app (node dist/server.js)',
    args: [serverFile],
    cwd: ROOT,
    env: appEnv,
    host: HOST,
    port: appPort,
    readyPath: '/health',
    readyTimeoutMs: 60_000,
  });
  children.push(app);
  log(`started the app on ${app.origin} (pid ${app.pid ?? '?'}) in ${Date.now() - started} ms`);
  log(`  NODE_ENV=production LOG_LEVEL=warn, PGlite in a fresh folder ${dataDir}`);

  started = Date.now();
  const bare = await startServer({
    name: 'the bare Fastify server (bench/bare-server.ts)',
    args: ['--import', 'tsx', path.join(ROOT, 'bench', 'bare-server.ts')],
    cwd: ROOT,
    env: { ...process.env, PORT: String(barePort), HOST },
    host: HOST,
    port: barePort,
    readyPath: '/',
    readyTimeoutMs: 15_000,
  });
  children.push(bare);
  log(
    `started the bare Fastify server on ${bare.origin} (pid ${bare.pid ?? '?'}) in ${Date.now() - started} ms`,
  );
  log();

  const originOf = (target: Target): string => (target.server === 'app' ? app.origin : bare.origin);
  for (const target of LOAD_TARGETS) await checkTarget(originOf(target), target);

  // First-visit transfer, on the cold app before any load.
  const firstVisit: FirstVisit = await firstVisitTransfer(app.origin, DOMAIN_PAGE, 'br, gzip');

  log(
    `load: autocannon in the parent process, ${SETTINGS.connections} connections, pipelining ${SETTINGS.pipelining},`,
  );
  log(
    `  ${SETTINGS.warmupSeconds} s warm-up (discarded) then ${SETTINGS.durationSeconds} s measured per target, one target at a time`,
  );
  log(
    `  each target is requested as a browser does (Accept-Encoding: ${BROWSER_HEADERS['accept-encoding']}),`,
  );
  log('  and each app page again without Accept-Encoding (uncompressed) for comparison');
  log(
    "  latency percentiles are taken from every response time, not from autocannon's 1 ms histogram",
  );
  for (const target of LOAD_TARGETS) {
    log(`  ${target.label.padEnd(18)} GET ${originOf(target)}${target.path}`);
  }
  log();

  const results = {} as Record<Target['key'], LoadResult>;
  const plain = {} as Partial<Record<Target['key'], LoadResult>>;
  for (const target of LOAD_TARGETS) {
    log(`measuring ${target.label}…`);
    results[target.key] = await measure(
      `${originOf(target)}${target.path}`,
      SETTINGS,
      BROWSER_HEADERS,
      target.varyPath,
      (target.server === 'app' ? app : bare).pid,
    );
    if (target.server === 'app' && !target.varyPath) {
      plain[target.key] = await measure(`${originOf(target)}${target.path}`, SETTINGS);
    }
  }
  const appLogLines = app.logLineCount();
  const appLogTail = app.outputTail();
  const bareLogLines = bare.logLineCount();
  await cleanUp();
  log('stopped both servers and removed the data folder');
  log();

  const ratio = (key: Target['key']): number => results[key].rps / results.bare.rps;
  /** Bare route's server CPU per request ÷ this target's: the throughput ratio if the server were the limit. */
  const cpuRatio = (key: Target['key']): number | undefined => {
    const bareCost = results.bare.serverCpuUsPerRequest;
    const cost = results[key].serverCpuUsPerRequest;
    return bareCost === undefined || cost === undefined || cost === 0 ? undefined : bareCost / cost;
  };
  const rows = LOAD_TARGETS.map((target) => {
    const r = results[target.key];
    return [
      target.label,
      oneDecimal.format(r.rps),
      twoDecimals.format(r.latencyP50Ms),
      twoDecimals.format(r.latencyP99Ms),
      integer.format(r.requests),
      integer.format(r.non2xx),
      integer.format(r.errors),
      `${integer.format(r.bytesPerSecond / 1024)} KiB/s`,
      target.key === 'bare' ? '100%' : percent.format(ratio(target.key)),
      plain[target.key] ? oneDecimal.format(plain[target.key]?.rps ?? 0) : '',
      plain[target.key] ? percent.format((plain[target.key]?.rps ?? 0) / results.bare.rps) : '',
      r.serverCpuUsPerRequest === undefined ? '?' : oneDecimal.format(r.serverCpuUsPerRequest),
      target.key === 'bare' ? '100%' : percentOrUnknown(cpuRatio(target.key)),
    ];
  });
  for (const line of table(
    [
      'target',
      'req/s',
      'p50 ms',
      'p99 ms',
      'requests',
      'non-2xx',
      'errors',
      'on the wire',
      'vs bare',
      'req/s uncompressed',
      'vs bare',
      'server CPU µs/req',
      'vs bare',
    ],
    rows,
    [false, true, true, true, true, true, true, true, true, true, true, true, true],
  )) {
    log(line);
  }
  log();

  log(
    `first visit to ${DOMAIN_PAGE} (empty cache, Accept-Encoding: ${firstVisit.acceptEncoding}; fonts and images not counted)`,
  );
  for (const line of table(
    ['item', 'path', 'encoding', 'bytes on wire', 'decoded bytes'],
    [
      ...firstVisit.items.map((item) => [
        item.kind,
        item.path,
        item.encoding,
        integer.format(item.wireBytes),
        integer.format(item.decodedBytes),
      ]),
      [
        'total',
        '',
        '',
        integer.format(firstVisit.totalWireBytes),
        integer.format(firstVisit.totalDecodedBytes),
      ],
    ],
    [false, false, false, true, true],
  )) {
    log(`  ${line}`);
  }
  if (firstVisit.crossOrigin.length > 0) {
    log(`  not counted (other origins): ${firstVisit.crossOrigin.join(', ')}`);
  }
  log();

  const domainPageRatio = ratio('domain');
  const firstVisitBytes = firstVisit.totalWireBytes;
  const met = {
    domainPageRatio: domainPageRatio >= TARGETS.domainPageRatio,
    firstVisitBytes: firstVisitBytes <= TARGETS.firstVisitBytes,
  };
  const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT MET');
  log(
    '  server CPU µs/req: CPU time of the app (or bare) server process per measured request; its',
  );
  log(
    "  'vs bare' is the throughput ratio the pages would reach if the server, not the load generator",
  );
  log('  sharing the machine, were the limit.');
  log();
  log('targets');
  log(
    `  domain page throughput >= ${percent.format(TARGETS.domainPageRatio)} of the bare route: ${percent.format(domainPageRatio)} (${oneDecimal.format(results.domain.rps)} / ${oneDecimal.format(results.bare.rps)} req/s): ${verdict(met.domainPageRatio)}`,
  );
  log(
    `  first-visit transfer <= ${integer.format(TARGETS.firstVisitBytes / 1024)} KB (${integer.format(TARGETS.firstVisitBytes)} bytes): ${integer.format(firstVisitBytes)} bytes (${oneDecimal.format(firstVisitBytes / 1024)} KB): ${verdict(met.firstVisitBytes)}`,
  );
  log(
    `  app log lines at warn or above during the run: ${appLogLines}; bare server: ${bareLogLines}`,
  );
  log();

  const problems = LOAD_TARGETS.filter((target) => {
    const r = results[target.key];
    const p = plain[target.key];
    return (
      r.non2xx > 0 ||
      r.errors > 0 ||
      r.responses2xx === 0 ||
      (p !== undefined && (p.non2xx > 0 || p.errors > 0))
    );
  }).map((target) => {
    const r = results[target.key];
    return `${target.label} (GET ${target.path}): ${r.non2xx} non-2xx responses ${JSON.stringify(r.statusCodes)}, ${r.errors} connection errors (${r.timeouts} timeouts), ${r.responses2xx} 2xx`;
  });

  const summary = {
    ok: problems.length === 0,
    domainPageRatio: round(domainPageRatio, 4),
    domainPageCpuRatio: round(cpuRatio('domain') ?? Number.NaN, 4),
    serverCpuUsPerRequest: Object.fromEntries(
      LOAD_TARGETS.map((t) => [
        t.key,
        round(results[t.key].serverCpuUsPerRequest ?? Number.NaN, 1),
      ]),
    ),
    firstVisitBytes,
    targetsMet: met,
    targets: {
      domainPageRatioAtLeast: TARGETS.domainPageRatio,
      firstVisitBytesAtMost: TARGETS.firstVisitBytes,
    },
    ratios: {
      home: round(ratio('home'), 4),
      domain: round(domainPageRatio, 4),
      search: round(ratio('search'), 4),
      searchCacheMiss: round(ratio('searchMiss'), 4),
    },
    load: Object.fromEntries(
      LOAD_TARGETS.map((target) => {
        const r = results[target.key];
        return [
          target.key,
          {
            path: target.path,
            rps: round(r.rps),
            latencyP50Ms: round(r.latencyP50Ms, 3),
            latencyP99Ms: round(r.latencyP99Ms, 3),
            latencyMeanMs: round(r.latencyMeanMs, 3),
            latencyMaxMs: round(r.latencyMaxMs, 3),
            requests: r.requests,
            responses2xx: r.responses2xx,
            non2xx: r.non2xx,
            errors: r.errors,
            timeouts: r.timeouts,
            statusCodes: r.statusCodes,
            wireBytesPerSecond: Math.round(r.bytesPerSecond),
            durationSeconds: r.durationSeconds,
          },
        ];
      }),
    ),
    firstVisit: {
      page: DOMAIN_PAGE,
      acceptEncoding: firstVisit.acceptEncoding,
      totalWireBytes: firstVisit.totalWireBytes,
      totalDecodedBytes: firstVisit.totalDecodedBytes,
      items: firstVisit.items,
      notCountedCrossOrigin: firstVisit.crossOrigin,
    },
    uncompressed: Object.fromEntries(
      LOAD_TARGETS.filter((target) => plain[target.key]).map((target) => {
        const r = plain[target.key];
        return [
          target.key,
          {
            rps: round(r?.rps ?? 0),
            ratio: round((r?.rps ?? 0) / results.bare.rps, 4),
            latencyP50Ms: round(r?.latencyP50Ms ?? 0, 3),
            latencyP99Ms: round(r?.latencyP99Ms ?? 0, 3),
            non2xx: r?.non2xx ?? 0,
            errors: r?.errors ?? 0,
          },
        ];
      }),
    ),
    settings: {
      ...SETTINGS,
      loadGenerator: 'autocannon (parent process)',
      requestHeaders: BROWSER_HEADERS,
    },
    appLogLines,
    environment,
    ...(problems.length > 0 ? { problems } : {}),
  };

  if (problems.length > 0) {
    process.stderr.write(
      `\nThe run is not valid: some responses were not 2xx or failed.\n  ${problems.join('\n  ')}\nThe app's last output:\n${appLogTail || '(none)'}\n`,
    );
  }
  if (problems.length > 0) {
    log(JSON.stringify(summary));
    return 1;
  }
  // The other benchmarks, each in its own process; their JSON lines join this one's, so that
  // the last line of `npm run bench` stays one JSON object with every figure.
  const followOn: Record<string, unknown> = {};
  const failed: string[] = [];
  for (const script of FOLLOW_ON) {
    log();
    const result = await runFollowOn(script);
    if (result.figures) Object.assign(followOn, result.figures);
    if (!result.ok) failed.push(`bench/${script}: ${result.problem}`);
  }
  log(
    JSON.stringify({
      ...summary,
      ...followOn,
      ok: failed.length === 0,
      ...(failed.length > 0 ? { problems: failed } : {}),
    }),
  );
  return failed.length > 0 ? 1 : 0;
}

/**
 * Runs `bench/<script>` (with tsx) and passes its output on, except its last line: the JSON
 * figures it ends with, which are returned to be merged into the final line.
 */
function runFollowOn(
  script: string,
): Promise<{ ok: boolean; figures?: Record<string, unknown>; problem?: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', script)], {
      cwd: ROOT,
      env: process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    followOnChild = child;
    let last = '';
    let partial = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        if (last !== '') log(last);
        last = line;
      }
    });
    child.on('close', (code) => {
      followOnChild = undefined;
      if (partial.trim() !== '') {
        if (last !== '') log(last);
        last = partial;
      }
      let figures: Record<string, unknown> | undefined;
      try {
        const parsed: unknown = JSON.parse(last);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
          figures = parsed as Record<string, unknown>;
      } catch {
        figures = undefined;
      }
      if (!figures) log(last);
      if (code === 0 && figures) resolve({ ok: true, figures });
      else
        resolve({
          ok: false,
          ...(figures ? { figures } : {}),
          problem: figures
            ? `exited with code ${String(code)}`
            : `did not end with a line of JSON (exit code ${String(code)})`,
        });
    });
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    process.stderr.write(
      `\nThe benchmark could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    try {
      await cleanUp();
    } catch (cleanUpError) {
      process.stderr.write(`Cleaning up failed too: ${String(cleanUpError)}\n`);
    }
    log(
      JSON.stringify({
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    process.exitCode = 1;
  },
);
