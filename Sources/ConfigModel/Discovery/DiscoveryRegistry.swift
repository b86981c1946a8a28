/// Every service-discovery mechanism prometheus.yml may name, in Prometheus's registration order.
///
/// Prometheus keeps its `<name>_sd_configs` fields sorted by key, so that is the order here.
public enum DiscoveryRegistry {
    public static let kinds: [any DiscoveryConfig.Type] = [
        AWSSDConfig.self,
        AzureSDConfig.self,
        ConsulSDConfig.self,
        DigitalOceanSDConfig.self,
        DNSSDConfig.self,
        DockerSDConfig.self,
        DockerSwarmSDConfig.self,
        EC2SDConfig.self,
        AWSServiceSDConfig<ECSService>.self,
        AWSServiceSDConfig<ElastiCacheService>.self,
        EurekaSDConfig.self,
        FileSDConfig.self,
        GCESDConfig.self,
        HetznerSDConfig.self,
        HTTPSDConfig.self,
        IonosSDConfig.self,
        KubernetesSDConfig.self,
        KumaSDConfig.self,
        LightsailSDConfig.self,
        LinodeSDConfig.self,
        MarathonSDConfig.self,
        AWSServiceSDConfig<MSKService>.self,
        NerveSDConfig.self,
        NomadSDConfig.self,
        OCISDConfig.self,
        OpenStackSDConfig.self,
        OutscaleSDConfig.self,
        OVHcloudSDConfig.self,
        PuppetDBSDConfig.self,
        AWSServiceSDConfig<RDSService>.self,
        ScalewaySDConfig.self,
        ServersetSDConfig.self,
        STACKITSDConfig.self,
        TritonSDConfig.self,
        UyuniSDConfig.self,
        VultrSDConfig.self,
    ]

    /// `<mechanism>_sd_configs` → mechanism, built once.
    static let kindByKey: [String: any DiscoveryConfig.Type] = {
        var out: [String: any DiscoveryConfig.Type] = [:]
        for kind in kinds { out[kind.mechanism + "_sd_configs"] = kind }
        return out
    }()

    /// Registry position of each mechanism (the order Prometheus lists configs in).
    static let rank: [String: Int] = {
        var out: [String: Int] = [:]
        for (i, kind) in kinds.enumerated() where out[kind.mechanism] == nil { out[kind.mechanism] = i }
        return out
    }()
}
