/**
 * "Your learning preferences": formats, the longest a resource should take, free only. The
 * signed-in person's own, nobody else's (there is no person in the address). Thin: parse →
 * service → redirect, or the form again with errors (422).
 */
import type { FastifyInstance } from 'fastify';
import { personIdOf, renderPage, signedInOnly } from '../../platform/pages.js';
import { parsePreferencesForm } from './preferences.forms.js';
import {
  formValuesOf,
  MY_LEARNING_PATH,
  PREFERENCES_PATH,
  preferencesPage,
} from './preferences.presenter.js';
import { PreferencesFieldError, type PreferencesService } from './preferences.service.js';

const VIEW = 'learning/views/learning/preferences.njk';

export function registerPreferencesRoutes(
  app: FastifyInstance,
  preferences: PreferencesService,
): void {
  app.get(PREFERENCES_PATH, signedInOnly, async (request, reply) => {
    const saved = await preferences.get(personIdOf(request));
    return renderPage(reply, VIEW, preferencesPage(formValuesOf(saved)));
  });

  app.post(PREFERENCES_PATH, signedInOnly, async (request, reply) => {
    const parsed = parsePreferencesForm(request.body);
    if (parsed.errors.length > 0)
      return renderPage(reply, VIEW, preferencesPage(parsed.values, parsed.errors), 422);
    try {
      await preferences.save(personIdOf(request), parsed.preferences, request.ip);
    } catch (error) {
      if (!(error instanceof PreferencesFieldError)) throw error;
      return renderPage(reply, VIEW, preferencesPage(parsed.values, error.errors), 422);
    }
    return reply.redirect(`${MY_LEARNING_PATH}?done=preferences`, 303);
  });
}
