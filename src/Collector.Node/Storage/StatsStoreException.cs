namespace Flowhive.Collector.Storage;

/// <summary>
/// The store cannot be opened or reached (bad path, permissions, server down, wrong credentials). The message
/// names the path or the server so that the collector can print it and exit; the cause is the inner exception.
/// </summary>
public sealed class StatsStoreException : Exception
{
    public StatsStoreException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
