import Foundation
import JunkaiCore

/// Walks a parsed JSON tree, building model values and collecting every type error by pointer.
/// A bad field gets a harmless placeholder so the walk goes on and array indexes keep matching the input.
private struct TreeReader {
    var issues: [ValidationIssue] = []

    mutating func fail(_ ptr: String, _ detail: String) { issues.append(ValidationIssue(pointer: ptr, detail: detail)) }

    func members(_ v: JSONValue) -> [String: JSONValue]? {
        guard case .object(let m) = v else { return nil }
        var d: [String: JSONValue] = [:]
        for (k, x) in m where d[k] == nil { d[k] = x }
        return d
    }

    /// The object at `ptr`, or nil (with an issue) when it is not one.
    mutating func object(_ v: JSONValue?, _ ptr: String) -> [String: JSONValue]? {
        guard let v else { fail(ptr, "is required"); return nil }
        guard let m = members(v) else { fail(ptr, "must be an object, not \(v.typeName)"); return nil }
        return m
    }

    /// A present, non-null field, or nil; a missing required field is an issue.
    mutating func field(_ o: [String: JSONValue], _ key: String, _ ptr: String, required: Bool) -> JSONValue? {
        switch o[key] {
        case nil, .null?:
            if required { fail("\(ptr)/\(JSONPointer.token(key))", "is required") }
            return nil
        case let v?:
            return v
        }
    }

    mutating func string(_ v: JSONValue, _ ptr: String) -> String? {
        guard case .string(let s) = v else { fail(ptr, "must be a string, not \(v.typeName)"); return nil }
        return s
    }

    mutating func int(_ v: JSONValue, _ ptr: String) -> Int? {
        guard case .number(_, let n) = v else { fail(ptr, "must be an integer, not \(v.typeName)"); return nil }
        guard let n else { fail(ptr, "must be an integer"); return nil }
        return n
    }

    mutating func double(_ v: JSONValue, _ ptr: String) -> Double? {
        guard case .number(let d, _) = v else { fail(ptr, "must be a number, not \(v.typeName)"); return nil }
        return d
    }

    mutating func date(_ v: JSONValue, _ ptr: String) -> CivilDate? {
        guard let s = string(v, ptr) else { return nil }
        guard let d = CivilDate(iso: s) else { fail(ptr, "must be a date YYYY-MM-DD, got \"\(s)\""); return nil }
        return d
    }

    mutating func array(_ v: JSONValue, _ ptr: String) -> [(JSONValue, String)]? {
        guard case .array(let xs) = v else { fail(ptr, "must be an array, not \(v.typeName)"); return nil }
        return xs.enumerated().map { ($0.element, "\(ptr)/\($0.offset)") }
    }

    mutating func reqString(_ o: [String: JSONValue], _ key: String, _ ptr: String) -> String {
        field(o, key, ptr, required: true).flatMap { string($0, "\(ptr)/\(JSONPointer.token(key))") } ?? ""
    }

    mutating func reqInt(_ o: [String: JSONValue], _ key: String, _ ptr: String, placeholder: Int) -> Int {
        field(o, key, ptr, required: true).flatMap { int($0, "\(ptr)/\(key)") } ?? placeholder
    }

    mutating func optInt(_ o: [String: JSONValue], _ key: String, _ ptr: String) -> Int? {
        field(o, key, ptr, required: false).flatMap { int($0, "\(ptr)/\(key)") }
    }

    mutating func reqDouble(_ o: [String: JSONValue], _ key: String, _ ptr: String) -> Double {
        field(o, key, ptr, required: true).flatMap { double($0, "\(ptr)/\(key)") } ?? 0
    }

    mutating func reqDate(_ o: [String: JSONValue], _ key: String, _ ptr: String) -> CivilDate? {
        field(o, key, ptr, required: true).flatMap { date($0, "\(ptr)/\(key)") }
    }

