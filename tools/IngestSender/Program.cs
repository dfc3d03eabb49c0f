using System.Globalization;
using System.Net;
using Flowhive.Tools.IngestSender;

// flowhive-ingest-sender netflow <host:port> <flows> [datagrams/s]
// flowhive-ingest-sender zmq <bind endpoint> <flows> [messages/s]
// Prints one line: "<mode> flows=<n> records=<n> messages=<n> seconds=<s>" (records: what the collector should count). Rate 0 (default) = as fast as possible.
if (args.Length < 3 || !int.TryParse(args[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) || count <= 0)
{
    Console.Error.WriteLine("usage: flowhive-ingest-sender netflow <host:port> <flows> [datagrams/s] | zmq <tcp://*:port> <flows> [messages/s]");
    return 2;
}

var rate = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 0;
var flows = SyntheticFlows.Create(count);
var (messages, records, elapsed) = args[0] switch
{
    "netflow" => NetFlowSender.Run(flows, IPEndPoint.Parse(args[1]), rate),
    "zmq" => ZmqSender.Run(flows, args[1], rate, TimeSpan.FromSeconds(3)),
    _ => throw new ArgumentException($"unknown mode {args[0]}"),
};
Console.WriteLine(FormattableString.Invariant($"{args[0]} flows={count} records={records} messages={messages} seconds={elapsed.TotalSeconds:F3}"));
return 0;
