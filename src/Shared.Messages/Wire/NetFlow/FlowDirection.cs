namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>Which part of a bidirectional <see cref="Flows.FlowRecord"/> one exported record carries.</summary>
public enum FlowDirection : byte
{
    /// <summary>Client to server: the In* counters, addresses as they are.</summary>
    Forward,

    /// <summary>Server to client: the Out* counters, addresses, ports and MACs swapped.</summary>
    Reverse,

    /// <summary>Both directions in one record (templates with OUT_BYTES/OUT_PKTS).</summary>
    Both,
}
