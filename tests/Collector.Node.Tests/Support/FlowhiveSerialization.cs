namespace Flowhive.Collector.Node.Tests.Support;

/// <summary>
/// Test actor-system settings that bind <c>IFlowhiveMessage</c> to the cluster's binary serializer, as the
/// collector's cluster set-up does, in HOCON because TestKit systems are built from config.
/// </summary>
public static class FlowhiveSerialization
{
    public const string Binding = """
        akka.actor {
          serializers.flowhive = "Flowhive.Shared.Cluster.Serialization.FlowhiveSerializer, Flowhive.Shared.Messages"
          serialization-bindings {
            "Flowhive.Shared.Cluster.IFlowhiveMessage, Flowhive.Shared.Messages" = flowhive
          }
        }
        """;

    /// <summary>
    /// The binding plus <c>serialize-messages = on</c>: every message an actor sends is serialized and read back
    /// before delivery, so a message that could not cross a node fails here. Props are not (they hold closures).
    /// </summary>
    public const string Verified = Binding + """

        akka.actor.serialize-messages = on
        akka.actor.serialize-creators = off
        """;
}
