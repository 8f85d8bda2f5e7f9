import AmanaCore
import ArgumentParser
import Foundation
import Kernel

#if canImport(Glibc)
import Glibc
#endif

extension CaseCommand {
    struct Attach: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Attach a file to a case: a PDF, a JPEG or PNG image, or plain text (recognised from its content).",
            discussion: "The name and the content are encrypted under the case key. The size limit is the install's attachments.max_bytes (default 10 MiB).")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Argument(help: "The file.") var file: String
        @Option(help: "The name to keep (default: the file's own name).") var name: String?

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor) = try await options.open()
                // Refuse a file that is too large before reading it into memory.
                let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
                guard let size else { throw AmanaError.invalid("file-unreadable", "Cannot read \(file).") }
                guard size <= kernel.config.maxAttachmentBytes else { throw kernel.attachmentTooLargeError }
                guard let content = FileManager.default.contents(atPath: file) else { throw AmanaError.invalid("file-unreadable", "Cannot read \(file).") }
                let id = try await resolveCase(caseRef, kernel: kernel, actor: actor)
                let view = try await kernel.addAttachment(
                    caseID: id, name: name ?? (file as NSString).lastPathComponent, declaredType: nil, content: [UInt8](content),
                    actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(view) }
                print("Attached \(view.name) (\(view.contentType), \(view.bytes) bytes) as \(view.id).")
            }
        }
    }

    struct Attachment: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Save an attachment's content to a new file (readable only by you), or list a case's attachments.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Argument(help: "The attachment's id (leave out to list them).") var attachment: String?
        @Option(help: "A new file to write ('-' writes to standard output).") var output: String?

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                guard let attachment else {
                    let list = try await kernel.attachments(caseID: id, actor: actor, requestID: cliRequestID)
                    if options.json { return try CLIOutput.json(["attachments": list]) }
                    guard !list.isEmpty else { return print("No attachments.") }
                    return CLIOutput.table(["ATTACHMENT", "NAME", "TYPE", "BYTES", "ADDED", "BY"], list.map {
                        [$0.id, $0.name, $0.contentType, "\($0.bytes)", CLIOutput.time($0.at), $0.by]
                    })
                }
                guard let output else { throw AmanaError.invalid("output-missing", "Say where to save it: --output FILE (a new file), or --output - for standard output.") }
                let (view, content) = try await kernel.readAttachment(caseID: id, attachmentID: attachment, actor: actor, requestID: cliRequestID)
                if output == "-" { return FileHandle.standardOutput.write(Data(content)) }
                try writeNewPrivateFile(output, content)
                print("Saved \(view.name) (\(view.contentType), \(view.bytes) bytes) to \(output).")
            }
        }
    }
}

/// Writes a file that did not exist, readable only by its owner: a survivor's
/// documents must not land where others on the machine can read them.
func writeNewPrivateFile(_ path: String, _ bytes: [UInt8]) throws(AmanaError) {
    let file = try PrivateOutputFile(path)
    try file.write(bytes)
}

/// A new file only its owner can read, created before the work that fills it: a
/// package or a receipt whose file cannot be made is refused before anything is
/// exported or imported, never after.
final class PrivateOutputFile {
    let path: String
    private let descriptor: Int32
    private var finished = false

    init(_ path: String) throws(AmanaError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw AmanaError(.conflict, code: "output-exists", "Cannot create \(path): it exists already, or its folder cannot be written.")
        }
    }

    func write(_ bytes: [UInt8]) throws(AmanaError) {
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            guard n > 0 else { throw AmanaError(.storageUnavailable, code: "output-write", "Could not write all of \(path).") }
            written += n
        }
        guard fsync(descriptor) == 0 else { throw AmanaError(.storageUnavailable, code: "output-write", "Could not write all of \(path).") }
        finished = true
    }

    /// An empty file left by work that failed is removed.
    deinit {
        close(descriptor)
        if !finished { unlink(path) }
    }
}
