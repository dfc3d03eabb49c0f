using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;
using Flowhive.Probe.Engine.Classification.Micro.Parsers;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>
/// SSH (RFC 4253): each side opens with its identification line "SSH-protoversion-softwareversion". The flow is
/// SSH on the first banner; both banners are kept for the record (the second one when it arrives).
/// </summary>
public sealed class SshDissector : SignatureDissector
{
    private const int MaxBanner = 255; // RFC 4253 4.2

    public override string Name => "SSH";

    public override DissectorTransports Transports => DissectorTransports.Tcp;

    public override IReadOnlyList<ushort> Protocols { get; } = [NdpiIds.Ssh];

    public override bool MayStartWith(byte firstByte) => firstByte == (byte)'S';

    public override Inspection Inspect(ref DissectorContext context)
    {
        if (IsBanner(context.Payload))
        {
            Report(ref context);
        }

        var metadata = context.Flow.Metadata;
        return metadata.SshClientBanner is not null && metadata.SshServerBanner is not null ? Inspection.Done : Inspection.Continue;
    }

    protected override bool Matches(ref DissectorContext context) => IsBanner(context.Payload);

    protected override void Report(ref DissectorContext context)
    {
        var p = context.Payload;
        var end = p[..Math.Min(p.Length, MaxBanner)].IndexOfAny((byte)'\r', (byte)'\n');
        var banner = HostNameText.Printable(end < 0 ? p[..Math.Min(p.Length, MaxBanner)] : p[..end]);
        var flow = context.Flow;
        if (context.FromClient)
        {
            flow.Metadata.SshClientBanner ??= banner;
        }
        else
        {
            flow.Metadata.SshServerBanner ??= banner;
        }

        flow.Detect(NdpiIds.Ssh);
        flow.Metadata.L7Info = flow.Metadata.SshClientBanner ?? flow.Metadata.SshServerBanner;
    }

    private static bool IsBanner(ReadOnlySpan<byte> p) => p.Length >= 8 && p.StartsWith("SSH-"u8) && (p[4..].StartsWith("2.0-"u8) || p[4..].StartsWith("1."u8));
}
