import AmanaCore
import Foundation

/// A service in the directory (the service map): what an organisation offers,
/// where, to whom, and how survivors rated it. Public information about the
/// service, never about a person: stored in plain text.
public struct ServiceRecord: Sendable, Equatable {
    /// A short code the administrator gives (`amber-clinic-health`), stable across imports.
    public var id: String
    public var organisation: String
    public var name: String
    /// A code of `core/service-types`.
    public var serviceType: String
    /// A code of `core/locations`.
    public var location: String
    public var address: String
    public var hours: String
    public var contact: String
    /// Profile (`girls`, `women`, `lgbti`...) -> `entry_point` or `funnelling`; a profile not listed is not served.
    public var profiles: [String: String]
    /// Its registration with the coordination body (a reference), nil if not registered.
    public var coordinationRegistration: String?
    /// The agency on this install that runs it (an internal service), nil for an outside one.
    public var agencyCode: String?
    public var active: Bool
    /// Survivors' ratings recorded at referral follow-up: how many, and their sum (1 to 5 each).
    public var feedbackCount: Int
    public var feedbackTotal: Int
    public var version: Int
    public var updatedAt: Date

    public init(
        id: String, organisation: String, name: String, serviceType: String, location: String, address: String = "", hours: String = "", contact: String = "",
        profiles: [String: String], coordinationRegistration: String? = nil, agencyCode: String? = nil, active: Bool = true, feedbackCount: Int = 0,
        feedbackTotal: Int = 0, version: Int = 1, updatedAt: Date
    ) {
        self.id = id
        self.organisation = organisation
        self.name = name
        self.serviceType = serviceType
        self.location = location
        self.address = address
        self.hours = hours
        self.contact = contact
        self.profiles = profiles
        self.coordinationRegistration = coordinationRegistration
        self.agencyCode = agencyCode
        self.active = active
        self.feedbackCount = feedbackCount
        self.feedbackTotal = feedbackTotal
        self.version = version
        self.updatedAt = updatedAt
    }
}

/// A service added or changed, checked against the version read.
public struct ServiceWrite: Sendable {
    public var record: ServiceRecord
    /// Nil adds the service (which must not exist yet).
    public var expectedVersion: Int?

    public init(record: ServiceRecord, expectedVersion: Int?) {
        self.record = record
        self.expectedVersion = expectedVersion
    }

    /// Whether a store adds or updates the service, given the version it holds (nil: none).
    public func decide(stored: Int?) throws -> VersionedWrite {
        let s = record
        switch (stored, expectedVersion) {
        case (nil, nil):
            return .insert
        case (let current?, let expected?) where current == expected:
            return .update
        case (_?, nil):
            throw AmanaError(.conflict, code: "service-exists", "The directory already has a service '\(s.id)'; change it with the version you read.")
        case (nil, _?):
            throw AmanaError.notFound
        case (let current?, let expected?):
            throw AmanaError(
                .preconditionFailed, code: "service-changed",
                "Someone changed the service '\(s.id)' since you read it (you read version \(expected); it is now version \(current)). Reload it and apply your change again.")
        }
    }

    /// The service's profiles as stored.
    public var storedProfiles: String {
        String(decoding: (try? JSONEncoder().encode(record.profiles)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
