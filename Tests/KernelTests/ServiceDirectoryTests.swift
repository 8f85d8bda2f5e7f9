import AmanaCore
import Foundation
import Identity
import Testing
@testable import Kernel

/// The service directory: maintained by administrators, read by caseworkers.
@Suite("Service directory")
struct ServiceDirectoryTests {
    func people(_ f: KernelFixture) async throws -> (admin: Actor, amal: Actor) {
        try await f.addUser("admin", "administrator", team: nil)
        try await f.addUser("amal", "case_worker")
        return (try await f.signIn("admin").actor, try await f.signIn("amal").actor)
    }

    @Test func csvReadsQuotesLineBreaksAndGuardsFormulas() throws {
        let text = "\u{FEFF}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\n1,,'+961\n"
        let records = try CSV.parse(text)
        #expect(records.map(\.line) == [1, 2, 5])
        #expect(records[1].fields == ["x, y", "say \"hi\"", "two\nlines"])
        #expect(records[2].fields == ["1", "", "+961"])
        #expect(CSV.line(["+961 1", "=SUM(A1)", "a,b", "plain"]) == "'+961 1,'=SUM(A1),\"a,b\",plain\r\n")
        #expect(try CSV.parse(CSV.line(["+961 1", "=SUM(A1)"]))[0].fields == ["+961 1", "=SUM(A1)"])
        let error = #expect(throws: CSV.SyntaxError.self) { try CSV.parse("a,b\n\"open,b\nc,d") }
        #expect(error?.line == 2)
    }

    @Test func aCSVWithBadRowsReportsEachByLineAndImportsNothing() async throws {
        let f = try await KernelFixture()
        let (admin, amal) = try await people(f)
        let bad = """
            id,organisation,name,service_type,location,women,girls
            cedar-clinic,Cedar Clinic,Health care,health,sub_cedar_centre,entry_point,entry_point
            Bad Id,Cedar Clinic,Health care,health,sub_cedar_centre,entry_point,
            willow,Willow,Support,massage,sub_willow,entry_point,
            lotus,Lotus,Shelter,safety_shelter,nowhere,sometimes,
            cedar-clinic,Cedar Clinic,Again,health,sub_cedar_centre,entry_point,
            short,row

            """
        let error = await #expect(throws: AmanaError.self) { try await f.kernel.importServices(csv: bad, actor: admin, requestID: "t") }
        #expect(error?.code == "service-invalid")
        #expect(error?.fieldProblems.map(\.path) == ["/lines/7"])  // a row of the wrong shape is reported before anything is checked
        let fixedShape = bad.replacingOccurrences(of: "short,row\n", with: "")
        let problems = await #expect(throws: AmanaError.self) { try await f.kernel.importServices(csv: fixedShape, actor: admin, requestID: "t") }
        #expect(problems?.fieldProblems.map(\.path) == ["/lines/3/id", "/lines/4/service_type", "/lines/5/location", "/lines/5/women", "/lines/6/id"])
        #expect(problems?.fieldProblems.first?.message.hasPrefix("Line 3: ") == true)
        #expect(try await f.kernel.services(ServiceFilter(), actor: amal, requestID: "t").isEmpty)
    }

