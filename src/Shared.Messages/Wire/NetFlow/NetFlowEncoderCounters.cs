namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>What one encoder has done; written by the export thread, read by statistics.</summary>
public sealed class NetFlowEncoderCounters
{
    /// <summary>Flow records handed to the encoder.</summary>
    public long Flows;

    /// <summary>Data records written: a flow becomes one record, or two when directions are split, or more when sliced.</summary>
    public long Records;

    /// <summary>Records added because a counter did not fit its field (a flow of more than 4 GiB in a 4-byte IN_BYTES).</summary>
    public long ExtraSlices;

    /// <summary>Flows the format cannot carry: IPv6 flows in NetFlow v5.</summary>
    public long SkippedFlows;

    /// <summary>Flows with no packet in either direction: nothing to export.</summary>
    public long EmptyFlows;

    public long Datagrams;

    public long Bytes;

    /// <summary>Template records sent (each template counts once per sending).</summary>
    public long TemplatesSent;

    /// <summary>Times the v5/v9 sysUptime origin moved because a flow lay outside what 32-bit milliseconds can express.</summary>
    public long ClockRebases;
}
