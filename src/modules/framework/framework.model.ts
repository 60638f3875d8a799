/**
 * The capability framework as the rest of digicap sees it: plain, immutable data for one
 * version, plus indexes built once. Pure: no I/O.
 */

export const ARCHETYPE_CODES = ['S', 'D', 'C', 'E', 'U'] as const;
export type ArchetypeCode = (typeof ARCHETYPE_CODES)[number];
export const LEVELS = [1, 2, 3, 4] as const;
export type Level = (typeof LEVELS)[number];

/** Marks that search puts around matched words; statement texts may not contain them. */
export const HIGHLIGHT_START = '⟦';
export const HIGHLIGHT_END = '⟧';

export function isArchetypeCode(value: string): value is ArchetypeCode {
  return (ARCHETYPE_CODES as readonly string[]).includes(value);
}

export interface LevelInfo {
  level: Level;
  name: string;
  summary: string;
  description: string;
}

export interface Archetype {
  code: ArchetypeCode;
  name: string;
  summary: string;
  description: string;
  exampleRoles: string[];
  signs: string[];
  targetRationale: string;
}

export interface FrameworkNode {
  code: string;
  parentCode: string | null;
  name: string;
  description: string;
  isArea: boolean;
  depth: number;
}

export interface Statement {
  id: string;
  areaCode: string;
  level: Level;
  text: string;
  archetypes: ArchetypeCode[];
}

export interface Choice {
  code: string;
  name: string;
}

export interface BasedOn {
  title: string;
  publisher: string;
  published: string;
  url: string;
  note: string;
}

export interface ArchetypeGuide {
  intro: string;
  questions: { archetype: ArchetypeCode; question: string; hint: string }[];
}

/** Everything one framework version holds, in display order. */
export interface FrameworkData {
  slug: string;
  title: string;
  summary: string;
  basedOn: BasedOn;
  archetypeGuide: ArchetypeGuide;
  levels: LevelInfo[];
  archetypes: Archetype[];
  /** Depth-first, in display order. */
  nodes: FrameworkNode[];
  /** Grouped by area (in node order), then level, then position. */
  statements: Statement[];
  /** targets[archetype][areaCode] = expected level, 0 when not expected. */
  targets: Record<ArchetypeCode, Record<string, number>>;
  professions: Choice[];
  workSettings: Choice[];
}

export interface VersionInfo {
  versionId: number;
  version: number;
  contentHash: string;
  createdAt: Date;
}

export interface DomainTree {
  code: string;
  name: string;
  description: string;
  isArea: boolean;
  children: DomainTree[];
}

/** A loaded framework version with lookups built once (versions never change once stored). */
export class FrameworkModel {
  readonly nodesByCode: ReadonlyMap<string, FrameworkNode>;
  readonly statementsById: ReadonlyMap<string, Statement>;
  readonly areas: readonly FrameworkNode[];
  readonly domains: readonly FrameworkNode[];
  private readonly statementsByArea: ReadonlyMap<string, readonly Statement[]>;

  constructor(
    readonly data: FrameworkData,
    readonly versionInfo: VersionInfo,
  ) {
    this.nodesByCode = new Map(data.nodes.map((n) => [n.code, n]));
    this.statementsById = new Map(data.statements.map((s) => [s.id, s]));
    this.areas = data.nodes.filter((n) => n.isArea);
    this.domains = data.nodes.filter((n) => n.parentCode === null);
    const byArea = new Map<string, Statement[]>();
    for (const s of data.statements) {
      const list = byArea.get(s.areaCode) ?? [];
      list.push(s);
      byArea.set(s.areaCode, list);
    }
    this.statementsByArea = byArea;
  }

  get slug(): string {
    return this.data.slug;
  }

  get version(): number {
    return this.versionInfo.version;
  }

  statementsInArea(areaCode: string): readonly Statement[] {
    return this.statementsByArea.get(areaCode) ?? [];
  }

  /** The domain (top-level node) a node sits in. */
  domainOf(code: string): FrameworkNode | undefined {
    let node = this.nodesByCode.get(code);
    while (node?.parentCode) node = this.nodesByCode.get(node.parentCode);
    return node;
  }

  /** Ancestors from the domain down to, but not including, the node. */
  ancestorsOf(code: string): FrameworkNode[] {
    const out: FrameworkNode[] = [];
    let node = this.nodesByCode.get(code);
    while (node?.parentCode) {
      node = this.nodesByCode.get(node.parentCode);
      if (node) out.unshift(node);
    }
    return out;
  }

  /** Areas inside a node (the node itself when it is an area). */
  areasUnder(code: string): FrameworkNode[] {
    return this.areas.filter((a) => a.code === code || a.code.startsWith(`${code}.`));
  }

  childrenOf(code: string | null): FrameworkNode[] {
    return this.data.nodes.filter((n) => n.parentCode === code);
  }

  tree(): DomainTree[] {
    const build = (parent: string | null): DomainTree[] =>
      this.childrenOf(parent).map((n) => ({
        code: n.code,
        name: n.name,
        description: n.description,
        isArea: n.isArea,
        children: build(n.code),
      }));
    return build(null);
  }

  level(level: number): LevelInfo | undefined {
    return this.data.levels.find((l) => l.level === level);
  }

  archetype(code: string): Archetype | undefined {
    return this.data.archetypes.find((a) => a.code === code);
  }
}
