import ArgumentParser

/// `amana`: one install, served through the API, the CLI and (soon) the TUI.
public struct AmanaCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "amana",
        abstract: "Protection case management: GBV, child protection, general protection.",
        discussion: """
            An install is a data directory (--data DIR, or AMANA_DATA, default ./amana-data) holding
            the database, the master key, the organisation's plugins and config.yaml. The API server,
            the CLI and the TUI may work on the same install at the same time.

            Exit codes: 0 done; 1 refused or failed (also: a check found a problem); 2 invalid
            input (a value the command cannot accept); 3 install problem (missing directory, key
            file permissions, bad config.yaml, newer database); 4 conflict (already exists,
            changed meanwhile); 5 not signed in or not allowed; 6 storage unavailable (disk
            full, busy); 64 wrong usage (unknown option, missing argument).
            """,
        subcommands: [
            InitCommand.self, DemoCommand.self, ServeCommand.self, LoginCommand.self, LogoutCommand.self, CaseCommand.self,
            TaskCommand.self, ApprovalCommand.self, ConsentCommand.self, ConferenceCommand.self, ServiceCommand.self, ReferralCommand.self, TransferCommand.self, DashboardCommand.self, StatisticsCommand.self, ReportCommand.self, PurgeCommand.self, SupervisionCommand.self, ExportCommand.self, KeysCommand.self, TUICommand.self, UserCommand.self, TeamCommand.self, FormsCommand.self, DatabaseCommand.self, AuditCommand.self,
            BackupCommand.self, RestoreCommand.self, MigrateStoreCommand.self,
        ])

    public init() {}
}

/// The `--data` option every command that works on an install shares.
struct DataOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The install's data directory (default: $AMANA_DATA, else ./amana-data).", valueName: "DIR"))
    var data: String?
}
