/**
 * Static files. Our built CSS and JS (dist/public, names fingerprinted by scripts/build.mjs) are
 * served from /static with a year-long immutable cache; nhsuk-frontend's images and icons from
 * /assets with a day's cache, as their names do not change with their content.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

export type AssetManifest = Record<string, string>;

export function publicDir(config: Config): string {
  return path.join(config.rootDir, 'dist', 'public');
}

export function nhsukDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('nhsuk-frontend/package.json')), 'dist', 'nhsuk');
}

/** Logical name (app.css) → URL of the fingerprinted file. */
export function loadAssetManifest(config: Config): (name: string) => string {
  const file = path.join(publicDir(config), 'manifest.json');
  if (!existsSync(file)) {
    if (config.isProduction)
      throw new Error(`Built assets are missing (${file}): run npm run build`);
    return (name) => `/static/${name}`;
  }
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as AssetManifest;
  return (name) => {
    const built = manifest[name];
    if (!built) throw new Error(`No built asset called ${name}`);
    return `/static/${built}`;
  };
}

export async function registerAssets(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(fastifyStatic, {
    root: publicDir(config),
    prefix: '/static/',
    // Pre-compressed .br/.gz siblings written by the build are sent when the browser accepts them.
    preCompressed: true,
    immutable: true,
    maxAge: '365d',
    index: false,
    allowedPath: (pathName) => !pathName.endsWith('manifest.json'),
  });
  await app.register(fastifyStatic, {
    root: path.join(nhsukDir(), 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    maxAge: '1d',
    index: false,
  });
}
