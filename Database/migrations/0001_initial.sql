-- Junkai schema, version 1. Forward-only: never edit this file once applied; add 0002_… instead.

CREATE TABLE consortia (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    closed_dates date[] NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE municipalities (
    consortium_id uuid NOT NULL REFERENCES consortia(id) ON DELETE CASCADE,
    code          char(6) NOT NULL CHECK (code ~ '^[0-9]{6}$'),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    prefecture    text NOT NULL,
    kana          text NOT NULL,
    lat           double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon           double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consortium_id, code)
);

CREATE TABLE skills (
    consortium_id uuid NOT NULL REFERENCES consortia(id) ON DELETE CASCADE,
    id            text NOT NULL CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    PRIMARY KEY (consortium_id, id)
);

CREATE TABLE posts (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    consortium_id      uuid NOT NULL,
    municipality_code  char(6) NOT NULL,
    title              text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    days_per_week      int NOT NULL CHECK (days_per_week BETWEEN 1 AND 5),
    allowed_weekdays   int[] NOT NULL DEFAULT '{1,2,3,4,5}'
                       CHECK (cardinality(allowed_weekdays) >= 1 AND allowed_weekdays <@ '{1,2,3,4,5,6,7}'),
    preferred_weekdays int[] NOT NULL DEFAULT '{}' CHECK (preferred_weekdays <@ '{1,2,3,4,5,6,7}'),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (consortium_id, id),
    FOREIGN KEY (consortium_id, municipality_code) REFERENCES municipalities(consortium_id, code)
);

CREATE TABLE post_requirements (
    consortium_id uuid NOT NULL,
    post_id       uuid NOT NULL,
    skill_id      text NOT NULL,
    min_level     int NOT NULL CHECK (min_level BETWEEN 1 AND 5),
    PRIMARY KEY (post_id, skill_id),
    FOREIGN KEY (consortium_id, post_id) REFERENCES posts(consortium_id, id) ON DELETE CASCADE,
    FOREIGN KEY (consortium_id, skill_id) REFERENCES skills(consortium_id, id)
);

CREATE TABLE staff (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    consortium_id         uuid NOT NULL REFERENCES consortia(id) ON DELETE CASCADE,
    name                  text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    home_lat              double precision NOT NULL CHECK (home_lat BETWEEN -90 AND 90),
    home_lon              double precision NOT NULL CHECK (home_lon BETWEEN -180 AND 180),
    max_days_per_week     int NOT NULL CHECK (max_days_per_week BETWEEN 1 AND 5),
    target_days_per_week  int CHECK (target_days_per_week BETWEEN 0 AND max_days_per_week),
    available_weekdays    int[] NOT NULL DEFAULT '{1,2,3,4,5}' CHECK (available_weekdays <@ '{1,2,3,4,5,6,7}'),
    max_travel_km         int CHECK (max_travel_km >= 0),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (consortium_id, id)
);

CREATE TABLE staff_skills (
    consortium_id uuid NOT NULL,
    staff_id      uuid NOT NULL,
    skill_id      text NOT NULL,
    level         int NOT NULL CHECK (level BETWEEN 1 AND 5),
    PRIMARY KEY (staff_id, skill_id),
    FOREIGN KEY (consortium_id, staff_id) REFERENCES staff(consortium_id, id) ON DELETE CASCADE,
    FOREIGN KEY (consortium_id, skill_id) REFERENCES skills(consortium_id, id)
);

CREATE TABLE staff_unavailability (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    consortium_id uuid NOT NULL,
    staff_id      uuid NOT NULL,
    date          date NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('unavailable', 'undesired')),
    note          text CHECK (length(note) <= 1000),
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (staff_id, date, kind),
    FOREIGN KEY (consortium_id, staff_id) REFERENCES staff(consortium_id, id) ON DELETE CASCADE
);

CREATE TABLE tokens (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    token_hash        bytea NOT NULL UNIQUE,
    role              text NOT NULL CHECK (role IN ('admin', 'coordinator', 'municipality', 'staff')),
    consortium_id     uuid REFERENCES consortia(id) ON DELETE CASCADE,
    municipality_code char(6),
    staff_id          uuid,
    label             text CHECK (length(label) <= 200),
    created_at        timestamptz NOT NULL DEFAULT now(),
    revoked_at        timestamptz,
    CHECK ((role = 'admin') = (consortium_id IS NULL)),
    CHECK ((role = 'municipality') = (municipality_code IS NOT NULL)),
    CHECK ((role = 'staff') = (staff_id IS NOT NULL)),
    FOREIGN KEY (consortium_id, municipality_code) REFERENCES municipalities(consortium_id, code) ON DELETE CASCADE,
    FOREIGN KEY (consortium_id, staff_id) REFERENCES staff(consortium_id, id) ON DELETE CASCADE
);

