/// The validator's own messages, read from `FormDefinitions/i18n/messages.yaml`
/// so that adding a language needs no code. A form's `message` (for
/// `valid_if` and `pattern`) takes precedence.
public struct ValidationMessages: Sendable, Equatable {
    /// Every code the validator reports; the messages file must give each.
    public static let codes = [
        "required", "unknown-field", "wrong-type", "not-a-whole-number", "not-a-date", "not-a-datetime", "too-small", "too-large",
        "too-early", "too-late", "in-the-future", "too-short", "too-long", "pattern", "not-an-option", "wrong-level", "too-few-items",
        "too-many-items", "duplicate-item", "too-few-rows", "too-many-rows", "must-be-ticked", "invalid",
    ] + attachmentCodes + workflowCodes + consentCodes

    /// Why an `attachment` answer is refused (checked by the Kernel, which knows the case's files).
    public static let attachmentCodes = ["attachment-unknown", "attachment-not-accepted", "attachment-too-large"]

    /// Why a workflow transition cannot be made (module Workflow's `Blocker`):
    /// kept in the same file so that a language is added in one place.
    public static let workflowCodes = [
        "workflow.role", "workflow.form-missing", "workflow.form-incomplete", "workflow.consent-missing",
        "workflow.approval-needed", "workflow.approval-pending", "workflow.case-conference-needed",
    ]

    /// What is still missing before an act is allowed (module Consent's `ConsentRequirement`).
    public static let consentCodes = [
        "consent.age-unknown", "consent.agreement", "consent.renewal", "consent.refused", "consent.case-conference", "consent.approval", "consent.or", "consent.exception-withheld", "consent.agreement-fixed", "consent.withdrawal-kept", "consent.assent-for-adult",
        "consent.adult-as-child", "consent.renewal-task",
    ]

    public var texts: [String: Translations]

    public init(_ texts: [String: Translations]) { self.texts = texts }

    /// The message in `language` (English when missing), with `{name}` parameters filled in.
    /// Without a messages file the code itself is shown: never an empty message.
    public func text(_ code: String, _ language: String, _ parameters: [String: String] = [:]) -> String {
        guard let table = texts[code] ?? texts["invalid"] else { return code }
        let text = table.text(language)
        return parameters.isEmpty ? text : Self.fill(text, parameters)
    }

    /// `template` with each `{name}` of `parameters` replaced by its value, in one pass: a value
    /// is never read as a template itself, and no text is bridged to Foundation (a case's view
    /// words every blocked step, and `replacingOccurrences` was most of that).
    /// A `{name}` not among the parameters is left as written.
    static func fill(_ template: String, _ parameters: [String: String]) -> String {
        var filled = ""
        filled.reserveCapacity(template.utf8.count)
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            filled += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "}"), let value = parameters[String(rest[afterOpen..<close])] else {
                filled.append("{")
                rest = rest[afterOpen...]
                continue
            }
            filled += value
            rest = rest[rest.index(after: close)...]
        }
        filled += rest
        return filled
    }
}
