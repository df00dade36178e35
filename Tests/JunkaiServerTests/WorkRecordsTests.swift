import Foundation
import Hummingbird
import HummingbirdTesting
import JunkaiCore
import JunkaiStore
import PostgresNIO
import Testing
@testable import JunkaiServer

/// `ScheduleWorld` (奈良市 and 大和郡山市, a post each, staff A and B, a token per role) grown for delivery: a third
/// member without posts (天理市), and a second post at 大和郡山市 open on Wednesdays only.
struct DeliveryWorld: Sendable {
    static let tenri = "292044"
    var base: ScheduleWorld
    var wednesdayPost: UUID

    var root: String { "/v1/consortia/\(base.consortium)" }
    var cid: UUID { base.consortium }

    static func make(closed: [String] = []) async throws -> DeliveryWorld {
        let base = try await ScheduleWorld.make(closed: closed)
        let post = try await withStore { store in
            try await store.transaction { conn -> UUID in
                try await conn.query("""
                    INSERT INTO municipalities (consortium_id, code, name, prefecture, kana, lat, lon)
                    VALUES (\(base.consortium), \(tenri), '天理市', '奈良県', 'てんりし', 34.5967, 135.8372)
                    """, logger: store.logger)
                return try await conn.query("""
                    INSERT INTO posts (consortium_id, municipality_code, title, days_per_week, allowed_weekdays)
                    VALUES (\(base.consortium), \(ScheduleWorld.koriyama), '水曜の相談窓口', 2, '{3}') RETURNING id
                    """, logger: store.logger).decode(UUID.self).firstRow()
            }
        }
        return DeliveryWorld(base: base, wednesdayPost: post)
    }

    /// A record body; `summary` defaults to a plain one.
    static func body(staff: UUID, post: UUID, date: String, mode: String = "onsite", minutes: Int = 240,
                     category: String = "consultation", summary: String = "窓口業務の相談対応") -> [String: Any] {
        ["staff": staff.uuidString, "post": post.uuidString, "date": date, "mode": mode, "minutes": minutes,
         "category": category, "summary": summary]
    }

    /// Records a day through the API and returns the record; the test fails unless it is created.
    func record(_ h: TestHelper, token: String, staff: UUID, post: UUID, date: String, mode: String = "onsite",
                minutes: Int = 240, summary: String = "窓口業務の相談対応") async throws -> [String: Any] {
        let r = try await h.call(.post, "\(root)/work-records", token: token,
                                 json: Self.body(staff: staff, post: post, date: date, mode: mode, minutes: minutes, summary: summary))
        #expect(r.status == .created, "\(r.text)")
        return r.json
    }

    /// The audit rows of one resource id: (action, detail as text).
    func audit(_ id: String) async throws -> [(String, String)] {
        try await withStore { store in
            let rows = try await store.client.query("""
                SELECT action, detail::text FROM audit_log WHERE consortium_id = \(cid) AND resource_id = \(id) ORDER BY id
                """, logger: store.logger)
            var out: [(String, String)] = []
            for try await row in rows.decode((String, String).self) { out.append(row) }
            return out
        }
    }
}

@Suite("Work records")
struct WorkRecordsTests {
    @Test("a record's life: reported, returned, corrected, confirmed (locked), reopened, deleted — each step audited")
    func lifecycle() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await DeliveryWorld.make()
            let s = w.base
            try await s.assign(s.staffA, s.naraPost, "2026-10-06")
            let summary = "庁内DX推進会議に出席、\"標準化\"の論点を整理"
            let created = try await h.call(.post, "\(w.root)/work-records", token: s.staffAToken,
                                           json: DeliveryWorld.body(staff: s.staffA, post: s.naraPost, date: "2026-10-06",
                                                                    category: "meeting", summary: summary))
            #expect(created.status == .created, "\(created.text)")
            #expect(created.headers[.eTag] == "\"1\"")
            let r = created.json
            let id = try #require(r["id"] as? String)
            #expect(r["status"] as? String == "reported")
            #expect(r["planned"] as? Bool == true)
            #expect(r["municipality"] as? String == ScheduleWorld.nara)
            #expect(r["municipalityName"] as? String == "奈良市")
            #expect(r["staffName"] as? String == "山田 花子")
            #expect(r["returnReason"] is NSNull)
            #expect(r["confirmedAt"] is NSNull)
            #expect(r["summary"] as? String == summary)
            let path = "\(w.root)/work-records/\(id)"

