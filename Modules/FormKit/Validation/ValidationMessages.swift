/// The validator's own messages, in every shipped language. A form's
/// `message` (for `valid_if` and `pattern`) takes precedence.
enum ValidationMessages {
    static let texts: [String: [String: String]] = [
        "required": ["en": "This field is required.", "ar": "هذا الحقل مطلوب."],
        "unknown-field": ["en": "This form has no such field.", "ar": "لا يحتوي هذا النموذج على هذا الحقل."],
        "wrong-type": ["en": "Expected {expected}, not {actual}.", "ar": "المتوقع {expected}، وليس {actual}."],
        "not-a-whole-number": ["en": "Enter a whole number.", "ar": "أدخل عددًا صحيحًا."],
        "not-a-date": ["en": "Enter a date as YYYY-MM-DD.", "ar": "أدخل التاريخ بالصيغة YYYY-MM-DD."],
        "not-a-datetime": ["en": "Enter a date and time as YYYY-MM-DDThh:mm:ssZ.", "ar": "أدخل التاريخ والوقت بالصيغة YYYY-MM-DDThh:mm:ssZ."],
        "too-small": ["en": "The smallest value allowed is {limit}.", "ar": "أصغر قيمة مسموح بها هي {limit}."],
        "too-large": ["en": "The largest value allowed is {limit}.", "ar": "أكبر قيمة مسموح بها هي {limit}."],
        "too-early": ["en": "The earliest date allowed is {limit}.", "ar": "أقدم تاريخ مسموح به هو {limit}."],
        "too-late": ["en": "The latest date allowed is {limit}.", "ar": "آخر تاريخ مسموح به هو {limit}."],
        "in-the-future": ["en": "This date cannot be in the future.", "ar": "لا يمكن أن يكون هذا التاريخ في المستقبل."],
        "too-short": ["en": "Enter at least {limit} characters.", "ar": "أدخل {limit} حرفًا على الأقل."],
        "too-long": ["en": "Enter at most {limit} characters.", "ar": "أدخل {limit} حرفًا على الأكثر."],
        "pattern": ["en": "This value does not have the expected form.", "ar": "هذه القيمة ليست بالشكل المتوقع."],
        "not-an-option": ["en": "This is not one of the options.", "ar": "هذا ليس من الخيارات المتاحة."],
        "wrong-level": ["en": "Choose a place at the level '{limit}'.", "ar": "اختر مكانًا على مستوى '{limit}'."],
        "too-few-items": ["en": "Choose at least {limit}.", "ar": "اختر {limit} على الأقل."],
        "too-many-items": ["en": "Choose at most {limit}.", "ar": "اختر {limit} على الأكثر."],
        "duplicate-item": ["en": "An option is chosen twice.", "ar": "تم اختيار خيار مرتين."],
        "too-few-rows": ["en": "Add at least {limit} rows.", "ar": "أضف {limit} صفوف على الأقل."],
        "too-many-rows": ["en": "Add at most {limit} rows.", "ar": "أضف {limit} صفوف على الأكثر."],
        "must-be-ticked": ["en": "This must be ticked.", "ar": "يجب وضع علامة على هذا."],
        "invalid": ["en": "This value is not valid.", "ar": "هذه القيمة غير صالحة."],
    ]

    static func text(_ code: String, _ language: String, _ parameters: [String: String] = [:]) -> String {
        let table = texts[code] ?? texts["invalid"]!
        var text = table[language] ?? table["en"]!
        for (key, value) in parameters { text = text.replacingOccurrences(of: "{\(key)}", with: value) }
        return text
    }
}

import Foundation
