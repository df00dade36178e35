import JunkaiCore

/// A plan on the compiled grid with every counter the objective needs, kept feasible at all times.
///
/// The score is maintained incrementally: each primitive change (put a staff member on a cell, take them off)
/// adds its exact delta, and compound moves are sequences of primitives recorded in an undo log, so a rejected
/// move is rolled back by the same primitives and the score stays exact without ever rescoring the plan.
final class SearchState {
    let m: CompiledModel
    /// Staff index per cell, −1 when empty.
    let cellStaff: UnsafeMutablePointer<Int32>
    /// The cell staff s works on day d (`s * nDays + d`), −1 when free.
    let staffDayCell: UnsafeMutablePointer<Int32>
    /// Assignments per (staff, week) and per (post, week).
    let staffWeek: UnsafeMutablePointer<Int32>
    let postWeek: UnsafeMutablePointer<Int32>
    /// Assignments per eligible slot (post, staff), and distinct staff per post.
    let postStaff: UnsafeMutablePointer<Int32>
    let postDistinct: UnsafeMutablePointer<Int32>
    // Hot mutable fields skip dynamic exclusivity checks: the state is confined to one thread.
    @exclusivity(unchecked) private(set) var score: Int
    /// Post-weeks with demand still open (an indexable set: `openList[0..<openCount]`, `openPos` = position or −1).
    let openList: UnsafeMutablePointer<Int32>
    let openPos: UnsafeMutablePointer<Int32>
    @exclusivity(unchecked) private(set) var openCount = 0
    /// Undo log of (cell, previous staff, new staff).
    @exclusivity(unchecked) private(set) var logCell: [Int32] = []
    @exclusivity(unchecked) private(set) var logOld: [Int32] = []
    @exclusivity(unchecked) private(set) var logNew: [Int32] = []

