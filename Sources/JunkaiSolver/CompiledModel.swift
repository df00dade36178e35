import JunkaiCore

/// The instance compiled to integers for the search.
///
/// The decision grid is sparse: one *cell* per (post, working day inside the period whose weekday the post allows);
/// a cell holds one staff index or nothing. Every other date is closed to the search because H4 forbids it. Staff
/// that can ever sit on a post (H1 skills and H7 travel) are listed per post; H4's staff side is a dense
/// staff × working-day table, which is small (1,100 staff × 65 days is 71k entries) unlike staff × post × day.
///
/// Objective bookkeeping: for a plan inside the grid that keeps H6, unmetDemand is Σdemand − #assignments, so
/// each assignment's fixed share (its travel, undesired date, weekday, requests met, baseline kept, −unmetDemand)
/// is a per-cell number and only overTarget and continuity need counters.
final class CompiledModel: Sendable {
    let instance: Instance
    let nPosts: Int, nStaff: Int, nDays: Int, nWeeks: Int, nCells: Int

    /// Working days inside the period, and each one's week index.
    let dayDate: [CivilDate]
    let dayWeek: [Int]
    let weekMonday: [CivilDate]
    /// Days of week w are `weekFirstDay[w] ..< weekFirstDay[w + 1]`.
    let weekFirstDay: [Int]

    let cellPost: [Int32]
    let cellDay: [Int32]
    /// Cells of post p are `postCellStart[p] ..< postCellStart[p + 1]`, in day order.
    let postCellStart: [Int]
    /// Cells of post p in week w are `pwStart[p * nWeeks + w] ..< pwEnd[p * nWeeks + w]`.
    let pwStart: [Int32]
    let pwEnd: [Int32]
    /// demand(post, week) for the weeks overlapping the period.
    let demand: [Int32]

    /// Staff eligible for post p (H1 and H7) are `eligStaff[eligStart[p] ..< eligStart[p + 1]]`.
    let eligStart: [Int]
    let eligStaff: [Int32]
    /// travelPerKm weight × km for each eligible slot.
    let eligTravel: [Int]
    /// Slot of staff s in post p's eligible list (`p * nStaff + s`), or −1.
    let eligIndex: [Int32]
    /// Per staff: the posts the staff member is eligible for.
    let staffPostStart: [Int]
    let staffPosts: [Int32]

    let cap: [Int32]
    let target: [Int32]
    /// Whether staff s may work on day d (`s * nDays + d`): available weekday and not an unavailable date.
    let staffDayOK: [Bool]
    /// undesiredDate weight when day d is one of staff s's undesired dates (`s * nDays + d`).
    let undesiredCost: [Int]

    /// The cell's fixed share whoever sits there: nonPreferredWeekday − requests met − unmetDemand weight.
    let cellCost: [Int]
    /// Whether a required request asks for the cell.
    let cellRequired: [Bool]
    /// The pinned staff of a cell, or −1.
    let cellPinned: [Int32]
    /// Baseline entries on a cell: `baselineStaff/baselineBonus[cellBaselineStart[c] ..< cellBaselineStart[c + 1]]`.
    let cellBaselineStart: [Int32]
    let baselineStaff: [Int32]
    let baselineBonus: [Int]

    let wOverTarget: Int
    let wContinuity: Int
    /// The objective of the empty grid (all demand unmet, every request missed, every baseline entry disrupted).
    let constant: Int
    /// Pinned assignments that no cell can hold (only in an instance that skipped validation); kept verbatim.
    let strayPins: [Assignment]

    let staffIndex: [String: Int]
    let postIndex: [String: Int]
    private let dayIndexByNumber: [Int: Int]

