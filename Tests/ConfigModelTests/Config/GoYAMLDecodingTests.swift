import Testing
@testable import ConfigModel

private func configError(_ yaml: String) -> String? {
    do {
        _ = try PrometheusConfig.parse(yaml, environment: { _ in nil })
        return nil
    } catch {
        return error.message
    }
}

/// Configs decoded as go.yaml.in/yaml v2.4 decodes them (issue 16; reproducers in the mutdiff findings).
@Suite struct GoYAMLDecodingTests {
    private static let job = "scrape_configs:\n  - job_name: j\n"

    /// diffs/02: floats, infinities and values past int64 in integer fields.
    @Test func numberResolutionIntoIntegerFields() {
        #expect(configError(Self.job + "    sample_limit: -9223372036854775809\n") == nil)
        #expect(configError(Self.job + "    sample_limit: 18446744073709551615\n") == nil)
        #expect(configError(Self.job + "    sample_limit: -.inf\n") == nil)
        #expect(configError(Self.job + "    sample_limit: 1.5\n") == nil)
        #expect(configError(Self.job + "    label_limit: 1e309\n")
                == "yaml: unmarshal errors:\n  line 3: cannot unmarshal !!str `1e309` into uint")
        #expect(configError(Self.job + "    sample_limit: .nan\n")
                == "yaml: unmarshal errors:\n  line 3: cannot unmarshal !!float `.nan` into uint")
        // 2^64 as a float is not above math.MaxUint64 (rounded), and converts to 0 as Go does on amd64.
        #expect(configError(Self.job + "    sample_limit: 18446744073709551616\n") == nil)
        #expect(YAMLScalar.resolve("9223372036854775808") == .uint(9_223_372_036_854_775_808))
        #expect(YAMLScalar.resolve("1e309") == .string("1e309"))
    }

    /// diffs/08: the Go type names go-yaml prints.
    @Test func goTypeNames() {
        #expect(configError(Self.job + "    basic_auth:\n      username: u\n      password: {a: b}\n")
                == "yaml: unmarshal errors:\n  line 5: cannot unmarshal !!map into config.plain")
        #expect(configError(Self.job + "    relabel_configs:\n      - source_labels: [[a]]\n        target_label: b\n")
                == "yaml: unmarshal errors:\n  line 4: cannot unmarshal !!seq into string")
        #expect(configError(Self.job + "    static_configs: 5\n")
                == "yaml: unmarshal errors:\n  line 3: cannot unmarshal !!int `5` into []*targetgroup.Group")
    }

    /// A null source label (`[~]`, or an anchor on nothing) never reaches LabelName's unmarshaller.
    @Test func nullSourceLabelIsNotValidated() {
        #expect(configError(Self.job + "    relabel_configs:\n      - source_labels: [~]\n        target_label: x\n") == nil)
        #expect(configError(Self.job + "    relabel_configs:\n      - source_labels: [&a]\n        target_label: x\n") == nil)
        #expect(configError(Self.job + "    relabel_configs:\n      - source_labels: ['']\n        target_label: x\n") == "\"\" is not a valid label name")
    }

    /// diffs/11: explicit tags are resolved on decoded scalars, and only there.
    @Test func explicitTags() {
        #expect(configError("global:\n  scrape_interval: !!null 15s\n") == "yaml: cannot decode !!str `15s` as a !!null")
        #expect(configError("global:\n  scrape_interval: !!int 15s\n") == "yaml: cannot decode !!str `15s` as a !!int")
        #expect(configError("global:\n  scrape_interval: !!str 15s\n") == nil)
        #expect(configError(Self.job + "    sample_limit: !!float 5\n") == nil)
        #expect(configError("rule_files: !!int abc\n") == "yaml: cannot decode !!str `abc` as a !!int")
    }

    /// yaml.v2 decodes each key into the field name first: a null key is the empty name (an unknown field),
    /// `!!binary` is decoded, a tag that does not fit the key fails the decode.
    @Test func keysDecodedAsYAMLv2Does() {
        #expect(configError("global: {scrape_interval: 1m, ~: 3}\n") == "yaml: unmarshal errors:\n  line 1: field  not found in type config.plain")
        #expect(configError("!!binary Z2xvYmFs: {}\n") == nil)
        #expect(configError("global:\n  !!null x: 3\n") == "yaml: cannot decode !!str `x` as a !!null")
        // A null label name reaches no unmarshaller, so it is not validated; `Null` is.
        let labels = Self.job + "    static_configs:\n      - targets: [a:1]\n        labels:\n"
        #expect(configError(labels + "          ~: x\n") == nil)
        #expect(configError(labels + "          !!null : x\n") == nil)
        #expect(configError(labels + "          Null: x\n") == "\"\" is not a valid label name")
    }

    /// diffs/12, 13: a collection where a string is due.
    @Test func collectionsWhereStringsAreDue() {
        #expect(configError(Self.job + "    static_configs:\n      - ? targets: ['localhost:9090']\n")
                == "yaml: unmarshal errors:\n  line 4: cannot unmarshal !!map into string")
        #expect(configError("scrape_configs:\n  - job_name: h\n    hetzner_sd_configs:\n      - role: {}\n")
                == "yaml: unmarshal errors:\n  line 4: cannot unmarshal !!map into string")
    }

    /// diffs/09, 20: prometheus/common v0.70's ParseDuration texts, wherever durations are read.
    @Test(arguments: [
        ("\"\"", "empty duration string"),
        ("1.5m", "unknown unit \".\" in duration \"1.5m\""),
        ("5M", "unknown unit \"M\" in duration \"5M\""),
        ("1µs", "unknown unit \"µs\" in duration \"1µs\""),
        ("1m1h", "not a valid duration string: \"1m1h\""),
        ("1h1h", "not a valid duration string: \"1h1h\""),
        ("m", "not a valid duration string: \"m\""),
        ("5", "not a valid duration string: \"5\""),
        ("18446744073709551616s", "not a valid duration string: \"18446744073709551616s\""),
        ("99999999999999999999y", "not a valid duration string: \"99999999999999999999y\""),
        ("300y", "duration out of range"),
        ("292y25w", "duration out of range"),
    ])
    func durationTexts(value: String, message: String) {
        #expect(configError("global:\n  scrape_interval: \(value)\n") == message)
        let rules = RuleFile.load("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: \(value)\n")
        #expect(rules.errors.map(\.message) == [message, message])
    }

    @Test func validDurations() {
        #expect(PromDuration.parse("292y") == .success(PromDuration(milliseconds: 292 * 365 * 86_400_000)))
        let days: Int64 = 365 + 14 + 3
        let seconds: Int64 = ((days * 24 + 4) * 60 + 5) * 60 + 6
        #expect(PromDuration.parse("1y2w3d4h5m6s7ms") == .success(PromDuration(milliseconds: seconds * 1000 + 7)))
    }
}

@Suite struct GoYAMLRepeatedFieldTests {
    /// yaml.v2 strict mode: a repeated known field is `already set`, a repeated unknown one `not found` again.
    @Test func repeatedUnknownFieldIsNotFoundAgain() {
        #expect(configError("global:\n  scrape_interval: 1m\na-b: 1\na-b: 2\nglobal: {}\n")
                == "yaml: unmarshal errors:\n  line 3: field a-b not found in type config.plain\n  line 4: field a-b not found in type config.plain\n  line 5: field global already set in type config.plain")
    }
}
