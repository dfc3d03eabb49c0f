using Flowhive.Probe.Capture;
using Flowhive.Probe.Collection;
using Flowhive.Probe.Configuration;
using Flowhive.Probe.Engine.Workers;
using Flowhive.Probe.Export;
using Microsoft.Extensions.Hosting;

namespace Flowhive.Probe;

/// <summary>
/// What the probe's actors share: the capture engines (opened before the actor system starts, so a bad
/// source fails fast with a one-line error), the export loop with its queue and exporters, and the exit code.
/// </summary>
public sealed class ProbeRuntime(ProbeOptions options, IReadOnlyList<CaptureEngine> engines, FlowExportLoop export, IHostApplicationLifetime lifetime)
{
    /// <summary>The <c>-3</c> collector port, a flow source beside the capture engines; null without <c>-3</c>.</summary>
    public CollectorPort? Collection { get; init; }

    private int _exitCode;

    public ProbeOptions Options { get; } = options;

    public IReadOnlyList<CaptureEngine> Engines { get; } = engines;

    /// <summary>One capture thread per engine, in the same order.</summary>
    public IReadOnlyList<CaptureThread> Captures { get; } = [.. engines.Select(e => new CaptureThread(e))];

    public FlowExportLoop Export { get; } = export;

    public ExportQueue Queue => Export.Queue;

    public IHostApplicationLifetime Lifetime { get; } = lifetime;

    /// <summary>0 when every source was read cleanly; 1 when a source failed or a file was corrupt.</summary>
    public int ExitCode => Volatile.Read(ref _exitCode);

    public void Fail() => Volatile.Write(ref _exitCode, 1);

    public IReadOnlyList<EngineStatistics> Snapshot() => [.. Engines.Select(e => e.Snapshot())];
}