            // Scope: the staff member, the post's municipality and the coordinator see it; nobody else does.
            for token in [s.staffAToken, s.naraToken, s.coordinator] {
                #expect(try await h.call(.get, path, token: token).status == .ok)
            }
            for token in [s.staffBToken, s.koriyamaToken] {
                #expect(try await h.call(.get, path, token: token).status == .notFound)
            }
            // Nobody confirms their own record: a staff token may not confirm or return at all.
            #expect(try await h.call(.post, "\(path)/confirm", token: s.staffAToken).status == .forbidden)
            #expect(try await h.call(.post, "\(path)/return", token: s.staffAToken, json: ["reason": "x"]).status == .forbidden)
            // Another municipality cannot decide it: as if it did not exist.
            #expect(try await h.call(.post, "\(path)/confirm", token: s.koriyamaToken).status == .notFound)
            // A municipality does not edit or delete records.
            #expect(try await h.call(.patch, path, token: s.naraToken, json: ["minutes": 60]).status == .forbidden)
            #expect(try await h.call(.delete, path, token: s.naraToken).status == .forbidden)

            // Returned with a reason, then corrected by the staff member: reported again, the reason cleared.
            let noReason = try await h.call(.post, "\(path)/return", token: s.naraToken, json: ["reason": "  "])
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.firstPointer == "/reason")
            let returned = try await h.call(.post, "\(path)/return", token: s.naraToken, json: ["reason": "時間を出勤簿と合わせてください"])
            #expect(returned.status == .ok, "\(returned.text)")
            #expect(returned.json["status"] as? String == "returned")
            #expect(returned.json["returnReason"] as? String == "時間を出勤簿と合わせてください")
            #expect(try await h.call(.post, "\(path)/confirm", token: s.naraToken).status == .conflict,
                    "a returned record is corrected before it is confirmed")
            let corrected = try await h.call(.patch, path, token: s.staffAToken, json: ["minutes": 210])
            #expect(corrected.status == .ok, "\(corrected.text)")
            #expect(corrected.json["status"] as? String == "reported")
            #expect(corrected.json["minutes"] as? Int == 210)
            #expect(corrected.json["returnReason"] is NSNull)
            #expect(corrected.json["summary"] as? String == summary)
            #expect(corrected.json["version"] as? Int == 3)

            // Confirmed: locked against the staff member and the coordinator alike.
            let confirmed = try await h.call(.post, "\(path)/confirm", token: s.naraToken)
            #expect(confirmed.status == .ok)
            #expect(confirmed.json["status"] as? String == "confirmed")
            #expect(confirmed.json["confirmedAt"] is String)
            for token in [s.staffAToken, s.coordinator] {
                #expect(try await h.call(.patch, path, token: token, json: ["minutes": 200]).status == .conflict)
                #expect(try await h.call(.delete, path, token: token).status == .conflict)
            }
            #expect(try await h.call(.post, "\(path)/confirm", token: s.coordinator).status == .conflict)
            #expect(try await h.call(.post, "\(path)/return", token: s.naraToken, json: ["reason": "x"]).status == .conflict)

            // Only the coordinator reopens.
            #expect(try await h.call(.post, "\(path)/reopen", token: s.naraToken).status == .forbidden)
            let reopened = try await h.call(.post, "\(path)/reopen", token: s.coordinator)
            #expect(reopened.status == .ok)
            #expect(reopened.json["status"] as? String == "reported")
            #expect(reopened.json["confirmedAt"] is NSNull)
            #expect(try await h.call(.post, "\(path)/reopen", token: s.coordinator).status == .conflict)
            #expect(try await h.call(.delete, path, token: s.staffAToken).status == .noContent)
            #expect(try await h.call(.get, path, token: s.coordinator).status == .notFound)

            let audit = try await w.audit(id)
            #expect(audit.map(\.0) == ["create", "return", "update", "confirm", "reopen", "delete"])
            // Ids, dates and statuses only: never the summary or the reason.
            for (_, detail) in audit {
                #expect(!detail.contains("標準化") && !detail.contains("出勤簿"), "\(detail)")
                #expect(detail.contains(s.staffA.uuidString.lowercased()) || detail.contains(s.staffA.uuidString))
            }
        }
    }

    @Test("who may record what: a staff member only their own days, municipalities none; planned follows the schedule")
    func creationScope() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await DeliveryWorld.make()
            let s = w.base
            try await s.assign(s.staffB, s.koriyamaPost, "2026-10-07")
            let forOther = try await h.call(.post, "\(w.root)/work-records", token: s.staffAToken,
                                            json: DeliveryWorld.body(staff: s.staffB, post: s.koriyamaPost, date: "2026-10-07"))
            #expect(forOther.status == .notFound)
            let asMunicipality = try await h.call(.post, "\(w.root)/work-records", token: s.koriyamaToken,
                                                  json: DeliveryWorld.body(staff: s.staffB, post: s.koriyamaPost, date: "2026-10-07"))
            #expect(asMunicipality.status == .forbidden)
            let unknownPost = try await h.call(.post, "\(w.root)/work-records", token: s.staffBToken,
                                               json: DeliveryWorld.body(staff: s.staffB, post: UUID(), date: "2026-10-07"))
            #expect(unknownPost.status == .notFound)

            // By the coordinator on the staff member's behalf; planned (published that day).
            let planned = try await w.record(h, token: s.coordinator, staff: s.staffB, post: s.koriyamaPost, date: "2026-10-07")
            #expect(planned["planned"] as? Bool == true)
            // The next day was not planned: still recordable (a remote follow-up), planned false.
            let unplanned = try await w.record(h, token: s.staffBToken, staff: s.staffB, post: s.koriyamaPost,
                                               date: "2026-10-08", mode: "remote", minutes: 60)
            #expect(unplanned["planned"] as? Bool == false)
            // One record per staff, post and date.
            let again = try await h.call(.post, "\(w.root)/work-records", token: s.staffBToken,
                                         json: DeliveryWorld.body(staff: s.staffB, post: s.koriyamaPost, date: "2026-10-07",
                                                                  mode: "remote", minutes: 30))
            #expect(again.status == .conflict)
            // A planned day that did not take place.
            let absent = try await w.record(h, token: s.staffBToken, staff: s.staffB, post: w.wednesdayPost,
                                            date: "2026-10-14", mode: "absent", minutes: 0, summary: "先方都合により中止")
            #expect(absent["mode"] as? String == "absent")
            #expect(absent["minutes"] as? Int == 0)
            // Moving a record onto an existing (staff, post, date) is a conflict too.
            let id = try #require(unplanned["id"] as? String)
            let clash = try await h.call(.patch, "\(w.root)/work-records/\(id)", token: s.staffBToken, json: ["date": "2026-10-07"])
            #expect(clash.status == .conflict, "\(clash.text)")
            // If-Match: a stale version is refused with 412, the current one accepted.
            let stale = try await h.call(.patch, "\(w.root)/work-records/\(id)", token: s.staffBToken, json: ["minutes": 90],
                                         headers: [.ifMatch: "\"7\""])
            #expect(stale.status == .preconditionFailed)
            let current = try await h.call(.patch, "\(w.root)/work-records/\(id)", token: s.staffBToken, json: ["minutes": 90],
                                           headers: [.ifMatch: "\"1\""])
            #expect(current.status == .ok, "\(current.text)")
            #expect(current.headers[.eTag] == "\"2\"")
            // Switching to absent sets the minutes to 0 unless they are given.
            let toAbsent = try await h.call(.patch, "\(w.root)/work-records/\(id)", token: s.staffBToken, json: ["mode": "absent"])
            #expect(toAbsent.json["minutes"] as? Int == 0)
            let backWithout = try await h.call(.patch, "\(w.root)/work-records/\(id)", token: s.staffBToken, json: ["mode": "remote"])
            #expect(backWithout.status == .unprocessableContent)
            #expect(backWithout.firstPointer == "/minutes")
        }
    }

    @Test("bad input is a 422 naming the field (never a 500); malformed JSON a 400")
    func validation() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await DeliveryWorld.make()
            let s = w.base
            let tomorrow = JapanClock.today().adding(days: 1).iso
            func post(_ changes: [String: Any], removing: String? = nil) async throws -> TestHelper.Reply {
                var body = DeliveryWorld.body(staff: s.staffA, post: s.naraPost, date: "2026-10-06")
                for (k, v) in changes { body[k] = v }
                if let removing { body.removeValue(forKey: removing) }
                return try await h.call(.post, "\(w.root)/work-records", token: s.staffAToken, json: body)
            }
            let cases: [([String: Any], String?, String)] = [
                (["date": tomorrow], nil, "/date"),
                (["date": "2026-02-30"], nil, "/date"),
                (["date": "1999-12-31"], nil, "/date"),
                (["minutes": 0], nil, "/minutes"),
                (["minutes": 1441], nil, "/minutes"),
                (["minutes": -5], nil, "/minutes"),
                (["mode": "absent", "minutes": 30], nil, "/minutes"),
                (["minutes": 1.5], nil, "/minutes"),
                (["minutes": "240"], nil, "/minutes"),
                (["mode": "hybrid"], nil, "/mode"),
                (["category": "lunch"], nil, "/category"),
                (["summary": ""], nil, "/summary"),
                (["summary": " \n "], nil, "/summary"),
                (["summary": String(repeating: "あ", count: 2001)], nil, "/summary"),
                (["summary": "a\u{0}b"], nil, "/summary"),
                ([:], "staff", "/staff"),
                (["staff": "nobody"], nil, "/staff"),
                ([:], "summary", "/summary"),
            ]
            for (changes, removing, pointer) in cases {
                let r = try await post(changes, removing: removing)
                #expect(r.status == .unprocessableContent, "\(changes) \(removing ?? ""): \(r.status) \(r.text)")
                #expect(r.firstPointer == pointer, "\(changes): \(r.text)")
                #expect(r.headers[.contentType] == "application/problem+json")
            }
            let longest = try await post(["summary": String(repeating: "あ", count: 2000), "minutes": 1440])
            #expect(longest.status == .created, "\(longest.text)")
            #expect(try await h.call(.post, "\(w.root)/work-records", token: s.staffAToken, rawBody: "{\"staff\":").status == .badRequest)

            for (query, pointer) in [("status=lost", "/status"), ("from=April", "/from"), ("to=2026-13-01", "/to"),
                                     ("from=2026-10-10&to=2026-10-01", "/to"), ("municipality=12", "/municipality"),
                                     ("staff=me", "/staff"), ("post=1", "/post"), ("format=xlsx", "/format")] {
                let r = try await h.call(.get, "\(w.root)/work-records?\(query)", token: s.coordinator)
                #expect(r.status == .unprocessableContent, "\(query): \(r.text)")
                #expect(r.firstPointer == pointer, "\(query): \(r.text)")
            }
        }
    }

    @Test("lists are scoped and ordered by date, then municipality code; filters narrow them")
    func listing() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await DeliveryWorld.make()
            let s = w.base
            let a1 = try await w.record(h, token: s.staffAToken, staff: s.staffA, post: s.koriyamaPost, date: "2026-10-06")
            let a2 = try await w.record(h, token: s.staffAToken, staff: s.staffA, post: s.naraPost, date: "2026-10-05")
            let b1 = try await w.record(h, token: s.staffBToken, staff: s.staffB, post: s.naraPost, date: "2026-10-06")
            let b2 = try await w.record(h, token: s.staffBToken, staff: s.staffB, post: s.koriyamaPost, date: "2026-11-02")
            func ids(_ query: String, _ token: String) async throws -> [String] {
                let r = try await h.call(.get, "\(w.root)/work-records\(query)", token: token)
                #expect(r.status == .ok, "\(r.text)")
                #expect(r.headers[.contentType]?.hasPrefix("application/json") == true)
                return (r.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
            let id = { (r: [String: Any]) in r["id"] as? String ?? "" }
            // 2026-10-06: 奈良市 (292010) before 大和郡山市 (292036).
            #expect(try await ids("", s.coordinator) == [id(a2), id(b1), id(a1), id(b2)])
            #expect(try await ids("", s.naraToken) == [id(a2), id(b1)])
            #expect(try await ids("", s.koriyamaToken) == [id(a1), id(b2)])
            #expect(try await ids("", s.staffBToken) == [id(b1), id(b2)])
            #expect(try await ids("?staff=\(s.staffA)", s.staffBToken) == [], "a staff member's filter cannot widen the scope")
            #expect(try await ids("?municipality=\(ScheduleWorld.koriyama)", s.naraToken) == [])
            #expect(try await ids("?from=2026-10-06&to=2026-10-31", s.coordinator) == [id(b1), id(a1)])
            #expect(try await ids("?staff=\(s.staffA)&municipality=\(ScheduleWorld.koriyama)", s.coordinator) == [id(a1)])
            #expect(try await ids("?post=\(s.naraPost)", s.coordinator) == [id(a2), id(b1)])
            _ = try await h.call(.post, "\(w.root)/work-records/\(id(b2))/confirm", token: s.koriyamaToken)
            #expect(try await ids("?status=confirmed", s.coordinator) == [id(b2)])
            #expect(try await ids("?status=reported", s.staffBToken) == [id(b1)])
            // Another consortium's token sees nothing of this one.
            let other = try await DeliveryWorld.make()
            #expect(try await h.call(.get, "\(w.root)/work-records", token: other.base.coordinator).status == .notFound)
            #expect(try await h.call(.get, "\(w.root)/work-records/\(id(a1))", token: other.base.staffAToken).status == .notFound)
        }
    }

    @Test("a confirm and an edit at once: one wins, the other gets 409 (or 412 on a stale If-Match); nothing half-done")
    func confirmRacesEdit() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await DeliveryWorld.make()
            let s = w.base
            var outcomes: [String: Int] = [:]
            for day in 1...12 {
                let date = "2026-09-\(day < 10 ? "0" : "")\(day)"
                let r = try await w.record(h, token: s.staffAToken, staff: s.staffA, post: s.naraPost, date: date, summary: "元の内容")
                let path = "\(w.root)/work-records/\(try #require(r["id"] as? String))"
                // Half the rounds with If-Match on both (each names version 1), half without.
                let conditional = day % 2 == 0
                let headers: HTTPFields = conditional ? [.ifMatch: "\"1\""] : [:]
                async let confirm = h.call(.post, "\(path)/confirm", token: s.naraToken, headers: headers)
                async let edit = h.call(.patch, path, token: s.staffAToken, json: ["summary": "修正後の内容"], headers: headers)
                let (c, e) = try await (confirm, edit)
                let final = try await h.call(.get, path, token: s.coordinator).json
                #expect(final["status"] as? String == "confirmed" || (c.status != .ok && final["status"] as? String == "reported"))
                switch (c.status, e.status) {
                case (.ok, .conflict):
                    // The confirm came first: the edit found the record locked and changed nothing.
                    #expect(final["summary"] as? String == "元の内容")
                    #expect(final["version"] as? Int == 2)
                    outcomes["confirm first", default: 0] += 1
                case (.ok, .ok):
                    // The edit came first and the confirm confirmed the edited record (no If-Match to stop it).
                    #expect(!conditional)
                    #expect(final["summary"] as? String == "修正後の内容")
                    #expect(final["version"] as? Int == 3)
                    outcomes["edit then confirm", default: 0] += 1
                case (.preconditionFailed, .ok):
                    // The edit came first; the confirm named the version before it.
                    #expect(conditional)
                    #expect(final["status"] as? String == "reported")
                    #expect(final["summary"] as? String == "修正後の内容")
                    outcomes["edit first, confirm stale", default: 0] += 1
                default:
                    Issue.record("unexpected outcome confirm \(c.status.code) \(c.text) / edit \(e.status.code) \(e.text)")
                }
            }
            #expect(outcomes.values.reduce(0, +) == 12, "\(outcomes)")
        }
    }

    @Test("the database itself keeps a confirmed record locked and the constraints hold for any writer")
    func databaseEnforces() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await DeliveryWorld.make()
            let s = w.base
            let r = try await w.record(h, token: s.staffAToken, staff: s.staffA, post: s.naraPost, date: "2026-10-06")
            let raw = try #require(r["id"] as? String)
            let id = try #require(UUID(uuidString: raw))
            _ = try await h.call(.post, "\(w.root)/work-records/\(id)/confirm", token: s.naraToken)
            func sqlState(_ query: PostgresQuery) async -> String? {
                do { try await ScheduleWorld.sql(query); return nil } catch {
                    return (error as? PSQLError)?.serverInfo?[.sqlState] ?? "\(error)"
                }
            }
            #expect(await sqlState("UPDATE work_records SET summary = 'changed' WHERE id = \(id)") == "55000")
            #expect(await sqlState("DELETE FROM work_records WHERE id = \(id)") == "55000")
            #expect(await sqlState("UPDATE work_records SET status = 'reported', confirmed_at = NULL WHERE id = \(id)") == nil)
            #expect(await sqlState("UPDATE work_records SET minutes = 0 WHERE id = \(id)") == "23514")
            #expect(await sqlState("UPDATE work_records SET mode = 'absent', minutes = 0, status = 'returned' WHERE id = \(id)") == "23514")
            #expect(await sqlState("UPDATE work_records SET category = 'lunch' WHERE id = \(id)") == "23514")
            #expect(await sqlState("UPDATE work_records SET minutes = 1441 WHERE id = \(id)") == "23514")
            #expect(await sqlState("""
                INSERT INTO work_records (consortium_id, staff_id, post_id, date, mode, minutes, category, summary)
                VALUES (\(w.cid), \(s.staffA), \(s.naraPost), '2026-10-06', 'remote', 30, 'other', 'x')
                """) == "23505")
            // A staff member with records cannot be deleted (the records are the consortium's accounts).
            let deleted = try await h.call(.delete, "\(w.root)/staff/\(s.staffA)", token: s.coordinator)
            #expect(deleted.status == .conflict, "\(deleted.text)")
        }
    }

    @Test("a month of records as CSV for Excel: BOM, CRLF, Japanese header, the JSON's rows, tricky text intact")
    func csv() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await DeliveryWorld.make()
            let s = w.base
            let tricky = "会議資料（案）を修正、\"DX推進計画\"の用語を統一\n1. 対象業務\r\n2. 日程"
            _ = try await w.record(h, token: s.staffAToken, staff: s.staffA, post: s.naraPost, date: "2026-10-06", summary: tricky)
            _ = try await w.record(h, token: s.staffBToken, staff: s.staffB, post: s.koriyamaPost, date: "2026-10-06",
                                   summary: "=HYPERLINK(\"http://example.invalid\")")
            _ = try await w.record(h, token: s.staffBToken, staff: s.staffB, post: s.koriyamaPost, date: "2026-11-02")
            let query = "from=2026-10-01&to=2026-10-31"
            let r = try await h.call(.get, "\(w.root)/work-records?\(query)&format=csv", token: s.coordinator)
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "text/csv; charset=utf-8")
            let disposition = try #require(r.headers[.contentDisposition])
            #expect(disposition.hasPrefix("attachment; filename=\"work-records_2026-10-01_2026-10-31.csv\"; filename*=UTF-8''"))
            #expect(disposition.hasSuffix(CSVResponse.percentEncoded("勤務実績_2026-10-01_2026-10-31.csv")))
            #expect(disposition.contains("%E5%8B%A4%E5%8B%99%E5%AE%9F%E7%B8%BE_2026-10-01_2026-10-31.csv"))
            let bytes = Array(r.body)
            #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let parsed = try #require(ExcelCSV.parse(bytes))
            #expect(parsed.first == WorkRecordsController.csvHeader)
            #expect(parsed.first?.contains("活動内容") == true)
            let json = try await h.call(.get, "\(w.root)/work-records?\(query)", token: s.coordinator)
            let items = json.json["items"] as? [[String: Any]] ?? []
            #expect(parsed.count == items.count + 1)
            #expect(parsed.dropFirst().map { $0[0] } == items.compactMap { $0["id"] as? String }.map { $0.lowercased() })
            let summaryColumn = try #require(WorkRecordsController.csvHeader.firstIndex(of: "活動内容"))
            #expect(parsed[1][summaryColumn] == tricky)
            #expect(parsed[2][summaryColumn] == "'=HYPERLINK(\"http://example.invalid\")")
            #expect(parsed[1][WorkRecordsController.csvHeader.firstIndex(of: "形態")!] == "来庁")
            // Every line ends in CRLF; a bare LF appears only inside the quoted summary.
            let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            #expect(text.hasSuffix("\r\n"))
            #expect(text.components(separatedBy: "\r\n").count >= 4)
            // A municipality's CSV holds only its own rows.
            let nara = try await h.call(.get, "\(w.root)/work-records?format=csv", token: s.naraToken)
            #expect(try #require(ExcelCSV.parse(Array(nara.body))).count == 2)
        }
    }
}
