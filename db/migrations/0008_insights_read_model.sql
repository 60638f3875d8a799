CREATE TABLE "unit_closure" (
	"ancestor_id" uuid NOT NULL,
	"descendant_id" uuid NOT NULL,
	"depth" integer NOT NULL,
	CONSTRAINT "unit_closure_ancestor_id_descendant_id_pk" PRIMARY KEY("ancestor_id","descendant_id")
);
--> statement-breakpoint
CREATE TABLE "insights_cube" (
	"scope_id" uuid NOT NULL,
	"period" text NOT NULL,
	"profession" text NOT NULL,
	"setting" text NOT NULL,
	"archetype" text NOT NULL,
	"counts" integer[] NOT NULL,
	CONSTRAINT "insights_cube_scope_id_period_profession_setting_archetype_pk" PRIMARY KEY("scope_id","period","profession","setting","archetype")
);
--> statement-breakpoint
CREATE TABLE "insights_metrics" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "insights_people" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"scope_ids" uuid[] NOT NULL,
	"profession" text NOT NULL,
	"setting" text NOT NULL,
	"archetype" text NOT NULL,
	"contribution" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "insights_queue" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "insights_shares" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"shared_with_organisation_id" uuid NOT NULL,
	"created_by_person_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_by_person_id" uuid
);
--> statement-breakpoint
CREATE TABLE "insights_state" (
	"id" integer PRIMARY KEY NOT NULL,
	"applied_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "invitations" DROP CONSTRAINT "invitations_roles_valid";--> statement-breakpoint
ALTER TABLE "memberships" DROP CONSTRAINT "memberships_roles_valid";--> statement-breakpoint
ALTER TABLE "unit_closure" ADD CONSTRAINT "unit_closure_ancestor_id_units_id_fk" FOREIGN KEY ("ancestor_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_closure" ADD CONSTRAINT "unit_closure_descendant_id_units_id_fk" FOREIGN KEY ("descendant_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insights_shares" ADD CONSTRAINT "insights_shares_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insights_shares" ADD CONSTRAINT "insights_shares_shared_with_organisation_id_organisations_id_fk" FOREIGN KEY ("shared_with_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insights_shares" ADD CONSTRAINT "insights_shares_created_by_person_id_people_id_fk" FOREIGN KEY ("created_by_person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insights_shares" ADD CONSTRAINT "insights_shares_withdrawn_by_person_id_people_id_fk" FOREIGN KEY ("withdrawn_by_person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "unit_closure_descendant_idx" ON "unit_closure" USING btree ("descendant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "insights_metrics_name_key" ON "insights_metrics" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "insights_shares_open_key" ON "insights_shares" USING btree ("organisation_id","shared_with_organisation_id") WHERE "insights_shares"."withdrawn_at" is null;--> statement-breakpoint
CREATE INDEX "insights_shares_with_idx" ON "insights_shares" USING btree ("shared_with_organisation_id");--> statement-breakpoint
CREATE INDEX "invitations_open_unit_idx" ON "invitations" USING btree ("organisation_id","unit_id") WHERE "invitations"."accepted_at" is null and "invitations"."revoked_at" is null;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_roles_valid" CHECK (cardinality("invitations"."roles") > 0 and "invitations"."roles" <@ array['member','line_manager','educator','insights_viewer','admin']::text[]);--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_roles_valid" CHECK (cardinality("memberships"."roles") > 0 and "memberships"."roles" <@ array['member','line_manager','educator','insights_viewer','admin']::text[]);--> statement-breakpoint
-- The unit closure: written by a trigger as each unit is inserted (units are never moved), and
-- filled here for the units that already exist.
CREATE FUNCTION "unit_closure_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "unit_closure" ("ancestor_id", "descendant_id", "depth") VALUES (NEW."id", NEW."id", 0);
  IF NEW."parent_id" IS NOT NULL THEN
    INSERT INTO "unit_closure" ("ancestor_id", "descendant_id", "depth")
      SELECT "ancestor_id", NEW."id", "depth" + 1 FROM "unit_closure" WHERE "descendant_id" = NEW."parent_id";
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "units_closure_after_insert" AFTER INSERT ON "units" FOR EACH ROW EXECUTE FUNCTION "unit_closure_add"();
--> statement-breakpoint
INSERT INTO "unit_closure" ("ancestor_id", "descendant_id", "depth")
WITH RECURSIVE "walk" ("ancestor_id", "descendant_id", "depth") AS (
  SELECT "id", "id", 0 FROM "units"
  UNION ALL
  SELECT "u"."parent_id", "w"."descendant_id", "w"."depth" + 1
    FROM "walk" "w" JOIN "units" "u" ON "u"."id" = "w"."ancestor_id"
    WHERE "u"."parent_id" IS NOT NULL
)
SELECT "ancestor_id", "descendant_id", "depth" FROM "walk";
--> statement-breakpoint
-- Change capture for the insights read model: any change that can move a person's figures
-- queues the person (the insights worker recomputes their contribution). Triggers, not calls in
-- each service, so that no write path can forget.
CREATE FUNCTION "insights_queue_person"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO "insights_queue" ("person_id") VALUES (OLD."person_id");
    RETURN NULL;
  END IF;
  INSERT INTO "insights_queue" ("person_id") VALUES (NEW."person_id");
  IF TG_OP = 'UPDATE' AND OLD."person_id" IS DISTINCT FROM NEW."person_id" THEN
    INSERT INTO "insights_queue" ("person_id") VALUES (OLD."person_id");
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "insights_queue_people_row"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "insights_queue" ("person_id") VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD."id" ELSE NEW."id" END);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "memberships_insights_queue" AFTER INSERT OR DELETE OR UPDATE OF "unit_id", "person_id" ON "memberships" FOR EACH ROW EXECUTE FUNCTION "insights_queue_person"();
--> statement-breakpoint
CREATE TRIGGER "assessments_insights_queue" AFTER INSERT OR DELETE OR UPDATE OF "status", "current_area_code", "results", "person_id" ON "assessments" FOR EACH ROW EXECUTE FUNCTION "insights_queue_person"();
--> statement-breakpoint
CREATE TRIGGER "validation_requests_insights_queue" AFTER INSERT OR DELETE OR UPDATE OF "status" ON "validation_requests" FOR EACH ROW EXECUTE FUNCTION "insights_queue_person"();
--> statement-breakpoint
CREATE TRIGGER "people_insights_queue" AFTER DELETE OR UPDATE OF "profession_code", "work_setting_code", "archetype_codes" ON "people" FOR EACH ROW EXECUTE FUNCTION "insights_queue_people_row"();
--> statement-breakpoint
-- Everyone who is already a member is queued, so an existing installation builds its read model.
INSERT INTO "insights_queue" ("person_id") SELECT DISTINCT "person_id" FROM "memberships";
