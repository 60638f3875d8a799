/**
 * A person's portfolio: all their evidence grouped by area in framework order, and its exports
 * (PDF for appraisal and revalidation, JSON), which also list the person's validated levels. Only
 * ever the signed-in person's own: there is no way to ask for someone else's.
 */
import type { FrameworkModel } from '../framework/index.js';
import type { DescribedEvidence, EvidenceService } from './evidence.service.js';
import {
  type AreaGroup,
  buildPortfolioExport,
  groupByArea,
  namedValidatedLevels,
} from './portfolio.export.js';
import { renderPortfolioPdf } from './portfolio.pdf.js';
import type { ValidationService } from './validation.service.js';

export interface PortfolioServiceDeps {
  evidence: Pick<EvidenceService, 'listOwn' | 'formContext'>;
  /** Levels validated by a line manager or educator, listed in the exports. */
  validations: Pick<ValidationService, 'validatedLevels'>;
  people: { findPerson(personId: string): Promise<{ displayName: string } | undefined> };
  now?: () => Date;
}

export interface Portfolio {
  ownerName: string;
  model: FrameworkModel;
  items: DescribedEvidence[];
  groups: AreaGroup[];
}

/** "2026-03-12", for file names. */
const isoDate = (date: Date) => date.toISOString().slice(0, 10);

export function createPortfolioService({
  evidence,
  validations,
  people,
  now = () => new Date(),
}: PortfolioServiceDeps) {
  async function load(personId: string): Promise<Portfolio> {
    const [items, { model }, person] = await Promise.all([
      evidence.listOwn(personId),
      evidence.formContext(),
      people.findPerson(personId),
    ]);
    return {
      ownerName: person?.displayName ?? 'Unknown',
      model,
      items,
      groups: groupByArea(items),
    };
  }

  /**
   * The portfolio with the person's validated levels, for the exports. Unlike the results pages,
   * a failure to read them fails the export: a document for revalidation that silently left out
   * confirmed levels would mislead whoever reads it.
   */
  async function loadForExport(personId: string) {
    const [p, validated] = await Promise.all([
      load(personId),
      validations.validatedLevels(personId),
    ]);
    return { ...p, validated: namedValidatedLevels(validated, p.model) };
  }

  return {
    /** The person's portfolio. */
    load,

    async exportJson(personId: string) {
      const p = await loadForExport(personId);
      const at = now();
      return {
        filename: `digicap-portfolio-${isoDate(at)}.json`,
        data: buildPortfolioExport({
          ownerName: p.ownerName,
          model: p.model,
          groups: p.groups,
          validated: p.validated,
          now: at,
        }),
      };
    },

    async exportPdf(personId: string) {
      const p = await loadForExport(personId);
      const at = now();
      const pdf = await renderPortfolioPdf({
        ownerName: p.ownerName,
        frameworkTitle: p.model.data.title,
        frameworkVersion: p.model.version,
        groups: p.groups,
        validated: p.validated,
        now: at,
      });
      return { filename: `digicap-portfolio-${isoDate(at)}.pdf`, pdf };
    },
  };
}

export type PortfolioService = ReturnType<typeof createPortfolioService>;
