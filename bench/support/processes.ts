/** Child server processes for the benchmark: free ports, start, wait until ready, stop. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { getRaw } from './http.js';

/** A port that was free on `host` a moment ago (the OS picked it). */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not find a free port'));
        return;
      }
      const { port } = address;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

export interface StartOptions {
  name: string;
  /** Arguments for `node` (the script and its flags). */
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  host: string;
  port: number;
  /** Polled until it answers 200. */
  readyPath: string;
  readyTimeoutMs: number;
}

export interface ServerProcess {
  name: string;
  origin: string;
  pid: number | undefined;
  /** Non-empty lines the child wrote to stdout or stderr so far. */
  logLineCount(): number;
  /** The last part of what the child wrote, for error messages. */
  outputTail(): string;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Synchronous SIGKILL, for process 'exit' handlers. */
  killNow(): void;
}

const TAIL_CHARS = 8_000;

export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let tail = '';
  let lines = 0;
  const collect = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    lines += text.split('\n').filter((line) => line.trim() !== '').length;
    tail = (tail + text).slice(-TAIL_CHARS);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  let exitInfo: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = signal === null ? `exit code ${code ?? '?'}` : `signal ${signal}`;
      resolve();
    });
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });

  const origin = `http://${options.host}:${options.port}`;
  const server: ServerProcess = {
    name: options.name,
    origin,
    pid: child.pid,
    logLineCount: () => lines,
    outputTail: () => tail,
    async stop(graceMs = 10_000) {
      if (exitInfo !== undefined || child.pid === undefined) return;
      child.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(graceMs, false)]);
      if (!done) {
        child.kill('SIGKILL');
        await exited;
      }
    },
    killNow() {
      if (exitInfo === undefined && child.pid !== undefined) child.kill('SIGKILL');
    },
  };

  const deadline = Date.now() + options.readyTimeoutMs;
  for (;;) {
    if (spawnError) throw new Error(`${options.name} could not be started: ${spawnError.message}`);
    if (exitInfo !== undefined) {
      throw new Error(
        `${options.name} exited before it was ready (${exitInfo}). Its output:\n${tail || '(none)'}`,
      );
    }
    try {
      const response = await getRaw(`${origin}${options.readyPath}`, {}, 1_000);
      if (response.status === 200) return server;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await server.stop(2_000);
      throw new Error(
        `${options.name} did not answer GET ${options.readyPath} with 200 within ${options.readyTimeoutMs} ms. Its output:\n${tail || '(none)'}`,
      );
    }
    await sleep(100);
  }
}
