/**
 * Roster import at organisation scale: a 5,000-person roster file (the largest allowed) uploaded
 * to a new organisation on the embedded database (or the PostgreSQL server in DATABASE_URL),
 * through the real services with the development outbox as the mailer. Prints the time to check
 * and write the whole file, the time to import the same file again (which must change nothing
 * and send nothing), a file with one bad line among 5,000 (rejected whole), and memory. Figures
 * move with load: run on an idle machine. Its last line is JSON.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createServices, loadBundledContent } from '../src/composition.js';
import { loadConfig } from '../src/config.js';
import type { OutboxMailer } from '../src/platform/mail/index.js';

const PEOPLE = 5_000;
const UNITS = [
  'Medicine > Cardiology > Ward 5',
  'Medicine > Respiratory',
  'Surgery > Theatres',
  'Allied Health > Physiotherapy',
  'Allied Health > Dietetics',
  'Pharmacy',
  'Digital and Data > Business Intelligence',
  'Community > District Nursing > North',
];
const PROFESSIONS = ['nurse', 'doctor', 'physiotherapist', 'pharmacist', 'data-analyst', ''];

function rosterCsv(badLine?: number): string {
  const lines = ['email,name,profession,unit path,role'];
  for (let i = 1; i <= PEOPLE; i += 1) {
    const email = badLine === i + 1 ? 'not-an-email' : `person${String(i)}@bench.example.org`;
    const role = i % 50 === 0 ? 'line manager' : 'member';
    lines.push(
      `${email},Person ${String(i)},${PROFESSIONS[i % PROFESSIONS.length] ?? ''},${UNITS[i % UNITS.length] ?? ''},${role}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const ms = (start: number) => Math.round(performance.now() - start);
const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'digicap-bench-roster-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  });
  const services = await createServices(config, pino({ level: 'silent' }));
  try {
    await loadBundledContent(config, services); // professions come from the framework
    const { accounts, organisations, invitations } = services;
    const { personId } = await accounts.createConfirmedAccount({
      email: 'bench.admin@bench.example.org',
      displayName: 'Bench Admin',
      password: 'granite orchard velvet comet',
    });
    await accounts.setPlatformAdmin(personId, true);
    const actor = await organisations.actorFor(personId);
    const organisation = await organisations.createOrganisation(actor, {
      name: `Benchmark Trust ${String(Date.now())}`,
      type: 'trust',
      odsCode: null,
    });
    // Count every email sent (the outbox itself keeps only the latest few hundred).
    const outbox = services.mailer as OutboxMailer;
    const send = outbox.send.bind(outbox);
    let sent = 0;
    outbox.send = (message) => {
      sent += 1;
      return send(message);
    };
    const csv = rosterCsv();
    const rssBefore = process.memoryUsage().rss;

    let start = performance.now();
    const first = await invitations.importRoster(actor, organisation.id, csv);
    const firstMs = ms(start);
    const emailsAfterFirst = sent;

    start = performance.now();
    const second = await invitations.importRoster(actor, organisation.id, csv);
    const secondMs = ms(start);
    const emailsAfterSecond = sent;

    start = performance.now();
    let rejectedProblems = 0;
    try {
      await invitations.importRoster(actor, organisation.id, rosterCsv(2_501));
    } catch (error) {
      rejectedProblems = (error as { problems?: unknown[] }).problems?.length ?? -1;
    }
    const rejectedMs = ms(start);
    const rssAfter = process.memoryUsage().rss;

    const summary = {
      database: services.database.kind,
      people: PEOPLE,
      firstImport: { ms: firstMs, ...first, unitsCreated: first.unitsCreated.length },
      emailsSent: emailsAfterFirst,
      reimport: { ms: secondMs, ...second, unitsCreated: second.unitsCreated.length },
      emailsSentByReimport: emailsAfterSecond - emailsAfterFirst,
      oneBadLine: { ms: rejectedMs, problems: rejectedProblems },
      rssMiB: { before: mib(rssBefore), after: mib(rssAfter) },
    };
    console.log('digicap roster import benchmark');
    console.log(
      `  ${String(PEOPLE)} people on ${summary.database}: first import ${String(firstMs)} ms (${String(first.invited)} invited, ${String(first.unitsCreated.length)} units created, ${String(emailsAfterFirst)} emails)`,
    );
    console.log(
      `  same file again: ${String(secondMs)} ms (${String(second.unchanged)} unchanged, ${String(summary.emailsSentByReimport)} emails)`,
    );
    console.log(
      `  one bad line in ${String(PEOPLE)}: rejected whole in ${String(rejectedMs)} ms (${String(rejectedProblems)} problem)`,
    );
    console.log(
      `  resident memory ${String(summary.rssMiB.before)} → ${String(summary.rssMiB.after)} MiB`,
    );
    console.log(JSON.stringify(summary));
  } finally {
    await services.database.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
