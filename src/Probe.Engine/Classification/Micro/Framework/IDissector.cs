namespace Flowhive.Probe.Engine.Classification.Micro.Framework;

/// <summary>
/// One protocol of the micro engine: the plug-in interface. A dissector is created once per flow worker (so it
/// may keep per-worker scratch fields) and sees the packets of many flows; whatever it must remember about one
/// flow lives in that flow's state block (<see cref="StateSize"/>, read with <see cref="DissectorContext.State{T}"/>)
/// or in the flow's buffers. Register it in <see cref="MicroDissectors"/>; the dispatcher does the rest.
/// <para>
/// Life of a flow: while nobody owns it, <see cref="Identify"/> is called on each payload packet (or every packet
/// for <see cref="DissectorTransports.OtherIp"/>) until the dissector answers <see cref="Identification.NotMine"/>
/// or some dissector, in registration order, answers <see cref="Identification.Mine"/>. The first to claim the
/// flow owns it: from then on only its <see cref="Inspect"/> is called, starting with the packet that claimed it,
/// until it returns <see cref="Inspection.Done"/> or the flow reaches the engine's packet limit.
/// </para>
/// <para>
/// Rules: every read is bounds-checked against the payload (a packet is hostile input); nothing is allocated per
/// packet (strings for metadata are fine, once per flow); results are reported through <see cref="DissectorContext.Flow"/>
/// only when the packet proves the protocol. A dissector that cannot tell stays quiet: the flow stays Unknown.
/// </para>
/// </summary>
public interface IDissector
{
    /// <summary>Short name for listings and diagnostics ("TLS", "DNS").</summary>
    string Name { get; }

    DissectorTransports Transports { get; }

    /// <summary>nDPI 4.2 protocol ids this dissector can report itself (services named by host names come from the service table).</summary>
    IReadOnlyList<ushort> Protocols { get; }

    /// <summary>Bytes of per-flow state (an unmanaged struct's size), zeroed when a flow starts; 0 for none.</summary>
    int StateSize { get; }

    /// <summary>
    /// Whether a flow whose first payload starts with <paramref name="firstByte"/> can be this protocol. The
    /// dispatcher asks once per dissector and byte value, at start-up, so that it never calls a dissector that
    /// cannot match. Return true when unsure.
    /// </summary>
    bool MayStartWith(byte firstByte);

    /// <summary>Decides, from this packet, whether the flow is this protocol. Must not touch the flow's streams or buffers.</summary>
    Identification Identify(ref DissectorContext context);

    /// <summary>Parses a packet of a flow this dissector owns and reports what it finds.</summary>
    Inspection Inspect(ref DissectorContext context);
}
