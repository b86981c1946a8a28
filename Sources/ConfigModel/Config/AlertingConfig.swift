/// The `alerting` section: alert relabelling and the Alertmanagers to send to.
public struct AlertingConfig: YAMLDecodable, Sendable {
    public var alertRelabelConfigs: [RelabelConfig] = []
    public var alertmanagers: [AlertmanagerConfig] = []
    /// Position of the first null `alertmanagers` entry (Prometheus rejects it when validating).
    var nullAlertmanagerMark: Mark?
    public static var goTypeName: String { "config.plain" }

    public init() {}
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let relabel = try decodeRelabelList(&m, "alert_relabel_configs")
        alertRelabelConfigs = relabel.configs
        if let n = m.node("alertmanagers"), !n.isNull {
            if case .sequence(let items) = n.content {
                for item in items {
                    if item.isNull {
                        if nullAlertmanagerMark == nil { nullAlertmanagerMark = item.mark }
                        continue
                    }
                    alertmanagers.append(try AlertmanagerConfig(yaml: item, decoder: decoder))
                }
            } else {
                decoder.cannotUnmarshal(n, into: "config.AlertmanagerConfigs")
            }
        }
        guard m.finish() else { return }
        if let at = relabel.nullMark { throw ConfigError("empty or null alert relabeling rule", at: at) }
    }

    /// `AlertingConfig.Validate(scheme)`.
    public func validate(scheme: NameValidationScheme) throws(ConfigError) {
        for rc in alertRelabelConfigs { try rc.validate(scheme: scheme) }
        for am in alertmanagers { try am.validate(scheme: scheme) }
    }
}

/// AWS Signature V4 signing (`sigv4`), from prometheus/sigv4.
public struct SigV4Config: YAMLDecodable, Sendable {
    public var region = ""
    public var accessKey = ""
    public var secretKey = Secret("")
    public var profile = ""
    public var roleARN = ""
    public var externalID = ""
    public var useFIPSSTSEndpoint = false
    public static var goTypeName: String { "sigv4.plain" }
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        region = try m.decode("region", default: "")
        accessKey = try m.decode("access_key", default: "")
        secretKey = try m.decode("secret_key", default: Secret(""))
        profile = try m.decode("profile", default: "")
        roleARN = try m.decode("role_arn", default: "")
        externalID = try m.decode("external_id", default: "")
        useFIPSSTSEndpoint = try m.decode("use_fips_sts_endpoint", default: false)
        guard m.finish() else { return }
        if accessKey.isEmpty != secretKey.isEmpty {
            throw ConfigError("must provide a AWS SigV4 Access key and Secret Key if credentials are specified in the SigV4 config", at: node.mark)
        }
    }
}

/// The Alertmanager API version (`api_version`); only `v2` is supported in 3.x.
public enum AlertmanagerAPIVersion: String, Sendable {
    case v2
}

/// One `alertmanagers` entry: how to discover and talk to a set of Alertmanagers.
public struct AlertmanagerConfig: YAMLDecodable, Sendable {
    public var httpClientConfig = HTTPClientConfig()
    public var sigv4: SigV4Config?
    public var scheme = "http"
    public var pathPrefix = ""
    public var timeout = PromDuration.seconds(10)
    public var apiVersion = AlertmanagerAPIVersion.v2
    public var serviceDiscoveryConfigs = ServiceDiscoveryConfigs()
    public var staticConfigs: [TargetGroup] = []
    public var relabelConfigs: [RelabelConfig] = []
    public var alertRelabelConfigs: [RelabelConfig] = []
    public var mark = Mark(line: 0, column: 0)
    public var marks = FieldMarks()

    public static var goTypeName: String { "config.AlertmanagerConfig" }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        mark = node.mark
        var m = decoder.mapping(node, goType: Self.goTypeName)
        marks = FieldMarks(m, keys: m.keys)
        httpClientConfig = try m.inline(HTTPClientConfig.self)
        sigv4 = try m.decodeIfPresent("sigv4")
        scheme = try m.decode("scheme", default: "http")
        pathPrefix = try m.decode("path_prefix", default: "")
        timeout = try m.decode("timeout", default: .seconds(10))
        if let n = m.node("api_version") {
            let s = n.isNull ? "" : try String(yaml: n, decoder: decoder)
            if n.scalarValue != nil {
                guard let v = AlertmanagerAPIVersion(rawValue: s) else {
                    throw ConfigError("expected Alertmanager api version to be one of [v2] but got \(s)", at: n.mark)
                }
                apiVersion = v
            }
        }
        serviceDiscoveryConfigs = try m.inline(ServiceDiscoveryConfigs.self)
        staticConfigs = try decodeStaticConfigs(&m)
        let relabel = try decodeRelabelList(&m, "relabel_configs")
        let alertRelabel = try decodeRelabelList(&m, "alert_relabel_configs")
        relabelConfigs = relabel.configs
        alertRelabelConfigs = alertRelabel.configs
        guard m.finish() else { return }

        try httpClientConfig.validate()
        let h = httpClientConfig
        if (h.basicAuth != nil || h.authorization != nil || h.oauth2 != nil) && sigv4 != nil {
            throw ConfigError("at most one of basic_auth, authorization, oauth2, & sigv4 must be configured", at: marks["sigv4"])
        }
        if relabelConfigs.isEmpty && relabel.nullMark == nil {
            for g in staticConfigs {
                for (i, t) in g.targets.enumerated() {
                    if let msg = checkTargetAddress(t) {
                        throw ConfigError(msg, at: i < g.targetMarks.count ? g.targetMarks[i] : g.mark)
                    }
                }
            }
        }
        if let at = relabel.nullMark { throw ConfigError("empty or null Alertmanager target relabeling rule", at: at) }
        if let at = alertRelabel.nullMark { throw ConfigError("empty or null Alertmanager alert relabeling rule", at: at) }
    }

    public func validate(scheme: NameValidationScheme) throws(ConfigError) {
        for rc in alertRelabelConfigs { try rc.validate(scheme: scheme) }
        for rc in relabelConfigs { try rc.validate(scheme: scheme) }
    }

    public var fileSDConfigs: [FileSDConfig] {
        serviceDiscoveryConfigs.entries.compactMap { $0.config as? FileSDConfig }
    }

    public mutating func resolvePaths(relativeTo directory: String) {
        for i in serviceDiscoveryConfigs.entries.indices {
            serviceDiscoveryConfigs.entries[i].config.resolvePaths(relativeTo: directory)
        }
        httpClientConfig.resolvePaths(relativeTo: directory)
    }

    /// The path alerts are posted to: `path.Join("/", path_prefix, "/api/v2/alerts")`.
    public var alertsPath: String { FilePath.join("/", pathPrefix, "/api/\(apiVersion.rawValue)/alerts") }
}
