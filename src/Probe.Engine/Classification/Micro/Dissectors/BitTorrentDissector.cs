using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>
/// BitTorrent (BEP 3, 5, 14, 29): the peer wire handshake ("\x13BitTorrent protocol", reserved bytes, info hash)
/// over TCP, or inside a uTP data packet over UDP; a Mainline DHT query or response (a bencoded dictionary that
/// opens with the "a" or "r" dictionary and a 20-byte node id); a Local Service Discovery announcement
/// ("BT-SEARCH * HTTP/1.1"). The info hash, when the packet carries one, goes into the flow's metadata.
/// </summary>
public sealed class BitTorrentDissector : SignatureDissector
{
    private const int InfoHashOffset = 28; // after the name length, the 19-byte name and 8 reserved bytes
    private const int InfoHashLength = 20;

    /// <summary>uTP (BEP 29) header: type and version, extension, connection id, two timestamps, window, sequence and ack numbers.</summary>
    private const int UtpHeader = 20;

    private const byte UtpData = 0x01; // ST_DATA, version 1

    public override string Name => "BitTorrent";

    public override DissectorTransports Transports => DissectorTransports.Tcp | DissectorTransports.Udp;

    public override IReadOnlyList<ushort> Protocols { get; } = [NdpiIds.BitTorrent];

    /// <summary>A uTP connection sends its SYN and the SYN's acknowledgement before the data packet with the handshake.</summary>
    protected override int PacketsToDecide => 4;

    /// <summary>The handshake's length byte, a DHT dictionary, "BT-SEARCH", or a uTP packet of version 1 (any of its five types).</summary>
    public override bool MayStartWith(byte firstByte) =>
        firstByte is 0x13 or (byte)'d' or (byte)'B' || ((firstByte & 0x0F) == 1 && (firstByte >> 4) <= 4);

    protected override bool Matches(ref DissectorContext context)
    {
        var p = context.Payload;
        return context.Flow.L4 == 6 ? IsHandshake(p) : IsDht(p) || IsLocalServiceDiscovery(p) || IsHandshake(UtpPayload(p));
    }

    protected override void Report(ref DissectorContext context)
    {
        var flow = context.Flow;
        flow.Detect(NdpiIds.BitTorrent);
        var p = context.Payload;
        var hash = flow.L4 == 6 ? HandshakeInfoHash(p) : IsDht(p) ? DhtInfoHash(p) : HandshakeInfoHash(UtpPayload(p));
        if (!hash.IsEmpty)
        {
            flow.Metadata.BittorrentHash = Convert.ToHexStringLower(hash);
        }
    }

    private static bool IsHandshake(ReadOnlySpan<byte> p) => p.Length >= 20 && p[0] == 19 && p[1..20].SequenceEqual("BitTorrent protocol"u8);

    private static ReadOnlySpan<byte> HandshakeInfoHash(ReadOnlySpan<byte> p) =>
        IsHandshake(p) && p.Length >= InfoHashOffset + InfoHashLength ? p.Slice(InfoHashOffset, InfoHashLength) : [];

    /// <summary>A KRPC query ("d1:ad2:id20:") or response ("d1:rd2:id20:"): the dictionary's first key, then the sender's node id.</summary>
    private static bool IsDht(ReadOnlySpan<byte> p) => p.Length >= 32 && (p.StartsWith("d1:ad2:id20:"u8) || p.StartsWith("d1:rd2:id20:"u8));

    /// <summary>A get_peers or announce_peer query names the torrent: "9:info_hash20:" and its 20 bytes.</summary>
    private static ReadOnlySpan<byte> DhtInfoHash(ReadOnlySpan<byte> p)
    {
        var key = p.IndexOf("9:info_hash20:"u8);
        var start = key + "9:info_hash20:"u8.Length;
        return key >= 0 && p.Length - start >= InfoHashLength ? p.Slice(start, InfoHashLength) : [];
    }

    private static bool IsLocalServiceDiscovery(ReadOnlySpan<byte> p) => p.StartsWith("BT-SEARCH * HTTP/1.1\r\n"u8);

    /// <summary>The payload of a uTP data packet (after the header and its extension chain); empty for anything else.</summary>
    private static ReadOnlySpan<byte> UtpPayload(ReadOnlySpan<byte> p)
    {
        if (p.Length < UtpHeader || p[0] != UtpData)
        {
            return [];
        }

        var extension = p[1];
        var position = UtpHeader;
        while (extension != 0)
        {
            // Each extension: the type of the next one, its own length, its bytes.
            if (p.Length - position < 2 || p.Length - position - 2 < p[position + 1])
            {
                return [];
            }

            extension = p[position];
            position += 2 + p[position + 1];
        }

        return p[position..];
    }
}
