namespace Flowhive.Probe.Engine.Classification.Micro.Framework;

/// <summary>
/// Base of the protocols one packet proves (a magic number, a fixed header, a greeting on a known port): the packet
/// that matches claims the flow and reports it, and the flow is done unless <see cref="Inspect"/> is overridden to
/// read more. A flow is given <see cref="PacketsToDecide"/> payload packets to show its signature, then dropped.
/// </summary>
public abstract class SignatureDissector : IDissector
{
    public abstract string Name { get; }

    public abstract DissectorTransports Transports { get; }

    public abstract IReadOnlyList<ushort> Protocols { get; }

    public virtual int StateSize => 0;

    /// <summary>Payload packets (both directions) that may carry the signature; a capture may start mid-conversation.</summary>
    protected virtual int PacketsToDecide => 2;

    public virtual bool MayStartWith(byte firstByte) => true;

    public Identification Identify(ref DissectorContext context)
    {
        if (Matches(ref context))
        {
            return Identification.Mine;
        }

        var seen = context.Flow.ClientPayloadPackets + context.Flow.ServerPayloadPackets + 1;
        return seen >= PacketsToDecide ? Identification.NotMine : Identification.Unsure;
    }

    public virtual Inspection Inspect(ref DissectorContext context)
    {
        Report(ref context);
        return Inspection.Done;
    }

    /// <summary>Whether this packet proves the protocol. Reads only inside the payload.</summary>
    protected abstract bool Matches(ref DissectorContext context);

    /// <summary>Reports the protocol (and any metadata) for the packet that matched.</summary>
    protected abstract void Report(ref DissectorContext context);

    /// <summary>Whether either end of the flow uses <paramref name="port"/>.</summary>
    protected static bool OnPort(ref DissectorContext context, ushort port) => context.ServerPort == port || context.ClientPort == port;
}
