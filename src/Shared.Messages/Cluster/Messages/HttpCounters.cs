namespace Flowhive.Shared.Cluster.Messages;

/// <summary>
/// One side of a host's HTTP activity, as ntopng's HTTPstats counts it. As a client: requests sent by method and
/// responses received by status class; as a server: requests received and responses sent.
/// </summary>
public readonly record struct HttpCounters(
    long Get, long Post, long Head, long Put, long OtherMethod,
    long Status1xx, long Status2xx, long Status3xx, long Status4xx, long Status5xx)
{
    public long Requests => Get + Post + Head + Put + OtherMethod;

    public long Responses => Status1xx + Status2xx + Status3xx + Status4xx + Status5xx;

    public bool IsEmpty => this == default;

    /// <summary>One request of <paramref name="method"/>, compared without allocating (the decoder's string, as sent).</summary>
    public static HttpCounters Request(string method) => method switch
    {
        "GET" => new(1, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        "POST" => new(0, 1, 0, 0, 0, 0, 0, 0, 0, 0),
        "HEAD" => new(0, 0, 1, 0, 0, 0, 0, 0, 0, 0),
        "PUT" => new(0, 0, 0, 1, 0, 0, 0, 0, 0, 0),
        _ => new(0, 0, 0, 0, 1, 0, 0, 0, 0, 0),
    };

    /// <summary>One response with <paramref name="status"/>; a code outside 100-599 is no HTTP status and counts nothing.</summary>
    public static HttpCounters Response(ushort status) => (status / 100) switch
    {
        1 => new(0, 0, 0, 0, 0, 1, 0, 0, 0, 0),
        2 => new(0, 0, 0, 0, 0, 0, 1, 0, 0, 0),
        3 => new(0, 0, 0, 0, 0, 0, 0, 1, 0, 0),
        4 => new(0, 0, 0, 0, 0, 0, 0, 0, 1, 0),
        5 => new(0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
        _ => default,
    };

    public static HttpCounters operator +(HttpCounters a, HttpCounters b) => new(
        a.Get + b.Get, a.Post + b.Post, a.Head + b.Head, a.Put + b.Put, a.OtherMethod + b.OtherMethod,
        a.Status1xx + b.Status1xx, a.Status2xx + b.Status2xx, a.Status3xx + b.Status3xx, a.Status4xx + b.Status4xx, a.Status5xx + b.Status5xx);
}
