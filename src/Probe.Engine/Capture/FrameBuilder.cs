using System.Buffers.Binary;
using Flowhive.Shared.Net;

namespace Flowhive.Probe.Engine.Capture;

/// <summary>
/// Builds well-formed frames without external tools, for the sample capture generator and for tests:
/// Ethernet with optional 802.1Q/QinQ tags, IPv4 (options, fragments) or IPv6 (extension headers), then
/// TCP, UDP, ICMP/ICMPv6 or a bare IP payload. Lengths and checksums (IPv4 header, TCP, UDP, ICMP, ICMPv6
/// with their pseudo-headers) are computed, so Wireshark and the decoder see valid packets. A builder is
/// mutable and reusable: each setter replaces that layer, <see cref="Build"/> returns a new array.
/// </summary>
public sealed class FrameBuilder
{
    private const int EthernetHeaderLength = 14;

    private readonly List<ushort> _vlanTags = [];
    private readonly List<(byte Type, byte[] Data)> _ipv6Extensions = [];
    private ulong _srcMac;
    private ulong _dstMac;
    private ushort _etherType;
    private Layer3 _l3;
    private IpAddr _src;
    private IpAddr _dst;
    private byte _ttl = 64;
    private byte _tos;
    private ushort _ipv4Id;
    private bool _dontFragment;
    private byte[] _ipv4Options = [];
    private uint _flowLabel;
    private Layer4 _l4;
    private byte _protocol;
    private ushort _srcPort;
    private ushort _dstPort;
    private TcpFlags _tcpFlags;
    private uint _seq;
    private uint _ack;
    private ushort _window;
    private byte[] _tcpOptions = [];
    private byte _icmpType;
    private byte _icmpCode;
    private ushort _icmpIdentifier;
    private ushort _icmpSequence;
    private byte[] _payload = [];
    private int _padTo;

    private enum Layer3
    {
        None,
        Ipv4,
        Ipv6,
        Other,
    }

    private enum Layer4
    {
        None,
        Tcp,
        Udp,
        Icmp,
        Raw,
    }

    /// <summary>Ethernet source and destination (48-bit values, as <see cref="MacAddr"/> carries them).</summary>
    public FrameBuilder Ethernet(ulong srcMac, ulong dstMac)
    {
        _srcMac = srcMac;
        _dstMac = dstMac;
        return this;
    }

    /// <summary>
    /// Adds an 802.1Q tag; call again for QinQ (outermost first). With several tags the outer ones are
    /// 802.1ad service tags (0x88A8) and the innermost a customer tag (0x8100), as carriers stack them.
    /// </summary>
    public FrameBuilder Vlan(ushort id, byte priority = 0)
    {
        if (id > 0x0FFF || priority > 7)
        {
            throw new ArgumentOutOfRangeException(nameof(id), $"VLAN id {id} / priority {priority} out of range");
        }

        _vlanTags.Add((ushort)((priority << 13) | id));
        return this;
    }

    public FrameBuilder Ipv4(IpAddr src, IpAddr dst, byte ttl = 64, ushort id = 0, bool dontFragment = false, byte tos = 0, byte[]? options = null)
    {
        if (!src.IsV4 || !dst.IsV4)
        {
            throw new ArgumentException($"IPv4 needs IPv4 addresses (got {src} and {dst})");
        }

        if (options is not null && (options.Length % 4 != 0 || options.Length > 40))
        {
            throw new ArgumentException($"IPv4 options must be a multiple of 4 bytes, at most 40 (got {options.Length})");
        }

        _l3 = Layer3.Ipv4;
        _src = src;
        _dst = dst;
        _ttl = ttl;
        _ipv4Id = id;
        _dontFragment = dontFragment;
        _tos = tos;
        _ipv4Options = options ?? [];
        _ipv6Extensions.Clear();
        return this;
    }

    public FrameBuilder Ipv6(IpAddr src, IpAddr dst, byte hopLimit = 64, uint flowLabel = 0, byte trafficClass = 0)
    {
        _l3 = Layer3.Ipv6;
        _src = src;
        _dst = dst;
        _ttl = hopLimit;
        _flowLabel = flowLabel & 0xFFFFF;
        _tos = trafficClass;
        _ipv4Options = [];
        _ipv6Extensions.Clear();
        return this;
    }

    /// <summary>A non-IP frame: <paramref name="etherType"/> followed by the payload as given (ARP, LLDP...).</summary>
    public FrameBuilder EtherType(ushort etherType)
    {
        _l3 = Layer3.Other;
        _etherType = etherType;
        _l4 = Layer4.None;
        return this;
    }

    /// <summary>Hop-by-hop options header holding one PadN option (8 bytes).</summary>
    public FrameBuilder Ipv6HopByHop() => Ipv6Extension(0, PadN(6));