    init(_ model: CompiledModel) {
        m = model
        func buffer(_ n: Int, _ v: Int32) -> UnsafeMutablePointer<Int32> {
            let p = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, n))
            p.initialize(repeating: v, count: max(1, n))
            return p
        }
        cellStaff = buffer(model.nCells, -1)
        staffDayCell = buffer(model.nStaff * model.nDays, -1)
        staffWeek = buffer(model.nStaff * model.nWeeks, 0)
        postWeek = buffer(model.nPosts * model.nWeeks, 0)
        postStaff = buffer(model.eligStaff.count, 0)
        postDistinct = buffer(model.nPosts, 0)
        score = model.constant
        openList = buffer(model.nPosts * model.nWeeks, -1)
        openPos = buffer(model.nPosts * model.nWeeks, -1)
        for pw in 0..<(model.nPosts * model.nWeeks) where model.demand[pw] > 0 {
            openPos[pw] = Int32(openCount); openList[openCount] = Int32(pw); openCount += 1
        }
        logCell.reserveCapacity(1024)
        logOld.reserveCapacity(1024)
        for c in 0..<model.nCells where model.cellPinned[c] >= 0 {
            let s = model.cellPinned[c]
            // Validated pins never clash; a clashing one stays out of the grid and is reported by the scorer.
            if canAssign(c, s) { rawAssign(c, s) }
        }
    }

    deinit {
        cellStaff.deallocate(); staffDayCell.deallocate(); staffWeek.deallocate()
        postWeek.deallocate(); postStaff.deallocate(); postDistinct.deallocate()
        openList.deallocate(); openPos.deallocate()
    }

    @inline(__always) func isPinned(_ c: Int) -> Bool { m.cellPinned[c] >= 0 }
    @inline(__always) func staffAt(_ c: Int) -> Int32 { cellStaff[c] }
    @inline(__always) func isFree(_ s: Int32, day d: Int) -> Bool { staffDayCell[Int(s) * m.nDays + d] < 0 }

    /// Whether staff s may be put on empty cell c without breaking a hard rule.
    @inline(__always) func canAssign(_ c: Int, _ s: Int32) -> Bool {
        let p = Int(m.cellPost[c]), d = Int(m.cellDay[c]), w = m.dayWeek[d], si = Int(s)
        return cellStaff[c] < 0
            && m.eligIndex[p * m.nStaff + si] >= 0
            && m.staffDayOK[si * m.nDays + d]
            && staffDayCell[si * m.nDays + d] < 0
            && staffWeek[si * m.nWeeks + w] < m.cap[si]
            && postWeek[p * m.nWeeks + w] < m.demand[p * m.nWeeks + w]
    }

    /// The fixed share of staff s on cell c (travel, undesired date, the cell's own terms, baseline kept).
    @inline(__always) func fixedCost(_ c: Int, _ s: Int32) -> Int {
        let p = Int(m.cellPost[c]), d = Int(m.cellDay[c])
        let k = m.eligStart[p] + Int(m.eligIndex[p * m.nStaff + Int(s)])
        return m.cellCost[c] + m.eligTravel[k] + m.undesiredCost[Int(s) * m.nDays + d] - m.baselineBonus(cell: c, staff: s)
    }

    /// Score change of putting s on empty cell c (assumes `canAssign`).
    @inline(__always) func assignDelta(_ c: Int, _ s: Int32) -> Int {
        let p = Int(m.cellPost[c]), d = Int(m.cellDay[c]), w = m.dayWeek[d], si = Int(s)
        var delta = fixedCost(c, s)
        if staffWeek[si * m.nWeeks + w] >= m.target[si] { delta += m.wOverTarget }
        let k = m.eligStart[p] + Int(m.eligIndex[p * m.nStaff + si])
        if postStaff[k] == 0 && postDistinct[p] >= 1 { delta += m.wContinuity }
        return delta
    }

    /// Score change of emptying occupied cell c.
    @inline(__always) func unassignDelta(_ c: Int) -> Int {
        let s = cellStaff[c]
        let p = Int(m.cellPost[c]), d = Int(m.cellDay[c]), w = m.dayWeek[d], si = Int(s)
        var delta = -fixedCost(c, s)
        if staffWeek[si * m.nWeeks + w] > m.target[si] { delta -= m.wOverTarget }
        let k = m.eligStart[p] + Int(m.eligIndex[p * m.nStaff + si])
        if postStaff[k] == 1 && postDistinct[p] >= 2 { delta -= m.wContinuity }
        return delta
    }

    @inline(__always) private func rawAssign(_ c: Int, _ s: Int32) {
        score += assignDelta(c, s)
        let p = Int(m.cellPost[c]), d = Int(m.cellDay[c]), w = m.dayWeek[d], si = Int(s)
        cellStaff[c] = s
        staffDayCell[si * m.nDays + d] = Int32(c)
        staffWeek[si * m.nWeeks + w] += 1
        let pw = p * m.nWeeks + w
        postWeek[pw] += 1
        if postWeek[pw] == m.demand[pw] {
            // The post-week is now full: swap it out of the open set.
            let i = Int(openPos[pw]), last = openList[openCount - 1]
            openList[i] = last; openPos[Int(last)] = Int32(i)
            openCount -= 1; openPos[pw] = -1
        }
        let k = m.eligStart[p] + Int(m.eligIndex[p * m.nStaff + si])
        if postStaff[k] == 0 { postDistinct[p] += 1 }
        postStaff[k] += 1
    }

    @inline(__always) private func rawUnassign(_ c: Int) {
        score += unassignDelta(c)
        let s = cellStaff[c]
        let p = Int(m.cellPost[c]), d = Int(m.cellDay[c]), w = m.dayWeek[d], si = Int(s)
        cellStaff[c] = -1
        staffDayCell[si * m.nDays + d] = -1
        staffWeek[si * m.nWeeks + w] -= 1
        let pw = p * m.nWeeks + w
        if postWeek[pw] == m.demand[pw] {
            openPos[pw] = Int32(openCount); openList[openCount] = Int32(pw); openCount += 1
        }
        postWeek[pw] -= 1
        let k = m.eligStart[p] + Int(m.eligIndex[p * m.nStaff + si])
        postStaff[k] -= 1
        if postStaff[k] == 0 { postDistinct[p] -= 1 }
    }

    /// Puts s on empty cell c (logged); false, with nothing changed, when a hard rule forbids it.
    @inline(__always) func assign(_ c: Int, _ s: Int32) -> Bool {
        guard canAssign(c, s) else { return false }
        logCell.append(Int32(c)); logOld.append(-1); logNew.append(s)
        rawAssign(c, s)
        return true
    }

    /// Empties occupied, unpinned cell c (logged).
    @inline(__always) func unassign(_ c: Int) {
        logCell.append(Int32(c)); logOld.append(cellStaff[c]); logNew.append(-1)
        rawUnassign(c)
    }

    /// The current position of the undo log, to roll back to.
    @inline(__always) var mark: Int { logCell.count }

    /// Rolls every logged change after `mark` back, newest first.
    func undo(to mark: Int) {
        var i = logCell.count - 1
        while i >= mark {
            let c = Int(logCell[i]), old = logOld[i]
            if cellStaff[c] >= 0 { rawUnassign(c) }
            if old >= 0 { rawAssign(c, old) }
            i -= 1
        }
        logCell.removeSubrange(mark...)
        logOld.removeSubrange(mark...)
        logNew.removeSubrange(mark...)
    }

    /// The primitive changes (cell, new staff or −1) logged since `mark`, to replay with `redo` after an undo.
    func changes(since mark: Int) -> [(Int32, Int32)] {
        (mark..<logCell.count).map { (logCell[$0], logNew[$0]) }
    }

    /// Replays primitive changes from `changes(since:)` on the state they were first applied to.
    func redo(_ changes: [(Int32, Int32)]) {
        for (c, s) in changes {
            if s < 0 { unassign(Int(c)) } else { _ = assign(Int(c), s) }
        }
    }

    /// Forgets the undo log (the moves are kept).
    @inline(__always) func commit() {
        logCell.removeAll(keepingCapacity: true); logOld.removeAll(keepingCapacity: true); logNew.removeAll(keepingCapacity: true)
    }

    /// The staff of every cell.
    func snapshot() -> [Int32] { Array(UnsafeBufferPointer(start: cellStaff, count: m.nCells)) }

    /// Replaces the plan by a snapshot (pins included in it), rebuilding every counter.
    func load(_ cells: [Int32]) {
        for c in 0..<m.nCells where cellStaff[c] >= 0 { rawUnassign(c) }
        for c in 0..<m.nCells where cells[c] >= 0 && canAssign(c, cells[c]) { rawAssign(c, cells[c]) }
        commit()
    }

    /// The objective recomputed from the counters and cells (for consistency checks).
    func recomputedScore() -> Int {
        var total = m.constant
        for c in 0..<m.nCells where cellStaff[c] >= 0 { total += fixedCost(c, cellStaff[c]) }
        for s in 0..<m.nStaff {
            for w in 0..<m.nWeeks { total += m.wOverTarget * max(0, Int(staffWeek[s * m.nWeeks + w] - m.target[s])) }
        }
        for p in 0..<m.nPosts { total += m.wContinuity * max(0, Int(postDistinct[p]) - 1) }
        return total
    }

    /// Recounts every counter and the open set from the cells; true when all agree (consistency tests).
    func countersAreConsistent() -> Bool {
        var sw = [Int32](repeating: 0, count: m.nStaff * m.nWeeks), pwc = [Int32](repeating: 0, count: m.nPosts * m.nWeeks)
        var ps = [Int32](repeating: 0, count: m.eligStaff.count)
        for c in 0..<m.nCells where cellStaff[c] >= 0 {
            let s = Int(cellStaff[c]), p = Int(m.cellPost[c]), d = Int(m.cellDay[c]), w = m.dayWeek[d]
            guard staffDayCell[s * m.nDays + d] == Int32(c) else { return false }
            sw[s * m.nWeeks + w] += 1; pwc[p * m.nWeeks + w] += 1
            ps[m.eligStart[p] + Int(m.eligIndex[p * m.nStaff + s])] += 1
        }
        for i in sw.indices where sw[i] != staffWeek[i] || sw[i] > m.cap[i / max(1, m.nWeeks)] { return false }
        for i in pwc.indices where pwc[i] != postWeek[i] || pwc[i] > m.demand[i] { return false }
        for i in ps.indices where ps[i] != postStaff[i] { return false }
        var open = 0
        for pw in 0..<(m.nPosts * m.nWeeks) {
            let isOpen = postWeek[pw] < m.demand[pw]
            if isOpen { open += 1 }
            if isOpen != (openPos[pw] >= 0) { return false }
            if isOpen && openList[Int(openPos[pw])] != Int32(pw) { return false }
        }
        return open == openCount
    }

    /// The plan as assignments, by date then post order, with stray pins appended.
    func assignments() -> [Assignment] {
        var out: [Assignment] = []
        var order = (0..<m.nCells).filter { cellStaff[$0] >= 0 }
        order.sort { (m.cellDay[$0], m.cellPost[$0]) < (m.cellDay[$1], m.cellPost[$1]) }
        for c in order {
            out.append(Assignment(staff: m.instance.staff[Int(cellStaff[c])].id, post: m.instance.posts[Int(m.cellPost[c])].id,
                                  date: m.dayDate[Int(m.cellDay[c])]))
        }
        return out + m.strayPins
    }
}
