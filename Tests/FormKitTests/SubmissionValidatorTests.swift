import Foundation
import Testing
@testable import FormKit

@Suite("Submission validation")
struct SubmissionValidatorTests {
    static let incident = """
        id: t/incident
        version: 2
        title: {en: Incident, ar: الحادثة}
        sections:
          - id: what
            title: {en: What happened, ar: ما حدث}
            fields:
              - {id: incident_date, type: date, required: true, not_future: true, label: {en: Date, ar: التاريخ}}
              - {id: violence_type, type: select, lookup: t/violence-types, required: true, label: {en: Type, ar: النوع}}
              - {id: also, type: multi_select, lookup: t/violence-types, max_items: 2, label: {en: Also, ar: أيضا}}
              - {id: place, type: location, lookup: t/places, level: district, label: {en: Place, ar: المكان}}
              - {id: when_reported, type: datetime, label: {en: Reported, ar: تاريخ الإبلاغ}}
              - id: survivor_age
                type: integer
                min: 0
                max: 120
                label: {en: Age, ar: العمر}
              - id: account
                type: textarea
                max_length: 50
                label: {en: Account, ar: الرواية}
              - id: phone
                type: text
                pattern: "[0-9 +]{6,20}"
                message: {en: Digits only, ar: أرقام فقط}
                label: {en: Phone, ar: الهاتف}
              - id: adult
                type: calculated
                expr: "survivor_age >= 18"
                label: {en: Adult, ar: بالغ}
              - id: guardian_informed
                type: yes_no
                required_if: "survivor_age < 18"
                label: {en: Guardian informed?, ar: هل أُبلغ الوصي؟}
              - {id: others_affected, type: yes_no, label: {en: Others affected?, ar: هل تأثر آخرون؟}}
              - id: other_survivors
                type: repeat
                show_if: "others_affected == true"
                min_rows: 1
                max_rows: 3
                label: {en: Other survivors, ar: ناجون آخرون}
                fields:
                  - {id: other_age, type: integer, min: 0, max: 120, required: true, label: {en: Age, ar: العمر}}
                  - id: other_school
                    type: text
                    show_if: "other_age < 18"
                    label: {en: School, ar: المدرسة}
                  - id: other_older
                    type: calculated
                    expr: "other_age > survivor_age"
                    label: {en: Older, ar: أكبر}
              - {id: declaration, type: tick, required: true, label: {en: I confirm, ar: أؤكد}}
              - id: follow_up_date
                type: date
                valid_if: "follow_up_date >= incident_date"
                message: {en: The follow-up comes after the incident., ar: تأتي المتابعة بعد الحادثة.}
                label: {en: Follow-up, ar: المتابعة}
        """

    let today = Day(year: 2026, month: 11, day: 25)!

    func validate(_ json: String, language: String = "en") throws -> ValidationResult {
        let submission = try JSONDecoder().decode([String: SubmittedValue].self, from: Data(json.utf8))
        return try DefinitionFixture.validator(Self.incident).validate(submission, today: today, language: language)
    }

    func paths(_ result: ValidationResult) -> [String: String] {
        Dictionary(result.problems.map { ($0.path, $0.code) }, uniquingKeysWith: { a, b in a + "," + b })
    }

