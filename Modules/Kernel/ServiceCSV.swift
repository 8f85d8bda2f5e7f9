import AmanaCore
import Foundation

/// The service directory as CSV: the columns an import reads and an export writes.
/// One column per profile (`entry_point`, `funnelling` or empty: not served).
enum ServiceCSV {
    static let columns = ["id", "organisation", "name", "service_type", "location", "address", "hours", "contact"]
        + ServiceProfile.allCases.map(\.rawValue) + ["coordination_registration", "agency", "active"]
    /// Written by an export. An import ignores the ratings and score (the directory keeps
    /// its own) and checks the version: a service changed since the export is not overwritten.
    static let readOnlyColumns = ["version", "ratings", "score"]
    static let required = ["id", "organisation", "name", "service_type", "location"]

    /// The services of a CSV document, each with the line its row starts on and, for a
    /// file exported from here, the version it was exported at (a change made since then
    /// refuses the import). A document that cannot be read as CSV, or whose header is wrong, is refused whole.
    static func inputs(_ text: String) throws(AmanaError) -> [(line: Int, input: ServiceInput, version: Int?)] {
        let records: [CSV.Record]
        do {
            records = try CSV.parse(text)
        } catch {
            throw problem("/lines/\(error.line)", "csv-syntax", "Line \(error.line): \(error.message)")
        }
        guard let header = records.first else { throw problem("/lines/1", "csv-empty", "The file is empty: the first line names the columns (\(columns.joined(separator: ","))).") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for name in names where !columns.contains(name) && !readOnlyColumns.contains(name) {
            throw problem("/lines/1", "csv-column", "Line 1: unknown column '\(name)'; the columns are \(columns.joined(separator: ", ")).")
        }
        for name in required where !names.contains(name) {
            throw problem("/lines/1", "csv-column", "Line 1: the column '\(name)' is missing.")
        }
        var inputs: [(line: Int, input: ServiceInput, version: Int?)] = []
        var problems: [FieldProblem] = []
        for record in records.dropFirst() {
            guard record.fields.count == names.count else {
                problems.append(FieldProblem(
                    path: "/lines/\(record.line)", code: "csv-fields",
                    message: "Line \(record.line): \(record.fields.count) fields where the header has \(names.count)."))
                continue
            }
            let row = Dictionary(zip(names, record.fields.map { $0.trimmingCharacters(in: .whitespaces) }), uniquingKeysWith: { a, _ in a })
            var profiles: [String: String] = [:]
            for profile in ServiceProfile.allCases {
                if let access = row[profile.rawValue], !access.isEmpty { profiles[profile.rawValue] = access }
            }
            let active = row["active"].map { !["no", "false", "0"].contains($0.lowercased()) } ?? true
            let version = row["version"].flatMap { Int($0) }
            inputs.append((record.line, ServiceInput(
                id: row["id"] ?? "", organisation: row["organisation"] ?? "", name: row["name"] ?? "", serviceType: row["service_type"] ?? "",
                location: row["location"] ?? "", address: row["address"] ?? "", hours: row["hours"] ?? "", contact: row["contact"] ?? "", profiles: profiles,
                coordinationRegistration: row["coordination_registration"], agency: row["agency"], active: active), version))
        }
        guard problems.isEmpty else { throw Kernel.serviceInvalid(problems) }
        return inputs
    }

    /// The directory as a CSV document an import reads back.
    static func document(_ services: [ServiceEntry]) -> String {
        var out = CSV.line(columns + readOnlyColumns)
        for s in services {
            out += CSV.line(
                [s.id, s.organisation, s.name, s.serviceType, s.location, s.address, s.hours, s.contact]
                    + ServiceProfile.allCases.map { s.profiles[$0.rawValue] ?? "" }
                    + [s.coordinationRegistration ?? "", s.agency ?? "", s.active ? "yes" : "no", String(s.version), String(s.ratings), s.score.map { String($0) } ?? ""])
        }
        return out
    }

    static func problem(_ path: String, _ code: String, _ message: String) -> AmanaError {
        Kernel.serviceInvalid([FieldProblem(path: path, code: code, message: message)])
    }
}
