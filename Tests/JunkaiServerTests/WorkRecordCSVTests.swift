import Foundation
import JunkaiCore
import JunkaiStore
import PostgresNIO
import Testing

@testable import JunkaiServer

@Suite("Work-record CSV from the database's bytes", .needsDatabase)
struct WorkRecordCSVTests {
    @Test("each row's bytes equal those of the API's fields for the decoded record, whatever the text holds")
    func sameBytesAsTheFields() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(h)
            let plan = try await h.createPlan(w)
            // Text that must be quoted, doubled, guarded against formulas, or is plain Japanese; every mode and status,
            // planned and unplanned, a reason and a confirmation time.
            try await ScheduleWorld.sql("UPDATE staff SET name = '=田中,\"一郎\"' WHERE id = \(w.staff[0])")
            try await ScheduleWorld.sql("UPDATE posts SET title = E'-DX推進\\r\\nアドバイザー' WHERE id = \(w.posts[1])")
            try await ScheduleWorld.sql("UPDATE municipalities SET name = '@奈良市' WHERE consortium_id = \(w.cid) AND code = \(NaraWorld.nara)")
            try await ScheduleWorld.sql("""
                INSERT INTO published_assignments (consortium_id, staff_id, post_id, date, plan_id)
                VALUES (\(w.cid), \(w.staff[1]), \(w.posts[0]), '2025-04-03', \(UUID(uuidString: plan)!))
                """)
            try await ScheduleWorld.sql("""
                INSERT INTO work_records (consortium_id, staff_id, post_id, date, mode, minutes, category, summary, status,
                                          return_reason, confirmed_at)
                VALUES (\(w.cid), \(w.staff[0]), \(w.posts[0]), '2025-04-01', 'onsite', 420, 'consultation',
                        E'窓口の相談 "住民票", 2件\\n続き', 'reported', NULL, NULL),
                       (\(w.cid), \(w.staff[0]), \(w.posts[1]), '2025-04-02', 'remote', 1, 'system', '+SUM(A1)',
                        'returned', '=時間を確認', NULL),
                       (\(w.cid), \(w.staff[1]), \(w.posts[0]), '2025-04-03', 'absent', 0, 'other', '中止', 'confirmed',
                        NULL, '2025-04-03 23:59:59.999+09'),
                       (\(w.cid), \(w.staff[2]), \(w.posts[2]), '2025-04-04', 'onsite', 1440, 'planning', 'a', 'confirmed',
                        NULL, '2025-04-04 15:00:00+00')
                """)
            try await withStore { store in
                let who = Principal(tokenId: UUID(), role: .coordinator, consortiumId: w.cid, municipalityCode: nil,
                                    staffId: nil)
                let filter = WorkRecordFilter(from: CivilDate(iso: "2025-04-01"), to: CivilDate(iso: "2025-04-30"))
                var expected: [UInt8] = []
                var records = 0
                for try await r in try await store.workRecords(consortium: w.cid, filter: filter, by: who) {
                    ExcelCSV.appendRecord(WorkRecordsController.csvFields(r), to: &expected)
                    records += 1
                }
                var written: [UInt8] = []
                for try await row in try await store.workRecordRows(consortium: w.cid, filter: filter, by: who) {
                    try WorkRecordCSV.append(row, to: &written)
                }
                #expect(records == 4)
                #expect(written == expected, "\(String(decoding: written, as: UTF8.self))\n≠\n\(String(decoding: expected, as: UTF8.self))")
                let parsed = try #require(ExcelCSV.parse(written))
                #expect(parsed.count == 4)
                #expect(parsed.allSatisfy { $0.count == WorkRecordsController.csvHeader.count })
                #expect(parsed.contains { $0[12] == "予定あり" } && parsed.contains { $0[12] == "予定外" })
            }
        }
    }
}
