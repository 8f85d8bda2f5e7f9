import AmanaCore
import Foundation
import Kernel

/// The generated caseload: people with Arabic and Latin names, of both sexes and
/// all ages, from every governorate, most of them agreeing to anonymous reports,
/// registered with the shipped registration form (plus an organisation's 17
/// questions) and the consent form. Deterministic: case `n` of seed `s` is the
/// same person on every run, whatever order the cases are made in.
struct SyntheticCaseload {
    let seed: UInt64
    let day: String

    static let arabicGiven = [
        "فاطمة", "مريم", "زينب", "عائشة", "نور", "هدى", "سارة", "ليلى", "رنا", "آمنة", "خديجة", "سلمى", "ياسمين", "دعاء", "رقية",
        "أحمد", "محمد", "علي", "حسن", "عمر", "يوسف", "خالد", "سامر", "كريم", "طارق", "إبراهيم", "مصطفى", "حسين", "عبدالله", "بلال",
    ]
    static let arabicFamily = [
        "الحسن", "العلي", "الخطيب", "النجار", "الحداد", "السيد", "الشامي", "المصري", "العبدالله", "الأحمد", "الزين", "القاسم", "الرفاعي",
        "الحلبي", "البغدادي", "الموصلي", "الجبوري", "الدليمي", "التميمي", "الشمري", "العبيدي", "الكردي", "الصالح", "الخليل", "يونس",
    ]
    static let latinGiven = [
        "Amina", "Fatima", "Grace", "Esther", "Mariam", "Nadia", "Rose", "Aisha", "Joy", "Halima", "Sara", "Leila",
        "John", "Ahmed", "Samuel", "Omar", "Daniel", "Yusuf", "Peter", "Ali", "Joseph", "Hassan", "David", "Karim",
    ]
    static let latinFamily = [
        "Haddad", "Mansour", "Okello", "Nkurunziza", "Mohamed", "Abdi", "Hussein", "Kamara", "Diallo", "Traore", "Mwangi", "Osman",
        "Juma", "Achieng", "Yusuf", "Farah", "Ibrahim", "Salem", "Nasser", "Bakr", "Aziz", "Rahman", "Khalil", "Saleh",
    ]
    static let governorates = ["gov_amber", "gov_coral"]
    static let displacement = ["host_community", "idp", "refugee_asylum", "returnee", "migrant"]
    static let sexes = ["female", "female", "female", "male", "other", "not_disclosed"]

    /// A generator for case `index`: the same numbers for the same case, on any lane.
    private func generator(_ index: Int) -> SplitMix64 { SplitMix64(seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15) }

    /// A phone number no other case has: what the search benchmark looks up.
    static func phone(_ index: Int) -> String { String(format: "0770 %07d", index) }

    func person(_ index: Int) -> ImportedCase {
        var random = generator(index)
        let arabic = random.next() % 2 == 0
        let given = arabic ? Self.arabicGiven.randomElement(using: &random)! : Self.latinGiven.randomElement(using: &random)!
        let family = arabic ? Self.arabicFamily.randomElement(using: &random)! : Self.latinFamily.randomElement(using: &random)!
        let sex = Self.sexes.randomElement(using: &random)!
        let age = 18 + Int(random.next() % 50)
        var registration = DemoAnswers.registration(day: day, givenName: given, familyName: family, phone: Self.phone(index), sex: sex, age: age)
        registration["governorate"] = .string(Self.governorates.randomElement(using: &random)!)
        registration["displacement_status"] = .string(Self.displacement.randomElement(using: &random)!)
        for n in 1...CaseBenchmarks.extraFields {
            registration["org_item_\(n)"] = n % 3 == 0 ? .string(["yes", "no", "unknown"].randomElement(using: &random)!) : .string("Organisation answer \(n) for case \(index)")
        }
        // Most people agree to anonymous reports; some agree to services only.
        let scopes = random.next() % 10 < 8 ? ["services", "referral", "information_sharing", "reporting"] : ["services"]
        return ImportedCase(caseType: "gbv", entries: [
            .init(formID: "core/registration", values: registration),
            .init(formID: "core/consent", values: DemoAnswers.consent(day: day, scopes: scopes)),
        ])
    }
}
