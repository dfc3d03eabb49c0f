namespace Flowhive.Probe.Engine.Classification.Rules;

/// <summary>What a protos-file rule matches on.</summary>
public enum ProtoRuleKind
{
    /// <summary><c>host:"example.com"</c>: a host name (SNI, HTTP Host, DNS query) containing the text.</summary>
    Host,

    /// <summary><c>ip:10.1.2.3/32</c> or <c>ip:10.1.2.3/32:443</c>: either end in the network (on that port).</summary>
    Ip,

    /// <summary><c>tcp:8080</c> or <c>tcp:8000-8100</c>: either end's TCP port.</summary>
    TcpPort,

    /// <summary><c>udp:5000</c>: either end's UDP port.</summary>
    UdpPort,
}
