import AmanaCore
import ArgumentParser
import Foundation
import Kernel

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage accounts from the install's console.",
        subcommands: [Add.self, List.self, Disable.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an account; the password is read from standard input.")

        @OptionGroup var data: DataOption
        @Option(help: "The sign-in name: letters, digits, '.', '_', '-'.") var username: String
        @Option(help: "The role (social_worker, case_worker, case_manager, team_lead, specialist, programme_manager, administrator).") var role: String
        @Option(help: "The agency's code (default: the only agency).") var agency: String?
        @Option(help: "The team's name within the agency.") var team: String?
        @Option(help: "The name shown to others.") var name: String?
        @Option(help: "Preferred language (en, ar).") var language = "en"
        @Flag(help: "Read the password from standard input (required: never pass it as an argument).") var passwordStdin = false

        func validate() throws {
            guard passwordStdin else { throw ValidationError("Give --password-stdin and the password on standard input.") }
        }

        func run() async throws {
            try await CLIErrors.run {
                let kernel = try Kernel.open(InstallLayout.resolve(data.data))
                let user = try await kernel.addUser(
                    NewUser(username: username, displayName: name, role: role, agencyCode: agency, teamName: team,
                            password: try readSecretFromStandardInput(), language: language),
                    by: .installOperator, requestID: "cli")
                print("Added \(user.username) (\(user.role), agency \(user.agency)\(user.team.map { ", team \($0)" } ?? "")).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts.")
        @OptionGroup var data: DataOption

        func run() async throws {
            try await CLIErrors.run {
                let kernel = try Kernel.open(InstallLayout.resolve(data.data))
                let users = try await kernel.listUsers(by: .installOperator, requestID: "cli")
                print(["USERNAME", "ROLE", "AGENCY", "TEAM", "STATUS"].map { $0.padding(toLength: 22, withPad: " ", startingAt: 0) }.joined())
                for user in users {
                    let columns = [user.username, user.role, user.agency, user.team ?? "-", user.disabled ? "disabled" : "active"]
                    print(columns.map { $0.padding(toLength: 22, withPad: " ", startingAt: 0) }.joined())
                }
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account and end all its sessions at once.")
        @OptionGroup var data: DataOption
        @Argument(help: "The username.") var username: String

        func run() async throws {
            try await CLIErrors.run {
                let kernel = try Kernel.open(InstallLayout.resolve(data.data))
                let user = try await kernel.disableUser(username: username, by: .installOperator, requestID: "cli")
                print("Disabled \(user.username); their sessions have ended.")
            }
        }
    }
}

struct TeamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team",
        abstract: "Manage an agency's teams from the install's console (a team lead supervises their team's cases).",
        subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a team; then give accounts to it with `amana user add --team`.")
        @OptionGroup var data: DataOption
        @Argument(help: "The team's name, unique within its agency.") var name: String
        @Option(help: "The agency's code (default: the only agency).") var agency: String?

        func run() async throws {
            try await CLIErrors.run {
                let kernel = try Kernel.open(InstallLayout.resolve(data.data))
                let team = try await kernel.addTeam(name: name, agencyCode: agency, by: .installOperator, requestID: "cli")
                print("Added the team \(team.name) to agency \(team.agency).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List teams with their active accounts.")
        @OptionGroup var data: DataOption

        func run() async throws {
            try await CLIErrors.run {
                let kernel = try Kernel.open(InstallLayout.resolve(data.data))
                print(["AGENCY", "TEAM", "ACCOUNTS"].map { $0.padding(toLength: 22, withPad: " ", startingAt: 0) }.joined())
                for team in try await kernel.listTeams(by: .installOperator, requestID: "cli") {
                    print([team.agency, team.name, String(team.members)].map { $0.padding(toLength: 22, withPad: " ", startingAt: 0) }.joined())
                }
            }
        }
    }
}
