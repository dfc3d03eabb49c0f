using Microsoft.Extensions.Logging;

namespace Flowhive.Collector.Storage;

/// <summary>The stores' log messages, source-generated, with stable event ids in the 4100 range.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Stats store ready: {Description}, schema version {Version}")]
    public static partial void StoreReady(ILogger logger, string description, int version);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Stats store schema upgraded from version {From} to {To}")]
    public static partial void SchemaUpgraded(ILogger logger, int from, int to);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "TimescaleDB is available but could not be used; falling back to plain tables: {Reason}")]
    public static partial void TimescaleFallback(ILogger logger, string reason);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Debug, Message = "Wrote {InterfaceRows} interface rows and {HostRows} host rows in {ElapsedMs} ms")]
    public static partial void BatchWritten(ILogger logger, int interfaceRows, int hostRows, long elapsedMs);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Error, Message = "Writing a batch of {InterfaceRows} interface rows and {HostRows} host rows failed; the transaction was rolled back")]
    public static partial void BatchFailed(ILogger logger, Exception exception, int interfaceRows, int hostRows);
}
