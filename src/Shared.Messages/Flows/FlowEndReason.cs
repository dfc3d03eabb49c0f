namespace Flowhive.Shared.Flows;

/// <summary>Why a flow record was exported (IPFIX flowEndReason, RFC 5102 values).</summary>
public enum FlowEndReason : byte
{
    Unknown = 0,

    /// <summary>No packet for the idle timeout (nProbe <c>-d</c>).</summary>
    IdleTimeout = 1,

    /// <summary>The flow lived longer than the lifetime (nProbe <c>-t</c>): this record is one slice of a long flow.</summary>
    ActiveTimeout = 2,

    /// <summary>TCP FIN in both directions, or RST.</summary>
    EndOfFlow = 3,

    /// <summary>Exported because the capture ended or the probe is stopping.</summary>
    ForcedEnd = 4,

    /// <summary>Exported early because the flow table was full (<c>--max-num-flows</c>).</summary>
    LackOfResources = 5,
}
