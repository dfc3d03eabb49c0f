namespace Flowhive.Probe.Engine.Classification.Micro.Catalog;

/// <summary>One nDPI 4.2 application protocol: its id, name, breed and default category.</summary>
public sealed record ProtocolInfo(ushort Id, string Name, string Layer4, string Breed, ushort CategoryId, string CategoryName);
