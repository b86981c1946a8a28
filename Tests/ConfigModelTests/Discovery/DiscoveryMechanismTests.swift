import Testing
@testable import ConfigModel

/// Each mechanism: a minimal good config with its defaults, and bad configs with Prometheus's messages.
@Suite struct DiscoveryMechanismTests {
    struct BadCase: Sendable, CustomTestStringConvertible {
        var yaml: String
        var message: String
        var testDescription: String { message }
        init(_ yaml: String, _ message: String) {
            self.yaml = yaml
            self.message = message
        }
    }

    static let badCases: [BadCase] = [
        // aws
        BadCase("aws_sd_configs:\n  - region: x", "unknown AWS SD role \"\""),
        BadCase("aws_sd_configs:\n  - role: sqs", "unknown AWS SD role \"sqs\""),
        // azure
        BadCase("azure_sd_configs:\n  - tenant_id: t", "azure SD configuration requires a subscription_id"),
        BadCase("azure_sd_configs:\n  - subscription_id: s\n    tenant_id: t\n    client_id: c", "azure SD configuration requires a client_secret"),
        BadCase("azure_sd_configs:\n  - subscription_id: s\n    authentication_method: Kerberos",
                "unknown authentication_type \"Kerberos\". Supported types are \"OAuth\", \"ManagedIdentity\", \"SDK\" or \"WorkloadIdentity\""),
        // consul
        BadCase("consul_sd_configs:\n  - server: '  '", "consul SD configuration requires a server address"),
        BadCase("consul_sd_configs:\n  - server: ~", "consul SD configuration requires a server address"),
        BadCase("consul_sd_configs:\n  - username: u\n    basic_auth: {username: x}",
                "at most one of consul SD configuration username and password and basic auth can be configured"),
        BadCase("consul_sd_configs:\n  - token: t\n    authorization: {credentials: x}",
                "at most one of consul SD token, authorization, or oauth2 can be configured"),
        // digitalocean
        BadCase("digitalocean_sd_configs:\n  - role: apps", "unknown DigitalOcean SD role \"apps\""),
        BadCase("digitalocean_sd_configs:\n  - bearer_token: a\n    bearer_token_file: b",
                "at most one of bearer_token & bearer_token_file must be configured"),
        // dns
        BadCase("dns_sd_configs:\n  - names: []", "DNS-SD config must contain at least one SRV record name"),
        BadCase("dns_sd_configs:\n  - names: [a]\n    type: a", "a port is required in DNS-SD configs for all record types except SRV"),
        BadCase("dns_sd_configs:\n  - names: [a]\n    type: TXT", "invalid DNS-SD records type TXT"),
        // docker, dockerswarm
        BadCase("docker_sd_configs:\n  - port: 1", "host missing"),
        BadCase("docker_sd_configs:\n  - host: 'http://a b'", "parse \"http://a b\": invalid character \" \" in host name"),
        BadCase("dockerswarm_sd_configs:\n  - host: x", "role missing (one of: tasks, services, nodes)"),
        BadCase("dockerswarm_sd_configs:\n  - host: x\n    role: foo", "invalid role foo, expected tasks, services, or nodes"),
        // ec2
        BadCase("ec2_sd_configs:\n  - filters:\n      - name: a", "EC2 SD configuration filter values cannot be empty"),
        // eureka
        BadCase("eureka_sd_configs:\n  - refresh_interval: 1m", "eureka_sd: empty or null eureka server"),
        BadCase("eureka_sd_configs:\n  - server: eureka.com", "eureka_sd: invalid eureka server URL"),
        // gce
        BadCase("gce_sd_configs:\n  - zone: z", "GCE SD configuration requires a project"),
        BadCase("gce_sd_configs:\n  - project: p", "GCE SD configuration requires a zone"),
        // hetzner
        BadCase("hetzner_sd_configs:\n  - port: 1", "role missing (one of: robot, hcloud)"),
        BadCase("hetzner_sd_configs:\n  - role: aws", "unknown role \"aws\""),
        // http
        BadCase("http_sd_configs:\n  - refresh_interval: 1m", "URL is missing"),
        BadCase("http_sd_configs:\n  - url: ftp://a/b", "URL scheme must be 'http' or 'https'"),
        BadCase("http_sd_configs:\n  - url: http:///x", "host is missing in URL"),
        // ionos
        BadCase("ionos_sd_configs:\n  - port: 1", "datacenter id can't be empty"),
        // kubernetes
        BadCase("kubernetes_sd_configs:\n  - api_server: https://k", "role missing (one of: pod, service, endpoints, endpointslice, node, ingress)"),
        BadCase("kubernetes_sd_configs:\n  - role: vacation", "unknown Kubernetes SD role \"vacation\""),
        BadCase("kubernetes_sd_configs:\n  - role: pod\n    selectors:\n      - label: a", "pod role supports only pod, node selectors"),
        BadCase("kubernetes_sd_configs:\n  - role: pod\n    selectors:\n      - role: pod\n        field: 'a=b\\x'",
                "invalid field selector: invalid escape sequence: \\x"),
        BadCase("kubernetes_sd_configs:\n  - role: pod\n    selectors:\n      - role: pod\n        field: 'a=b=c'",
                "invalid field selector: unescaped character in value: 61"),
        BadCase("kubernetes_sd_configs:\n  - role: pod\n    selectors:\n      - role: pod\n        field: 'b=1,a'",
                "invalid selector: 'b=1,a'; can't understand 'a'"),
        BadCase("kubernetes_sd_configs:\n  - role: pod\n    selectors:\n      - role: pod\n        field: 'a\\=b=c'",
                "invalid field selector: unescaped character in value: 61"),
        BadCase("kubernetes_sd_configs:\n  - role: pod\n    selectors:\n      - role: pod\n        label: 'foo in bar'",
                "unable to parse requirement: found 'bar' expected: '('"),
        BadCase("kubernetes_sd_configs:\n  - role: pod\n    selectors:\n      - role: pod\n        label: 'a=b c'",
                "found 'c', expected: ',' or 'end of string'"),
        BadCase("kubernetes_sd_configs:\n  - role: pod\n    selectors:\n      - role: pod\n        label: 'x>a'",
                "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"),
        BadCase("kubernetes_sd_configs:\n  - role: pod\n    selectors:\n      - role: pod\n        label: 'a=-b'",
                "unable to parse requirement: values[0][a]: Invalid value: \"-b\": a valid label must be an empty string or consist of alphanumeric characters"),
        BadCase("kubernetes_sd_configs:\n  - role: pod\n    selectors:\n      - role: pod\n        label: 'Foo!'",
                "unable to parse requirement: found '!', expected: '=', '!=', '==', 'in', notin'"),
        BadCase("kubernetes_sd_configs:\n  - role: pod\n    selectors:\n      - role: pod\n        label: '!a=b'",
                "found '=', expected: ',' or 'end of string'"),
        BadCase("kubernetes_sd_configs:\n  - role: pod\n    selectors:\n      - role: pod\n        label: 'a/b/c'",
                "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must consist of"),
        BadCase("kubernetes_sd_configs:\n  - role: pod\n    selectors:\n      - role: pod\n        label: 'Ex.com/a=1'",
                "<nil>: Invalid value: \"Ex.com/a\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
        BadCase("kubernetes_sd_configs:\n  - role: pod\n    selectors:\n      - role: pod\n        label: 'a in (x,-y'",
                "unable to parse requirement: found '', expected: ',' or ')'"),
        // kuma
        BadCase("kuma_sd_configs:\n  - client_id: x", "kuma SD server must not be empty: "),
        BadCase("kuma_sd_configs:\n  - server: foo", "kuma SD server must not be empty and have a scheme: foo"),
        // lightsail, linode
        BadCase("lightsail_sd_configs:\n  - basic_auth: {username: u}\n    bearer_token: t",
                "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured"),
        BadCase("linode_sd_configs:\n  - bearer_token: a\n    bearer_token_file: b", "at most one of bearer_token & bearer_token_file must be configured"),
        // marathon
        BadCase("marathon_sd_configs:\n  - servers: []", "marathon_sd: must contain at least one Marathon server"),
        // nerve, serverset
        BadCase("nerve_sd_configs:\n  - servers: [a]\n    paths: [x]", "nerve SD config paths must begin with '/': x"),
        BadCase("nerve_sd_configs:\n  - servers: [a]", "nerve SD config must contain at least one path"),
        BadCase("serverset_sd_configs:\n  - servers: []", "serverset SD config must contain at least one Zookeeper server"),
        // nomad
        BadCase("nomad_sd_configs:\n  - server: ''", "nomad SD configuration requires a server address"),
        // oci
        BadCase("oci_sd_configs:\n  - auth: api_key", "oci_sd: region is required"),
        BadCase("oci_sd_configs:\n  - region: r\n    tenancy: t\n    user: u\n    fingerprint: f", "oci_sd: api_key auth requires key_file"),
        BadCase("oci_sd_configs:\n  - region: r\n    auth: instance_principal\n    user: u",
                "oci_sd: instance_principal auth must not have tenancy, user, fingerprint, key_file, key_passphrase, or key_passphrase_file set"),
        BadCase("oci_sd_configs:\n  - region: r\n    auth: instance_principal\n    compartments: [a, '']", "oci_sd: compartments[1] must not be empty"),
        BadCase("oci_sd_configs:\n  - region: r\n    auth: instance_principal\n    refresh_interval: 0s", "oci_sd: refresh_interval must be positive, got 0s"),
        // openstack
        BadCase("openstack_sd_configs:\n  - region: r", "role missing (one of: instance, hypervisor, loadbalancer)"),
        BadCase("openstack_sd_configs:\n  - role: instance", "openstack SD configuration requires a region"),
        BadCase("openstack_sd_configs:\n  - role: instance\n    region: r\n    availability: private",
                "unknown availability private, must be one of admin, internal or public"),
        // outscale
        BadCase("outscale_sd_configs:\n  - secret_key: s", "outscale SD configuration requires access_key"),
        // ovhcloud
        BadCase("ovhcloud_sd_configs:\n  - service: vps", "application key can not be empty"),
        BadCase("ovhcloud_sd_configs:\n  - service: vps\n    endpoint: ''", "endpoint can not be empty"),
        BadCase("ovhcloud_sd_configs:\n  - {application_key: k, application_secret: s, service: vps}", "consumer key can not be empty"),
        // puppetdb
        BadCase("puppetdb_sd_configs:\n  - url: https://p", "query missing"),
        // scaleway
        BadCase("scaleway_sd_configs:\n  - access_key: a\n    secret_key: s", "role missing (one of: instance, baremetal)"),
        BadCase("scaleway_sd_configs:\n  - role: instance\n    secret_key: s", "project_id is mandatory"),
        BadCase("scaleway_sd_configs:\n  - role: instance\n    project_id: p\n    secret_key: s", "access_key is mandatory"),
        BadCase("scaleway_sd_configs:\n  - {role: instance, project_id: p, access_key: a, secret_key: s}",
                "scaleway-sdk-go: invalid access key format 'a', expected SCWXXXXXXXXXXXXXXXXX format"),
        BadCase("scaleway_sd_configs:\n  - {role: instance, project_id: 11111111-1111-1111-1111-111111111112, access_key: SCWXXXXXXXXXXXXXXXXX, secret_key: bad}",
                "scaleway-sdk-go: invalid secret key format 'bad', expected a UUID: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"),
        BadCase("scaleway_sd_configs:\n  - {role: instance, project_id: p, access_key: SCWXXXXXXXXXXXXXXXXX, secret_key_file: f}",
                "scaleway-sdk-go: invalid project ID format 'p', expected a UUID: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"),
        BadCase("scaleway_sd_configs:\n  - {role: instance, project_id: 11111111-1111-1111-1111-111111111112, access_key: SCWXXXXXXXXXXXXXXXXX, secret_key_file: f, zone: xx-yyy-0}",
                "scaleway-sdk-go: invalid default zone format 'xx-yyy-0', available zones are: fr-par-1"),
        BadCase("scaleway_sd_configs:\n  - {role: instance, project_id: 11111111-1111-1111-1111-111111111112, access_key: SCWXXXXXXXXXXXXXXXXX, secret_key_file: f, zone: ''}",
                "scaleway-sdk-go: default zone cannot be empty"),
        BadCase("scaleway_sd_configs:\n  - {role: instance, project_id: 11111111-1111-1111-1111-111111111112, access_key: SCWXXXXXXXXXXXXXXXXX, secret_key_file: f, api_url: '://x'}",
                "scaleway-sdk-go: invalid url ://x"),
        // stackit
        BadCase("stackit_sd_configs:\n  - region: ''", "endpoint or region missing"),
        BadCase("stackit_sd_configs:\n  - endpoint: '://x'", "invalid endpoint \"://x\": parse \"://x\": missing protocol scheme"),
        // triton
        BadCase("triton_sd_configs:\n  - {account: a, dns_suffix: d, endpoint: e, role: vm}", "triton SD configuration requires role to be 'container' or 'cn'"),
        BadCase("triton_sd_configs:\n  - {dns_suffix: d, endpoint: e}", "triton SD configuration requires an account"),
        BadCase("triton_sd_configs:\n  - {account: a, endpoint: e}", "triton SD configuration requires a dns_suffix"),
        BadCase("triton_sd_configs:\n  - {account: a, dns_suffix: d}", "triton SD configuration requires an endpoint"),
        BadCase("triton_sd_configs:\n  - {account: a, dns_suffix: d, endpoint: e, refresh_interval: 0s}",
                "triton SD configuration requires RefreshInterval to be a positive integer"),
        // uyuni
        BadCase("uyuni_sd_configs:\n  - server: s", "Uyuni SD configuration requires a username"),
        BadCase("uyuni_sd_configs:\n  - server: s\n    username: u", "Uyuni SD configuration requires a password"),
        BadCase("uyuni_sd_configs:\n  - server: '%zz'", "Uyuni Server URL is not valid: parse \"%zz\": invalid URL escape \"%zz\""),
        // vultr
        BadCase("vultr_sd_configs:\n  - oauth2: {client_id: c, token_url: t}\n    basic_auth: {username: u}",
                "at most one of basic_auth, oauth2 & authorization must be configured"),
        // type errors name the Go types
        BadCase("kubernetes_sd_configs:\n  - role: pod\n    bogus: 1", "line 3: field bogus not found in type kubernetes.plain"),
        BadCase("kubernetes_sd_configs:\n  - role: pod\n    attach_metadata: {nodes: true}", "field nodes not found in type kubernetes.AttachMetadataConfig"),
        BadCase("kubernetes_sd_configs:\n  - role: pod\n    selectors:\n      - {role: pod, labels: a}", "field labels not found in type kubernetes.SelectorConfig"),
        BadCase("kubernetes_sd_configs: foo", "cannot unmarshal !!str `foo` into []*kubernetes.SDConfig"),
        BadCase("kuma_sd_configs:\n  - 42", "cannot unmarshal !!int `42` into xds.plainKumaConf"),
        BadCase("docker_sd_configs:\n  - {host: h, filters: [{name: a, value: b}]}", "field value not found in type moby.Filter"),
        BadCase("ec2_sd_configs: {region: r}", "cannot unmarshal !!map into []*aws.EC2SDConfig"),
        BadCase("dns_sd_configs:\n  - names: [a]\n    port: x", "cannot unmarshal !!str `x` into int"),
        BadCase("consul_sd_configs:\n  - server: a\n    server: b", "field server already set in type consul.plain"),
        // null list items, reported after decoding in registry order
        BadCase("kubernetes_sd_configs:\n  -", "empty or null section in kubernetes_sd_configs"),
        BadCase("vultr_sd_configs: [~]\nazure_sd_configs: [~]", "empty or null section in azure_sd_configs"),
        // type errors win over null sections (Go checks those only after a clean unmarshal)
        BadCase("dns_sd_configs: [~]\nvultr_sd_configs: [{port: x}]", "cannot unmarshal !!str `x` into int"),
    ]

    @Test(arguments: badCases)
    func rejects(_ c: BadCase) {
        let message = SDTest.error(c.yaml)
        #expect(message?.contains(c.message) == true, "got \(message ?? "no error")")
    }

    @Test func everyDocumentedMechanismIsRegistered() {
        // The documented mechanisms plus the per-service AWS keys (ecs, elasticache, msk, rds) 3.x registers.
        let expected = ["aws", "azure", "consul", "digitalocean", "dns", "docker", "dockerswarm", "ec2", "ecs", "elasticache",
                        "eureka", "file", "gce", "hetzner", "http", "ionos", "kubernetes", "kuma", "lightsail", "linode",
                        "marathon", "msk", "nerve", "nomad", "oci", "openstack", "outscale", "ovhcloud", "puppetdb", "rds",
                        "scaleway", "serverset", "stackit", "triton", "uyuni", "vultr"]
        #expect(DiscoveryRegistry.kinds.map { $0.mechanism } == expected)
        // Prometheus keeps its fields sorted by key.
        let keys = DiscoveryRegistry.kinds.map { $0.mechanism + "_sd_configs" }
        #expect(keys == keys.sorted())
    }

    @Test func awsDefaultsAndRoles() throws {
        let c = try SDTest.one(AWSSDConfig.self, "aws_sd_configs:\n  - role: ecs\n    clusters: [a]")
        #expect(c.role == .ecs)
        #expect(c.port == 80)
        #expect(c.refreshInterval == .seconds(60))
        #expect(c.clusters == ["a"])
        let d = try SDTest.one(AWSSDConfig.self, "aws_sd_configs:\n  - role: rds\n    port: 5432\n    filters: [{name: engine, values: [mysql]}]")
        #expect(d.port == 5432)
        #expect(d.filters.map(\.name) == ["engine"])
    }

    @Test func azureDefaults() throws {
        let c = try SDTest.one(AzureSDConfig.self, "azure_sd_configs:\n  - subscription_id: s\n    authentication_method: ManagedIdentity")
        #expect(c.environment == "AzurePublicCloud")
        #expect(c.port == 80)
        #expect(c.refreshInterval == .minutes(5))
        let w = try SDTest.one(AzureSDConfig.self, "azure_sd_configs:\n  - subscription_id: s\n    authentication_method: WorkloadIdentity")
        #expect(w.authenticationMethod == "WorkloadIdentity")
        let o = try SDTest.one(AzureSDConfig.self, "azure_sd_configs:\n  - {subscription_id: s, tenant_id: t, client_id: c, client_secret: x}")
        #expect(o.authenticationMethod == "OAuth")
        #expect(o.clientSecret.exposedValue == "x")
    }

    @Test func consulDefaultsAndLegacyCredentials() throws {
        let c = try SDTest.one(ConsulSDConfig.self, "consul_sd_configs:\n  - {}")
        #expect(c.server == "localhost:8500")
        #expect(c.scheme == "http")
        #expect(c.tagSeparator == ",")
        #expect(c.allowStale)
        #expect(c.refreshInterval == .seconds(30))
        let u = try SDTest.one(ConsulSDConfig.self, "consul_sd_configs:\n  - {username: u, password: p, health_filter: 'Service.Tags contains \"x\"', node_meta: {rack: '1'}}")
        #expect(u.httpClientConfig.basicAuth?.username == "u")
        #expect(u.httpClientConfig.basicAuth?.password.exposedValue == "p")
        #expect(u.healthFilter == "Service.Tags contains \"x\"")
        #expect(u.nodeMeta["rack"] == "1")
    }

    @Test func digitalOceanDefaults() throws {
        let c = try SDTest.one(DigitalOceanSDConfig.self, "digitalocean_sd_configs:\n  - {}")
        #expect(c.role == .droplets)
        #expect(c.port == 80)
        #expect(c.refreshInterval == .seconds(60))
        #expect(try SDTest.one(DigitalOceanSDConfig.self, "digitalocean_sd_configs:\n  - role: databases").role == .databases)
    }

    @Test func dnsDefaults() throws {
        let c = try SDTest.one(DNSSDConfig.self, "dns_sd_configs:\n  - names: [a.example]")
        #expect(c.type == "SRV")
        #expect(c.port == 0)
        #expect(c.refreshInterval == .seconds(30))
        let a = try SDTest.one(DNSSDConfig.self, "dns_sd_configs:\n  - {names: [a], type: ns, port: 53}")
        #expect(a.type == "ns")
    }

    @Test func dockerDefaults() throws {
        let c = try SDTest.one(DockerSDConfig.self, "docker_sd_configs:\n  - host: unix:///var/run/docker.sock")
        #expect(c.port == 80)
        #expect(c.hostNetworkingHost == "localhost")
        #expect(c.matchFirstNetwork)
        #expect(c.refreshInterval == .seconds(60))
        #expect(c.filters.isEmpty)
        let s = try SDTest.one(DockerSwarmSDConfig.self, "dockerswarm_sd_configs:\n  - {host: 'http://127.0.0.1:2375', role: tasks, filters: [{name: n, values: [v]}]}")
        #expect(s.role == "tasks")
        #expect(s.filters == [SDFilter(name: "n", values: ["v"], mark: s.filters.first?.mark ?? Mark(line: 0, column: 0))])
    }

    @Test func ec2AndLightsailDefaults() throws {
        let c = try SDTest.one(EC2SDConfig.self, "ec2_sd_configs:\n  - {}")
        #expect(c.region.isEmpty)
        #expect(c.port == 80)
        #expect(c.refreshInterval == .seconds(60))
        let l = try SDTest.one(LightsailSDConfig.self, "lightsail_sd_configs:\n  - {region: eu-west-1, external_id: x}")
        #expect(l.region == "eu-west-1")
        #expect(l.externalID == "x")
        #expect(l.port == 80)
    }

    @Test func eurekaGceHetznerHttpIonosDefaults() throws {
        let e = try SDTest.one(EurekaSDConfig.self, "eureka_sd_configs:\n  - server: http://eureka:8761/eureka")
        #expect(e.refreshInterval == .seconds(30))
        let g = try SDTest.one(GCESDConfig.self, "gce_sd_configs:\n  - {project: p, zone: z}")
        #expect(g.port == 80)
        #expect(g.tagSeparator == ",")
        #expect(g.refreshInterval == .seconds(60))
        let h = try SDTest.one(HetznerSDConfig.self, "hetzner_sd_configs:\n  - {role: hcloud, label_selector: 'env=prod'}")
        #expect(h.role == .hcloud)
        #expect(h.port == 80)
        #expect(h.labelSelector == "env=prod")
        let http = try SDTest.one(HTTPSDConfig.self, "http_sd_configs:\n  - url: https://sd.example/targets")
        #expect(http.refreshInterval == .seconds(60))
        let i = try SDTest.one(IonosSDConfig.self, "ionos_sd_configs:\n  - datacenter_id: d")
        #expect(i.port == 80)
        #expect(i.refreshInterval == .seconds(60))
    }

    @Test func kubernetesDefaultsAndSelectors() throws {
        let c = try SDTest.one(KubernetesSDConfig.self, "kubernetes_sd_configs:\n  - role: endpointslice")
        #expect(c.role == .endpointslice)
        #expect(c.apiServer == nil)
        #expect(c.namespaces == KubernetesSDConfig.NamespaceDiscovery())
        #expect(c.attachMetadata == KubernetesSDConfig.AttachMetadata())
        let s = try SDTest.one(KubernetesSDConfig.self, """
        kubernetes_sd_configs:
          - role: pod
            api_server: https://k8s:6443
            basic_auth: {username: u, password: p}
            namespaces: {names: [a, b]}
            attach_metadata: {node: true, namespace: true, deployment: true, job: true, cronjob: true}
            selectors:
              - role: pod
                label: "app in (a,b),!canary,tier,version!=2,size>3"
                field: "metadata.name=x,spec.nodeName!=y,a==\\\\,"
              - role: node
                label: "example.com/zone=eu-1"
        """)
        #expect(s.apiServer?.host == "k8s:6443")
        #expect(s.namespaces.names == ["a", "b"])
        #expect(s.attachMetadata.cronjob)
        #expect(s.selectors.map(\.role) == ["pod", "node"])
        // follow_redirects set to its default value is still the default HTTP client configuration.
        #expect(SDTest.error("kubernetes_sd_configs:\n  - {role: pod, follow_redirects: true}") == nil)
        #expect(SDTest.error("kubernetes_sd_configs:\n  - {role: pod, enable_http2: false}")?.contains("please provide the 'api_server'") == true)
    }

    @Test func kumaLinodeMarathonNomadDefaults() throws {
        let k = try SDTest.one(KumaSDConfig.self, "kuma_sd_configs:\n  - server: http://kuma:5676")
        #expect(k.refreshInterval == .seconds(15))
        #expect(k.fetchTimeout == .minutes(2))
        let l = try SDTest.one(LinodeSDConfig.self, "linode_sd_configs:\n  - region: us-east")
        #expect(l.tagSeparator == ",")
        #expect(l.port == 80)
        let m = try SDTest.one(MarathonSDConfig.self, "marathon_sd_configs:\n  - servers: [http://m:8080]\n    auth_token_file: token")
        #expect(m.refreshInterval == .seconds(30))
        let n = try SDTest.one(NomadSDConfig.self, "nomad_sd_configs:\n  - {}")
        #expect(n.server == "http://localhost:4646")
        #expect(n.namespace == "default")
        #expect(n.region == "global")
        #expect(n.allowStale)
        #expect(n.refreshInterval == .seconds(60))
    }

    @Test func zookeeperDefaults() throws {
        let n = try SDTest.one(NerveSDConfig.self, "nerve_sd_configs:\n  - {servers: [zk:2181], paths: [/nerve]}")
        #expect(n.timeout == .seconds(10))
        let s = try SDTest.one(ServersetSDConfig.self, "serverset_sd_configs:\n  - {servers: [zk:2181], paths: [/a, /b], timeout: 5s}")
        #expect(s.timeout == .seconds(5))
    }

    @Test func ociOpenstackOutscaleOvhDefaults() throws {
        let o = try SDTest.one(OCISDConfig.self, "oci_sd_configs:\n  - {region: us-ashburn-1, tenancy: t, user: u, fingerprint: f, key_file: k.pem}")
        #expect(o.auth == "api_key")
        #expect(o.port == 80)
        #expect(o.refreshInterval == .seconds(60))
        let os = try SDTest.one(OpenStackSDConfig.self, "openstack_sd_configs:\n  - {role: loadbalancer, region: r}")
        #expect(os.availability == "public")
        #expect(os.port == 80)
        #expect(!os.allTenants)
        let out = try SDTest.one(OutscaleSDConfig.self, "outscale_sd_configs:\n  - {access_key: a, secret_key_file: s}")
        #expect(out.region == "eu-west-2")
        #expect(out.endpoint == "https://api.eu-west-2.outscale.com/api/v1")
        let ovh = try SDTest.one(OVHcloudSDConfig.self, "ovhcloud_sd_configs:\n  - {application_key: k, application_secret: s, consumer_key: c, service: dedicated_server}")
        #expect(ovh.endpoint == "ovh-eu")
        #expect(ovh.refreshInterval == .seconds(60))
    }

    @Test func puppetScalewayStackitTritonUyuniVultrDefaults() throws {
        let p = try SDTest.one(PuppetDBSDConfig.self, "puppetdb_sd_configs:\n  - {url: 'https://puppetdb', query: 'resources { type = \"Class\" }'}")
        #expect(p.port == 80)
        #expect(!p.includeParameters)
        let s = try SDTest.one(ScalewaySDConfig.self, "scaleway_sd_configs:\n  - {role: baremetal, project_id: 11111111-1111-1111-1111-111111111112, access_key: SCWXXXXXXXXXXXXXXXXX, secret_key: 11111111-1111-1111-1111-111111111113, zone: de-fra-9}")
        #expect(s.zone == "de-fra-9")
        #expect(s.apiURL == "https://api.scaleway.com")
        #expect(s.port == 80)
        let st = try SDTest.one(STACKITSDConfig.self, "stackit_sd_configs:\n  - project: p")
        #expect(st.region == "eu01")
        #expect(st.port == 80)
        let t = try SDTest.one(TritonSDConfig.self, "triton_sd_configs:\n  - {account: a, dns_suffix: d, endpoint: e}")
        #expect(t.role == "container")
        #expect(t.port == 9163)
        #expect(t.version == 1)
        let u = try SDTest.one(UyuniSDConfig.self, "uyuni_sd_configs:\n  - {server: https://uyuni, username: u, password: p}")
        #expect(u.entitlement == "monitoring_entitled")
        #expect(u.separator == ",")
        #expect(u.refreshInterval == .minutes(1))
        let v = try SDTest.one(VultrSDConfig.self, "vultr_sd_configs:\n  - {}")
        #expect(v.port == 80)
        #expect(v.refreshInterval == .seconds(60))
    }

    @Test func explicitNullGivesTheZeroValue() throws {
        // yaml.v2 stores Go's zero value for an explicit null, overriding the default.
        let c = try SDTest.one(VultrSDConfig.self, "vultr_sd_configs:\n  - port: ~")
        #expect(c.port == 0)
        #expect(SDTest.error("triton_sd_configs:\n  - {account: a, dns_suffix: d, endpoint: e, refresh_interval: ~}")?
            .contains("positive integer") == true)
    }

