import AmanaCore
import FormKit
import Foundation
import Identity
import Store
import Vault

/// Anonymous statistics for programme managers and coordination bodies:
/// counts of `aggregate` answers only, only of cases whose consent allows
/// their use in anonymous reports, small counts suppressed.
extension Kernel {
    /// Counts under this are shown as `<5`.
    public static let minimumCell = 5

    /// A table of counts of one form's entries by one or two of its aggregate
    /// answers (or by month). Needs `report.read`; never reads out a case.
    /// Refused when it would be too narrow to publish (fewer than
    /// ``minimumCell`` entries in all), audited either way.
    public func statistics(_ request: StatisticsRequest, actor: Actor, requestID: String) async throws(AmanaError) -> StatisticsTable {
        guard let scope = actor.role.scope(for: "report", "read") else {
            throw await refuse(.user(actor), "statistics.read", "report", requestID: requestID)
        }
        // What is counted: each entry of a form, or (form=referrals) each referral sent.
        let referrals = request.form == Kernel.referralsSource
        let form = definitions.forms[request.form]
        guard referrals || form != nil else {
            throw AmanaError.invalid("form-unknown", "No form '\(request.form)' is served by this install (or count referrals: form=referrals).", pointer: "/form")
        }
        let counted = { (name: String, pointer: String) throws(AmanaError) -> CountedField in
            // An answer of another form of the same case: core/registration/sex.
            if let slash = name.lastIndex(of: "/") {
                guard let other = self.definitions.forms[String(name[..<slash])] else {
                    throw AmanaError.invalid("form-unknown", "No form '\(name[..<slash])' is served by this install.", pointer: pointer)
                }
                guard case .field(_, let label, let options) = try self.countedField(String(name[name.index(after: slash)...]), of: other, pointer: pointer, language: actor.language)
                else { throw AmanaError.invalid("field-not-countable", "'\(name)' cannot be counted by.", pointer: pointer) }
                return .field(name, label, options)
            }
            if let form { return try self.countedField(name, of: form, pointer: pointer, language: actor.language) }
            return try self.referralField(name, pointer: pointer, language: actor.language)
        }
        let otherForms = Set([request.rows, request.columns ?? ""].compactMap { name in name.lastIndex(of: "/").map { String(name[..<$0]) } })
        let rows = try counted(request.rows, "/rows")
        let columns: CountedField? = try request.columns.map { name throws(AmanaError) in
            name == "month" ? .month(StatisticsWords.month(actor.language)) : try counted(name, "/columns")
        }
        let from = try request.from.map { text throws(AmanaError) in try month(text, pointer: "/from") }
        let to = try request.to.map { text throws(AmanaError) in try month(text, pointer: "/to") }
        let caseTypes = definitions.plugins.values.filter { p in
            p.caseType != nil && (form.map { p.id == $0.plugin || p.uses.contains($0.id) } ?? true)
        }.compactMap(\.caseType)
        let formTitle = form?.title.text(actor.language) ?? StatisticsWords.referrals(actor.language)
        let reach = reach(scope, of: actor)
        let today = Day(clock.now())
        let kept = reportDigests
        let digests = kept.map { ReportDigestsWanted(basis: $0.basis, today: today.number) }
        let counting = StatisticsCounting(form: form, rows: rows, columns: columns, otherForms: otherForms, from: from, to: to, today: today, kept: kept)
        // Only what the table and the consent decision read is fetched and unsealed: the counted form,
        // the other forms counted by, and the forms each programme's consent policy reads; when digests
        // are kept, every form a digest holds, so that it serves any table.
        let fetched = Set(caseTypes.flatMap { consentForms(forCaseType: $0) }).union(otherForms).union(form.map { [$0.id] } ?? [])
            .union(counting.kept?.forms ?? [])
        let kinds: Set<CaseActivityRecord.Kind> = referrals ? [.conference, .referral] : [.conference]
        return try await run {
            var tally = StatisticsTally()
            var query = CaseQuery(reach: reach, caseTypes: caseTypes, limit: Kernel.statisticsPage)
            var page = try await store.reportSources(query, forms: fetched, activityKinds: kinds, digests: digests)
            while !page.isEmpty {
                // The next page is read while this one is counted, on every core.
                let full = page.count == query.limit
                query.before = page.last?.record.sequence
                let following = query
                async let next = full ? store.reportSources(following, forms: fetched, activityKinds: kinds, digests: digests) : []
                var counted = try await count(page, counting)
                await keep(counted.digests)
                counted.digests = []
                tally.add(counted)
                page = try await next
            }
            let counts = tally.counts, columnCodes = tally.columnCodes, leftOut = tally.leftOut
            let total = counts.values.flatMap(\.values).reduce(0, +)
            let detail = "form=\(request.form) rows=\(request.rows) columns=\(request.columns ?? "-")"
            guard total >= Kernel.minimumCell else {
                try await store.appendAudit(audit(actor.auditName, "statistics.read", "report", .denied, requestID: requestID, detail: detail + " too-narrow"))
                throw AmanaError.invalid(
                    "too-narrow",
                    "Fewer than \(Kernel.minimumCell) entries match: a table this narrow could point at someone. Count over a longer period, or by fewer answers.",
                    pointer: request.from != nil || request.to != nil ? "/from" : "/rows")
            }
            let rowHeadings = rows.headings(present: Set(counts.keys), language: actor.language)
            let columnHeadings = columns?.headings(present: columnCodes, language: actor.language) ?? [StatisticsTable.Heading(code: "", label: StatisticsWords.count(actor.language))]
            let matrix = rowHeadings.map { row in columnHeadings.map { counts[row.code]?[$0.code] ?? 0 } }
            let suppression = CellSuppression.apply(matrix, minimum: Kernel.minimumCell)
            func shown(_ value: Int, _ mark: CellSuppression.Mark) -> String {
                switch mark {
                case .shown: String(value)
                case .small: "<\(Kernel.minimumCell)"
                case .complementary: "x"
                }
            }
            let rowTotals = matrix.map { $0.reduce(0, +) }
            let columnTotals = columnHeadings.indices.map { c in matrix.reduce(0) { $0 + $1[c] } }
            try await store.appendAudit(audit(actor.auditName, "statistics.read", "report", requestID: requestID, detail: detail))
            return StatisticsTable(
                form: request.form, formTitle: formTitle, rowsLabel: rows.label, columnsLabel: columns?.label, rows: rowHeadings,
                columns: columnHeadings,
                cells: matrix.enumerated().map { r, line in line.enumerated().map { c, value in shown(value, suppression.cells[r][c]) } },
                rowTotals: rowTotals.enumerated().map { shown($1, suppression.rowTotals[$0]) },
                columnTotals: columnTotals.enumerated().map { shown($1, suppression.columnTotals[$0]) },
                total: String(total), leftOut: leftOut > 0 && leftOut < Kernel.minimumCell ? "<\(Kernel.minimumCell)" : String(leftOut),
                minimumCell: Kernel.minimumCell)
        }
    }

