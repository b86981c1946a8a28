import Engine
import FuzzSupport

/// One alert instance with a few labels, as the templates of an alerting rule see it. Made per input:
/// LeakSanitizer cannot see pointers stored with Swift enum tag bits, so a long-lived one reads as a leak.
func makeExpander() -> AlertTemplateExpander {
    AlertTemplateExpander(
        alertName: "FuzzAlert",
        labels: ["alertname": "FuzzAlert", "instance": "localhost:9090", "job": "fuzz", "severity": "page"],
        externalLabels: ["cluster": "c1"],
        externalURL: "http://prometheus.example:9090/prom",
        value: 1234.5,
        timestampMillis: 1_700_000_000_000,
        query: { _ in [] })
}

/// Parses arbitrary bytes as an alert label/annotation template (rulefmt's check: Prometheus's functions,
/// the `$labels`/`$value` definitions), and when it parses, executes it on fixed alert data; must never crash.
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard AlertTemplateExpander.checkAlertTemplate(alertName: "FuzzAlert", text: text) == nil else { return 0 }
    _ = makeExpander().expandForAlert(text)
    return 0
}

exit(runLibFuzzer(fuzzOne))
