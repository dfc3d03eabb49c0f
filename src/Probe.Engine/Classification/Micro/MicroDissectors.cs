using Flowhive.Probe.Engine.Classification.Micro.Dissectors;
using Flowhive.Probe.Engine.Classification.Micro.Framework;

namespace Flowhive.Probe.Engine.Classification.Micro;

/// <summary>
/// The micro engine's dissectors, in the order they are asked (earlier ones win a flow two could claim). To add a
/// protocol: write an <see cref="IDissector"/> in <c>Dissectors/</c> and add it here; nothing else changes.
/// Called once per flow worker: every worker has its own instances. Tight signatures (magic numbers, exact
/// sizes) come before loose ones (text greetings) so that a loose one never takes a flow a tight one proves.
/// </summary>
public static class MicroDissectors
{
    public static IReadOnlyList<IDissector> Create() =>
    [
        new IpProtocolDissector(),
        new TlsDissector(),
        new HttpDissector(),
        new DnsDissector(),
        new QuicDissector(),
        new DhcpDissector(),
        new NtpDissector(),
        new SnmpDissector(),
        new SshDissector(),
        new NetBiosDissector(),
        new KerberosDissector(),
        new LdapDissector(),
        new BitTorrentDissector(),
        new IkeDissector(),
        new StunDissector(),
        new LanDiscoveryDissector(),
        new SsdpDissector(),
        new DatabaseDissector(),
        new IndustrialDissector(),
        new UdpServiceDissector(),
        new OpenVpnDissector(),
        new TextProtocolDissector(),
        new RtpDissector(),
    ];
}
