using System.Runtime.Serialization;
using Akka.Actor;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Cluster.Serialization;
using Flowhive.Shared.Net;

namespace Flowhive.Shared.Messages.Tests.Cluster;

public sealed class FlowhiveSerializerTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("serializer-test");
    private readonly FlowhiveSerializer _serializer;

    public FlowhiveSerializerTests() => _serializer = new FlowhiveSerializer((ExtendedActorSystem)_system);

    private static readonly HostKey V4Host = new(2, 10, IpAddr.Parse("192.168.1.20"));
    private static readonly HostKey V6Host = new(0, 0, IpAddr.Parse("2001:db8::1"));
    private static readonly HostCounters Counters = new(1_000_000_000_000, 2, 3, 4, 5, 6);

    private static ActiveFlow Flow(string? info) => new(IpAddr.Parse("10.0.0.1"), 51234, IpAddr.Parse("2001:db8::80"), 443, 6, 4094,
        100, 200, 3, 4, 1_700_000_000_000_000, 1_700_000_001_000_000, 91, 124, info);

    /// <summary>One instance of every cluster message type, with non-default values in every field.</summary>
    public static TheoryData<IFlowhiveMessage> Messages() =>
    [
        new HostTrafficDelta(V4Host, 0x0011_2233_4455, 10, 20, Counters, L7),
        new HostTrafficDelta(V6Host, 0, 0, 0, default),
        new InterfaceTrafficDelta(3, "eth1", 1, 2, 3,
            [new HostIndexDelta(10, V4Host.Ip, 0xAABB_CCDD_EEFF, 1, 2, Counters, Local: true), new HostIndexDelta(0, V6Host.Ip, 0, 3, 4, default)],
            [Flow("www.example.com"), Flow(null)], L7, new LocalTraffic(1, 2, 3, long.MaxValue)),
        new InterfaceTrafficDelta(0, "", 0, 0, 0, [], []),
        new GetInterfaceSummary(7),
        new InterfaceSummary(1, "tcp://probe:5556", 1, 2, 3, 4, 5, 6.5, 7.25, 8, 9, 10, L7, new LocalTraffic(4, 3, 2, 1)),
        new GetHosts(1, HostSortColumn.Throughput, true, 50, 25),
        new GetHosts(2, HostSortColumn.Ip, false, 0, 10, HostFilter.Remote),
        new HostPage(2, [new HostSummary(V4Host, 1, Counters, 2, 3, 4.5), new HostSummary(V6Host, 0, default, 0, 0, 0)]),
        new GetActiveFlows(1, 0, 10, V6Host),
        new GetActiveFlows(1, 0, 10, null),
        new FlowPage(1, [Flow("dns.google")]),
        new GetHostDetails(V6Host),
        new HostDetails(V4Host, 42, Counters, 1, 2, true, L7),
        new HostDetails(V6Host, 0, default, 0, 0, false),
        new StatsRows(new InterfaceMinuteRow(Minute, 3, "eth1", 1, 2, 3, 4, 5),
            [new HostMinuteRow(Minute, 3, 10, V4Host.Ip, 0xAABB_CCDD_EEFF, 1, 2, 3, 4, 5, 6), new HostMinuteRow(Minute, 3, 0, V6Host.Ip, 0, 0, 0, 0, 0, 0, 0)]),
        new StatsRows(new InterfaceMinuteRow(Minute, 0, "", 0, 0, 0, 0, 0), []),
    ];

    private static readonly L7Counters[] L7 = [new(126, 5, 1_000_000, 20_000, 3), new(5, 14, 1, 2, 1), new(ushort.MaxValue, ushort.MaxValue, 0, 0, 0)];

    private static readonly DateTimeOffset Minute = new(2026, 11, 22, 19, 5, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_cluster_message_round_trips(IFlowhiveMessage message)
    {
        var bytes = _serializer.ToBinary(message);
        var back = _serializer.FromBinary(bytes, _serializer.Manifest(message));
        Assert.Equal(Canonical(message), Canonical(back));
    }

    [Fact]
    public void Every_message_type_in_the_assembly_has_a_round_trip_case()
    {
        var covered = ((IEnumerable<object[]>)Messages()).Select(row => row[0].GetType()).ToHashSet();
        var all = typeof(IFlowhiveMessage).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IFlowhiveMessage).IsAssignableFrom(t));
        Assert.DoesNotContain(all, t => !covered.Contains(t));
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Truncated_bytes_are_a_serialization_error_not_a_crash(IFlowhiveMessage message)
    {
        var bytes = _serializer.ToBinary(message);
        var manifest = _serializer.Manifest(message);
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes[..length], manifest));
        }
    }

    [Fact]
    public void Unknown_manifests_and_oversized_lists_are_refused()
    {
        Assert.Throws<SerializationException>(() => _serializer.FromBinary([1, 2, 3], "System.Diagnostics.Process"));
        var page = _serializer.ToBinary(new HostPage(1, []));
        page[4] = 0xFF;
        page[5] = 0xFF;
        page[6] = 0xFF;
        page[7] = 0x7F; // list length int.MaxValue
        Assert.Throws<SerializationException>(() => _serializer.FromBinary(page, "HP"));

        var query = _serializer.ToBinary(new GetHosts(1, HostSortColumn.Bytes, true, 0, 10, HostFilter.Local));
        query[^1] = 9; // no such host filter
        Assert.Throws<SerializationException>(() => _serializer.FromBinary(query, "GH"));
    }

    [Fact]
    public void Protocol_lists_over_the_per_message_bound_are_refused_both_ways()
    {
        var tooMany = Enumerable.Range(0, L7Counters.MaxPerMessage + 1).Select(i => new L7Counters((ushort)i, 0, 1, 1, 1)).ToArray();
        Assert.Throws<ArgumentException>(() => _serializer.ToBinary(new HostTrafficDelta(V4Host, 0, 1, 2, Counters, tooMany)));

        // A sender that wrote a longer list anyway (another build, a corrupt frame): the reader refuses it by the bound.
        var full = tooMany[..L7Counters.MaxPerMessage];
        var allowed = _serializer.ToBinary(new HostTrafficDelta(V4Host, 0, 1, 2, Counters, full));
        var countAt = allowed.Length - (full.Length * 28) - 4; // 28 bytes per entry follow the list's count
        var bytes = allowed.Concat(allowed[^28..]).ToArray();
        BitConverter.TryWriteBytes(bytes.AsSpan(countAt, 4), L7Counters.MaxPerMessage + 1);
        var refused = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "HTD"));
        Assert.Contains("protocol entries", refused.Message);
        Assert.Equal(full.Length, ((HostTrafficDelta)_serializer.FromBinary(allowed, "HTD")).L7.Count);
    }

    // Records with list members compare by reference; compare their printed form with lists expanded instead.
    private static string Canonical(object message) => message switch
    {
        InterfaceTrafficDelta m => $"{m with { Hosts = [], FlowUpdates = [], L7 = [] }}|{string.Join(";", m.Hosts)}|{string.Join(";", m.FlowUpdates)}|{string.Join(";", m.L7)}",
        HostTrafficDelta m => $"{m with { L7 = [] }}|{string.Join(";", m.L7)}",
        InterfaceSummary m => $"{m with { L7 = [] }}|{string.Join(";", m.L7)}",
        HostDetails m => $"{m with { L7 = [] }}|{string.Join(";", m.L7)}",
        HostPage m => $"{m.Total}|{string.Join(";", m.Hosts)}",
        FlowPage m => $"{m.Total}|{string.Join(";", m.Flows)}",
        StatsRows m => $"{m.Interface}|{string.Join(";", m.Hosts)}",
        _ => message.ToString()!,
    };

    public void Dispose() => _system.Dispose();
}
