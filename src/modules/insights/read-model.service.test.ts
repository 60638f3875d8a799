/**
 * The insights read model on PGlite and PostgreSQL: triggers queue people, the worker applies
 * "new minus old" to the counts, moving unit and erasing an account are reflected exactly, and
 * the incrementally kept counts equal a rebuild from scratch.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSubmittedAssessment } from '../../../test/support/assessments.js';
import { makeOrganisationWithAdmin, makePerson } from '../../../test/support/organisations.js';
import { buildTestApp } from '../../../test/support/test-app.js';
import { at } from './at.js';
import { NATIONAL_SCOPE } from './contribution.js';

let app: FastifyInstance;
let orgId: string;
let medicine: string;
let cardiology: string;
let physio: string;
const people: string[] = [];
let adminId: string;

type Row = {
  scope_id: string;
  period: string;
  profession: string;
  setting: string;
  archetype: string;
  counts: number[];
};

async function cube(): Promise<Map<string, number[]>> {
  const result = await app.services.database.db.execute<Row>(
    sql`select scope_id, period, profession, setting, archetype, counts from insights_cube`,
  );
  const out = new Map<string, number[]>();
  for (const r of (result as { rows: Row[] }).rows) {
    const counts = (Array.isArray(r.counts) ? r.counts : []).map(Number);
    while (counts.length > 0 && counts.at(-1) === 0) counts.pop();
    if (counts.every((n) => n === 0)) continue;
    out.set(`${r.scope_id}|${r.period}|${r.profession}|${r.setting}|${r.archetype}`, counts);
  }
  return out;
}

async function metric(scopeId: string, name: string, period = 'now'): Promise<number> {
  const result = await app.services.database.db.execute<{ n: number | string }>(sql`
    select coalesce(c.counts[m.id], 0) as n from insights_cube c, insights_metrics m
    where c.scope_id = ${scopeId} and c.period = ${period} and m.name = ${name}
      and c.profession = '*' and c.setting = '*' and c.archetype = '*'`);
  return Number((result as { rows: { n: number | string }[] }).rows[0]?.n ?? 0);
}

/** Sum over a unit scope's rows (unit scopes have no roll-ups). */
async function unitMetric(scopeId: string, name: string): Promise<number> {
  const result = await app.services.database.db.execute<{ n: number | string }>(sql`
    select coalesce(sum(coalesce(c.counts[m.id], 0)), 0) as n from insights_cube c, insights_metrics m
    where c.scope_id = ${scopeId} and c.period = 'now' and m.name = ${name}`);
  return Number((result as { rows: { n: number | string }[] }).rows[0]?.n ?? 0);
}

beforeAll(async () => {
  app = await buildTestApp();
  const {
    organisation,
    admin,
    adminId: adminPerson,
  } = await makeOrganisationWithAdmin(app.services);
  orgId = organisation.id;
  adminId = adminPerson;
  const units = app.services.organisations;
  medicine = (await units.addUnit(admin, orgId, { name: 'Medicine', parentId: null })).id;
  cardiology = (await units.addUnit(admin, orgId, { name: 'Cardiology', parentId: medicine })).id;
  physio = (await units.addUnit(admin, orgId, { name: 'Physiotherapy', parentId: null })).id;
  for (let i = 0; i < 12; i++) {
    const id = await makePerson(app.services.database, `Learner ${String(i)}`);
    people.push(id);
    await app.services.organisations.addMembership({
      organisationId: orgId,
      personId: id,
      unitId: i < 9 ? cardiology : physio,
      roles: ['member'],
    });
    if (i < 10)
      await makeSubmittedAssessment(app.services, id, {
        defaultLevel: i % 3,
        archetypeCodes: ['U'],
        submittedAt: new Date(Date.UTC(2026, i < 5 ? 1 : 4, 10)),
      });
  }
  await app.services.readModel.processQueue();
}, 120_000);

afterAll(async () => {
  await app.close();
});

