using Flowhive.Probe.Engine.Workers;

namespace Flowhive.Probe.Actors;

/// <summary>Messages between the probe's own actors (the probe is not a cluster member; nothing here crosses a node).</summary>
public static class ProbeProtocol
{
    /// <summary>A capture worker finished its source (end of file, or stopped).</summary>
    public sealed record CaptureFinished(string Source, EngineStatistics Statistics);

    /// <summary>A capture worker crashed more often than the supervisor allows and was stopped.</summary>
    public sealed record CaptureFailed(string Source, string Reason);

    /// <summary>The exporter sent everything that was queued and closed its sockets.</summary>
    public sealed record ExportFinished
    {
        public static ExportFinished Instance { get; } = new();
    }

    /// <summary>Stop capturing, export every flow still in the tables, send it, then answer <see cref="Drained"/>.</summary>
    public sealed record DrainAll
    {
        public static DrainAll Instance { get; } = new();
    }

    public sealed record Drained
    {
        public static Drained Instance { get; } = new();
    }

    public sealed record StopCapture
    {
        public static StopCapture Instance { get; } = new();
    }
}

/// <summary>Thrown inside a capture actor when its worker thread died, so that the supervisor restarts it.</summary>
public sealed class CaptureWorkerCrashedException(string source, Exception inner)
    : Exception($"capture worker for {source} crashed: {inner.Message}", inner);

/// <summary>Thrown inside the export actor when its thread died, so that the supervisor restarts it.</summary>
public sealed class ExportWorkerCrashedException(Exception inner)
    : Exception($"flow exporter crashed: {inner.Message}", inner);
