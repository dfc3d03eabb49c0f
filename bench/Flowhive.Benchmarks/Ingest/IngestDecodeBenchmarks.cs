using BenchmarkDotNet.Attributes;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;
using Flowhive.Shared.Wire;
using Flowhive.Shared.Wire.NetFlow;
using Flowhive.Tools.IngestSender;

namespace Flowhive.Benchmarks.Ingest;

/// <summary>
/// Collector decode cost per flow record: one full TLV payload (as a probe batches it) and NetFlow v9 datagrams
/// with nProbe's default template. Reported per record via OperationsPerInvoke.
/// </summary>
[MemoryDiagnoser]
public class IngestDecodeBenchmarks
{
    private const int Records = 4096;
    private readonly List<FlowRecord> _decoded = new(Records * 2);
    private readonly List<byte[]> _tlvPayloads = [];
    private List<byte[]> _datagrams = [];
    private NetFlowDecoder _netflow = new();
    private int _netflowRecords;

    [GlobalSetup]
    public void Setup()
    {
        var flows = SyntheticFlows.Create(Records);
        var payload = new byte[FlowRecordTlv.DefaultMaxPayloadBytes];
        for (var sent = 0; sent < flows.Length;)
        {
            var result = FlowRecordTlv.Encode(flows.AsSpan(sent), payload);
            _tlvPayloads.Add(payload[..result.BytesWritten]);
            sent += result.RecordsWritten;
        }

        (_datagrams, var records) = NetFlowSender.Encode(NetFlowSender.CreateEncoder(), flows);
        _netflowRecords = (int)records;
        _netflow = new NetFlowDecoder();
        DecodeNetFlow(); // learns the template
    }

    /// <summary>Per record; each payload holds as many records as fit under 128 KiB, as the probe sends them.</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public int TlvPayloads()
    {
        var total = 0;
        foreach (var payload in _tlvPayloads)
        {
            _decoded.Clear();
            FlowRecordTlv.Decode(payload, _decoded);
            total += _decoded.Count;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Records * 2)]
    public int NetFlowV9Datagrams() => DecodeNetFlow();

    [GlobalCleanup]
    public void Report() => Console.WriteLine($"// TLV: {Records} records in {_tlvPayloads.Count} payloads; NetFlow v9: {_netflowRecords} records in {_datagrams.Count} datagrams");

    private int DecodeNetFlow()
    {
        var exporter = new NetFlowExporterId(IpAddr.FromV4(0x7F00_0001), 2055);
        var total = 0;
        foreach (var datagram in _datagrams)
        {
            _decoded.Clear();
            _netflow.Decode(datagram, exporter, _decoded);
            total += _decoded.Count;
        }

        return total;
    }
}
