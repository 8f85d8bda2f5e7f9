import Testing
@testable import Vault
@testable import VaultSodium

@Suite("Blind index and its normalisation")
struct BlindIndexTests {
    let vault = try! SodiumVault(masterKey: GuardedBytes.random(count: 32))

    @Test(arguments: [
        ("Hana  Demo", "hana demo"),
        ("  ＨＡＮＡ\tdemo ", "hana demo"),  // full-width letters (NFKC), tabs, padding
        ("أحمد", "احمد"), ("إيمان", "ايمان"), ("آمنة", "امنه"),  // alef variants, ta marbuta
        ("مُحَمَّد", "محمد"),  // harakat
        ("مصطفى", "مصطفي"), ("علـــي", "علي"),  // alef maqsura, tatweel
        ("0770 123-4567", "07701234567"), ("٠٧٧٠١٢٣٤٥٦٧", "(0770) 123 4567"), ("۰۷۷۰ ۱۲۳ ۴۵۶۷", "0770.123.4567"),  // phone numbers
    ])
    func spellingsOfOneNameMatch(pair: (String, String)) {
        #expect(SearchNormaliser.normalise(pair.0) == SearchNormaliser.normalise(pair.1))
        #expect(vault.blindIndex(pair.0, field: "name") == vault.blindIndex(pair.1, field: "name"))
    }

    /// Plain ASCII is folded without ICU: to exactly what Foundation folds it to, every character
    /// of it (a blind index computed the other way would no longer be found).
    @Test func asciiIsFoldedAsFoundationFoldsIt() {
        let every = String(decoding: Array(0x01...0x7F).map { UInt8($0) }, as: UTF8.self)
        #expect(SearchNormaliser.asciiFolded(every) == SearchNormaliser.foundationFolded(every))
        for name in ["Hana DEMO", "O'Brien-Smith", "Ahmed\tAli", "ZAYNAB", "Iman IBRAHIM"] {
            #expect(SearchNormaliser.asciiFolded(name) == SearchNormaliser.foundationFolded(name))
        }
    }

    /// The same for a phone number's digits: ASCII is read without Foundation, and must find
    /// what Foundation finds, trimmed spaces, separators and a leading + included.
    @Test func asciiPhoneNumbersAreReadAsFoundationReadsThem() {
        let alphabet = Array("0123456789 -.()/+\t\na#")
        var state: UInt64 = 7
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        var samples = ["+964 770-123", " 0770 123 4567\n", "(0770) 123.45/67", "+ 123456", "12+3456789", "\t+9647701234\r\n", "12 34", "", "+"]
        for _ in 0..<2_000 { samples.append(String((0..<(6 + next() % 12)).map { _ in alphabet[next() % alphabet.count] })) }
        for sample in samples {
            #expect(SearchNormaliser.asciiPhoneDigits(sample) == SearchNormaliser.foundationPhoneDigits(sample), "\(sample.debugDescription)")
        }
    }

    @Test func differentNamesDoNotMatch() {
        #expect(vault.blindIndex("Hana", field: "name") != vault.blindIndex("Hanan", field: "name"))
        #expect(vault.blindIndex("سامي", field: "name") != vault.blindIndex("سامر", field: "name"))
    }

    @Test func phoneNumbersKeepTheirDigitsOnly() {
        #expect(SearchNormaliser.normalise("+964 770-123") == "964770123")
        // Not a phone number: short, or words among the digits.
        #expect(SearchNormaliser.normalise("12 34") == "12 34")
        #expect(SearchNormaliser.normalise("Block 7, 1234567") == "block 7, 1234567")
        #expect(vault.blindIndex("0770 123 4567", field: "phone") == vault.blindIndex("٠٧٧٠١٢٣٤٥٦٧", field: "phone"))
    }

    @Test func theSameValueInTwoFieldsHasTwoIndexes() {
        #expect(vault.blindIndex("0790", field: "phone") != vault.blindIndex("0790", field: "name"))
    }

    @Test func indexesDependOnTheInstallsKey() throws {
        let other = try SodiumVault(masterKey: GuardedBytes.random(count: 32))
        #expect(vault.blindIndex("Hana", field: "name") != other.blindIndex("Hana", field: "name"))
        #expect(vault.blindIndex("Hana", field: "name").count == 32)
    }
}
