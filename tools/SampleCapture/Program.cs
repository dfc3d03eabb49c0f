using System.Globalization;
using Flowhive.Tools.SampleCapture;

// flowhive-sample-capture [--out samples/sample.pcap] [--seed 1]
var output = "samples/sample.pcap";
var seed = 1;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--out" when i + 1 < args.Length:
            output = args[++i];
            break;
        case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out seed):
            i++;
            break;
        case "-h" or "--help":
            Console.WriteLine("usage: flowhive-sample-capture [--out samples/sample.pcap] [--seed 1]");
            Console.WriteLine("Writes a deterministic ~60 s capture of a small network's traffic (same arguments, same bytes).");
            return 0;
        default:
            Console.Error.WriteLine($"flowhive-sample-capture: unexpected argument '{args[i]}' (try --help)");
            return 2;
    }
}

var summary = SampleCaptureGenerator.Write(output, seed);
Console.WriteLine($"{summary.Path}: {summary.Packets} packets over {summary.DurationSeconds:F1} s, {summary.FileBytes} bytes (seed {seed})");
return 0;
