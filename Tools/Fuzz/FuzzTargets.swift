import AmanaCore
import Dispatch
import FormKit
import Foundation
import Identity
import Kernel
import VaultSodium

/// What `amana-fuzz` feeds its input to: the readers of untrusted bytes. Each
/// must answer with an error, never crash, hang or read out of bounds (the fuzz
/// build runs under AddressSanitizer).
///
/// - `definitions`: a form definition file, through the whole plugin loader.
/// - `expression`: an expression (show_if, required_if, calculated), parsed,
///   type-checked and evaluated.
/// - `submission`: a JSON body, decoded and validated against shipped forms.
/// - `transfer`: a transfer package, imported by a case manager of a real install.
/// - `json`: AmanaCore's JSON reader (every sealed answer goes through it): a value
///   or an error, and a value written back reads the same.
enum FuzzTarget: String, CaseIterable {
    case definitions, expression, submission, transfer, json

    static var selected: FuzzTarget {
        let name = ProcessInfo.processInfo.environment["AMANA_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("Set AMANA_FUZZ_TARGET to one of: \(allCases.map(\.rawValue).joined(separator: ", ")).\n".utf8))
            exit(2)
        }
        return target
    }

    func run(_ bytes: [UInt8]) {
        switch self {
        case .definitions: Definitions.shared.load(bytes)
        case .expression: Expressions.run(bytes)
        case .submission: Submissions.shared.validate(bytes)
        case .transfer: Transfers.shared.importPackage(bytes)
        case .json: JSONRoundTrip.run(bytes)
        }
    }
}

/// Any bytes give a JSON value or an error; a value, written and read again, is the same value.
enum JSONRoundTrip {
    static func run(_ bytes: [UInt8]) {
        guard let value = try? JSONValue(parsing: bytes) else { return }
        guard let again = try? JSONValue(parsing: value.encoded()), again == value else {
            fatalError("a JSON value written back reads differently")
        }
    }
}

/// The shipped definitions: `AMANA_SHIPPED_DIR`, or found from the executable (a build in the tree).
func shippedRoot() -> String {
    do { return try ShippedContent.locate() } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        exit(2)
    }
}

