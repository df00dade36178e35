-- Readable data and feeds people read (issue 9, points 4 and 7).
--
-- A post may carry a short code (e.g. "NARA-CIO2") so that two posts with the same title are told apart in every
-- answer, page and feed; codes are unique within a consortium, titles need not be.
ALTER TABLE posts ADD COLUMN code text CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,15}$');
CREATE UNIQUE INDEX posts_code_unique ON posts (consortium_id, code) WHERE code IS NOT NULL;

-- Whom staff and desks call about the rotation (the coordinator's desk: a name, a phone, an address), shown in
-- every calendar event; and a member's office address, the LOCATION of its events (the register has only the
-- office's position).
ALTER TABLE consortia ADD COLUMN contact text CHECK (length(contact) BETWEEN 1 AND 500);
ALTER TABLE municipalities ADD COLUMN address text CHECK (length(address) BETWEEN 1 AND 200);

-- A member municipality's calendar feed (who comes when): a credential of its own like a staff member's feed,
-- one live secret per member, ended by issuing a new one, by revoking it or by removing the member.
CREATE TABLE municipality_calendar_feeds (
    consortium_id     uuid NOT NULL,
    municipality_code char(6) NOT NULL,
    token_hash        bytea NOT NULL UNIQUE,
    created_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consortium_id, municipality_code),
    FOREIGN KEY (consortium_id, municipality_code) REFERENCES municipalities(consortium_id, code) ON DELETE CASCADE
);
CREATE TRIGGER municipality_calendar_feeds_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON municipality_calendar_feeds
    FOR EACH STATEMENT EXECUTE FUNCTION junkai_notify_change();
