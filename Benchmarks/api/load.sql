-- Benchmark data, set-based: one consortium of Nara's 39 municipalities, 500 posts, 1,000 staff, and
-- fiscal year 2027 (2027-04-01..2028-03-31) of published assignments, each staff member 2 or 3 working
-- days a week at the same post per weekday. About 2% of the rows are cancelled (kept for the feeds).
-- Run with psql from the repository root (it reads the bundled register and holiday CSVs).
\set ON_ERROR_STOP on

CREATE TEMP TABLE reg (code text, prefecture text, name text, kana text, kind text, lat float8, lon float8, url text);
\copy reg FROM 'Sources/JunkaiCore/Resources/lg_register.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE holidays (day text, name text);
\copy holidays FROM 'Sources/JunkaiCore/Resources/syukujitsu.csv' WITH (FORMAT csv, HEADER true)

BEGIN;
INSERT INTO consortia (id, name) VALUES ('00000000-0000-4000-8000-000000000001', '奈良県DX人材共同任用（ベンチマーク）');

INSERT INTO municipalities (consortium_id, code, name, prefecture, kana, lat, lon)
SELECT '00000000-0000-4000-8000-000000000001', code, name, prefecture, kana, lat, lon
FROM reg WHERE prefecture = '奈良県' AND kind IN ('city', 'town', 'village');

-- 500 posts, spread over the municipalities in turn.
INSERT INTO posts (consortium_id, municipality_code, title, days_per_week)
SELECT '00000000-0000-4000-8000-000000000001', m.code, m.name || ' DX推進支援 ' || n, 5
FROM generate_series(0, 499) n
JOIN (SELECT code, name, row_number() OVER (ORDER BY code) - 1 AS k, count(*) OVER () AS total
      FROM municipalities WHERE consortium_id = '00000000-0000-4000-8000-000000000001') m
  ON m.k = n % m.total;

INSERT INTO staff (consortium_id, name, home_lat, home_lon, max_days_per_week)
SELECT '00000000-0000-4000-8000-000000000001', '職員 ' || n, 34.4 + (n % 50) * 0.01, 135.7 + (n % 37) * 0.01, 3
FROM generate_series(1, 1000) n;

INSERT INTO plans (id, consortium_id, name, period_start, period_end, status, published_at)
VALUES ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', '2027年度',
        '2027-04-01', '2028-03-31', 'published', now());

-- Ten weekday patterns, five with three days and five with two; every weekday is in exactly five of them,
-- so with 100 staff per pattern 500 staff work each weekday, one per post.
WITH days AS (
    SELECT d::date AS date, extract(isodow FROM d)::int AS wd
    FROM generate_series('2027-04-01'::date, '2028-03-31'::date, '1 day') d
    WHERE extract(isodow FROM d) < 6
      AND NOT (to_char(d, 'MM-DD') >= '12-29' OR to_char(d, 'MM-DD') <= '01-03')
      AND d::date NOT IN (SELECT to_date(day, 'YYYY/MM/DD') FROM holidays)
), patterns(k, wd) AS (
    VALUES (0, '{1,3,5}'::int[]), (1, '{2,4}'), (2, '{1,2,4}'), (3, '{3,5}'), (4, '{2,3,5}'),
           (5, '{1,4}'), (6, '{1,3,4}'), (7, '{2,5}'), (8, '{1,2,5}'), (9, '{3,4}')
), st AS (
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS i
    FROM staff WHERE consortium_id = '00000000-0000-4000-8000-000000000001'
), po AS (
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS j
    FROM posts WHERE consortium_id = '00000000-0000-4000-8000-000000000001'
), working AS (
    SELECT st.id AS staff_id, days.date,
           row_number() OVER (PARTITION BY days.date ORDER BY st.i) - 1 AS j
    FROM days
    JOIN st ON true
    JOIN patterns p ON p.k = st.i % 10
    WHERE days.wd = ANY (p.wd)
)
INSERT INTO published_assignments (consortium_id, staff_id, post_id, date, plan_id)
SELECT '00000000-0000-4000-8000-000000000001', w.staff_id, po.id, w.date, '00000000-0000-4000-8000-000000000002'
FROM working w JOIN po ON po.j = w.j;

UPDATE published_assignments SET status = 'cancelled', sequence = 1
WHERE consortium_id = '00000000-0000-4000-8000-000000000001' AND abs(hashtext(staff_id::text || date)) % 50 = 0;

-- One staff token and one calendar feed per staff member. The secrets are derived from the ids (this is a
-- benchmark database); the stored form is SHA-256 of the secret, as Secret.hash computes it.
INSERT INTO tokens (token_hash, role, consortium_id, staff_id, label)
SELECT sha256(convert_to('jk_bench_' || replace(id::text, '-', ''), 'UTF8')), 'staff', consortium_id, id, 'bench'
FROM staff WHERE consortium_id = '00000000-0000-4000-8000-000000000001';
INSERT INTO calendar_feeds (staff_id, consortium_id, token_hash)
SELECT id, consortium_id, sha256(convert_to('jkc_bench_' || replace(id::text, '-', ''), 'UTF8'))
FROM staff WHERE consortium_id = '00000000-0000-4000-8000-000000000001';
COMMIT;

ANALYZE;
