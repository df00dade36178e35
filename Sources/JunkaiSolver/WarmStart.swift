/// Starting a search from a previous plan (a re-solve after a change).
///
/// After one small change — someone ill for two days, a new required request, a new pin — most of the previous
/// plan is still right. Its assignments that keep every hard rule on the changed instance are put back as they
/// were (a pin of the new instance wins its cell); the holes the change left are then filled by augmenting chains,
/// and the weeks the change touched are re-solved exactly for the previous plan's teams before the search starts.
enum WarmStart {
    /// Up to this many posts every week is re-solved after the placement; above it only the weeks the change
    /// touched (a whole week of a national instance is a flow over thousands of posts).
    static let everyWeekPosts = 1000

    /// Places the start plan's assignments on `st` where they keep every hard rule, fills the holes by augmenting
    /// chains and re-solves the touched weeks for the start plan's teams; returns how many assignments were kept.
    @discardableResult
    static func load(_ st: SearchState, _ start: [Assignment]) -> Int {
        let (kept, touched) = placement(st, start)
        // Close what the change opened (only chains that lower the score are kept).
        Augmenter(st).saturate()
        st.commit()
        let weeks = st.m.nPosts <= everyWeekPosts ? Array(0..<st.m.nWeeks) : touched.sorted()
        repair(st, teamsOf: start, weeks: weeks)
        return kept
    }

    /// Only the placement: every start assignment that still keeps the hard rules, as it was.
    @discardableResult
    static func place(_ st: SearchState, _ start: [Assignment]) -> Int { placement(st, start).kept }

    /// The placement, with the weeks where a start assignment could not be kept (a new pin's week among them when
    /// it took a planned cell or its person's last day).
    private static func placement(_ st: SearchState, _ start: [Assignment]) -> (kept: Int, touched: Set<Int>) {
        let m = st.m
        var kept = 0
        var touched = Set<Int>()
        for a in start {
            guard let p = m.postIndex[a.post], let s = m.staffIndex[a.staff], let d = m.dayIndex(of: a.date),
                  let c = m.cell(post: p, day: d) else {
                if let d = m.dayIndex(of: a.date) { touched.insert(m.dayWeek[d]) }
                continue
            }
            if st.staffAt(c) == Int32(s) { kept += 1; continue }  // a pin already there
            if st.assign(c, Int32(s)) { kept += 1 } else { touched.insert(m.dayWeek[d]) }
        }
        st.commit()
        return (kept, touched)
    }

    /// Re-solves each week exactly (a min-cost flow, `WeekFlow`) with everyone of the start plan's and the current
    /// teams allowed on their posts and anyone else near at the price of one more person, keeping what lowers the
    /// exact score. The placement alone keeps whatever fitted first: a pin that takes a person's last day of the
    /// week drops whichever of their other days came first in the plan, perhaps a required request, and the
    /// search rarely finds the two-step exchange that puts it back (it then stays out of the post's team).
    static func repair(_ st: SearchState, teamsOf start: [Assignment], weeks: [Int]) {
        let m = st.m
        guard !weeks.isEmpty, m.nPosts > 0 else { return }
        let nSlots = m.eligStaff.count
        let allowed = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, nSlots))
        defer { allowed.deallocate() }
        allowed.initialize(repeating: 0, count: max(1, nSlots))
        for a in start {
            guard let p = m.postIndex[a.post], let s = m.staffIndex[a.staff] else { continue }
            let k = m.slot(post: p, staff: s)
            if k >= 0 { allowed[k] = 1 }
        }
        for k in 0..<nSlots where st.postStaff[k] > 0 { allowed[k] = 1 }
        let patch = UnsafeMutablePointer<Bool>.allocate(capacity: m.nPosts)
        defer { patch.deallocate() }
        patch.initialize(repeating: true, count: m.nPosts)
        let flow = WeekFlow(st)
        let posts = Array(0..<m.nPosts)
        var improved = true, rounds = 0
        while improved && rounds < 3 {
            improved = false
            rounds += 1
            for w in weeks {
                let before = st.score
                if flow.solve(week: w, posts: posts, allowed: allowed, patch: patch, patchCost: m.wContinuity)
                    && st.score < before {
                    st.commit()
                    improved = true
                } else {
                    st.undo(to: 0)
                }
            }
        }
        st.commit()
    }
}
