/// The list of built-in checks, in catalogue order.
public enum BuiltinChecks {
    public static let all: [any LintCheck] = [
        // Intervals
        ScrapeTimeoutCheck(),
        ScrapeIntervalTooLongCheck(),
        EvaluationIntervalCheck(),
        ForDurationCheck(),
        // Labels
        RequiredAlertLabelsCheck(),
        RequiredAlertAnnotationsCheck(),
        ValueInLabelsCheck(),
        ExternalLabelCollisionCheck(),
        ReservedLabelCheck(),
        UTF8NameCheck(),
        // Cardinality
        ScrapeLimitsCheck(),
        RelabelUnboundedCheck(),
        // Rules
        RecordingNameCheck(),
        DuplicateRuleCheck(),
    ]
}
