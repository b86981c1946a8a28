import GoCompat

/// `aws_sd_configs` entry (Prometheus `discovery/aws`): one AWS service chosen by `role`.
///
/// Prometheus copies the shared fields into a role-specific config with that role's defaults; fields
/// left out here keep those defaults (`port` 80, `refresh_interval` 60s). The region, when empty, is
/// resolved when discovery starts.
public struct AWSSDConfig: DiscoveryConfig {
    public static var mechanism: String { "aws" }
    public static var goTypeName: String { "aws.plain" }

    /// The AWS service to discover.
    public enum Role: String, Sendable, CaseIterable, YAMLDecodable {
        case ec2, ecs, elasticache, lightsail, msk, rds
        public static var goTypeName: String { "aws.Role" }
        public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
            guard let s = try decoder.stringOrTypeError(node) else { self = .ec2; return }
            guard let r = Role(rawValue: s) else { throw ConfigError("unknown AWS SD role \(goQuote(s))", at: node.mark) }
            self = r
        }
    }

    public var role: Role = .ec2
    public var region = ""
    public var endpoint = ""
    public var accessKey = ""
    public var secretKey = Secret("")
    public var profile = ""
    public var roleARN = ""
    public var externalID = ""
    /// The role's default (60s) unless given.
    public var refreshInterval = PromDuration.seconds(60)
    /// The role's default (80) unless given.
    public var port = 80
    public var httpClientConfig = HTTPClientConfig()
    /// EC2 and RDS only.
    public var filters: [SDFilter] = []
    /// ECS, ElastiCache, MSK and RDS only.
    public var clusters: [String] = []

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        try self.init(yaml: node, decoder: decoder, fixedRole: nil)
    }

    /// Decodes either an `aws_sd_configs` entry (`fixedRole` nil: `role` is required) or one of the
    /// per-service keys (`ecs_sd_configs`, …) whose role is implied and which have no `role` field.
    init(yaml node: Node, decoder: YAMLDecoder, fixedRole: Role?) throws(ConfigError) {
        var m = decoder.mapping(node, goType: fixedRole.map { "aws.\($0.rawValue)Plain" } ?? Self.goTypeName)
        let marks = m.allMarks
        var parsedRole: Role? = fixedRole
        if fixedRole == nil, let n = m.node("role"), !n.isNull { parsedRole = try Role(yaml: n, decoder: decoder) }
        region = try m.field("region", region)
        endpoint = try m.field("endpoint", endpoint)
        accessKey = try m.field("access_key", accessKey)
        secretKey = try m.field("secret_key", secretKey)
        profile = try m.field("profile", profile)
        roleARN = try m.field("role_arn", roleARN)
        externalID = try m.field("external_id", externalID)
        // Zero values mean "the role's default" here.
        let interval = try m.field("refresh_interval", PromDuration.zero)
        if interval != .zero { refreshInterval = interval }
        let p = try m.field("port", 0)
        if p != 0 { port = p }
        httpClientConfig = try m.inline()
        filters = try SDFilter.decodeList(&m, key: "filters", goType: "aws.Filter", pointers: true) ?? []
        clusters = try m.field("clusters", clusters)
        guard m.finish() else { return }
        guard let parsedRole else { throw ConfigError("unknown AWS SD role \"\"", at: marks["role"]) }
        role = parsedRole
    }

    public var referencedFiles: [String] { httpClientConfig.referencedFiles }
    public mutating func resolvePaths(relativeTo directory: String) { httpClientConfig.resolvePaths(relativeTo: directory) }
}

/// `ecs_sd_configs`, `rds_sd_configs`, `msk_sd_configs`, `elasticache_sd_configs`: the AWS mechanism with
/// its role implied by the key (Prometheus 3.x registers each service under its own key too).
public struct AWSServiceSDConfig<Service: AWSServiceKind>: DiscoveryConfig {
    public static var mechanism: String { Service.role.rawValue }
    public static var goTypeName: String { "aws.\(Service.role.rawValue)Plain" }
    public var aws: AWSSDConfig

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        aws = try AWSSDConfig(yaml: node, decoder: decoder, fixedRole: Service.role)
    }

    public var referencedFiles: [String] { aws.referencedFiles }
    public mutating func resolvePaths(relativeTo directory: String) { aws.resolvePaths(relativeTo: directory) }
}

/// The service an `AWSServiceSDConfig` discovers.
public protocol AWSServiceKind: Sendable { static var role: AWSSDConfig.Role { get } }
public enum ECSService: AWSServiceKind { public static var role: AWSSDConfig.Role { .ecs } }
public enum RDSService: AWSServiceKind { public static var role: AWSSDConfig.Role { .rds } }
public enum MSKService: AWSServiceKind { public static var role: AWSSDConfig.Role { .msk } }
public enum ElastiCacheService: AWSServiceKind { public static var role: AWSSDConfig.Role { .elasticache } }