    mutating func list<T>(_ o: [String: JSONValue], _ key: String, _ ptr: String, required: Bool,
                          _ element: (inout TreeReader, JSONValue, String) -> T?) -> [T]? {
        guard let v = field(o, key, ptr, required: required) else { return nil }
        guard let xs = array(v, "\(ptr)/\(key)") else { return nil }
        return xs.compactMap { element(&self, $0.0, $0.1) }
    }

    mutating func intList(_ o: [String: JSONValue], _ key: String, _ ptr: String) -> [Int]? {
        list(o, key, ptr, required: false) { r, v, p in r.int(v, p) }
    }

    mutating func dateList(_ o: [String: JSONValue], _ key: String, _ ptr: String) -> [CivilDate]? {
        list(o, key, ptr, required: false) { r, v, p in r.date(v, p) }
    }

    /// A `{name: integer}` map such as `requirements`, `skills` or `weights`.
    mutating func intMap(_ o: [String: JSONValue], _ key: String, _ ptr: String, required: Bool) -> [String: Int]? {
        guard let v = field(o, key, ptr, required: required) else { return nil }
        let p = "\(ptr)/\(key)"
        guard case .object(let m) = v else { fail(p, "must be an object, not \(v.typeName)"); return nil }
        var out: [String: Int] = [:]
        for (k, x) in m {
            if out[k] != nil { fail("\(p)/\(JSONPointer.token(k))", "appears twice"); continue }
            if let n = int(x, "\(p)/\(JSONPointer.token(k))") { out[k] = n }
        }
        return out
    }

    mutating func geo(_ v: JSONValue, _ ptr: String) -> GeoPoint {
        guard let o = object(v, ptr) else { return GeoPoint(lat: 0, lon: 0) }
        return GeoPoint(lat: reqDouble(o, "lat", ptr), lon: reqDouble(o, "lon", ptr))
    }

    mutating func assignment(_ v: JSONValue, _ ptr: String) -> Assignment? {
        guard let o = object(v, ptr) else { return nil }
        let staff = reqString(o, "staff", ptr)
        let post = reqString(o, "post", ptr)
        let date = reqDate(o, "date", ptr)
        return Assignment(staff: staff, post: post, date: date ?? CivilDate(dayNumber: 0))
    }
}

/// Parsing and validation of instances and plans; every problem is reported with the field's JSON pointer.
public enum InstanceLoader {
    /// The longest period accepted, so a typo cannot ask the solver for centuries of days.
    public static let maxPeriodDays = 1100
    /// The largest weight accepted, so that every objective stays far inside 64-bit integers.
    public static let maxWeight = 1_000_000

