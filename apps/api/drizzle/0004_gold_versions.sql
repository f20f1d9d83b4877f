CREATE TABLE `gold_versions` (
	`passage_id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`adjudicator_id` text NOT NULL,
	`status` text NOT NULL,
	`category` text,
	`category_sources` text NOT NULL,
	`spans` text NOT NULL,
	`relations` text NOT NULL,
	`note` text,
	`version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`passage_id`) REFERENCES `passages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`adjudicator_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `gold_versions_project_idx` ON `gold_versions` (`project_id`,`status`);