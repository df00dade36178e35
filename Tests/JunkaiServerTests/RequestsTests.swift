import Foundation
import HummingbirdTesting
import JunkaiCore
import JunkaiSolver
import JunkaiStore
import Testing

/// The first field error's pointer and detail of a problem answer.
func firstError(_ r: TestHelper.Reply) -> (pointer: String?, detail: String?) {
    let e = (r.json["errors"] as? [[String: Any]])?.first
    return (e?["pointer"] as? String, e?["detail"] as? String)
}

@Suite("Requests", .needsDatabase)
struct RequestsTests {
    @Test("a request must be for a working day of the consortium, named in the 422")
    func workingDaysOnly() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(h, closed: ["2027-04-16"])
            let nara = try #require(w.municipalityTokens[NaraWorld.nara])
            func ask(_ date: String, post: UUID? = nil, kind: String = "required") async throws -> TestHelper.Reply {
                try await h.call(.post, "\(w.root)/requests", token: nara,
                                 json: ["post": (post ?? w.posts[0]).uuidString, "date": date, "kind": kind])
            }
            for (date, reason) in [("2028-03-20", "春分の日"), ("2027-03-22", "休日"), ("2027-04-29", "昭和の日"), ("2027-04-03", "週末"),
                                   ("2027-12-30", "年末年始"), ("2027-04-16", "閉庁日")] {
                let r = try await ask(date)
                #expect(r.status == .unprocessableContent, "\(date)")
                #expect(firstError(r).pointer == "/date")
                #expect(firstError(r).detail?.contains(reason) == true, "\(date): \(r.text)")
            }
            // 天理市's post does not take Tuesdays: a request there cannot be met.
            let coordinatorAsk = try await h.call(.post, "\(w.root)/requests", token: w.coordinator,
                                                  json: ["post": w.posts[2].uuidString, "date": "2027-04-06", "kind": "preferred"])
            #expect(coordinatorAsk.status == .unprocessableContent)
            #expect(firstError(coordinatorAsk).pointer == "/date")

            let badKind = try await ask("2027-04-06", kind: "urgent")
            #expect(badKind.status == .unprocessableContent)
            #expect(firstError(badKind).pointer == "/kind")
            let badDate = try await ask("2027-04-31")
            #expect(firstError(badDate).pointer == "/date")
            let missing = try await h.call(.post, "\(w.root)/requests", token: nara, json: ["date": "2027-04-06", "kind": "required"])
            #expect(missing.status == .unprocessableContent)
            #expect(firstError(missing).pointer == "/post")
            let notJSON = try await h.call(.post, "\(w.root)/requests", token: nara, rawBody: "{post:")
            #expect(notJSON.status == .badRequest)
            let longNote = try await h.call(.post, "\(w.root)/requests", token: nara,
                                            json: ["post": w.posts[0].uuidString, "date": "2027-04-06", "kind": "required",
                                                   "note": String(repeating: "あ", count: 1001)])
            #expect(firstError(longNote).pointer == "/note")
            let nulNote = try await h.call(.post, "\(w.root)/requests", token: nara,
                                           json: ["post": w.posts[0].uuidString, "date": "2027-04-06", "kind": "required", "note": "a\u{0}b"])
            #expect(nulNote.status == .unprocessableContent)
            #expect(firstError(nulNote).pointer == "/note")

            // Another municipality's post is answered as if it did not exist; so is an unknown one.
            #expect(try await ask("2027-04-06", post: w.posts[1]).status == .notFound)
            #expect(try await ask("2027-04-06", post: UUID()).status == .notFound)

