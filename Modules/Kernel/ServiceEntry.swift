import AmanaCore
import Foundation

/// Who a service serves: the profiles of the interagency service-mapping templates.
public enum ServiceProfile: String, Sendable, CaseIterable, Codable {
    case girls, boys, women, men, lgbti, disability, other

    /// The profile a front end was given, or the error naming the profiles there are.
    public init(code: String) throws(AmanaError) {
        guard let profile = ServiceProfile(rawValue: code) else {
            throw .invalid("profile", "Unknown profile '\(code)'; expected one of \(ServiceProfile.allCases.map(\.rawValue).joined(separator: ", ")).", pointer: "/profile")
        }
        self = profile
    }
}

/// How a service takes a profile: where a survivor can walk in and be helped
/// (entry point), or only on referral from another service (funnelling point).
public enum ServiceAccess: String, Sendable, CaseIterable, Codable {
    case entryPoint = "entry_point", funnelling
}

/// A service of the directory as its readers see it.
public struct ServiceEntry: Sendable, Equatable, Codable {
    public var id: String
    public var organisation: String
    public var name: String
    public var serviceType: String
    public var serviceTypeLabel: String
    public var location: String
    public var locationLabel: String
    public var address: String
    public var hours: String
    public var contact: String
    /// Profile -> `entry_point` or `funnelling`.
    public var profiles: [String: String]
    public var coordinationRegistration: String?
    /// The agency on this install that runs it (an internal service).
    public var agency: String?
    public var active: Bool
    /// How many survivors rated it at referral follow-up.
    public var ratings: Int
    /// Their average, 1 (very dissatisfied) to 5 (very satisfied); only from 5 ratings
    /// on, so that no one's answer can be told from the score.
    public var score: Double?
    public var version: Int
    public var updatedAt: Date
}

/// A service as an administrator writes it (JSON or a CSV row).
public struct ServiceInput: Sendable, Equatable, Codable {
    public var id: String
    public var organisation: String
    public var name: String
    public var serviceType: String
    public var location: String
    public var address: String
    public var hours: String
    public var contact: String
    public var profiles: [String: String]
    public var coordinationRegistration: String?
    public var agency: String?
    public var active: Bool

    public init(
        id: String, organisation: String, name: String, serviceType: String, location: String, address: String = "", hours: String = "", contact: String = "",
        profiles: [String: String], coordinationRegistration: String? = nil, agency: String? = nil, active: Bool = true
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
        self.agency = agency
        self.active = active
    }

    /// The id, names, type, location and profiles are required; the rest defaults to empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        organisation = try c.decode(String.self, forKey: .organisation)
        name = try c.decode(String.self, forKey: .name)
        serviceType = try c.decode(String.self, forKey: .serviceType)
        location = try c.decode(String.self, forKey: .location)
        address = try c.decodeIfPresent(String.self, forKey: .address) ?? ""
        hours = try c.decodeIfPresent(String.self, forKey: .hours) ?? ""
        contact = try c.decodeIfPresent(String.self, forKey: .contact) ?? ""
        profiles = try c.decode([String: String].self, forKey: .profiles)
        coordinationRegistration = try c.decodeIfPresent(String.self, forKey: .coordinationRegistration)
        agency = try c.decodeIfPresent(String.self, forKey: .agency)
        active = try c.decodeIfPresent(Bool.self, forKey: .active) ?? true
    }
}

/// What to look for in the directory; every filter is optional.
public struct ServiceFilter: Sendable, Equatable {
    /// A code of `core/service-types` (the need the service meets).
    public var serviceType: String?
    public var profile: ServiceProfile?
    /// A code of `core/locations`: services there, in a place within it, or covering the area it lies in.
    public var location: String?
    /// Words in the organisation's or the service's name.
    public var text: String?
    public var includeInactive = false

    public init(serviceType: String? = nil, profile: ServiceProfile? = nil, location: String? = nil, text: String? = nil, includeInactive: Bool = false) {
        self.serviceType = serviceType
        self.profile = profile
        self.location = location
        self.text = text
        self.includeInactive = includeInactive
    }
}

/// What a CSV import did.
public struct ServiceImportReport: Sendable, Equatable, Codable {
    public var created: Int
    public var updated: Int
}
