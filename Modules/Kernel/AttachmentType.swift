import AmanaCore

/// The kinds of file a case accepts, recognised from their first bytes.
///
/// A short list on purpose: what a caseworker's device opens safely (PDF,
/// JPEG, PNG, plain text). HTML and SVG can carry scripts; Office files and
/// archives can carry macros and anything else. What the sender declares is
/// checked against what the bytes are, never trusted on its own.
public enum AttachmentType {
    public static let accepted = ["application/pdf", "image/jpeg", "image/png", "text/plain"]

    /// The content type of `bytes`, or nil when it is none of ``accepted``.
    public static func sniff(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if isPlainText(bytes) { return "text/plain" }
        return nil
    }

    /// UTF-8 without control characters other than tab, line feed, form feed and carriage return.
    static func isPlainText(_ bytes: [UInt8]) -> Bool {
        guard String(validating: bytes, as: UTF8.self) != nil else { return false }
        return !bytes.contains { $0 < 0x20 && ![0x09, 0x0A, 0x0C, 0x0D].contains($0) || $0 == 0x7F }
    }

    /// Checks `bytes` against the accepted types and, if the sender named one,
    /// against that: the type to keep, or a refusal saying what the file is.
    static func check(_ bytes: [UInt8], declared: String?) throws(AmanaError) -> String {
        guard !bytes.isEmpty else { throw AmanaError.invalid("attachment-empty", "The file is empty.") }
        guard let sniffed = sniff(bytes) else {
            throw AmanaError(
                .unsupportedType, code: "attachment-type-refused",
                "This kind of file cannot be attached: attach a PDF, a JPEG or PNG image, or plain text.")
        }
        let named = declared?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if let named, !named.isEmpty, named != "application/octet-stream", named != sniffed {
            throw AmanaError(
                .unsupportedType, code: "attachment-type-mismatch", "The file was sent as \(named), but it is \(sniffed).", pointer: "Content-Type")
        }
        return sniffed
    }
}
