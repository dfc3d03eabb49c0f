using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;
using Flowhive.Probe.Engine.Classification.Micro.Parsers;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>
/// SSH (RFC 4253): each side opens with its identification line "SSH-protoversion-softwareversion". The flow is
/// SSH on the first banner. Each direction is then followed as a stream to its first binary packet, the side's
/// SSH_MSG_KEXINIT, still unencrypted: the client's gives HASSH, the server's HASSHServer. Both banners and both
/// fingerprints go into the flow's metadata.
/// </summary>
public sealed class SshDissector : SignatureDissector
{
    private const int MaxBanner = 255; // RFC 4253 4.2

    /// <summary>RFC 4253 6.1: implementations must take packets of 35000 bytes; a KEXINIT this engine keeps must fit its stream buffer.</summary>
    private const int MaxKexInitPacket = BoundedBuffer.MaxLength - 4;

    /// <summary>Lines a server may send before its banner (RFC 4253 4.2), counted to give up on a stream that never has one.</summary>
    private const int MaxLinesBeforeBanner = 8;

    public override string Name => "SSH";

    public override DissectorTransports Transports => DissectorTransports.Tcp;

    public override IReadOnlyList<ushort> Protocols { get; } = [NdpiIds.Ssh];

    public override int StateSize => Unsafe.SizeOf<SshState>();

    public override bool MayStartWith(byte firstByte) => firstByte == (byte)'S';

    public override Inspection Inspect(ref DissectorContext context)
    {
        var flow = context.Flow;
        if (flow.App != NdpiIds.Ssh)
        {
            Report(ref context);
        }

        ref var state = ref context.State<SshState>();
        ref var direction = ref context.FromClient ? ref state.Client : ref state.Server;
        if (direction.Phase != SshPhase.Done)
        {
            ref var stream = ref context.Stream;
            var data = stream.Accept(context.Packet.TcpSeq, context.Payload);
            if (data.IsEmpty)
            {
                if (stream.Broken || stream.Overflowed)
                {
                    direction.Phase = SshPhase.Done;
                }
            }
            else
            {
                stream.Keep(data, Follow(ref context, ref direction, data));
            }
        }

        return state.Client.Phase == SshPhase.Done && state.Server.Phase == SshPhase.Done ? Inspection.Done : Inspection.Continue;
    }

    protected override bool Matches(ref DissectorContext context) => IsBanner(context.Payload);

    protected override void Report(ref DissectorContext context) => context.Flow.Detect(NdpiIds.Ssh);

    /// <summary>Reads the direction's banner line, then its first binary packet; returns the bytes consumed (the rest waits for the next segment).</summary>
    private static int Follow(ref DissectorContext context, ref SshDirection direction, ReadOnlySpan<byte> data)
    {
        var position = 0;
        while (direction.Phase == SshPhase.Banner)
        {
            var rest = data[position..];
            var newline = rest[..Math.Min(rest.Length, MaxBanner)].IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (rest.Length >= MaxBanner)
                {
                    direction.Phase = SshPhase.Done; // a line longer than RFC 4253 allows: not following this
                    return data.Length;
                }

                return position;
            }

            var line = rest[..newline];
            position += newline + 1;
            if (IsBanner(line))
            {
                Banner(ref context, line.TrimEnd((byte)'\r'));
                direction.Phase = SshPhase.KexInit;
            }
            else if (++direction.LinesSkipped >= MaxLinesBeforeBanner)
            {
                direction.Phase = SshPhase.Done;
                return data.Length;
            }
        }

        var packet = data[position..];
        if (packet.Length < 4)
        {
            return position;
        }

        var packetLength = BinaryPrimitives.ReadUInt32BigEndian(packet);
        if (packetLength > MaxKexInitPacket)
        {
            direction.Phase = SshPhase.Done;
            return data.Length;
        }

        if (packet.Length - 4 < packetLength)
        {
            return position; // the KEXINIT continues in a later segment
        }

        if (SshKexInit.TryParse(packet[..(4 + (int)packetLength)], out var kex))
        {
            Fingerprint(ref context, kex);
        }

        direction.Phase = SshPhase.Done;
        return data.Length;
    }

    private static void Banner(ref DissectorContext context, ReadOnlySpan<byte> line)
    {
        var flow = context.Flow;
        var metadata = flow.Metadata;
        var banner = HostNameText.Printable(line);
        if (context.FromClient)
        {
            metadata.SshClientBanner ??= banner;
        }
        else
        {
            metadata.SshServerBanner ??= banner;
        }

        metadata.L7Info = metadata.SshClientBanner ?? metadata.SshServerBanner;
        flow.MetadataChanged();
    }

    private static void Fingerprint(ref DissectorContext context, in SshKexInit kex)
    {
        var metadata = context.Flow.Metadata;
        if (context.FromClient)
        {
            metadata.HasshClient = Hassh.Client(kex, context.Scratch.Text);
        }
        else
        {
            metadata.HasshServer = Hassh.Server(kex, context.Scratch.Text);
        }

        context.Flow.MetadataChanged();
    }

    private static bool IsBanner(ReadOnlySpan<byte> p) => p.Length >= 8 && p.StartsWith("SSH-"u8) && (p[4..].StartsWith("2.0-"u8) || p[4..].StartsWith("1."u8));

    private enum SshPhase : byte
    {
        Banner = 0,
        KexInit = 1,
        Done = 2,
    }

    private struct SshDirection
    {
        public SshPhase Phase;
        public byte LinesSkipped;
    }

    private struct SshState
    {
        public SshDirection Client;
        public SshDirection Server;
    }
}
