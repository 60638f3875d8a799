/**
 * Reads a framework's content folder (framework.yaml + statements/*.yaml), validates it whole
 * and returns FrameworkData plus a content hash. Every problem in every file is reported at
 * once, each with its file, line and path, so an author can fix them in one pass.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import {
  ARCHETYPE_CODES,
  type ArchetypeCode,
  type FrameworkData,
  type FrameworkNode,
  type Level,
  type Statement,
} from '../framework.model.js';
import {
  frameworkFileSchema,
  statementFileSchema,
  type FrameworkFile,
  type NodeInput,
  type StatementFile,
} from './framework-content.schema.js';

export interface ContentProblem {
  file: string;
  line?: number | undefined;
  path: string;
  message: string;
}

export class ContentError extends Error {
  override name = 'ContentError';
  constructor(readonly problems: ContentProblem[]) {
    super(
      `Framework content is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map(formatProblem).join('\n'),
    );
  }
}

export function formatProblem(p: ContentProblem): string {
  const where = [p.file, p.line === undefined ? null : `line ${p.line}`].filter(Boolean).join(':');
  return `  ${where}${p.path ? ` at ${p.path}` : ''}: ${p.message}`;
}

export function formatPath(segments: readonly PropertyKey[]): string {
  return segments
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i === 0 ? '' : '.'}${String(s)}`))
    .join('');
}

export interface LoadedFramework {
  data: FrameworkData;
  contentHash: string;
}

interface ParsedFile<T> {
  file: string;
  value: T | undefined;
  lineOf: (segments: readonly PropertyKey[]) => number | undefined;
}

/** Parse one YAML file and check it against a schema; problems go into `problems`. */
function parseYaml<T>(
  source: string,
  file: string,
  schema: z.ZodType<T>,
  problems: ContentProblem[],
): ParsedFile<T> {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(source, {
    lineCounter,
    prettyErrors: true,
    uniqueKeys: true,
  });
  const lineOf = (segments: readonly PropertyKey[]): number | undefined => {
    // The deepest node that exists on the path: a missing key points at its parent.
    for (let n = segments.length; n >= 0; n--) {
      const node: unknown = doc.getIn(segments.slice(0, n) as unknown[], true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range) return lineCounter.linePos(range[0]).line;
    }
    return undefined;
  };
  if (doc.errors.length > 0) {
    // One syntax error often causes many more: the first few are the useful ones.
    for (const error of doc.errors.slice(0, 3)) {
      const firstLine = (error.message.split('\n')[0] ?? '').replace(
        / at line \d+, column \d+:?$/,
        '',
      );
      problems.push({
        file,
        line: error.linePos?.[0].line,
        path: '',
        message: `not valid YAML: ${firstLine}`,
      });
    }
    return { file, value: undefined, lineOf };
  }
  const result = schema.safeParse(doc.toJS());
  if (!result.success) {
    for (const issue of result.error.issues) {
      problems.push({
        file,
        line: lineOf(issue.path),
        path: formatPath(issue.path),
        message: issue.message,
      });
    }
    return { file, value: undefined, lineOf };
  }
  return { file, value: result.data, lineOf };
}

function flattenNodes(
  inputs: NodeInput[],
  parentCode: string | null,
  depth: number,
  out: (FrameworkNode & { pathSegments: PropertyKey[] })[],
  pathSegments: PropertyKey[],
): void {
  inputs.forEach((n, i) => {
    const here = [...pathSegments, i];
    out.push({
      code: n.code,
      parentCode,
      name: n.name,
      description: n.description,
      isArea: n.isArea ?? false,
      depth,
      pathSegments: here,
    });
    flattenNodes(n.children, n.code, depth + 1, out, [...here, 'children']);
  });
}

