CREATE TABLE "assessment_answers" (
	"assessment_id" uuid NOT NULL,
	"statement_id" text NOT NULL,
	"value" text NOT NULL,
	"answered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_answers_assessment_id_statement_id_pk" PRIMARY KEY("assessment_id","statement_id"),
	CONSTRAINT "assessment_answers_value_valid" CHECK ("assessment_answers"."value" in ('0', '1', '2', '3', 'not-relevant'))
);
--> statement-breakpoint
CREATE TABLE "assessment_shares" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"assessment_id" uuid NOT NULL,
	"shared_with_person_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"withdrawn_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "assessments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"framework_version_id" integer NOT NULL,
	"mode" text NOT NULL,
	"archetype_codes" text[] NOT NULL,
	"profession_code" text,
	"work_setting_code" text,
	"status" text DEFAULT 'in_progress' NOT NULL,
	"current_area_code" text,
	"based_on_assessment_id" uuid,
	"results" jsonb,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	CONSTRAINT "assessments_mode_valid" CHECK ("assessments"."mode" in ('focused', 'full')),
	CONSTRAINT "assessments_status_valid" CHECK ("assessments"."status" in ('in_progress', 'submitted')),
	CONSTRAINT "assessments_submitted_has_results" CHECK (("assessments"."status" = 'submitted') = ("assessments"."submitted_at" is not null and "assessments"."results" is not null))
);
--> statement-breakpoint
ALTER TABLE "assessment_answers" ADD CONSTRAINT "assessment_answers_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_shares" ADD CONSTRAINT "assessment_shares_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_shares" ADD CONSTRAINT "assessment_shares_shared_with_person_id_people_id_fk" FOREIGN KEY ("shared_with_person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_shares" ADD CONSTRAINT "assessment_shares_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_framework_version_id_framework_versions_id_fk" FOREIGN KEY ("framework_version_id") REFERENCES "public"."framework_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_shares_open_key" ON "assessment_shares" USING btree ("assessment_id","shared_with_person_id") WHERE "assessment_shares"."withdrawn_at" is null;--> statement-breakpoint
CREATE INDEX "assessment_shares_with_idx" ON "assessment_shares" USING btree ("shared_with_person_id");--> statement-breakpoint
CREATE INDEX "assessments_person_idx" ON "assessments" USING btree ("person_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "assessments_one_in_progress_key" ON "assessments" USING btree ("person_id") WHERE "assessments"."status" = 'in_progress';