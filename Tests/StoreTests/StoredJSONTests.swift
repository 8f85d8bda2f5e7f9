import AmanaCore
import Testing
@testable import Store

@Suite("Stored JSON beside a submission")
struct StoredJSONTests {
    @Test func changedPathsReadBackAsWritten() throws {
        for paths in [[], ["/given_name"], ["/given_name", "/children/0/name", "/phone"], ["/اسم", "/given name"]] {
            let text = StoredJSON.text(paths)
            #expect(try StoredJSON.changedPaths(text) == paths)
            // Written as the store writes them, the paths never need the JSON parser.
            #expect(StoredJSON.plainStrings(text) == paths)
        }
    }

    @Test func pathsWrittenAnotherWayStillReadThroughTheParser() throws {
        let spaced = #"[ "/a" , "/b" ]"#
        #expect(StoredJSON.plainStrings(spaced) == nil)
        #expect(try StoredJSON.changedPaths(spaced) == ["/a", "/b"])
        let escaped = #"["/a\"quoted\"", "\u0041"]"#
        #expect(StoredJSON.plainStrings(escaped) == nil)
        #expect(try StoredJSON.changedPaths(escaped) == [#"/a"quoted""#, "A"])
    }

    @Test func brokenTextIsAnErrorNotAnEmptyList() {
        for broken in [#"["/a""#, #"["/a",]"#, #"["/a" "/b"]"#, #"{"a": 1}"#, "[1]", ""] {
            #expect(StoredJSON.plainStrings(broken) == nil, "\(broken)")
            #expect(throws: JSONValue.ParseError.self, "\(broken)") { try StoredJSON.changedPaths(broken) }
        }
    }
}
