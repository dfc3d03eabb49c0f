using Flowhive.Hosting;
using Flowhive.Shared.Wire;

namespace Flowhive.Probe.Configuration;

/// <summary>
/// How flows are put on the ZeroMQ wire. The default (28-byte header with version 3, TLV, uncompressed) is what every
/// current ntopng reads, 6.2 included; the rest is opt-in for newer ntopng builds and JSON consumers.
/// </summary>
public sealed record ZmqSendOptions
{
    /// <summary>The 28-byte header: version 3 for TLV payloads, 2 for JSON (ZMQ_MSG_VERSION_TLV / _OLD).</summary>
    public const int LegacyMessageVersion = 3;

    /// <summary>The 36-byte header with flags (ZMQ_MSG_VERSION); ntopng 6.2 rejects it, later builds read it.</summary>
    public const int FlagsMessageVersion = 4;

    /// <summary>
    /// ntopng inflates payloads behind a pre-version-4 header into a buffer of min(max(10*size,131072),131072/3) bytes,
    /// i.e. 43690 at most, so a message compressed with the 0x00 marker must not inflate to more than that.
    /// </summary>
    public const int LegacyInflateLimit = 131_072 / 3;

    public static ZmqSendOptions Default { get; } = new();

    /// <summary>nProbe's <c>--zmq-format</c>: t (TLV) or j (JSON).</summary>
    public ZmqPayloadFormat Format { get; init; } = ZmqPayloadFormat.Tlv;

    /// <summary>nProbe's <c>--json-labels</c>: JSON keys are field names instead of numbers.</summary>
    public FlowJsonKeys JsonKeys { get; init; } = FlowJsonKeys.Numeric;

    /// <summary>3 (28-byte header) or 4 (36-byte header with the TLV and compression flags).</summary>
    public int MessageVersion { get; init; } = LegacyMessageVersion;

    /// <summary>zlib payloads: the compression flag in version 4, the leading 0x00 byte before it.</summary>
    public bool Compress { get; init; }

    public bool UsesFlagsHeader => MessageVersion == FlagsMessageVersion;

    public static ZmqSendOptions From(ParsedOptions o)
    {
        var formatText = o.Get("zmq-format") ?? "t";
        var format = formatText switch
        {
            "t" => ZmqPayloadFormat.Tlv,
            "j" => ZmqPayloadFormat.Json,
            "m" => throw new CommandLineException("--zmq-format m (multi-line JSON) is not supported; use t (TLV) or j (JSON)"),
            _ => throw new CommandLineException($"--zmq-format: '{formatText}' is not t (TLV) or j (JSON)"),
        };

        var labels = o.GetFlag("json-labels");
        if (labels && format != ZmqPayloadFormat.Json)
        {
            throw new CommandLineException("--json-labels names JSON keys: use it with --zmq-format j");
        }

        var version = o.GetInt("zmq-msg-version", LegacyMessageVersion, LegacyMessageVersion, FlagsMessageVersion);
        var enable = o.GetFlag("zmq-enable-compression");
        if (enable && o.GetFlag("zmq-disable-compression"))
        {
            throw new CommandLineException("--zmq-enable-compression and --zmq-disable-compression contradict each other");
        }

        if (enable && format == ZmqPayloadFormat.Tlv && version != FlagsMessageVersion)
        {
            // ntopng takes a version-3 payload as TLV without looking for the 0x00 marker, so it would never inflate it.
            throw new CommandLineException("--zmq-enable-compression: ntopng reads compressed TLV only behind the 36-byte header; add --zmq-msg-version 4 (or use --zmq-format j)");
        }

        return new ZmqSendOptions
        {
            Format = format,
            JsonKeys = labels ? FlowJsonKeys.Labels : FlowJsonKeys.Numeric,
            MessageVersion = version,
            Compress = enable,
        };
    }
}
