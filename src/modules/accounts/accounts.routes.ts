/**
 * Register, confirm email, sign in, sign out, account. Thin: parse, call the service, redirect
 * (303) or re-render with errors. Every form carries the session's CSRF token (checked for all
 * POSTs in platform/session.ts); passwords are never rendered back into a form.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { InvalidInputError } from '../../platform/errors.js';
import {
  errorMessageFor,
  type FieldError,
  safeReturnTo,
  values as formValues,
} from '../../platform/forms.js';
import {
  errorSummaryArgs,
  personIdOf,
  renderPage,
  signedInOnly,
  signedInPersonId,
} from '../../platform/pages.js';
import {
  parseChangePasswordForm,
  parseEmailOnlyForm,
  parseNewPasswordForm,
  parseRegisterForm,
  parseSignInForm,
} from './accounts.forms.js';
import {
  fullNameArgs,
  NEW_PASSWORD_HINT,
  newAccountPasswordArgs,
  passwordArgs,
} from './accounts.presenter.js';
import {
  type AccountsService,
  EmailNotConfirmedError,
  FieldProblemError,
  InvalidCredentialsError,
  TooManyAttemptsError,
} from './accounts.service.js';
import { describeProfile, type ProfileService } from './profile.service.js';

const hide = { schema: { hide: true } };

/** Arguments for the NHS.UK input macro: an email field. */
function emailArgs(
  value: string | undefined,
  errors: FieldError[],
  autocomplete: string,
  hint?: string,
) {
  return {
    id: 'email',
    name: 'email',
    type: 'email',
    label: { text: 'Email address' },
    hint: hint ? { text: hint } : undefined,
    autocomplete,
    spellcheck: false,
    value,
    errorMessage: errorMessageFor(errors, 'email'),
  };
}

function registerView(values: { displayName?: string; email?: string }, errors: FieldError[]) {
  return {
    pageTitle: 'Create an account',
    errorSummaryArgs: errorSummaryArgs(errors),
    nameArgs: fullNameArgs(values.displayName, errors),
    emailArgs: emailArgs(
      values.email,
      errors,
      'email',
      'We will send you a link to confirm it. Use your work email if you have one.',
    ),
    passwordArgs: newAccountPasswordArgs(errors),
  };
}

function signInView(
  values: { email?: string },
  errors: FieldError[],
  notice?: string,
  returnTo?: string,
) {
  return {
    pageTitle: 'Sign in',
    notice,
    returnTo,
    errorSummaryArgs: errorSummaryArgs(errors),
    emailArgs: emailArgs(values.email, errors, 'username'),
    passwordArgs: passwordArgs('password', 'Password', errors, 'current-password'),
  };
}

/** Single sign-on, when configured: the sign-in page offers it and /account names it. */
export interface AccountRouteOptions {
  sso?: { displayName: string; issuer: string } | undefined;
}

