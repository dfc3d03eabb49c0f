using Flowhive.Collector.State;

namespace Flowhive.Collector.Actors;

/// <summary>
/// Where host checks plug in (SYN flood, scans, score thresholds...): called by the host entity after each
/// update, on the entity's thread. The default raises nothing.
/// </summary>
public interface IHostAlertHook
{
    void OnHostUpdated(HostState host);
}

/// <summary>No host checks configured.</summary>
public sealed class NoHostAlerts : IHostAlertHook
{
    public static NoHostAlerts Instance { get; } = new();

    public void OnHostUpdated(HostState host)
    {
    }
}
