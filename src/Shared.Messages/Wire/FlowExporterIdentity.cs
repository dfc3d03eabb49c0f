namespace Flowhive.Shared.Wire;

/// <summary>
/// Who exports the flows, written into every ZeroMQ/JSON flow record as nProbe's <c>@NTOPNG@</c> does:
/// NPROBE_IPV4_ADDRESS, UNIQUE_SOURCE_ID, and EXPORTER_IPV4_ADDRESS for flows the probe captured itself (a
/// collected flow names the router it came from). ntopng groups flows by exporter in its flow-device views. Zero
/// values are left out.
/// </summary>
/// <param name="ProbeIpv4">The probe's IPv4 address, host order; 0 when unknown.</param>
/// <param name="UniqueSourceId">The probe's source id (the ZeroMQ header's), 0 for none.</param>
public readonly record struct FlowExporterIdentity(uint ProbeIpv4, uint UniqueSourceId);
