/**
 * Test factory for validated levels, made the way the pages make them: the person joins a new
 * organisation whose educator they ask (through the validation service), and the educator
 * confirms the level. For tests of the pages that show validated levels beside the person's own
 * (results, exports, comparisons, portfolio); the validation journey itself has its own tests.
 */
import type { Services } from '../../src/composition.js';
import { makeOrganisationWithAdmin, makePerson } from './organisations.js';

/**
 * Validates `level` in `areaCode` (an area of the framework's latest version) for the person, by
 * a new educator named `validatorName` (Morgan Reid unless given). Returns the level as the
 * validation service now reports it, with the educator's name and the time it was confirmed.
 */
export async function makeValidatedLevel(
  services: Pick<Services, 'database' | 'organisations' | 'validation'>,
  personId: string,
  options: { areaCode: string; level: number; validatorName?: string },
) {
  const { database, organisations, validation } = services;
  const { organisation } = await makeOrganisationWithAdmin(services);
  const validatorId = await makePerson(database, options.validatorName ?? 'Morgan Reid');
  const join = (who: string, roles: ('member' | 'educator')[]) =>
    organisations.addMembership({
      organisationId: organisation.id,
      personId: who,
      unitId: null,
      roles,
    });
  await join(personId, ['member']);
  await join(validatorId, ['educator']);
  const { requestId } = await validation.ask(personId, {
    areaCode: options.areaCode,
    claimedLevel: options.level,
    validatorPersonId: validatorId,
    message: '',
    evidenceIds: [],
  });
  await validation.decide(validatorId, requestId, { outcome: 'validated', comment: null });
  const validated = (await validation.validatedLevels(personId)).find(
    (v) => v.areaCode === options.areaCode,
  );
  if (!validated) throw new Error('the level was not validated');
  return validated;
}