export function registerAccountRoutes(
  app: FastifyInstance,
  accounts: AccountsService,
  profiles: ProfileService,
  options: AccountRouteOptions = {},
): void {
  const { sso } = options;
  /** The sign-in page, with a "Sign in with <provider>" button when SSO is configured. */
  const signInPage = (...args: Parameters<typeof signInView>) => {
    const returnTo = args[3];
    return {
      ...signInView(...args),
      ssoButtonArgs: sso && {
        text: `Sign in with ${sso.displayName}`,
        href: returnTo ? `/sign-in/sso?returnTo=${encodeURIComponent(returnTo)}` : '/sign-in/sso',
      },
    };
  };
  /** How a person signs in, for /account: a password, the SSO provider, or both. */
  const signInMethods = (hasPassword: boolean, identities: { issuer: string }[]) => {
    const named = identities.map((i) =>
      sso && i.issuer === sso.issuer ? sso.displayName : `single sign-on (${i.issuer})`,
    );
    const methods = [
      ...(hasPassword ? ['your email address and password'] : []),
      ...new Set(named),
    ];
    return methods.length > 0 ? `With ${methods.join(' or ')}` : 'No way to sign in is set up';
  };
  app.get('/register', hide, (_request, reply) =>
    renderPage(reply, 'accounts/views/register.njk', registerView({}, [])),
  );

  app.post('/register', hide, async (request, reply) => {
    const { values, errors } = parseRegisterForm(request.body);
    if (errors.length > 0)
      return renderPage(reply, 'accounts/views/register.njk', registerView(values, errors), 422);
    try {
      await accounts.register({ ...values, ip: request.ip });
    } catch (error) {
      if (error instanceof TooManyAttemptsError) {
        reply.header('retry-after', String(error.retryAfterSeconds));
        const view = registerView(values, [{ field: 'email', text: error.message }]);
        return renderPage(reply, 'accounts/views/register.njk', view, 429);
      }
      if (!(error instanceof FieldProblemError)) throw error;
      const fieldErrors = [{ field: error.field, text: error.message }];
      return renderPage(
        reply,
        'accounts/views/register.njk',
        registerView(values, fieldErrors),
        422,
      );
    }
    return reply.redirect('/register/check-your-email', 303);
  });

  app.get('/register/check-your-email', hide, (_request, reply) =>
    renderPage(reply, 'accounts/views/check-email.njk', { pageTitle: 'Check your email' }),
  );

  app.get<{ Params: { token: string } }>('/confirm-email/:token', hide, (request, reply) =>
    renderPage(reply, 'accounts/views/confirm-email.njk', {
      pageTitle: 'Confirm your email address',
      action: `/confirm-email/${encodeURIComponent(request.params.token)}`,
    }),
  );

  app.post<{ Params: { token: string } }>('/confirm-email/:token', hide, async (request, reply) => {
    try {
      await accounts.confirmEmail(request.params.token);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      return renderPage(
        reply,
        'accounts/views/link-problem.njk',
        { pageTitle: 'This link does not work', message: error.message },
        400,
      );
    }
    return reply.redirect('/sign-in?confirmed=1', 303);
  });

  app.get<{ Querystring: { confirmed?: string; reset?: string; returnTo?: string } }>(
    '/sign-in',
    hide,
    (request, reply) => {
      const returnTo = safeReturnTo(request.query.returnTo);
      if (signedInPersonId(request)) return reply.redirect(returnTo ?? '/account', 303);
      const notice =
        request.query.confirmed === '1'
          ? 'Your email address is confirmed. Sign in to continue.'
          : request.query.reset === '1'
            ? 'Your password has been changed, and you have been signed out everywhere. Sign in with your new password.'
            : undefined;
      return renderPage(reply, 'accounts/views/sign-in.njk', signInPage({}, [], notice, returnTo));
    },
  );

  app.post('/sign-in', hide, async (request, reply) => {
    const { values, errors } = parseSignInForm(request.body);
    const returnTo = safeReturnTo((request.body as Record<string, unknown> | undefined)?.returnTo);
    if (errors.length > 0)
      return renderPage(
        reply,
        'accounts/views/sign-in.njk',
        signInPage(values, errors, undefined, returnTo),
        422,
      );
    try {
      const person = await accounts.signIn({ ...values, ip: request.ip });
      // A new session id at sign-in: a session fixed before sign-in is worthless after it.
      await request.session.regenerate();
      request.session.personId = person.personId;
      request.session.displayName = person.displayName;
      return await reply.redirect(returnTo ?? '/account', 303);
    } catch (error) {
      if (error instanceof TooManyAttemptsError)
        reply.header('retry-after', String(error.retryAfterSeconds));
      if (
        error instanceof InvalidCredentialsError ||
        error instanceof EmailNotConfirmedError ||
        error instanceof TooManyAttemptsError
      ) {
        const view = signInPage(
          values,
          [{ field: 'email', text: error.message }],
          undefined,
          returnTo,
        );
        return renderPage(reply, 'accounts/views/sign-in.njk', view, error.statusCode);
      }
      throw error;
    }
  });

  const forgottenView = (email: string, errors: FieldError[]) => ({
    pageTitle: 'Reset your password',
    errorSummaryArgs: errorSummaryArgs(errors),
    emailArgs: emailArgs(
      email,
      errors,
      'email',
      'If it has a digicap account, we will email it a link to choose a new password.',
    ),
  });

  app.get('/forgotten-password', hide, (_request, reply) =>
    renderPage(reply, 'accounts/views/forgotten-password.njk', forgottenView('', [])),
  );

  app.post('/forgotten-password', hide, async (request, reply) => {
    const { values, errors } = parseEmailOnlyForm(request.body);
    if (errors.length > 0)
      return renderPage(
        reply,
        'accounts/views/forgotten-password.njk',
        forgottenView(values.email, errors),
        422,
      );
    try {
      await accounts.requestPasswordReset({ email: values.email, ip: request.ip });
    } catch (error) {
      if (!(error instanceof TooManyAttemptsError)) throw error;
      reply.header('retry-after', String(error.retryAfterSeconds));
      const view = forgottenView(values.email, [{ field: 'email', text: error.message }]);
      return renderPage(reply, 'accounts/views/forgotten-password.njk', view, 429);
    }
    return reply.redirect('/forgotten-password/check-your-email', 303);
  });

  app.get('/forgotten-password/check-your-email', hide, (_request, reply) =>
    renderPage(reply, 'accounts/views/reset-check-email.njk', { pageTitle: 'Check your email' }),
  );

  const resetView = (token: string, errors: FieldError[]) => ({
    pageTitle: 'Choose a new password',
    errorSummaryArgs: errorSummaryArgs(errors),
    action: `/reset-password/${encodeURIComponent(token)}`,
    passwordArgs: passwordArgs(
      'password',
      'New password',
      errors,
      'new-password',
      NEW_PASSWORD_HINT,
    ),
  });
  const linkProblem = (reply: FastifyReply, message: string) =>
    renderPage(
      reply,
      'accounts/views/link-problem.njk',
      { pageTitle: 'This link does not work', message, retryHref: '/forgotten-password' },
      400,
    );

  app.get<{ Params: { token: string } }>('/reset-password/:token', hide, async (request, reply) => {
    if (!(await accounts.resetLinkWorks(request.params.token))) {
      return linkProblem(
        reply,
        'This link has expired or has already been used. Ask for a new one.',
      );
    }
    return renderPage(
      reply,
      'accounts/views/reset-password.njk',
      resetView(request.params.token, []),
    );
  });

  app.post<{ Params: { token: string } }>(
    '/reset-password/:token',
    hide,
    async (request, reply) => {
      const { values, errors } = parseNewPasswordForm(request.body);
      if (errors.length > 0)
        return renderPage(
          reply,
          'accounts/views/reset-password.njk',
          resetView(request.params.token, errors),
          422,
        );
      try {
        await accounts.resetPassword(request.params.token, values.password);
      } catch (error) {
        if (error instanceof FieldProblemError) {
          const view = resetView(request.params.token, [
            { field: 'password', text: error.message },
          ]);
          return renderPage(reply, 'accounts/views/reset-password.njk', view, 422);
        }
        if (error instanceof InvalidInputError) return linkProblem(reply, error.message);
        throw error;
      }
      // Every session of the person has ended, this browser's too.
      await request.session.destroy();
      return reply.redirect('/sign-in?reset=1', 303);
    },
  );

  const changeView = (errors: FieldError[]) => ({
    pageTitle: 'Change your password',
    errorSummaryArgs: errorSummaryArgs(errors),
    currentArgs: passwordArgs('currentPassword', 'Current password', errors, 'current-password'),
    newArgs: passwordArgs('newPassword', 'New password', errors, 'new-password', NEW_PASSWORD_HINT),
  });

  app.get('/account/password', signedInOnly, async (request, reply) => {
    const person = await accounts.findPerson(personIdOf(request));
    if (person && !person.hasPassword)
      return renderPage(reply, 'accounts/views/no-password.njk', {
        pageTitle: 'Your account has no password',
        providerName: sso?.displayName ?? 'single sign-on',
      });
    return renderPage(reply, 'accounts/views/change-password.njk', changeView([]));
  });

  app.post('/account/password', signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const { values, errors } = parseChangePasswordForm(request.body);
    if (errors.length > 0)
      return renderPage(reply, 'accounts/views/change-password.njk', changeView(errors), 422);
    try {
      await accounts.changePassword({
        personId,
        ...values,
        currentSessionId: request.session.sessionId,
      });
    } catch (error) {
      if (!(error instanceof FieldProblemError)) throw error;
      return renderPage(
        reply,
        'accounts/views/change-password.njk',
        changeView([{ field: error.field, text: error.message }]),
        422,
      );
    }
    return reply.redirect('/account?changed=1', 303);
  });

  app.get('/account/download', signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const data = await accounts.exportPersonalData(personId, request.ip);
    const day = data.exportedAt.slice(0, 10);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="digicap-my-data-${day}.json"`)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  });

  /** People with a password type it to confirm; people who only use SSO tick a box instead. */
  const deleteView = (errors: FieldError[], hasPassword = true) => ({
    pageTitle: 'Delete your account',
    errorSummaryArgs: errorSummaryArgs(errors),
    passwordArgs: hasPassword
      ? passwordArgs('password', 'Enter your password to confirm', errors, 'current-password')
      : undefined,
    understoodArgs: hasPassword
      ? undefined
      : {
          idPrefix: 'understood',
          name: 'understood',
          fieldset: {
            legend: { text: 'Confirm you want to delete your account', size: 's' },
          },
          items: [{ value: 'yes', text: 'I understand this cannot be undone' }],
          errorMessage: errorMessageFor(errors, 'understood'),
        },
  });

  app.get('/account/delete', signedInOnly, async (request, reply) => {
    const person = await accounts.findPerson(personIdOf(request));
    return renderPage(
      reply,
      'accounts/views/delete-account.njk',
      deleteView([], person?.hasPassword),
    );
  });

  app.post('/account/delete', signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const person = await accounts.findPerson(personId);
    const hasPassword = person?.hasPassword ?? true;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const { values, errors } = parseNewPasswordForm(request.body);
    const understood = formValues(body.understood).includes('yes');
    const confirmErrors = hasPassword
      ? errors.map((e) => ({ ...e, text: 'Enter your password to confirm' }))
      : understood
        ? []
        : [
            {
              field: 'understood',
              text: 'Confirm that you understand deleting your account cannot be undone',
            },
          ];
    if (confirmErrors.length > 0)
      return renderPage(
        reply,
        'accounts/views/delete-account.njk',
        deleteView(confirmErrors, hasPassword),
        422,
      );
    try {
      await accounts.deleteAccount({
        personId,
        password: hasPassword ? values.password : undefined,
        understood,
        ip: request.ip,
      });
    } catch (error) {
      if (!(error instanceof FieldProblemError)) throw error;
      return renderPage(
        reply,
        'accounts/views/delete-account.njk',
        deleteView([{ field: error.field, text: error.message }], hasPassword),
        422,
      );
    }
    await request.session.destroy();
    return reply.redirect('/account-deleted', 303);
  });

  app.get('/account-deleted', hide, (_request, reply) =>
    renderPage(reply, 'accounts/views/account-deleted.njk', {
      pageTitle: 'Your account has been deleted',
    }),
  );

  app.get('/privacy', hide, (_request, reply) =>
    renderPage(reply, 'accounts/views/privacy.njk', { pageTitle: 'Privacy notice' }),
  );
  app.get('/cookies', hide, (_request, reply) =>
    renderPage(reply, 'accounts/views/cookies.njk', { pageTitle: 'Cookies' }),
  );

  app.post('/sign-out-everywhere', hide, async (request, reply) => {
    const personId = signedInPersonId(request);
    if (personId) await accounts.signOutEverywhere(personId);
    await request.session.destroy();
    return reply.redirect('/', 303);
  });

  app.get('/sign-out', hide, (request, reply) => {
    if (!signedInPersonId(request)) return reply.redirect('/', 303);
    return renderPage(reply, 'accounts/views/sign-out.njk', { pageTitle: 'Sign out' });
  });

  app.post('/sign-out', hide, async (request, reply) => {
    const personId = signedInPersonId(request);
    if (personId) await accounts.signedOut(personId, request.ip);
    await request.session.destroy();
    return reply.redirect('/', 303);
  });

  app.get<{ Querystring: { changed?: string; profile?: string } }>(
    '/account',
    signedInOnly,
    async (request, reply) => {
      const personId = personIdOf(request);
      const [person, profile, choices, identities] = await Promise.all([
        accounts.findPerson(personId),
        profiles.getProfile(personId),
        profiles.choices(),
        accounts.listIdentities(personId),
      ]);
      if (!person || !profile) {
        await request.session.destroy();
        return reply.redirect('/sign-in', 303);
      }
      const described = describeProfile(profile, choices);
      const notChosen = 'Not chosen yet';
      return renderPage(reply, 'accounts/views/account.njk', {
        pageTitle: 'Your account',
        notice:
          request.query.changed === '1'
            ? 'Your password has been changed. You have been signed out on your other devices.'
            : request.query.profile === '1'
              ? 'Your profile has been saved.'
              : undefined,
        summaryListArgs: {
          rows: [
            { key: { text: 'Name' }, value: { text: person.displayName } },
            { key: { text: 'Email address' }, value: { text: person.email } },
            {
              key: { text: 'How you sign in' },
              value: { text: signInMethods(person.hasPassword, identities) },
            },
          ],
        },
        hasPassword: person.hasPassword,
        profileListArgs: {
          rows: [
            { key: { text: 'Profession' }, value: { text: described.profession ?? notChosen } },
            {
              key: { text: 'Where you work' },
              value: { text: described.workSetting ?? notChosen },
            },
            {
              key: { text: 'Archetypes' },
              value: {
                text: described.archetypes.length > 0 ? described.archetypes.join(', ') : notChosen,
              },
            },
          ],
        },
      });
    },
  );
}
