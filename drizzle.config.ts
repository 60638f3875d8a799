// drizzle-kit generates the SQL migrations in db/migrations from the tables in src/.
// New migration: `npx drizzle-kit generate --name <module>_<what>` (see docs/decisions/001).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/platform/db/schema.ts',
  out: './db/migrations',
});
