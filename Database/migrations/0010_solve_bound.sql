-- What a finished solve proved about its plan: the lower bound computed beside the search (no plan that keeps
-- every hard rule scores below it) and the gap (objective − bound) / objective of the stored objective.
-- Both stay NULL for jobs that never finished or ran without a bound.

ALTER TABLE solve_jobs
    ADD COLUMN bound bigint,
    ADD COLUMN gap double precision CHECK (gap >= 0 AND gap <= 1),
    ADD CONSTRAINT solve_jobs_gap_with_bound CHECK (gap IS NULL OR bound IS NOT NULL);