/// A scratch directory of this process, on tmpfs when there is one (the transfer
/// target writes its audit entries with fsync).
func scratchDirectory(_ name: String) -> String {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    let path = "\(base)/amana-fuzz-\(name)-\(getpid())"
    try? FileManager.default.removeItem(atPath: path)
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A plugin loaded (parsed, checked, cross-checked) as any is, with the input as one of its
/// files: a first byte 1 puts the rest in a case plugin's workflow, 2 in its consent policy
/// (that plugin's other files are the GBV programme's, loaded with the core forms, so that
/// cross-references have something to meet); anything else, a YAML file as it is, is the
/// one form of a plugin of its own (fast: most inputs are forms).
final class Definitions: @unchecked Sendable {
    static let shared = Definitions()
    let formRoots: [String]
    let caseRoots: [String]
    let form: String
    let workflow: String
    let policy: String
    let originals: (workflow: Data, policy: Data)

    init() {
        let shipped = shippedRoot()
        let root = scratchDirectory("definitions")
        let languages = "languages:\n  - {code: en, name: English, direction: ltr}\n  - {code: ar, name: Arabic, direction: rtl}\n"
        let lookups = "id: t/kinds\ntitle: {en: Kinds, ar: أنواع}\noptions:\n  - {code: a, label: {en: A, ar: أ}}\n  - {code: b, label: {en: B, ar: ب}}\n"
        let gbv = shipped + "/Plugins/gbv"
        let copy = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        let plugins: [String: [String: String]] = [
            "forms/t": [
                "plugin.yaml": "id: t\nversion: 1.0.0\nkernel: \">=1.0\"\ntitle: {en: Test, ar: اختبار}\nuses: []\nforms: [forms/*.yaml]\nlookups: [lookups/*.yaml]\n",
                "i18n/languages.yaml": languages, "lookups/kinds.yaml": lookups, "forms/form.yaml": "",
            ],
            "cases/c": [
                "plugin.yaml": "id: c\nversion: 1.0.0\nkernel: \">=1.0\"\ntitle: {en: Test, ar: اختبار}\ncase_type: c\nuses: [core/registration, core/consent, core/case-plan, core/closure]\nforms: []\nworkflow: workflows/w.yaml\nconsent_policy: policies/p.yaml\nneed_to_know: [case_worker]\n",
                "i18n/languages.yaml": languages, "workflows/w.yaml": copy(gbv + "/workflows/gbv-case.yaml"), "policies/p.yaml": copy(gbv + "/policies/consent.yaml"),
            ],
        ]
        for (plugin, files) in plugins {
            for (name, text) in files {
                let path = "\(root)/\(plugin)/\(name)"
                try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try? text.write(toFile: path, atomically: true, encoding: .utf8)
            }
        }
        formRoots = [root + "/forms"]
        caseRoots = [shipped + "/FormDefinitions", root + "/cases"]
        form = root + "/forms/t/forms/form.yaml"
        workflow = root + "/cases/c/workflows/w.yaml"
        policy = root + "/cases/c/policies/p.yaml"
        originals = (Data(copy(workflow).utf8), Data(copy(policy).utf8))
    }

    func load(_ bytes: [UInt8]) {
        switch bytes.first {
        case 1?, 2?:
            let content = Data(bytes.dropFirst())
            _ = FileManager.default.createFile(atPath: workflow, contents: bytes.first == 1 ? content : originals.workflow)
            _ = FileManager.default.createFile(atPath: policy, contents: bytes.first == 2 ? content : originals.policy)
            _ = DefinitionLoader.load(roots: caseRoots)
        default:
            _ = FileManager.default.createFile(atPath: form, contents: Data(bytes))
            _ = DefinitionLoader.load(roots: formRoots)
        }
    }
}

enum Expressions {
    static let fields: [String: ValueType] = ["age": .number, "name": .text, "consented": .boolean, "born": .date, "kinds": .list(.text), "people": .rows]
    static let values: [String: Value] = ["age": .number(14), "name": .text("x"), "consented": .boolean(true), "kinds": .list([.text("a")])]

    static func run(_ bytes: [UInt8]) {
        guard let source = String(bytes: bytes, encoding: .utf8), let expression = try? Expression.parse(source) else { return }
        _ = TypeChecker(fields: fields).check(expression)
        _ = expression.evaluate(in: EvaluationContext(values: values, today: Day(number: 20_000)))
    }
}

/// A JSON body against shipped forms; the first byte picks the form.
final class Submissions: @unchecked Sendable {
    static let shared = Submissions()
    let validators: [SubmissionValidator]

    init() {
        let root = shippedRoot()
        let catalog = DefinitionLoader.load(roots: [root + "/FormDefinitions", root + "/Plugins"])
        validators = ["core/registration", "gbv/incident", "core/case-plan", "core/consent", "child-protection/best-interests-assessment"]
            .compactMap { catalog.validator(for: $0) }
        precondition(validators.count >= 3, "the shipped forms did not load")
    }

    func validate(_ bytes: [UInt8]) {
        guard let first = bytes.first,
              let values = try? JSONDecoder().decode([String: SubmittedValue].self, from: Data(bytes.dropFirst())) else { return }
        _ = validators[Int(first) % validators.count].validate(values, today: Day(number: 20_000), language: first & 1 == 0 ? "en" : "ar")
    }
}

/// A real install (its own keys) and a case manager who imports whatever arrives.
///
/// An even first byte: the rest is the package file as it arrives (a stranger's bytes:
/// refused at the envelope, the address or the signature). An odd one: the rest is the
/// sealed content, which this harness seals to the install and signs as a known sender,
/// so that what lies behind the signature (the payload's forms and answers) is fuzzed too.
final class Transfers: @unchecked Sendable {
    static let shared = Transfers()
    let kernel: Kernel
    let actor: Identity.Actor
    let sender: InstallIdentity
    var count = 0

    init() {
        let scratch = scratchDirectory("transfer")
        let layout = InstallLayout(directory: scratch + "/data")
        let root = shippedRoot()
        do { sender = try InstallIdentity.loadOrCreate(at: scratch + "/sender.key") } catch { fatalError("no sender identity: \(error)") }
        (kernel, actor) = blocking {
            do {
                _ = try await Kernel.initialize(layout, agencyCode: "FUZZ", shippedDirectory: root, fastPasswordHashing: true)
                let kernel = try Kernel.open(layout, shippedDirectory: root, fastPasswordHashing: true)
                _ = try await kernel.addUser(NewUser(username: "huda", role: "case_manager", password: "a long enough password"), by: .installOperator, requestID: "fuzz")
                let actor = try await kernel.signIn(username: "huda", password: "a long enough password", requestID: "fuzz").actor
                return (kernel, actor)
            } catch {
                fatalError("the fuzz install could not be made: \(error)")
            }
        }
    }

    func importPackage(_ bytes: [UInt8]) {
        guard let mode = bytes.first else { return }
        let rest = Array(bytes.dropFirst())
        let (kernel, actor) = (kernel, actor)
        if mode & 1 == 0 {
            blocking { _ = try? await kernel.importTransferPackage(rest, expectedSender: "any", actor: actor, requestID: "fuzz") }
            return
        }
        count += 1
        let package = signedPackage(content: rest, id: String(format: "%032x", count))
        let fingerprint = sender.publicKey.fingerprint
        let outcome = blocking { () -> String in
            do {
                return "imported \(try await kernel.importTransferPackage(package, expectedSender: fingerprint, actor: actor, requestID: "fuzz").caseNumber)"
            } catch {
                return "refused: \((error as? AmanaError)?.code ?? "\(error)")"
            }
        }
        // For whoever writes seeds: how far each got (AMANA_FUZZ_VERBOSE=1 with the replay build).
        if ProcessInfo.processInfo.environment["AMANA_FUZZ_VERBOSE"] != nil { print(outcome) }
    }

    /// The content as a package from ``sender`` to this install. If it is a JSON object, the
    /// names it must repeat (package id, sender, recipient) are put right, as a real sender would.
    func signedPackage(content: [UInt8], id: String) -> [UInt8] {
        let recipient = kernel.installPublicKey.text
        var payload = content
        if var object = (try? JSONSerialization.jsonObject(with: Data(content))) as? [String: Any] {
            object["packageID"] = id
            object["sender"] = sender.publicKey.text
            object["recipient"] = recipient
            payload = (try? JSONSerialization.data(withJSONObject: object)).map { [UInt8]($0) } ?? content
        }
        guard let sealed = try? InstallIdentity.seal(payload, to: kernel.installPublicKey) else { return [] }
        let fields = ["amana-transfer-v1", id, sender.publicKey.text, recipient, "2026-11-20T10:00:00Z", Base64URL.encode(sealed)]
        let signature = sender.sign(Array(fields.joined(separator: "\n").utf8))
        let envelope: [String: String] = [
            "format": fields[0], "package_id": id, "sender": fields[2], "recipient": recipient, "created_at": fields[4],
            "sealed": fields[5], "signature": Base64URL.encode(signature),
        ]
        return (try? JSONSerialization.data(withJSONObject: envelope)).map { [UInt8]($0) } ?? []
    }
}

/// Runs async work to completion from libFuzzer's synchronous callback.
func blocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        box.value = await body()
        done.signal()
    }
    done.wait()
    return box.value!
}

/// Where the async work leaves its result for the waiting thread (written before the semaphore is signalled).
final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
