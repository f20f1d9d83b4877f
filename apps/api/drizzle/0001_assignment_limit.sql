-- A passage is never handed to more annotators than its project asks for, even if two
-- processes race: the database itself refuses the extra annotation set. Skipped sets have
-- given their place back.
CREATE TRIGGER `annotation_sets_assignment_limit`
BEFORE INSERT ON `annotation_sets`
WHEN (SELECT count(*) FROM `annotation_sets` WHERE `passage_id` = NEW.`passage_id` AND `status` != 'skipped')
  >= (SELECT `annotators_per_passage` FROM `projects` WHERE `id` = NEW.`project_id`)
BEGIN
  SELECT RAISE(ABORT, 'passage already has its full number of annotators');
END;
--> statement-breakpoint
-- History is append-only: nothing rewrites or removes what was recorded.
CREATE TRIGGER `history_append_only_update` BEFORE UPDATE ON `history`
BEGIN
  SELECT RAISE(ABORT, 'history is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `history_append_only_delete` BEFORE DELETE ON `history`
BEGIN
  SELECT RAISE(ABORT, 'history is append-only');
END;
