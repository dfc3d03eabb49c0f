using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;

namespace Flowhive.Tools.IngestSender;

/// <summary>
/// Deterministic IPv4 TCP flows among 200 clients and 50 servers, so the collector folds a realistic host count per
/// window, classified as a mix of nDPI protocols (each server speaks one; a client several), so that the per-host
/// protocol breakdown is exercised as in real traffic.
/// </summary>
public static class SyntheticFlows
{
    /// <summary>(master, app) pairs: TLS.Google, TLS.Facebook, TLS.YouTube, plain TLS, HTTP, TLS.Microsoft, TLS.Amazon.</summary>
    private static readonly (ushort Master, ushort App)[] Protocols = [(91, 126), (91, 119), (91, 124), (91, 0), (7, 0), (91, 212), (91, 178)];

    public static FlowRecord[] Create(int count)
    {
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        var flows = new FlowRecord[count];
        for (var i = 0; i < count; i++)
        {
            flows[i] = new FlowRecord
            {
                SrcAddr = IpAddr.FromV4(0x0A00_0000u + (uint)(i % 200)),
                DstAddr = IpAddr.FromV4(0xC000_0200u + (uint)(i % 50)),
                SrcPort = (ushort)(1024 + (i % 60000)),
                DstPort = 443,
                Protocol = 6,
                IpVersion = 4,
                InPkts = 10,
                InBytes = 5000,
                OutPkts = 8,
                OutBytes = 20000,
                FirstSwitchedUs = start,
                LastSwitchedUs = start + 1000,
                ClientTcpFlags = 0x1B,
                L7Master = Protocols[i % 50 % Protocols.Length].Master,
                L7App = Protocols[i % 50 % Protocols.Length].App,
            };
        }

        return flows;
    }
}
