/// The list of built-in checks, in catalogue order.
///
/// To add a check: write a `struct` conforming to `LintCheck` with a stable `CheckInfo` (id
/// `category/name`, default severity, one-line summary, doc paragraph), implement the hooks it needs
/// (`check(config:)`, `check(rule:)`, `check(ruleSet:)`, `check(unitTest:)`), list it here, and add a firing and a
/// non-firing test. Configuration, inline disables, severities and every output format then apply.
public enum BuiltinChecks {
    public static let all: [any LintCheck] = [
        // Intervals
        ScrapeTimeoutCheck(),
        ScrapeIntervalTooLongCheck(),
        EvaluationIntervalCheck(),
        ForDurationCheck(),
        RateWindowCheck(),
        SubqueryStepCheck(),
        // Labels
        RequiredAlertLabelsCheck(),
        RequiredAlertAnnotationsCheck(),
        ValueInLabelsCheck(),
        ExternalLabelCollisionCheck(),
        ReservedLabelCheck(),
        UTF8NameCheck(),
        TemplateDroppedLabelCheck(),
        ExternalLabelMissingCheck(),
        // Cardinality
        ScrapeLimitsCheck(),
        RelabelUnboundedCheck(),
        RegexMatchAllCheck(),
        NoMetricNameCheck(),
        HighCardinalityByCheck(),
        RecordingNoAggregationCheck(),
        // PromQL sense
        AlertConditionCheck(),
        RateOnGaugeCheck(),
        DeltaOnCounterCheck(),
        HistogramQuantileCheck(),
        DivisionGuardCheck(),
        AbsentRegexCheck(),
        // Rules
        RecordingNameCheck(),
        DuplicateRuleCheck(),
        // Unit-test files
        UnitTestRuleFileCheck(),
        UnitTestAlertNameCheck(),
        UnitTestEvalTimeCheck(),
    ]
}