    @Test func importSearchAndExportRoundTrip() async throws {
        let f = try await KernelFixture()
        let (admin, amal) = try await people(f)
        let report = try await f.kernel.importServices(csv: DemoServices.csv(agencyCode: "ACME"), actor: admin, requestID: "t")
        #expect(report == ServiceImportReport(created: 7, updated: 0))
        // A girl in Willow needing psychosocial support: the safe space, an entry point for girls.
        let found = try await f.kernel.services(ServiceFilter(serviceType: "psychosocial", profile: .girls, location: "sub_willow"), actor: amal, requestID: "t")
        #expect(found.map(\.id) == ["willow-safe-space"])
        // Everything that serves Jasmine Camp: services there and those covering its district or governorate; entry points for girls first.
        let camp = try await f.kernel.services(ServiceFilter(profile: .girls, location: "sub_jasmine_camp"), actor: amal, requestID: "t")
        #expect(camp.map(\.id) == ["jasmine-child-friendly", "lotus-shelter"])
        #expect(try await f.kernel.services(ServiceFilter(profile: .men, location: "dist_cedar"), actor: amal, requestID: "t").map(\.id)
            == ["demo-case-management", "cedar-clinic-health", "amber-legal-aid"])  // entry points first, then by organisation
        #expect(try await f.kernel.services(ServiceFilter(text: "shelter lotus"), actor: amal, requestID: "t").map(\.id) == ["lotus-shelter"])
        // Export, then import what was exported: every service is "changed" to what it was.
        let exported = try await f.kernel.exportServices(actor: admin, requestID: "t")
        #expect(exported.contains("+000 100 200") && exported.contains("\"Sun-Thu 08:00-16:00, emergencies 24h\""))
        #expect(try await f.kernel.importServices(csv: exported, actor: admin, requestID: "t") == ServiceImportReport(created: 0, updated: 7))
        let clinic = try await f.kernel.service(id: "cedar-clinic-health", actor: amal, requestID: "t")
        #expect(clinic.version == 2 && clinic.contact == "+000 100 200" && clinic.hours == "Sun-Thu 08:00-16:00, emergencies 24h" && clinic.score == nil)
        #expect(try await f.kernel.exportServices(actor: admin, requestID: "t") == exported.replacingOccurrences(of: ",yes,1,0,", with: ",yes,2,0,"))
        // The same old export again: every service changed since it was made, and none is overwritten.
        let stale = await #expect(throws: AmanaError.self) { try await f.kernel.importServices(csv: exported, actor: admin, requestID: "t") }
        #expect(stale?.kind == .preconditionFailed)
    }

    @Test func theTeamLeadKeepsTheServiceMapAsAnAdministratorDoes() async throws {
        let f = try await KernelFixture()
        _ = try await people(f)
        try await f.addUser("salma", "team_lead")
        let salma = try await f.signIn("salma").actor
        let input = ServiceInput(id: "palm-clinic", organisation: "Palm Clinic", name: "Health care", serviceType: "health", location: "sub_palm", profiles: ["women": "entry_point"])
        #expect(try await f.kernel.saveService(input, expectVersion: nil, actor: salma, requestID: "t").version == 1)
        #expect(try await f.auditEntries("service.save").map(\.draft.outcome) == [.success])
    }

    @Test func onlyAdministratorsMaintainItAndNoChangeIsOverwritten() async throws {
        let f = try await KernelFixture()
        let (admin, amal) = try await people(f)
        let input = ServiceInput(id: "palm-clinic", organisation: "Palm Clinic", name: "Health care", serviceType: "health", location: "sub_palm", profiles: ["women": "entry_point"])
        let refused = await #expect(throws: AmanaError.self) { try await f.kernel.saveService(input, expectVersion: nil, actor: amal, requestID: "t") }
        #expect(refused?.kind == .forbidden)
        #expect(try await f.auditEntries("service.save").map(\.draft.outcome) == [.denied])
        let saved = try await f.kernel.saveService(input, expectVersion: nil, actor: admin, requestID: "t")
        #expect(saved.version == 1 && saved.locationLabel == "Palm")
        let twice = await #expect(throws: AmanaError.self) { try await f.kernel.saveService(input, expectVersion: nil, actor: admin, requestID: "t") }
        #expect(twice?.code == "service-exists")
        var changed = input
        changed.hours = "Sun-Thu 08:00-14:00"
        #expect(try await f.kernel.saveService(changed, expectVersion: 1, actor: admin, requestID: "t").version == 2)
        let stale = await #expect(throws: AmanaError.self) { try await f.kernel.saveService(changed, expectVersion: 1, actor: admin, requestID: "t") }
        #expect(stale?.kind == .preconditionFailed)
        var unknownAgency = input
        unknownAgency.agency = "NOPE"
        let agency = await #expect(throws: AmanaError.self) { try await f.kernel.saveService(unknownAgency, expectVersion: 2, actor: admin, requestID: "t") }
        #expect(agency?.fieldProblems.map(\.path) == ["/agency"])
    }
}
