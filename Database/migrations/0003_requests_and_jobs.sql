-- Helper E (requests, plans, solving). Forward-only: never edit once applied.

-- One open request per post and day: two would count the same missed day twice in the objective.
CREATE UNIQUE INDEX requests_one_open ON requests (post_id, date) WHERE status IN ('submitted', 'accepted');

-- The workers' stale-job sweep reads only running jobs.
CREATE INDEX solve_jobs_running ON solve_jobs (heartbeat_at) WHERE status = 'running';
