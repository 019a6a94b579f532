-- Why a job's delivery failed for good (e.g. Discord 50007: the user's DMs are closed); set with delivered_ms so the
-- adapter does not try again after a restart.
ALTER TABLE gen_job ADD COLUMN delivery_failure VARCHAR(500);