    /// Parses and validates a `junkai.instance/1` document; defaults are applied.
    public static func load(json: Data) throws(InvalidInput) -> Instance {
        let root: JSONValue
        do { root = try JSONParser.parse(json) } catch {
            throw InvalidInput(issues: [ValidationIssue(pointer: "", detail: error.message)])
        }
        var r = TreeReader()
        guard let o = r.object(root, "") else { throw InvalidInput(issues: r.issues) }
        if let f = r.field(o, "format", "", required: true), let s = r.string(f, "/format"), s != Instance.format {
            r.fail("/format", "must be \"\(Instance.format)\", got \"\(s)\"")
        }
        let name = r.reqString(o, "name", "")
        var period = Period(start: CivilDate(dayNumber: 0), end: CivilDate(dayNumber: 0))
        var periodOK = false
        if let pv = r.field(o, "period", "", required: true), let po = r.object(pv, "/period") {
            let s = r.reqDate(po, "start", "/period"), e = r.reqDate(po, "end", "/period")
            if let s, let e { period = Period(start: s, end: e); periodOK = true }
        }
        let closed = r.dateList(o, "closedDates", "") ?? []
        let weights = r.intMap(o, "weights", "", required: false) ?? [:]
        let skills = r.list(o, "skills", "", required: true) { r, v, p -> Skill? in
            guard let so = r.object(v, p) else { return Skill(id: "", name: "") }
            return Skill(id: r.reqString(so, "id", p), name: r.reqString(so, "name", p))
        } ?? []
        let munis = r.list(o, "municipalities", "", required: true) { r, v, p -> Municipality? in
            guard let mo = r.object(v, p) else { return Municipality(code: "", name: "", lat: 0, lon: 0) }
            return Municipality(code: r.reqString(mo, "code", p), name: r.reqString(mo, "name", p),
                                lat: r.reqDouble(mo, "lat", p), lon: r.reqDouble(mo, "lon", p))
        } ?? []
        let posts = r.list(o, "posts", "", required: true) { r, v, p -> Post? in
            guard let po = r.object(v, p) else { return Post(id: "", municipality: "", title: "", requirements: [:], daysPerWeek: 1) }
            return Post(id: r.reqString(po, "id", p), municipality: r.reqString(po, "municipality", p),
                        title: r.reqString(po, "title", p),
                        requirements: r.intMap(po, "requirements", p, required: true) ?? [:],
                        daysPerWeek: r.reqInt(po, "daysPerWeek", p, placeholder: 1),
                        allowedWeekdays: r.intList(po, "allowedWeekdays", p) ?? [1, 2, 3, 4, 5],
                        preferredWeekdays: r.intList(po, "preferredWeekdays", p) ?? [])
        } ?? []
        let staff = r.list(o, "staff", "", required: true) { r, v, p -> Staff? in
            guard let so = r.object(v, p) else { return Staff(id: "", name: "", home: GeoPoint(lat: 0, lon: 0), skills: [:], maxDaysPerWeek: 0) }
            let home = r.field(so, "home", p, required: true).map { r.geo($0, "\(p)/home") } ?? GeoPoint(lat: 0, lon: 0)
            let maxDays = r.reqInt(so, "maxDaysPerWeek", p, placeholder: 0)
            return Staff(id: r.reqString(so, "id", p), name: r.reqString(so, "name", p), home: home,
                         skills: r.intMap(so, "skills", p, required: true) ?? [:],
                         maxDaysPerWeek: maxDays,
                         targetDaysPerWeek: r.optInt(so, "targetDaysPerWeek", p) ?? maxDays,
                         availableWeekdays: r.intList(so, "availableWeekdays", p) ?? [1, 2, 3, 4, 5],
                         maxTravelKm: r.optInt(so, "maxTravelKm", p),
                         unavailableDates: r.dateList(so, "unavailableDates", p) ?? [],
                         undesiredDates: r.dateList(so, "undesiredDates", p) ?? [])
        } ?? []
        let requests = r.list(o, "requests", "", required: false) { r, v, p -> Request? in
            guard let ro = r.object(v, p) else { return Request(post: "", date: CivilDate(dayNumber: 0), kind: .preferred) }
            let post = r.reqString(ro, "post", p)
            let date = r.reqDate(ro, "date", p) ?? CivilDate(dayNumber: 0)
            var kind = RequestKind.preferred
            if let kv = r.field(ro, "kind", p, required: true), let k = r.string(kv, "\(p)/kind") {
                if let parsed = RequestKind(rawValue: k) { kind = parsed } else {
                    r.fail("\(p)/kind", "must be \"required\" or \"preferred\", got \"\(k)\"")
                }
            }
            return Request(post: post, date: date, kind: kind)
        } ?? []
        let pinned = r.list(o, "pinned", "", required: false) { r, v, p in r.assignment(v, p) } ?? []
        let baseline = r.list(o, "baseline", "", required: false) { r, v, p in r.assignment(v, p) } ?? []

        let instance = Instance(name: name, period: period, closedDates: closed, weights: weights, skills: skills,
                                municipalities: munis, posts: posts, staff: staff, requests: requests,
                                pinned: pinned, baseline: baseline)
        let parseIssues = r.issues
        let semantic = semanticIssues(instance, checkPeriod: periodOK, checkPins: parseIssues.isEmpty)
        let reported = parseIssues.map(\.pointer)
        // A field that failed to parse carries a placeholder; do not report the placeholder a second time.
        let extra = semantic.filter { s in !reported.contains { s.pointer == $0 || s.pointer.hasPrefix($0 + "/") } }
        let all = parseIssues + extra
        if !all.isEmpty { throw InvalidInput(issues: all) }
        return instance
    }

