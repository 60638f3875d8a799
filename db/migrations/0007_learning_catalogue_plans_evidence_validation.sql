CREATE TABLE "scheduled_jobs" (
	"name" text PRIMARY KEY NOT NULL,
	"leased_by" text,
	"leased_until" timestamp with time zone,
	"last_run_at" timestamp with time zone,
	"last_result" text
);
--> statement-breakpoint
CREATE TABLE "evidence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"framework_version_id" integer NOT NULL,
	"area_code" text NOT NULL,
	"statement_id" text,
	"body" text DEFAULT '' NOT NULL,
	"reflection_use" text,
	"url" text,
	"resource_id" uuid,
	"goal_id" uuid,
	"file_key" text,
	"file_name" text,
	"file_type" text,
	"file_size" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evidence_kind_valid" CHECK ("evidence"."kind" in ('note', 'link', 'file', 'reflection')),
	CONSTRAINT "evidence_link_has_url" CHECK ("evidence"."kind" <> 'link' or "evidence"."url" is not null),
	CONSTRAINT "evidence_file_has_file" CHECK (("evidence"."kind" = 'file') = ("evidence"."file_key" is not null and "evidence"."file_type" is not null and "evidence"."file_size" is not null))
);
--> statement-breakpoint
CREATE TABLE "learning_preferences" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"formats" text[] DEFAULT '{}'::text[] NOT NULL,
	"max_duration_minutes" integer,
	"free_only" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "learning_resource_marks" (
	"person_id" uuid NOT NULL,
	"resource_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "learning_resource_marks_person_id_resource_id_kind_pk" PRIMARY KEY("person_id","resource_id","kind"),
	CONSTRAINT "learning_resource_marks_kind_valid" CHECK ("learning_resource_marks"."kind" in ('completed', 'dismissed'))
);
--> statement-breakpoint
CREATE TABLE "learning_resources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"organisation_id" uuid,
	"title" text NOT NULL,
	"provider" text NOT NULL,
	"url" text NOT NULL,
	"format" text NOT NULL,
	"duration_minutes" integer,
	"cost" text NOT NULL,
	"levels" integer[] NOT NULL,
	"area_codes" text[] NOT NULL,
	"statement_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"archetype_codes" text[] NOT NULL,
	"summary" text NOT NULL,
	"review_date" date,
	"curated_by" text NOT NULL,
	"curated_by_person_id" uuid,
	"source" text DEFAULT 'local' NOT NULL,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "learning_resources_cost_valid" CHECK ("learning_resources"."cost" in ('free', 'paid', 'unknown')),
	CONSTRAINT "learning_resources_source_valid" CHECK ("learning_resources"."source" in ('bundled', 'local')),
	CONSTRAINT "learning_resources_duration_valid" CHECK ("learning_resources"."duration_minutes" is null or "learning_resources"."duration_minutes" > 0)
);
--> statement-breakpoint
CREATE TABLE "plan_goal_resources" (
	"goal_id" uuid NOT NULL,
	"resource_id" uuid NOT NULL,
	"status" text DEFAULT 'not_started' NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "plan_goal_resources_goal_id_resource_id_pk" PRIMARY KEY("goal_id","resource_id"),
	CONSTRAINT "plan_goal_resources_status_valid" CHECK ("plan_goal_resources"."status" in ('not_started', 'in_progress', 'done'))
);
--> statement-breakpoint
CREATE TABLE "plan_goals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"framework_version_id" integer NOT NULL,
	"area_code" text NOT NULL,
	"target_level" integer NOT NULL,
	"target_date" date NOT NULL,
	"status" text DEFAULT 'not_started' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"from_assessment_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "plan_goals_level_valid" CHECK ("plan_goals"."target_level" between 1 and 4),
	CONSTRAINT "plan_goals_status_valid" CHECK ("plan_goals"."status" in ('not_started', 'in_progress', 'done'))
);
--> statement-breakpoint
CREATE TABLE "plan_reminders" (
	"goal_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"target_date" date NOT NULL,
	"claimed_by" text NOT NULL,
	"claimed_until" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"attempts" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plan_reminders_goal_id_kind_target_date_pk" PRIMARY KEY("goal_id","kind","target_date"),
	CONSTRAINT "plan_reminders_kind_valid" CHECK ("plan_reminders"."kind" in ('due', 'overdue'))
);
--> statement-breakpoint
CREATE TABLE "validation_request_evidence" (
	"request_id" uuid NOT NULL,
	"evidence_id" uuid NOT NULL,
	CONSTRAINT "validation_request_evidence_request_id_evidence_id_pk" PRIMARY KEY("request_id","evidence_id")
);
--> statement-breakpoint
CREATE TABLE "validation_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"validator_person_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"framework_version_id" integer NOT NULL,
	"area_code" text NOT NULL,
	"claimed_level" integer NOT NULL,
	"self_assessed_level" integer,
	"message" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"validator_comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "validation_requests_level_valid" CHECK ("validation_requests"."claimed_level" between 1 and 4),
	CONSTRAINT "validation_requests_status_valid" CHECK ("validation_requests"."status" in ('pending', 'validated', 'returned', 'withdrawn')),
	CONSTRAINT "validation_requests_decided" CHECK (("validation_requests"."status" in ('validated', 'returned')) = ("validation_requests"."decided_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_framework_version_id_framework_versions_id_fk" FOREIGN KEY ("framework_version_id") REFERENCES "public"."framework_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_resource_id_learning_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."learning_resources"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_goal_id_plan_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."plan_goals"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_preferences" ADD CONSTRAINT "learning_preferences_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_resource_marks" ADD CONSTRAINT "learning_resource_marks_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_resource_marks" ADD CONSTRAINT "learning_resource_marks_resource_id_learning_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."learning_resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_resources" ADD CONSTRAINT "learning_resources_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_resources" ADD CONSTRAINT "learning_resources_curated_by_person_id_people_id_fk" FOREIGN KEY ("curated_by_person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_goal_resources" ADD CONSTRAINT "plan_goal_resources_goal_id_plan_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."plan_goals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_goal_resources" ADD CONSTRAINT "plan_goal_resources_resource_id_learning_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."learning_resources"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_goals" ADD CONSTRAINT "plan_goals_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_goals" ADD CONSTRAINT "plan_goals_framework_version_id_framework_versions_id_fk" FOREIGN KEY ("framework_version_id") REFERENCES "public"."framework_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_reminders" ADD CONSTRAINT "plan_reminders_goal_id_plan_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."plan_goals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "validation_request_evidence" ADD CONSTRAINT "validation_request_evidence_request_id_validation_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."validation_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "validation_request_evidence" ADD CONSTRAINT "validation_request_evidence_evidence_id_evidence_id_fk" FOREIGN KEY ("evidence_id") REFERENCES "public"."evidence"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "validation_requests" ADD CONSTRAINT "validation_requests_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "validation_requests" ADD CONSTRAINT "validation_requests_validator_person_id_people_id_fk" FOREIGN KEY ("validator_person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "validation_requests" ADD CONSTRAINT "validation_requests_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "validation_requests" ADD CONSTRAINT "validation_requests_framework_version_id_framework_versions_id_fk" FOREIGN KEY ("framework_version_id") REFERENCES "public"."framework_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evidence_person_idx" ON "evidence" USING btree ("person_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "evidence_file_key_key" ON "evidence" USING btree ("file_key") WHERE "evidence"."file_key" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "learning_resources_slug_key" ON "learning_resources" USING btree (coalesce("organisation_id", '00000000-0000-0000-0000-000000000000'::uuid),"slug");--> statement-breakpoint
CREATE INDEX "learning_resources_areas_idx" ON "learning_resources" USING gin ("area_codes");--> statement-breakpoint
CREATE INDEX "learning_resources_org_idx" ON "learning_resources" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "plan_goal_resources_resource_idx" ON "plan_goal_resources" USING btree ("resource_id");--> statement-breakpoint
CREATE INDEX "plan_goals_person_idx" ON "plan_goals" USING btree ("person_id","target_date");--> statement-breakpoint
CREATE INDEX "plan_goals_due_idx" ON "plan_goals" USING btree ("target_date") WHERE "plan_goals"."status" <> 'done';--> statement-breakpoint
CREATE INDEX "validation_requests_person_idx" ON "validation_requests" USING btree ("person_id","created_at");--> statement-breakpoint
CREATE INDEX "validation_requests_validator_idx" ON "validation_requests" USING btree ("validator_person_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "validation_requests_one_pending_key" ON "validation_requests" USING btree ("person_id","framework_version_id","area_code") WHERE "validation_requests"."status" = 'pending';