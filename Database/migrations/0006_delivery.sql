-- Delivery (docs/delivery.md): work records, and the fiscal year's cost share (負担金). Forward-only: never edit
-- this file once applied.

-- One record per (staff, post, date): what the staff member actually did there that day. The summary is free text
-- about real people's work: it is never copied into audit_log.
CREATE TABLE work_records (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    consortium_id  uuid NOT NULL,
    staff_id       uuid NOT NULL,
    post_id        uuid NOT NULL,
    date           date NOT NULL CHECK (date >= '2000-01-01'),
    mode           text NOT NULL CHECK (mode IN ('onsite', 'remote', 'absent')),
    minutes        int  NOT NULL,
    category       text NOT NULL
                   CHECK (category IN ('consultation', 'meeting', 'training', 'planning', 'system', 'other')),
    summary        text NOT NULL CHECK (char_length(summary) BETWEEN 1 AND 2000),
    status         text NOT NULL DEFAULT 'reported' CHECK (status IN ('reported', 'confirmed', 'returned')),
    return_reason  text CHECK (char_length(return_reason) BETWEEN 1 AND 1000),
    version        int  NOT NULL DEFAULT 1 CHECK (version >= 1),
    -- Token ids, as in audit_log: no foreign key, so that removing a token never rewrites a locked record.
    created_by     uuid,
    updated_by     uuid,
    confirmed_by   uuid,
    confirmed_at   timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT work_records_minutes_fit_mode
        CHECK (CASE WHEN mode = 'absent' THEN minutes = 0 ELSE minutes BETWEEN 1 AND 1440 END),
    CONSTRAINT work_records_reason_iff_returned CHECK ((status = 'returned') = (return_reason IS NOT NULL)),
    CONSTRAINT work_records_confirmed_at_iff_confirmed CHECK ((status = 'confirmed') = (confirmed_at IS NOT NULL)),
    CONSTRAINT work_records_one_per_staff_post_date UNIQUE (staff_id, post_id, date),
    -- No cascade: a staff member or post with work records (the consortium's accounts) cannot be deleted.
    FOREIGN KEY (consortium_id, staff_id) REFERENCES staff(consortium_id, id),
    FOREIGN KEY (consortium_id, post_id) REFERENCES posts(consortium_id, id)
);
-- Lists, the delivery report and the cost share read a consortium's records by date range.
CREATE INDEX work_records_by_date ON work_records (consortium_id, date) INCLUDE (post_id, status, mode);

-- A list of records tells for each whether it was planned: the confirmed published days of the same date range,
-- read from the index alone.
CREATE INDEX published_confirmed_by_date ON published_assignments (consortium_id, date) INCLUDE (staff_id, post_id)
    WHERE status = 'confirmed';

-- A confirmed record is locked: only a change of status (the coordinator's reopen) may touch it, and it cannot be
-- deleted. The application already writes with `WHERE status <> 'confirmed'`; this holds for any other writer too.
CREATE FUNCTION work_records_confirmed_lock() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status = 'confirmed' THEN
            RAISE EXCEPTION 'work record % is confirmed and locked', OLD.id USING ERRCODE = '55000';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status = 'confirmed' AND NEW.status = 'confirmed' THEN
        RAISE EXCEPTION 'work record % is confirmed and locked', OLD.id USING ERRCODE = '55000';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER work_records_confirmed_lock BEFORE UPDATE OR DELETE ON work_records
    FOR EACH ROW EXECUTE FUNCTION work_records_confirmed_lock();

-- Monthly counts per post, kept by the database as records and published assignments change, so that the delivery
-- report and the cost share read a few thousand rows instead of a year of records and assignments. Statement-level
-- triggers fold each statement's rows into one upsert (a publish of 100,000 assignments is one statement), taking
-- the counter rows in key order so that concurrent writers queue rather than deadlock. (No CHECK (n >= 0): an upsert
-- checks the row it proposes, which for a decrement is the negative delta itself.)
CREATE TABLE delivery_month_counts (
    consortium_id uuid NOT NULL,
    post_id       uuid NOT NULL,
    month         date NOT NULL CHECK (extract(day FROM month) = 1),
    -- Confirmed published assignments dated in the month.
    planned       int NOT NULL DEFAULT 0,
    -- Work records `reported` or `returned` with mode onsite or remote.
    reported      int NOT NULL DEFAULT 0,
    -- Confirmed work records by mode.
    onsite        int NOT NULL DEFAULT 0,
    remote        int NOT NULL DEFAULT 0,
    absent        int NOT NULL DEFAULT 0,
    PRIMARY KEY (post_id, month),
    FOREIGN KEY (consortium_id, post_id) REFERENCES posts(consortium_id, id) ON DELETE CASCADE
);
CREATE INDEX delivery_month_counts_by_month ON delivery_month_counts (consortium_id, month);

-- The statement that adds the changed rows' contributions (from the statement's transition tables new_rows and
-- old_rows, which only the trigger function itself can read) to the counts: `columns` names the counters,
-- `expressions` says when a row counts in each. Posts already deleted are skipped (their counts go with them).
CREATE FUNCTION delivery_counts_sql(op text, columns text[], expressions text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    parts text[] := '{}';
    plus text;
    minus text;
BEGIN
    SELECT string_agg(format('(%s)::int AS %I', e, c), ', '), string_agg(format('-(%s)::int AS %I', e, c), ', ')
    INTO plus, minus FROM unnest(expressions, columns) AS t(e, c);
    IF op IN ('INSERT', 'UPDATE') THEN
        parts := parts || format('SELECT post_id, date_trunc(''month'', date)::date AS month, %s FROM new_rows', plus);
    END IF;
    IF op IN ('DELETE', 'UPDATE') THEN
        parts := parts || format('SELECT post_id, date_trunc(''month'', date)::date AS month, %s FROM old_rows', minus);
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

CREATE FUNCTION published_assignments_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE delivery_counts_sql(TG_OP, ARRAY['planned'], ARRAY['status = ''confirmed''']);
    RETURN NULL;
END;
$$;
CREATE TRIGGER published_assignments_count_insert AFTER INSERT ON published_assignments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION published_assignments_count();
CREATE TRIGGER published_assignments_count_update AFTER UPDATE ON published_assignments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION published_assignments_count();
CREATE TRIGGER published_assignments_count_delete AFTER DELETE ON published_assignments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION published_assignments_count();

CREATE FUNCTION work_records_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE delivery_counts_sql(TG_OP,
        ARRAY['reported', 'onsite', 'remote', 'absent'],
        ARRAY['status <> ''confirmed'' AND mode <> ''absent''', 'status = ''confirmed'' AND mode = ''onsite''',
              'status = ''confirmed'' AND mode = ''remote''', 'status = ''confirmed'' AND mode = ''absent''']);
    RETURN NULL;
END;
$$;
CREATE TRIGGER work_records_count_insert AFTER INSERT ON work_records
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION work_records_count();
CREATE TRIGGER work_records_count_update AFTER UPDATE ON work_records
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION work_records_count();
CREATE TRIGGER work_records_count_delete AFTER DELETE ON work_records
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION work_records_count();

-- The schedules published before this migration.
INSERT INTO delivery_month_counts (consortium_id, post_id, month, planned)
SELECT consortium_id, post_id, date_trunc('month', date)::date, count(*)
FROM published_assignments WHERE status = 'confirmed'
GROUP BY consortium_id, post_id, date_trunc('month', date)::date;

-- The year's cost share: cost lines, the rule (均等割・人口割・実績割 in whole percent) and the populations.
-- While `open` the shares are computed from the current records; `fix` stores them in cost_share_results.
CREATE TABLE cost_shares (
    consortium_id    uuid NOT NULL REFERENCES consortia(id) ON DELETE CASCADE,
    fiscal_year      int  NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2100),
    status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'fixed')),
    rule_equal       int  NOT NULL CHECK (rule_equal BETWEEN 0 AND 100),
    rule_population  int  NOT NULL CHECK (rule_population BETWEEN 0 AND 100),
    rule_days        int  NOT NULL CHECK (rule_days BETWEEN 0 AND 100),
    population_basis text CHECK (char_length(population_basis) BETWEEN 1 AND 200),
    total_yen        bigint NOT NULL CHECK (total_yen BETWEEN 0 AND 1000000000000),
    version          int  NOT NULL DEFAULT 1 CHECK (version >= 1),
    fixed_at         timestamptz,
    fixed_by         uuid,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consortium_id, fiscal_year),
    CONSTRAINT cost_shares_rule_sums_to_100 CHECK (rule_equal + rule_population + rule_days = 100),
    CONSTRAINT cost_shares_fixed_at_iff_fixed CHECK ((status = 'fixed') = (fixed_at IS NOT NULL))
);

