/// The first day on which answers checked against "today" may come out
/// differently: an age goes up on a birthday, a date in the future stops being
/// one. A validation that is asked for it (``SubmissionValidator/validate(_:today:language:visiblePaths:steadiness:)``)
/// notes here every use of today that could change its outcome, so that what it
/// found can be kept and reused until that day (a case's report digest).
///
/// Owned by one validation at a time, which is why it needs no lock.
public final class DayHorizon: @unchecked Sendable {
    /// The earliest such day noted; nil: no later day changes anything.
    public private(set) var until: Day?

    public init() {}

    /// Notes that something evaluated today may differ from `day` on.
    func changes(on day: Day) {
        if until.map({ day < $0 }) ?? true { until = day }
    }

    /// Notes that something evaluated today may differ tomorrow.
    func changesTomorrow(_ today: Day) {
        changes(on: Day(number: today.number + 1))
    }
}