    /// Checks an instance built in code (ids, codes, ranges, dates, weights, and pins against the hard rules).
    public static func validate(_ instance: Instance) throws(InvalidInput) {
        let issues = semanticIssues(instance, checkPeriod: true, checkPins: true)
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
    }

    /// Parses a `junkai.plan/1` document and checks that it names only known staff and posts.
    public static func loadPlan(json: Data, for instance: Instance) throws(InvalidInput) -> Plan {
        let root: JSONValue
        do { root = try JSONParser.parse(json) } catch {
            throw InvalidInput(issues: [ValidationIssue(pointer: "", detail: error.message)])
        }
        var r = TreeReader()
        guard let o = r.object(root, "") else { throw InvalidInput(issues: r.issues) }
        if let f = r.field(o, "format", "", required: false), let s = r.string(f, "/format"), s != Plan.formatName {
            r.fail("/format", "must be \"\(Plan.formatName)\", got \"\(s)\"")
        }
        let name = r.field(o, "instance", "", required: false).flatMap { r.string($0, "/instance") } ?? instance.name
        let staffIds = Set(instance.staff.map(\.id)), postIds = Set(instance.posts.map(\.id))
        var assignments: [Assignment] = []
        if let v = r.field(o, "assignments", "", required: true), let xs = r.array(v, "/assignments") {
            for (x, p) in xs {
                guard let ao = r.object(x, p) else { continue }
                let staff = r.field(ao, "staff", p, required: true).flatMap { r.string($0, "\(p)/staff") }
                let post = r.field(ao, "post", p, required: true).flatMap { r.string($0, "\(p)/post") }
                let date = r.reqDate(ao, "date", p)
                if let staff, !staffIds.contains(staff) { r.fail("\(p)/staff", "unknown staff \"\(staff)\"") }
                if let post, !postIds.contains(post) { r.fail("\(p)/post", "unknown post \"\(post)\"") }
                if let staff, let post, let date { assignments.append(Assignment(staff: staff, post: post, date: date)) }
            }
        }
        let objective = r.optInt(o, "objective", "")
        var terms: [String: TermScore]?
        if let tv = r.field(o, "terms", "", required: false), let to = r.object(tv, "/terms") {
            var t: [String: TermScore] = [:]
            for (k, x) in to {
                let p = "/terms/\(JSONPointer.token(k))"
                guard let xo = r.object(x, p) else { continue }
                t[k] = TermScore(count: r.reqInt(xo, "count", p, placeholder: 0), value: r.reqInt(xo, "value", p, placeholder: 0))
            }
            terms = t
        }
        if !r.issues.isEmpty { throw InvalidInput(issues: r.issues) }
        return Plan(instance: name, assignments: assignments, objective: objective, terms: terms)
    }

    // MARK: - Semantic checks

