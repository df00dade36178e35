-- The pre-solve diagnostics of the instance a job solved (JunkaiSolver's Diagnostics as JSON), written by the worker
-- when it starts the job, so that every server instance reports them with the job.
ALTER TABLE solve_jobs ADD COLUMN diagnostics jsonb;
