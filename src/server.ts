/** Entry point: load configuration, build the app, listen; close gracefully on SIGTERM/SIGINT. */
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { ContentError } from './modules/framework/index.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await buildApp(config);
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an uncaught error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
  });
  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    {
      database: app.services.database.kind,
      dataDir: config.databaseUrl ? undefined : config.dataDir,
    },
    `digicap is ready on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof ContentError) {
    process.stderr.write(`digicap could not start.\n${error.message}\n`);
  } else {
    process.stderr.write(
      `digicap could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
