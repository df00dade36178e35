-- Change notifications for the servers' in-process read caches.
--
-- The hot read paths (bearer token → principal, staff and municipality schedules, calendar feeds) are served
-- from memory. Every statement that writes a table those answers are built from raises a notification on the
-- channel junkai_changes, delivered to each listening server when the transaction commits (and never when it
-- rolls back); a server drops what it cached on receiving one, and caches nothing while it is not listening.
-- Statement-level triggers: one notification per statement at most, and PostgreSQL folds identical
-- notifications of one transaction into one.

CREATE FUNCTION junkai_notify_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('junkai_changes', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

CREATE TRIGGER consortia_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON consortia
    FOR EACH STATEMENT EXECUTE FUNCTION junkai_notify_change();
CREATE TRIGGER municipalities_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON municipalities
    FOR EACH STATEMENT EXECUTE FUNCTION junkai_notify_change();
CREATE TRIGGER posts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON posts
    FOR EACH STATEMENT EXECUTE FUNCTION junkai_notify_change();
CREATE TRIGGER staff_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON staff
    FOR EACH STATEMENT EXECUTE FUNCTION junkai_notify_change();
CREATE TRIGGER tokens_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tokens
    FOR EACH STATEMENT EXECUTE FUNCTION junkai_notify_change();
CREATE TRIGGER published_assignments_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON published_assignments
    FOR EACH STATEMENT EXECUTE FUNCTION junkai_notify_change();
CREATE TRIGGER calendar_feeds_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_feeds
    FOR EACH STATEMENT EXECUTE FUNCTION junkai_notify_change();
