import JunkaiCore
import Testing

@Suite struct PlanLifecycleTests {
    @Test("edits and solves are allowed on drafts and solved plans only, each refusal saying why")
    func editAndSolve() {
        for status in PlanStatus.allCases {
            let open = status == .draft || status == .solved
            #expect((status.refusal(.edit) == nil) == open, "\(status)")
            #expect((status.refusal(.solve) == nil) == open, "\(status)")
        }
        #expect(PlanStatus.solving.refusal(.edit) == "the plan is being solved; edit it when the solve has finished")
        #expect(PlanStatus.published.refusal(.edit) == "a published plan is read-only; create a new plan to change it")
        #expect(PlanStatus.superseded.refusal(.solve) == "a superseded plan cannot be solved again; create a new plan")
        #expect(PlanStatus.solving.refusal(.solve) == "the plan is already being solved")
    }

    @Test("a draft is published only with assignments; a solved plan always; nothing published twice")
    func publish() {
        #expect(PlanStatus.draft.refusal(.publish(hasAssignments: false)) == "the plan has no assignments yet; solve it first")
        #expect(PlanStatus.draft.refusal(.publish(hasAssignments: true)) == nil)
        #expect(PlanStatus.solved.refusal(.publish(hasAssignments: false)) == nil)
        #expect(PlanStatus.published.refusal(.publish(hasAssignments: true)) == "the plan is already published")
        #expect(PlanStatus.solving.refusal(.publish(hasAssignments: true))?.contains("being solved") == true)
    }

    @Test("every allowed action leads to a status the transition table allows")
    func actionsFollowTheTable() {
        let actions: [PlanStatus.Action] = [.solve, .publish(hasAssignments: true), .publish(hasAssignments: false)]
        for status in PlanStatus.allCases {
            for action in actions where status.refusal(action) == nil {
                #expect(status.canMove(to: status.after(action)), "\(status) → \(status.after(action))")
            }
            #expect(status.after(.edit) == status)
        }
        #expect(PlanStatus.superseded.successors.isEmpty)
        #expect(PlanStatus.published.successors == [.superseded])
        #expect(PlanStatus.solving.canMove(to: .solved) && PlanStatus.solving.canMove(to: .draft))
        #expect(!PlanStatus.solving.canMove(to: .published))
    }

    @Test("an unfinished solve leaves the plan solved only when it keeps a solved plan")
    func unfinishedSolve() {
        #expect(PlanStatus.afterUnfinishedSolve(keepsSolvedPlan: true) == .solved)
        #expect(PlanStatus.afterUnfinishedSolve(keepsSolvedPlan: false) == .draft)
        #expect(PlanStatus.solving.canMove(to: PlanStatus.afterUnfinishedSolve(keepsSolvedPlan: false)))
    }

    @Test("solve jobs: claimed from the queue, requeued or ended from running, cancelled until they end")
    func solveJobTransitions() {
        #expect(SolveJobStatus.queued.canMove(to: .running))
        #expect(SolveJobStatus.running.canMove(to: .queued))
        #expect(SolveJobStatus.running.canMove(to: .succeeded) && SolveJobStatus.running.canMove(to: .failed))
        #expect(SolveJobStatus.queued.canMove(to: .cancelled) && SolveJobStatus.running.canMove(to: .cancelled))
        #expect(!SolveJobStatus.queued.canMove(to: .succeeded), "a job succeeds only after a worker ran it")
        #expect(SolveJobStatus.allCases.filter(\.isFinished) == [.succeeded, .failed, .cancelled])
        #expect(SolveJobStatus.sourceValues(of: .cancelled) == ["queued", "running"])
    }
}
