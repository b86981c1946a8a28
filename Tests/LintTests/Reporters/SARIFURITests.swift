import Foundation
import Testing
@testable import Lint

/// SARIF artifact URIs are percent-encoded as Foundation's `urlPathAllowed` (without `:`) did.
@Suite struct SARIFURITests {
    static func foundationURI(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: ":")
        let encoded = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }

    @Test func everyASCIICharacterIsEncodedAsBefore() {
        for b in UInt8(1)...UInt8(127) {
            let path = "dir/a" + String(UnicodeScalar(b)) + "b.yml"
            #expect(SARIFReporter.uri(path) == Self.foundationURI(path), "byte \(b)")
        }
    }

    @Test(arguments: ["rules/a b.yml", "/abs/path/r.yml", "ünï/r%1:2.yml", "c:/x.yml", "😀;#?[]{}.yml", "", "/",
                      "a\u{0}b", "\u{301}e\u{2028}"])
    func pathsAreEncodedAsBefore(_ path: String) {
        #expect(SARIFReporter.uri(path) == Self.foundationURI(path))
    }
}
