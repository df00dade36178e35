-- The coverage page (posts × weeks with the explainer's reasons) is built from a plan's whole planning problem; the
-- server keeps it in memory until anything it is built from changes. These tables join those of 0005 in raising
-- junkai_changes, so a kept page is never older than the data (all are written rarely, by people, not by polling).
CREATE TRIGGER plans_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plans
    FOR EACH STATEMENT EXECUTE FUNCTION junkai_notify_change();
CREATE TRIGGER plan_assignments_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plan_assignments
    FOR EACH STATEMENT EXECUTE FUNCTION junkai_notify_change();
CREATE TRIGGER requests_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON requests
    FOR EACH STATEMENT EXECUTE FUNCTION junkai_notify_change();
CREATE TRIGGER staff_unavailability_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON staff_unavailability
    FOR EACH STATEMENT EXECUTE FUNCTION junkai_notify_change();
CREATE TRIGGER skills_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON skills
    FOR EACH STATEMENT EXECUTE FUNCTION junkai_notify_change();
CREATE TRIGGER staff_skills_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON staff_skills
    FOR EACH STATEMENT EXECUTE FUNCTION junkai_notify_change();
CREATE TRIGGER post_requirements_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON post_requirements
    FOR EACH STATEMENT EXECUTE FUNCTION junkai_notify_change();
