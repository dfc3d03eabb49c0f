namespace Flowhive.Probe.Export;

/// <summary>What one exporter has sent; written by the export thread, read by statistics events and progress lines.</summary>
public sealed class ExporterCounters
{
    public long Flows;

    /// <summary>Messages, datagrams or lines written.</summary>
    public long Messages;

    public long Bytes;

    /// <summary>Sends the transport refused (ZeroMQ queue full, no peer, a socket error): counted, never silent.</summary>
    public long SendFailures;
}
