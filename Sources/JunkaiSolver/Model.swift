import Foundation
import JunkaiCore

/// The planning period, both ends inclusive.
public struct Period: Codable, Sendable, Hashable {
    public var start: CivilDate
    public var end: CivilDate
    public init(start: CivilDate, end: CivilDate) { self.start = start; self.end = end }

    /// Whether the date lies inside the period.
    public func contains(_ date: CivilDate) -> Bool { start <= date && date <= end }
}

/// One skill of the consortium's catalogue.
public struct Skill: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public init(id: String, name: String) { self.id = id; self.name = name }
}

/// A member municipality; `code` is the 6-digit 全国地方公共団体コード with its check digit.
public struct Municipality: Codable, Sendable, Hashable {
    public var code: String
    public var name: String
    public var lat: Double
    public var lon: Double
    public init(code: String, name: String, lat: Double, lon: Double) {
        self.code = code; self.name = name; self.lat = lat; self.lon = lon
    }
    public var location: GeoPoint { GeoPoint(lat: lat, lon: lon) }
}

/// A seat at one municipality with a skill matrix and a weekly demand.
public struct Post: Codable, Sendable, Hashable {
    public var id: String
    public var municipality: String
    public var title: String
    public var requirements: [String: Int]
    public var daysPerWeek: Int
    public var allowedWeekdays: [Int]
    public var preferredWeekdays: [Int]

    public init(id: String, municipality: String, title: String, requirements: [String: Int], daysPerWeek: Int,
                allowedWeekdays: [Int] = [1, 2, 3, 4, 5], preferredWeekdays: [Int] = []) {
        self.id = id; self.municipality = municipality; self.title = title; self.requirements = requirements
        self.daysPerWeek = daysPerWeek; self.allowedWeekdays = allowedWeekdays; self.preferredWeekdays = preferredWeekdays
    }

    enum CodingKeys: String, CodingKey { case id, municipality, title, requirements, daysPerWeek, allowedWeekdays, preferredWeekdays }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        municipality = try c.decode(String.self, forKey: .municipality)
        title = try c.decode(String.self, forKey: .title)
        requirements = try c.decodeIfPresent([String: Int].self, forKey: .requirements) ?? [:]
        daysPerWeek = try c.decode(Int.self, forKey: .daysPerWeek)
        allowedWeekdays = try c.decodeIfPresent([Int].self, forKey: .allowedWeekdays) ?? [1, 2, 3, 4, 5]
        preferredWeekdays = try c.decodeIfPresent([Int].self, forKey: .preferredWeekdays) ?? []
    }
}

/// One jointly hired external DX staff member.
public struct Staff: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var home: GeoPoint
    public var skills: [String: Int]
    public var maxDaysPerWeek: Int
    /// nil means "same as maxDaysPerWeek"; the loader fills it in.
    public var targetDaysPerWeek: Int?
    public var availableWeekdays: [Int]
    /// nil means no travel limit.
    public var maxTravelKm: Int?
    public var unavailableDates: [CivilDate]
    public var undesiredDates: [CivilDate]

    public init(id: String, name: String, home: GeoPoint, skills: [String: Int], maxDaysPerWeek: Int,
                targetDaysPerWeek: Int? = nil, availableWeekdays: [Int] = [1, 2, 3, 4, 5], maxTravelKm: Int? = nil,
                unavailableDates: [CivilDate] = [], undesiredDates: [CivilDate] = []) {
        self.id = id; self.name = name; self.home = home; self.skills = skills
        self.maxDaysPerWeek = maxDaysPerWeek; self.targetDaysPerWeek = targetDaysPerWeek
        self.availableWeekdays = availableWeekdays; self.maxTravelKm = maxTravelKm
        self.unavailableDates = unavailableDates; self.undesiredDates = undesiredDates
    }

    /// The weekly target with its default applied.
    public var effectiveTarget: Int { targetDaysPerWeek ?? maxDaysPerWeek }

    enum CodingKeys: String, CodingKey {
        case id, name, home, skills, maxDaysPerWeek, targetDaysPerWeek, availableWeekdays, maxTravelKm, unavailableDates, undesiredDates
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        home = try c.decode(GeoPoint.self, forKey: .home)
        skills = try c.decodeIfPresent([String: Int].self, forKey: .skills) ?? [:]
        maxDaysPerWeek = try c.decode(Int.self, forKey: .maxDaysPerWeek)
        targetDaysPerWeek = try c.decodeIfPresent(Int.self, forKey: .targetDaysPerWeek) ?? maxDaysPerWeek
        availableWeekdays = try c.decodeIfPresent([Int].self, forKey: .availableWeekdays) ?? [1, 2, 3, 4, 5]
        maxTravelKm = try c.decodeIfPresent(Int.self, forKey: .maxTravelKm)
        unavailableDates = try c.decodeIfPresent([CivilDate].self, forKey: .unavailableDates) ?? []
        undesiredDates = try c.decodeIfPresent([CivilDate].self, forKey: .undesiredDates) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(home, forKey: .home)
        try c.encode(skills, forKey: .skills)
        try c.encode(maxDaysPerWeek, forKey: .maxDaysPerWeek)
        try c.encode(effectiveTarget, forKey: .targetDaysPerWeek)
        try c.encode(availableWeekdays, forKey: .availableWeekdays)
        try c.encodeIfPresent(maxTravelKm, forKey: .maxTravelKm)
        try c.encode(unavailableDates, forKey: .unavailableDates)
        try c.encode(undesiredDates, forKey: .undesiredDates)
    }
}

