-- Taking a skipped passage back (its set leaves 'skipped') needs a free place, as handing it out
-- does (0001): without this, an annotator who skipped, then un-skipped after someone else took
-- the place, would make one annotator too many.
CREATE TRIGGER `annotation_sets_unskip_limit`
BEFORE UPDATE OF `status` ON `annotation_sets`
WHEN OLD.`status` = 'skipped' AND NEW.`status` != 'skipped'
  AND (SELECT count(*) FROM `annotation_sets` WHERE `passage_id` = NEW.`passage_id` AND `status` != 'skipped')
  >= (SELECT `annotators_per_passage` FROM `projects` WHERE `id` = NEW.`project_id`)
BEGIN
  SELECT RAISE(ABORT, 'passage already has its full number of annotators');
END;
