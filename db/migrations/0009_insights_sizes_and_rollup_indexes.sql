ALTER TABLE "insights_cube" ADD COLUMN "people" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "insights_cube" ADD COLUMN "members" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Hand-written: the counts already in the cube, copied into the new columns.
UPDATE "insights_cube" SET
  "people" = coalesce("counts"[(SELECT "id" FROM "insights_metrics" WHERE "name" = 'people')], 0),
  "members" = coalesce("counts"[(SELECT "id" FROM "insights_metrics" WHERE "name" = 'member')], 0);--> statement-breakpoint
CREATE INDEX "invitations_open_profession_idx" ON "invitations" USING btree ("profession_code","expires_at") WHERE "invitations"."accepted_at" is null and "invitations"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "insights_cube_by_profession" ON "insights_cube" USING btree ("scope_id","profession","period") WHERE "insights_cube"."setting" = '*' and "insights_cube"."archetype" = '*';--> statement-breakpoint
CREATE INDEX "insights_cube_by_setting" ON "insights_cube" USING btree ("scope_id","setting","period") WHERE "insights_cube"."profession" = '*' and "insights_cube"."archetype" = '*';--> statement-breakpoint
CREATE INDEX "insights_cube_by_archetype" ON "insights_cube" USING btree ("scope_id","archetype","period") WHERE "insights_cube"."profession" = '*' and "insights_cube"."setting" = '*';