import Foundation

/// What a scan of the scratch server's disk sees of one install (the encryption-at-rest test).
extension InstallDatabase {
    /// Where the server's write-ahead log ends now: ``bytesOnDisk(ofInstall:walFrom:)`` reads what follows.
    public static func walPosition(ofInstall data: String) throws -> String {
        try query("SELECT pg_current_wal_insert_lsn();", on: try address(ofInstall: data))
    }

    /// The bytes an install's database has on disk in the scratch server's data directory
    /// (`AMANA_TEST_POSTGRES_DATA`, set by Tools/test.sh): the write-ahead log from `start` to now,
    /// then its table files after a checkpoint. Nil when the directory is not known.
    ///
    /// Only the log written since `start` is read: while the other suites run, the server's
    /// whole log is hundreds of megabytes, and scanning it took the test minutes.
    public static func bytesOnDisk(ofInstall data: String, walFrom start: String) throws -> [UInt8]? {
        guard let directory = ProcessInfo.processInfo.environment["AMANA_TEST_POSTGRES_DATA"], !directory.isEmpty else { return nil }
        let address = try address(ofInstall: data)
        // Segment file and offset of both ends; read before the checkpoint, which may recycle old segments.
        let ends = try query("""
            SELECT file_name || ' ' || file_offset FROM pg_walfile_name_offset('\(start)');
            SELECT file_name || ' ' || file_offset FROM pg_walfile_name_offset(pg_current_wal_insert_lsn());
            """, on: address).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        guard ends.count == 2, ends.allSatisfy({ $0.count == 2 }), let from = Int(ends[0][1]), let to = Int(ends[1][1]) else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "unexpected WAL positions: \(ends)"])
        }
        let (first, last) = (ends[0][0], ends[1][0])
        let segments = try FileManager.default.contentsOfDirectory(atPath: directory + "/pg_wal")
            .filter { $0.count == 24 && $0 >= first && $0 <= last }.sorted()
        guard segments.first == first, segments.last == last else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "the WAL from \(first) to \(last) is no longer all on disk"])
        }
        var bytes: [UInt8] = []
        for segment in segments {
            let content = try Data(contentsOf: URL(fileURLWithPath: directory + "/pg_wal/" + segment))
            let lower = segment == first ? min(from, content.count) : 0
            let upper = segment == last ? min(to, content.count) : content.count
            if lower < upper { bytes += content[lower..<upper] }
        }
        let oid = try query("CHECKPOINT;\nSELECT oid FROM pg_database WHERE datname = current_database();", on: address)
        let tables = directory + "/base/" + oid
        for name in try FileManager.default.contentsOfDirectory(atPath: tables) {
            let path = tables + "/" + name
            guard (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType == .typeRegular else { continue }
            bytes += try Data(contentsOf: URL(fileURLWithPath: path))
        }
        return bytes
    }
}
