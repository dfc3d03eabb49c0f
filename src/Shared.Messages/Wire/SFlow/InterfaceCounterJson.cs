using System.Buffers;
using System.Text.Json;
using Flowhive.Shared.Net;

namespace Flowhive.Shared.Wire.SFlow;

/// <summary>
/// The ZeroMQ <c>counter</c> topic payload as nProbe sends sFlow interface counters and ntopng's
/// <c>parseJSONCounter</c> reads them: one JSON object per interface with names deviceIP (an IPv4 address as an
/// integer), ifIndex, ifType, ifSpeed, ifInOctets, ifInPackets, ifInErrors, ifOutOctets, ifOutPackets, ifOutErrors,
/// plus discards and the agent's uptime, which ntopng ignores. Decoding also takes ntopng's numeric keys 0-15.
/// </summary>
public static class InterfaceCounterJson
{
    /// <summary>Longest payload decoded; a counter object is a few hundred bytes.</summary>
    public const int MaxPayloadBytes = 16 * 1024;

    public static void Write(IBufferWriter<byte> output, in SFlowInterfaceCounters c)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        if (c.Agent.IsV4)
        {
            json.WriteNumber("deviceIP", c.Agent.V4);
        }
        else
        {
            json.WriteString("deviceIP", c.Agent.ToString());
        }

        json.WriteNumber("ifIndex", c.IfIndex);
        json.WriteNumber("ifType", c.IfType);
        json.WriteNumber("ifSpeed", c.IfSpeed);
        json.WriteNumber("ifInOctets", c.InOctets);
        json.WriteNumber("ifInPackets", c.InPackets);
        json.WriteNumber("ifInErrors", c.InErrors);
        json.WriteNumber("ifInDiscards", c.InDiscards);
        json.WriteNumber("ifOutOctets", c.OutOctets);
        json.WriteNumber("ifOutPackets", c.OutPackets);
        json.WriteNumber("ifOutErrors", c.OutErrors);
        json.WriteNumber("ifOutDiscards", c.OutDiscards);
        json.WriteNumber("agentUptimeMs", c.UptimeMs);
        json.WriteEndObject();
    }

    /// <summary>Reads one counter object; false (never an exception) for anything that is not one with a device and an ifIndex.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out SFlowInterfaceCounters counters)
    {
        counters = default;
        if (payload.IsEmpty || payload.Length > MaxPayloadBytes)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(payload.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            IpAddr? device = null;
            uint? ifIndex = null;
            uint ifType = 0, inDiscards = 0, inErrors = 0, outDiscards = 0, outErrors = 0, uptime = 0;
            ulong speed = 0, inOctets = 0, inPackets = 0, outOctets = 0, outPackets = 0;
            foreach (var p in root.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "deviceIP" or "0":
                        device = Device(p.Value);
                        break;
                    case "ifIndex" or "2":
                        ifIndex = (uint?)Number(p.Value);
                        break;
                    case "ifType" or "4":
                        ifType = (uint)(Number(p.Value) ?? 0);
                        break;
                    case "ifSpeed" or "5":
                        speed = Number(p.Value) ?? 0;
                        break;
                    case "ifInOctets" or "9":
                        inOctets = Number(p.Value) ?? 0;
                        break;
                    case "ifInPackets" or "10":
                        inPackets = Number(p.Value) ?? 0;
                        break;
                    case "ifInErrors" or "11":
                        inErrors = (uint)(Number(p.Value) ?? 0);
                        break;
                    case "ifOutOctets" or "12":
                        outOctets = Number(p.Value) ?? 0;
                        break;
                    case "ifOutPackets" or "13":
                        outPackets = Number(p.Value) ?? 0;
                        break;
                    case "ifOutErrors" or "14":
                        outErrors = (uint)(Number(p.Value) ?? 0);
                        break;
                    case "ifInDiscards":
                        inDiscards = (uint)(Number(p.Value) ?? 0);
                        break;
                    case "ifOutDiscards":
                        outDiscards = (uint)(Number(p.Value) ?? 0);
                        break;
                    case "agentUptimeMs":
                        uptime = (uint)(Number(p.Value) ?? 0);
                        break;
                }
            }

            if (device is not { } agent || ifIndex is not { } index)
            {
                return false;
            }

            counters = new SFlowInterfaceCounters(agent, index, ifType, speed, inOctets, inPackets, inDiscards, inErrors,
                outOctets, outPackets, outDiscards, outErrors, uptime);
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: names or strings that are not valid UTF-8 (the parser checks only structure).
            return false;
        }
    }

    /// <summary>JSON deviceIP is an integer (host order); a string form (dotted or IPv6) is taken too.</summary>
    private static IpAddr? Device(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetUInt32(out var v4) => IpAddr.FromV4(v4),
        JsonValueKind.String when IpAddr.TryParse(value.GetString(), out var address) => address,
        _ => null,
    };

    /// <summary>Counters are non-negative integers; anything else counts as absent.</summary>
    private static ulong? Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var n) ? n : null;
}
