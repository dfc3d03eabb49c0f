namespace Flowhive.Probe.Engine.Capture;

/// <summary>What a read from a capture source produced.</summary>
public enum ReadStatus
{
    /// <summary>The batch holds one or more packets.</summary>
    Packets,

    /// <summary>No packet arrived within the read timeout (live sources); the caller may run timers.</summary>
    Timeout,

    /// <summary>The source is exhausted (end of file) or was stopped.</summary>
    End,
}

/// <summary>
/// A packet source: a capture file or a live interface. One thread reads it; it fills batches that point
/// into its own buffer.
/// </summary>
public abstract class CaptureSource : IDisposable
{
    /// <summary>The name the user gave (<c>-i</c> value).</summary>
    public abstract string Name { get; }

    /// <summary>True for files: timeouts follow packet time and the end of the file ends the capture.</summary>
    public abstract bool IsOffline { get; }

    public abstract ReadStatus Read(PacketBatch batch);

    /// <summary>Packets the kernel or the capture library dropped (live sources).</summary>
    public virtual long KernelDrops => 0;

    /// <summary>Asks a blocking <see cref="Read"/> to return soon; safe to call from another thread.</summary>
    public virtual void Interrupt()
    {
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}

/// <summary>A capture source could not be opened or read: the message names the source and the problem.</summary>
public sealed class CaptureException(string message, Exception? inner = null) : Exception(message, inner);
