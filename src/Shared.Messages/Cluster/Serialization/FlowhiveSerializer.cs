using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Flowhive.Shared.Cluster.Messages;

namespace Flowhive.Shared.Cluster.Serialization;

/// <summary>
/// Binary serializer for every <see cref="IFlowhiveMessage"/>: a short string manifest names the type, the
/// body is fixed-order fields. Only the types listed here can be read back, so a frame can never make a node
/// instantiate an arbitrary type (the risk that rules out the default JSON serializer on the cluster wire).
/// </summary>
public sealed class FlowhiveSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Serializer id: unique in the actor system; Akka reserves ids below 100.</summary>
    public const int Id = 7101;

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        HostTrafficDelta => "HTD",
        InterfaceTrafficDelta => "ITD",
        GetInterfaceSummary => "GIS",
        InterfaceSummary => "IS",
        GetHosts => "GH",
        HostPage => "HP",
        GetActiveFlows => "GAF",
        FlowPage => "FP",
        GetHostDetails => "GHD",
        HostDetails => "HD",
        StatsRows => "SR",
        _ => throw new ArgumentException($"{o.GetType()} is not a Flowhive cluster message", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream(256);
        using (var w = new BinaryWriter(stream, BinaryFields.Utf8, leaveOpen: true))
        {
            Write(w, obj);
        }

        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        using var r = new BinaryReader(stream, BinaryFields.Utf8);
        try
        {
            var message = Read(r, manifest);
            if (stream.Position != stream.Length)
            {
                throw new InvalidDataException($"{stream.Length - stream.Position} unexpected trailing bytes");
            }

            return message;
        }
        catch (EndOfStreamException e)
        {
            throw new SerializationException($"truncated {manifest} message ({bytes.Length} bytes)", e);
        }
        catch (InvalidDataException e)
        {
            throw new SerializationException($"corrupt {manifest} message: {e.Message}", e);
        }
    }

    private static void Write(BinaryWriter w, object obj)
    {
        switch (obj)
        {
            case HostTrafficDelta m:
                w.Write(m.Host);
                w.Write(m.Mac);
                w.Write(m.FirstSeenUs);
                w.Write(m.LastSeenUs);
                w.Write(m.Delta);
                w.WriteL7(m.L7);
                w.WriteOptional(m.Profile);
                w.Write(m.Stamp);
                break;
            case InterfaceTrafficDelta m:
                w.Write(m.IfId);
                w.Write(m.IfName);
                w.Write(m.Bytes);
                w.Write(m.Packets);
                w.Write(m.Flows);
                w.WriteList(m.Hosts, (x, h) => x.Write(h));
                w.WriteList(m.FlowUpdates, (x, f) => x.Write(f));
                w.WriteL7(m.L7);
                w.Write(m.Local);
                w.Write(m.Stamp);
                break;
            case GetInterfaceSummary m:
                w.Write(m.IfId);
                break;
            case InterfaceSummary m:
                w.Write(m.IfId);
                w.Write(m.IfName);
                w.Write(m.Bytes);
                w.Write(m.Packets);
                w.Write(m.FlowsSeen);
                w.Write(m.ActiveFlows);
                w.Write(m.Hosts);
                w.Write(m.ThroughputBps);
                w.Write(m.ThroughputPps);
                w.Write(m.FirstSeenUs);
                w.Write(m.LastSeenUs);
                w.Write(m.UpdatedAtUs);
                w.WriteL7(m.L7);
                w.Write(m.Local);
                break;
            case GetHosts m:
                w.Write(m.IfId);
                w.Write((byte)m.SortBy);
                w.Write(m.Descending);
                w.Write(m.Offset);
                w.Write(m.Limit);
                w.Write((byte)m.Filter);
                break;
            case HostPage m:
                w.Write(m.Total);
                w.WriteList(m.Hosts, (x, h) => x.Write(h));
                break;
            case GetActiveFlows m:
                w.Write(m.IfId);
                w.Write(m.Offset);
                w.Write(m.Limit);
                w.Write(m.Host.HasValue);
                if (m.Host is { } host)
                {
                    w.Write(host);
                }

                break;
            case FlowPage m:
                w.Write(m.Total);
                w.WriteList(m.Flows, (x, f) => x.Write(f));
                break;
            case GetHostDetails m:
                w.Write(m.Host);
                break;
            case HostDetails m:
                w.Write(m.Host);
                w.Write(m.Mac);
                w.Write(m.Totals);
                w.Write(m.FirstSeenUs);
                w.Write(m.LastSeenUs);
                w.Write(m.Known);
                w.WriteL7(m.L7);
                w.WriteOptional(m.Profile);
                break;
            case StatsRows m:
                w.Write(m.Interface);
                w.WriteList(m.Hosts, (x, h) => x.Write(h));
                break;
            default:
                throw new ArgumentException($"{obj.GetType()} is not a Flowhive cluster message", nameof(obj));
        }
    }

    private static object Read(BinaryReader r, string manifest) => manifest switch
    {
        "HTD" => new HostTrafficDelta(r.ReadHostKey(), r.ReadUInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadHostCounters(), r.ReadL7(), r.ReadOptionalProfile(), r.ReadIngestStamp()),
        "ITD" => new InterfaceTrafficDelta(r.ReadInt32(), r.ReadString(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(),
            r.ReadList(x => x.ReadHostIndexDelta()), r.ReadList(x => x.ReadActiveFlow()), r.ReadL7(), r.ReadLocalTraffic(), r.ReadIngestStamp()),
        "GIS" => new GetInterfaceSummary(r.ReadInt32()),
        "IS" => new InterfaceSummary(r.ReadInt32(), r.ReadString(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt32(), r.ReadInt32(),
            r.ReadDouble(), r.ReadDouble(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadL7(), r.ReadLocalTraffic()),
        "GH" => new GetHosts(r.ReadInt32(), ReadSort(r), r.ReadBoolean(), r.ReadInt32(), r.ReadInt32(), ReadFilter(r)),
        "HP" => new HostPage(r.ReadInt32(), r.ReadList(x => x.ReadHostSummary())),
        "GAF" => new GetActiveFlows(r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadBoolean() ? r.ReadHostKey() : null),
        "FP" => new FlowPage(r.ReadInt32(), r.ReadList(x => x.ReadActiveFlow())),
        "GHD" => new GetHostDetails(r.ReadHostKey()),
        "HD" => new HostDetails(r.ReadHostKey(), r.ReadUInt64(), r.ReadHostCounters(), r.ReadInt64(), r.ReadInt64(), r.ReadBoolean(), r.ReadL7(), r.ReadOptionalProfile()),
        "SR" => new StatsRows(r.ReadInterfaceMinuteRow(), r.ReadList(x => x.ReadHostMinuteRow())),
        _ => throw new SerializationException($"unknown Flowhive message manifest '{manifest}'"),
    };

    private static HostFilter ReadFilter(BinaryReader r)
    {
        var value = r.ReadByte();
        return Enum.IsDefined(typeof(HostFilter), value) ? (HostFilter)value : throw new InvalidDataException($"host filter {value}");
    }

    private static HostSortColumn ReadSort(BinaryReader r)
    {
        var value = r.ReadByte();
        return Enum.IsDefined(typeof(HostSortColumn), value) ? (HostSortColumn)value : throw new InvalidDataException($"sort column {value}");
    }
}
