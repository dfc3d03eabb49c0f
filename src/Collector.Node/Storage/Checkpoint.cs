namespace Flowhive.Collector.Storage;

/// <summary>
/// One saved piece of entity state: opaque bytes under a scope (what kind of state: "host", "interface",
/// "interface-hosts/3") and a key inside it (an entity id, a host of an interface's index).
/// </summary>
public sealed record Checkpoint(string Scope, string Key, byte[] State);