/** Stable JSON (sorted keys) so the hash depends on content, not on key order or comments. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function hashFrameworkData(data: FrameworkData): string {
  return createHash('sha256').update(canonicalJson(data)).digest('hex');
}

/** Validate parsed files together and assemble FrameworkData. Pure apart from the problems list. */
export function assembleFramework(
  frameworkFile: ParsedFile<FrameworkFile>,
  statementFiles: ParsedFile<StatementFile>[],
  problems: ContentProblem[],
): FrameworkData | undefined {
  const fw = frameworkFile.value;
  if (!fw) return undefined;
  const fwProblem = (segments: PropertyKey[], message: string) =>
    problems.push({
      file: frameworkFile.file,
      line: frameworkFile.lineOf(segments),
      path: formatPath(segments),
      message,
    });

  const nodes: (FrameworkNode & { pathSegments: PropertyKey[] })[] = [];
  flattenNodes(fw.domains, null, 0, nodes, ['domains']);
  const seenCodes = new Set<string>();
  for (const n of nodes) {
    if (seenCodes.has(n.code))
      fwProblem([...n.pathSegments, 'code'], `code ${n.code} is used more than once`);
    seenCodes.add(n.code);
    if (n.parentCode !== null && !n.code.startsWith(`${n.parentCode}.`)) {
      fwProblem(
        [...n.pathSegments, 'code'],
        `code ${n.code} must start with its parent's code ${n.parentCode}.`,
      );
    }
  }
  const areaCodes = nodes.filter((n) => n.isArea).map((n) => n.code);
  if (areaCodes.length === 0) fwProblem(['domains'], 'no node is marked isArea: true');

  fw.levels.forEach((l, i) => {
    if (l.level !== i + 1)
      fwProblem(
        ['levels', i, 'level'],
        `levels must be listed 1 to 4 in order (expected ${i + 1})`,
      );
  });
  fw.archetypes.forEach((a, i) => {
    if (a.code !== ARCHETYPE_CODES[i]) {
      fwProblem(
        ['archetypes', i, 'code'],
        `archetypes must be listed in the order ${ARCHETYPE_CODES.join(', ')}`,
      );
    }
    for (const area of areaCodes) {
      if (!(area in a.targets.levels))
        fwProblem(['archetypes', i, 'targets', 'levels'], `no target for area ${area}`);
    }
    for (const key of Object.keys(a.targets.levels)) {
      if (!areaCodes.includes(key)) {
        fwProblem(
          ['archetypes', i, 'targets', 'levels', key],
          `${key} is not an area (areas are marked isArea: true)`,
        );
      }
    }
  });
  for (const listName of ['professions', 'workSettings'] as const) {
    const seen = new Set<string>();
    fw[listName].forEach((c, i) => {
      if (seen.has(c.code))
        fwProblem([listName, i, 'code'], `code ${c.code} is used more than once`);
      seen.add(c.code);
    });
  }

  // Statements: one file per area, ids area-level-number in order, levels ascending.
  const statements = new Map<string, Statement[]>();
  const seenIds = new Map<string, string>();
  const seenTexts = new Map<string, string>();
  for (const sf of statementFiles) {
    const value = sf.value;
    if (!value) continue;
    const sfProblem = (segments: PropertyKey[], message: string) =>
      problems.push({
        file: sf.file,
        line: sf.lineOf(segments),
        path: formatPath(segments),
        message,
      });
    if (!areaCodes.includes(value.area)) {
      sfProblem(
        ['area'],
        `${value.area} is not an area in framework.yaml (areas: ${areaCodes.join(', ')})`,
      );
      continue;
    }
    const fileArea = path.basename(sf.file).replace(/\.ya?ml$/, '');
    if (fileArea !== value.area) {
      sfProblem(['area'], `area ${value.area} must be in a file named ${value.area}.yaml`);
      continue;
    }
    if (statements.has(value.area)) {
      sfProblem(['area'], `area ${value.area} already has a statements file`);
      continue;
    }
    const list: Statement[] = [];
    const countPerLevel = new Map<number, number>();
    let previousLevel = 0;
    value.statements.forEach((s, i) => {
      const n = (countPerLevel.get(s.level) ?? 0) + 1;
      countPerLevel.set(s.level, n);
      const expectedId = `${value.area}-${s.level}-${String(n).padStart(2, '0')}`;
      if (s.id !== expectedId)
        sfProblem(
          ['statements', i, 'id'],
          `id should be ${expectedId} (area-level-number, numbered in file order)`,
        );
      if (s.level < previousLevel)
        sfProblem(['statements', i, 'level'], 'statements must be listed by level, 1 to 4');
      previousLevel = s.level;
      const firstId = seenIds.get(s.id);
      if (firstId !== undefined)
        sfProblem(['statements', i, 'id'], `id ${s.id} is also used in ${firstId}`);
      seenIds.set(s.id, sf.file);
      const normalised = s.text.toLowerCase();
      const sameText = seenTexts.get(normalised);
      if (sameText !== undefined)
        sfProblem(['statements', i, 'text'], `the same text is also used by ${sameText}`);
      seenTexts.set(normalised, s.id);
      list.push({
        id: s.id,
        areaCode: value.area,
        level: s.level as Level,
        text: s.text,
        archetypes: s.archetypes,
      });
    });
    for (const lvl of [1, 2, 3, 4]) {
      if (!countPerLevel.has(lvl))
        sfProblem(['statements'], `area ${value.area} has no statement at level ${lvl}`);
    }
    statements.set(value.area, list);
  }
  for (const area of areaCodes) {
    if (!statements.has(area) && !statementFiles.some((f) => f.value === undefined)) {
      problems.push({
        file: frameworkFile.file,
        path: '',
        message: `area ${area} has no statements file (statements/${area}.yaml)`,
      });
    }
  }
  if (problems.length > 0) return undefined;

  const targets = Object.fromEntries(
    fw.archetypes.map((a) => [
      a.code,
      Object.fromEntries(areaCodes.map((c) => [c, a.targets.levels[c] ?? 0])),
    ]),
  ) as Record<ArchetypeCode, Record<string, number>>;

  return {
    slug: fw.slug,
    title: fw.title,
    summary: fw.summary,
    basedOn: fw.basedOn,
    archetypeGuide: fw.archetypeGuide,
    levels: fw.levels.map((l) => ({ ...l, level: l.level as Level })),
    archetypes: fw.archetypes.map((a) => ({
      code: a.code,
      name: a.name,
      summary: a.summary,
      description: a.description,
      exampleRoles: a.exampleRoles,
      signs: a.signs,
      targetRationale: a.targets.rationale,
    })),
    nodes: nodes.map(({ pathSegments: _p, ...n }) => n),
    statements: areaCodes.flatMap((c) => statements.get(c) ?? []),
    targets,
    professions: fw.professions,
    workSettings: fw.workSettings,
  };
}

