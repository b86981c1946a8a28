/// The list of built-in checks, in catalogue order.
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
    ]
}
