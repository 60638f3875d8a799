/** "Your profile": profession, work setting and archetypes, from the framework's lists. */
import type { FastifyInstance } from 'fastify';
import {
  codeOptions,
  errorMessageFor,
  type FieldError,
  selectItems,
} from '../../platform/forms.js';
import { errorSummaryArgs, personIdOf, renderPage, signedInOnly } from '../../platform/pages.js';
import { parseProfileForm } from './profile.forms.js';
import type { Profile, ProfileChoices, ProfileService } from './profile.service.js';

export function profilePage(profile: Profile, choices: ProfileChoices, errors: FieldError[]) {
  const options = (list: { code: string; name: string }[], selected: string | null) =>
    selectItems('Not chosen', selected, codeOptions(list));
  return {
    pageTitle: 'Your profile',
    errorSummaryArgs: errorSummaryArgs(errors),
    professionArgs: {
      id: 'professionCode',
      name: 'professionCode',
      label: { text: 'Profession', classes: 'nhsuk-label--s' },
      items: options(choices.professions, profile.professionCode),
      errorMessage: errorMessageFor(errors, 'professionCode'),
    },
    workSettingArgs: {
      id: 'workSettingCode',
      name: 'workSettingCode',
      label: { text: 'Where you work', classes: 'nhsuk-label--s' },
      items: options(choices.workSettings, profile.workSettingCode),
      errorMessage: errorMessageFor(errors, 'workSettingCode'),
    },
    archetypesArgs: {
      idPrefix: 'archetypeCodes',
      name: 'archetypeCodes',
      fieldset: {
        legend: {
          text: 'Which workforce archetypes describe your work?',
          classes: 'nhsuk-fieldset__legend--s',
        },
      },
      hint: { text: 'Choose all that apply. Most people are Users; many are also Embedders.' },
      items: choices.archetypes.map((a) => ({
        value: a.code,
        text: a.name,
        hint: { text: a.summary },
        checked: profile.archetypeCodes.includes(a.code),
      })),
      errorMessage: errorMessageFor(errors, 'archetypeCodes'),
    },
    archetypesHref: `/frameworks/${choices.frameworkSlug}/archetypes`,
  };
}

export function registerProfileRoutes(app: FastifyInstance, profiles: ProfileService): void {
  app.get('/account/profile', signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const [profile, choices] = await Promise.all([
      profiles.getProfile(personId),
      profiles.choices(),
    ]);
    if (!profile) return reply.redirect('/sign-in', 303);
    return renderPage(reply, 'accounts/views/profile.njk', profilePage(profile, choices, []));
  });

  app.post('/account/profile', signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const choices = await profiles.choices();
    const { values, errors } = parseProfileForm(request.body, choices);
    if (errors.length > 0)
      return renderPage(
        reply,
        'accounts/views/profile.njk',
        profilePage(values, choices, errors),
        422,
      );
    await profiles.updateProfile(personId, values, request.ip);
    return reply.redirect('/account?profile=1', 303);
  });
}
