-- The delivery report's accepted requests (and those met by the published schedule) as monthly counts beside the
-- others of delivery_month_counts (0006), so that the report reads only those counts: looking each accepted request
-- up in the published schedule took most of the report's time. Forward-only: never edit this file once applied.

-- No request or published day changes until this migration has committed, so that the triggers below and the backfill
-- at the end together count each one exactly once.
LOCK TABLE requests, published_assignments IN SHARE ROW EXCLUSIVE MODE;

ALTER TABLE delivery_month_counts
    -- Accepted requests dated in the month, and those of them with a confirmed published assignment at the same post
    -- on the same date (at most one of each per post and date: requests_one_open, published_one_person_a_seat).
    ADD COLUMN requests_accepted int NOT NULL DEFAULT 0,
    ADD COLUMN requests_met      int NOT NULL DEFAULT 0;

-- As in 0006, each changed row as `t`, so that an expression can look up another table by the row's post and date.
CREATE OR REPLACE FUNCTION delivery_counts_sql(op text, columns text[], expressions text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    parts text[] := '{}';
    plus text;
    minus text;
BEGIN
    SELECT string_agg(format('(%s)::int AS %I', e, c), ', '), string_agg(format('-(%s)::int AS %I', e, c), ', ')
    INTO plus, minus FROM unnest(expressions, columns) AS x(e, c);
    IF op IN ('INSERT', 'UPDATE') THEN
        parts := parts || format('SELECT t.post_id, date_trunc(''month'', t.date)::date AS month, %s FROM new_rows t', plus);
    END IF;
    IF op IN ('DELETE', 'UPDATE') THEN
        parts := parts || format('SELECT t.post_id, date_trunc(''month'', t.date)::date AS month, %s FROM old_rows t', minus);
    END IF;
    RETURN format($q$
        INSERT INTO delivery_month_counts AS d (consortium_id, post_id, month, %1$s)
        SELECT p.consortium_id, x.post_id, x.month, %2$s
        FROM (SELECT post_id, month, %3$s FROM (%4$s) r GROUP BY post_id, month) x
        JOIN posts p ON p.id = x.post_id
        WHERE %5$s
        ORDER BY x.post_id, x.month
        ON CONFLICT (post_id, month) DO UPDATE SET %6$s
        $q$,
        (SELECT string_agg(format('%I', c), ', ') FROM unnest(columns) AS c),
        (SELECT string_agg(format('x.%I', c), ', ') FROM unnest(columns) AS c),
        (SELECT string_agg(format('sum(%I)::int AS %I', c, c), ', ') FROM unnest(columns) AS c),
        array_to_string(parts, ' UNION ALL '),
        (SELECT string_agg(format('x.%I <> 0', c), ' OR ') FROM unnest(columns) AS c),
        (SELECT string_agg(format('%I = d.%I + EXCLUDED.%I', c, c, c), ', ') FROM unnest(columns) AS c));
END;
$$;

-- requests_met depends on two tables, and a change to one counts with the other as its statement sees it: two
-- transactions changing a request and the published day at the same post and date must not both count without the
-- other. So a statement that changes a confirmed published assignment takes its consortium's row FOR NO KEY UPDATE
-- (as publish already does first), one that changes an accepted request FOR SHARE (as a withdrawal already does)
-- before counting; whichever comes second waits for the first to commit and then counts with its rows in view (READ
-- COMMITTED: the counting statement takes a new snapshot). Statements that touch no counted row take no lock.
CREATE OR REPLACE FUNCTION published_assignments_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM 1 FROM consortia
        WHERE id IN (SELECT consortium_id FROM new_rows WHERE status = 'confirmed') ORDER BY id FOR NO KEY UPDATE;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        PERFORM 1 FROM consortia
        WHERE id IN (SELECT consortium_id FROM old_rows WHERE status = 'confirmed') ORDER BY id FOR NO KEY UPDATE;
    END IF;
    EXECUTE delivery_counts_sql(TG_OP, ARRAY['planned', 'requests_met'],
        ARRAY['t.status = ''confirmed''',
              't.status = ''confirmed'' AND EXISTS (SELECT 1 FROM requests q WHERE q.post_id = t.post_id '
              || 'AND q.date = t.date AND q.status = ''accepted'')']);
    RETURN NULL;
END;
$$;

CREATE FUNCTION requests_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM 1 FROM consortia
        WHERE id IN (SELECT consortium_id FROM new_rows WHERE status = 'accepted') ORDER BY id FOR SHARE;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        PERFORM 1 FROM consortia
        WHERE id IN (SELECT consortium_id FROM old_rows WHERE status = 'accepted') ORDER BY id FOR SHARE;
    END IF;
    EXECUTE delivery_counts_sql(TG_OP, ARRAY['requests_accepted', 'requests_met'],
        ARRAY['t.status = ''accepted''',
              't.status = ''accepted'' AND EXISTS (SELECT 1 FROM published_assignments pa WHERE pa.post_id = t.post_id '
              || 'AND pa.date = t.date AND pa.status = ''confirmed'')']);
    RETURN NULL;
END;
$$;
CREATE TRIGGER requests_count_insert AFTER INSERT ON requests
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION requests_count();
CREATE TRIGGER requests_count_update AFTER UPDATE ON requests
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION requests_count();
CREATE TRIGGER requests_count_delete AFTER DELETE ON requests
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION requests_count();

-- The requests accepted before this migration.
INSERT INTO delivery_month_counts AS d (consortium_id, post_id, month, requests_accepted, requests_met)
SELECT r.consortium_id, r.post_id, date_trunc('month', r.date)::date, count(*),
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM published_assignments pa
                                      WHERE pa.post_id = r.post_id AND pa.date = r.date AND pa.status = 'confirmed'))
FROM requests r
WHERE r.status = 'accepted'
GROUP BY r.consortium_id, r.post_id, date_trunc('month', r.date)::date
ORDER BY 2, 3
ON CONFLICT (post_id, month) DO UPDATE
SET requests_accepted = EXCLUDED.requests_accepted, requests_met = EXCLUDED.requests_met;
