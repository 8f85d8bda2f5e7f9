import AmanaCore
import FormKit
import Foundation
import Store

extension Kernel {
    /// Breaking changes between the forms as defined now and the versions this
    /// install has served before (a removed field, a changed type, a change
    /// without a new version): what `amana forms lint --data DIR` reports.
    public func formVersionProblems() async throws(AmanaError) -> [Diagnostic] {
        try await run { try await versionProblems(latestRecorded()) }
    }

    /// Records each served form version the first time the install serves it,
    /// so that submissions made with it stay readable after an upgrade. A form
    /// with a breaking change is not recorded (it keeps being reported) but
    /// still serves: stopping casework over a definition problem would do more harm.
    @discardableResult
    public func recordFormVersions(requestID: String) async throws(AmanaError) -> [Diagnostic] {
        try await run {
            let latest = try await latestRecorded()
            let problems = versionProblems(latest)
            let troubled = Set(problems.map(\.file))
            let now = clock.now()
            let fresh = definitions.baseForms.values.filter { form in
                latest[form.id]?.version != form.version && !troubled.contains(form.position.file)
            }.map { form in
                FormVersionRecord(formID: form.id, version: form.version,
                                  document: String(decoding: FormDocument.document(form, lookups: definitions.lookups).encoded(), as: UTF8.self),
                                  recordedAt: now)
            }
            if !fresh.isEmpty {
                let names = fresh.map { "\($0.formID)@\($0.version)" }.sorted().joined(separator: ",")
                try await store.recordFormVersions(fresh, audit: audit("operator", "form.version.record", "forms", requestID: requestID, detail: names))
            }
            return problems
        }
    }

    /// A form version as it was served, for showing an old submission.
    public func servedFormDocument(id: String, version: Int) async throws(AmanaError) -> JSONValue? {
        try await run {
            try await store.formVersions().first { $0.formID == id && $0.version == version }.map { record in
                (try? JSONDecoder().decode(JSONValue.self, from: Data(record.document.utf8))) ?? .null
            }
        }
    }

    func latestRecorded() async throws -> [String: FormVersionRecord] {
        var latest: [String: FormVersionRecord] = [:]
        for record in try await store.formVersions() where (latest[record.formID]?.version ?? 0) < record.version {
            latest[record.formID] = record
        }
        return latest
    }

    func versionProblems(_ latest: [String: FormVersionRecord]) -> [Diagnostic] {
        definitions.baseForms.values.sorted { $0.id < $1.id }.flatMap { form -> [Diagnostic] in
            guard let previous = latest[form.id] else { return [] }
            return FormCompatibility.problems(form, lookups: definitions.lookups, previousVersion: previous.version, previousDocument: previous.document)
        }
    }
}