    /// A field a table may count by: marked `aggregate`, holding one answer.
    func countedField(_ name: String, of form: FormDefinition, pointer: String, language: String) throws(AmanaError) -> CountedField {
        guard let field = form.topLevelFields.first(where: { $0.id == name }) else {
            throw AmanaError.invalid("field-unknown", "The form '\(form.id)' has no field '\(name)' to count by.", pointer: pointer)
        }
        guard field.sensitivity == .aggregate else {
            throw AmanaError.invalid(
                "field-not-aggregate", "Only answers marked aggregate are counted in statistics; '\(name)' is \(field.sensitivity.rawValue).", pointer: pointer)
        }
        let label = field.label?.text(language) ?? name
        switch field.type {
        case .select, .location:
            let options = field.lookup.flatMap { definitions.lookups[$0] }?.options.filter { field.level == nil || $0.level == field.level } ?? []
            return .field(name, label, options.map { ($0.code, $0.label) })
        case .yesNo, .tick:
            return .field(name, label, [("true", Translations(["en": "Yes", "ar": "نعم"])), ("false", Translations(["en": "No", "ar": "لا"]))])
        default:
            throw AmanaError.invalid(
                "field-not-countable", "'\(name)' is a \(field.type.rawValue): a table counts by a select, a place, yes/no or a tick, one answer per entry.",
                pointer: pointer)
        }
    }

