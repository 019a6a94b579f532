-- Retention: the daily pruning pass finds old finished jobs by their finish time, and one row decides which process
-- runs the next pass (an UPDATE that moves the due time only one claimer can win).
CREATE INDEX gen_job_finished ON gen_job (finished_ms);
INSERT INTO sched_setting (name, setting_value) VALUES ('prune.due_ms', '0');
