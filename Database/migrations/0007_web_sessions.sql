-- The web interface's sign-in: single-use sign-in links and server-side sessions. Forward-only.

-- A personal link a coordinator (or the operator) hands to one person. Only the SHA-256 of its secret is kept;
-- it signs in once (used_at) and not after expires_at. Removing the person removes their links.
CREATE TABLE sign_in_links (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    link_hash         bytea NOT NULL UNIQUE,
    consortium_id     uuid NOT NULL REFERENCES consortia(id) ON DELETE CASCADE,
    role              text NOT NULL CHECK (role IN ('coordinator', 'municipality', 'staff')),
    municipality_code char(6),
    staff_id          uuid,
    issued_by         uuid REFERENCES tokens(id) ON DELETE SET NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    expires_at        timestamptz NOT NULL,
    used_at           timestamptz,
    CHECK ((role = 'municipality') = (municipality_code IS NOT NULL)),
    CHECK ((role = 'staff') = (staff_id IS NOT NULL)),
    CHECK (expires_at > created_at),
    FOREIGN KEY (consortium_id, municipality_code) REFERENCES municipalities(consortium_id, code) ON DELETE CASCADE,
    FOREIGN KEY (consortium_id, staff_id) REFERENCES staff(consortium_id, id) ON DELETE CASCADE
);

-- A browser session. Its role and scope are its token's: a pasted API token, or one minted for the session when a
-- sign-in link is used (own_token; revoked at sign-out). Revoking the token ends the session at once (the look-up
-- requires a live token); deleting it, or the staff member or municipality it belongs to, deletes the session.
CREATE TABLE web_sessions (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_hash  bytea NOT NULL UNIQUE,
    token_id      uuid NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,
    own_token     boolean NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX web_sessions_by_token ON web_sessions (token_id);
CREATE INDEX web_sessions_by_last_use ON web_sessions (last_used_at);
