import Foundation

#if FUZZING
/// libFuzzer's entry point (the fuzz build: `Tools/fuzz.sh`); libFuzzer provides `main`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzTarget.selected.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
/// Without libFuzzer: runs every file given (or every file in the folders given)
/// through the target, as the regression test does with `Tools/Fuzz/Corpus/`.
@main
enum Replay {
    static func main() {
        let target = FuzzTarget.selected
        var inputs: [String] = []
        for argument in CommandLine.arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []
                inputs += names.sorted().map { argument + "/" + $0 }
            } else {
                inputs.append(argument)
            }
        }
        for path in inputs {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            target.run([UInt8](data))
        }
        print("\(target.rawValue): \(inputs.count) input(s) replayed, no crash")
    }
}
#endif
