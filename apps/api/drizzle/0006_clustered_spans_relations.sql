-- Spans and relations clustered on (set_id, id) (WITHOUT ROWID) with no other index. Every query
-- reads one set's rows, a short range of that key; the position, source and target indexes were
-- written on every save and for each of the millions of rows a large import writes, and read by
-- nothing a set's own range does not answer as fast.
CREATE TABLE `__new_spans` (
	`set_id` text NOT NULL,
	`id` text NOT NULL,
	`label` text NOT NULL,
	`start` integer NOT NULL,
	`end` integer NOT NULL,
	`note` text,
	PRIMARY KEY(`set_id`, `id`),
	FOREIGN KEY (`set_id`) REFERENCES `annotation_sets`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_spans` (`set_id`, `id`, `label`, `start`, `end`, `note`) SELECT `set_id`, `id`, `label`, `start`, `end`, `note` FROM `spans`;--> statement-breakpoint
DROP TABLE `spans`;--> statement-breakpoint
ALTER TABLE `__new_spans` RENAME TO `spans`;--> statement-breakpoint
CREATE TABLE `__new_relations` (
	`set_id` text NOT NULL,
	`id` text NOT NULL,
	`type` text NOT NULL,
	`source_id` text NOT NULL,
	`target_id` text NOT NULL,
	PRIMARY KEY(`set_id`, `id`),
	FOREIGN KEY (`set_id`) REFERENCES `annotation_sets`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_relations` (`set_id`, `id`, `type`, `source_id`, `target_id`) SELECT `set_id`, `id`, `type`, `source_id`, `target_id` FROM `relations`;--> statement-breakpoint
DROP TABLE `relations`;--> statement-breakpoint
ALTER TABLE `__new_relations` RENAME TO `relations`;
