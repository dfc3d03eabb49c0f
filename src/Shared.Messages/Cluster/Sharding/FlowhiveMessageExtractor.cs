using System.Globalization;
using Akka.Cluster.Sharding;

namespace Flowhive.Shared.Cluster.Sharding;

/// <summary>
/// Routes host and interface messages to their entities. 100 shards: about ten times the largest cluster
/// we plan for, and it can never change once data is spread (see style.md).
/// </summary>
public sealed class FlowhiveMessageExtractor() : HashCodeMessageExtractor(MaxShards)
{
    public const int MaxShards = 100;

    public static string InterfaceEntityId(int ifId) => string.Create(CultureInfo.InvariantCulture, $"if-{ifId}");

    public static bool TryParseInterfaceEntityId(string entityId, out int ifId)
    {
        ifId = -1;
        return entityId.StartsWith("if-", StringComparison.Ordinal) &&
               int.TryParse(entityId.AsSpan(3), NumberStyles.Integer, CultureInfo.InvariantCulture, out ifId);
    }

    public override string? EntityId(object message) => message switch
    {
        IHostMessage h => h.Host.EntityId,
        IInterfaceMessage i => InterfaceEntityId(i.IfId),
        _ => null,
    };
}