CREATE TABLE cost_share_costs (
    consortium_id uuid NOT NULL,
    fiscal_year   int  NOT NULL,
    position      int  NOT NULL CHECK (position >= 0),
    label         text NOT NULL CHECK (char_length(label) BETWEEN 1 AND 100),
    yen           bigint NOT NULL CHECK (yen BETWEEN 0 AND 1000000000000),
    PRIMARY KEY (consortium_id, fiscal_year, position),
    FOREIGN KEY (consortium_id, fiscal_year) REFERENCES cost_shares(consortium_id, fiscal_year) ON DELETE CASCADE
);

CREATE TABLE cost_share_populations (
    consortium_id     uuid NOT NULL,
    fiscal_year       int  NOT NULL,
    municipality_code char(6) NOT NULL CHECK (municipality_code ~ '^[0-9]{6}$'),
    population        bigint NOT NULL CHECK (population BETWEEN 1 AND 1000000000),
    PRIMARY KEY (consortium_id, fiscal_year, municipality_code),
    FOREIGN KEY (consortium_id, fiscal_year) REFERENCES cost_shares(consortium_id, fiscal_year) ON DELETE CASCADE
);

-- The frozen shares of a fixed year: members, names, populations and days as they were when fixed, so that later
-- records, renamed or departed members never move the year's figures.
CREATE TABLE cost_share_results (
    consortium_id     uuid NOT NULL,
    fiscal_year       int  NOT NULL,
    municipality_code char(6) NOT NULL CHECK (municipality_code ~ '^[0-9]{6}$'),
    municipality_name text NOT NULL,
    population        bigint CHECK (population >= 1),
    days              int    NOT NULL CHECK (days >= 0),
    equal_yen         bigint NOT NULL CHECK (equal_yen >= 0),
    population_yen    bigint NOT NULL CHECK (population_yen >= 0),
    days_yen          bigint NOT NULL CHECK (days_yen >= 0),
    total_yen         bigint NOT NULL,
    PRIMARY KEY (consortium_id, fiscal_year, municipality_code),
    CONSTRAINT cost_share_results_total CHECK (total_yen = equal_yen + population_yen + days_yen),
    FOREIGN KEY (consortium_id, fiscal_year) REFERENCES cost_shares(consortium_id, fiscal_year) ON DELETE CASCADE
);

