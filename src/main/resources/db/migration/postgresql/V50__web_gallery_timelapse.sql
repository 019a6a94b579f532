-- The web face (issue 17): which results may be shown publicly, and each job's timelapse video.
-- Existing jobs stay PRIVATE: nobody agreed to show them.
ALTER TABLE gen_job ADD COLUMN visibility VARCHAR(10) DEFAULT 'PRIVATE' NOT NULL;
-- the gallery: finished public jobs, newest first
CREATE INDEX gen_job_gallery ON gen_job (state, visibility, finished_ms);

CREATE TABLE job_timelapse (
  job_id       BIGINT       PRIMARY KEY REFERENCES gen_job (id),
  content_type VARCHAR(40)  NOT NULL,
  frames       INT          NOT NULL,
  video        BYTEA        NOT NULL
);
