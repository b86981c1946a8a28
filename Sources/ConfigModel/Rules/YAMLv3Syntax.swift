import CLibYAML

/// yaml.v3's wording of libyaml syntax errors, which rule files get (Prometheus reads them with yaml.v3,
/// while configs use yaml.v2, whose line choice differs).
enum YAMLv3Syntax {
    /// Re-runs libyaml's parser over `input` up to its first error and words it as yaml.v3 does:
    /// `yaml: line N: PROBLEM`, N from the context mark (0-based, as v3 prints it) or else the problem
    /// mark, plus one for scanner errors. Returns nil when libyaml finds no error.
    static func error(in input: [UInt8]) -> YAMLError? {
        var bytes = input
        if bytes.isEmpty { return nil }
        return bytes.withUnsafeMutableBufferPointer { buf -> YAMLError? in
            guard let base = buf.baseAddress else { return nil }
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, base, buf.count)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    var error = describe(&parser)
                    if parser.error == YAML_READER_ERROR {
                        error.mark = mark(ofByteOffset: Int(truncatingIfNeeded: parser.problem_offset), in: input)
                    }
                    return error
                }
                let type = event.type
                yaml_event_delete(&event)
                if type == YAML_STREAM_END_EVENT { return nil }
            }
        }
    }

    /// The line and column (in scalars, counting each undecodable byte as one) of a byte offset.
    private static func mark(ofByteOffset offset: Int, in bytes: [UInt8]) -> Mark {
        var line = 1, column = 1
        for b in bytes.prefix(max(0, offset)) {
            if b == 0x0A {
                line &+= 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column &+= 1
            }
        }
        return Mark(line: line, column: column)
    }

    private static func describe(_ p: inout yaml_parser_t) -> YAMLError {
        let problem = p.problem.map { String(cString: $0) } ?? "unknown problem parsing YAML content"
        let scanner = p.error == YAML_SCANNER_ERROR
        var line = 0
        if p.context_mark.line != 0 {
            line = Int(truncatingIfNeeded: p.context_mark.line) &+ (scanner ? 1 : 0)
        } else if p.problem_mark.line != 0 {
            line = Int(truncatingIfNeeded: p.problem_mark.line) &+ (scanner ? 1 : 0)
        }
        let whereText = line != 0 ? "line \(line): " : ""
        let mark = Mark(line: Int(truncatingIfNeeded: p.problem_mark.line) &+ 1, column: Int(truncatingIfNeeded: p.problem_mark.column) &+ 1)
        return YAMLError(message: "yaml: \(whereText)\(problem)", mark: mark)
    }
}
