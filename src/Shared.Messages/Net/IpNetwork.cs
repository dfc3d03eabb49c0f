using System.Globalization;

namespace Flowhive.Shared.Net;

/// <summary>An IPv4 or IPv6 network in CIDR form (10.0.0.0/8, 2001:db8::/32), with an optional alias as ntopng writes them (10.0.0.0/8=lan).</summary>
public readonly record struct IpNetwork(IpAddr Network, int PrefixLength, string? Alias)
{
    public bool Contains(IpAddr address)
    {
        // IPv4 is stored IPv4-mapped, so an IPv4 prefix of n bits is the mapped address's first 96 + n bits.
        var bits = Network.IsV4 ? 96 + PrefixLength : PrefixLength;
        if (Network.IsV4 != address.IsV4)
        {
            return false;
        }

        if (bits <= 64)
        {
            var mask = bits == 0 ? 0UL : ulong.MaxValue << (64 - bits);
            return (address.High & mask) == (Network.High & mask);
        }

        var lowMask = bits == 128 ? ulong.MaxValue : ulong.MaxValue << (128 - bits);
        return address.High == Network.High && (address.Low & lowMask) == (Network.Low & lowMask);
    }

    /// <summary>Parses "a.b.c.d/n", "x::/n", a bare address (a host network), with an optional "=alias".</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out IpNetwork network)
    {
        network = default;
        string? alias = null;
        var eq = text.IndexOf('=');
        if (eq >= 0)
        {
            alias = text[(eq + 1)..].Trim().ToString();
            text = text[..eq];
        }

        text = text.Trim();
        var slash = text.IndexOf('/');
        var addressText = slash < 0 ? text : text[..slash];
        if (!IpAddr.TryParse(addressText, out var address))
        {
            return false;
        }

        var max = address.IsV4 ? 32 : 128;
        var prefix = max;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > max))
        {
            return false;
        }

        network = new IpNetwork(Mask(address, prefix), prefix, string.IsNullOrEmpty(alias) ? null : alias);
        return true;
    }

    public override string ToString() => $"{Network}/{PrefixLength}" + (Alias is null ? string.Empty : "=" + Alias);

    private static IpAddr Mask(IpAddr address, int prefix)
    {
        var bits = address.IsV4 ? 96 + prefix : prefix;
        var high = bits >= 64 ? address.High : address.High & (bits == 0 ? 0 : ulong.MaxValue << (64 - bits));
        var low = bits <= 64 ? 0 : bits == 128 ? address.Low : address.Low & (ulong.MaxValue << (128 - bits));
        return new IpAddr(high, low);
    }
}
