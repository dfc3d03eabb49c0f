using Flowhive.Probe.Engine.Decode;

namespace Flowhive.Probe.Engine.Tests.Classification.Fuzz;

/// <summary>One payload packet of a seed flow: its decoded headers, its L4 payload and its direction.</summary>
public sealed record SeedPacket(DecodedPacket Headers, byte[] Payload, bool FromClient, long TimestampUs);

/// <summary>The payload packets of one real conversation, in capture order: what the mutator starts from.</summary>
public sealed record SeedFlow(string Pcap, IReadOnlyList<SeedPacket> Packets);
