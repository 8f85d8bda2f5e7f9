/// Usernames are compared case-insensitively and without surrounding spaces,
/// so "Amal" and "amal " are the same account (and the same lockout counter).
public enum Username {
    public static func normalise(_ raw: String) -> String {
        raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// Letters, digits, `.`, `_`, `-`; 2 to 64 characters.
    public static func isValid(_ normalised: String) -> Bool {
        (2...64).contains(normalised.count)
            && normalised.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0) }
    }
}

import Foundation
