-- Schedules: a municipality's schedule reads its posts first, then each post's published days
-- (published_by_post_date). Without this index that first step scans every post of the consortium.
CREATE INDEX posts_by_municipality ON posts (consortium_id, municipality_code);