    @Test func aGoodSubmissionIsAcceptedWithCalculatedFieldsComputed() throws {
        let result = try validate("""
            {"incident_date": "2026-11-01", "violence_type": "rape", "also": ["physical_assault"], "place": "dist_a1",
             "when_reported": "2026-11-02T10:00:00Z", "survivor_age": 24, "account": "short", "phone": "+964 770",
             "others_affected": true, "other_survivors": [{"other_age": 12, "other_school": "X"}, {"other_age": 30}],
             "declaration": true, "follow_up_date": "2026-11-20"}
            """)
        #expect(result.problems == [])
        #expect(result.accepted["adult"] == .bool(true))
        #expect(result.accepted["other_survivors"] == .array([
            .object(["other_age": .number(12), "other_school": .string("X"), "other_older": .bool(false)]),
            .object(["other_age": .number(30), "other_older": .bool(true)]),
        ]))
        #expect(result.dropped.isEmpty)
    }

    @Test func theShownFieldsAreListedOnlyWhenAskedFor() throws {
        let json = """
            {"incident_date": "2026-11-01", "violence_type": "rape", "survivor_age": 24, "others_affected": true,
             "other_survivors": [{"other_age": 12}, {"other_age": 30}], "declaration": true}
            """
        let submission = try JSONDecoder().decode([String: SubmittedValue].self, from: Data(json.utf8))
        let validator = try DefinitionFixture.validator(Self.incident)
        // A form drawn as it is typed asks; a save, a read or a report does not pay for it.
        #expect(validator.validate(submission, today: today).visible.isEmpty)
        let shown = validator.validate(submission, today: today, visiblePaths: true).visible
        #expect(shown.contains("/other_survivors") && shown.contains("/declaration") && shown.contains("/adult"))
        // A row's field shows by the row's own answers: the child's school, not the adult's.
        #expect(shown.contains("/other_survivors/0/other_school") && !shown.contains("/other_survivors/1/other_school"))
        var nobodyElse = submission
        nobodyElse["others_affected"] = .bool(false)
        nobodyElse["other_survivors"] = nil
        #expect(!validator.validate(nobodyElse, today: today, visiblePaths: true).visible.contains("/other_survivors"))
    }

    @Test func everyProblemIsReportedAtOnceWithItsPath() throws {
        let result = try validate("""
            {"incident_date": "2026-12-01", "violence_type": "robbery", "also": ["rape", "rape", "sexual_assault"],
             "place": "gov_a", "survivor_age": 15.5, "account": "\(String(repeating: "x", count: 60))", "phone": "call me",
             "others_affected": true, "other_survivors": [{"other_age": 130}, {}], "unknown": 1, "follow_up_date": "2026-10-01"}
            """)
        let found = paths(result)
        #expect(found["/incident_date"] == "in-the-future")
        #expect(found["/violence_type"] == "not-an-option")
        #expect(found["/also"] == "duplicate-item,too-many-items")
        #expect(found["/place"] == "wrong-level")
        #expect(found["/survivor_age"] == "not-a-whole-number")
        #expect(found["/account"] == "too-long")
        #expect(found["/phone"] == "pattern")
        #expect(found["/other_survivors/0/other_age"] == "too-large")
        #expect(found["/other_survivors/1/other_age"] == "required")
        #expect(found["/unknown"] == "unknown-field")
        #expect(found["/declaration"] == "required")
        #expect(found["/follow_up_date"] == "invalid")
        #expect(result.problems.first { $0.path == "/phone" }?.message == "Digits only")
        #expect(result.problems.first { $0.path == "/follow_up_date" }?.message == "The follow-up comes after the incident.")
    }

    @Test func whatTheAnswersHaveComesInTheOrderOfTheirNames() throws {
        // A submission is a dictionary, in no order of its own; the answers are converted in
        // whatever order it holds them, and what they have is reported in their names' order.
        let answers: [(String, SubmittedValue)] = [
            ("zeta", .number(1)), ("survivor_age", .string("x")), ("adult", .bool(true)), ("alpha", .bool(true)),
            ("incident_date", .number(5)), ("others_affected", .bool(true)),
            ("other_survivors", .array([.object(["zz": .number(1), "other_age": .string("old"), "aa": .number(2)]), .number(3)])),
        ]
        let validator = try DefinitionFixture.validator(Self.incident)
        var seen: Set<[String]> = []
        // Tables of different sizes hold the same answers in different orders.
        for capacity in [0, 12, 40, 300, 5_000] {
            for ordering in [answers, answers.reversed()] {
                var submission = [String: SubmittedValue](minimumCapacity: capacity)
                for (key, value) in ordering { submission[key] = value }
                let result = validator.validate(submission, today: today)
                #expect(Array(result.problems.prefix(7).map { "\($0.path) \($0.code)" }) == [
                    "/alpha unknown-field", "/incident_date wrong-type", "/other_survivors/0/aa unknown-field", "/other_survivors/0/other_age wrong-type",
                    "/other_survivors/0/zz unknown-field", "/other_survivors/1 wrong-type", "/survivor_age wrong-type",
                ])
                #expect(result.problems[7].path == "/zeta")
                #expect(result.dropped == ["/adult"])
                seen.insert(submission.keys.map { $0 })
            }
        }
        #expect(seen.count > 1, "the tables all held the answers in one order: the test shows nothing")
    }

    @Test func messagesComeInArabic() throws {
        let result = try validate(#"{"violence_type": "rape", "declaration": true, "follow_up_date": "2020-01-01", "incident_date": "2026-01-01"}"#, language: "ar")
        #expect(result.problems.first { $0.path == "/follow_up_date" }?.message == "تأتي المتابعة بعد الحادثة.")
        let missing = try validate(#"{"violence_type": "rape", "declaration": true}"#, language: "ar")
        #expect(missing.problems.first { $0.path == "/incident_date" }?.message == "هذا الحقل مطلوب.")
    }

    @Test func requiredIfFollowsTheAnswers() throws {
        let base = #""incident_date": "2026-11-01", "violence_type": "rape", "declaration": true"#
        #expect(paths(try validate("{\(base), \"survivor_age\": 16}"))["/guardian_informed"] == "required")
        #expect(paths(try validate("{\(base), \"survivor_age\": 30}"))["/guardian_informed"] == nil)
        #expect(paths(try validate("{\(base)}"))["/guardian_informed"] == nil)
    }

    @Test func hiddenAndCalculatedValuesAreDroppedNotStored() throws {
        let result = try validate("""
            {"incident_date": "2026-11-01", "violence_type": "rape", "declaration": true, "survivor_age": 30,
             "others_affected": false, "other_survivors": [{"other_age": 400}], "adult": false}
            """)
        #expect(result.problems == [])
        #expect(Set(result.dropped) == ["/other_survivors", "/adult"])
        #expect(result.accepted["other_survivors"] == nil)
        #expect(result.accepted["adult"] == .bool(true))
    }

    @Test func fieldsHiddenInsideARowAreDroppedForThatRowOnly() throws {
        let result = try validate("""
            {"incident_date": "2026-11-01", "violence_type": "rape", "declaration": true, "survivor_age": 30,
             "others_affected": true, "other_survivors": [{"other_age": 40, "other_school": "Y"}, {"other_age": 10, "other_school": "Z"}]}
            """)
        #expect(result.dropped == ["/other_survivors/0/other_school"])
        #expect(result.accepted["other_survivors"] == .array([
            .object(["other_age": .number(40), "other_older": .bool(true)]),
            .object(["other_age": .number(10), "other_school": .string("Z"), "other_older": .bool(false)]),
        ]))
    }

    @Test(arguments: [
        (#"{"incident_date": 20261101}"#, "/incident_date", "wrong-type"),
        (#"{"incident_date": "01/11/2026"}"#, "/incident_date", "not-a-date"),
        (#"{"when_reported": "yesterday"}"#, "/when_reported", "not-a-datetime"),
        (#"{"survivor_age": "twelve"}"#, "/survivor_age", "wrong-type"),
        (#"{"also": "rape"}"#, "/also", "wrong-type"),
        (#"{"others_affected": "yes"}"#, "/others_affected", "wrong-type"),
        (#"{"others_affected": true, "other_survivors": {"other_age": 3}}"#, "/other_survivors", "wrong-type"),
        (#"{"others_affected": true, "other_survivors": [1]}"#, "/other_survivors/0", "wrong-type"),
        (#"{"others_affected": true, "other_survivors": []}"#, "/other_survivors", "too-few-rows"),
        (#"{"others_affected": true, "other_survivors": [{"other_age": 1}, {"other_age": 1}, {"other_age": 1}, {"other_age": 1}]}"#, "/other_survivors", "too-many-rows"),
    ])
    func wrongShapesAreNamed(json: String, path: String, code: String) throws {
        let found = paths(try validate(json))
        #expect(found[path]?.contains(code) == true, "\(json): \(found)")
    }

    @Test func valuesAreNormalisedForStorage() throws {
        let result = try validate(#"{"incident_date": "2026-11-01", "violence_type": "rape", "declaration": true, "when_reported": "2026-11-02T13:00:00.250+03:00"}"#)
        #expect(result.accepted["when_reported"] == .string("2026-11-02T10:00:00Z"))
        // A date is kept as sent: only the day's own YYYY-MM-DD is taken.
        #expect(result.accepted["incident_date"] == .string("2026-11-01"))
        #expect(result.values["incident_date"] == .date(Day(year: 2026, month: 11, day: 1)!))
        for impossible in ["2026-02-29", "2026-13-01", "0000-01-01", "2026-1-011", "2026-11-01T"] {
            let refused = paths(try validate(#"{"incident_date": "\#(impossible)"}"#))
            #expect(refused["/incident_date"]?.contains("not-a-date") == true, "\(impossible)")
        }
    }
}
