namespace Flowhive.Shared.Cluster.Messages;

/// <summary>
/// One side of a host's DNS activity, as ntopng's DnsStats counts it. As a client: queries sent by type and replies
/// received by their return code; as a server: queries received and replies sent. "Other" is every query type but A
/// and AAAA; a reply is an error when its return code is not NOERROR.
/// </summary>
public readonly record struct DnsCounters(long QueriesA, long QueriesAaaa, long QueriesOther, long RepliesOk, long RepliesError)
{
    public const ushort TypeA = 1;
    public const ushort TypeAaaa = 28;

    public long Queries => QueriesA + QueriesAaaa + QueriesOther;

    public bool IsEmpty => this == default;

    public static DnsCounters Query(ushort type) => type switch
    {
        TypeA => new(1, 0, 0, 0, 0),
        TypeAaaa => new(0, 1, 0, 0, 0),
        _ => new(0, 0, 1, 0, 0),
    };

    public static DnsCounters Reply(byte returnCode) => returnCode == 0 ? new(0, 0, 0, 1, 0) : new(0, 0, 0, 0, 1);

    public static DnsCounters operator +(DnsCounters a, DnsCounters b) => new(
        a.QueriesA + b.QueriesA, a.QueriesAaaa + b.QueriesAaaa, a.QueriesOther + b.QueriesOther, a.RepliesOk + b.RepliesOk, a.RepliesError + b.RepliesError);
}
