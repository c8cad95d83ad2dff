-- Which replica sequences the log (docs/ha.md). Holding the PostgreSQL advisory lock makes a replica
-- the leader; this row only tells the others where to forward appends and with which secret.
CREATE TABLE cluster_leader (
  id INT PRIMARY KEY,
  replica VARCHAR(256) NOT NULL,
  url VARCHAR(2048) NOT NULL,
  forward_secret VARCHAR(128) NOT NULL,
  term BIGINT NOT NULL,
  since BIGINT NOT NULL
);
INSERT INTO cluster_leader (id, replica, url, forward_secret, term, since) VALUES (1, '', '', '', 0, 0);
