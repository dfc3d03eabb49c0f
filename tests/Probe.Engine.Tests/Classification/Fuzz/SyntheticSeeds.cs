using Flowhive.Probe.Engine.Tests.Classification.Micro;

namespace Flowhive.Probe.Engine.Tests.Classification.Fuzz;

/// <summary>
/// Seed flows built from bytes the dissector tests construct (or captured outside the corpus), for parsers whose
/// messages the corpus captures lack (an SSH KEXINIT, an LDAP bind): the same shape <see cref="SeedFlows"/> gives.
/// </summary>
public static class SyntheticSeeds
{
    /// <summary>A conversation of <paramref name="l4"/> (6 or 17) to <paramref name="serverPort"/>; each packet says whether the client sent it.</summary>
    public static SeedFlow Flow(string name, byte l4, ushort serverPort, params (bool FromClient, byte[] Payload)[] packets)
    {
        var headers = new HandBuiltHeaders(l4, 50_123, serverPort);
        var seeds = new List<SeedPacket>();
        foreach (var (fromClient, payload) in packets)
        {
            var p = headers.Next(fromClient, payload.Length);
            seeds.Add(new SeedPacket(p, payload, fromClient, headers.TimestampUs));
        }

        return new SeedFlow(name, seeds);
    }
}
