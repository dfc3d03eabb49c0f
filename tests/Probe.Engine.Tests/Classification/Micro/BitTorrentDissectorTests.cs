using System.Text;

namespace Flowhive.Probe.Engine.Tests.Classification.Micro;

/// <summary>BitTorrent: the peer handshake over TCP and inside uTP, DHT messages and Local Service Discovery, with the info hash.</summary>
public sealed class BitTorrentDissectorTests
{
    private static readonly byte[] InfoHash = [.. Enumerable.Range(1, 20).Select(i => (byte)(0xA0 + i))];

    [Fact]
    public void A_tcp_peer_handshake_is_bittorrent_and_names_the_torrent()
    {
        var flow = MicroConversation.Tcp(51413).FromClient(Handshake());

        Assert.Equal("BitTorrent", flow.Name);
        Assert.Equal((ushort)37, flow.App);
        Assert.Equal(Convert.ToHexStringLower(InfoHash), flow.Metadata?.BittorrentHash);
    }

    [Fact]
    public void A_dht_get_peers_query_is_bittorrent_and_names_the_torrent()
    {
        byte[] query = [.. "d1:ad2:id20:"u8, .. new byte[20], .. "9:info_hash20:"u8, .. InfoHash, .. "e1:q9:get_peers1:t2:aa1:y1:qe"u8];

        var flow = MicroConversation.Udp(6881, 6881).FromClient(query);

        Assert.Equal("BitTorrent", flow.Name);
        Assert.Equal(Convert.ToHexStringLower(InfoHash), flow.Metadata?.BittorrentHash);
    }

    [Fact]
    public void A_utp_connection_is_bittorrent_once_its_data_packet_carries_the_handshake()
    {
        byte[] syn = [0x41, 0, 0x12, 0x34, .. new byte[16]];
        byte[] state = [0x21, 0, 0x12, 0x34, .. new byte[16]];
        byte[] data = [0x01, 0, 0x12, 0x35, .. new byte[16], .. Handshake()];

        var flow = MicroConversation.Udp(40959, 6881).FromClient(syn);
        Assert.Equal("Unknown", flow.Name);

        flow.FromServer(state).FromClient(data);

        Assert.Equal("BitTorrent", flow.Name);
        Assert.Equal(Convert.ToHexStringLower(InfoHash), flow.Metadata?.BittorrentHash);
    }

    [Fact]
    public void The_corpus_utp_and_dht_flow_is_bittorrent_with_the_hash_of_its_get_peers()
    {
        var record = CorpusFlows.WithPort("bittorrent_utp.pcap", 64969);

        Assert.Equal("BitTorrent", CorpusFlows.NameOf(record));
        // The first datagram is a get_peers query; its info_hash bytes, as the capture has them.
        Assert.Equal("f7f601d8a6276f762c2c3df274af2827f8d1f1de", record.Metadata?.BittorrentHash);
    }

    [Fact]
    public void A_local_service_discovery_announcement_is_bittorrent()
    {
        var record = CorpusFlows.WithPort("bt_search.pcap", 6771);

        Assert.Equal("BitTorrent", CorpusFlows.NameOf(record));
    }

    [Fact]
    public void Near_misses_are_not_bittorrent()
    {
        byte[] wrongName = [19, .. "BitTorrent protocoX"u8, .. new byte[48]];
        byte[] otherDictionary = [.. "d1:xd2:id20:"u8, .. new byte[40]];

        Assert.Equal("Unknown", MicroConversation.Tcp(51413).FromClient(wrongName).Name);
        Assert.Equal("Unknown", MicroConversation.Udp(6881, 6881).FromClient(otherDictionary).Name);
    }

    /// <summary>BEP 3's handshake: the protocol name, eight reserved bytes (extension protocol and DHT bits set), the info hash, a peer id.</summary>
    internal static byte[] Handshake() =>
        [19, .. "BitTorrent protocol"u8, 0, 0, 0, 0, 0, 0x10, 0, 0x05, .. InfoHash, .. Encoding.ASCII.GetBytes("-qB4650-k8hj0wgej6ch")];
}
