import AmanaCore
import ArgumentParser
import Foundation
import Kernel

/// `amana service ...`: the service directory.
struct ServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service", abstract: "The service directory: find services; administrators add, change, import and export them.",
        subcommands: [List.self, Show.self, Save.self, Import.self, Export.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Services by need, profile and location (entry points for the profile first).")
        @OptionGroup var options: SignedInOptions
        @Option(help: "The service type (health, psychosocial, legal, safety_shelter...).") var type: String?
        @Option(help: "Whom it must take: girls, boys, women, men, lgbti, disability, other.") var profile: String?
        @Option(help: "A location code: services there, within it, or covering it.") var location: String?
        @Option(help: "Words in the organisation's or the service's name.") var search: String?
        @Flag(help: "Include services no longer active.") var inactive = false

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor) = try await options.open()
                let wanted = try profile.map { code throws(AmanaError) in try ServiceProfile(code: code) }
                let services = try await kernel.services(
                    ServiceFilter(serviceType: type, profile: wanted, location: location, text: search, includeInactive: inactive), actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(services) }
                if services.isEmpty { return print("No service matches.") }
                CLIOutput.table(
                    ["ID", "ORGANISATION", "SERVICE", "TYPE", "LOCATION", wanted.map { "FOR \($0.rawValue.uppercased())" } ?? "PROFILES", "SCORE"],
                    services.map { s in
                        [s.id, s.organisation, s.name, s.serviceTypeLabel, s.locationLabel,
                         wanted.map { s.profiles[$0.rawValue] ?? "" } ?? s.profiles.keys.sorted().joined(separator: ","),
                         s.score.map { String($0) } ?? (s.ratings > 0 ? "<5 ratings" : "-")]
                    })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One service, with its version (to change it).")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The service id.") var id: String

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor) = try await options.open()
                let s = try await kernel.service(id: id, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(s) }
                print("\(s.name) — \(s.organisation)  (\(s.id), version \(s.version)\(s.active ? "" : ", inactive"))")
                print("Type: \(s.serviceTypeLabel)   Location: \(s.locationLabel)\(s.address.isEmpty ? "" : ", \(s.address)")")
                if !s.hours.isEmpty { print("Hours: \(s.hours)") }
                if !s.contact.isEmpty { print("Contact: \(s.contact)") }
                print("Takes: " + s.profiles.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value == "entry_point" ? "entry point" : "funnelling"))" }.joined(separator: ", "))
                print("Coordination body: \(s.coordinationRegistration.map { "registered, \($0)" } ?? "not registered")")
                print("Survivors' score: \(s.score.map { "\($0) / 5 from \(s.ratings) ratings" } ?? "\(s.ratings) rating(s), shown from 5")")
            }
        }
    }

    struct Save: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a service, or change one with --expect-version, from a JSON document (administrators).",
            discussion: "The document has id, organisation, name, service_type, location, profiles ({\"women\": \"entry_point\"}) and optionally address, hours, contact, coordination_registration, agency, active.")
        @OptionGroup var options: SignedInOptions
        @Option(help: "The JSON file ('-' or nothing: standard input).") var file: String?
        @Option(help: "The service's version you read, to change it.") var expectVersion: Int?

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor) = try await options.open()
                let input: ServiceInput
                do {
                    input = try WireJSON.decoder().decode(ServiceInput.self, from: try readInput(file))
                } catch let error as AmanaError {
                    throw error
                } catch {
                    throw AmanaError.invalid("service-document", "The service is one JSON object with id, organisation, name, service_type, location and profiles.")
                }
                let saved = try await kernel.saveService(input, expectVersion: expectVersion, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(saved) }
                print("Saved \(saved.id), version \(saved.version).")
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import services from CSV (administrators): all rows or none.",
            discussion: "The first line names the columns: \(ServiceCommand.columns). A row whose id exists changes that service. Every bad row is reported with its line, and then nothing is imported.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The CSV file ('-': standard input).") var file: String

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor) = try await options.open()
                guard let text = String(data: try readInput(file), encoding: .utf8) else {
                    throw AmanaError.invalid("csv-encoding", "\(file) is not UTF-8; save it as CSV UTF-8.")
                }
                let report = try await kernel.importServices(csv: text, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(report) }
                print("Imported: \(report.created) new, \(report.updated) changed.")
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The whole directory as CSV (the columns the import reads, with the ratings).")
        @OptionGroup var options: SignedInOptions
        @Option(help: "A new file to write (default: standard output).") var output: String?

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor) = try await options.open()
                let csv = try await kernel.exportServices(actor: actor, requestID: cliRequestID)
                guard let output, output != "-" else { return FileHandle.standardOutput.write(Data(csv.utf8)) }
                try writeNewPrivateFile(output, Array(csv.utf8))
                print("Saved the directory to \(output).")
            }
        }
    }

    static let columns = "id, organisation, name, service_type, location, address, hours, contact, girls, boys, women, men, lgbti, disability, other (each entry_point, funnelling or empty), coordination_registration, agency, active"
}