-- A fixed year is frozen: its row changes only by reopening (status back to open), and its costs, populations
-- and results only while it is open. Fixing writes the results first and then the status; reopening the reverse.
CREATE FUNCTION cost_shares_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    cid uuid;
    fy int;
BEGIN
    IF TG_TABLE_NAME = 'cost_shares' THEN
        IF OLD.status = 'fixed' AND NEW.status = 'fixed' THEN
            RAISE EXCEPTION 'cost share %/% is fixed', OLD.consortium_id, OLD.fiscal_year USING ERRCODE = '55000';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN cid := NEW.consortium_id; fy := NEW.fiscal_year;
    ELSE cid := OLD.consortium_id; fy := OLD.fiscal_year;
    END IF;
    IF EXISTS (SELECT 1 FROM cost_shares c WHERE c.consortium_id = cid AND c.fiscal_year = fy AND c.status = 'fixed') THEN
        RAISE EXCEPTION 'cost share %/% is fixed', cid, fy USING ERRCODE = '55000';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER cost_shares_frozen BEFORE UPDATE ON cost_shares
    FOR EACH ROW EXECUTE FUNCTION cost_shares_frozen();
CREATE TRIGGER cost_share_costs_frozen BEFORE INSERT OR UPDATE OR DELETE ON cost_share_costs
    FOR EACH ROW EXECUTE FUNCTION cost_shares_frozen();
CREATE TRIGGER cost_share_populations_frozen BEFORE INSERT OR UPDATE OR DELETE ON cost_share_populations
    FOR EACH ROW EXECUTE FUNCTION cost_shares_frozen();
CREATE TRIGGER cost_share_results_frozen BEFORE INSERT OR UPDATE OR DELETE ON cost_share_results
    FOR EACH ROW EXECUTE FUNCTION cost_shares_frozen();
