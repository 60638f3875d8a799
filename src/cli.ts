/**
 * Command line for installation administrators (after `npm run build`):
 *
 *   node dist/cli.js platform-admin grant <email>    make an existing account a platform admin
 *   node dist/cli.js platform-admin revoke <email>   stop it being one
 *   node dist/cli.js platform-admin list             list platform admins
 *   node dist/cli.js send-reminders                  send the plan reminders due now, once
 *                                                    (for cron; the server also sends them)
 *   node dist/cli.js insights-repair                 put the insights cube's size columns back
 *                                                    in step (after a rolling upgrade to 0009)
 *
 * It reads the same configuration as the server (DATABASE_URL or DATA_DIR), so run it where the
 * server runs. Every change is written to the audit log.
 */
import pino from 'pino';
import { createServices } from './composition.js';
import { ConfigError, loadConfig } from './config.js';

const USAGE = `Usage:
  node dist/cli.js platform-admin grant <email>
  node dist/cli.js platform-admin revoke <email>
  node dist/cli.js platform-admin list
  node dist/cli.js send-reminders
  node dist/cli.js insights-repair`;

/**
 * Sends the development plan reminders due now, once. Each reminder goes once however often this
 * runs, and alongside the servers' own scheduled job (the plan_reminders ledger). Exit code 1
 * when some could not be sent (they are tried again next time).
 */
async function sendReminders(
  env: Record<string, string | undefined>,
): Promise<{ code: number; output: string }> {
  const config = loadConfig(env);
  if (!config.mail.smtpUrl && !config.isProduction && config.nodeEnv !== 'test')
    return {
      code: 1,
      output:
        'No SMTP server is configured (SMTP_URL), so reminders would be marked sent without reaching anyone. Set SMTP_URL, or let the server send them to its outbox at /dev/outbox.',
    };
  const services = await createServices(config, pino({ level: 'warn' }));
  try {
    const { sent, failed, skipped } = await services.reminders.run();
    return {
      code: failed > 0 ? 1 : 0,
      output: `Reminders sent: ${String(sent)}. Not sent, to be tried again: ${String(failed)}. Taken by another instance: ${String(skipped)}.`,
    };
  } finally {
    await services.database.close();
  }
}

/** Puts the insights cube's people/members columns back in step with its counts. */
async function repairInsights(
  env: Record<string, string | undefined>,
): Promise<{ code: number; output: string }> {
  const services = await createServices(loadConfig(env), pino({ level: 'warn' }));
  try {
    const fixed = await services.readModel.repairSizeColumns();
    return { code: 0, output: `Insights cube rows put back in step: ${String(fixed)}.` };
  } finally {
    await services.database.close();
  }
}

export async function runCli(
  args: string[],
  env: Record<string, string | undefined> = process.env,
): Promise<{ code: number; output: string }> {
  const [command, verb, email] = args;
  if (command === 'send-reminders')
    return args.length === 1 ? sendReminders(env) : { code: 2, output: USAGE };
  if (command === 'insights-repair')
    return args.length === 1 ? repairInsights(env) : { code: 2, output: USAGE };
  if (command !== 'platform-admin' || !verb || !['grant', 'revoke', 'list'].includes(verb))
    return { code: 2, output: USAGE };
  if (verb !== 'list' && !email) return { code: 2, output: `Give an email address.\n${USAGE}` };
  const config = loadConfig(env);
  const services = await createServices(config, pino({ level: 'warn' }));
  try {
    if (verb === 'list') {
      const admins = await services.accounts.listPlatformAdmins();
      return {
        code: 0,
        output:
          admins.length === 0
            ? 'There are no platform admins.'
            : admins.map((a) => `${a.email}\t${a.displayName}`).join('\n'),
      };
    }
    const person = await services.accounts.findPersonByEmail(email ?? '');
    if (!person)
      return {
        code: 1,
        output: `There is no account for ${email ?? ''}. The person must register (or sign in with single sign-on) first.`,
      };
    await services.accounts.setPlatformAdmin(person.id, verb === 'grant');
    return {
      code: 0,
      output:
        verb === 'grant'
          ? `${person.email} is now a platform admin.`
          : `${person.email} is no longer a platform admin.`,
    };
  } finally {
    await services.database.close();
  }
}

// Run only when executed directly (tests import runCli).
if (process.argv[1] && /cli\.(js|ts)$/.test(process.argv[1])) {
  runCli(process.argv.slice(2)).then(
    ({ code, output }) => {
      (code === 0 ? process.stdout : process.stderr).write(`${output}\n`);
      process.exit(code);
    },
    (error: unknown) => {
      process.stderr.write(
        error instanceof ConfigError
          ? `${error.message}\n`
          : `${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