    init(_ inst: Instance) {
        instance = inst
        let cal = PeriodCalendar(period: inst.period, closedDates: inst.closedDates)
        nPosts = inst.posts.count
        nStaff = inst.staff.count
        dayDate = cal.workingDays
        nDays = dayDate.count
        weekMonday = cal.weeks
        nWeeks = weekMonday.count
        var weekOf: [Int: Int] = [:]
        for (i, m) in weekMonday.enumerated() { weekOf[m.dayNumber] = i }
        dayWeek = dayDate.map { weekOf[$0.weekStart.dayNumber] ?? 0 }
        var wfd = [Int](repeating: dayDate.count, count: weekMonday.count + 1)
        for d in stride(from: dayDate.count - 1, through: 0, by: -1) { wfd[dayWeek[d]] = d }
        for w in stride(from: weekMonday.count - 1, through: 0, by: -1) where wfd[w] > wfd[w + 1] { wfd[w] = wfd[w + 1] }
        weekFirstDay = wfd
        var dix: [Int: Int] = [:]
        for (i, d) in dayDate.enumerated() { dix[d.dayNumber] = i }
        dayIndexByNumber = dix

        var si: [String: Int] = [:]
        for (i, s) in inst.staff.enumerated() where si[s.id] == nil { si[s.id] = i }
        var pi: [String: Int] = [:]
        for (i, p) in inst.posts.enumerated() where pi[p.id] == nil { pi[p.id] = i }
        staffIndex = si
        postIndex = pi

        let wTravel = inst.weight(.travelPerKm), wUndesired = inst.weight(.undesiredDate)
        let wNonPref = inst.weight(.nonPreferredWeekday), wUnmet = inst.weight(.unmetDemand)
        let wReq = inst.weight(.missedRequiredRequest), wPref = inst.weight(.missedPreferredRequest)
        let wDisruption = inst.weight(.disruption)
        wOverTarget = inst.weight(.overTarget)
        wContinuity = inst.weight(.continuity)

        // Cells and post-week ranges.
        var cPost: [Int32] = [], cDay: [Int32] = [], pcs: [Int] = [0]
        var pws = [Int32](repeating: 0, count: nPosts * nWeeks), pwe = [Int32](repeating: 0, count: nPosts * nWeeks)
        var dem = [Int32](repeating: 0, count: nPosts * nWeeks)
        var constant = 0
        for (p, post) in inst.posts.enumerated() {
            let allowed = Set(post.allowedWeekdays)
            var w = -1
            for (d, date) in dayDate.enumerated() where allowed.contains(date.weekday) {
                while w < dayWeek[d] { w += 1; pws[p * nWeeks + w] = Int32(cPost.count); pwe[p * nWeeks + w] = Int32(cPost.count) }
                cPost.append(Int32(p)); cDay.append(Int32(d))
                pwe[p * nWeeks + w] = Int32(cPost.count)
            }
            while w < nWeeks - 1 { w += 1; pws[p * nWeeks + w] = Int32(cPost.count); pwe[p * nWeeks + w] = Int32(cPost.count) }
            for w in 0..<nWeeks {
                let open = Int(pwe[p * nWeeks + w] - pws[p * nWeeks + w])
                dem[p * nWeeks + w] = Int32(min(post.daysPerWeek, open))
                constant += wUnmet * min(post.daysPerWeek, open)
            }
            pcs.append(cPost.count)
        }
        cellPost = cPost; cellDay = cDay; postCellStart = pcs; pwStart = pws; pwEnd = pwe; demand = dem
        nCells = cPost.count

        // Eligibility (H1, H7) and travel.
        var muni: [String: GeoPoint] = [:]
        for m in inst.municipalities where muni[m.code] == nil { muni[m.code] = m.location }
        var es: [Int] = [0], est: [Int32] = [], etr: [Int] = []
        var eix = [Int32](repeating: -1, count: nPosts * nStaff)
        var perStaff = [[Int32]](repeating: [], count: nStaff)
        for (p, post) in inst.posts.enumerated() {
            let loc = muni[post.municipality]
            // Nearest first, so searches can favour short trips by drawing from the front of the list.
            var here: [(km: Int, s: Int)] = []
            for (s, st) in inst.staff.enumerated() {
                guard ScoringContext.meets(st, post) else { continue }
                let km = loc.map { GeoDistance.roundedKm(st.home, $0) } ?? 0
                if let limit = st.maxTravelKm, km > limit { continue }
                here.append((km, s))
            }
            here.sort { ($0.km, $0.s) < ($1.km, $1.s) }
            for (km, s) in here {
                eix[p * nStaff + s] = Int32(est.count - es[p])
                est.append(Int32(s)); etr.append(wTravel * km)
                perStaff[s].append(Int32(p))
            }
            es.append(est.count)
        }
        eligStart = es; eligStaff = est; eligTravel = etr; eligIndex = eix
        var sps: [Int] = [0], sp: [Int32] = []
        for list in perStaff { sp += list; sps.append(sp.count) }
        staffPostStart = sps; staffPosts = sp

        // Staff calendars.
        cap = inst.staff.map { Int32(max(0, $0.maxDaysPerWeek)) }
        target = inst.staff.map { Int32(max(0, $0.effectiveTarget)) }
        var ok = [Bool](repeating: false, count: nStaff * nDays)
        var und = [Int](repeating: 0, count: nStaff * nDays)
        for (s, st) in inst.staff.enumerated() {
            let avail = Set(st.availableWeekdays), unavailable = Set(st.unavailableDates), undesired = Set(st.undesiredDates)
            for (d, date) in dayDate.enumerated() {
                ok[s * nDays + d] = avail.contains(date.weekday) && !unavailable.contains(date)
                if undesired.contains(date) { und[s * nDays + d] = wUndesired }
            }
        }
        staffDayOK = ok; undesiredCost = und

        // Per-cell fixed shares.
        func cellOf(_ p: Int, _ date: CivilDate) -> Int? {
            guard let d = dix[date.dayNumber] else { return nil }
            var lo = pcs[p], hi = pcs[p + 1]
            while lo < hi {
                let mid = (lo + hi) / 2
                if Int(cDay[mid]) < d { lo = mid + 1 } else { hi = mid }
            }
            return lo < pcs[p + 1] && Int(cDay[lo]) == d ? lo : nil
        }
        var cost = [Int](repeating: -wUnmet, count: nCells)
        for c in 0..<nCells {
            let pref = inst.posts[Int(cPost[c])].preferredWeekdays
            if !pref.isEmpty && !pref.contains(dayDate[Int(cDay[c])].weekday) { cost[c] += wNonPref }
        }
        var required = [Bool](repeating: false, count: nCells)
        for r in inst.requests {
            let w = r.kind == .required ? wReq : wPref
            constant += w
            if let p = pi[r.post], let c = cellOf(p, r.date) {
                cost[c] -= w
                if r.kind == .required { required[c] = true }
            }
        }
        cellRequired = required
        var blByCell: [Int: [(Int32, Int)]] = [:]
        for b in inst.baseline where inst.period.contains(b.date) {
            constant += wDisruption
            guard let p = pi[b.post], let s = si[b.staff], let c = cellOf(p, b.date) else { continue }
            if let i = blByCell[c]?.firstIndex(where: { $0.0 == Int32(s) }) {
                blByCell[c]?[i].1 += wDisruption
            } else {
                blByCell[c, default: []].append((Int32(s), wDisruption))
            }
        }
        var cbs: [Int32] = [0], bs: [Int32] = [], bb: [Int] = []
        for c in 0..<nCells {
            for (s, w) in blByCell[c] ?? [] { bs.append(s); bb.append(w) }
            cbs.append(Int32(bs.count))
        }
        cellCost = cost; cellBaselineStart = cbs; baselineStaff = bs; baselineBonus = bb

        // Pins: a cell each when the pin is placeable; anything else is carried verbatim.
        var pinnedCell = [Int32](repeating: -1, count: nCells)
        var stray: [Assignment] = []
        for a in inst.pinned {
            if let p = pi[a.post], let s = si[a.staff], let c = cellOf(p, a.date), eix[p * nStaff + s] >= 0,
               ok[s * nDays + Int(cDay[c])], pinnedCell[c] < 0 {
                pinnedCell[c] = Int32(s)
            } else {
                stray.append(a)
            }
        }
        cellPinned = pinnedCell
        strayPins = stray
        self.constant = constant
    }

