/**
 * Tables owned by the framework module. Only framework.repository.ts writes them.
 *
 * A framework (slug) has immutable versions; every structural row hangs off a version, so an
 * assessment taken against version 1 stays readable after version 2 is loaded.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';

const tsvector = customType<{ data: string }>({
  dataType: () => 'tsvector',
});

export const frameworks = pgTable('frameworks', {
  id: serial('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const frameworkVersions = pgTable(
  'framework_versions',
  {
    id: serial('id').primaryKey(),
    frameworkId: integer('framework_id')
      .notNull()
      .references(() => frameworks.id),
    version: integer('version').notNull(),
    contentHash: text('content_hash').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    /** Attribution of the published framework this one follows: {title, publisher, published, url, note}. */
    basedOn: jsonb('based_on').notNull(),
    /** "Which archetype am I?" guidance: {intro, questions:[{archetype, question, hint}]}. */
    archetypeGuide: jsonb('archetype_guide').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Not unique on content_hash: going back to earlier content is a new version with that content.
  (t) => [unique('framework_versions_framework_version_key').on(t.frameworkId, t.version)],
);

/** Domains, sub-domains and third-level headings; `is_area` marks the 16 places statements hang. */
export const frameworkNodes = pgTable(
  'framework_nodes',
  {
    versionId: integer('version_id')
      .notNull()
      .references(() => frameworkVersions.id),
    code: text('code').notNull(),
    parentCode: text('parent_code'),
    name: text('name').notNull(),
    description: text('description').notNull(),
    isArea: boolean('is_area').notNull(),
    depth: smallint('depth').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.code] })],
);

export const frameworkLevels = pgTable(
  'framework_levels',
  {
    versionId: integer('version_id')
      .notNull()
      .references(() => frameworkVersions.id),
    level: smallint('level').notNull(),
    name: text('name').notNull(),
    summary: text('summary').notNull(),
    description: text('description').notNull(),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.level] })],
);

export const frameworkArchetypes = pgTable(
  'framework_archetypes',
  {
    versionId: integer('version_id')
      .notNull()
      .references(() => frameworkVersions.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    summary: text('summary').notNull(),
    description: text('description').notNull(),
    exampleRoles: text('example_roles').array().notNull(),
    signs: text('signs').array().notNull(),
    targetRationale: text('target_rationale').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.code] })],
);

/** The level each archetype is expected to reach in each area (0 = not expected). */
export const frameworkTargets = pgTable(
  'framework_targets',
  {
    versionId: integer('version_id')
      .notNull()
      .references(() => frameworkVersions.id),
    archetypeCode: text('archetype_code').notNull(),
    areaCode: text('area_code').notNull(),
    level: smallint('level').notNull(),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.archetypeCode, t.areaCode] })],
);

export const frameworkStatements = pgTable(
  'framework_statements',
  {
    versionId: integer('version_id')
      .notNull()
      .references(() => frameworkVersions.id),
    /** Stable across versions, e.g. `5.1.3-2-01`. */
    id: text('id').notNull(),
    areaCode: text('area_code').notNull(),
    level: smallint('level').notNull(),
    /** Order within the area and level, lower- to higher-order thinking. */
    position: integer('position').notNull(),
    text: text('text').notNull(),
    archetypes: text('archetypes').array().notNull(),
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(sql`to_tsvector('english', "text")`),
  },
  (t) => [
    primaryKey({ columns: [t.versionId, t.id] }),
    index('framework_statements_search_idx').using('gin', t.search),
    index('framework_statements_area_idx').on(t.versionId, t.areaCode, t.level),
  ],
);

/** Reference lists people pick from when they describe themselves. `kind` is profession or work_setting. */
export const frameworkChoices = pgTable(
  'framework_choices',
  {
    versionId: integer('version_id')
      .notNull()
      .references(() => frameworkVersions.id),
    kind: text('kind').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.kind, t.code] })],
);