    @Test func entriesAreOrderedByMechanismThenListOrder() throws {
        let entries = try SDTest.decode("vultr_sd_configs: [{}]\ndns_sd_configs:\n  - names: [b]\n  - names: [c]\nazure_sd_configs: [{subscription_id: s, authentication_method: SDK}]").get()
        #expect(entries.map(\.mechanism) == ["azure", "dns", "dns", "vultr"])
        #expect((entries[1].config as? DNSSDConfig)?.names == ["b"])
    }

    @Test func validationFollowsDocumentOrder() {
        // The first invalid config in the document is the one reported, whatever the mechanisms' order.
        let message = SDTest.error("vultr_sd_configs:\n  - {bearer_token: a, bearer_token_file: b}\nazure_sd_configs:\n  - {}")
        #expect(message == "at most one of bearer_token & bearer_token_file must be configured")
    }

    @Test func errorsCarryPositions() {
        guard case .failure(let e) = SDTest.decode("dns_sd_configs:\n  - names: [a]\n    type: TXT") else {
            Issue.record("expected an error")
            return
        }
        #expect(e.mark?.line == 3)
    }

    @Test func referencedFilesAndResolvePaths() throws {
        var k = try SDTest.one(KubernetesSDConfig.self, "kubernetes_sd_configs:\n  - {role: node, kubeconfig_file: kube/config}")
        #expect(k.referencedFiles == ["kube/config"])
        k.resolvePaths(relativeTo: "/etc/prometheus")
        #expect(k.kubeconfigFile == "/etc/prometheus/kube/config")

        var m = try SDTest.one(MarathonSDConfig.self, """
        marathon_sd_configs:
          - servers: [http://m]
            auth_token_file: tok
            tls_config: {ca_file: ca.pem, cert_file: /abs/c.pem, key_file: k.pem}
        """)
        #expect(Set(m.referencedFiles) == ["tok", "ca.pem", "/abs/c.pem", "k.pem"])
        m.resolvePaths(relativeTo: "/cfg")
        #expect(Set(m.referencedFiles) == ["/cfg/tok", "/cfg/ca.pem", "/abs/c.pem", "/cfg/k.pem"])

        var s = try SDTest.one(ScalewaySDConfig.self, "scaleway_sd_configs:\n  - {role: instance, project_id: 11111111-1111-1111-1111-111111111112, access_key: SCWXXXXXXXXXXXXXXXXX, secret_key_file: secret}")
        s.resolvePaths(relativeTo: "/cfg")
        #expect(s.secretKeyFile == "/cfg/secret")

        var o = try SDTest.one(OpenStackSDConfig.self, "openstack_sd_configs:\n  - {role: instance, region: r, tls_config: {ca_file: ca}}")
        o.resolvePaths(relativeTo: "/d")
        #expect(o.referencedFiles == ["/d/ca"])

        var oci = try SDTest.one(OCISDConfig.self, "oci_sd_configs:\n  - {region: r, tenancy: t, user: u, fingerprint: f, key_file: key.pem, key_passphrase_file: pass}")
        oci.resolvePaths(relativeTo: "/d")
        #expect(oci.referencedFiles == ["/d/key.pem", "/d/pass"])

        var out = try SDTest.one(OutscaleSDConfig.self, "outscale_sd_configs:\n  - {access_key: a, secret_key_file: s, authorization: {credentials_file: c}}")
        out.resolvePaths(relativeTo: "/d")
        #expect(Set(out.referencedFiles) == ["/d/s", "/d/c"])
    }
}
