import Foundation
import HummingbirdTesting
import JunkaiCore
@testable import JunkaiServer
import JunkaiStore
import Testing

/// Issue 9, point 4: names beside ids, a consortium-wide schedule, open ranges that look ahead, post codes.
@Suite("Readable data")
struct ReadableDataTests {
    @Test("posts of the same title are told apart by a code in the API, the schedules and the plan")
    func postCodesTellTwinsApart() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(h)
            let body: [String: Any] = ["municipality": NaraWorld.nara, "title": "DX推進アドバイザー", "requirements": ["pm": 3],
                                       "daysPerWeek": 1, "code": "NARA-DX2"]
            let twin = try await h.call(.post, "\(w.root)/posts", token: w.coordinator, json: body)
            #expect(twin.status == .created, "\(twin.text)")
            #expect(twin.json["code"] as? String == "NARA-DX2")
            #expect(twin.json["label"] as? String == "DX推進アドバイザー（NARA-DX2）")
            let twinId = try #require(twin.json["id"] as? String)
            #expect(twin.headers[.location] == "\(w.root)/posts/\(twinId)")
            // The first post has no code yet: its label is its title, and `code` is present as null.
            let first = try await h.call(.get, "\(w.root)/posts/\(w.posts[0])", token: w.coordinator)
            #expect(first.json["code"] is NSNull)
            #expect(first.json["label"] as? String == "DX推進アドバイザー")

            let clash = try await h.call(.post, "\(w.root)/posts", token: w.coordinator, json: body)
            #expect(clash.status == .conflict, "a code is unique in the consortium: \(clash.text)")
            var bad = body
            bad["code"] = "奈良 1"
            let badCode = try await h.call(.post, "\(w.root)/posts", token: w.coordinator, json: bad)
            #expect(badCode.status == .unprocessableContent)
            #expect(firstError(badCode).pointer == "/code")

            let coded = try await h.call(.patch, "\(w.root)/posts/\(w.posts[0])", token: w.coordinator, json: ["code": "NARA-DX1"])
            #expect(coded.json["label"] as? String == "DX推進アドバイザー（NARA-DX1）")

            // A plan's assignments carry the names: who, which post (with its code), where.
            let pid = try await h.createPlan(w)
            let put = try await h.assign(w, pid, post: w.posts[0], date: "2027-04-06", staff: w.staff[0])
            #expect(put.status == .ok || put.status == .created, "\(put.text)")
            let plan = try await h.call(.get, "\(w.root)/plans/\(pid)", token: w.coordinator)
            let a = try #require((plan.json["assignments"] as? [[String: Any]])?.first)
            #expect(a["staffName"] as? String == "田中")
            #expect(a["postTitle"] as? String == "DX推進アドバイザー")
            #expect(a["postCode"] as? String == "NARA-DX1")
            #expect(a["postLabel"] as? String == "DX推進アドバイザー（NARA-DX1）")
            #expect(a["municipalityName"] as? String == "奈良市")

            // PATCH with null removes the code.
            let cleared = try await h.call(.patch, "\(w.root)/posts/\(w.posts[0])", token: w.coordinator, json: ["code": NSNull()])
            #expect(cleared.json["code"] is NSNull, "\(cleared.text)")

            // The list filters by member; the filter is documented, so it is accepted.
            let naraPosts = try await h.call(.get, "\(w.root)/posts?municipality=\(NaraWorld.nara)", token: w.coordinator)
            #expect(naraPosts.items.count == 2)
            let tenriPosts = try await h.call(.get, "\(w.root)/posts?municipality=\(NaraWorld.tenri)", token: w.coordinator)
            #expect(tenriPosts.items.count == 1)
            let pmStaff = try await h.call(.get, "\(w.root)/staff?skill=pm", token: w.coordinator)
            #expect(Set(pmStaff.items.compactMap { ($0 as? [String: Any])?["name"] as? String }) == ["田中", "佐藤"])
        }
    }

    @Test("the consortium-wide schedule lists every member's published days with names, as JSON and as CSV")
    func consortiumSchedule() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await ScheduleWorld.make()
            try await ScheduleWorld.sql("UPDATE posts SET code = 'NARA-1' WHERE id = \(w.naraPost)")
            try await w.assign(w.staffA, w.naraPost, "2027-04-06")
            try await w.assign(w.staffB, w.koriyamaPost, "2027-04-05")
            try await w.assign(w.staffB, w.naraPost, "2027-04-07", cancelled: true, sequence: 1)
            try await w.assign(w.staffA, w.koriyamaPost, "2027-05-10")
            let path = "/v1/consortia/\(w.consortium)/schedule?from=2027-04-01&to=2027-04-30"
            let r = try await h.call(.get, path, token: w.coordinator)
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.json["consortium"] as? String == w.consortium.uuidString)
            #expect(r.assignments.map { $0["date"] as? String } == ["2027-04-05", "2027-04-06"])
            let nara = try #require(r.assignments.last)
            #expect(nara["staffName"] as? String == "山田 花子")
            #expect(nara["municipalityName"] as? String == "奈良市")
            #expect(nara["postLabel"] as? String == "窓口DX支援（NARA-1）")
            #expect(nara["postCode"] as? String == "NARA-1")
            #expect(r.assignments.first?["postCode"] is NSNull)

            let csv = try await h.call(.get, path + "&format=csv", token: w.coordinator)
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
            let bytes = Array(csv.body)
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
            let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            #expect(text.components(separatedBy: "\r\n") == [
                "日付,曜日,市町村コード,市町村名,ポスト,ポストコード,担当者",
                "2027-04-05,月,292036,大和郡山市,\"データ利活用, 庁内研修\",,\"佐藤 \"\"太郎\"\"\"",
                "2027-04-06,火,292010,奈良市,窓口DX支援,NARA-1,山田 花子",
                "",
            ])
            // The staff and municipality schedules carry the code too.
            let mine = try await h.call(.get, "\(w.staffPath)/\(w.staffA)/schedule?from=2027-04-01&to=2027-04-30", token: w.staffAToken)
            #expect(mine.assignments.first?["postLabel"] as? String == "窓口DX支援（NARA-1）")
            let town = try await h.call(.get, "\(w.municipalitiesPath)/\(ScheduleWorld.nara)/schedule?from=2027-04-01&to=2027-04-30",
                                        token: w.naraToken)
            #expect(town.assignments.first?["postCode"] as? String == "NARA-1")

            // The coordinator's view: a desk or a person may not read everyone's days; another consortium sees nothing.
            #expect(try await h.call(.get, path, token: w.naraToken).status == .forbidden)
            #expect(try await h.call(.get, path, token: w.staffAToken).status == .forbidden)
            let other = try await ScheduleWorld.make()
            #expect(try await h.call(.get, path, token: other.coordinator).status == .notFound)
            // Open: the coming four weeks from today in Japan.
            let open = try await h.call(.get, "/v1/consortia/\(w.consortium)/schedule", token: w.coordinator)
            #expect(open.json["from"] as? String == JapanClock.today().iso)
            #expect(open.json["to"] as? String == JapanClock.today().adding(days: 27).iso)
        }
    }
}
