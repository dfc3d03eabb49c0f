using System.Buffers.Binary;

namespace Flowhive.Probe.Engine.Tests.Classification.Micro;

/// <summary>OpenVPN: the client's hard reset and the server's reset that acknowledges its session id, over UDP and TCP.</summary>
public sealed class OpenVpnDissectorTests
{
    internal const ulong ClientSession = 0xD67BE45BE5C201EB;
    private const ulong ServerSession = 0x19082E80F9CA5280;

    [Fact]
    public void A_udp_hard_reset_answered_for_the_same_session_is_openvpn()
    {
        var flow = MicroConversation.Udp(41000, 1194).FromClient(ClientReset(hmac: 20));
        Assert.Equal("Unknown", flow.Name);

        flow.FromServer(ServerReset(hmac: 20, acknowledged: ClientSession));

        Assert.Equal("OpenVPN", flow.Name);
        Assert.Equal((ushort)159, flow.App);
    }

    [Fact]
    public void A_tcp_hard_reset_with_an_md5_hmac_behind_the_length_prefix_is_openvpn()
    {
        var flow = MicroConversation.Tcp(443).FromClient(Framed(ClientReset(hmac: 16))).FromServer(Framed(ServerReset(hmac: 16, acknowledged: ClientSession)));

        Assert.Equal("OpenVPN", flow.Name);
    }

    [Fact]
    public void The_corpus_openvpn_over_tcp_flow_is_openvpn()
    {
        var record = CorpusFlows.WithPort("443-opvn.pcap", 1194);

        Assert.Equal("OpenVPN", CorpusFlows.NameOf(record));
    }

    [Fact]
    public void An_80_byte_first_datagram_with_an_obfuscated_opcode_is_openvpn_as_ndpi_4_2_says()
    {
        // nDPI 4.2 labels this telegram.pcap flow OpenVPN from its first datagram alone (80 bytes, opcode 160).
        var record = CorpusFlows.WithPort("telegram.pcap", 60723);
        byte[] notFirst = [0xA3, .. new byte[79]];

        Assert.Equal("OpenVPN", CorpusFlows.NameOf(record));
        Assert.Equal("Unknown", MicroConversation.Udp(23174, 60723).FromClient(new byte[20]).FromClient(notFirst).Name);
    }

    [Fact]
    public void A_server_reset_for_another_session_is_not_openvpn()
    {
        var flow = MicroConversation.Udp(41000, 1194).FromClient(ClientReset(hmac: 20)).FromServer(ServerReset(hmac: 20, acknowledged: ClientSession + 1));

        Assert.Equal("Unknown", flow.Name);
    }

    /// <summary>P_CONTROL_HARD_RESET_CLIENT_V2, key id 0: session id, HMAC, packet id 1, time, no acknowledgements, message packet id 0.</summary>
    internal static byte[] ClientReset(int hmac) =>
        [7 << 3, .. U64(ClientSession), .. Enumerable.Repeat((byte)0x5A, hmac), 0, 0, 0, 1, 0x5E, 0x3E, 0x7B, 0x98, 0, 0, 0, 0, 0];

    /// <summary>P_CONTROL_HARD_RESET_SERVER_V2: its own session id, HMAC, packet id 1, time, one acknowledgement (packet 0 of <paramref name="acknowledged"/>).</summary>
    internal static byte[] ServerReset(int hmac, ulong acknowledged) =>
        [8 << 3, .. U64(ServerSession), .. Enumerable.Repeat((byte)0xA5, hmac), 0, 0, 0, 1, 0x5E, 0x3E, 0x7B, 0x98, 1, 0, 0, 0, 0, .. U64(acknowledged), 0, 0, 0, 0];

    /// <summary>OpenVPN over TCP: each packet after its 2-byte length.</summary>
    internal static byte[] Framed(byte[] packet) => [(byte)(packet.Length >> 8), (byte)packet.Length, .. packet];

    private static byte[] U64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }
}
