-- Posts that mention the bot on a platform (X), each stored before it is answered, and the reply made to it.
-- Times are epoch milliseconds from the injected clock.
CREATE TABLE mention (
  platform        VARCHAR(16)   NOT NULL,
  post_id         VARCHAR(40)   NOT NULL,
  author_id       VARCHAR(60)   NOT NULL,
  author_name     VARCHAR(100)  NOT NULL,
  conversation_id VARCHAR(40),
  post_text       VARCHAR(4000) NOT NULL,
  posted_ms       BIGINT        NOT NULL,
  seen_ms         BIGINT        NOT NULL,
  state           VARCHAR(10)   NOT NULL,
  job_id          BIGINT,
  refusal         VARCHAR(2000),
  attempts        INT           DEFAULT 0 NOT NULL,
  reply_id        VARCHAR(40),
  replied_ms      BIGINT,
  note            VARCHAR(2000),
  updated_ms      BIGINT        NOT NULL,
  PRIMARY KEY (platform, post_id)
);
CREATE INDEX mention_state ON mention (platform, state, posted_ms);
CREATE INDEX mention_author ON mention (platform, author_id, replied_ms);
CREATE INDEX mention_conversation ON mention (platform, conversation_id, state);

-- What the platform bills, counted per calendar month (UTC): post reads and posts created.
CREATE TABLE mention_budget (
  platform  VARCHAR(16) NOT NULL,
  kind      VARCHAR(10) NOT NULL,
  month_key VARCHAR(7)  NOT NULL,
  used      BIGINT      DEFAULT 0 NOT NULL,
  PRIMARY KEY (platform, kind, month_key)
);