    static func semanticIssues(_ inst: Instance, checkPeriod: Bool, checkPins: Bool) -> [ValidationIssue] {
        var out: [ValidationIssue] = []
        func fail(_ p: String, _ d: String) { out.append(ValidationIssue(pointer: p, detail: d)) }
        func weekdays(_ xs: [Int], _ p: String) { out += InputRules.weekdayIssues(xs, at: p) }
        func coordinates(_ lat: Double, _ lon: Double, _ p: String) { out += InputRules.coordinateIssues(lat: lat, lon: lon, at: p) }
        var periodValid = checkPeriod
        if checkPeriod {
            if inst.period.start > inst.period.end {
                fail("/period/end", "\(inst.period.end.iso) is before the start \(inst.period.start.iso)"); periodValid = false
            } else if inst.period.end.dayNumber - inst.period.start.dayNumber + 1 > maxPeriodDays {
                fail("/period/end", "the period is longer than \(maxPeriodDays) days"); periodValid = false
            }
        }
        let softNames = Set(ConstraintCatalogue.softTerms.map(\.name))
        for (k, w) in inst.weights.sorted(by: { $0.key < $1.key }) {
            let p = "/weights/\(JSONPointer.token(k))"
            if !softNames.contains(k) { fail(p, "unknown weight \"\(k)\"; known: \(ConstraintCatalogue.softTerms.map(\.name).joined(separator: ", "))") }
            else if !(0...maxWeight).contains(w) { fail(p, "weight \(w) is outside 0…\(maxWeight)") }
        }
        var skillIds = Set<String>()
        for (i, s) in inst.skills.enumerated() {
            if s.id.isEmpty { fail("/skills/\(i)/id", "must not be empty") }
            else if !skillIds.insert(s.id).inserted { fail("/skills/\(i)/id", "duplicate skill id \"\(s.id)\"") }
        }
        var muniCodes = Set<String>()
        for (i, m) in inst.municipalities.enumerated() {
            do { _ = try LocalGovCode(validating: m.code) } catch { fail("/municipalities/\(i)/code", "\"\(m.code)\": \(error)") }
            if !muniCodes.insert(m.code).inserted { fail("/municipalities/\(i)/code", "duplicate municipality \"\(m.code)\"") }
            coordinates(m.lat, m.lon, "/municipalities/\(i)")
        }
        func levels(_ m: [String: Int], _ p: String) {
            for (k, v) in m.sorted(by: { $0.key < $1.key }) {
                let kp = "\(p)/\(JSONPointer.token(k))"
                if !skillIds.contains(k) { fail(kp, "unknown skill \"\(k)\"") }
                if !InputRules.levels.contains(v) { fail(kp, "level \(v) is outside 1–5") }
            }
        }
        var postIds = Set<String>()
        for (i, p) in inst.posts.enumerated() {
            let ptr = "/posts/\(i)"
            if p.id.isEmpty { fail("\(ptr)/id", "must not be empty") }
            else if !postIds.insert(p.id).inserted { fail("\(ptr)/id", "duplicate post id \"\(p.id)\"") }
            if !muniCodes.contains(p.municipality) { fail("\(ptr)/municipality", "unknown municipality \"\(p.municipality)\"") }
            levels(p.requirements, "\(ptr)/requirements")
            if !InputRules.daysPerWeek.contains(p.daysPerWeek) { fail("\(ptr)/daysPerWeek", "\(p.daysPerWeek) is outside 1–5") }
            weekdays(p.allowedWeekdays, "\(ptr)/allowedWeekdays")
            weekdays(p.preferredWeekdays, "\(ptr)/preferredWeekdays")
        }
        var staffIds = Set<String>()
        for (i, s) in inst.staff.enumerated() {
            let ptr = "/staff/\(i)"
            if s.id.isEmpty { fail("\(ptr)/id", "must not be empty") }
            else if !staffIds.insert(s.id).inserted { fail("\(ptr)/id", "duplicate staff id \"\(s.id)\"") }
            coordinates(s.home.lat, s.home.lon, "\(ptr)/home")
            levels(s.skills, "\(ptr)/skills")
            if !(0...7).contains(s.maxDaysPerWeek) { fail("\(ptr)/maxDaysPerWeek", "\(s.maxDaysPerWeek) is outside 0–7") }
            if let t = s.targetDaysPerWeek, !(0...7).contains(t) { fail("\(ptr)/targetDaysPerWeek", "\(t) is outside 0–7") }
            weekdays(s.availableWeekdays, "\(ptr)/availableWeekdays")
            if let km = s.maxTravelKm, km < 0 { fail("\(ptr)/maxTravelKm", "\(km) must not be negative") }
        }
        for (i, q) in inst.requests.enumerated() {
            if !postIds.contains(q.post) { fail("/requests/\(i)/post", "unknown post \"\(q.post)\"") }
            if periodValid, !inst.period.contains(q.date) { fail("/requests/\(i)/date", "\(q.date.iso) is outside the period") }
        }
        func known(_ a: Assignment, _ p: String) -> Bool {
            var ok = true
            if !staffIds.contains(a.staff) { fail("\(p)/staff", "unknown staff \"\(a.staff)\""); ok = false }
            if !postIds.contains(a.post) { fail("\(p)/post", "unknown post \"\(a.post)\""); ok = false }
            return ok
        }
        var pinsKnown = true
        for (i, a) in inst.pinned.enumerated() {
            if !known(a, "/pinned/\(i)") { pinsKnown = false }
            if periodValid, !inst.period.contains(a.date) { fail("/pinned/\(i)/date", "\(a.date.iso) is outside the period"); pinsKnown = false }
        }
        for (i, a) in inst.baseline.enumerated() { _ = known(a, "/baseline/\(i)") }
        if checkPins, pinsKnown, periodValid, out.isEmpty {
            out += pinIssues(inst)
        }
        return out
    }

