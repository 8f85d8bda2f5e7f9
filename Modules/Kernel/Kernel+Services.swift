import AmanaCore
import FormKit
import Foundation
import Identity
import Store

/// The service directory (service mapping): organisations' services, where, for
/// whom, entry or funnelling point, registration with the coordination body, and
/// survivors' ratings. Everyone doing casework reads it; administrators maintain
/// it, one service at a time or by CSV (all or nothing).
extension Kernel {
    /// Services matching the filter: entry points for the profile first, then by organisation and name.
    public func services(_ filter: ServiceFilter, actor: Actor, requestID: String) async throws(AmanaError) -> [ServiceEntry] {
        guard actor.may("read", "service") else { throw await refuse(.user(actor), "service.list", "service", requestID: requestID) }
        if let type = filter.serviceType, definitions.lookups[Kernel.serviceTypes]?.option(type) == nil {
            throw .invalid("service-type", "Unknown service type '\(type)'; see the lookup \(Kernel.serviceTypes).", pointer: "/type")
        }
        if let location = filter.location, definitions.lookups[Kernel.locations]?.option(location) == nil {
            throw .invalid("location", "Unknown location '\(location)'; see the lookup \(Kernel.locations).", pointer: "/location")
        }
        return try await run {
            let area = filter.location.map(area(around:))
            let words = filter.text.map { $0.lowercased().split(separator: " ").map(String.init) } ?? []
            let found = try await store.services().filter { s in
                (filter.includeInactive || s.active) && (filter.serviceType.map { $0 == s.serviceType } ?? true)
                    && (filter.profile.map { s.profiles[$0.rawValue] != nil } ?? true) && (area.map { $0.contains(s.location) } ?? true)
                    && words.allSatisfy { word in s.organisation.lowercased().contains(word) || s.name.lowercased().contains(word) }
            }
            let ordered = filter.profile.map { profile in
                found.enumerated().sorted { a, b in
                    let (x, y) = (a.element.profiles[profile.rawValue] == ServiceAccess.entryPoint.rawValue, b.element.profiles[profile.rawValue] == ServiceAccess.entryPoint.rawValue)
                    return x != y ? x : a.offset < b.offset
                }.map(\.element)
            } ?? found
            try await store.appendAudit(audit(actor.auditName, "service.list", "service", requestID: requestID, detail: "count=\(ordered.count)"))
            return ordered.map { entry($0, language: actor.language) }
        }
    }

    /// One service.
    public func service(id: String, actor: Actor, requestID: String) async throws(AmanaError) -> ServiceEntry {
        guard actor.may("read", "service") else { throw await refuse(.user(actor), "service.read", "service:\(id)", requestID: requestID) }
        return try await run {
            guard let record = try await store.services().first(where: { $0.id == id }) else { throw AmanaError.notFound }
            return entry(record, language: actor.language)
        }
    }

    /// Adds a service (`expectVersion` nil) or changes one (the version read).
    public func saveService(_ input: ServiceInput, expectVersion: Int?, actor: Actor, requestID: String) async throws(AmanaError) -> ServiceEntry {
        guard actor.may("manage", "service") else { throw await refuse(.user(actor), "service.save", "service:\(input.id)", requestID: requestID) }
        return try await run {
            let problems = serviceProblems(input, at: "", agencies: Set(try await store.agencies().map(\.code)))
            guard problems.isEmpty else { throw Kernel.serviceInvalid(problems) }
            let now = clock.now()
            try await store.saveServices(
                [ServiceWrite(record: serviceRecord(input, at: now), expectedVersion: expectVersion)],
                audit: audit(actor.auditName, "service.save", "service:\(input.id)", requestID: requestID))
            guard let saved = try await store.services().first(where: { $0.id == input.id }) else { throw AmanaError.notFound }
            return entry(saved, language: actor.language)
        }
    }

    /// Imports services from CSV: a header row naming the columns, then one service
    /// per row. A row whose id is in the directory changes that service. Every bad
    /// row is reported with its line, and then nothing is imported.
    public func importServices(csv text: String, actor: Actor, requestID: String) async throws(AmanaError) -> ServiceImportReport {
        guard actor.may("manage", "service") else { throw await refuse(.user(actor), "service.import", "service", requestID: requestID) }
        let inputs = try ServiceCSV.inputs(text)
        return try await run {
            let agencies = Set(try await store.agencies().map(\.code))
            var problems: [FieldProblem] = []
            var seen: [String: Int] = [:]
            for (line, input, _) in inputs {
                problems += serviceProblems(input, at: "/lines/\(line)", agencies: agencies)
                if let first = seen[input.id] {
                    problems.append(FieldProblem(path: "/lines/\(line)/id", code: "duplicate", message: "Line \(line): the id '\(input.id)' is already on line \(first)."))
                }
                seen[input.id] = seen[input.id] ?? line
            }
            guard problems.isEmpty else { throw Kernel.serviceInvalid(problems) }
            let now = clock.now()
            let current = Dictionary(uniqueKeysWithValues: try await store.services().map { ($0.id, $0.version) })
            // A row exported at an older version than the directory's now refuses the import (412): someone changed it since.
            let writes = inputs.map { row in
                ServiceWrite(record: serviceRecord(row.input, at: now), expectedVersion: current[row.input.id].map { stored in row.version ?? stored })
            }
            let updated = writes.filter { $0.expectedVersion != nil }.count
            try await store.saveServices(
                writes, audit: audit(actor.auditName, "service.import", "service", requestID: requestID, detail: "created=\(writes.count - updated) updated=\(updated)"))
            return ServiceImportReport(created: writes.count - updated, updated: updated)
        }
    }

