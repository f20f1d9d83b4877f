DROP INDEX `relations_type_idx`;--> statement-breakpoint
DROP INDEX `spans_label_idx`;--> statement-breakpoint
DROP INDEX `history_project_idx`;