describe('the insights read model', () => {
  it('counts members and results in every scope above them', async () => {
    // 12 learners and the organisation admin are members.
    expect(await metric(orgId, 'member')).toBe(13);
    expect(await metric(NATIONAL_SCOPE, 'member')).toBe(13);
    expect(await metric(orgId, 'people')).toBe(10);
    expect(await unitMetric(medicine, 'people')).toBe(9);
    expect(await unitMetric(cardiology, 'member')).toBe(9);
    expect(await unitMetric(physio, 'people')).toBe(1);
    expect(await app.services.readModel.queueLength()).toBe(0);
  });

  it('records each quarter’s changes so that a quarter’s state is their running sum', async () => {
    expect(await metric(orgId, 'people', 'q2026-1')).toBe(5);
    expect(await metric(orgId, 'people', 'q2026-2')).toBe(5);
    expect(await metric(orgId, 'flow', 'q2026-2')).toBe(5);
  });

  it('moves a person’s figures with them when they change unit', async () => {
    const { organisationsRepository } = await import('../organisations/index.js');
    const membership = await organisationsRepository.findMembership(
      app.services.database.db,
      orgId,
      at(people, 0),
    );
    if (!membership) throw new Error('the first learner has no membership');
    await app.services.organisations.changeMember(
      await app.services.organisations.actorFor(adminId),
      orgId,
      membership.id,
      { unitId: physio, roles: ['member'] },
    );
    expect(await app.services.readModel.queueLength()).toBeGreaterThan(0);
    await app.services.readModel.processQueue();
    expect(await unitMetric(cardiology, 'people')).toBe(8);
    expect(await unitMetric(medicine, 'people')).toBe(8);
    expect(await unitMetric(physio, 'people')).toBe(2);
    expect(await metric(orgId, 'people')).toBe(10);
  });

  it('takes an erased account’s figures away in the same transaction, leaving no trace', async () => {
    const person = at(people, 1);
    await app.services.accounts.deleteAccount({
      personId: person,
      understood: true,
      ip: '127.0.0.1',
    });
    // Before the worker runs again: the erasure itself removed the figures.
    expect(await metric(orgId, 'people')).toBe(9);
    expect(await metric(NATIONAL_SCOPE, 'member')).toBe(12);
    const stored = await app.services.database.db.execute<{ n: number | string }>(
      sql`select count(*) as n from insights_people where person_id = ${person}`,
    );
    expect(Number((stored as { rows: { n: number | string }[] }).rows[0]?.n)).toBe(0);
    await app.services.readModel.processQueue();
    expect(await metric(orgId, 'people')).toBe(9);
  });

  it('keeps exactly the counts a rebuild from scratch gives', async () => {
    const kept = await cube();
    await app.services.database.db.execute(sql`delete from insights_cube`);
    await app.services.database.db.execute(sql`delete from insights_people`);
    await app.services.readModel.queueEveryone();
    await app.services.readModel.processQueue();
    expect(await cube()).toEqual(kept);
  });

  it('keeps the people and member columns equal to their counts in every row', async () => {
    const result = await app.services.database.db.execute<{ n: number | string }>(sql`
      select count(*) as n from insights_cube c
      where c.people <> coalesce(c.counts[(select id from insights_metrics where name = 'people')], 0)
         or c.members <> coalesce(c.counts[(select id from insights_metrics where name = 'member')], 0)`);
    const total = await app.services.database.db.execute<{ n: number | string }>(
      sql`select count(*) as n from insights_cube where people > 0 and members > 0`,
    );
    expect(Number((result as { rows: { n: number | string }[] }).rows[0]?.n)).toBe(0);
    expect(Number((total as { rows: { n: number | string }[] }).rows[0]?.n)).toBeGreaterThan(0);
    // Rows an older worker left out of step are put back, and only those.
    await app.services.database.db.execute(
      sql`update insights_cube set people = 0, members = 0 where scope_id = ${orgId}`,
    );
    const fixed = await app.services.readModel.repairSizeColumns();
    expect(fixed).toBeGreaterThan(0);
    expect(await app.services.readModel.repairSizeColumns()).toBe(0);
  });
});
