import AmanaCore
import AmanaTestSupport
import Foundation
import PostgresStore
import Store
import Testing

/// A case file is read in one statement, its parts as JSON lists; each part is also read
/// alone, by the server's own columns. The two readings must agree, whatever the bytes.
extension PostgresStoreTests {
    /// Bytes whose base64 runs over several of the server's 76-character lines.
    static let sealed = (0..<200).map { String(format: "%02x", ($0 * 37 + 11) % 256) }.joined()

    /// A case with every part, NULLs where a column allows them, and text that JSON must escape.
    static let fixture = """
        INSERT INTO agency VALUES ('ag', 'ACME', 'ACME', 1);
        INSERT INTO team VALUES ('tm', 'ag', 'فريق "العنف" \\ GBV');
        INSERT INTO "user" (id, username, display_name, role, agency_id, password_hash, created_at, password_changed_at, version) VALUES
            ('u1', 'amal', 'Amal', 'case_worker', 'ag', 'x', 1, 1, 1), ('u2', 'karim', 'Karim', 'supervisor', 'ag', 'x', 1, 1, 1);
        INSERT INTO case_file (id, case_number, case_type, owner_id, team_id, agency_id, wrapped_key, key_version, created_at, updated_at, version, state)
            VALUES ('c1', 'GBV-1', 'gbv', 'u1', 'tm', 'ag', decode('\(sealed)', 'hex'), 1, 10, 20, 3, 'assessment');
        INSERT INTO case_member VALUES ('c1', 'u2', 5), ('c1', 'u1', 5);
        INSERT INTO case_submission VALUES
            ('c1', 'core/registration', 0, 2, 1, '{"org": 2}', decode('\(sealed)', 'hex'), 1700000000123, 'u1', '["given_name"]'),
            ('c1', 'core/case_note', 1, 1, 1, '{}', ''::bytea, 30, 'u2', '[]'),
            ('c1', 'core/case_note', 0, 1, 1, '{}', decode('00ff', 'hex'), 31, 'u2', '[]');
        INSERT INTO case_state_change VALUES ('c1', 1, 11, 'u1', NULL, NULL, 'registration', NULL),
            ('c1', 2, 12, 'u2', 'assess', 'registration', 'assessment', decode('\(sealed)', 'hex'));
        INSERT INTO case_task (id, case_id, assignee_id, timer_id, title, due_at, status, created_at, completed_at, completed_by, subject) VALUES
            ('t3', 'c1', 'u2', NULL, decode('0102', 'hex'), 40, 'done', 1, 41, 'u2', NULL),
            ('t2', 'c1', 'u1', 'follow_up', NULL, 60, 'open', 1, NULL, NULL, E'line\\\\one\\n"two"'),
            ('t1', 'c1', 'u2', NULL, decode('\(sealed)', 'hex'), 50, 'open', 1, NULL, NULL, NULL);
        INSERT INTO case_approval VALUES ('a1', 'c1', 'close', 'assessment', 'supervisor', 'u1', 70, 'pending', NULL, NULL, NULL),
            ('a2', 'c1', 'consent:refer', 'assessment', 'supervisor', 'u1', 71, 'approved', 'u2', 72, decode('\(sealed)', 'hex'));
        INSERT INTO case_attachment VALUES ('f1', 'c1', decode('\(sealed)', 'hex'), 'image/png', 3, decode('010203', 'hex'), 80, 'u1');
        INSERT INTO case_activity VALUES
            ('v1', 'c1', 'conference', 'scheduled', 1, 90, 'u1', 91, 95, TRUE, 'review', '["u1","u2"]', decode('\(sealed)', 'hex'), NULL),
            ('v2', 'c1', 'transfer', 'pending', 2, 92, 'u2', 93, NULL, FALSE, NULL, '[]', decode('ab', 'hex'), decode('\(sealed)', 'hex'));
        """

    @Test func aCaseFilesOneStatementReadsWhatEachPartsOwnStatementReads() async throws {
        try await store().open()
        #expect(try InstallDatabase.execute(Self.fixture, on: address) == 0)
        // What the server does with bytes in JSON must not matter: base64 is asked for.
        #expect(try InstallDatabase.execute("ALTER DATABASE \(address.database) SET bytea_output = 'escape';", on: address) == 0)
        let server = store()  // connections opened after the change
        let id = CaseID("c1")
        let file = try #require(try await server.caseFile(id: id))

        #expect(file.record == (try await server.caseRecord(id: id)))
        #expect(file.record.wrappedKey?.count == 200)
        #expect(file.members == [UserID("u1"), UserID("u2")])
        #expect(file.members == (try await server.caseRecordWithMembers(id: id))?.members)
        #expect(file.teamName == #"فريق "العنف" \ GBV"#)
        #expect(file.submissions == (try await server.submissions(caseID: id)))
        #expect(file.submissions.map(\.ciphertext.count) == [2, 0, 200])
        #expect(file.approvals == (try await server.approvals(caseID: id)))
        #expect(file.approvals.map { $0.sealedComment?.count } == [nil, 200])
        #expect(file.openTasks == (try await server.tasks(caseID: id)).filter { $0.status == .open }.sorted { $0.dueAt < $1.dueAt })
        #expect(file.openTasks.map(\.id) == ["t1", "t2"])
        #expect(file.openTasks.last?.subject == "line\\one\n\"two\"" && file.openTasks.last?.sealedTitle == nil)
        #expect(file.attachments == (try await server.attachments(caseID: id)))
        #expect(file.attachments.first?.sealedName.count == 200)
        #expect(file.activities == (try await server.activities(caseID: id)))
        #expect(file.activities.map(\.urgent) == [true, false])
        #expect(file.activities.map { $0.sealedRestricted?.count } == [nil, 200])
        #expect(file.stateChanges.map(\.toState) == ["registration", "assessment"])
        #expect(file.stateChanges.map { $0.sealedReason?.count } == [nil, 200])
        #expect(file.stateChanges.first?.transitionID == nil && file.stateChanges.first?.fromState == nil)
        #expect(file.usernames == [UserID("u1"): "amal", UserID("u2"): "karim"])
        #expect(try await server.caseFile(id: CaseID("no-such-case")) == nil)

        // The reads that give each item with its case read the cases in one statement.
        let mine = try await server.openTasks(assigneeID: UserID("u2"))
        #expect(mine.map(\.task.id) == ["t1"] && mine.first?.caseRecord == file.record && mine.first?.caseMembers == file.members)
        let queue = try await server.pendingApprovals(approverRole: "supervisor")
        #expect(queue.map(\.0.id) == ["a1"] && queue.first?.1 == file.record)
        let conferences = try await server.activities(kind: .conference, status: "scheduled", participant: UserID("u2"))
        #expect(conferences.map(\.0.id) == ["v1"] && conferences.first?.1 == file.record)
    }
}
