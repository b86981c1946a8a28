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
        NerveSDConfig.self,
        NomadSDConfig.self,
        OCISDConfig.self,
        OpenStackSDConfig.self,
        OutscaleSDConfig.self,
        OVHcloudSDConfig.self,
        PuppetDBSDConfig.self,
        ScalewaySDConfig.self,
        ServersetSDConfig.self,
        STACKITSDConfig.self,
        TritonSDConfig.self,
        UyuniSDConfig.self,
        VultrSDConfig.self,
    ]
}
