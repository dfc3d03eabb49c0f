namespace Flowhive.Shared.Cluster.Messages;

/// <summary>
/// Traffic of one application protocol and category, as ntopng's per-host and per-interface "ndpi" and
/// "ndpi_categories" statistics count it. <see cref="Protocol"/> is ntopng's statistics protocol (see
/// <see cref="StatsProtocol"/>). For a host, sent and received are from the host's side; for an interface, from the
/// client's (client to server is "sent").
/// </summary>
public readonly record struct L7Counters(ushort Protocol, ushort Category, long BytesSent, long BytesRcvd, long Flows)
{
    /// <summary>At most this many protocol/category pairs per message, so a hostile or broken sender cannot make a list unbounded.</summary>
    public const int MaxPerMessage = 1024;

    public long Bytes => BytesSent + BytesRcvd;

    public L7Counters Plus(L7Counters other) => this with
    {
        BytesSent = BytesSent + other.BytesSent,
        BytesRcvd = BytesRcvd + other.BytesRcvd,
        Flows = Flows + other.Flows,
    };

    /// <summary>nDPI's id of DNS, whose sub-protocols only say what was asked ("DNS.Google": a query for Google).</summary>
    public const ushort Dns = 5;

    /// <summary>
    /// The protocol ntopng counts a flow's traffic under (Flow::getStatsProtocol): the app when known ("TLS.Google"
    /// is Google traffic), except under a master whose sub-protocol is only informative, which is DNS in nDPI: a DNS
    /// query for Google is DNS traffic.
    /// </summary>
    public static ushort StatsProtocol(ushort master, ushort app) => app != 0 && master != Dns ? app : master;
}
