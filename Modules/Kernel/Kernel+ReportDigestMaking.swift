import AmanaCore
import FormKit
import Foundation
import Store
import Vault

/// What ``Kernel/makeReportDigests(by:requestID:)`` did.
public struct ReportDigestsMade: Sendable, Equatable {
    /// Digests made and written (a case saved in between keeps none: its next report reads its forms).
    public var made: Int
    /// Cases whose forms could not be opened (a ciphertext refused): left for a report to find.
    public var unreadable: Int
    /// Whether it stopped before the end (the server stopping).
    public var stopped: Bool
}

extension Kernel {
    /// Cases read at a time when making digests: small, so that the server's requests get the
    /// cores between pages (a page is about 10 ms of one core).
    static let digestMakingPage = 100

    /// Makes the report digest of every case that has none in force under the definitions
    /// loaded, one page of cases at a time on one core.
    ///
    /// A change of definitions puts every digest out of force, and the first report after it
    /// would otherwise read and check every case's forms while a programme manager waits (at a
    /// million cases, 2.5 minutes). `amana serve` runs this when it starts; `amana db digests`
    /// runs it on an operator's word. Each digest is made as a report makes it and kept under
    /// the same guard (a case saved meanwhile keeps none). When the definitions keep no digests,
    /// nothing is made.
    ///
    /// The install's own work, not a person's: audited once, as `by` ("system" or "operator"),
    /// with the counts. It stops between two pages when its task is cancelled.
    public func makeReportDigests(by: String, requestID: String) async throws(AmanaError) -> ReportDigestsMade {
        guard let kept = reportDigests else { return ReportDigestsMade(made: 0, unreadable: 0, stopped: false) }
        return try await run {
            let today = Day(clock.now())
            let wanted = ReportDigestsWanted(basis: kept.basis, today: today.number, missingOnly: true)
            let caseTypes = definitions.plugins.values.compactMap(\.caseType).sorted()
            var query = CaseQuery(reach: .all, caseTypes: caseTypes, limit: Kernel.digestMakingPage)
            var done = ReportDigestsMade(made: 0, unreadable: 0, stopped: false)
            while true {
                if Task.isCancelled {
                    done.stopped = true
                    break
                }
                let page = try await store.reportSources(query, forms: kept.forms, activityKinds: [], digests: wanted)
                var digests: [ReportDigestWrite] = []
                for source in page where source.digest == nil {
                    guard let wrapped = source.record.wrappedKey, let mark = source.submissionMark else { continue }
                    do {
                        let key = try vault.unwrap(WrappedCaseKey(bytes: wrapped, keyVersion: source.record.keyVersion), for: source.record.id)
                        let checked = try checkedSubmissions(source.submissions, key: key, today: today, steadiness: true)
                        digests.append(try digestToKeep(checked, of: source.record, key: key, kept: kept, submissionMark: mark))
                    } catch let error as AmanaError where error.code == "decryption-refused" {
                        done.unreadable += 1
                    }
                }
                if await keep(digests) { done.made += digests.count }
                guard page.count == query.limit, let last = page.last?.record.sequence else { break }
                query.before = last
                await Task.yield()
            }
            let detail = "made=\(done.made) unreadable=\(done.unreadable)" + (done.stopped ? " stopped" : "")
            try await store.appendAudit(audit(by, "report-digests.make", "report", done.unreadable > 0 ? .failed : .success, requestID: requestID, detail: detail))
            return done
        }
    }
}