/// How strongly a municipality asks for a post to be staffed on a date.
public enum RequestKind: String, Codable, Sendable, Hashable, CaseIterable {
    case required
    case preferred
}

/// A municipality asking for a post to be staffed on one date.
public struct Request: Codable, Sendable, Hashable {
    public var post: String
    public var date: CivilDate
    public var kind: RequestKind
    public init(post: String, date: CivilDate, kind: RequestKind) { self.post = post; self.date = date; self.kind = kind }
}

/// One decision of a plan: this staff member works at this post on this date.
public struct Assignment: Codable, Hashable, Sendable {
    public var staff: String
    public var post: String
    public var date: CivilDate
    public init(staff: String, post: String, date: CivilDate) { self.staff = staff; self.post = post; self.date = date }
}

/// A planning problem in the `junkai.instance/1` format of rotation-model.md.
public struct Instance: Codable, Sendable {
    public static let format = "junkai.instance/1"

    public var name: String
    public var period: Period
    public var closedDates: [CivilDate]
    public var weights: [String: Int]
    public var skills: [Skill]
    public var municipalities: [Municipality]
    public var posts: [Post]
    public var staff: [Staff]
    public var requests: [Request]
    public var pinned: [Assignment]
    public var baseline: [Assignment]

    public init(name: String, period: Period, closedDates: [CivilDate] = [], weights: [String: Int] = [:],
                skills: [Skill], municipalities: [Municipality], posts: [Post], staff: [Staff],
                requests: [Request] = [], pinned: [Assignment] = [], baseline: [Assignment] = []) {
        self.name = name; self.period = period; self.closedDates = closedDates; self.weights = weights
        self.skills = skills; self.municipalities = municipalities; self.posts = posts; self.staff = staff
        self.requests = requests; self.pinned = pinned; self.baseline = baseline
    }

    enum CodingKeys: String, CodingKey {
        case format, name, period, closedDates, weights, skills, municipalities, posts, staff, requests, pinned, baseline
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let f = try c.decodeIfPresent(String.self, forKey: .format), f != Instance.format {
            throw DecodingError.dataCorruptedError(forKey: .format, in: c, debugDescription: "expected \"\(Instance.format)\", got \"\(f)\"")
        }
        name = try c.decode(String.self, forKey: .name)
        period = try c.decode(Period.self, forKey: .period)
        closedDates = try c.decodeIfPresent([CivilDate].self, forKey: .closedDates) ?? []
        weights = try c.decodeIfPresent([String: Int].self, forKey: .weights) ?? [:]
        skills = try c.decode([Skill].self, forKey: .skills)
        municipalities = try c.decode([Municipality].self, forKey: .municipalities)
        posts = try c.decode([Post].self, forKey: .posts)
        staff = try c.decode([Staff].self, forKey: .staff)
        requests = try c.decodeIfPresent([Request].self, forKey: .requests) ?? []
        pinned = try c.decodeIfPresent([Assignment].self, forKey: .pinned) ?? []
        baseline = try c.decodeIfPresent([Assignment].self, forKey: .baseline) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Instance.format, forKey: .format)
        try c.encode(name, forKey: .name)
        try c.encode(period, forKey: .period)
        try c.encode(closedDates, forKey: .closedDates)
        try c.encode(weights, forKey: .weights)
        try c.encode(skills, forKey: .skills)
        try c.encode(municipalities, forKey: .municipalities)
        try c.encode(posts, forKey: .posts)
        try c.encode(staff, forKey: .staff)
        try c.encode(requests, forKey: .requests)
        try c.encode(pinned, forKey: .pinned)
        try c.encode(baseline, forKey: .baseline)
    }

    /// The weight of a catalogue term: the instance's override or the catalogue default.
    public func weight(_ term: ConstraintID) -> Int {
        weights[term.rawValue] ?? ConstraintCatalogue.entry(term).defaultWeight
    }
}

/// One term's count and weighted value.
public struct TermScore: Codable, Sendable, Hashable {
    public var count: Int
    public var value: Int
    public init(count: Int, value: Int) { self.count = count; self.value = value }
}

/// A plan in the `junkai.plan/1` format.
public struct Plan: Codable, Sendable {
    public static let formatName = "junkai.plan/1"
    public var format: String = Plan.formatName
    public var instance: String
    public var assignments: [Assignment]
    public var objective: Int?
    public var terms: [String: TermScore]?

    public init(instance: String, assignments: [Assignment], objective: Int? = nil, terms: [String: TermScore]? = nil) {
        self.instance = instance; self.assignments = assignments; self.objective = objective; self.terms = terms
    }

    enum CodingKeys: String, CodingKey { case format, instance, assignments, objective, terms }

    // `format` and `instance` may be missing when decoding; `loadPlan` is the validating path.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decodeIfPresent(String.self, forKey: .format) ?? Plan.formatName
        instance = try c.decodeIfPresent(String.self, forKey: .instance) ?? ""
        assignments = try c.decode([Assignment].self, forKey: .assignments)
        objective = try c.decodeIfPresent(Int.self, forKey: .objective)
        terms = try c.decodeIfPresent([String: TermScore].self, forKey: .terms)
    }
}