            let ok = try await ask("2027-04-06")
            #expect(ok.status == .created, "\(ok.text)")
            #expect(ok.json["status"] as? String == "submitted")
            #expect(ok.json["municipality"] as? String == NaraWorld.nara)
            #expect(ok.json["kind"] as? String == "required")
            #expect(ok.json["note"] is NSNull)
            #expect(ok.json["createdAt"] is String)
            let dup = try await ask("2027-04-06", kind: "preferred")
            #expect(dup.status == .conflict, "one open request per post and day")
        }
    }

    @Test("requests are scoped: a municipality sees and withdraws only its own; decisions are the coordinator's")
    func scopeAndDecisions() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(h)
            let nara = try #require(w.municipalityTokens[NaraWorld.nara])
            let koriyama = try #require(w.municipalityTokens[NaraWorld.koriyama])
            func ask(_ token: String, _ post: UUID, _ date: String) async throws -> String {
                let r = try await h.call(.post, "\(w.root)/requests", token: token,
                                         json: ["post": post.uuidString, "date": date, "kind": "preferred", "note": "窓口改善WS"])
                #expect(r.status == .created, "\(r.text)")
                return r.json["id"] as? String ?? ""
            }
            let a = try await ask(nara, w.posts[0], "2027-04-06")
            let b = try await ask(nara, w.posts[0], "2027-04-13")
            let c = try await ask(koriyama, w.posts[1], "2027-04-07")

            let naraList = try await h.call(.get, "\(w.root)/requests", token: nara)
            #expect(Set(naraList.items.compactMap { ($0 as? [String: Any])?["id"] as? String }) == [a, b])
            let all = try await h.call(.get, "\(w.root)/requests", token: w.coordinator)
            #expect(all.items.count == 3)
            #expect(try await h.call(.get, "\(w.root)/requests/\(c)", token: nara).status == .notFound)
            #expect(try await h.call(.get, "\(w.root)/requests/\(c)", token: koriyama).json["note"] as? String == "窓口改善WS")
            #expect(try await h.call(.delete, "\(w.root)/requests/\(c)", token: nara).status == .notFound)

            // Decisions.
            #expect(try await h.call(.post, "\(w.root)/requests/\(a)/accept", token: nara).status == .forbidden)
            let accepted = try await h.call(.post, "\(w.root)/requests/\(a)/accept", token: w.coordinator)
            #expect(accepted.status == .ok)
            #expect(accepted.json["status"] as? String == "accepted")
            #expect(try await h.call(.post, "\(w.root)/requests/\(a)/accept", token: w.coordinator).status == .conflict)
            let noReason = try await h.call(.post, "\(w.root)/requests/\(b)/decline", token: w.coordinator, json: ["reason": " "])
            #expect(firstError(noReason).pointer == "/reason")
            let declined = try await h.call(.post, "\(w.root)/requests/\(b)/decline", token: w.coordinator,
                                            json: ["reason": "人員不足のため"])
            #expect(declined.json["status"] as? String == "declined")
            #expect(declined.json["declineReason"] as? String == "人員不足のため")

            // Filters.
            let onlyAccepted = try await h.call(.get, "\(w.root)/requests?status=accepted", token: w.coordinator)
            #expect(onlyAccepted.items.compactMap { ($0 as? [String: Any])?["id"] as? String } == [a])
            let ranged = try await h.call(.get, "\(w.root)/requests?from=2027-04-07&to=2027-04-13", token: w.coordinator)
            #expect(Set(ranged.items.compactMap { ($0 as? [String: Any])?["id"] as? String }) == [b, c])
            let byPost = try await h.call(.get, "\(w.root)/requests?post=\(w.posts[1])", token: w.coordinator)
            #expect(byPost.items.compactMap { ($0 as? [String: Any])?["id"] as? String } == [c])
            #expect(try await h.call(.get, "\(w.root)/requests?status=lost", token: w.coordinator).status == .unprocessableContent)
            #expect(try await h.call(.get, "\(w.root)/requests?from=April", token: w.coordinator).status == .unprocessableContent)

            // Withdrawal by the municipality that made it, once; a withdrawn request cannot be accepted.
            #expect(try await h.call(.delete, "\(w.root)/requests/\(c)", token: koriyama).status == .noContent)
            #expect(try await h.call(.get, "\(w.root)/requests/\(c)", token: koriyama).json["status"] as? String == "withdrawn")
            #expect(try await h.call(.delete, "\(w.root)/requests/\(c)", token: koriyama).status == .conflict)
            #expect(try await h.call(.post, "\(w.root)/requests/\(c)/accept", token: w.coordinator).status == .conflict)
            // A declined request can still be accepted after all.
            #expect(try await h.call(.post, "\(w.root)/requests/\(b)/accept", token: w.coordinator).status == .ok)

            // Another consortium sees none of it.
            let other = try await NaraWorld.build(h)
            #expect(try await h.call(.get, "\(w.root)/requests/\(a)", token: other.coordinator).status == .notFound)
            #expect(try await h.call(.get, "\(other.root)/requests/\(a)", token: other.coordinator).status == .notFound)
        }
    }

    @Test("a municipality's accepted request is planned, published and then fulfilled, and can no longer be withdrawn")
    func requestToFulfilment() async throws {
        try await withApp { _, h in
            let w = try await NaraWorld.build(h)
            let koriyama = try #require(w.municipalityTokens[NaraWorld.koriyama])
            // 大和郡山市 wants its data post staffed on a Friday (the solver would otherwise choose freely).
            let day = "2027-04-16"
            let made = try await h.call(.post, "\(w.root)/requests", token: koriyama,
                                        json: ["post": w.posts[1].uuidString, "date": day, "kind": "required"])
            #expect(made.status == .created, "\(made.text)")
            let rid = try #require(made.json["id"] as? String)
            #expect(try await h.call(.post, "\(w.root)/requests/\(rid)/accept", token: w.coordinator).status == .ok)
            // A submitted (not accepted) request does not enter planning.
            let ignored = try await h.call(.post, "\(w.root)/requests", token: koriyama,
                                           json: ["post": w.posts[1].uuidString, "date": "2027-04-22", "kind": "required"])
            #expect(ignored.status == .created)

            let pid = try await h.createPlan(w)
            let inst = try await h.exportedInstance(w, pid)
            #expect(inst.requests == [JunkaiSolver.Request(post: w.posts[1].uuidString, date: CivilDate(iso: day)!, kind: .required)])

            let plan = try await h.solve(w, pid)
            #expect(plan["status"] as? String == "solved", "\(plan)")
            let served = solverAssignments(plan).contains { $0.post == w.posts[1].uuidString && $0.date == CivilDate(iso: day) }
            #expect(served, "the accepted required request is staffed")
            #expect((plan["terms"] as? [String: [String: Int]])?["missedRequiredRequest"]?["count"] == 0)
            #expect(try await h.call(.get, "\(w.root)/requests/\(rid)", token: koriyama).json["fulfilled"] as? Bool == false)

            let version = try #require(plan["version"] as? Int)
            let published = try await h.call(.post, "\(w.root)/plans/\(pid)/publish", token: w.coordinator,
                                              headers: [.ifMatch: "\"\(version)\""])
            #expect(published.status == .ok, "\(published.text)")

            let seen = try await h.call(.get, "\(w.root)/requests/\(rid)", token: koriyama)
            #expect(seen.json["fulfilled"] as? Bool == true)
            #expect(seen.json["status"] as? String == "accepted")
            let withdraw = try await h.call(.delete, "\(w.root)/requests/\(rid)", token: koriyama)
            #expect(withdraw.status == .conflict)
            #expect(detail(withdraw).contains("fulfilled"))
            #expect(try await h.call(.delete, "\(w.root)/requests/\(rid)", token: w.coordinator).status == .conflict)
        }
    }
}