    /// The whole directory as CSV, in the columns the import reads (with the ratings, which it ignores).
    public func exportServices(actor: Actor, requestID: String) async throws(AmanaError) -> String {
        guard actor.may("read", "service") else { throw await refuse(.user(actor), "service.export", "service", requestID: requestID) }
        return try await run {
            let records = try await store.services()
            try await store.appendAudit(audit(actor.auditName, "service.export", "service", requestID: requestID, detail: "count=\(records.count)"))
            return ServiceCSV.document(records.map { entry($0, language: "en") })
        }
    }

    func entry(_ s: ServiceRecord, language: String) -> ServiceEntry {
        ServiceEntry(
            id: s.id, organisation: s.organisation, name: s.name, serviceType: s.serviceType,
            serviceTypeLabel: definitions.lookups[Kernel.serviceTypes]?.option(s.serviceType)?.label.text(language) ?? s.serviceType, location: s.location,
            locationLabel: definitions.lookups[Kernel.locations]?.option(s.location)?.label.text(language) ?? s.location, address: s.address, hours: s.hours,
            contact: s.contact, profiles: s.profiles, coordinationRegistration: s.coordinationRegistration, agency: s.agencyCode, active: s.active,
            ratings: s.feedbackCount, score: s.feedbackCount >= Kernel.minimumRatings ? (Double(s.feedbackTotal) / Double(s.feedbackCount) * 10).rounded() / 10 : nil,
            version: s.version, updatedAt: s.updatedAt)
    }

    func serviceRecord(_ input: ServiceInput, at now: Date) -> ServiceRecord {
        let text = { (value: String) in value.trimmingCharacters(in: .whitespacesAndNewlines) }
        return ServiceRecord(
            id: input.id, organisation: text(input.organisation), name: text(input.name), serviceType: input.serviceType, location: input.location,
            address: text(input.address), hours: text(input.hours), contact: text(input.contact), profiles: input.profiles,
            coordinationRegistration: input.coordinationRegistration.map(text).flatMap { $0.isEmpty ? nil : $0 }, agencyCode: input.agency.flatMap { $0.isEmpty ? nil : $0 },
            active: input.active, updatedAt: now)
    }

    /// Everything wrong with a service, each at its field under `prefix` (`/lines/7` for a CSV row).
    func serviceProblems(_ input: ServiceInput, at prefix: String, agencies: Set<String>) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        let line = prefix.hasPrefix("/lines/") ? "Line \(prefix.dropFirst("/lines/".count)): " : ""
        func problem(_ field: String, _ code: String, _ message: String) {
            problems.append(FieldProblem(path: "\(prefix)/\(field)", code: code, message: line + message))
        }
        if input.id.range(of: #"^[a-z0-9][a-z0-9-]{1,63}$"#, options: .regularExpression) == nil {
            problem("id", "invalid", "The id is 2 to 64 lower-case letters, digits and dashes (amber-clinic-health).")
        }
        for (field, value, limit) in [("organisation", input.organisation, 200), ("name", input.name, 200)] where !(1...limit).contains(value.trimmingCharacters(in: .whitespaces).count) {
            problem(field, "required", "Give the \(field) in 1 to \(limit) characters.")
        }
        for (field, value) in [("address", input.address), ("hours", input.hours), ("contact", input.contact)] where value.count > 500 {
            problem(field, "too-long", "At most 500 characters.")
        }
        if definitions.lookups[Kernel.serviceTypes]?.option(input.serviceType) == nil {
            problem("service_type", "not-an-option", "'\(input.serviceType)' is not a service type (\(Kernel.serviceTypes)).")
        }
        if definitions.lookups[Kernel.locations]?.option(input.location) == nil {
            problem("location", "not-an-option", "'\(input.location)' is not a location (\(Kernel.locations)).")
        }
        if input.profiles.isEmpty { problem("profiles", "required", "Say whom the service takes: at least one profile, as an entry point or a funnelling point.") }
        for (profile, access) in input.profiles.sorted(by: { $0.key < $1.key }) {
            if ServiceProfile(rawValue: profile) == nil {
                problem("profiles", "not-an-option", "'\(profile)' is not a profile (\(ServiceProfile.allCases.map(\.rawValue).joined(separator: ", "))).")
            } else if ServiceAccess(rawValue: access) == nil {
                problem(profile, "not-an-option", "'\(access)' is neither entry_point nor funnelling.")
            }
        }
        if (input.coordinationRegistration?.count ?? 0) > 100 { problem("coordination_registration", "too-long", "At most 100 characters.") }
        if let agency = input.agency, !agency.isEmpty, !agencies.contains(agency) {
            problem("agency", "unknown", "No agency '\(agency)' on this install; leave it empty for an outside organisation.")
        }
        return problems
    }

    /// The locations a search for `code` covers: the place, every place within it, and the areas it lies in.
    func area(around code: String) -> Set<String> {
        guard let lookup = definitions.lookups[Kernel.locations] else { return [code] }
        var area: Set<String> = [code]
        var parent = lookup.option(code)?.parent
        while let p = parent, !area.contains(p) {
            area.insert(p)
            parent = lookup.option(p)?.parent
        }
        var frontier = [code]
        while let next = frontier.popLast() {
            for child in lookup.options where child.parent == next && !area.contains(child.code) {
                area.insert(child.code)
                frontier.append(child.code)
            }
        }
        return area
    }

    static func serviceInvalid(_ problems: [FieldProblem]) -> AmanaError {
        var error = AmanaError.invalid("service-invalid", "The service directory has \(problems.count) problem(s) to fix; nothing was saved.")
        error.fieldProblems = problems
        return error
    }

    static let serviceTypes = "core/service-types"
    static let locations = "core/locations"
    /// A score is shown from this many ratings on.
    static let minimumRatings = 5
}
