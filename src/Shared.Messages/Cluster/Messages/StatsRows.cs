namespace Flowhive.Shared.Cluster.Messages;

/// <summary>
/// Interface entity (state role) to a stats writer (writer role, possibly another node): one flush of an
/// interface's minute rows. The entity sends one per flush interval, so the store sees whole minutes.
/// </summary>
public sealed record StatsRows(InterfaceMinuteRow Interface, IReadOnlyList<HostMinuteRow> Hosts) : IFlowhiveMessage
{
    /// <summary>Host rows per message, so that one message stays well under Akka.Remote's frame limit (~90 bytes a row).</summary>
    public const int MaxHostsPerMessage = 600;
}
