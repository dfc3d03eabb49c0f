using System.Globalization;
using Flowhive.Collector.Storage;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Cluster.Serialization;
using Flowhive.Shared.Net;

namespace Flowhive.Collector.State;

/// <summary>
/// How an interface entity's state is saved: one row of totals and applied ingest stamps (scope <see cref="Scope"/>,
/// key the interface id)
/// and one row per host of its index (scope <see cref="HostsScope"/>, key "vlan|ip"). The index is saved
/// incrementally, only the hosts that changed since the last checkpoint, so a checkpoint costs what changed, not
/// the size of the interface. Active flows are not saved: probes refresh them within one export interval.
/// </summary>
public static class InterfaceCheckpoint
{
    public const string Scope = "interface";

    public static string HostsScope(int ifId) => string.Create(CultureInfo.InvariantCulture, $"interface-hosts/{ifId}");

    public static string Key(int ifId) => ifId.ToString(CultureInfo.InvariantCulture);

    public static string HostKey(ushort vlan, IpAddr ip) => string.Create(CultureInfo.InvariantCulture, $"{vlan}|{ip}");

    public static byte[] WriteTotals(string ifName, long bytes, long packets, long flowsSeen, long firstSeenUs, long lastSeenUs, L7Counters[] l7,
        LocalTraffic local, long activeFlowEvictions, AppliedStamps stamps) => CheckpointEncoding.Encode(w =>
        {
            w.Write(ifName);
            w.Write(bytes);
            w.Write(packets);
            w.Write(flowsSeen);
            w.Write(firstSeenUs);
            w.Write(lastSeenUs);
            w.WriteAllL7(l7);
            w.Write(local);
            w.Write(activeFlowEvictions);
            stamps.Write(w);
        });

    public static (string IfName, long Bytes, long Packets, long FlowsSeen, long FirstSeenUs, long LastSeenUs, L7Counters[] L7, LocalTraffic Local, long ActiveFlowEvictions,
        AppliedStamps Stamps) ReadTotals(byte[] bytes) => CheckpointEncoding.Decode(bytes, r =>
        {
            var (name, b, p, f, first, last) = (r.ReadString(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64());
            var l7 = r.ReadAllL7();
            var (local, evictions) = (r.ReadLocalTraffic(), r.ReadInt64());
            var stamps = new AppliedStamps();
            stamps.Read(r);
            return (name, b, p, f, first, last, l7, local, evictions, stamps);
        });

    public static byte[] WriteHost(ushort vlan, IpAddr ip, ulong mac, bool local, HostCounters totals, long firstSeenUs, long lastSeenUs) => CheckpointEncoding.Encode(w =>
    {
        w.Write(vlan);
        w.Write(ip);
        w.Write(mac);
        w.Write(local);
        w.Write(totals);
        w.Write(firstSeenUs);
        w.Write(lastSeenUs);
    });

    public static (ushort Vlan, IpAddr Ip, ulong Mac, bool Local, HostCounters Totals, long FirstSeenUs, long LastSeenUs) ReadHost(Checkpoint saved)
    {
        var host = CheckpointEncoding.Decode(saved.State, r => (r.ReadUInt16(), r.ReadIpAddr(), r.ReadUInt64(), r.ReadBoolean(), r.ReadHostCounters(), r.ReadInt64(), r.ReadInt64()));
        return HostKey(host.Item1, host.Item2) == saved.Key ? host : throw new InvalidDataException($"index row '{saved.Key}' holds host {host.Item1}|{host.Item2}");
    }
}
