using System.Globalization;
using System.Net;
using Flowhive.Tools.IngestSender;

// flowhive-ingest-sender netflow <host:port> <flows> [datagrams/s] [warm-up flows]
// flowhive-ingest-sender zmq <bind endpoint> <flows> [messages/s] [warm-up flows]
// Warm-up flows go first (NetFlow paced gently); then "warm" on stderr, a wait for a line on stdin (the caller's go, once
// the receiver has taken the warm-up), "start=<unix s>" on stderr and the measured flows.
// zmq keeps its socket open after sending until killed (so nothing queued is lost). Prints one line: "<mode> flows=<n> records=<n> messages=<n> seconds=<s>" (records: what the collector should count). Rate 0 (default) = as fast as possible.
if (args.Length < 3 || !int.TryParse(args[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) || count <= 0)
{
    Console.Error.WriteLine("usage: flowhive-ingest-sender netflow <host:port> <flows> [datagrams/s] [warm-up flows] | zmq <tcp://*:port> <flows> [messages/s] [warm-up flows]");
    return 2;
}

var rate = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 0;
var warmup = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 0;
var plan = new SendPlan(SyntheticFlows.Create(warmup), SyntheticFlows.Create(count), rate, () =>
{
    Console.Error.WriteLine("warm");
    Console.In.ReadLine();
});
void Report(long messages, long records, TimeSpan elapsed) =>
    Console.WriteLine(FormattableString.Invariant($"{args[0]} flows={count} records={records} messages={messages} seconds={elapsed.TotalSeconds:F3}"));

switch (args[0])
{
    case "netflow":
        var (messages, records, elapsed) = NetFlowSender.Run(plan, IPEndPoint.Parse(args[1]));
        Report(messages, records, elapsed);
        return 0;
    case "zmq":
        // Holds the socket open for up to 10 minutes after the last send; the caller stops it.
        ZmqSender.Run(plan, args[1], TimeSpan.FromSeconds(3), TimeSpan.FromMinutes(10), Report);
        return 0;
    default:
        Console.Error.WriteLine($"unknown mode {args[0]}");
        return 2;
}
