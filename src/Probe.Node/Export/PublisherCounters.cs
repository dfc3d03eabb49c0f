namespace Flowhive.Probe.Export;

/// <summary>What the exporter has sent; written by the exporter thread, read by stats events and progress lines.</summary>
public sealed class PublisherCounters
{
    public long Messages;
    public long Flows;
    public long PayloadBytes;
    public long Events;

    /// <summary>Messages ZeroMQ refused (send queue full, no peer in probe mode): counted, and visible to collectors as msg_id gaps.</summary>
    public long SendFailures;

    public long Subscriptions;
}