CREATE TABLE requests (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    consortium_id     uuid NOT NULL,
    post_id           uuid NOT NULL,
    date              date NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('required', 'preferred')),
    note              text CHECK (length(note) <= 1000),
    status            text NOT NULL DEFAULT 'submitted'
                      CHECK (status IN ('submitted', 'accepted', 'declined', 'withdrawn')),
    decline_reason    text CHECK (length(decline_reason) <= 1000),
    created_by        uuid REFERENCES tokens(id) ON DELETE SET NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (consortium_id, post_id) REFERENCES posts(consortium_id, id) ON DELETE CASCADE
);
CREATE INDEX requests_by_post_date ON requests (consortium_id, post_id, date);

CREATE TABLE plans (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    consortium_id uuid NOT NULL REFERENCES consortia(id) ON DELETE CASCADE,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    period_start  date NOT NULL,
    period_end    date NOT NULL,
    status        text NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'solving', 'solved', 'published', 'superseded')),
    version       int NOT NULL DEFAULT 1 CHECK (version >= 1),
    objective     bigint,
    terms         jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz,
    CHECK (period_end >= period_start AND period_end - period_start <= 400),
    UNIQUE (consortium_id, id)
);

-- The working copy of a plan's assignments (draft or solved); H2/H3 hold here too.
CREATE TABLE plan_assignments (
    consortium_id uuid NOT NULL,
    plan_id       uuid NOT NULL,
    staff_id      uuid NOT NULL,
    post_id       uuid NOT NULL,
    date          date NOT NULL,
    pinned        boolean NOT NULL DEFAULT false,
    PRIMARY KEY (plan_id, post_id, date),
    UNIQUE (plan_id, staff_id, date),
    FOREIGN KEY (consortium_id, plan_id) REFERENCES plans(consortium_id, id) ON DELETE CASCADE,
    FOREIGN KEY (consortium_id, staff_id) REFERENCES staff(consortium_id, id) ON DELETE CASCADE,
    FOREIGN KEY (consortium_id, post_id) REFERENCES posts(consortium_id, id) ON DELETE CASCADE
);

-- The published schedule: one row per (staff, post, date) ever published, cancelled rows kept for feeds.
-- The partial unique indexes make double bookings impossible, whatever races between publishes.
CREATE TABLE published_assignments (
    consortium_id uuid NOT NULL,
    staff_id      uuid NOT NULL,
    post_id       uuid NOT NULL,
    date          date NOT NULL,
    plan_id       uuid NOT NULL,
    status        text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'cancelled')),
    sequence      int NOT NULL DEFAULT 0 CHECK (sequence >= 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (staff_id, post_id, date),
    FOREIGN KEY (consortium_id, plan_id) REFERENCES plans(consortium_id, id),
    FOREIGN KEY (consortium_id, staff_id) REFERENCES staff(consortium_id, id) ON DELETE CASCADE,
    FOREIGN KEY (consortium_id, post_id) REFERENCES posts(consortium_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX published_one_place_a_day ON published_assignments (staff_id, date) WHERE status = 'confirmed';
CREATE UNIQUE INDEX published_one_person_a_seat ON published_assignments (post_id, date) WHERE status = 'confirmed';
CREATE INDEX published_by_staff_date ON published_assignments (consortium_id, staff_id, date);
CREATE INDEX published_by_post_date ON published_assignments (consortium_id, post_id, date);

-- Background solving, claimed with SKIP LOCKED so any server instance can run or report a job.
CREATE TABLE solve_jobs (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    consortium_id uuid NOT NULL,
    plan_id       uuid NOT NULL,
    status        text NOT NULL DEFAULT 'queued'
                  CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    seconds       double precision NOT NULL CHECK (seconds > 0 AND seconds <= 600),
    seed          bigint NOT NULL DEFAULT 1,
    attempts      int NOT NULL DEFAULT 0,
    worker        text,
    heartbeat_at  timestamptz,
    progress      jsonb NOT NULL DEFAULT '[]',
    error         text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    started_at    timestamptz,
    finished_at   timestamptz,
    FOREIGN KEY (consortium_id, plan_id) REFERENCES plans(consortium_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX one_active_job_per_plan ON solve_jobs (plan_id) WHERE status IN ('queued', 'running');
CREATE INDEX solve_jobs_queue ON solve_jobs (created_at) WHERE status = 'queued';

CREATE TABLE calendar_feeds (
    staff_id      uuid PRIMARY KEY,
    consortium_id uuid NOT NULL,
    token_hash    bytea NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (consortium_id, staff_id) REFERENCES staff(consortium_id, id) ON DELETE CASCADE
);

-- Who changed what: ids and actions only, never names or other personal data.
CREATE TABLE audit_log (
    id            bigserial PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    consortium_id uuid,
    token_id      uuid,
    role          text NOT NULL,
    action        text NOT NULL,
    resource      text NOT NULL,
    resource_id   text,
    detail        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_by_consortium ON audit_log (consortium_id, at);
