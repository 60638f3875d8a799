// Builds what `npm start` runs: the server (TypeScript → dist/server.js; the command line →
// dist/cli.js; dependencies left in node_modules) and the browser assets (Sass → CSS,
// TypeScript → JS), fingerprinted, with pre-compressed .br/.gz copies and a manifest the views
// read. Never commit dist/.
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import * as sass from 'sass';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const publicDir = path.join(dist, 'public');

const started = Date.now();
await rm(dist, { recursive: true, force: true });
await mkdir(publicDir, { recursive: true });

await esbuild.build({
  entryPoints: [path.join(root, 'src', 'server.ts'), path.join(root, 'src', 'cli.ts')],
  outdir: dist,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

const js = await esbuild.build({
  entryPoints: [path.join(root, 'src', 'assets', 'js', 'main.ts')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  write: false,
  legalComments: 'none',
  logLevel: 'warning',
});
const jsOutput = js.outputFiles[0];
if (!jsOutput) throw new Error('esbuild produced no JavaScript');

const css = sass.compile(path.join(root, 'src', 'assets', 'scss', 'main.scss'), {
  loadPaths: [path.join(root, 'node_modules')],
  style: 'compressed',
  quietDeps: true,
});

const manifest = {};
async function emit(logicalName, contents) {
  const buffer = Buffer.from(contents);
  const hash = createHash('sha256').update(buffer).digest('hex').slice(0, 10);
  const ext = path.extname(logicalName);
  const name = `${path.basename(logicalName, ext)}-${hash}${ext}`;
  const file = path.join(publicDir, name);
  await writeFile(file, buffer);
  await writeFile(
    `${file}.br`,
    brotliCompressSync(buffer, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
  );
  await writeFile(`${file}.gz`, gzipSync(buffer, { level: 9 }));
  manifest[logicalName] = name;
  return { name, bytes: buffer.length };
}

const outputs = [await emit('app.css', css.css), await emit('app.js', jsOutput.contents)];
await writeFile(path.join(publicDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(
  `built dist/server.js, dist/cli.js and ${outputs.map((o) => `${o.name} (${Math.round(o.bytes / 1024)} KB)`).join(', ')} in ${Date.now() - started} ms`,
);