/**
 * Load one framework folder. `displayRoot` makes file names in messages relative (e.g. to the
 * project root) so they are easy to find.
 */
export async function loadFrameworkContent(
  dir: string,
  displayRoot = process.cwd(),
): Promise<LoadedFramework> {
  const problems: ContentProblem[] = [];
  const display = (file: string) => path.relative(displayRoot, file) || file;
  const frameworkPath = path.join(dir, 'framework.yaml');
  let frameworkSource: string;
  try {
    frameworkSource = await readFile(frameworkPath, 'utf8');
  } catch {
    throw new ContentError([
      { file: display(frameworkPath), path: '', message: 'file is missing or unreadable' },
    ]);
  }
  const frameworkFile = parseYaml(
    frameworkSource,
    display(frameworkPath),
    frameworkFileSchema,
    problems,
  );
  const statementsDir = path.join(dir, 'statements');
  let names: string[] = [];
  try {
    names = (await readdir(statementsDir))
      .filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'))
      .sort();
  } catch {
    problems.push({
      file: display(statementsDir),
      path: '',
      message: 'folder is missing or unreadable',
    });
  }
  const statementFiles = await Promise.all(
    names.map(async (name) => {
      const file = path.join(statementsDir, name);
      let source: string;
      try {
        source = await readFile(file, 'utf8');
      } catch {
        problems.push({ file: display(file), path: '', message: 'file is unreadable' });
        return undefined;
      }
      return parseYaml(source, display(file), statementFileSchema, problems);
    }),
  );
  const data = assembleFramework(
    frameworkFile,
    statementFiles.filter((f) => f !== undefined),
    problems,
  );
  if (!data || problems.length > 0) throw new ContentError(problems);
  if (path.basename(dir) !== data.slug) {
    throw new ContentError([
      {
        file: display(frameworkPath),
        line: frameworkFile.lineOf(['slug']),
        path: 'slug',
        message: `slug ${data.slug} must match the folder name ${path.basename(dir)}`,
      },
    ]);
  }
  return { data, contentHash: hashFrameworkData(data) };
}

/** Every framework folder under content/frameworks, in name order. */
export async function listFrameworkDirs(
  contentDir: string,
  displayRoot = process.cwd(),
): Promise<string[]> {
  const root = path.join(contentDir, 'frameworks');
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch {
    throw new ContentError([
      {
        file: path.relative(displayRoot, root) || root,
        path: '',
        message: 'folder is missing or unreadable (set CONTENT_DIR?)',
      },
    ]);
  }
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => path.join(root, e.name))
    .sort();
}
