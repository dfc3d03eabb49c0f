namespace Flowhive.Shared.Cluster.Messages;

/// <summary>A host's DNS and HTTP activity on each side and its TLS/QUIC flows with an SNI, as a client and as a server.</summary>
public readonly record struct ApplicationCounters(
    DnsCounters DnsAsClient,
    DnsCounters DnsAsServer,
    HttpCounters HttpAsClient,
    HttpCounters HttpAsServer,
    long SniFlowsAsClient,
    long SniFlowsAsServer)
{
    public bool IsEmpty => this == default;

    public static ApplicationCounters AsClient(DnsCounters dns, HttpCounters http, long sniFlows) => new(dns, default, http, default, sniFlows, 0);

    public static ApplicationCounters AsServer(DnsCounters dns, HttpCounters http, long sniFlows) => new(default, dns, default, http, 0, sniFlows);

    public static ApplicationCounters operator +(ApplicationCounters a, ApplicationCounters b) => new(
        a.DnsAsClient + b.DnsAsClient, a.DnsAsServer + b.DnsAsServer, a.HttpAsClient + b.HttpAsClient, a.HttpAsServer + b.HttpAsServer,
        a.SniFlowsAsClient + b.SniFlowsAsClient, a.SniFlowsAsServer + b.SniFlowsAsServer);
}
