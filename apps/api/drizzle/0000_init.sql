CREATE TABLE `annotation_sets` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`passage_id` text NOT NULL,
	`user_id` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`category` text,
	`skip_reason` text,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`submitted_at` integer,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`passage_id`) REFERENCES `passages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `annotation_sets_passage_user_idx` ON `annotation_sets` (`passage_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `annotation_sets_project_user_idx` ON `annotation_sets` (`project_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `applied_changes` (
	`set_id` text NOT NULL,
	`change_id` text NOT NULL,
	`version` integer NOT NULL,
	`ops_hash` text NOT NULL,
	`applied_at` integer NOT NULL,
	PRIMARY KEY(`set_id`, `change_id`),
	FOREIGN KEY (`set_id`) REFERENCES `annotation_sets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `relations` (
	`set_id` text NOT NULL,
	`id` text NOT NULL,
	`type` text NOT NULL,
	`source_id` text NOT NULL,
	`target_id` text NOT NULL,
	PRIMARY KEY(`set_id`, `id`),
	FOREIGN KEY (`set_id`) REFERENCES `annotation_sets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `relations_source_idx` ON `relations` (`set_id`,`source_id`);--> statement-breakpoint
CREATE INDEX `relations_target_idx` ON `relations` (`set_id`,`target_id`);--> statement-breakpoint
CREATE INDEX `relations_type_idx` ON `relations` (`type`);--> statement-breakpoint
CREATE TABLE `spans` (
	`set_id` text NOT NULL,
	`id` text NOT NULL,
	`label` text NOT NULL,
	`start` integer NOT NULL,
	`end` integer NOT NULL,
	`note` text,
	PRIMARY KEY(`set_id`, `id`),
	FOREIGN KEY (`set_id`) REFERENCES `annotation_sets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `spans_position_idx` ON `spans` (`set_id`,`start`,`end`);--> statement-breakpoint
CREATE INDEX `spans_label_idx` ON `spans` (`label`);--> statement-breakpoint
CREATE TABLE `history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`user_id` text,
	`project_id` text,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`action` text NOT NULL,
	`change_id` text,
	`data` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `history_entity_idx` ON `history` (`entity`,`entity_id`);--> statement-breakpoint
CREATE INDEX `history_project_idx` ON `history` (`project_id`);--> statement-breakpoint
CREATE TABLE `imports` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`filename` text NOT NULL,
	`format` text NOT NULL,
	`passage_count` integer NOT NULL,
	`bytes` integer NOT NULL,
	`warnings` text DEFAULT '[]' NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `imports_project_idx` ON `imports` (`project_id`);--> statement-breakpoint
CREATE TABLE `passages` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`external_id` text NOT NULL,
	`ordinal` integer NOT NULL,
	`text` text NOT NULL,
	`text_sha256` text NOT NULL,
	`length` integer NOT NULL,
	`assigned_count` integer DEFAULT 0 NOT NULL,
	`meta` text,
	`import_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`import_id`) REFERENCES `imports`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `passages_project_external_idx` ON `passages` (`project_id`,`external_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `passages_project_ordinal_idx` ON `passages` (`project_id`,`ordinal`);--> statement-breakpoint
CREATE INDEX `passages_queue_idx` ON `passages` (`project_id`,`assigned_count`,`ordinal`);--> statement-breakpoint
CREATE TABLE `project_members` (
	`project_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `user_id`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `project_members_user_idx` ON `project_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`guidelines` text DEFAULT '' NOT NULL,
	`scheme` text NOT NULL,
	`scheme_version` integer DEFAULT 1 NOT NULL,
	`annotators_per_passage` integer DEFAULT 2 NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`csrf_token` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`password_hash` text NOT NULL,
	`is_admin` integer DEFAULT false NOT NULL,
	`can_create_projects` integer DEFAULT false NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`locale` text DEFAULT 'en' NOT NULL,
	`created_at` integer NOT NULL,
	`password_changed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);