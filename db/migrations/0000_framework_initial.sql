CREATE TABLE "framework_archetypes" (
	"version_id" integer NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"summary" text NOT NULL,
	"description" text NOT NULL,
	"example_roles" text[] NOT NULL,
	"signs" text[] NOT NULL,
	"target_rationale" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "framework_archetypes_version_id_code_pk" PRIMARY KEY("version_id","code")
);
--> statement-breakpoint
CREATE TABLE "framework_choices" (
	"version_id" integer NOT NULL,
	"kind" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "framework_choices_version_id_kind_code_pk" PRIMARY KEY("version_id","kind","code")
);
--> statement-breakpoint
CREATE TABLE "framework_levels" (
	"version_id" integer NOT NULL,
	"level" smallint NOT NULL,
	"name" text NOT NULL,
	"summary" text NOT NULL,
	"description" text NOT NULL,
	CONSTRAINT "framework_levels_version_id_level_pk" PRIMARY KEY("version_id","level")
);
--> statement-breakpoint
CREATE TABLE "framework_nodes" (
	"version_id" integer NOT NULL,
	"code" text NOT NULL,
	"parent_code" text,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"is_area" boolean NOT NULL,
	"depth" smallint NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "framework_nodes_version_id_code_pk" PRIMARY KEY("version_id","code")
);
--> statement-breakpoint
CREATE TABLE "framework_statements" (
	"version_id" integer NOT NULL,
	"id" text NOT NULL,
	"area_code" text NOT NULL,
	"level" smallint NOT NULL,
	"position" integer NOT NULL,
	"text" text NOT NULL,
	"archetypes" text[] NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('english', "text")) STORED NOT NULL,
	CONSTRAINT "framework_statements_version_id_id_pk" PRIMARY KEY("version_id","id")
);
--> statement-breakpoint
CREATE TABLE "framework_targets" (
	"version_id" integer NOT NULL,
	"archetype_code" text NOT NULL,
	"area_code" text NOT NULL,
	"level" smallint NOT NULL,
	CONSTRAINT "framework_targets_version_id_archetype_code_area_code_pk" PRIMARY KEY("version_id","archetype_code","area_code")
);
--> statement-breakpoint
CREATE TABLE "framework_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"framework_id" integer NOT NULL,
	"version" integer NOT NULL,
	"content_hash" text NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"based_on" jsonb NOT NULL,
	"archetype_guide" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "framework_versions_framework_version_key" UNIQUE("framework_id","version"),
	CONSTRAINT "framework_versions_framework_hash_key" UNIQUE("framework_id","content_hash")
);
--> statement-breakpoint
CREATE TABLE "frameworks" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "frameworks_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
ALTER TABLE "framework_archetypes" ADD CONSTRAINT "framework_archetypes_version_id_framework_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."framework_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_choices" ADD CONSTRAINT "framework_choices_version_id_framework_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."framework_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_levels" ADD CONSTRAINT "framework_levels_version_id_framework_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."framework_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_nodes" ADD CONSTRAINT "framework_nodes_version_id_framework_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."framework_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_statements" ADD CONSTRAINT "framework_statements_version_id_framework_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."framework_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_targets" ADD CONSTRAINT "framework_targets_version_id_framework_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."framework_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_versions" ADD CONSTRAINT "framework_versions_framework_id_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."frameworks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "framework_statements_search_idx" ON "framework_statements" USING gin ("search");--> statement-breakpoint
CREATE INDEX "framework_statements_area_idx" ON "framework_statements" USING btree ("version_id","area_code","level");