    /// The day index of a date inside the period's working days, or nil.
    func dayIndex(of date: CivilDate) -> Int? { dayIndexByNumber[date.dayNumber] }

    /// The eligible slot of staff s on post p (an index into `eligStaff`), or −1 when s may not work there.
    @inline(__always) func slot(post p: Int, staff s: Int) -> Int {
        let i = Int(eligIndex[p * nStaff + s])
        return i < 0 ? -1 : eligStart[p] + i
    }

    /// The cell of post p on day index d, or nil when the post cannot be staffed that day.
    func cell(post p: Int, day d: Int) -> Int? {
        var lo = postCellStart[p], hi = postCellStart[p + 1]
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(cellDay[mid]) < d { lo = mid + 1 } else { hi = mid }
        }
        return lo < postCellStart[p + 1] && Int(cellDay[lo]) == d ? lo : nil
    }

    /// The baseline bonus for staff s on cell c (disruption avoided).
    @inline(__always) func baselineBonus(cell c: Int, staff s: Int32) -> Int {
        var i = Int(cellBaselineStart[c])
        let e = Int(cellBaselineStart[c + 1])
        var bonus = 0
        while i < e {
            if baselineStaff[i] == s { bonus += baselineBonus[i] }
            i += 1
        }
        return bonus
    }
}
