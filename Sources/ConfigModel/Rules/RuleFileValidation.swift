import GoCompat

/// Why an expression did not parse, as the PromQL parser words it (`1:6: parse error: ...`).
public struct RuleExpressionFailure: Sendable, Equatable {
    /// The parser's error text, printed after `could not parse expression: `.
    public var message: String
    /// UTF-8 byte offset in the expression where the problem starts, when the parser knows.
    public var byteOffset: Int?

    public init(message: String, byteOffset: Int? = nil) {
        self.message = message
        self.byteOffset = byteOffset
    }
}

/// Why a label or annotation template did not parse (`template: __alert_X:1: ...`).
public struct RuleTemplateFailure: Sendable, Equatable {
    public var message: String
    /// UTF-8 byte offset in the label or annotation value, when known.
    public var byteOffset: Int?

    public init(message: String, byteOffset: Int? = nil) {
        self.message = message
        self.byteOffset = byteOffset
    }
}

/// What validation needs from outside the model: the name rules, and the PromQL and template parsers
/// (ConfigModel knows neither; without them those checks are skipped).
public struct RuleValidationOptions: Sendable {
    public var nameValidation: RuleNameValidation
    /// Parses one expression; nil when it is fine.
    public var parseExpression: (@Sendable (String) -> RuleExpressionFailure?)?
    /// Parses one alerting rule's label or annotation template: (alert name, text); nil when fine.
    public var checkTemplate: (@Sendable (String, String) -> RuleTemplateFailure?)?

    public init(nameValidation: RuleNameValidation = .utf8,
                parseExpression: (@Sendable (String) -> RuleExpressionFailure?)? = nil,
                checkTemplate: (@Sendable (String, String) -> RuleTemplateFailure?)? = nil) {
        self.nameValidation = nameValidation
        self.parseExpression = parseExpression
        self.checkTemplate = checkTemplate
    }
}

extension RuleFile {
    /// Prometheus 3 prints group-level positions from a node it never fills in, hence `0:0`; the real
    /// position goes into the error's `mark`.
    static let unfilledPosition = Mark(line: 0, column: 0)

    /// Validates every group and rule as `RuleGroups.Validate` does, in its order. (Its `invalid label
    /// value` check is for invalid UTF-8, which cannot reach a decoded Swift string, so it has no
    /// counterpart here: invalid UTF-8 fails earlier, as a YAML error.) Group names must be
    /// unique within a document (a file, or one manifest of a multi-document file).
    public func validate(_ options: RuleValidationOptions = RuleValidationOptions()) -> [RuleFileError] {
        var errors: [RuleFileError] = []
        for document in documents {
            var seen: Set<String> = []
            for group in document.groups {
                validate(group: group, seen: &seen, options: options, into: &errors)
            }
        }
        return errors
    }

    private func validate(group: RuleGroup, seen: inout Set<String>, options: RuleValidationOptions, into errors: inout [RuleFileError]) {
        let name = group.nameText
        let zero = Self.unfilledPosition
        if name.isEmpty {
            errors.append(RuleFileError(kind: .group, message: "\(zero): Groupname must not be empty",
                                        mark: group.name?.mark ?? group.mark, textMark: zero))
        }
        if seen.contains(name) {
            errors.append(RuleFileError(kind: .group, message: "\(zero): groupname: \"\(name)\" is repeated in the same file",
                                        mark: group.name?.mark ?? group.mark, textMark: zero))
        }
        for label in group.labels {
            if !options.nameValidation.isValidLabelName(label.name) || label.name == "__name__" {
                errors.append(RuleFileError(kind: .group, message: "invalid label name: \(label.name)", mark: label.nameMark))
            }
        }
        seen.insert(name)
        for (index, rule) in group.rules.enumerated() {
            validate(rule: rule, index: index, group: name, options: options, into: &errors)
        }
    }

    private func validate(rule: Rule, index: Int, group: String, options: RuleValidationOptions, into errors: inout [RuleFileError]) {
        // Built only when an error is reported (most rules have none).
        var prefix: String { "group \(goQuote(group)), rule \(index &+ 1), \(goQuote(rule.name)): " }
        let zero = Self.unfilledPosition
        func nodeError(_ node: PositionedText?, alt: [PositionedText?] = [], _ text: String, mark: Mark? = nil) {
            let at = node?.mark ?? zero
            var message = "\(at): "
            for a in alt { message += "\(a?.mark ?? zero): " }
            message += prefix + text
            errors.append(RuleFileError(kind: .rule, message: message, mark: mark ?? node?.mark ?? rule.mark, textMark: at))
        }
        func plainError(_ text: String, mark: Mark) {
            errors.append(RuleFileError(kind: .rule, message: prefix + text, mark: mark))
        }

        let record = rule.recordName, alert = rule.alertName
        if !record.isEmpty && !alert.isEmpty {
            nodeError(rule.record, alt: [rule.alert], "only one of 'record' and 'alert' must be set")
        }
        if record.isEmpty && alert.isEmpty {
            nodeError(rule.record, alt: [rule.alert], "one of 'record' or 'alert' must be set")
        }
        if rule.exprText.isEmpty {
            nodeError(rule.expr, "field 'expr' must be set in rule")
        } else if let parse = options.parseExpression, let expr = rule.expr, let failure = parse(expr.value) {
            let precise = failure.byteOffset.map { expr.fileMark(forUTF8Offset: $0) }
            nodeError(expr, "could not parse expression: \(failure.message)", mark: precise ?? expr.contentMark)
        }
        if !record.isEmpty {
            if !rule.annotations.isEmpty {
                nodeError(rule.record, "invalid field 'annotations' in recording rule")
            }
            if let f = rule.forDuration, f.value.milliseconds != 0 {
                nodeError(rule.record, "invalid field 'for' in recording rule")
            }
            if let k = rule.keepFiringFor, k.value.milliseconds != 0 {
                nodeError(rule.record, "invalid field 'keep_firing_for' in recording rule")
            }
            if !options.nameValidation.isValidMetricName(record) {
                nodeError(rule.record, "invalid recording rule name: \(record)")
            }
            if record.contains("{") || record.contains("}") {
                nodeError(rule.record, "braces present in the recording rule name; should it be in expr?: \(record)")
            }
        }
        for label in rule.labels {
            if !options.nameValidation.isValidLabelName(label.name) || label.name == "__name__" {
                plainError("invalid label name: \(label.name)", mark: label.nameMark)
            }
        }
        for annotation in rule.annotations where !options.nameValidation.isValidLabelName(annotation.name) {
            plainError("invalid annotation name: \(annotation.name)", mark: annotation.nameMark)
        }
        guard rule.isAlerting, let check = options.checkTemplate else { return }
        for (what, entries) in [("label", rule.labels), ("annotation", rule.annotations)] {
            for entry in entries {
                guard let failure = check(alert, entry.value.value) else { continue }
                let mark = failure.byteOffset.map { entry.value.fileMark(forUTF8Offset: $0) } ?? entry.value.contentMark
                plainError("\(what) \(goQuote(entry.name)): \(failure.message)", mark: mark)
            }
        }
    }

}
