import Foundation
import JunkaiCore
import Testing
@testable import JunkaiSolver

@Suite struct InstanceLoaderTests {
    typealias F = Fixtures

    func issues(_ data: Data) -> [ValidationIssue] {
        do { _ = try InstanceLoader.load(json: data); return [] } catch { return error.issues }
    }

    func pointers(_ data: Data) -> Set<String> { Set(issues(data).map(\.pointer)) }

    func edit(_ path: [Any], _ value: Any?) -> Data {
        F.mutated { root in
            func set(_ node: Any, _ rest: ArraySlice<Any>) -> Any? {
                guard let head = rest.first else { return value }
                if let k = head as? String, var o = node as? [String: Any] {
                    o[k] = set(o[k] ?? [String: Any](), rest.dropFirst()); return o
                }
                if let i = head as? Int, var a = node as? [Any] { a[i] = set(a[i], rest.dropFirst()) as Any; return a }
                return node
            }
            if let r = set(root, path[...]) as? [String: Any] { root = r }
        }
    }

    @Test func defaultsAreApplied() throws {
        let i = try InstanceLoader.load(json: Data(F.twoPostsTwoWeeksJSON.utf8))
        #expect(i.posts[0].allowedWeekdays == [1, 2, 3, 4, 5])
        #expect(i.posts[1].preferredWeekdays == [])
        #expect(i.staff[1].targetDaysPerWeek == 2)
        #expect(i.staff[2].availableWeekdays == [1, 2, 3, 4, 5])
        #expect(i.staff[2].maxTravelKm == nil)
        #expect(i.pinned.isEmpty)
    }

    @Test func encodingWritesFormatAndDefaultsAndRoundTrips() throws {
        let i = try InstanceLoader.load(json: Data(F.twoPostsTwoWeeksJSON.utf8))
        let data = try JSONEncoder().encode(i)
        let obj = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(obj["format"] as? String == "junkai.instance/1")
        let staff = try #require(obj["staff"] as? [[String: Any]])
        #expect(staff[1]["targetDaysPerWeek"] as? Int == 2)
        #expect(obj["pinned"] is [Any])
        let again = try InstanceLoader.load(json: data)
        #expect(Scorer.score(again, []).objective == Scorer.score(i, []).objective)
        let decoded = try JSONDecoder().decode(Instance.self, from: data)
        #expect(decoded.staff == i.staff && decoded.posts == i.posts)
    }

    @Test func malformedJSONNamesLineAndColumn() {
        let found = issues(Data("{\n  \"name\": ,\n}".utf8))
        #expect(found.count == 1)
        #expect(found.first?.detail.contains("line 2") == true)
    }

    @Test func wrongTypesAndMissingFieldsAreAllCollected() {
        var data = edit(["posts", 0, "daysPerWeek"], "2")
        data = Self.apply(data, ["staff", 1, "maxTravelKm"], 2.5)
        data = Self.apply(data, ["posts", 1, "title"], nil)
        data = Self.apply(data, ["requests", 0, "date"], "2027-4-6")
        data = Self.apply(data, ["requests", 1, "kind"], "maybe")
        let p = pointers(data)
        #expect(p == ["/posts/0/daysPerWeek", "/staff/1/maxTravelKm", "/posts/1/title", "/requests/0/date", "/requests/1/kind"])
    }

