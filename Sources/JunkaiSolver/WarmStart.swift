/// Starting a search from a previous plan (a re-solve after a change).
///
/// After one small change — someone ill for two days, a new required request, a new pin — most of the previous
/// plan is still right. Its assignments that keep every hard rule on the changed instance are put back as they
/// were (a pin of the new instance wins its cell); the holes the change left are then filled by augmenting chains,
/// and the search starts from there instead of from the greedy construction.
enum WarmStart {
    /// Places the start plan's assignments on `st` where they keep every hard rule, then fills the holes by
    /// augmenting chains; returns how many assignments were kept.
    @discardableResult
    static func load(_ st: SearchState, _ start: [Assignment]) -> Int {
        let kept = place(st, start)
        // Close what the change opened (only chains that lower the score are kept).
        Augmenter(st).saturate()
        st.commit()
        return kept
    }

    /// Only the placement: every start assignment that still keeps the hard rules, as it was.
    @discardableResult
    static func place(_ st: SearchState, _ start: [Assignment]) -> Int {
        let m = st.m
        var kept = 0
        for a in start {
            guard let p = m.postIndex[a.post], let s = m.staffIndex[a.staff], let d = m.dayIndex(of: a.date),
                  let c = m.cell(post: p, day: d) else { continue }
            if st.staffAt(c) == Int32(s) { kept += 1; continue }  // a pin already there
            if st.assign(c, Int32(s)) { kept += 1 }
        }
        st.commit()
        return kept
    }
}
