/**
 * The portfolio as data: evidence grouped by area in framework order (pure), and the JSON export
 * (`GET /portfolio/export.json`), whose shape is `PortfolioExport` below and is described in the
 * README ("Evidence files and storage"). Files are listed by name, type and size; their contents
 * are never included.
 *
 * Both exports also list the person's validated levels (the latest a line manager or educator
 * confirmed in each area), for appraisal and revalidation: a section of their own, in the same
 * shape as the assessment exports give them (assessment/export.ts). The portfolio holds no
 * self-assessed levels, so nothing is there to merge them with. (Version 1 of the JSON format had
 * no `validatedLevels`.)
 */
import { type ExportedValidation, exportedValidation } from '../assessment/index.js';
import type { FrameworkModel } from '../framework/index.js';
import type { EvidenceKind } from './evidence.repository.js';
import type { DescribedEvidence } from './evidence.service.js';
import type { ValidatedLevel } from './validation.service.js';

export interface AreaGroup {
  areaCode: string;
  areaName: string;
  /** Newest first. */
  items: DescribedEvidence[];
}

/** Framework order of areas, by their position in it; areas no longer in it last, by code. */
const inAreaOrder = <T extends { order: number; areaCode: string }>(a: T, b: T) =>
  a.order - b.order || a.areaCode.localeCompare(b.areaCode, 'en', { numeric: true });

/** Evidence grouped by area, areas in framework order (areas no longer in it last, by code). */
export function groupByArea(items: readonly DescribedEvidence[]): AreaGroup[] {
  const groups = new Map<string, AreaGroup & { order: number }>();
  for (const item of items) {
    let group = groups.get(item.areaCode);
    if (!group) {
      group = {
        areaCode: item.areaCode,
        areaName: item.areaName,
        order: item.areaOrder,
        items: [],
      };
      groups.set(item.areaCode, group);
    }
    group.items.push(item);
  }
  return [...groups.values()].sort(inAreaOrder).map(({ order: _order, ...group }) => ({
    ...group,
    items: [...group.items].sort(
      (x, y) => y.createdAt.getTime() - x.createdAt.getTime() || x.id.localeCompare(y.id),
    ),
  }));
}

/** A validated level (the latest in its area) with the area's name, for the exports. */
export interface NamedValidatedLevel extends ValidatedLevel {
  areaName: string;
}

/**
 * Validated levels in framework order, areas named from its latest version ("Area 9.9", last,
 * for an area it no longer has: evidence names them the same way).
 */
export function namedValidatedLevels(
  levels: readonly ValidatedLevel[],
  model: FrameworkModel,
): NamedValidatedLevel[] {
  const order = new Map(model.areas.map((a, i) => [a.code, i]));
  return levels
    .map((v) => ({
      ...v,
      areaName: model.nodesByCode.get(v.areaCode)?.name ?? `Area ${v.areaCode}`,
      order: order.get(v.areaCode) ?? model.areas.length,
    }))
    .sort(inAreaOrder)
    .map(({ order: _order, ...v }) => v);
}

/** One piece of evidence in the JSON export. */
export interface ExportedEvidence {
  id: string;
  kind: EvidenceKind;
  title: string;
  /** ISO 8601. */
  createdAt: string;
  updatedAt: string;
  statement: { id: string; level: number; text: string } | null;
  /** A note's text; the optional note with a link or file; a reflection's "what I learned". */
  text: string;
  /** Reflections: "how I will use it". */
  howIWillUseIt: string | null;
  /** Links. */
  url: string | null;
  /** Reflections: the learning resource it is about, when still in the catalogue. */
  resource: { title: string; provider: string; url: string } | null;
  /** Files: the name given, the type found from the content (a MIME type) and the size. */
  file: { name: string; type: string; sizeBytes: number } | null;
}

/** `GET /portfolio/export.json`. */
export interface PortfolioExport {
  format: 'digicap-portfolio';
  formatVersion: 2;
  exportedAt: string;
  person: { name: string };
  framework: { slug: string; title: string; version: number };
  evidenceCount: number;
  /** Areas with evidence, in framework order. */
  areas: { code: string; name: string; evidence: ExportedEvidence[] }[];
  /** The latest level a line manager or educator confirmed in each area, in framework order. */
  validatedLevels: ({ code: string; name: string } & ExportedValidation)[];
}

export function exportedEvidence(item: DescribedEvidence): ExportedEvidence {
  return {
    id: item.id,
    kind: item.kind,
    title: item.title,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
    statement: item.statement,
    text: item.body,
    howIWillUseIt: item.kind === 'reflection' ? item.reflectionUse : null,
    url: item.kind === 'link' ? item.url : null,
    resource: item.kind === 'reflection' ? item.resource : null,
    file:
      item.kind === 'file' && item.fileType !== null && item.fileSize !== null
        ? { name: item.fileName ?? 'file', type: item.fileType, sizeBytes: item.fileSize }
        : null,
  };
}

export function buildPortfolioExport(input: {
  ownerName: string;
  model: FrameworkModel;
  groups: readonly AreaGroup[];
  validated: readonly NamedValidatedLevel[];
  now: Date;
}): PortfolioExport {
  return {
    format: 'digicap-portfolio',
    formatVersion: 2,
    exportedAt: input.now.toISOString(),
    person: { name: input.ownerName },
    framework: {
      slug: input.model.slug,
      title: input.model.data.title,
      version: input.model.version,
    },
    evidenceCount: input.groups.reduce((n, g) => n + g.items.length, 0),
    areas: input.groups.map((g) => ({
      code: g.areaCode,
      name: g.areaName,
      evidence: g.items.map(exportedEvidence),
    })),
    validatedLevels: input.validated.map((v) => ({
      code: v.areaCode,
      name: v.areaName,
      ...exportedValidation(v),
    })),
  };
}
