/**
 * The shape of a framework's content files (content/frameworks/<slug>/), checked on load.
 * See docs/content-format.md for the format in prose.
 */
import { z } from 'zod';
import { ARCHETYPE_CODES } from '../framework.model.js';

const text = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .min(1, `${what} must not be empty`);
const code = z
  .string({ error: 'code is required' })
  .regex(/^\d(\.\d){0,2}$/, 'code must look like 5, 5.1 or 5.1.3');
const archetypeCode = z.enum(ARCHETYPE_CODES, {
  error: `must be one of ${ARCHETYPE_CODES.join(', ')}`,
});
const level = z
  .number({ error: 'level must be a whole number from 1 to 4' })
  .int('level must be a whole number from 1 to 4')
  .min(1, 'level must be a whole number from 1 to 4')
  .max(4, 'level must be a whole number from 1 to 4');
const choice = z.strictObject({
  code: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'code must be lowercase words joined by hyphens'),
  name: text('name'),
});

export interface NodeInput {
  code: string;
  name: string;
  description: string;
  isArea?: boolean | undefined;
  children: NodeInput[];
}

const node: z.ZodType<NodeInput> = z.lazy(() =>
  z.strictObject({
    code,
    name: text('name'),
    description: text('description'),
    isArea: z.boolean().optional(),
    children: z.array(node).default([]),
  }),
);

export const frameworkFileSchema = z.strictObject({
  slug: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'slug must be lowercase words joined by hyphens'),
  title: text('title'),
  summary: text('summary'),
  basedOn: z.strictObject({
    title: text('title'),
    publisher: text('publisher'),
    published: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'published must be a date like 2023-02-21'),
    url: z.url({
      protocol: /^https?$/,
      error: 'url must be a web address starting https:// or http://',
    }),
    note: text('note'),
  }),
  levels: z
    .array(
      z.strictObject({
        level,
        name: text('name'),
        summary: text('summary'),
        description: text('description'),
      }),
    )
    .length(4, 'there must be exactly 4 levels'),
  archetypes: z
    .array(
      z.strictObject({
        code: archetypeCode,
        name: text('name'),
        summary: text('summary'),
        description: text('description'),
        exampleRoles: z.array(text('example role')).min(1, 'give at least one example role'),
        signs: z.array(text('sign')).min(1, 'give at least one sign'),
        targets: z.strictObject({
          rationale: text('rationale'),
          levels: z.record(
            code,
            z
              .number({ error: 'target must be a whole number from 0 to 4' })
              .int('target must be a whole number from 0 to 4')
              .min(0, 'target must be a whole number from 0 to 4')
              .max(4, 'target must be a whole number from 0 to 4'),
          ),
        }),
      }),
    )
    .length(ARCHETYPE_CODES.length, `there must be exactly ${ARCHETYPE_CODES.length} archetypes`),
  archetypeGuide: z.strictObject({
    intro: text('intro'),
    questions: z
      .array(
        z.strictObject({
          archetype: archetypeCode,
          question: text('question'),
          hint: text('hint'),
        }),
      )
      .min(1, 'give at least one question'),
  }),
  domains: z.array(node).min(1, 'give at least one domain'),
  professions: z.array(choice).min(1, 'give at least one profession'),
  workSettings: z.array(choice).min(1, 'give at least one work setting'),
});

export type FrameworkFile = z.infer<typeof frameworkFileSchema>;

export const statementFileSchema = z.strictObject({
  area: code,
  statements: z
    .array(
      z.strictObject({
        id: z
          .string({ error: 'id is required' })
          .regex(/^\d(\.\d){0,2}-[1-4]-\d{2}$/, 'id must look like 5.1.3-2-01 (area-level-number)'),
        level,
        archetypes: z
          .array(archetypeCode)
          .min(1, 'give at least one archetype')
          .refine((list) => new Set(list).size === list.length, 'archetypes must not repeat')
          .refine(
            (list) =>
              list.every(
                (c, i) =>
                  i === 0 || ARCHETYPE_CODES.indexOf(c) > ARCHETYPE_CODES.indexOf(list[i - 1] ?? c),
              ),
            `archetypes must be in the order ${ARCHETYPE_CODES.join(', ')}`,
          ),
        text: z
          .string({ error: 'text is required' })
          .min(20, 'text must be at least 20 characters')
          .max(400, 'text must be at most 400 characters')
          .regex(/^I /, 'text must be a first-person statement starting "I "')
          .regex(/\.$/, 'text must end with a full stop')
          .refine(
            (t) => !/\s{2}|^\s|\s$/.test(t),
            'text must not have double, leading or trailing spaces',
          )
          .refine((t) => !/[⟦⟧]/.test(t), 'text must not contain the characters ⟦ or ⟧'),
      }),
    )
    .min(1, 'give at least one statement'),
});

export type StatementFile = z.infer<typeof statementFileSchema>;
