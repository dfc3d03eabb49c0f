using System.Runtime.CompilerServices;
using Flowhive.Probe.Engine.Decode;
using Flowhive.Shared.Net;

namespace Flowhive.Probe.Engine.Flows;

/// <summary>
/// A bidirectional flow key: both directions of a conversation map to the same key because the
/// endpoints are stored in a canonical order (lower address/port first).
/// </summary>
public readonly struct FlowKey : IEquatable<FlowKey>
{
    public readonly IpAddr LowAddr;
    public readonly IpAddr HighAddr;
    public readonly ushort LowPort;
    public readonly ushort HighPort;
    public readonly ushort Vlan;
    public readonly byte Protocol;

    private FlowKey(IpAddr lowAddr, ushort lowPort, IpAddr highAddr, ushort highPort, byte protocol, ushort vlan)
    {
        LowAddr = lowAddr;
        LowPort = lowPort;
        HighAddr = highAddr;
        HighPort = highPort;
        Protocol = protocol;
        Vlan = vlan;
    }

    /// <summary>Builds the canonical key of a packet; <paramref name="fromLow"/> tells whether the packet travels low to high.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FlowKey Of(in DecodedPacket p, out bool fromLow)
    {
        var c = p.Src.CompareTo(p.Dst);
        fromLow = c < 0 || (c == 0 && p.SrcPort <= p.DstPort);
        return fromLow
            ? new FlowKey(p.Src, p.SrcPort, p.Dst, p.DstPort, p.Protocol, p.Vlan)
            : new FlowKey(p.Dst, p.DstPort, p.Src, p.SrcPort, p.Protocol, p.Vlan);
    }

    /// <summary>A well-mixed 32-bit hash, identical for both directions because the key is canonical.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Hash()
    {
        var h = (LowAddr.Low * 0x9E3779B97F4A7C15UL) ^ (HighAddr.Low * 0xC2B2AE3D27D4EB4FUL);
        h ^= (LowAddr.High * 0x165667B19E3779F9UL) ^ (HighAddr.High * 0xD6E8FEB86659FD93UL);
        h ^= ((ulong)LowPort << 48) | ((ulong)HighPort << 32) | ((ulong)Vlan << 8) | Protocol;
        return (uint)Mix(h);
    }

    /// <summary>
    /// Hash of the address pair only (plus VLAN), used to pick a worker: IPv4 fragments after the first have
    /// no ports, and must still reach the worker that holds their flow. NIC RSS does the same for fragments.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint AddressPairHash(in DecodedPacket p)
    {
        var a = (p.Src.Low ^ p.Src.High) * 0x9E3779B97F4A7C15UL;
        var b = (p.Dst.Low ^ p.Dst.High) * 0x9E3779B97F4A7C15UL;
        return (uint)Mix((a + b) ^ p.Vlan); // + is symmetric: A,B and B,A hash alike
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong h)
    {
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53UL;
        h ^= h >> 33;
        return h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Equals(FlowKey other) =>
        LowAddr.Low == other.LowAddr.Low && HighAddr.Low == other.HighAddr.Low &&
        LowAddr.High == other.LowAddr.High && HighAddr.High == other.HighAddr.High &&
        LowPort == other.LowPort && HighPort == other.HighPort && Protocol == other.Protocol && Vlan == other.Vlan;

    public override bool Equals(object? obj) => obj is FlowKey other && Equals(other);

    public override int GetHashCode() => (int)Hash();

    public static bool operator ==(FlowKey left, FlowKey right) => left.Equals(right);

    public static bool operator !=(FlowKey left, FlowKey right) => !left.Equals(right);

    public override string ToString() => $"{Protocol} {LowAddr}:{LowPort} <-> {HighAddr}:{HighPort} vlan {Vlan}";
}
