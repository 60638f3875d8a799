// The benchmark's baseline: a bare Fastify server with one route returning a small text body,
// run by bench/run.ts as its own child process so it never shares an event loop with the load
// generator. Configured by PORT and HOST. (tsx only transforms this file when it loads; the
// request path is Fastify's own JavaScript from node_modules, as in dist/server.js.)
import Fastify from 'fastify';

const port = Number(process.env.PORT);
const host = process.env.HOST ?? '127.0.0.1';
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  process.stderr.write('bare-server: PORT must be a whole number from 1 to 65535\n');
  process.exit(1);
}

const app = Fastify({ logger: false });
app.get('/', () => 'hello world\n');

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

await app.listen({ port, host });
