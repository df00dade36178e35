import Foundation
import JunkaiCore
import Testing
@testable import JunkaiSolver

/// The construction must reach each week's maximum coverage; checked against an independent max-flow.
@Suite struct AugmenterTests {
    /// Maximum number of assignments in one week, by Edmonds–Karp on
    /// source → staff (maxDaysPerWeek) → staff-day (1) → cell (1) → post-week (demand) → sink, with pinned cells fixed.
    static func maxCoverage(_ m: CompiledModel, week w: Int) -> Int {
        var nodes = 2
        func node() -> Int { nodes += 1; return nodes - 1 }
        var edges: [(to: Int, cap: Int)] = []
        var adj: [[Int]] = [[], []]
        func add(_ a: Int, _ b: Int, _ c: Int) {
            while adj.count < nodes { adj.append([]) }
            adj[a].append(edges.count); edges.append((b, c))
            adj[b].append(edges.count); edges.append((a, 0))
        }
        let source = 0, sink = 1
        var staffNode: [Int: Int] = [:], staffDayNode: [Int: Int] = [:], postNode: [Int: Int] = [:]
        for s in 0..<m.nStaff { staffNode[s] = node() }
        for s in 0..<m.nStaff { add(source, staffNode[s]!, Int(m.cap[s])) }
        for p in 0..<m.nPosts {
            let pw = p * m.nWeeks + w
            guard m.demand[pw] > 0 else { continue }
            let pn = node(); postNode[p] = pn
            add(pn, sink, Int(m.demand[pw]))
            for c in Int(m.pwStart[pw])..<Int(m.pwEnd[pw]) {
                let cn = node()
                add(cn, pn, 1)
                let d = Int(m.cellDay[c])
                let candidates: [Int32] = m.cellPinned[c] >= 0 ? [m.cellPinned[c]] : Array(m.eligStaff[m.eligStart[p]..<m.eligStart[p + 1]])
                for s in candidates where m.staffDayOK[Int(s) * m.nDays + d] {
                    let key = Int(s) * m.nDays + d
                    if staffDayNode[key] == nil { let n = node(); staffDayNode[key] = n; add(staffNode[Int(s)]!, n, 1) }
                    add(staffDayNode[key]!, cn, 1)
                }
            }
        }
        while adj.count < nodes { adj.append([]) }
        var flow = 0
        while true {
            var prev = [Int](repeating: -1, count: nodes)
            var queue = [source]
            prev[source] = -2
            var head = 0
            while head < queue.count && prev[sink] == -1 {
                let u = queue[head]; head += 1
                for e in adj[u] where edges[e].cap > 0 && prev[edges[e].to] == -1 {
                    prev[edges[e].to] = e
                    queue.append(edges[e].to)
                }
            }
            guard prev[sink] != -1 else { break }
            var v = sink
            while v != source { let e = prev[v]; edges[e].cap -= 1; edges[e ^ 1].cap += 1; v = edges[e ^ 1].to }
            flow += 1
        }
        return flow
    }

    @Test(arguments: [101, 102, 103, 104] as [UInt64])
    func constructionReachesMaximumCoverageEveryWeek(seed: UInt64) {
        // Tight: few staff for many posts, so coverage needs chains.
        let inst = SyntheticInstances.make(seed: seed, posts: 18, staff: 6)
        let m = CompiledModel(inst)
        let st = SearchState(m)
        Construction.build(st)
        for w in 0..<m.nWeeks {
            var have = 0
            for p in 0..<m.nPosts { have += Int(st.postWeek[p * m.nWeeks + w]) }
            #expect(have == Self.maxCoverage(m, week: w), "week \(w)")
        }
    }

    @Test func augmentFillsAGapThroughAChain() {
        // sa can work pA or pB, sb only pB; both at capacity 1. Put sa on pB: pA stays open until sa moves
        // to pA and sb takes pB, which is a chain of two moves.
        var inst = Fixtures.twoPostsTwoWeeks()
        inst.staff[0].maxDaysPerWeek = 1; inst.staff[0].targetDaysPerWeek = 1
        inst.staff[1].maxDaysPerWeek = 1; inst.staff[1].targetDaysPerWeek = 1
        inst.staff.removeLast()
        inst.posts[0].daysPerWeek = 1
        inst.requests = []; inst.baseline = []
        let m = CompiledModel(inst)
        let st = SearchState(m)
        guard let day = m.dayIndex(of: Fixtures.date("2027-04-05")), let pB = m.cell(post: 1, day: day) else {
            Issue.record("fixture cells missing"); return
        }
        #expect(st.assign(pB, 0))
        st.commit()
        let pw = 0 * m.nWeeks + m.dayWeek[day]
        #expect(st.postWeek[pw] == 0)
        let aug = Augmenter(st)
        #expect(aug.augment(postWeek: pw, maxExpansions: 100))
        #expect(st.postWeek[pw] == 1)
        #expect(st.postWeek[1 * m.nWeeks + m.dayWeek[day]] == 1)
        #expect(st.score == st.recomputedScore())
        #expect(st.countersAreConsistent())
    }
}
