-- Published assignments that went with a removed staff member or post. Their rows in published_assignments go
-- with the person or post (foreign keys, and the person's data must go), so the conflict they leave behind — a
-- post without its person, a person whose day vanished — is kept here until a publish covers the date.
-- No name is kept: a removed person is named by their old id only.
CREATE TABLE removed_assignments (
    consortium_id     uuid NOT NULL REFERENCES consortia(id) ON DELETE CASCADE,
    staff_id          uuid NOT NULL,
    post_id           uuid NOT NULL,
    municipality_code char(6) NOT NULL,
    post_title        text NOT NULL,
    date              date NOT NULL,
    removed           text NOT NULL CHECK (removed IN ('staff', 'post')),
    removed_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (staff_id, post_id, date),
    FOREIGN KEY (consortium_id, municipality_code) REFERENCES municipalities(consortium_id, code) ON DELETE CASCADE
);
CREATE INDEX removed_assignments_by_date ON removed_assignments (consortium_id, date);

-- Schedules show these days marked, so their caches must hear about them.
CREATE TRIGGER removed_assignments_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON removed_assignments
    FOR EACH STATEMENT EXECUTE FUNCTION junkai_notify_change();
