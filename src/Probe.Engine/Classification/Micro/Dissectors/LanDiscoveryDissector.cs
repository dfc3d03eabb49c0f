using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>
/// Applications' LAN discovery broadcasts, each a fixed marker on a fixed port: Dropbox LAN sync (17500, a JSON
/// object with "host_int", to port 17500) and Spotify Connect (57621, "SpotUdp0").
/// </summary>
public sealed class LanDiscoveryDissector : SignatureDissector
{
    private const ushort DropboxPort = 17500;
    private const ushort SpotifyPort = 57621;

    public override string Name => "LAN discovery";

    public override DissectorTransports Transports => DissectorTransports.Udp;

    public override IReadOnlyList<ushort> Protocols { get; } = [NdpiIds.Dropbox, NdpiIds.Spotify];

    protected override bool Matches(ref DissectorContext context) => ProtocolOf(ref context) != NdpiIds.Unknown;

    protected override void Report(ref DissectorContext context) => context.Flow.Detect(ProtocolOf(ref context));

    private static ushort ProtocolOf(ref DissectorContext context)
    {
        var p = context.Payload;
        // Announcements between two LAN sync ports carry "host_int"; a client's commands to the port say "Bus17Cmd".
        if (context.ServerPort == DropboxPort && p.IndexOf(context.ClientPort == DropboxPort ? "\"host_int\""u8 : "Bus17Cmd"u8) >= 0)
        {
            return NdpiIds.Dropbox;
        }

        return context.ServerPort == SpotifyPort && context.ClientPort == SpotifyPort && p.StartsWith("SpotUdp0"u8) ? NdpiIds.Spotify : NdpiIds.Unknown;
    }
}
