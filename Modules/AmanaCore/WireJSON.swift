import Foundation

/// How Amana writes and reads JSON on every front end: snake_case keys and
/// ISO 8601 dates. The API's bodies and the CLI's `--json` output are the same
/// documents, so a script can move from one to the other.
public enum WireJSON {
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = InternetDateTime.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "Expected a date and time like 2026-11-25T09:30:00Z.")
            }
            return date
        }
        return decoder
    }
}
