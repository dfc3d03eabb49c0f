namespace Flowhive.Shared.Flows;

/// <summary>
/// Which way a flow crosses the local-network boundary (nProbe <c>-L</c>). On the wire nProbe's DIRECTION field
/// carries 0 (ingress: a remote client reaching a local server) or 1 (egress: a local client reaching out);
/// both-local and both-remote flows, or no local networks configured, are unknown and not sent.
/// </summary>
public enum FlowDirection : byte
{
    Unknown = 0,
    Ingress = 1,
    Egress = 2,
}

public static class FlowDirections
{
    /// <summary>nProbe's DIRECTION value, or null when unknown.</summary>
    public static uint? ToWire(FlowDirection direction) => direction switch
    {
        FlowDirection.Ingress => 0,
        FlowDirection.Egress => 1,
        _ => null,
    };

    public static FlowDirection FromWire(ulong value) => value switch
    {
        0 => FlowDirection.Ingress,
        1 => FlowDirection.Egress,
        _ => FlowDirection.Unknown,
    };
}
