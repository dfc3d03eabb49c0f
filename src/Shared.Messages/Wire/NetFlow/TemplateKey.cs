namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>Template ids are only unique per exporter, version and source id / observation domain (RFC 3954 §5.1, RFC 7011 §3.1).</summary>
internal readonly record struct TemplateKey(NetFlowExporterId Exporter, ushort Version, uint Domain, ushort TemplateId);
