using System.Runtime.CompilerServices;

namespace Flowhive.Shared.Net;

/// <summary>
/// The first of a list of networks that contains an address, as a scan of <see cref="IpNetwork.Contains"/>
/// would find it, but compiled: per address family an array of precomputed masks and masked values, so each
/// network costs one AND and one compare, with no family test and no copy of the network. Lists here are a
/// few dozen networks (a service table, ntopng's <c>-m</c>), looked up once or twice per flow, where such a
/// scan is faster than a trie and keeps the list's order as the priority.
/// </summary>
public sealed class IpPrefixMatcher
{
    private readonly uint[] _v4Masks;
    private readonly uint[] _v4Values;
    private readonly int[] _v4Indexes;
    private readonly V6Prefix[] _v6;

    /// <param name="networks">In priority order: <see cref="IndexOf"/> answers the first that matches.</param>
    public IpPrefixMatcher(IReadOnlyList<IpNetwork> networks)
    {
        var v4 = new List<(uint Mask, uint Value, int Index)>();
        var v6 = new List<V6Prefix>();
        for (var i = 0; i < networks.Count; i++)
        {
            var n = networks[i];
            if (n.Network.IsV4)
            {
                var mask = n.PrefixLength == 0 ? 0u : uint.MaxValue << (32 - Math.Min(32, n.PrefixLength));
                v4.Add((mask, n.Network.V4 & mask, i));
            }
            else
            {
                var bits = Math.Min(128, n.PrefixLength);
                var maskHigh = bits == 0 ? 0UL : bits >= 64 ? ulong.MaxValue : ulong.MaxValue << (64 - bits);
                var maskLow = bits <= 64 ? 0UL : bits == 128 ? ulong.MaxValue : ulong.MaxValue << (128 - bits);
                v6.Add(new V6Prefix(maskHigh, maskLow, n.Network.High & maskHigh, n.Network.Low & maskLow, i));
            }
        }

        _v4Masks = [.. v4.Select(x => x.Mask)];
        _v4Values = [.. v4.Select(x => x.Value)];
        _v4Indexes = [.. v4.Select(x => x.Index)];
        _v6 = [.. v6];
    }

    public int Count => _v4Masks.Length + _v6.Length;

    /// <summary>The index (in the constructor's list) of the first network that contains the address, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int IndexOf(IpAddr address) => address.IsV4 ? IndexOfV4(address.V4) : IndexOfV6(address.High, address.Low);

    private int IndexOfV4(uint address)
    {
        var masks = _v4Masks;
        var values = _v4Values;
        for (var i = 0; i < masks.Length && i < values.Length; i++)
        {
            if ((address & masks[i]) == values[i])
            {
                return _v4Indexes[i];
            }
        }

        return -1;
    }

    private int IndexOfV6(ulong high, ulong low)
    {
        foreach (ref readonly var p in _v6.AsSpan())
        {
            if ((high & p.MaskHigh) == p.High && (low & p.MaskLow) == p.Low)
            {
                return p.Index;
            }
        }

        return -1;
    }

    private readonly record struct V6Prefix(ulong MaskHigh, ulong MaskLow, ulong High, ulong Low, int Index);
}
