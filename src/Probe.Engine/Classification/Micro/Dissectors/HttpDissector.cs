using System.Runtime.CompilerServices;
using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;
using Flowhive.Probe.Engine.Classification.Micro.Parsers;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>
/// HTTP/1.x over TCP on any port: the request line and headers (method, URL, Host and its service, User-Agent) and
/// the status line and content type of the response. Headers split over segments are reassembled up to
/// <see cref="MaxHeadLength"/>. OCSP requests (POSTed as application/ocsp-request) are reported as HTTP.OCSP and
/// CONNECT as HTTP_Connect, as nDPI 4.2 does.
/// </summary>
public sealed class HttpDissector : IDissector
{
    /// <summary>Header bytes waited for before parsing what has arrived.</summary>
    public const int MaxHeadLength = 8 * 1024;

    public string Name => "HTTP";

    public DissectorTransports Transports => DissectorTransports.Tcp;

    public IReadOnlyList<ushort> Protocols { get; } = [NdpiIds.Http, NdpiIds.Ocsp, NdpiIds.HttpConnect];

    public int StateSize => Unsafe.SizeOf<HttpState>();

    public bool MayStartWith(byte firstByte) => firstByte is >= (byte)'A' and <= (byte)'Z';

    public Identification Identify(ref DissectorContext context)
    {
        var p = context.Payload;
        if (context.FromClient)
        {
            return HttpHead.MethodLength(p) > 0 ? Identification.Mine : Identification.NotMine;
        }

        return HttpHead.IsStatusLine(p) ? Identification.Mine : Identification.NotMine;
    }

    public Inspection Inspect(ref DissectorContext context)
    {
        ref var state = ref context.State<HttpState>();
        ref var done = ref context.FromClient ? ref state.RequestDone : ref state.ResponseDone;
        if (done == 0)
        {
            ref var stream = ref context.Stream;
            var data = stream.Accept(context.Packet.TcpSeq, context.Payload);
            if (!data.IsEmpty)
            {
                var end = HttpHead.HeaderEnd(data);
                if (end < 0 && data.Length < MaxHeadLength)
                {
                    stream.Keep(data, 0); // wait for the rest of the header block
                }
                else
                {
                    var head = end < 0 ? data[..Math.Min(data.Length, MaxHeadLength)] : data[..end];
                    if (context.FromClient)
                    {
                        Request(ref context, head);
                    }
                    else
                    {
                        Response(ref context, head);
                    }

                    done = 1;
                    stream.Keep(data, data.Length);
                }
            }
            else if (stream.Broken || stream.Overflowed)
            {
                done = 1;
            }
        }

        return state.RequestDone != 0 && state.ResponseDone != 0 ? Inspection.Done : Inspection.Continue;
    }

    private static void Request(ref DissectorContext context, ReadOnlySpan<byte> head)
    {
        var methodLength = HttpHead.MethodLength(head);
        if (methodLength == 0)
        {
            return;
        }

        var rest = HttpHead.NextLine(head, out var requestLine);
        var method = requestLine[..(methodLength - 1)];
        var target = requestLine[methodLength..];
        var space = target.IndexOf((byte)' ');
        if (space >= 0)
        {
            target = target[..space];
        }

        var metadata = context.Flow.Metadata;
        metadata.HttpMethod = HostNameText.Printable(method);
        metadata.HttpUrl = HostNameText.Printable(target);

        string? host = null;
        var ocsp = false;
        while (!rest.IsEmpty)
        {
            rest = HttpHead.NextLine(rest, out var line);
            if (line.IsEmpty || !HttpHead.TrySplitHeader(line, out var name, out var value))
            {
                continue;
            }

            if (HttpHead.NameIs(name, "host"u8))
            {
                host = HostNameText.From(HttpHead.HostWithoutPort(value));
            }
            else if (HttpHead.NameIs(name, "user-agent"u8))
            {
                metadata.HttpUserAgent = HostNameText.Printable(value);
            }
            else if (HttpHead.NameIs(name, "content-type"u8))
            {
                ocsp = value.StartsWith("application/ocsp-request"u8);
            }
        }

        metadata.HttpSite = host;
        if (ocsp)
        {
            context.Flow.DetectWithHost(NdpiIds.Http, host);
            context.Flow.Detect(NdpiIds.Http, NdpiIds.Ocsp);
        }
        else if (method.SequenceEqual("CONNECT"u8))
        {
            context.Flow.DetectWithHost(NdpiIds.HttpConnect, host);
        }
        else
        {
            context.Flow.DetectWithHost(NdpiIds.Http, host);
        }
    }

    private static void Response(ref DissectorContext context, ReadOnlySpan<byte> head)
    {
        var rest = HttpHead.NextLine(head, out var statusLine);
        var code = HttpHead.StatusCode(statusLine);
        if (code == 0)
        {
            return;
        }

        var metadata = context.Flow.Metadata;
        metadata.HttpReturnCode = code;
        while (!rest.IsEmpty)
        {
            rest = HttpHead.NextLine(rest, out var line);
            if (HttpHead.TrySplitHeader(line, out var name, out var value) && HttpHead.NameIs(name, "content-type"u8))
            {
                metadata.HttpContentType = HostNameText.Printable(value);
                break;
            }
        }

        if (context.Flow.Confidence != MicroConfidence.Dpi)
        {
            context.Flow.DetectWithHost(NdpiIds.Http, null); // only the server's side was captured
        }

        context.Flow.MetadataChanged();
    }

    private struct HttpState
    {
        public byte RequestDone;
        public byte ResponseDone;
    }
}