    /// <summary>Destination options header holding one PadN option (8 bytes).</summary>
    public FrameBuilder Ipv6DestinationOptions() => Ipv6Extension(60, PadN(6));

    /// <summary>Routing header (type 4, segment routing) listing one segment, with no segment left: the destination stays final.</summary>
    public FrameBuilder Ipv6Routing(IpAddr segment)
    {
        var data = new byte[22];
        data[0] = 4; // routing type
        data[1] = 0; // segments left
        data[2] = 0; // last entry
        segment.WriteV6Bytes(data.AsSpan(6));
        return Ipv6Extension(43, data);
    }

    /// <summary>Fragment header; <paramref name="offset"/> is in bytes and must be a multiple of 8.</summary>
    public FrameBuilder Ipv6Fragment(uint id, int offset, bool moreFragments)
    {
        if (offset % 8 != 0 || offset < 0 || offset > 0xFFF8)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "fragment offset must be a multiple of 8 below 65536");
        }

        var data = new byte[6];
        BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)(offset | (moreFragments ? 1 : 0)));
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(2), id);
        return Ipv6Extension(44, data);
    }

    /// <summary>
    /// Any extension header: <paramref name="data"/> is what follows the next-header and length bytes, sized so
    /// the header is a multiple of 8 bytes (4 for the authentication header, 51).
    /// </summary>
    public FrameBuilder Ipv6Extension(byte type, ReadOnlySpan<byte> data)
    {
        if (_l3 != Layer3.Ipv6)
        {
            throw new InvalidOperationException("IPv6 extension headers need Ipv6() first");
        }

        var unit = type == 51 ? 4 : 8;
        if ((data.Length + 2) % unit != 0)
        {
            throw new ArgumentException($"extension header {type} must be a multiple of {unit} bytes (got {data.Length + 2})");
        }

        _ipv6Extensions.Add((type, data.ToArray()));
        return this;
    }

    public FrameBuilder Tcp(ushort srcPort, ushort dstPort, TcpFlags flags, uint seq = 0, uint ack = 0, ushort window = 65535, byte[]? options = null)
    {
        if (options is not null && (options.Length % 4 != 0 || options.Length > 40))
        {
            throw new ArgumentException($"TCP options must be a multiple of 4 bytes, at most 40 (got {options.Length})");
        }

        _l4 = Layer4.Tcp;
        _protocol = 6;
        _srcPort = srcPort;
        _dstPort = dstPort;
        _tcpFlags = flags;
        _seq = seq;
        _ack = ack;
        _window = window;
        _tcpOptions = options ?? [];
        return this;
    }

    public FrameBuilder Udp(ushort srcPort, ushort dstPort)
    {
        _l4 = Layer4.Udp;
        _protocol = 17;
        _srcPort = srcPort;
        _dstPort = dstPort;
        return this;
    }

    /// <summary>
    /// ICMP over IPv4, ICMPv6 over IPv6. For echo messages the two words are the identifier and sequence
    /// number; for other types they are the rest of the header as the type defines it.
    /// </summary>
    public FrameBuilder Icmp(byte type, byte code, ushort identifier = 0, ushort sequence = 0)
    {
        _l4 = Layer4.Icmp;
        _icmpType = type;
        _icmpCode = code;
        _icmpIdentifier = identifier;
        _icmpSequence = sequence;
        return this;
    }

    /// <summary>No transport header: the payload follows the IP header as protocol <paramref name="protocol"/> (GRE, ESP, ...).</summary>
    public FrameBuilder IpPayload(byte protocol)
    {
        _l4 = Layer4.Raw;
        _protocol = protocol;
        return this;
    }

    public FrameBuilder Payload(ReadOnlySpan<byte> payload)
    {
        _payload = payload.ToArray();
        return this;
    }

    /// <summary>Pads Ethernet frames with zeros to at least this length (60: the Ethernet minimum without FCS), as NICs do.</summary>
    public FrameBuilder PadTo(int minimumFrameLength)
    {
        _padTo = minimumFrameLength;
        return this;
    }

    /// <summary>The Ethernet frame.</summary>
    public byte[] Build()
    {
        var l2 = L2Length;
        var packet = _l3 == Layer3.Other ? _payload : BuildIp();
        var frame = new byte[Math.Max(l2 + packet.Length, _padTo)];
        WriteL2(frame);
        packet.CopyTo(frame.AsSpan(l2));
        return frame;
    }

    /// <summary>The IP packet alone (for raw-IP link types, or to wrap in another header).</summary>
    public byte[] BuildIp()
    {
        var l4 = BuildTransport();
        return _l3 switch
        {
            Layer3.Ipv4 => BuildIpv4(l4, offset: 0, moreFragments: false),
            Layer3.Ipv6 => BuildIpv6(l4),
            _ => throw new InvalidOperationException("no IP layer: call Ipv4() or Ipv6() first"),
        };
    }

    /// <summary>
    /// Splits the IPv4 datagram into Ethernet-framed fragments carrying at most <paramref name="maxFragmentData"/>
    /// bytes each (rounded down to a multiple of 8). The transport checksum covers the whole datagram, as on the wire.
    /// </summary>
    public IReadOnlyList<byte[]> BuildIpv4Fragments(int maxFragmentData)
    {
        if (_l3 != Layer3.Ipv4)
        {
            throw new InvalidOperationException("fragments are built for IPv4 only (IPv6 uses Ipv6Fragment)");
        }

        var chunk = maxFragmentData & ~7;
        if (chunk <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxFragmentData), maxFragmentData, "must allow at least 8 bytes per fragment");
        }

        var data = BuildTransport();
        var frames = new List<byte[]>();
        var l2 = L2Length;
        for (var offset = 0; ; offset += chunk)
        {
            var length = Math.Min(chunk, data.Length - offset);
            var more = offset + length < data.Length;
            var ip = BuildIpv4(data.AsSpan(offset, length), offset, more);
            var frame = new byte[Math.Max(l2 + ip.Length, _padTo)];
            WriteL2(frame);
            ip.CopyTo(frame.AsSpan(l2));
            frames.Add(frame);
            if (!more)
            {
                break;
            }
        }

        return frames;
    }

    private int L2Length => EthernetHeaderLength + (4 * _vlanTags.Count);

    private void WriteL2(Span<byte> frame)
    {
        WriteMac(frame, _dstMac);
        WriteMac(frame[6..], _srcMac);
        var at = 12;
        for (var i = 0; i < _vlanTags.Count; i++)
        {
            var tpid = i < _vlanTags.Count - 1 ? (ushort)0x88A8 : (ushort)0x8100;
            BinaryPrimitives.WriteUInt16BigEndian(frame[at..], tpid);
            BinaryPrimitives.WriteUInt16BigEndian(frame[(at + 2)..], _vlanTags[i]);
            at += 4;
        }

        var etherType = _l3 switch
        {
            Layer3.Ipv4 => (ushort)0x0800,
            Layer3.Ipv6 => (ushort)0x86DD,
            Layer3.Other => _etherType,
            _ => throw new InvalidOperationException("no layer 3: call Ipv4(), Ipv6() or EtherType() first"),
        };
        BinaryPrimitives.WriteUInt16BigEndian(frame[at..], etherType);
    }

    /// <summary>The transport header and payload, with the checksum over the pseudo-header of the final addresses.</summary>
    private byte[] BuildTransport()
    {
        switch (_l4)
        {
            case Layer4.Tcp:
                {
                    var headerLength = 20 + _tcpOptions.Length;
                    var segment = new byte[headerLength + _payload.Length];
                    var s = segment.AsSpan();
                    BinaryPrimitives.WriteUInt16BigEndian(s, _srcPort);
                    BinaryPrimitives.WriteUInt16BigEndian(s[2..], _dstPort);
                    BinaryPrimitives.WriteUInt32BigEndian(s[4..], _seq);
                    BinaryPrimitives.WriteUInt32BigEndian(s[8..], _ack);
                    s[12] = (byte)((headerLength / 4) << 4);
                    s[13] = (byte)_tcpFlags;
                    BinaryPrimitives.WriteUInt16BigEndian(s[14..], _window);
                    _tcpOptions.CopyTo(s[20..]);
                    _payload.CopyTo(s[headerLength..]);
                    BinaryPrimitives.WriteUInt16BigEndian(s[16..], TransportChecksum(6, s));
                    return segment;
                }

            case Layer4.Udp:
                {
                    var datagram = new byte[8 + _payload.Length];
                    if (datagram.Length > ushort.MaxValue)
                    {
                        throw new InvalidOperationException($"UDP datagram of {datagram.Length} bytes does not fit the length field");
                    }

                    var s = datagram.AsSpan();
                    BinaryPrimitives.WriteUInt16BigEndian(s, _srcPort);
                    BinaryPrimitives.WriteUInt16BigEndian(s[2..], _dstPort);
                    BinaryPrimitives.WriteUInt16BigEndian(s[4..], (ushort)datagram.Length);
                    _payload.CopyTo(s[8..]);
                    var checksum = TransportChecksum(17, s);
                    // A computed zero is sent as all ones: zero means "no checksum" in UDP.
                    BinaryPrimitives.WriteUInt16BigEndian(s[6..], checksum == 0 ? (ushort)0xFFFF : checksum);
                    return datagram;
                }

            case Layer4.Icmp:
                {
                    var message = new byte[8 + _payload.Length];
                    var s = message.AsSpan();
                    s[0] = _icmpType;
                    s[1] = _icmpCode;
                    BinaryPrimitives.WriteUInt16BigEndian(s[4..], _icmpIdentifier);
                    BinaryPrimitives.WriteUInt16BigEndian(s[6..], _icmpSequence);
                    _payload.CopyTo(s[8..]);
                    // ICMPv4 sums the message alone; ICMPv6 adds the IPv6 pseudo-header.
                    var checksum = _l3 == Layer3.Ipv6 ? TransportChecksum(58, s) : InternetChecksum.Compute(s);
                    BinaryPrimitives.WriteUInt16BigEndian(s[2..], checksum);
                    return message;
                }

            case Layer4.Raw:
                return _payload;
            default:
                throw new InvalidOperationException("no transport layer: call Tcp(), Udp(), Icmp() or IpPayload() first");
        }
    }

    private byte Protocol => _l4 == Layer4.Icmp ? (_l3 == Layer3.Ipv6 ? (byte)58 : (byte)1) : _protocol;

    private ushort TransportChecksum(byte protocol, ReadOnlySpan<byte> segment) =>
        InternetChecksum.Finish(InternetChecksum.Add(InternetChecksum.PseudoHeader(_src, _dst, protocol, segment.Length), segment));

    private byte[] BuildIpv4(ReadOnlySpan<byte> data, int offset, bool moreFragments)
    {
        var headerLength = 20 + _ipv4Options.Length;
        var total = headerLength + data.Length;
        if (total > ushort.MaxValue)
        {
            throw new InvalidOperationException($"IPv4 packet of {total} bytes does not fit the total length field");
        }

        var packet = new byte[total];
        var s = packet.AsSpan();
        s[0] = (byte)(0x40 | (headerLength / 4));
        s[1] = _tos;
        BinaryPrimitives.WriteUInt16BigEndian(s[2..], (ushort)total);
        BinaryPrimitives.WriteUInt16BigEndian(s[4..], _ipv4Id);
        var fragmentField = (offset / 8) | (moreFragments ? 0x2000 : 0) | (_dontFragment && !moreFragments && offset == 0 ? 0x4000 : 0);
        BinaryPrimitives.WriteUInt16BigEndian(s[6..], (ushort)fragmentField);
        s[8] = _ttl;
        s[9] = Protocol;
        BinaryPrimitives.WriteUInt32BigEndian(s[12..], _src.V4);
        BinaryPrimitives.WriteUInt32BigEndian(s[16..], _dst.V4);
        _ipv4Options.CopyTo(s[20..]);
        BinaryPrimitives.WriteUInt16BigEndian(s[10..], InternetChecksum.Compute(s[..headerLength]));
        data.CopyTo(s[headerLength..]);
        return packet;
    }

    private byte[] BuildIpv6(ReadOnlySpan<byte> l4)
    {
        var extensionLength = 0;
        foreach (var (_, data) in _ipv6Extensions)
        {
            extensionLength += data.Length + 2;
        }

        var payloadLength = extensionLength + l4.Length;
        if (payloadLength > ushort.MaxValue)
        {
            throw new InvalidOperationException($"IPv6 payload of {payloadLength} bytes needs a jumbogram");
        }

        var packet = new byte[40 + payloadLength];
        var s = packet.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(s, (6u << 28) | ((uint)_tos << 20) | _flowLabel);
        BinaryPrimitives.WriteUInt16BigEndian(s[4..], (ushort)payloadLength);
        s[6] = _ipv6Extensions.Count > 0 ? _ipv6Extensions[0].Type : Protocol;
        s[7] = _ttl;
        _src.WriteV6Bytes(s[8..]);
        _dst.WriteV6Bytes(s[24..]);
        var at = 40;
        for (var i = 0; i < _ipv6Extensions.Count; i++)
        {
            var (type, data) = _ipv6Extensions[i];
            var length = data.Length + 2;
            s[at] = i + 1 < _ipv6Extensions.Count ? _ipv6Extensions[i + 1].Type : Protocol;
            // Fragment headers have a reserved byte here; their fixed 8 bytes encode as 0 either way.
            s[at + 1] = (byte)(type == 51 ? (length / 4) - 2 : (length / 8) - 1);
            data.CopyTo(s[(at + 2)..]);
            at += length;
        }

        l4.CopyTo(s[at..]);
        return packet;
    }

    private static byte[] PadN(int length)
    {
        // Option type 1 (PadN) with length - 2 zero bytes fills an options header exactly.
        var data = new byte[length];
        data[0] = 1;
        data[1] = (byte)(length - 2);
        return data;
    }

    private static void WriteMac(Span<byte> destination, ulong mac)
    {
        for (var i = 0; i < 6; i++)
        {
            destination[i] = (byte)(mac >> (40 - (8 * i)));
        }
    }
}
