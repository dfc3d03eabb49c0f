namespace Flowhive.Shared.Cluster;

/// <summary>
/// Marker for every message that may cross a node boundary. The cluster binds this interface to
/// <see cref="Serialization.FlowhiveSerializer"/>, a hand-written binary format: the default JSON serializer is slow and
/// would deserialize arbitrary types.
/// </summary>
public interface IFlowhiveMessage;

/// <summary>A message for one host entity (sharded by <see cref="HostKey.EntityId"/>).</summary>
public interface IHostMessage : IFlowhiveMessage
{
    HostKey Host { get; }
}

/// <summary>A message for one interface entity.</summary>
public interface IInterfaceMessage : IFlowhiveMessage
{
    int IfId { get; }
}
