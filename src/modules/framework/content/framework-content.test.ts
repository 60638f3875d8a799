import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findRootDir } from '../../../config.js';
import { ContentError, listFrameworkDirs, loadFrameworkContent } from './framework-content.js';

const bundled = path.join(findRootDir(), 'content', 'frameworks', 'ai-digital-healthcare');

describe('loadFrameworkContent', () => {
  let dir: string;
  let fwDir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'digicap-content-'));
    fwDir = path.join(dir, 'ai-digital-healthcare');
    await cp(bundled, fwDir, { recursive: true });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function edit(relative: string, change: (text: string) => string) {
    const file = path.join(fwDir, relative);
    await writeFile(file, change(await readFile(file, 'utf8')));
  }

  async function problemsOf(): Promise<string> {
    try {
      await loadFrameworkContent(fwDir, dir);
    } catch (error) {
      expect(error).toBeInstanceOf(ContentError);
      return (error as ContentError).message;
    }
    throw new Error('expected the content to be rejected');
  }

  it('loads the bundled framework', async () => {
    const { data, contentHash } = await loadFrameworkContent(fwDir, dir);
    expect(data.slug).toBe('ai-digital-healthcare');
    expect(data.statements.length).toBeGreaterThanOrEqual(195);
    expect(contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same hash for the same content, whatever the comments and key order', async () => {
    const before = (await loadFrameworkContent(fwDir, dir)).contentHash;
    await edit('statements/6.4.yaml', (t) => `# a new comment\n${t}`);
    expect((await loadFrameworkContent(fwDir, dir)).contentHash).toBe(before);
  });

  it('gives a different hash when a statement changes', async () => {
    const before = (await loadFrameworkContent(fwDir, dir)).contentHash;
    await edit('statements/6.4.yaml', (t) => t.replace(/text: "I /, 'text: "I really '));
    expect((await loadFrameworkContent(fwDir, dir)).contentHash).not.toBe(before);
  });

  it('names the file, line and path of a bad archetype code', async () => {
    await edit('statements/5.1.3.yaml', (t) =>
      t.replace(/archetypes: \[S, D, C, E, U\]/, 'archetypes: [S, X]'),
    );
    const message = await problemsOf();
    expect(message).toMatch(
      /ai-digital-healthcare\/statements\/5\.1\.3\.yaml:line \d+ at statements\[0\]\.archetypes\[1\]: must be one of S, D, C, E, U/,
    );
  });

  it('reports YAML syntax errors with their line', async () => {
    await edit('framework.yaml', (t) => t.replace('levels:', 'levels: [unclosed'));
    expect(await problemsOf()).toMatch(/framework\.yaml:line \d+: not valid YAML/);
  });

  it('reports a missing target, an unknown area and a level out of range, all at once', async () => {
    await edit('framework.yaml', (t) => t.replace(/"6\.4": \d/, '"6.9": 2'));
    await edit('statements/2.1.yaml', (t) => t.replace('level: 1', 'level: 7'));
    const message = await problemsOf();
    expect(message).toMatch(
      /framework\.yaml:line \d+ at archetypes\[0\]\.targets\.levels: no target for area 6\.4/,
    );
    expect(message).toMatch(/archetypes\[0\]\.targets\.levels\.6\.9: 6\.9 is not an area/);
    expect(message).toMatch(
      /statements\/2\.1\.yaml:line \d+ at statements\[0\]\.level: level must be a whole number from 1 to 4/,
    );
  });

  it('rejects ids out of sequence, duplicate texts and statements that are not first person', async () => {
    await edit('statements/3.1.yaml', (t) => t.replace('id: "3.1-1-02"', 'id: "3.1-1-09"'));
    const fileText = await readFile(path.join(fwDir, 'statements/3.1.yaml'), 'utf8');
    const firstText = /text: "([^"]+)"/.exec(fileText)?.[1] ?? '';
    await edit('statements/3.2.yaml', (t) => t.replace(/text: "[^"]+"/, `text: "${firstText}"`));
    await edit('statements/6.1.yaml', (t) => t.replace(/text: "I /, 'text: "We '));
    const message = await problemsOf();
    expect(message).toContain('id should be 3.1-1-02');
    expect(message).toMatch(
      /statements\/3\.2\.yaml:line \d+ at statements\[0\]\.text: the same text is also used by 3\.1-1-01/,
    );
    expect(message).toContain('text must be a first-person statement starting "I "');
  });

  it('rejects unknown keys so typos are not silently ignored', async () => {
    await edit('statements/1.yaml', (t) => t.replace('level: 1', 'level: 1\n    levle: 2'));
    expect(await problemsOf()).toMatch(
      /statements\/1\.yaml:line \d+ at statements\[0\]: Unrecognized key/i,
    );
  });

  it('requires each statements file to be named after its area', async () => {
    await edit('statements/6.4.yaml', (t) => t.replace('area: "6.4"', 'area: "6.3"'));
    expect(await problemsOf()).toMatch(
      /statements\/6\.4\.yaml:line 2 at area: area 6\.3 must be in a file named 6\.3\.yaml/,
    );
  });

  it('reports a missing content folder as a content problem, not a crash', async () => {
    await expect(listFrameworkDirs(path.join(dir, 'nowhere'), dir)).rejects.toThrow(
      /nowhere\/frameworks: folder is missing or unreadable/,
    );
  });

  it('requires a statements file for every area', async () => {
    await rm(path.join(fwDir, 'statements', '6.2.yaml'));
    expect(await problemsOf()).toContain('area 6.2 has no statements file');
  });
});