    /// Pinned assignments that break a hard rule on their own or together (H1–H7).
    static func pinIssues(_ inst: Instance) -> [ValidationIssue] {
        let report = Scorer.score(inst, inst.pinned)
        var out: [ValidationIssue] = []
        var seen = Set<String>()
        for v in report.violations where v.rule != .H8 {
            let title = ConstraintCatalogue.entry(v.rule).title
            // Group rules point at the pin that first goes beyond the limit; per-entry rules at each offending pin.
            let index: Int?
            switch v.rule {
            case .H2:
                index = inst.pinned.indices.filter { inst.pinned[$0].staff == v.staff && inst.pinned[$0].date == v.date }.dropFirst().first
            case .H3:
                index = inst.pinned.indices.filter { inst.pinned[$0].post == v.post && inst.pinned[$0].date == v.date }.dropFirst().first
            case .H5:
                let cap = inst.staff.first { $0.id == v.staff }?.maxDaysPerWeek ?? 0
                index = inst.pinned.indices.filter { inst.pinned[$0].staff == v.staff && inst.pinned[$0].date.weekStart == v.date }.dropFirst(cap).first
            case .H6:
                let n = inst.pinned.indices.filter { inst.pinned[$0].post == v.post && inst.pinned[$0].date.weekStart == v.date }
                let cal = PeriodCalendar(period: inst.period, closedDates: inst.closedDates)
                let demand = inst.posts.first { $0.id == v.post }.map { p in v.date.map { cal.demand(p, week: $0) } ?? 0 } ?? 0
                index = n.dropFirst(demand).first
            default:
                index = inst.pinned.indices.first {
                    inst.pinned[$0].staff == v.staff && inst.pinned[$0].post == v.post && inst.pinned[$0].date == v.date
                        && !seen.contains("\(v.rule.rawValue)/\($0)")
                }
            }
            let i = index ?? 0
            seen.insert("\(v.rule.rawValue)/\(i)")
            let who = [v.staff.map { "staff \($0)" }, v.post.map { "post \($0)" }, v.date.map { "date \($0.iso)" }].compactMap { $0 }.joined(separator: ", ")
            out.append(ValidationIssue(pointer: "/pinned/\(i)", detail: "pinned assignment breaks \(v.rule.rawValue) \(title) (\(who))"))
        }
        return out
    }
}
