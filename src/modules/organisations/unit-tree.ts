/**
 * Units form a tree per organisation (directorate → department → team…). An organisation has
 * at most a few hundred units, so the tree is built in memory from one query and these pure
 * functions answer questions about it.
 */

export interface UnitRow {
  id: string;
  parentId: string | null;
  name: string;
}

export interface UnitNode extends UnitRow {
  depth: number;
  /** Names from the root down to this unit. */
  pathNames: string[];
  children: UnitNode[];
}

/** Separator used when a unit path is written as text: "Medicine > Cardiology > Ward 5". */
export const UNIT_PATH_SEPARATOR = ' > ';

export class UnitTree {
  readonly roots: UnitNode[] = [];
  private readonly byId = new Map<string, UnitNode>();

  constructor(rows: readonly UnitRow[]) {
    for (const row of rows) {
      this.byId.set(row.id, { ...row, depth: 0, pathNames: [], children: [] });
    }
    for (const node of this.byId.values()) {
      const parent = node.parentId ? this.byId.get(node.parentId) : undefined;
      if (parent) parent.children.push(node);
      else this.roots.push(node);
    }
    const byName = (a: UnitNode, b: UnitNode) => a.name.localeCompare(b.name, 'en-GB');
    const visit = (nodes: UnitNode[], depth: number, path: string[]) => {
      nodes.sort(byName);
      for (const node of nodes) {
        node.depth = depth;
        node.pathNames = [...path, node.name];
        visit(node.children, depth + 1, node.pathNames);
      }
    };
    visit(this.roots, 0, []);
  }

  get(id: string): UnitNode | undefined {
    return this.byId.get(id);
  }

  /** Every unit, depth first, in display order. */
  flatten(): UnitNode[] {
    const out: UnitNode[] = [];
    const walk = (nodes: UnitNode[]) => {
      for (const node of nodes) {
        out.push(node);
        walk(node.children);
      }
    };
    walk(this.roots);
    return out;
  }

  /** The unit and every unit below it (empty when the unit is unknown). */
  subtreeIds(id: string): Set<string> {
    const out = new Set<string>();
    const start = this.byId.get(id);
    if (!start) return out;
    const stack = [start];
    for (let node = stack.pop(); node; node = stack.pop()) {
      out.add(node.id);
      stack.push(...node.children);
    }
    return out;
  }

  pathText(id: string): string {
    return this.byId.get(id)?.pathNames.join(UNIT_PATH_SEPARATOR) ?? '';
  }

  /** The unit a list of names leads to from the root, matching names ignoring case. */
  findByPath(names: readonly string[]): UnitNode | undefined {
    let level = this.roots;
    let found: UnitNode | undefined;
    for (const name of names) {
      const key = name.trim().toLowerCase();
      found = level.find((n) => n.name.toLowerCase() === key);
      if (!found) return undefined;
      level = found.children;
    }
    return found;
  }
}

/**
 * Splits a written unit path into names: "Medicine > Cardiology" or "Medicine/Cardiology".
 * Returns undefined when a part is empty ("Medicine > > Ward").
 */
export function parseUnitPath(text: string): string[] | undefined {
  const parts = text.split(/\s*[>/]\s*/).map((p) => p.trim().replace(/\s+/g, ' '));
  if (parts.length === 0 || parts.some((p) => p === '')) return undefined;
  return parts;
}