    @Test func semanticIssuesNameTheField() {
        var data = edit(["posts", 1, "daysPerWeek"], 6)
        data = Self.apply(data, ["municipalities", 1, "code"], "292045")
        data = Self.apply(data, ["staff", 2, "id"], "sa")
        data = Self.apply(data, ["staff", 0, "skills", "pm"], 6)
        data = Self.apply(data, ["staff", 1, "skills", "cooking"], 3)
        data = Self.apply(data, ["posts", 0, "allowedWeekdays"], [1, 8])
        data = Self.apply(data, ["requests", 2, "date"], "2027-04-30")
        data = Self.apply(data, ["weights", "travel"], 2)
        data = Self.apply(data, ["baseline", 0, "post"], "nowhere")
        let p = pointers(data)
        #expect(p.isSuperset(of: ["/posts/1/daysPerWeek", "/municipalities/1/code", "/staff/2/id", "/staff/0/skills/pm",
                                  "/staff/1/skills/cooking", "/posts/0/allowedWeekdays/1", "/requests/2/date",
                                  "/weights/travel", "/baseline/0/post"]))
        // pB's municipality now has no valid member to point at.
        #expect(p.contains("/posts/1/municipality"))
    }

    @Test func pinsOutsideThePeriodOrUnknownAreRejected() {
        let data = edit(["pinned"], [["staff": "sa", "post": "pA", "date": "2027-05-06"], ["staff": "zz", "post": "pA", "date": "2027-04-06"]])
        #expect(pointers(data) == ["/pinned/0/date", "/pinned/1/staff"])
    }

    @Test func pinsBreakingHardRulesAloneOrTogether() {
        // H1 alone; H2 together (sa twice on 04-06); H5 together (sb max 2); H6 together (pA 3 in week 2).
        let pins: [[String: String]] = [
            ["staff": "sb", "post": "pA", "date": "2027-04-07"],
            ["staff": "sa", "post": "pA", "date": "2027-04-06"],
            ["staff": "sa", "post": "pB", "date": "2027-04-07"],
            ["staff": "sa", "post": "pB", "date": "2027-04-06"],
            ["staff": "sb", "post": "pB", "date": "2027-04-12"],
            ["staff": "sb", "post": "pB", "date": "2027-04-14"],
            ["staff": "sb", "post": "pB", "date": "2027-04-16"],
            ["staff": "sc", "post": "pA", "date": "2027-04-13"],
            ["staff": "sa", "post": "pA", "date": "2027-04-14"],
            ["staff": "sc", "post": "pA", "date": "2027-04-15"],
        ]
        let found = issues(edit(["pinned"], pins))
        let byPointer = Dictionary(grouping: found, by: \.pointer)
        #expect(byPointer["/pinned/0"]?.contains { $0.detail.contains("H1") } == true)
        #expect(byPointer["/pinned/3"]?.contains { $0.detail.contains("H2") } == true)
        #expect(byPointer["/pinned/6"]?.contains { $0.detail.contains("H5") } == true)
        #expect(byPointer["/pinned/9"]?.contains { $0.detail.contains("H6") } == true)
        #expect(found.allSatisfy { $0.pointer.hasPrefix("/pinned/") })
    }

    @Test func validateChecksInstancesBuiltInCode() {
        var i = F.twoPostsTwoWeeks()
        #expect(throws: Never.self) { try InstanceLoader.validate(i) }
        i.posts[0].daysPerWeek = 0
        i.pinned = [F.a("sb", "pA", "2027-04-05")]
        do {
            try InstanceLoader.validate(i)
            Issue.record("expected invalid")
        } catch {
            #expect(error.issues.map(\.pointer).contains("/posts/0/daysPerWeek"))
            #expect(error.description.contains("/posts/0/daysPerWeek: 0 is outside 1–5"))
        }
    }

    @Test func planLoadingRejectsUnknownIdsAndBadDates() {
        let inst = F.twoPostsTwoWeeks()
        let bad = #"{"format":"junkai.plan/1","instance":"x","assignments":[{"staff":"sa","post":"pA","date":"2027-04-06"},{"staff":"zz","post":"pA","date":"2027-04-06"},{"staff":"sa","post":"pA","date":"06/04/2027"},{"staff":"sa","post":"qq"}]}"#
        do {
            _ = try InstanceLoader.loadPlan(json: Data(bad.utf8), for: inst)
            Issue.record("expected invalid")
        } catch {
            #expect(Set(error.issues.map(\.pointer)) == ["/assignments/1/staff", "/assignments/2/date", "/assignments/3/date", "/assignments/3/post"])
        }
        let good = #"{"format":"junkai.plan/1","instance":"x","assignments":[{"staff":"sa","post":"pA","date":"2027-04-06"},{"staff":"sa","post":"pA","date":"2027-04-06"}],"objective":3}"#
        let plan = try? InstanceLoader.loadPlan(json: Data(good.utf8), for: inst)
        #expect(plan?.assignments.count == 2)
        #expect(plan?.objective == 3)
    }

    static func apply(_ data: Data, _ path: [Any], _ value: Any?) -> Data {
        guard var root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return data }
        func set(_ node: Any, _ rest: ArraySlice<Any>) -> Any? {
            guard let head = rest.first else { return value }
            if let k = head as? String, var o = node as? [String: Any] {
                o[k] = set(o[k] ?? [String: Any](), rest.dropFirst()); return o
            }
            if let i = head as? Int, var a = node as? [Any] { a[i] = set(a[i], rest.dropFirst()) as Any; return a }
            return node
        }
        if let r = set(root, path[...]) as? [String: Any] { root = r }
        return (try? JSONSerialization.data(withJSONObject: root)) ?? data
    }
}
