using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Flowhive.Shared.Net;

/// <summary>
/// An IPv4 or IPv6 address as two 64-bit words, so that flow keys compare and hash with a few
/// integer operations and never allocate. IPv4 is stored IPv4-mapped (::ffff:a.b.c.d), which keeps one
/// ordering and one hash for both families.
/// </summary>
public readonly struct IpAddr : IEquatable<IpAddr>, IComparable<IpAddr>
{
    private const ulong V4MappedHigh = 0UL;
    private const ulong V4MappedLowPrefix = 0x0000_FFFF_0000_0000UL;

    /// <summary>The first 8 bytes of the 16-byte address, big-endian.</summary>
    public readonly ulong High;

    /// <summary>The last 8 bytes of the 16-byte address, big-endian.</summary>
    public readonly ulong Low;

    public IpAddr(ulong high, ulong low)
    {
        High = high;
        Low = low;
    }

    public static IpAddr None => default;

    public bool IsV4 => High == V4MappedHigh && (Low & 0xFFFF_FFFF_0000_0000UL) == V4MappedLowPrefix;

    public bool IsNone => High == 0 && Low == 0;

    /// <summary>The IPv4 address in host order (a.b.c.d = a&lt;&lt;24 | ...); only meaningful when <see cref="IsV4"/>.</summary>
    public uint V4 => (uint)Low;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static IpAddr FromV4(uint hostOrder) => new(V4MappedHigh, V4MappedLowPrefix | hostOrder);

    /// <summary>Reads a 4-byte network-order IPv4 address.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static IpAddr FromV4Bytes(ReadOnlySpan<byte> fourBytes) => FromV4(BinaryPrimitives.ReadUInt32BigEndian(fourBytes));

    /// <summary>Reads a 16-byte network-order IPv6 address.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static IpAddr FromV6Bytes(ReadOnlySpan<byte> sixteenBytes) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(sixteenBytes), BinaryPrimitives.ReadUInt64BigEndian(sixteenBytes[8..]));

    public void WriteV6Bytes(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, High);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Low);
    }

    public static IpAddr FromIPAddress(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> v4 = stackalloc byte[4];
            address.TryWriteBytes(v4, out _);
            return FromV4Bytes(v4);
        }

        Span<byte> v6 = stackalloc byte[16];
        address.TryWriteBytes(v6, out _);
        return FromV6Bytes(v6);
    }

    public IPAddress ToIPAddress()
    {
        if (IsV4)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, V4);
            return new IPAddress(v4);
        }

        Span<byte> v6 = stackalloc byte[16];
        WriteV6Bytes(v6);
        return new IPAddress(v6);
    }

    public static bool TryParse(ReadOnlySpan<char> text, out IpAddr address)
    {
        if (IPAddress.TryParse(text, out var parsed))
        {
            address = FromIPAddress(parsed);
            return true;
        }

        address = default;
        return false;
    }

    public static IpAddr Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"not an IP address: '{text}'");

    /// <summary>Formats as ntopng does: dotted quad for IPv4, compressed RFC 5952 form for IPv6.</summary>
    public override string ToString() => ToIPAddress().ToString();

    public bool Equals(IpAddr other) => High == other.High && Low == other.Low;

    public override bool Equals(object? obj) => obj is IpAddr other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(High, Low);

    public int CompareTo(IpAddr other)
    {
        var c = High.CompareTo(other.High);
        return c != 0 ? c : Low.CompareTo(other.Low);
    }

    public static bool operator ==(IpAddr left, IpAddr right) => left.Equals(right);

    public static bool operator !=(IpAddr left, IpAddr right) => !left.Equals(right);

    public static bool operator <(IpAddr left, IpAddr right) => left.CompareTo(right) < 0;

    public static bool operator >(IpAddr left, IpAddr right) => left.CompareTo(right) > 0;

    public static bool operator <=(IpAddr left, IpAddr right) => left.CompareTo(right) <= 0;

    public static bool operator >=(IpAddr left, IpAddr right) => left.CompareTo(right) >= 0;
}
