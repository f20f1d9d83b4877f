CREATE TABLE `pre_annotations` (
	`passage_id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`import_id` text,
	`source` text NOT NULL,
	`category` text,
	`content` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`passage_id`) REFERENCES `passages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`import_id`) REFERENCES `imports`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `pre_annotations_project_idx` ON `pre_annotations` (`project_id`);--> statement-breakpoint
CREATE TABLE `releases` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`version` integer NOT NULL,
	`name` text NOT NULL,
	`options` text NOT NULL,
	`manifest` text NOT NULL,
	`bytes` integer NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `releases_project_version_idx` ON `releases` (`project_id`,`version`);--> statement-breakpoint
ALTER TABLE `imports` ADD `mode` text;--> statement-breakpoint
ALTER TABLE `imports` ADD `source` text;--> statement-breakpoint
ALTER TABLE `imports` ADD `annotation_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `imported` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- An imported annotator's set takes no place among a passage's annotators (0001, 0003): it is
-- compared and adjudicated, but the passage is still handed to as many people as the project asks.
DROP TRIGGER `annotation_sets_assignment_limit`;
--> statement-breakpoint
CREATE TRIGGER `annotation_sets_assignment_limit`
BEFORE INSERT ON `annotation_sets`
WHEN (SELECT `imported` FROM `users` WHERE `id` = NEW.`user_id`) = 0
  AND (SELECT count(*) FROM `annotation_sets` s JOIN `users` u ON u.`id` = s.`user_id`
       WHERE s.`passage_id` = NEW.`passage_id` AND s.`status` != 'skipped' AND u.`imported` = 0)
  >= (SELECT `annotators_per_passage` FROM `projects` WHERE `id` = NEW.`project_id`)
BEGIN
  SELECT RAISE(ABORT, 'passage already has its full number of annotators');
END;
--> statement-breakpoint
DROP TRIGGER `annotation_sets_unskip_limit`;
--> statement-breakpoint
CREATE TRIGGER `annotation_sets_unskip_limit`
BEFORE UPDATE OF `status` ON `annotation_sets`
WHEN OLD.`status` = 'skipped' AND NEW.`status` != 'skipped'
  AND (SELECT `imported` FROM `users` WHERE `id` = NEW.`user_id`) = 0
  AND (SELECT count(*) FROM `annotation_sets` s JOIN `users` u ON u.`id` = s.`user_id`
       WHERE s.`passage_id` = NEW.`passage_id` AND s.`status` != 'skipped' AND u.`imported` = 0)
  >= (SELECT `annotators_per_passage` FROM `projects` WHERE `id` = NEW.`project_id`)
BEGIN
  SELECT RAISE(ABORT, 'passage already has its full number of annotators');
END;
--> statement-breakpoint
-- A release is immutable: its row (and so its manifest) is never rewritten.
CREATE TRIGGER `releases_immutable` BEFORE UPDATE ON `releases`
BEGIN
  SELECT RAISE(ABORT, 'a release is immutable');
END;
