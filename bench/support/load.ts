/** Load generation with autocannon, in this (the parent) process. */
import autocannon from 'autocannon';
import { cpuMs } from './cpu.js';

export interface LoadSettings {
  connections: number;
  pipelining: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Per-request timeout. */
  timeoutSeconds: number;
}

export interface LoadResult {
  /** Mean of the per-second request counts. */
  rps: number;
  /**
   * Latency percentiles from every response's own time (autocannon's histogram keeps whole
   * milliseconds only, which reads 0 for a fast route).
   */
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMeanMs: number;
  latencyMaxMs: number;
  requests: number;
  responses2xx: number;
  non2xx: number;
  /** Connection errors, including timeouts. */
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /**
   * The server's CPU time (user + system) per request during the measured run, in microseconds:
   * what a request costs the server, whatever limits the load generator.
   */
  serverCpuUsPerRequest: number | undefined;
  /** Mean response bytes per second, as sent (compressed when the request asked for it). */
  bytesPerSecond: number;
  durationSeconds: number;
}

interface Run {
  result: autocannon.Result;
  /** Each response's time in milliseconds, sorted ascending. */
  latencies: Float64Array;
}

/** Shared by warm-up and measurement, so a varied path never repeats (and never hits a cache). */
let pathCounter = 0;

function run(
  url: string,
  settings: LoadSettings,
  seconds: number,
  headers: Record<string, string>,
  varyPath?: (n: number) => string,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const instance = autocannon(
      {
        url,
        connections: settings.connections,
        pipelining: settings.pipelining,
        duration: seconds,
        timeout: settings.timeoutSeconds,
        headers,
        ...(varyPath
          ? {
              requests: [
                {
                  method: 'GET',
                  setupRequest: (request) => ({ ...request, path: varyPath(pathCounter++) }),
                },
              ],
            }
          : {}),
      },
      (error: unknown, result) => {
        if (error) {
          reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error }));
          return;
        }
        resolve({ result, latencies: Float64Array.from(latencies).sort() });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
  });
}

/** Nearest-rank percentile of ascending values. */
function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** Warm up (results discarded), then measure with the same settings. */
export async function measure(
  url: string,
  settings: LoadSettings,
  headers: Record<string, string> = {},
  varyPath?: (n: number) => string,
  serverPid?: number,
): Promise<LoadResult> {
  if (settings.warmupSeconds > 0)
    await run(url, settings, settings.warmupSeconds, headers, varyPath);
  const cpuBefore = cpuMs(serverPid);
  const { result, latencies } = await run(
    url,
    settings,
    settings.durationSeconds,
    headers,
    varyPath,
  );
  const cpuAfter = cpuMs(serverPid);
  const serverCpuMs =
    cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
    statusCodes[code] = stats.count ?? 0;
  }
  const sum = latencies.reduce((total, value) => total + value, 0);
  return {
    rps: result.requests.average,
    latencyP50Ms: percentile(latencies, 0.5),
    latencyP99Ms: percentile(latencies, 0.99),
    latencyMeanMs: latencies.length > 0 ? sum / latencies.length : Number.NaN,
    latencyMaxMs: latencies.at(-1) ?? Number.NaN,
    requests: result.requests.total,
    responses2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    bytesPerSecond: result.throughput.average,
    serverCpuUsPerRequest:
      serverCpuMs === undefined || result.requests.total === 0
        ? undefined
        : (serverCpuMs * 1000) / result.requests.total,
    durationSeconds: result.duration,
  };
}