    /// Counting referrals (`form=referrals`): by the kind of help, or by where each stands.
    static let referralsSource = "referrals"

    func referralField(_ name: String, pointer: String, language: String) throws(AmanaError) -> CountedField {
        switch name {
        case "service_type":
            let options = definitions.lookups["core/service-types"]?.options ?? []
            return .field(name, language == "ar" ? "نوع الخدمة" : "Type of service", options.map { ($0.code, $0.label) })
        case "status":
            let statuses: [(String, String, String)] = [
                ("sent", "Sent, no answer yet", "أُرسلت، دون رد بعد"), ("accepted", "Accepted", "قُبلت"), ("declined", "Declined", "رُفضت"),
                ("completed", "Completed", "اكتملت"), ("no_answer", "No answer", "لا رد"),
            ]
            return .field(name, language == "ar" ? "حالة الإحالة" : "Where the referral stands", statuses.map { ($0.0, Translations(["en": $0.1, "ar": $0.2])) })
        default:
            throw AmanaError.invalid("field-unknown", "Referrals are counted by service_type or status (or month).", pointer: pointer)
        }
    }

    func month(_ text: String, pointer: String) throws(AmanaError) -> String {
        guard text.count == 7, Day(iso: text + "-01") != nil else {
            throw AmanaError.invalid("month", "Give a month as YYYY-MM, e.g. 2026-01.", pointer: pointer)
        }
        return text
    }
}

/// What a table counts by: a field's answers (with its options' labels), or the month the case was opened.
enum CountedField: Sendable {
    case field(String, String, [(code: String, label: Translations)])
    case month(String)

    var label: String {
        switch self {
        case .field(_, let label, _), .month(let label): label
        }
    }

    /// The entry's code for this dimension; "" when unanswered.
    func code(in values: [String: Value], opened: String) -> String {
        switch self {
        case .month: return opened
        case .field(let name, _, _):
            switch values[name] {
            case .text(let code)?: return code
            case .boolean(let yes)?: return yes ? "true" : "false"
            default: return ""
            }
        }
    }

    /// The headings in the lookup's order (every option, so that an empty one reads 0), then "not answered" if any.
    func headings(present: Set<String>, language: String) -> [StatisticsTable.Heading] {
        switch self {
        case .month:
            return present.sorted().map { StatisticsTable.Heading(code: $0, label: $0) }
        case .field(_, _, let options):
            var headings = options.map { StatisticsTable.Heading(code: $0.code, label: $0.label.text(language)) }
            let known = Set(options.map(\.code))
            // An answer the lookup no longer has still counts, under its code.
            headings += present.subtracting(known).subtracting([""]).sorted().map { StatisticsTable.Heading(code: $0, label: $0) }
            if present.contains("") { headings.append(StatisticsTable.Heading(code: "", label: StatisticsWords.notAnswered(language))) }
            return headings
        }
    }
}

/// The few words a statistics table needs of its own.
enum StatisticsWords {
    static func month(_ language: String) -> String { language == "ar" ? "الشهر" : "Month" }
    static func count(_ language: String) -> String { language == "ar" ? "العدد" : "Count" }
    static func notAnswered(_ language: String) -> String { language == "ar" ? "بلا إجابة" : "Not answered" }
    static func referrals(_ language: String) -> String { language == "ar" ? "الإحالات" : "Referrals" }
}
