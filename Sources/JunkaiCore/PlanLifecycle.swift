/// Where a plan is in its life. The allowed moves between these, and what each action may do in each state, are
/// written here and nowhere else: the planning layer asks before it writes, the store's SQL guards with the same sets.
public enum PlanStatus: String, Sendable, Codable, CaseIterable {
    case draft, solving, solved, published, superseded

    /// What a coordinator (or the worker) does to a plan.
    public enum Action: Sendable, Equatable {
        /// Assign, unassign or pin one day by hand.
        case edit
        /// Queue a background solve.
        case solve
        /// Publish; a draft needs assignments (pins or a replan's baseline) to be published.
        case publish(hasAssignments: Bool)
    }

    /// The status each plan status may move to.
    public var successors: Set<PlanStatus> {
        switch self {
        case .draft, .solved: [.solving, .published]
        case .solving: [.solved, .draft]
        case .published: [.superseded]
        case .superseded: []
        }
    }

    /// Whether a plan may move from this status to `next`.
    public func canMove(to next: PlanStatus) -> Bool { successors.contains(next) }

    /// Why `action` is refused in this status (a 409's words), or nil when it is allowed.
    public func refusal(_ action: Action) -> String? {
        switch (action, self) {
        case (.edit, .draft), (.edit, .solved), (.solve, .draft), (.solve, .solved),
             (.publish, .solved), (.publish(hasAssignments: true), .draft):
            return nil
        case (.publish(hasAssignments: false), .draft): return "the plan has no assignments yet; solve it first"
        case (.edit, .solving): return "the plan is being solved; edit it when the solve has finished"
        case (.solve, .solving): return "the plan is already being solved"
        case (.publish, .solving): return "the plan is being solved; publish it when the solve has finished"
        case (.edit, _): return "\(Wording.a(rawValue)) plan is read-only; create a new plan to change it"
        case (.solve, _): return "\(Wording.a(rawValue)) plan cannot be solved again; create a new plan"
        case (.publish, _): return "the plan is already \(rawValue)"
        }
    }

    /// The status an action leads to when allowed (an edit keeps the status).
    public func after(_ action: Action) -> PlanStatus {
        switch action {
        case .edit: self
        case .solve: .solving
        case .publish: .published
        }
    }

    /// Where a plan goes when its solve ends without a stored result: back to `solved` when it has a plan worth
    /// keeping (an earlier solve's, or assignments and the failure was not the instance's fault), else to `draft`.
    public static func afterUnfinishedSolve(keepsSolvedPlan: Bool) -> PlanStatus { keepsSolvedPlan ? .solved : .draft }
}

/// Where a background solve job is. The queue's SQL takes its `WHERE status …` guards from `sources(of:)`.
public enum SolveJobStatus: String, Sendable, Codable, CaseIterable {
    case queued, running, succeeded, failed, cancelled

    /// The statuses a job may move to `next` from: the one transition table of the queue.
    public static func sources(of next: SolveJobStatus) -> [SolveJobStatus] {
        switch next {
        case .queued: [.running]            // requeued on shutdown, or swept after its server went silent
        case .running: [.queued]            // claimed by a worker
        case .succeeded: [.running]
        case .failed: [.running]
        case .cancelled: [.queued, .running]
        }
    }

    /// Whether a job may move from this status to `next`.
    public func canMove(to next: SolveJobStatus) -> Bool { Self.sources(of: next).contains(self) }

    /// Whether the job has ended (no transition leaves it).
    public var isFinished: Bool { SolveJobStatus.allCases.allSatisfy { !canMove(to: $0) } }

    /// The raw values of `sources(of:)`, to bind in SQL as `status = ANY(…)`.
    public static func sourceValues(of next: SolveJobStatus) -> [String] { sources(of: next).map(\.rawValue) }
}
