/**
 * Which statements a filter keeps. Pure. Archetypes and levels match any of those chosen; a
 * search (already run in PostgreSQL) narrows to its hits.
 */
import type { ExplorerFilter } from './explorer-query.form.js';
import type { Statement } from './framework.model.js';

export function matchesFilter(
  statement: Statement,
  filter: Pick<ExplorerFilter, 'archetypes' | 'levels'>,
): boolean {
  if (filter.levels.length > 0 && !filter.levels.includes(statement.level)) return false;
  if (
    filter.archetypes.length > 0 &&
    !statement.archetypes.some((a) => filter.archetypes.includes(a))
  )
    return false;
  return true;
}

export function filterStatements(
  statements: readonly Statement[],
  filter: Pick<ExplorerFilter, 'archetypes' | 'levels'>,
  searchHits?: ReadonlyMap<string, string>,
): Statement[] {
  return statements.filter(
    (s) => (!searchHits || searchHits.has(s.id)) && matchesFilter(s, filter),
  );
}
