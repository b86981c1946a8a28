import Testing
@testable import ConfigModel

@Suite struct YAMLComposerTests {
    @Test func positionsAreOneBased() throws {
        let docs = try YAMLComposer.compose("global:\n  scrape_interval: 15s\n")
        let root = try #require(docs.first)
        let value = try #require(root["global"]?["scrape_interval"])
        #expect(value.scalarValue == "15s")
        #expect(value.mark == Mark(line: 2, column: 20))
    }

    @Test func aliasesAndMergeKeys() throws {
        let text = """
        base: &b {a: 1, b: 2}
        derived:
          <<: *b
          b: 3
        """
        let root = try #require(try YAMLComposer.compose(text).first)
        let d = try #require(root["derived"])
        #expect(d["a"]?.scalarValue == "1")
        #expect(d["b"]?.scalarValue == "3")
        #expect(d["a"]?.mark.line == 1)
    }

    @Test func yaml11Scalars() {
        #expect(YAMLScalar.resolve("yes") == .bool(true))
        #expect(YAMLScalar.resolve("off") == .bool(false))
        #expect(YAMLScalar.resolve("0o17") == .int(15))
        #expect(YAMLScalar.resolve("017") == .int(15))
        #expect(YAMLScalar.resolve("0x1F") == .int(31))
        #expect(YAMLScalar.resolve("1e3") == .float(1000))
        #expect(YAMLScalar.resolve("~") == .null)
        #expect(YAMLScalar.resolve("1_000") == .int(1000))
        #expect(YAMLScalar.resolve("15s") == .string("15s"))
        #expect(YAMLScalar.resolve("1.5.1") == .string("1.5.1"))
    }

    @Test func syntaxErrorsReadAsYAMLv2() {
        #expect(throws: YAMLError.self) { try YAMLComposer.compose("a: b: c\n") }
        do {
            _ = try YAMLComposer.compose("a:\n  b: 1\n c: 2\n")
        } catch {
            #expect(error.message.hasPrefix("yaml: line "))
            #expect(error.mark.line >= 2)
        }
    }

    @Test func deepNestingIsAnError() {
        let text = String(repeating: "[", count: 10_001) + String(repeating: "]", count: 10_001)
        #expect(throws: YAMLError(message: "yaml: exceeded max depth of 10000", mark: Mark(line: 1, column: 10_001))) {
            try YAMLComposer.compose(text)
        }
    }

    @Test func aliasBombIsAnError() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1..<12 {
            let prev = "*a\(i - 1)"
            text += "a\(i): &a\(i) [\(Array(repeating: prev, count: 10).joined(separator: ", "))]\n"
        }
        #expect(throws: YAMLError.self) { try YAMLComposer.compose(text) }
    }

    @Test func binaryGarbageIsAnError() {
        let garbage = String(decoding: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) }, as: UTF8.self)
        #expect(throws: YAMLError.self) { try YAMLComposer.compose(garbage) }
    }
}

@Suite struct DecoderTests {
    struct Plain: YAMLDecodable {
        var name = ""
        var interval = PromDuration.minutes(1)
        var count = 0
        var enabled = false
        static var goTypeName: String { "config.plain" }
        init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
            var m = decoder.mapping(node, goType: "config.plain")
            name = try m.decode("name", default: name)
            interval = try m.decode("interval", default: interval)
            count = try m.decode("count", default: count)
            enabled = try m.decode("enabled", default: enabled)
            m.finish()
        }
    }

    func decode(_ text: String) throws -> Plain {
        let root = try #require(try YAMLComposer.compose(text).first)
        return try YAMLDecoder().decodeDocument(Plain.self, from: root)
    }

    @Test func unknownFieldsAreCollectedInDocumentOrder() throws {
        do {
            _ = try decode("nmae: x\ncount: abc\nenabled: yes\n")
            Issue.record("expected an error")
        } catch let e as ConfigError {
            #expect(e.message == "yaml: unmarshal errors:\n  line 1: field nmae not found in type config.plain\n  line 2: cannot unmarshal !!str `abc` into int")
            #expect(e.mark == Mark(line: 1, column: 1))
        }
    }

    @Test func repeatedFieldIsAnError() throws {
        #expect(throws: ConfigError.self) { try decode("name: a\nname: b\n") }
    }

    @Test func durationsFollowPrometheus() throws {
        #expect(PromDuration.parse("1h30m") == .success(PromDuration(milliseconds: 5_400_000)))
        #expect(PromDuration.parse("1w") == .success(PromDuration(milliseconds: 604_800_000)))
        #expect(PromDuration.parse("500ms") == .success(PromDuration(milliseconds: 500)))
        #expect(PromDuration.parse("1.5m") == .failure(ConfigError("unknown unit \".\" in duration \"1.5m\"")))
        #expect(PromDuration.parse("1m1h") == .failure(ConfigError("not a valid duration string: \"1m1h\"")))
        #expect(PromDuration(milliseconds: 5_400_000).description == "1h30m")
        #expect(throws: ConfigError("not a valid duration string: \"fast\"", at: Mark(line: 1, column: 11))) { try decode("interval: fast\n") }
    }

    @Test func secretsNeverPrint() {
        let s = Secret("hunter2")
        #expect("\(s)" == "<secret>")
        #expect(String(reflecting: s) == "<secret>")
    }
}

@Suite struct YAMLInputLimitTests {
    @Test func oversizedInputIsOneFastError() {
        let big = [UInt8](repeating: UInt8(ascii: "#"), count: YAMLComposer.maxInputBytes + 1)
        do {
            _ = try YAMLComposer.compose(bytes: big)
            Issue.record("expected the size limit to apply")
        } catch {
            #expect(error.message.contains("larger than the"))
            #expect(error.mark == Mark(line: 1, column: 1))
        }
    }
}

@Suite struct YAMLReaderErrorPositionTests {
    @Test func invalidUTF8IsReportedWhereItIs() {
        let bytes = Array("global:\n  external_labels:\n    a: \"".utf8) + [0xFF, 0xFE] + Array("\"\n".utf8)
        do {
            _ = try YAMLComposer.compose(bytes: bytes)
            Issue.record("expected invalid UTF-8 to be rejected")
        } catch {
            #expect(error.message == "yaml: invalid leading UTF-8 octet")
            #expect(error.mark == Mark(line: 3, column: 9))
        }
    }
}
