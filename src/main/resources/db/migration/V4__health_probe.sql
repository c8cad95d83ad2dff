-- One row that readiness rewrites to prove the database takes writes.
CREATE TABLE health_probe (id INT PRIMARY KEY, checked_at BIGINT NOT NULL);
INSERT INTO health_probe (id, checked_at) VALUES (1, 0);
