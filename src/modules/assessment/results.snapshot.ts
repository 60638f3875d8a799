/**
 * Reads a stored results snapshot (assessments.results, JSON) back into `AssessmentResults`.
 * Snapshots are written once, at submission, and read for ever after: this is the one place that
 * checks their shape, so every reader (results, PDF, exports, history, sharing) can trust it. A
 * snapshot of a version this code does not know is refused loudly rather than misread.
 */
import { z } from 'zod';
import type { AreaResult, AssessmentResults } from './assessment.model.js';

const level = z.number().int().min(0).max(4);
const count = z.number().int().min(0);

const areaResult = z.object({
  areaCode: z.string().min(1),
  areaName: z.string(),
  domainCode: z.string().min(1),
  domainName: z.string(),
  level,
  targetLevel: level,
  shortfall: level,
  answered: count,
  notRelevant: count,
  poolSize: count,
}) satisfies z.ZodType<AreaResult>;

const resultsV1 = z.object({
  schemaVersion: z.literal(1),
  frameworkSlug: z.string().min(1),
  frameworkTitle: z.string(),
  frameworkVersion: z.number().int().min(1),
  mode: z.enum(['focused', 'full']),
  archetypeCodes: z.array(z.string()),
  professionCode: z.string().nullable(),
  workSettingCode: z.string().nullable(),
  submittedAt: z.string(),
  areas: z.array(areaResult),
  strengths: z.array(z.string()),
  gaps: z.array(z.string()),
}) satisfies z.ZodType<AssessmentResults>;

/** Thrown for a snapshot that is not one this code can read (a bug or a newer version). */
export class UnreadableSnapshotError extends Error {
  override name = 'UnreadableSnapshotError';
}

export function parseResultsSnapshot(json: unknown): AssessmentResults {
  const parsed = resultsV1.safeParse(json);
  if (!parsed.success)
    throw new UnreadableSnapshotError(
      `results snapshot not readable: ${parsed.error.issues[0]?.message ?? 'unknown shape'}`,
    );
  return parsed.data;
}
