import Foundation
import JunkaiCore
import Testing
@testable import JunkaiServer

@Suite("Register and working days", .needsDatabase)
struct RegisterTests {
    @Test func registerEntryByCode() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await ScheduleWorld.make()
            let r = try await h.call(.get, "/v1/register/municipalities/292010", token: w.staffAToken)
            #expect(r.status == .ok)
            #expect(r.json["code"] as? String == "292010")
            #expect(r.json["name"] as? String == "奈良市")
            #expect(r.json["prefecture"] as? String == "奈良県")
            #expect(r.json["kana"] as? String == "ならし")
            #expect(r.json["kind"] as? String == "city")
            #expect(r.json["lat"] as? Double == 34.685)
            #expect(try await h.call(.get, "/v1/register/municipalities/292010").status == .unauthorized)
        }
    }

    @Test func badCheckDigitIs422NamingTheCodeAndAnUnknownCodeIs404() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await ScheduleWorld.make()
            for bad in ["292011", "29201", "29201x", "2920100"] {
                let r = try await h.call(.get, "/v1/register/municipalities/\(bad)", token: w.naraToken)
                #expect(r.status == .unprocessableContent, "\(bad)")
                #expect(r.firstPointer == "/code")
            }
            let unknown = try #require(LocalGovCode(fiveDigit: "99999"))
            #expect(MunicipalRegister.shared.entry(unknown) == nil)
            let r = try await h.call(.get, "/v1/register/municipalities/\(unknown.value)", token: w.naraToken)
            #expect(r.status == .notFound)
            #expect(r.headers[.contentType] == "application/problem+json")
        }
    }

    @Test func searchFindsByNameReadingAndCodePrefix() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await ScheduleWorld.make()
            func codes(_ query: String) async throws -> [String] {
                let q = query.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? query
                let r = try await h.call(.get, "/v1/register/municipalities?q=\(q)", token: w.coordinator)
                #expect(r.status == .ok)
                return (r.json["items"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            }
            #expect(try await codes("奈良市").first == "292010")
            #expect(try await codes("ならし").first == "292010")
            #expect(try await codes("ナラシ").first == "292010")
            #expect(try await codes("292010") == ["292010"])
            let prefix = try await codes("2920")
            #expect(!prefix.isEmpty && prefix.allSatisfy { $0.hasPrefix("2920") })
            #expect(try await codes("存在しない町名").isEmpty)
            let limited = try await h.call(.get, "/v1/register/municipalities?q=%E5%B8%82&limit=3", token: w.coordinator)
            #expect((limited.json["items"] as? [Any])?.count == 3)
            #expect(limited.json["limit"] as? Int == 3)
        }
    }

    @Test func searchValidatesItsParameters() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await ScheduleWorld.make()
            let missing = try await h.call(.get, "/v1/register/municipalities", token: w.coordinator)
            #expect(missing.status == .unprocessableContent)
            #expect(missing.firstPointer == "/q")
            #expect(try await h.call(.get, "/v1/register/municipalities?q=%20", token: w.coordinator).firstPointer == "/q")
            for limit in ["0", "201", "ten"] {
                let r = try await h.call(.get, "/v1/register/municipalities?q=nara&limit=\(limit)", token: w.coordinator)
                #expect(r.status == .unprocessableContent)
                #expect(r.firstPointer == "/limit")
            }
        }
    }

    static func days(_ r: TestHelper.Reply) -> [String: [String: Any]] {
        var out: [String: [String: Any]] = [:]
        for d in r.json["days"] as? [[String: Any]] ?? [] { if let date = d["date"] as? String { out[date] = d } }
        return out
    }

    @Test func workingDaysNameHolidaysYearEndAndWeekends() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await ScheduleWorld.make()
            let gw = try await h.call(.get, "/v1/calendar/working-days?from=2027-05-01&to=2027-05-07", token: w.staffAToken)
            #expect(gw.status == .ok)
            #expect(gw.json["from"] as? String == "2027-05-01" && gw.json["to"] as? String == "2027-05-07")
            let days = Self.days(gw)
            #expect(days.count == 7)
            #expect(days["2027-05-03"]?["working"] as? Bool == false)
            #expect(days["2027-05-03"]?["reason"] as? String == "憲法記念日")
            #expect(days["2027-05-04"]?["reason"] as? String == "みどりの日")
            #expect(days["2027-05-05"]?["reason"] as? String == "こどもの日")
            #expect(days["2027-05-01"]?["reason"] as? String == "週末")
            #expect(days["2027-05-06"]?["working"] as? Bool == true)
            #expect(days["2027-05-06"]?["reason"] == nil)
            #expect(gw.json["workingDayCount"] as? Int == 2)
            // Dates come in order.
            let order = (gw.json["days"] as? [[String: Any]] ?? []).compactMap { $0["date"] as? String }
            #expect(order == order.sorted())

            let yearEnd = try await h.call(.get, "/v1/calendar/working-days?from=2026-12-28&to=2027-01-05", token: w.naraToken)
            let ye = Self.days(yearEnd)
            #expect(ye["2027-01-02"]?["working"] as? Bool == false)
            #expect(ye["2027-01-02"]?["reason"] as? String == "年末年始")
            #expect(ye["2026-12-29"]?["reason"] as? String == "年末年始")
            #expect(ye["2027-01-01"]?["reason"] as? String == "元日")
            #expect(ye["2026-12-28"]?["working"] as? Bool == true)
            #expect(ye["2027-01-04"]?["working"] as? Bool == true)
            #expect(try await h.call(.get, "/v1/calendar/working-days?from=2027-05-01&to=2027-05-07").status
                == .unauthorized)
        }
    }

    @Test func workingDaysRangeIsValidated() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await ScheduleWorld.make()
            let base = "/v1/calendar/working-days"
            let reversed = try await h.call(.get, base + "?from=2027-05-07&to=2027-05-01", token: w.coordinator)
            #expect(reversed.status == .unprocessableContent)
            #expect(reversed.firstPointer == "/to")
            let long = try await h.call(.get, base + "?from=2027-04-01&to=2028-05-06", token: w.coordinator)
            #expect(long.status == .unprocessableContent)
            #expect(long.firstPointer == "/to")
            let longest = try await h.call(.get, base + "?from=2027-04-01&to=2028-05-05", token: w.coordinator)
            #expect((longest.json["days"] as? [Any])?.count == 401)
            #expect(try await h.call(.get, base + "?to=2027-05-01", token: w.coordinator).firstPointer == "/from")
            #expect(try await h.call(.get, base + "?from=2027-05-01", token: w.coordinator).firstPointer == "/to")
            #expect(try await h.call(.get, base + "?from=2027-13-01&to=2027-05-01", token: w.coordinator).firstPointer
                == "/from")
        }
    }

    @Test func consortiumClosedDatesApplyForItsMembersOnly() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await ScheduleWorld.make(closed: ["2027-04-30", "2027-05-03"])
            let path = "/v1/calendar/working-days?from=2027-04-28&to=2027-05-06&consortium=\(w.consortium)"
            let r = try await h.call(.get, path, token: w.naraToken)
            #expect(r.status == .ok)
            #expect(r.json["consortium"] as? String == w.consortium.uuidString)
            let days = Self.days(r)
            #expect(days["2027-04-30"]?["working"] as? Bool == false)
            #expect(days["2027-04-30"]?["reason"] as? String == "閉庁日")
            // A holiday stays a holiday even when also a closed date.
            #expect(days["2027-05-03"]?["reason"] as? String == "憲法記念日")
            #expect(days["2027-04-28"]?["working"] as? Bool == true)
            // Without the parameter the closed date is an ordinary Friday.
            let plain = try await h.call(.get, "/v1/calendar/working-days?from=2027-04-30&to=2027-04-30", token: w.naraToken)
            #expect(Self.days(plain)["2027-04-30"]?["working"] as? Bool == true)
            let other = try await ScheduleWorld.make()
            #expect(try await h.call(.get, path, token: other.coordinator).status == .notFound)
            let admin = try await adminToken()
            #expect(Self.days(try await h.call(.get, path, token: admin))["2027-04-30"]?["reason"] as? String == "閉庁日")
            let unknown = "/v1/calendar/working-days?from=2027-04-28&to=2027-05-06&consortium=\(UUID())"
            #expect(try await h.call(.get, unknown, token: admin).status == .notFound)
            let malformed = try await h.call(.get, "/v1/calendar/working-days?from=2027-04-28&to=2027-05-06&consortium=x",
                                             token: w.naraToken)
            #expect(malformed.status == .unprocessableContent)
            #expect(malformed.firstPointer == "/consortium")
        }
    }

    @Test func workingDaysPureFunctionMatchesTheCalendar() throws {
        let from = try #require(CivilDate(iso: "2027-04-01")), to = try #require(CivilDate(iso: "2028-03-31"))
        let answer = WorkingDaysEndpoint.workingDays(from: from, to: to, calendar: WorkingDayCalendar(), consortium: nil)
        #expect(answer.days.count == 366)
        #expect(answer.workingDayCount == WorkingDayCalendar().workingDays(from: from, through: to).count)
        #expect(answer.days.allSatisfy { $0.working == ($0.reason == nil) && $0.working == ($0.kind == nil) })
    }
}
