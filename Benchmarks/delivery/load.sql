-- Delivery benchmark data, on top of Benchmarks/api/load.sql (1,000 staff, 500 posts, fiscal 2027 of published
-- assignments): a 40th member (木津川市, without posts), a work record for every confirmed published day of the year
-- (≈ 121,000: 85% confirmed, 5% returned, 10% reported; 4% absent, 30% remote), 5,000 accepted requests, the year's
-- cost share (open) and a coordinator token. Set-based and deterministic (hashes of the ids, no random()).
\set ON_ERROR_STOP on
\set cid '''00000000-0000-4000-8000-000000000001'''

BEGIN;
INSERT INTO municipalities (consortium_id, code, name, prefecture, kana, lat, lon)
VALUES (:cid, '262145', '木津川市', '京都府', 'きづがわし', 34.73694444, 135.8208333);

INSERT INTO tokens (token_hash, role, consortium_id, label)
VALUES (sha256(convert_to('jk_bench_coordinator', 'UTF8')), 'coordinator', :cid, 'bench coordinator');

-- Activity texts of realistic length, some with a comma or quotes (CSV quoting) and a line break.
CREATE TEMP TABLE texts (i int PRIMARY KEY, summary text);
INSERT INTO texts VALUES
  (0, '窓口業務のデジタル化について担当課から相談を受け、現行の受付フローを整理した'),
  (1, '庁内DX推進本部の定例会議に出席し、進捗を報告'),
  (2, '職員向けデータ活用研修（Excel・BIツール入門）の講師を務めた'),
  (3, 'DX推進計画の改定案（重点施策・KPI）を作成、"要件定義書"の用語を統一'),
  (4, '基幹業務システム標準化の移行計画（ガバメントクラウド）を確認'),
  (5, '関係課と業務改善ワークショップの準備打合せ。議事メモ：' || chr(10) || '1. 対象業務の選定' || chr(10) || '2. 日程調整'),
  (6, '電子申請システムのフォーム設定を支援し、操作手順書を作成'),
  (7, '他自治体の先進事例を調査し、報告資料にまとめた');

WITH days AS (
    SELECT pa.staff_id, pa.post_id, pa.date, abs(hashtext(pa.staff_id::text || pa.date::text)) AS h
    FROM published_assignments pa
    WHERE pa.consortium_id = :cid AND pa.status = 'confirmed' AND pa.date BETWEEN '2027-04-01' AND '2028-03-31'
), shaped AS (
    SELECT d.*,
           CASE WHEN (h / 1000) % 25 = 0 THEN 'absent' WHEN (h / 100) % 10 < 3 THEN 'remote' ELSE 'onsite' END AS mode,
           CASE WHEN h % 20 = 1 THEN 'returned' WHEN h % 10 = 2 THEN 'reported' ELSE 'confirmed' END AS status
    FROM days d
)
INSERT INTO work_records (consortium_id, staff_id, post_id, date, mode, minutes, category, summary, status,
                          return_reason, version, confirmed_at, created_at, updated_at)
SELECT :cid, s.staff_id, s.post_id, s.date, s.mode,
       CASE WHEN s.mode = 'absent' THEN 0 ELSE 180 + (s.h % 11) * 30 END,
       (ARRAY['consultation', 'meeting', 'training', 'planning', 'system', 'other'])[1 + (s.h / 7) % 6],
       CASE WHEN s.mode = 'absent' THEN '先方都合により訪問中止' ELSE t.summary END,
       s.status,
       CASE WHEN s.status = 'returned' THEN '時間の記載が出勤簿と一致しません。確認のうえ修正してください。' END,
       CASE WHEN s.status = 'reported' THEN 1 ELSE 2 END,
       CASE WHEN s.status = 'confirmed' THEN (s.date + 2) + time '17:00' END,
       s.date + time '18:00', s.date + time '18:30'
FROM shaped s JOIN texts t ON t.i = (s.h / 3) % 8;

-- Accepted requests on every 25th published day (most of them met by the schedule), plus unmet ones a day later.
INSERT INTO requests (consortium_id, post_id, date, kind, status)
SELECT :cid, post_id, date, CASE WHEN h % 2 = 0 THEN 'required' ELSE 'preferred' END, 'accepted'
FROM (SELECT DISTINCT ON (post_id, date) post_id, date, abs(hashtext(post_id::text || date::text)) AS h
      FROM published_assignments WHERE consortium_id = :cid AND status = 'confirmed') d
WHERE h % 25 = 0
ON CONFLICT DO NOTHING;
INSERT INTO requests (consortium_id, post_id, date, kind, status)
SELECT :cid, post_id, date + 1, 'preferred', 'accepted'
FROM (SELECT DISTINCT ON (post_id, date) post_id, date, abs(hashtext(post_id::text || date::text)) AS h
      FROM published_assignments WHERE consortium_id = :cid AND status = 'confirmed') d
WHERE h % 25 = 1 AND extract(isodow FROM date + 1) < 6
ON CONFLICT DO NOTHING;

INSERT INTO cost_shares (consortium_id, fiscal_year, rule_equal, rule_population, rule_days, population_basis, total_yen)
VALUES (:cid, 2027, 20, 30, 50, 'ベンチマーク用の人口', 1234567891);
INSERT INTO cost_share_costs (consortium_id, fiscal_year, position, label, yen) VALUES
  (:cid, 2027, 0, '人件費', 1100000000), (:cid, 2027, 1, '旅費', 98765432), (:cid, 2027, 2, '事務費', 35802459);
INSERT INTO cost_share_populations (consortium_id, fiscal_year, municipality_code, population)
SELECT :cid, 2027, code, 1000 + abs(hashtext(code)) % 300000 FROM municipalities WHERE consortium_id = :cid;
COMMIT;

VACUUM ANALYZE;
