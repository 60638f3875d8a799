/**
 * The bundled starter catalogue (content/learning/learning-resources.csv), loaded at start-up
 * after the framework, like the framework's own content: the whole file is checked against the
 * framework's latest version first, and any problem stops the app starting, with every problem
 * listed by line and column. A valid file is then stored by the catalogue service
 * (syncBundled: idempotent, one transaction). No file at all is not an error: the catalogue is
 * then left as it is.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ContentError } from '../framework/index.js';
import { type CatalogueProblem, describeProblem } from './catalogue.csv.js';
import type { BundledSyncResult, CatalogueService } from './catalogue.service.js';

/** Where the bundled catalogue lives, under the content folder. */
export const BUNDLED_CATALOGUE_FILE = path.join('learning', 'learning-resources.csv');

/** The bundled catalogue file has problems: the app does not start. */
export class CatalogueContentError extends ContentError {
  override name = 'CatalogueContentError';
  constructor(
    readonly file: string,
    readonly catalogueProblems: CatalogueProblem[],
  ) {
    super(
      catalogueProblems.map((p) => ({
        file,
        line: p.line,
        path: p.column ?? '',
        message: p.message,
      })),
    );
    const count = catalogueProblems.length;
    this.message =
      `Learning catalogue content is not valid (${String(count)} problem${count === 1 ? '' : 's'}):\n` +
      catalogueProblems.map((p) => `  ${file}: ${describeProblem(p)}`).join('\n');
  }
}

/**
 * Reads, checks and stores the bundled catalogue; undefined when there is no file. `displayRoot`
 * makes the file name in messages relative (to the project root) so it is easy to find.
 */
export async function loadBundledCatalogue(
  contentDir: string,
  catalogue: Pick<CatalogueService, 'checkBundled' | 'syncBundled'>,
  displayRoot = process.cwd(),
): Promise<(BundledSyncResult & { file: string }) | undefined> {
  const file = path.join(contentDir, BUNDLED_CATALOGUE_FILE);
  const display = path.relative(displayRoot, file) || file;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw new CatalogueContentError(display, [{ message: 'The file could not be read' }]);
  }
  const parsed = await catalogue.checkBundled(text);
  if (!parsed.ok) throw new CatalogueContentError(display, parsed.problems);
  return { file: display, ...(await catalogue.syncBundled(parsed.rows)) };
}
