/**
 * The shapes the assessment module's parts agree on. `AssessmentResults` is what submission
 * freezes into `assessments.results` (JSON): results pages, the PDF, exports, history and
 * comparisons read only this, never recompute, so a snapshot means the same thing forever.
 */

export type AssessmentMode = 'focused' | 'full';
export type AssessmentStatus = 'in_progress' | 'submitted';

export interface AreaResult {
  areaCode: string;
  areaName: string;
  domainCode: string;
  domainName: string;
  /** The person's level, 0 (below level 1) to 4. */
  level: number;
  /** Highest target among the person's archetypes; 0 when no archetype expects this area. */
  targetLevel: number;
  /** max(0, targetLevel − level). */
  shortfall: number;
  /** Statements answered in this area (excluding "not relevant"). */
  answered: number;
  /** Statements answered "not relevant to my role". */
  notRelevant: number;
  /** Statements the area has for the person's archetypes (its breadth). */
  poolSize: number;
}

export interface AssessmentResults {
  /** Bumped if this shape ever changes; readers handle every version they know. */
  schemaVersion: 1;
  frameworkSlug: string;
  frameworkTitle: string;
  frameworkVersion: number;
  mode: AssessmentMode;
  archetypeCodes: string[];
  professionCode: string | null;
  workSettingCode: string | null;
  submittedAt: string;
  /** In framework order. */
  areas: AreaResult[];
  /** Area codes at or above target (target > 0), strongest first. */
  strengths: string[];
  /** Area codes below target, most urgent first: larger shortfall, then larger breadth. */
  gaps: string[];
}
